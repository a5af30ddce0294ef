# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The line-break guard for a role's inputs (plugins/module_utils/checks.py).

    vars:
      names: "{{ role_path | clusternet.fabric.role_inputs }}"
    ... "{{ dict(names | zip(query('ansible.builtin.vars', *names, default='')))
            | clusternet.fabric.line_breaks_refused('haproxy', inventory_hostname) }}"

takes a role's inputs by name and refuses
(naming the variable, the host and the value) any that holds CR, LF or NUL
in a string anywhere inside it: such a value would add a line to a
line-oriented file (dnsmasq.conf, haproxy.cfg, frr.conf, a unit, the routes
file). Returns the names checked.

``role_inputs`` gives those names: the options of the role's
meta/argument_specs.yml (entry point main), read in Python (a file lookup
and from_yaml in the task cost 0.1-0.2 s a role run).
"""

from __future__ import annotations

import os

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.module_utils import checks


def line_breaks_refused(values, scope, host=None):
    """values: {variable name: value}; returns the sorted names."""
    at = checks.At(scope, host)
    try:
        for name in sorted(values):
            checks.no_line_breaks(values[name], name, at)
    except checks.InputError as exc:
        raise AnsibleFilterError(str(exc)) from None
    return sorted(values)


def role_inputs(role_path):
    """The option names the role's argument spec (entry point main) declares."""
    path = os.path.join(role_path, "meta", "argument_specs.yml")
    try:
        with open(path, encoding="utf-8") as spec_file:
            spec = yaml.load(spec_file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return list(spec["argument_specs"]["main"]["options"])
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise AnsibleFilterError("role_inputs: no options of entry point main in %s: %s" % (path, exc)) from None


class FilterModule:
    def filters(self):
        return {"line_breaks_refused": line_breaks_refused, "role_inputs": role_inputs}
