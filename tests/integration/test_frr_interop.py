# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Interop: the node frr.conf rendered by the collection against a ToR
configured exactly as in seed 003 (Cumulus: interface peer-group, remote-as
external, redistribute connected, multipath-relax), and against the ToR
config of the frr_tor role. Real FRR 8.4 daemons, one set per namespace."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import yaml

sys.path.insert(0, os.path.dirname(__file__))

from frr_netns import Router, established, link, sh, wait_for  # noqa: E402

from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric  # noqa: E402
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import (  # noqa: E402
    render_node_conf,
    render_switch_conf,
)

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "frr", "seed003", "input.yml")

# The seed's Cumulus ToR, as FRR config. One deviation, forced by the FRR
# version: Cumulus 3.7 (FRR 4) had no RFC 8212 default; FRR >= 7.4 holds eBGP
# routes back without policy, so the seed's ToR needs `no bgp
# ebgp-requires-policy` to behave as it did. Our nodes never use it.
SEED_TOR = """\
hostname tor-cumulus-1
!
interface swp1
 ipv6 nd ra-interval 5
 ipv6 nd ra-lifetime 15
 no ipv6 nd suppress-ra
!
interface swp2
 ipv6 nd ra-interval 5
 ipv6 nd ra-lifetime 15
 no ipv6 nd suppress-ra
!
interface swp3
 ipv6 nd ra-interval 5
 ipv6 nd ra-lifetime 15
 no ipv6 nd suppress-ra
!
router bgp 65004
 bgp router-id 4.4.4.4
 no bgp ebgp-requires-policy
 bgp bestpath as-path multipath-relax
 bgp bestpath compare-routerid
 neighbor COMPUTE peer-group
 neighbor COMPUTE remote-as external
 neighbor swp1 interface peer-group COMPUTE
 neighbor swp2 interface peer-group COMPUTE
 neighbor swp3 interface peer-group COMPUTE
 !
 address-family ipv4 unicast
  redistribute connected
  neighbor COMPUTE soft-reconfiguration inbound
 exit-address-family
!
"""

NODES = ("c1", "c2", "c3")
ROGUE_FROM_TOR = "192.0.2.1/32"       # a connected prefix the seed ToR redistributes
ROGUE_FROM_NODE = "198.51.100.0/24"   # a prefix c2 must never announce


def _ns(name):
    return "frr-it-%s" % name


@pytest.fixture(scope="module", params=["seed-tor", "role-tor"])
def fabric(request, tmp_path_factory):
    """ToR + c1..c3 of seed 003; the ToR is the seed's (params[0]) or ours."""
    with open(GOLDEN) as f:
        data = yaml.safe_load(f)
    # the ToR is in the model, so its loopback 4.4.4.4 is among what the nodes accept
    model = build_fabric(**data)
    work = str(tmp_path_factory.mktemp("frr-interop"))
    tor = Router(_ns("tor"), work)
    nodes = {n: Router(_ns(n), work) for n in NODES}
    started = time.time()
    try:
        tor.create(["4.4.4.4/32", ROGUE_FROM_TOR])
        for i, n in enumerate(NODES, start=1):
            nodes[n].create(["%s/32" % model["nodes"][n]["loopback"]])
            link(tor.name, "swp%d" % i, nodes[n].name, "ens3", "frrit%da" % i, "frrit%db" % i)
        if request.param == "seed-tor":
            tor.start(SEED_TOR)
        else:
            tor.start(render_switch_conf(model, "tor-cumulus-1"))
        for n in NODES:
            nodes[n].start(render_node_conf(model, n))
        yield {"kind": request.param, "model": model, "tor": tor, "nodes": nodes, "started": started}
    finally:
        for r in list(nodes.values()) + [tor]:
            r.stop()


def test_sessions_established(fabric):
    for r in [fabric["tor"]] + list(fabric["nodes"].values()):
        states = wait_for(lambda r=r: established(r), 60, "BGP Established on %s" % r.name)
        assert len(states) == (3 if r is fabric["tor"] else 1), states
    print("%s: all sessions Established %.1fs after start" % (fabric["kind"], time.time() - fabric["started"]))


