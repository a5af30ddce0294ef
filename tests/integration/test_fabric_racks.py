# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A fabric of racks with real FRR 8.4 in network namespaces, every frr.conf
rendered by the collection from tests/golden/frr/two-racks/input.yml: two
spines, two racks of two ToRs, two servers per rack, each dual-homed to both
ToRs of its rack; rack-aware ASNs (server ASNs repeat per rack, one AS for
all ToRs); BFD on every session.

Asserted from the kernel and FRR's JSON: every server reaches every other
server's loopback across racks, a remote loopback is one kernel route with
two nexthops, an uplink down leaves one nexthop and traffic flowing, and a
path that fails silently (link up, its BGP and BFD packets dropped) loses
its nexthop within a second."""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import time

import pytest
import yaml

sys.path.insert(0, os.path.dirname(__file__))

from frr_netns import Router, link, sh, wait_for  # noqa: E402

from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric  # noqa: E402
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import (  # noqa: E402
    render_node_conf,
    render_switch_conf,
)

INPUT = os.path.join(os.path.dirname(__file__), "..", "golden", "frr", "two-racks", "input.yml")
BFD_PORTS = ("3784", "3785", "4784")


def load_fabric():
    with open(INPUT) as f:
        data = yaml.safe_load(f)
    return build_fabric(data["nodes"], data.get("tors"), data.get("spines"), data.get("settings"))


def _ns(name):
    return "fr-%s" % name


@pytest.fixture(scope="module")
def fabric(tmp_path_factory):
    model = load_fabric()
    work = str(tmp_path_factory.mktemp("fabric-racks"))
    routers = {}
    started = time.time()
    try:
        for name, router in sorted(list(model["nodes"].items()) + list(model["switches"].items())):
            routers[name] = Router(_ns(name), work, bfd=True)
            routers[name].create(["%s/32" % router["loopback"]] if name in model["nodes"] else [])
        count = 0
        for name, switch in sorted(model["switches"].items()):
            for port in switch["ports"]:
                count += 1
                link(routers[name].name, port["port"], routers[port["peer"]].name, port["peer_port"],
                     "frk%da" % count, "frk%db" % count)
        for name in model["switches"]:
            routers[name].start(render_switch_conf(model, name))
        for name in model["nodes"]:
            routers[name].start(render_node_conf(model, name))
        yield {"model": model, "routers": routers, "started": started}
    finally:
        for r in routers.values():
            r.stop()


def sessions(router):
    """{peer: state} over every BGP session of the router."""
    data = router.json("show bgp ipv4 unicast summary")
    return {p: v.get("state") for p, v in data.get("peers", {}).items()}


def all_established(fabric, timeout=90):
    for name, r in fabric["routers"].items():
        model = fabric["model"]
        expect = len((model["nodes"].get(name) or {}).get("uplinks", [])) or \
            len(model["switches"][name]["ports"]) + len(model["switches"][name]["uplinks"])
        wait_for(lambda r=r, n=expect: (len(sessions(r)) == n and set(sessions(r).values()) == {"Established"},
                                        sessions(r)), timeout, "%d sessions Established on %s" % (expect, name))


def nexthops(router, prefix):
    """The kernel's nexthop devices for prefix (a multipath route, or a nexthop group)."""
    routes = json.loads(sh("ip", "-j", "route", "show", prefix, ns=router.name).stdout or "[]")
    if not routes:
        return []
    route = routes[0]
    if route.get("nexthops"):
        return sorted(h["dev"] for h in route["nexthops"])
    if route.get("nhid") is not None:
        group = json.loads(sh("ip", "-j", "nexthop", "show", "id", str(route["nhid"]), ns=router.name).stdout)[0]
        members = [m["id"] for m in group.get("group", [])] or [route["nhid"]]
        devs = []
        for member in members:
            nh = json.loads(sh("ip", "-j", "nexthop", "show", "id", str(member), ns=router.name).stdout)[0]
            devs.append(nh["dev"])
        return sorted(devs)
    return [route["dev"]] if "dev" in route else []


def remote_loopback(fabric, name):
    """A loopback in the other rack."""
    model = fabric["model"]
    rack = model["nodes"][name]["rack"]
    other = next(n for n in sorted(model["nodes"]) if model["nodes"][n]["rack"] != rack)
    return other, model["nodes"][other]["loopback"]


def test_sessions_established(fabric):
    all_established(fabric)
    print("all %d routers' sessions Established %.1fs after start"
          % (len(fabric["routers"]), time.time() - fabric["started"]))


def test_rack_aware_asns_reused(fabric):
    """The model reused the server ASNs per rack and one AS for the ToRs."""
    nodes = fabric["model"]["nodes"]
    assert nodes["node-11"]["asn"] == nodes["node-21"]["asn"] == 65001
    assert {s["asn"] for s in fabric["model"]["switches"].values() if s["tier"] == "tor"} == {65100}


def test_every_loopback_reachable_across_racks(fabric):
    all_established(fabric)
    nodes = fabric["model"]["nodes"]
    for name, node in sorted(nodes.items()):
        r = fabric["routers"][name]
        for other, peer in sorted(nodes.items()):
            if other == name:
                continue
            wait_for(lambda r=r, p=peer: (bool(nexthops(r, p["loopback"])), None), 60,
                     "route to %s on %s" % (other, name))
            for block in peer["pod_blocks"]["4"]:
                wait_for(lambda r=r, b=block: (bool(nexthops(r, b)), None), 60,
                         "route to %s's block %s on %s" % (other, block, name))
            res = sh("ping", "-c", "1", "-W", "2", "-I", node["loopback"], peer["loopback"], ns=r.name, check=False)
            assert res.returncode == 0, "ping %s -> %s: %s" % (name, other, res.stdout)


