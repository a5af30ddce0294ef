#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers

from __future__ import annotations

DOCUMENTATION = r"""
module: file_set
short_description: A directory holds exactly a set of files, written in one task however many
version_added: 0.2.0
description:
  - Writes every file of O(files) (name and text) into the directory O(path) that differs from it, atomically,
    and sets mode, owner and group; with O(exclusive), removes the files matching O(pattern) that are not in the
    set.
  - One module run for the whole set - a loop of M(ansible.builtin.copy) costs a module run per file, minutes
    for the per-machine files of a 1,000-node cluster (the C(bootserver) role's iPXE scripts).
author:
  - clusternet.fabric maintainers (@clusternet)
attributes:
  check_mode:
    support: full
    description: Nothing is written; RV(written), RV(attributes) and RV(removed) say what would be.
  diff_mode:
    support: full
    description: The before and after text of every file written, and the name of every file removed.
options:
  path:
    description: The directory (it must exist).
    type: path
    required: true
  files:
    description: File name (no directory part) to the file's text.
    type: dict
    required: true
  mode:
    description: The permissions of the files.
    type: str
    default: "0644"
  owner:
    description: The owner of the files (default the user the module runs as).
    type: str
  group:
    description: The group of the files (default that user's).
    type: str
  exclusive:
    description: Remove the files of O(path) that match O(pattern) and are not in O(files).
    type: bool
    default: false
  pattern:
    description: Which files O(exclusive) considers (a shell glob on the name; subdirectories are never touched).
    type: str
    default: "*"
  validate:
    description:
      - File name to the command that checks the file's new text before it is written, C(%s) standing for a
        temporary file that holds it (as in M(ansible.builtin.copy)'s O(ansible.builtin.copy#module:validate)).
      - Every file to be written is checked first; when one is refused the module fails naming it and the
        command's output, and no file of the set is written. Checked in check mode too.
      - A file whose text is already right is not checked again.
    type: dict
    default: {}
seealso:
  - module: ansible.builtin.copy
"""

EXAMPLES = r"""
- name: One iPXE script per machine, and none for machines that left
  clusternet.fabric.file_set:
    path: /srv/boot/ipxe
    files: "{{ bootserver_scripts }}"
    mode: "0640"
    group: www-data
    exclusive: true
    pattern: "*.ipxe"

- name: Two configuration files, each checked by its program before either is written
  clusternet.fabric.file_set:
    path: /srv/rendered
    files:
      dnsmasq.conf: "{{ lookup('ansible.builtin.template', 'dnsmasq.conf.j2') }}"
      haproxy.cfg: "{{ lookup('ansible.builtin.template', 'haproxy.cfg.j2') }}"
    validate:
      dnsmasq.conf: dnsmasq --test --conf-file=%s
      haproxy.cfg: haproxy -c -f %s
"""

RETURN = r"""
written:
  description: The files written (new or changed text).
  returned: success
  type: list
  elements: str
  sample: [52-54-00-7e-00-1f.ipxe]
attributes:
  description: The files whose text was right and whose mode, owner or group was set.
  returned: success
  type: list
  elements: str
  sample: []
removed:
  description: The files removed (O(exclusive)).
  returned: success
  type: list
  elements: str
  sample: [52-54-00-7e-00-99.ipxe]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusternet.fabric.plugins.module_utils.runners import file_set


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            files=dict(type="dict", required=True),
            mode=dict(type="str", default="0644"),
            owner=dict(type="str"),
            group=dict(type="str"),
            exclusive=dict(type="bool", default=False),
            pattern=dict(type="str", default="*"),
            validate=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    file_set.run_module(module)


if __name__ == "__main__":
    main()
