#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers

from __future__ import annotations

DOCUMENTATION = r"""
module: frr_configs
short_description: Check many FRR configurations with FRR's own parser, then write them into a directory
version_added: 0.2.0
description:
  - Checks every configuration of O(configs) with O(validate) (by default C(vtysh -C -f %s)) before
    anything is written; a check fails when the command exits non-zero or prints one of vtysh's error
    lines (vtysh 8.4 can exit 0 on a configuration it refuses).
  - The configurations of a fabric differ in their values only (names, addresses, ASNs, descriptions),
    which the fabric model has validated. The module checks one configuration per shape (a configuration
    with every well-formed value replaced by its class, e.g. an IPv4 network of length 26), so the number
    of checker runs does not grow with the fabric. A token that is not a well-formed value keeps its
    configuration a shape of its own. When a configuration is refused, every other one of its shape is
    checked too, and each refused one is named.
  - With O(dest), writes each configuration that differs from the file there to
    C(<dest>/<name><suffix>), atomically; without it, only checks.
  - This is how the C(frr) and C(frr_tor) roles check a fabric on the controller in a bounded number of
    tasks (the pool-wide MachineConfig, rendered mode).
author:
  - clusternet.fabric maintainers (@clusternet)
attributes:
  check_mode:
    support: full
    description: The checks run (they only read); nothing is written; RV(written) names what would be.
  diff_mode:
    support: full
    description: The before and after text of every file that changes.
options:
  configs:
    description:
      - The configurations, by name (with O(dest), the name and O(suffix) form the file name).
    type: dict
    required: true
  dest:
    description:
      - The directory to write the configurations into. Without it nothing is written.
    type: path
  suffix:
    description:
      - Appended to a configuration's name to form its file name in O(dest).
    type: str
    default: .conf
  mode:
    description:
      - The permissions of the files written.
    type: str
    default: "0644"
  validate:
    description:
      - The check command, as Ansible's C(validate) reads it (C(%s) the file, C(%%) a literal C(%)).
    type: str
    default: vtysh -C -f %s
notes:
  - Files in O(dest) that are not in O(configs) are left alone.
seealso:
  - module: clusternet.fabric.machineconfig
"""

EXAMPLES = r"""
- name: Check every node's frr.conf of a fabric, write nothing
  clusternet.fabric.frr_configs:
    configs: "{{ frr_fabric | clusternet.fabric.frr_node_confs }}"
  delegate_to: localhost
  run_once: true

- name: Every switch's frr.conf into a directory on the controller
  clusternet.fabric.frr_configs:
    configs: "{{ frr_fabric | clusternet.fabric.frr_switch_confs }}"
    dest: /srv/fabric/rendered
    suffix: .frr.conf
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
configs:
  description: How many configurations were checked.
  returned: always
  type: int
  sample: 500
checker_runs:
  description: How many times the check command ran (one per shape, more when one was refused).
  returned: always
  type: int
  sample: 2
written:
  description: The files written (in check mode, the files that would be).
  returned: success
  type: list
  elements: str
  sample: [/srv/fabric/rendered/tor-1a.frr.conf]
refused:
  description: The refused configurations, by name, with the checker's reasons.
  returned: failure
  type: dict
  sample: {worker-7: ["line 5: % Unknown command[3]: router bgp 65001"]}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusternet.fabric.plugins.module_utils.runners import frr_configs


def main():
    module = AnsibleModule(
        argument_spec=dict(
            configs=dict(type="dict", required=True),
            dest=dict(type="path"),
            suffix=dict(type="str", default=".conf"),
            mode=dict(type="str", default="0644"),
            validate=dict(type="str", default="vtysh -C -f %s"),
        ),
        supports_check_mode=True,
    )
    frr_configs.run_module(module)


if __name__ == "__main__":
    main()
