# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The line-break guard's filters: role_inputs reads a role's declared inputs,
line_breaks_refused refuses a value with a line break, naming it."""

from __future__ import annotations

import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.filter.checks import FilterModule

FILTERS = FilterModule().filters()
ROLES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles")
GUARDED = ("bootserver", "dnsmasq", "haproxy", "keepalived", "multus", "node_routes")


@pytest.mark.parametrize("role", GUARDED)
def test_role_inputs_are_every_option_of_the_roles_argument_spec(role):
    role_path = os.path.join(ROLES, role)
    with open(os.path.join(role_path, "meta", "argument_specs.yml"), encoding="utf-8") as spec_file:
        options = yaml.safe_load(spec_file)["argument_specs"]["main"]["options"]
    names = FILTERS["role_inputs"](role_path)
    assert names == list(options) and len(names) > 5


def test_role_inputs_of_a_role_without_a_spec_fails_naming_the_file(tmp_path):
    with pytest.raises(AnsibleFilterError, match=r"role_inputs: .*argument_specs\.yml"):
        FILTERS["role_inputs"](str(tmp_path))


def test_line_breaks_refused_names_the_variable_and_the_host():
    assert FILTERS["line_breaks_refused"]({"b": "x", "a": ["y"]}, "haproxy", "jump-0") == ["a", "b"]
    with pytest.raises(AnsibleFilterError) as exc:
        FILTERS["line_breaks_refused"]({"haproxy_x": ["ok", "bad\nline"]}, "haproxy", "jump-0")
    assert "haproxy_x[1]" in str(exc.value) and "jump-0" in str(exc.value)
