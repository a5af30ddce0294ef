# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The verify evaluation as data (model/verify) and its three readers
(render/verify): what verify.yml saw against the seed-000 cluster and a
dual-homed fabric of two servers on two ToRs. The JUnit file is parsed, the
DOT graph is drawn by the real Graphviz and the SVG parsed."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import build_cluster_model
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric
from ansible_collections.clusternet.fabric.plugins.module_utils.model.verify import (
    boot_scripts,
    dns_queries,
    evaluate,
    parse_dig,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render.verify import (
    COLOUR,
    fabric_dot,
    junit_xml,
    report_lines,
)

from test_cluster_model import dual_stack_pair, load_seed000  # pylint: disable=import-error
from test_jumphost import ipv6_only  # pylint: disable=import-error

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def cluster():
    groups, hostvars = load_seed000()
    hostvars = {h: dict(hv, cluster_boot_enabled=True) for h, hv in hostvars.items()}
    return build_cluster_model(groups, hostvars)


@pytest.fixture(scope="module")
def fabric():
    nodes = {name: {"frr_loopback": "10.254.0.%d/32" % (31 + i),
                    "frr_uplinks": [{"name": "ens4", "tor": "tor-a", "tor_port": "swp%d" % (i + 1)},
                                    {"name": "ens5", "tor": "tor-b", "tor_port": "swp%d" % (i + 1)}],
                    "frr_pod_blocks": ["10.128.%d.0/26" % i]}
             for i, name in enumerate(("node-a", "node-b"))}
    tors = {"tor-a": {"frr_asn": 65100, "frr_loopback": "10.254.1.1/32"},
            "tor-b": {"frr_asn": 65101, "frr_loopback": "10.254.1.2/32"}}
    return build_fabric(nodes, tors, settings={"asn_base": 65001, "loopback_ranges": ["10.254.0.0/16"],
                                               "pod_ranges": ["10.128.0.0/14"]})


def dig_text(cluster, reverse=False):
    lines = []
    for name, kind in dns_queries(cluster):
        value = None
        if kind == "PTR":
            value = next(n["fqdn"] + "." for n in cluster["nodes"] if n["ptr"] == name)
        elif name.startswith(("api.", "api-int.", "console-")):
            value = cluster["lb_address"]
        else:
            value = next(n["ip"] for n in cluster["nodes"] if n["fqdn"] == name)
        lines.append("%s.\t0\tIN\t%s\t%s" % (name, kind, value))
    return "\n".join(reversed(lines) if reverse else lines)


def summary(peers):
    """FRR's `show bgp summary json`: {interface: (state, received, sent)}."""
    return json.dumps({"ipv4Unicast": {"peers": {i: {"state": st, "remoteAs": 65100, "pfxRcd": r, "pfxSnt": s}
                                                 for i, (st, r, s) in peers.items()}}})


def observed_ok(cluster, fabric):
    backends = []
    for node in cluster["nodes"]:
        if node["role"] in ("bootstrap", "master"):
            backends += [["api", node["name"], "UP"], ["machine-config", node["name"], "UP"]]
        if node["name"] in cluster["ingress"]:
            backends += [["ingress-http", node["name"], "UP"], ["ingress-https", node["name"], "UP"]]
    leases = "\n".join("1700000000 %s %s %s *" % (n["mac"], n["ip"], n["name"]) for n in cluster["nodes"] if n["mac"])
    tor_peers = {"swp1": ("Established", 2, 3), "swp2": ("Established", 2, 3)}
    routes = ["10.254.0.31/32", "10.254.0.32/32", "10.128.0.0/26", "10.128.1.0/26"]
    return {
        "jumphosts": {"jumphost": {"leases": leases, "dns": dig_text(cluster), "dns_server": "192.168.126.10",
                                   "backends": backends, "vip": False,
                                   "boot": {"server": "192.168.126.10:8080",
                                            "status": {s: 200 for s in boot_scripts(cluster)}}}},
        "tors": {t: {"summary": summary(tor_peers), "routes": routes} for t in ("tor-a", "tor-b")},
        "nodes": {n: {"summary": summary({"ens4": ("Established", 3, 2), "ens5": ("Established", 3, 2)}),
                      "blocks": [b], "peer": p, "ping": True, "nexthops": 2}
                  for n, b, p in (("node-a", "10.128.0.0/26", "node-b"), ("node-b", "10.128.1.0/26", "node-a"))},
        "api": {"machineconfigs": ["99-worker-clusternet-routes"], "networks": {"net1": "{}"},
                "attach": {"network": "net1", "nodes": ["worker-0", "worker-1"],
                           "addresses": ["10.0.201.29/24", "10.0.201.30/24"], "ok": True, "output": ""}},
    }


EXPECT = {"machineconfig_pools": ["worker"], "networks": ["net1"]}


def by_status(result, status):
    return sorted(c["id"] for c in result["checks"] if c["status"] == status)


def test_everything_passes_and_each_check_is_there_once(cluster, fabric):
    result = evaluate(cluster, fabric, observed_ok(cluster, fabric), EXPECT)
    assert result["ok"] and result["failed"] == [] and by_status(result, "failed") == []
    ids = [c["id"] for c in result["checks"]]
    assert len(ids) == len(set(ids))
    nodes = [n for n in cluster["nodes"] if n["mac"]]
    assert sum(1 for i in ids if i.startswith("dhcp/")) == len(nodes)
    assert sum(1 for i in ids if i.startswith("dns/jumphost/") and i.endswith("/A")) == len(cluster["nodes"]) + 3
    assert sorted(i for i in ids if i.startswith("bgp/")) == [
        "bgp/node-a/tor-a:swp1", "bgp/node-a/tor-b:swp1", "bgp/node-b/tor-a:swp2", "bgp/node-b/tor-b:swp2"]
    assert {"reach/node-a", "ecmp/node-b", "blackholes/node-a", "frr/tor-b", "api/machineconfigs",
            "api/network/net1", "attach/net1", "boot/jumphost/boot.ipxe"} <= set(ids)
    assert result["summary"] == {"passed": len(ids), "failed": 0, "skipped": 0, "checks": len(ids)}
    session = next(s for s in result["sessions"] if s["node"] == "node-a" and s["tor"] == "tor-a")
    assert session == {"node": "node-a", "node_port": "ens4", "tor": "tor-a", "tor_port": "swp1", "rack": "default",
                       "asn": 65001, "remote_as": 65100, "state": "Established", "received": 2,
                       "expected_received": 2, "sent": 3, "expected_sent_min": 1, "missing_routes": [],
                       "status": "passed"}
    json.dumps(result)  # the JSON file is this dict


def test_answer_order_does_not_matter(cluster, fabric):
    seen = observed_ok(cluster, fabric)
    seen["jumphosts"]["jumphost"]["dns"] = dig_text(cluster, reverse=True)
    assert evaluate(cluster, fabric, seen, EXPECT)["ok"]
    assert parse_dig("a.example.\t5\tIN\tA\t1.2.3.4\n;; comment\nb.\t5\tIN\tPTR\tA.Example.") == {
        ("a.example", "A"): ["1.2.3.4"], ("b", "PTR"): ["a.example"]}


def test_a_stopped_frr_is_one_failure_and_its_consequences_are_skipped(cluster, fabric):
    seen = observed_ok(cluster, fabric)
    seen["nodes"]["node-b"].update(summary="", error="Error: no container with name or ID frr", blocks=[],
                                   ping=False, nexthops=0)
    seen["nodes"]["node-a"].update(ping=False, nexthops=0)
    for tor in ("tor-a", "tor-b"):
        seen["tors"][tor]["summary"] = summary({"swp1": ("Established", 2, 1), "swp2": ("Active", 0, 0)})
        seen["tors"][tor]["routes"] = ["10.254.0.31/32", "10.128.0.0/26"]
    result = evaluate(cluster, fabric, seen, EXPECT)
    assert not result["ok"]
    assert by_status(result, "failed") == ["frr/node-b"]
    assert by_status(result, "skipped") == ["bgp/node-b/tor-a:swp2", "bgp/node-b/tor-b:swp2", "blackholes/node-b",
                                            "ecmp/node-a", "ecmp/node-b", "reach/node-a", "reach/node-b"]
    assert result["failed"] == ["node-b: FRR does not answer (vtysh: Error: no container with name or ID frr)"]
    lines = report_lines(result, cluster, fabric)
    assert [line for line in lines if line.startswith("FAILED")] == ["FAILED frr/node-b: " + result["failed"][0]]
    total = len(result["checks"])
    assert lines[-1] == "checks: %d passed, 1 failed, 7 skipped (of %d)" % (total - 8, total)
    suite = ET.fromstring(junit_xml(result))
    failures = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failures == ["frr/node-b"] and suite.get("failures") == "1" and suite.get("skipped") == "7"


def test_a_session_down_alone_fails_itself(cluster, fabric):
    seen = observed_ok(cluster, fabric)
    seen["tors"]["tor-b"]["summary"] = summary({"swp1": ("Established", 2, 3), "swp2": ("Connect", 0, 0)})
    seen["nodes"]["node-a"]["nexthops"] = 1
    result = evaluate(cluster, fabric, seen, EXPECT)
    assert by_status(result, "failed") == ["bgp/node-b/tor-b:swp2"]
    assert by_status(result, "skipped") == ["ecmp/node-a"]
    assert "session is Connect" in result["failed"][0]


def test_prefix_counts_against_the_model(cluster, fabric):
    seen = observed_ok(cluster, fabric)
    # the ToR accepted only the loopback of node-a (the pod block was filtered) and sent nothing
    seen["tors"]["tor-a"]["summary"] = summary({"swp1": ("Established", 1, 0), "swp2": ("Established", 2, 3)})
    seen["tors"]["tor-a"]["routes"] = ["10.254.0.31/32", "10.254.0.32/32", "10.128.1.0/26"]
    result = evaluate(cluster, fabric, seen, EXPECT)
    assert by_status(result, "failed") == ["bgp/node-a/tor-a:swp1"]
    check = next(c for c in result["checks"] if c["id"] == "bgp/node-a/tor-a:swp1")
    assert check["observed"] == {"state": "Established", "received": 1, "sent": 0, "missing": ["10.128.0.0/26"]}
    assert "received 1 of the 2 prefixes" in check["message"] and "at least 1 expected" in check["message"]


@pytest.mark.parametrize("break_it, failed", [
    (lambda s, c: s["jumphosts"]["jumphost"].update(
        leases=s["jumphosts"]["jumphost"]["leases"].replace(" master-1 ", " other ")), ["dhcp/master-1"]),
    (lambda s, c: s["jumphosts"]["jumphost"]["backends"].__setitem__(0, ["api", "bootstrap", "DOWN"]),
     ["load-balancer/jumphost/api/bootstrap"]),
    (lambda s, c: s["jumphosts"]["jumphost"].update(dns=re.sub(r"(?m)^((api|console)\S+\t0\tIN\tA)\t.*$", r"\1\t10.9.9.9",
                                                               dig_text(c))),
     ["dns/jumphost/*.apps/A", "dns/jumphost/api-int/A", "dns/jumphost/api/A"]),
    (lambda s, c: s["jumphosts"]["jumphost"]["boot"]["status"].update({"boot.ipxe": 404}),
     ["boot/jumphost/boot.ipxe"]),
    (lambda s, c: s["api"].update(machineconfigs=[]), ["api/machineconfigs"]),
    (lambda s, c: s["api"]["attach"].update(ok=False), ["attach/net1"]),
    (lambda s, c: s["nodes"]["node-a"].update(blocks=[]), ["blackholes/node-a"]),
    (lambda s, c: s["jumphosts"].update(jumphost=None), ["reached/jumphost"]),
    (lambda s, c: s["tors"].update({"tor-a": None}), ["frr/tor-a"]),
])
def test_each_break_fails_exactly_its_check(cluster, fabric, break_it, failed):
    seen = copy.deepcopy(observed_ok(cluster, fabric))
    break_it(seen, cluster)
    result = evaluate(cluster, fabric, seen, EXPECT)
    assert by_status(result, "failed") == failed, result["failed"]
    assert len(result["failed"]) == len(failed)


def test_unreached_tor_explains_its_sessions(cluster, fabric):
    seen = observed_ok(cluster, fabric)
    seen["tors"]["tor-a"] = None
    result = evaluate(cluster, fabric, seen, EXPECT)
    assert "not reached" in result["failed"][0]
    assert by_status(result, "skipped") == ["bgp/node-a/tor-a:swp1", "bgp/node-b/tor-a:swp2"]


def test_report_rows(cluster, fabric):
    result = evaluate(cluster, fabric, observed_ok(cluster, fabric), EXPECT)
    text = "\n".join(report_lines(result, cluster, fabric))
    assert "master-0     master    192.168.126.21   ok    ok    ok    api mcs http https" in text
    assert "wildcard *.apps  -> 192.168.126.10" in text
    assert "boot scripts     -> 192.168.126.10:8080 %d/%d" % ((len(boot_scripts(cluster)),) * 2) in text
    assert "node-a      65001 10.254.0.31     tor-a:swp1 Established 2/2   3     ok   ok   2" in text
    assert "machineconfigs   99-worker-clusternet-routes   ok" in text
    assert "net1             on the API server" in text
    assert "attach (net1)    worker-0 10.0.201.29/24 -> worker-1 10.0.201.30/24 ping ok" in text
    assert text.endswith("checks: %d passed, 0 failed, 0 skipped (of %d)" % ((len(result["checks"]),) * 2))


def test_the_picture_is_drawn_by_graphviz(cluster, fabric):
    seen = observed_ok(cluster, fabric)
    seen["tors"]["tor-b"]["summary"] = summary({"swp1": ("Established", 2, 3), "swp2": ("Connect", 0, 0)})
    result = evaluate(cluster, fabric, seen, EXPECT)
    svg = subprocess.run(["dot", "-Tsvg"], input=fabric_dot(result, fabric), capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(svg)
    nodes = [g.find(SVG + "title").text for g in root.iter(SVG + "g") if g.get("class") == "node"]
    assert sorted(nodes) == ["node-a", "node-b", "tor-a", "tor-b"]
    edges = {g.find(SVG + "title").text: g.find(SVG + "path").get("stroke")
             for g in root.iter(SVG + "g") if "edge" in (g.get("class") or "")}
    # a line per session: node-b's second uplink is down, in the failure colour
    assert edges == {"node-a--tor-a": COLOUR["ok"], "node-a--tor-b": COLOUR["ok"], "node-b--tor-a": COLOUR["ok"],
                     "node-b--tor-b": COLOUR["failed"]}


def test_racks_each_tor_passes_on_its_own_rack():
    """Three racks of three servers, each rack on its own ToR: a server expects from
    its ToR the other servers' loopbacks that ToR learned (its rack's two), not the
    fabric's eight; a ToR that lost one server's loopback expects one fewer. The
    report, the JUnit file and the picture name every server and session once."""
    nodes = {"r%d-n%d" % (r, i): {"frr_loopback": "10.254.%d.%d/32" % (r, i + 1), "frr_rack": "r%d" % r,
                                  "frr_uplinks": [{"name": "ens4", "tor": "tor-r%d" % r, "tor_port": "swp%d" % i}],
                                  "frr_pod_blocks": ["10.128.%d.%d/26" % (r, 64 * i)]}
             for r in range(3) for i in range(3)}
    tors = {"tor-r%d" % r: {"frr_asn": 65100 + r, "frr_loopback": "10.254.9.%d/32" % r, "frr_rack": "r%d" % r}
            for r in range(3)}
    fabric = build_fabric(nodes, tors, settings={"asn_base": 65001, "loopback_ranges": ["10.254.0.0/16"],
                                                 "pod_ranges": ["10.128.0.0/14"]})
    seen_tors = {}
    for r in range(3):
        members = ["r%d-n%d" % (r, i) for i in range(3)]
        routes = [nodes[m]["frr_loopback"] for m in members] + [nodes[m]["frr_pod_blocks"][0] for m in members]
        if r == 2:
            routes.remove(nodes["r2-n0"]["frr_loopback"])
        seen_tors["tor-r%d" % r] = {"summary": summary({"swp%d" % i: ("Established", 2, 9) for i in range(3)}),
                                    "routes": routes}
    seen = {"tors": seen_tors, "nodes": {n: {"summary": summary({"ens4": ("Established", 9, 2)})} for n in nodes}}
    result = evaluate(None, fabric, seen, {})
    sent_min = {s["node"]: s["expected_sent_min"] for s in result["sessions"]}
    assert sent_min == {"r0-n0": 2, "r0-n1": 2, "r0-n2": 2, "r1-n0": 2, "r1-n1": 2, "r1-n2": 2,
                        "r2-n0": 2, "r2-n1": 1, "r2-n2": 1}, sent_min
    # (the nodes' blackholes, pings and ECMP width were not collected here: those fail)
    assert [c["id"] for c in result["checks"] if c["status"] == "failed" and c["id"].startswith("bgp/")] == [
        "bgp/r2-n0/tor-r2:swp0"]
    text = "\n".join(report_lines(result, None, fabric))
    assert all(len(re.findall(r"^%s\s" % n, text, re.M)) == 1 for n in nodes), text
    dot = fabric_dot(result, fabric)
    assert dot.count(" -- ") == 9 and dot.count("subgraph cluster_") == 3
    root = ET.fromstring(junit_xml(result))
    # FRR answers (3 ToRs, 9 servers), 9 sessions, 9 servers' blackholes
    assert {s.get("name"): s.get("tests") for s in root.iter("testsuite")} == {"bgp": str(3 + 9 + 9 + 9)}


def test_an_ipv6_only_cluster_is_asked_for_aaaa_records():
    cluster6 = build_cluster_model(*ipv6_only(load_seed000()))
    queries = dns_queries(cluster6)
    assert ("master-0.test.example.local", "AAAA") in queries and not [q for q in queries if q[1] == "A"]
    seen = {"dns": dig_text(cluster6), "dns_server": "fd00:126::10", "backends": [], "vip": False}
    result = evaluate(cluster6, None, {"jumphosts": {"jump-0": seen}})
    assert "dns/jump-0/master-0/AAAA" in by_status(result, "passed")
    assert "dns/jump-0/api/AAAA" in by_status(result, "passed")
    assert not [c for c in by_status(result, "failed") if c.startswith("dns/")]


def test_a_dual_stack_pair_checks_the_ipv6_vip_is_with_the_vip():
    pair6 = build_cluster_model(*dual_stack_pair(load_seed000()))
    jumphosts = {h: {"dns": "", "dns_server": ip, "backends": [], "vip": h == "jump-0", "vip6": h == "jump-0"}
                 for h, ip in (("jump-0", "192.168.126.10"), ("jump-1", "192.168.126.11"))}
    result = evaluate(pair6, None, {"jumphosts": jumphosts})
    assert {"vip", "vip6"} <= set(by_status(result, "passed"))
    jumphosts["jump-0"]["vip6"], jumphosts["jump-1"]["vip6"] = False, True
    result = evaluate(pair6, None, {"jumphosts": jumphosts})
    assert by_status(result, "failed").count("vip6") == 1 and "vip" in by_status(result, "passed")
    assert any("the IPv6 VIP fd00:126::9 is held by ['jump-1'], the VIP by ['jump-0']" in m for m in result["failed"])
    assert report_lines(result, pair6)[0].startswith("cluster test.example.local   load balancer 192.168.126.9 fd00:126::9")