def test_same_asn_in_the_path_is_accepted(fabric):
    """node-21 has node-11's ASN: its route to node-11 crosses 65001 again
    (allowas-in, derived by the model) and is still installed."""
    all_established(fabric)
    r = fabric["routers"]["node-21"]
    prefix = fabric["model"]["nodes"]["node-11"]["loopback"] + "/32"
    wait_for(lambda: (prefix in r.json("show bgp ipv4 unicast").get("routes", {}), None), 60, "route on node-21")
    paths = r.json("show bgp ipv4 unicast %s" % prefix)["paths"]
    assert any("65001" in p["aspath"]["string"].split() for p in paths), paths


def test_dual_homed_route_has_two_nexthops(fabric):
    all_established(fabric)
    r = fabric["routers"]["node-11"]
    _other, loopback = remote_loopback(fabric, "node-11")
    devs = wait_for(lambda: (nexthops(r, loopback) == ["ens1", "ens2"], nexthops(r, loopback)), 60,
                    "two nexthops to %s on node-11" % loopback)
    assert devs == ["ens1", "ens2"]


def test_uplink_down_leaves_one_nexthop_and_traffic(fabric):
    all_established(fabric)
    r = fabric["routers"]["node-11"]
    _other, loopback = remote_loopback(fabric, "node-11")
    own = fabric["model"]["nodes"]["node-11"]["loopback"]
    wait_for(lambda: (nexthops(r, loopback) == ["ens1", "ens2"], nexthops(r, loopback)), 60, "ECMP first")
    sh("ip", "link", "set", "ens1", "down", ns=r.name)
    try:
        wait_for(lambda: (nexthops(r, loopback) == ["ens2"], nexthops(r, loopback)), 10, "one nexthop left")
        res = sh("ping", "-c", "2", "-W", "2", "-I", own, loopback, ns=r.name, check=False)
        assert res.returncode == 0, res.stdout
    finally:
        sh("ip", "link", "set", "ens1", "up", ns=r.name)
    wait_for(lambda: (nexthops(r, loopback) == ["ens1", "ens2"], nexthops(r, loopback)), 90, "ECMP back")


def _drop_bgp_and_bfd(router, dev, add):
    op = "-I" if add else "-D"
    for tool in ("iptables", "ip6tables"):
        for chain, direction in (("INPUT", "-i"), ("OUTPUT", "-o")):
            sh(tool, op, chain, direction, dev, "-p", "tcp", "--dport", "179", "-j", "DROP", ns=router.name)
            sh(tool, op, chain, direction, dev, "-p", "tcp", "--sport", "179", "-j", "DROP", ns=router.name)
            for port in BFD_PORTS:
                sh(tool, op, chain, direction, dev, "-p", "udp", "--dport", port, "-j", "DROP", ns=router.name)


def test_bfd_drops_a_silently_failed_path_within_a_second(fabric):
    """The link stays up; BGP and BFD packets on it are dropped. BFD (3 x
    100 ms) takes the session down and the kernel route loses that nexthop;
    without BFD only the hold time (9 s, datacenter profile) would."""
    all_established(fabric)
    r = fabric["routers"]["node-11"]
    _other, loopback = remote_loopback(fabric, "node-11")
    wait_for(lambda: (nexthops(r, loopback) == ["ens1", "ens2"], nexthops(r, loopback)), 60, "ECMP first")
    peers = r.json("show bfd peers")
    assert len([p for p in peers if p.get("status") == "up"]) == 2, peers
    began = time.monotonic()
    _drop_bgp_and_bfd(r, "ens1", add=True)
    try:
        wait_for(lambda: (nexthops(r, loopback) == ["ens2"], nexthops(r, loopback)), 10, "BFD failover")
        took = time.monotonic() - began
        print("silent path failure -> one nexthop left after %.2fs (BFD 3 x 100 ms)" % took)
        assert took <= 1.0, took
    finally:
        _drop_bgp_and_bfd(r, "ens1", add=False)
    wait_for(lambda: (nexthops(r, loopback) == ["ens1", "ens2"], nexthops(r, loopback)), 90, "ECMP back")


def test_servers_policy_does_not_grow_with_the_fabric(fabric):
    """A server's inbound policy is the aggregates: one line per range."""
    text = render_node_conf(fabric["model"], "node-11")
    assert [line for line in text.splitlines() if line.startswith("ip prefix-list FABRIC-IN-V4")] == [
        "ip prefix-list FABRIC-IN-V4 seq 5 permit 10.254.0.0/16 le 32",
        "ip prefix-list FABRIC-IN-V4 seq 10 permit 10.128.0.0/14 le 26",
        "ip prefix-list FABRIC-IN-V4 seq 15 deny 0.0.0.0/0 le 32",
    ]
    for other in fabric["model"]["nodes"].values():
        if other["name"] != "node-11":
            assert str(ipaddress.ip_address(other["loopback"])) not in text
