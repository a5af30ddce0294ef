# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No input value may carry a line break into a rendered file: each role that writes a
line-oriented file refuses one in any of its variables, first, naming the variable, the
host and the value, and writes nothing (rendered mode, offline, through ansible-playbook).
The frr roles' inputs all go through the fabric model, whose checks refuse them
(tests/unit/plugins/module_utils/test_fabric_properties.py)."""

from __future__ import annotations

import os
import sys

import pytest
import yaml

sys.path.insert(0, os.path.dirname(__file__))
import inline_playbook  # noqa: E402

INVENTORY = {"all": {
    "vars": {"cluster_name": "test", "cluster_base_domain": "example.local", "cluster_network": "192.168.126.0/24",
             "cluster_lb_address": "192.168.126.10", "ansible_connection": "local",
             "ansible_python_interpreter": sys.executable},
    "children": {"jumphost": {"hosts": {"jump-0": {"node_ip": "192.168.126.10"}}},
                 "masters": {"hosts": {"master-0": {"node_ip": "192.168.126.21", "node_mac": "52:54:00:7e:00:21"}}}}}}

CASES = {
    "haproxy": ({"haproxy_state": "rendered", "haproxy_rendered_path": "{out}/haproxy.cfg",
                 "haproxy_api_backends": [{"name": "m0\n    server evil 6.6.6.6:6443", "ip": "192.168.126.21"}]},
                "haproxy_api_backends[0].name"),
    "dnsmasq": ({"dnsmasq_state": "rendered", "dnsmasq_rendered_dir": "{out}",
                 "dnsmasq_upstreams": ["1.1.1.1\nserver=6.6.6.6"]},
                "dnsmasq_upstreams[0]"),
    "node_routes": ({"node_routes_state": "rendered",
                     "node_routes_routes": {"worker": [{"destination": "192.168.1.0/24", "interface": "ens3",
                                                        "gateway": "fe80::1%ens3\nip route add 0.0.0.0/0 dev x"}]}},
                    "node_routes_routes.worker[0].gateway"),
    "multus": ({"multus_state": "rendered", "multus_platform": "kubernetes",
                "multus_networks": [{"name": "n", "type": "macvlan", "master": "ens224\r", "ipam": {"type": "dhcp"}}]},
               "multus_networks[0].master"),
    "keepalived": ({"keepalived_state": "rendered", "keepalived_rendered_path": "{out}/keepalived.conf",
                    "keepalived_check_command": "/bin/true\n}\nvrrp_instance evil {"},
                   "keepalived_check_command"),
    "bootserver": ({"bootserver_state": "rendered", "bootserver_rendered_dir": "{out}",
                    "bootserver_access_log": "/tmp/log;\n    allow all"},
                   "bootserver_access_log"),
}


@pytest.mark.parametrize("role", sorted(CASES))
def test_a_line_break_in_any_input_stops_the_role_first(role, tmp_path):
    role_vars, field = CASES[role]
    out = tmp_path / "rendered"
    out.mkdir()
    role_vars = yaml.safe_load(yaml.safe_dump(role_vars).replace("{out}", str(out)))
    playbook = yaml.safe_dump([{"name": "role", "hosts": "jump-0", "gather_facts": False,
                                "roles": [{"role": "clusternet.fabric.%s" % role, "vars": role_vars}]}])
    res, _json = inline_playbook.run(tmp_path, INVENTORY, playbook)
    text = res.stdout + res.stderr
    assert res.returncode != 0, text[-3000:]
    assert "%s: %s of jump-0 is " % (role, field) in text, text[-3000:]
    assert "contains a line break or NUL" in text, text[-3000:]
    assert "Refuse a line break in any input of the role" in text.split("fatal:")[0].rsplit("TASK [", 1)[1], text[-3000:]
    assert list(out.iterdir()) == []  # nothing rendered
