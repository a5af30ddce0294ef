# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Part mode (frr_tor_config: part) against a ToR that has a configuration
of its own, with real FRR 8.4 in network namespaces: seed 003's ToR already
runs its loopback, a static route it announces and a session to a core
router. The fabric's part is merged into its running configuration and
applied with FRR's own frr-reload.py, as the role does. Afterwards the
switch's lines are all still there and working, the servers' sessions are
up, a second merge changes nothing, and a port taken out of the fabric loses
its lines while the switch's stay."""

from __future__ import annotations

import copy
import os
import sys

import pytest
import yaml

sys.path.insert(0, os.path.dirname(__file__))

from frr_netns import Router, established, link, sh, wait_for  # noqa: E402

from ansible_collections.clusternet.fabric.plugins.module_utils.checks import InputError  # noqa: E402
from ansible_collections.clusternet.fabric.plugins.module_utils.model import bgp  # noqa: E402
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric  # noqa: E402
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import (  # noqa: E402
    render_node_conf,
    render_router_conf,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_merge import (  # noqa: E402
    merge,
    owned_names,
)

INPUT = os.path.join(os.path.dirname(__file__), "..", "golden", "frr", "seed003", "input.yml")
TOR = "tor-cumulus-1"
OWN = """\
frr version 8.4
frr defaults traditional
hostname switch-own
!
ip route 203.0.113.0/24 blackhole
!
interface lo
 ip address 4.4.4.4/32
exit
!
ip prefix-list CORE-OUT seq 5 permit 203.0.113.0/24
!
route-map CORE-OUT permit 10
 match ip address prefix-list CORE-OUT
exit
!
router bgp 65004
 bgp router-id 4.4.4.4
 neighbor 192.0.2.254 remote-as 65999
 neighbor 192.0.2.254 description core
 !
 address-family ipv4 unicast
  network 4.4.4.4/32
  network 203.0.113.0/24
  neighbor 192.0.2.254 route-map CORE-OUT out
 exit-address-family
exit
!
"""
OWN_LINES = ("ip route 203.0.113.0/24 blackhole", "neighbor 192.0.2.254 remote-as 65999",
             "neighbor 192.0.2.254 route-map CORE-OUT out", "ip prefix-list CORE-OUT seq 5 permit 203.0.113.0/24",
             "network 203.0.113.0/24")


def load(drop_node=None):
    with open(INPUT) as f:
        data = yaml.safe_load(f)
    if drop_node:
        data = copy.deepcopy(data)
        del data["nodes"][drop_node]
    return build_fabric(**data)


def reload_with(tor, text):
    path = os.path.join(tor.workdir, "frr.conf")
    with open(path, "w") as f:
        f.write(text)
    res = sh("/usr/lib/frr/frr-reload.py", "--reload", "--pathspace", tor.name, path, ns=tor.name, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


def part_of(model, running, previous=None):
    cfg = bgp.switch_config(model, TOR)
    return merge(running, render_router_conf(cfg), owned_names(cfg), previous), owned_names(cfg)


@pytest.fixture(scope="module")
def switch(tmp_path_factory):
    model = load()
    work = str(tmp_path_factory.mktemp("frr-part"))
    tor = Router("fp-tor", work)
    nodes = {n: Router("fp-%s" % n, work) for n in sorted(model["nodes"])}
    try:
        tor.create()
        for i, (name, r) in enumerate(sorted(nodes.items()), start=1):
            r.create(["%s/32" % model["nodes"][name]["loopback"]])
            link(tor.name, "swp%d" % i, r.name, "ens3", "fpl%da" % i, "fpl%db" % i)
        tor.start(OWN)
        for name, r in nodes.items():
            r.start(render_node_conf(model, name))
        candidate, owned = part_of(model, tor.vtysh("show running-config"))
        reload_with(tor, candidate)
        yield {"model": model, "tor": tor, "nodes": nodes, "candidate": candidate, "owned": owned}
    finally:
        for r in list(nodes.values()) + [tor]:
            r.stop()


def test_servers_sessions_up_through_the_fabric_part(switch):
    def servers_up():
        _all, states = established(switch["tor"])
        return all(states.get(p) == "Established" for p in ("swp1", "swp2", "swp3")), states
    states = wait_for(servers_up, 60, "the servers' sessions on the ToR")
    assert states["192.0.2.254"] != "Established"  # the core router is not in this test: its session stays down


def test_switch_own_lines_kept_and_working(switch):
    running = switch["tor"].vtysh("show running-config")
    for line in OWN_LINES:
        assert line in running, (line, running)
    route = switch["tor"].json("show ip route 203.0.113.0/24")["203.0.113.0/24"][0]
    assert route["installed"] and route["protocol"] == "static"
    # the servers learn the switch's own loopback (inside the fabric's prefixes)
    c1 = switch["nodes"]["c1"]
    wait_for(lambda: ("4.4.4.4" in sh("ip", "route", ns=c1.name).stdout, None), 60, "the ToR loopback on c1")
    assert "203.0.113.0" not in sh("ip", "route", ns=c1.name).stdout  # not the fabric's: filtered


def test_second_merge_changes_nothing(switch):
    again, _owned = part_of(switch["model"], switch["tor"].vtysh("show running-config"), switch["owned"])
    assert again == switch["candidate"]


def test_port_taken_out_loses_its_lines_and_the_switch_keeps_its_own(switch):
    tor = switch["tor"]
    smaller = load(drop_node="c3")
    candidate, owned = part_of(smaller, tor.vtysh("show running-config"), switch["owned"])
    try:
        reload_with(tor, candidate)
        running = tor.vtysh("show running-config")
        assert "neighbor swp3 interface peer-group SERVERS" not in running
        assert "SERVER-c3-V4" not in running and "interface swp3" not in running
        assert "neighbor swp2 interface peer-group SERVERS" in running
        for line in OWN_LINES:
            assert line in running, (line, running)
        assert owned["interfaces"] == ["swp1", "swp2"]
    finally:
        reload_with(tor, switch["candidate"])


def test_the_switch_must_run_the_fabrics_as(switch):
    running = switch["tor"].vtysh("show running-config").replace("router bgp 65004", "router bgp 65077")
    with pytest.raises(InputError, match=r"frr_asn is '65004': the switch runs 'router bgp 65077'"):
        part_of(switch["model"], running)