def _tor_has_all(fabric):
    routes = fabric["tor"].json("show ip route bgp")
    return all(p in routes for n in fabric["model"]["nodes"].values()
               for p in ["%s/32" % n["loopback"]] + n["pod_blocks"]["4"]), sorted(routes)


def test_tor_learns_every_loopback_and_block(fabric):
    wait_for(lambda: _tor_has_all(fabric), 60, "node prefixes on the ToR")


def test_loopback_to_loopback_ping_through_tor(fabric):
    wait_for(lambda: _tor_has_all(fabric), 60, "node prefixes on the ToR")
    c1 = fabric["nodes"]["c1"]

    def c1_routes():
        out = sh("ip", "-4", "route", "show", "proto", "bgp", ns=c1.name).stdout
        return "2.2.2.2" in out and "3.3.3.3" in out, out
    wait_for(c1_routes, 60, "kernel routes to 2.2.2.2 and 3.3.3.3 on c1")
    for target in ("2.2.2.2", "3.3.3.3", "4.4.4.4"):
        res = sh("ping", "-c", "2", "-W", "2", "-I", "1.1.1.1", target, ns=c1.name, check=False)
        assert res.returncode == 0, "ping -I 1.1.1.1 %s from c1: %s" % (target, res.stdout)


def test_blackhole_per_pod_block(fabric):
    for name, r in fabric["nodes"].items():
        out = sh("ip", "route", "show", "type", "blackhole", ns=r.name).stdout
        for block in fabric["model"]["nodes"][name]["pod_blocks"]["4"]:
            assert block in out, "%s: no blackhole for %s: %r" % (name, block, out)


def test_node_drops_what_the_fabric_must_not_send(fabric):
    """The ToR sends 192.0.2.1/32 (seed ToR: redistribute connected) -- the
    node receives it (soft-reconfiguration shows it) but its policy drops it."""
    c1 = fabric["nodes"]["c1"]
    wait_for(lambda: _tor_has_all(fabric), 60, "node prefixes on the ToR")
    if fabric["kind"] == "seed-tor":
        def received():
            out = c1.vtysh("show bgp ipv4 unicast neighbors ens3 received-routes")
            return ROGUE_FROM_TOR.split("/", 1)[0] in out, out
        wait_for(received, 30, "rogue prefix received by c1 from the seed ToR")
    table = c1.json("show bgp ipv4 unicast")["routes"]
    assert ROGUE_FROM_TOR not in table, sorted(table)
    assert "192.0.2.1" not in sh("ip", "route", ns=c1.name).stdout


def test_node_does_not_announce_foreign_prefix(fabric):
    """c2 gets a rogue static + redistribute static: its out policy stops it."""
    c2 = fabric["nodes"]["c2"]
    c2.vtysh("configure terminal", "ip route %s blackhole" % ROGUE_FROM_NODE,
             "router bgp 65002", "address-family ipv4 unicast", "redistribute static")
    assert ROGUE_FROM_NODE in c2.json("show bgp ipv4 unicast")["routes"]
    time.sleep(3)  # well past the datacenter-profile advertisement interval (0 s)
    tor_routes = fabric["tor"].json("show bgp ipv4 unicast")["routes"]
    assert ROGUE_FROM_NODE not in tor_routes, sorted(tor_routes)
    out = c2.vtysh("show bgp ipv4 unicast neighbors ens3 advertised-routes")
    assert "198.51.100.0" not in out and "1.1.1.1" not in out, out


def test_max_prefix_and_policy_present(fabric):
    c1 = fabric["nodes"]["c1"]
    out = c1.vtysh("show bgp neighbors ens3")
    assert "Route map for incoming advertisements is *TOR-IN-V4" in out, out
    assert "Route map for outgoing advertisements is *TOR-OUT-V4" in out, out
    assert "Maximum prefixes allowed 128" in out, out
    assert "restart interval 5 min" in out, out


def test_vtysh_rejects_a_broken_config(tmp_path):
    """What the role's validate: relies on (LAB.md): vtysh -C exits 2 on error."""
    bad = tmp_path / "frr.conf"
    bad.write_text("router bgp 65001\n neighbor ens3 interface peer-group\n")
    res = subprocess.run(["vtysh", "-C", "-f", str(bad)], capture_output=True, text=True, check=False)
    assert res.returncode != 0, res.stdout
