# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fabric model and its BGP policy, tested as data: racks, ports, ASN
plans, derived allowas-in and limits, and every refusal with its field, host
and value (before anything is rendered)."""

from __future__ import annotations

import copy
import json
import os

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.checks import InputError
from ansible_collections.clusternet.fabric.plugins.module_utils.model import bgp
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric, session_states, sessions
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import render_node_conf

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "..", "..", "golden", "frr")


def case(name):
    with open(os.path.join(GOLDEN, name, "input.yml")) as f:
        return yaml.safe_load(f)


def build(data, **changes):
    """build_fabric on a copy of data; changes: {tier: {host: {var: value}}} or settings={...}."""
    data = copy.deepcopy(data)
    for tier, hosts in changes.items():
        if tier == "settings":
            data.setdefault("settings", {}).update(hosts)
            continue
        for host, hv in hosts.items():
            data[tier].setdefault(host, {}).update(hv)
    return build_fabric(**data)


SEED = case("seed003")
RACKS = case("two-racks")


def refused(pattern, data, **changes):
    with pytest.raises(InputError, match=pattern):
        build(data, **changes)


def test_seed_builds_with_derived_aggregates():
    fabric = build(SEED)
    assert fabric["nodes"]["c2"]["asn"] == 65002 and fabric["nodes"]["c2"]["rack"] == "default"
    assert fabric["switches"]["tor-cumulus-1"]["ports"] == [
        {"port": "swp1", "peer": "c1", "peer_port": "ens3", "peer_tier": "node"},
        {"port": "swp2", "peer": "c2", "peer_port": "ens3", "peer_tier": "node"},
        {"port": "swp3", "peer": "c3", "peer_port": "ens3", "peer_tier": "node"}]
    # the seed's scattered loopbacks collapse to themselves, the ToR's included
    assert fabric["ranges"]["loopbacks"]["4"] == ["1.1.1.1/32", "2.2.2.2/32", "3.3.3.3/32", "4.4.4.4/32"]
    assert fabric["warnings"] == []


def test_racks_and_rack_aware_asns():
    fabric = build(RACKS)
    assert fabric["racks"]["r1"] == {"name": "r1", "tors": ["tor-1a", "tor-1b"], "nodes": ["node-11", "node-12"]}
    asns = {n: v["asn"] for n, v in fabric["nodes"].items()}
    assert asns == {"node-11": 65001, "node-12": 65002, "node-21": 65001, "node-22": 65002}
    # every ASN repeats somewhere: allowas-in on the servers and on the ToRs' spine sessions
    assert all(n["allowas_in"] for n in fabric["nodes"].values())
    assert {n: s["allowas_in"] for n, s in fabric["switches"].items()} == {
        "spine-0": False, "spine-1": False, "tor-1a": True, "tor-1b": True, "tor-2a": True, "tor-2b": True}


def test_unique_plan_needs_no_allowas_in():
    fabric = build(SEED)
    assert not any(n["allowas_in"] for n in fabric["nodes"].values())
    cfg = bgp.node_config(fabric, "c1")
    assert not cfg.peer_groups[0].families[0].allowas_in


def test_node_policy_is_the_aggregates():
    cfg = bgp.node_config(build(RACKS), "node-11")
    fabric_in = next(p for p in cfg.prefix_lists if p.name == "FABRIC-IN-V4")
    assert fabric_in.rules == [bgp.PrefixRule("permit", "10.254.0.0/16", le=32),
                               bgp.PrefixRule("permit", "10.128.0.0/14", le=26),
                               bgp.PrefixRule("deny", "0.0.0.0/0", le=32)]
    own = next(p for p in cfg.prefix_lists if p.name == "NODE-OWN-V4")
    assert [r.prefix for r in own.rules if r.action == "permit"] == ["10.254.1.1/32", "10.128.1.0/26"]
    assert [n.interface for n in cfg.neighbors] == ["ens1", "ens2"]
    assert cfg.peer_groups[0].bfd_profile == "fabric" and cfg.bfd_profile.interval == 100


def test_node_conf_size_does_not_grow_with_the_fabric():
    """Twice the racks: the servers' files differ only in their own lines."""
    big = copy.deepcopy(RACKS)
    for name, hv in list(RACKS["nodes"].items()):
        for rack in (3, 4):
            new = copy.deepcopy(hv)
            new["frr_loopback"] = hv["frr_loopback"].replace("10.254.", "10.254.%d" % rack, 1)
            new["frr_pod_blocks"] = [b.replace("10.128.", "10.128.%d" % rack, 1) for b in hv["frr_pod_blocks"]]
            new["frr_uplinks"] = [dict(u, tor=u["tor"].replace("tor-", "tor-%d" % rack)) for u in hv["frr_uplinks"]]
            big["nodes"][name.replace("node-", "node-%d" % rack)] = new
    for name, hv in list(RACKS["tors"].items()):
        for rack in (3, 4):
            new = copy.deepcopy(hv)
            new["frr_rack"] = "r%d%s" % (rack, hv["frr_rack"])
            new["frr_loopback"] = hv["frr_loopback"].replace("10.254.", "10.254.%d" % rack, 1)
            new["frr_uplinks"] = [dict(u, spine_port=u["spine_port"] + "-%d" % rack) for u in hv["frr_uplinks"]]
            big["tors"][name.replace("tor-", "tor-%d" % rack)] = new
    small, large = build(RACKS), build(big)
    assert len(large["nodes"]) == 12
    assert len(render_node_conf(small, "node-11")) == len(render_node_conf(large, "node-11"))


def test_max_prefix_derived_with_headroom_and_checked():
    fabric = build(RACKS)
    # 10 loopbacks + 4 blocks announced: 2x headroom, a power of two, at least 128
    assert fabric["max_prefix"]["4"] == {"fabric": 128, "server": 128}
    cfg = bgp.node_config(fabric, "node-11")
    assert cfg.peer_groups[0].families[0].max_prefix == 128
    assert cfg.peer_groups[0].families[0].max_prefix_restart == 5
    refused(r"frr_max_prefix is 10: below the 14 prefixes the fabric announces in IPv4", RACKS,
            settings={"max_prefix": 10})


def test_tor_accepts_each_server_only_its_own():
    cfg = bgp.switch_config(build(RACKS), "tor-1a")
    swp1 = next(n for n in cfg.neighbors if n.interface == "swp1")
    assert swp1.route_map_in == {4: "SERVER-node-11-IN-V4"}
    own = next(p for p in cfg.prefix_lists if p.name == "SERVER-node-11-V4")
    assert [r.prefix for r in own.rules if r.action == "permit"] == ["10.254.1.1/32", "10.128.1.0/26"]
    assert [g.name for g in cfg.peer_groups] == ["SERVERS", "SPINES"]
    spines = cfg.peer_groups[1].families[0]
    assert spines.allowas_in and spines.route_map_in == "SPINES-IN-V4"


def test_spine_ports_from_the_tors_uplinks():
    cfg = bgp.switch_config(build(RACKS), "spine-0")
    assert [(n.interface, n.description) for n in cfg.neighbors] == [
        ("swp1", "tor-1a:swp50"), ("swp2", "tor-1b:swp50"), ("swp3", "tor-2a:swp50"), ("swp4", "tor-2b:swp50")]
    assert not cfg.peer_groups[0].families[0].allowas_in


@pytest.mark.parametrize("changes,pattern", [
    ({"nodes": {"node-12": {"frr_uplinks": [{"name": "ens1", "tor": "tor-1a", "tor_port": "swp1"}]}}},
     r"frr_uplinks\[0\].tor_port of node-12 is 'swp1': port swp1 of tor-1a is already cabled to node-11"),
    ({"nodes": {"node-11": {"frr_uplinks": [{"name": "ens1", "tor": "tor-9", "tor_port": "swp1"}]}}},
     r"frr_uplinks\[0\].tor of node-11 is 'tor-9': not a tor of the inventory \(known: tor-1a, tor-1b"),
    ({"nodes": {"node-11": {"frr_uplinks": [{"name": "ens1", "tor": "spine-0", "tor_port": "swp9"}]}}},
     r"frr_uplinks\[0\].tor of node-11 is 'spine-0': not a tor of the inventory"),
    ({"nodes": {"node-11": {"frr_uplinks": [{"name": "ens1", "tor": "tor-1a", "tor_port": "swp7"},
                                            {"name": "ens2", "tor": "tor-2a", "tor_port": "swp7"}]}}},
     r"frr_uplinks of node-11 is \['tor-1a', 'tor-2a'\]: reach ToRs of different racks \(r1, r2\)"),
    ({"nodes": {"node-11": {"frr_rack": "r2"}}}, r"frr_rack of node-11 is 'r2': its ToRs are in rack r1"),
    ({"nodes": {"node-12": {"frr_asn": 65001}}},
     r"frr_asn of node-12 is 65001: already used by node-11 in rack r1"),
    ({"nodes": {"node-11": {"frr_asn": 65100}}}, r"frr_asn of node-11 is 65100: the AS of tor-1a"),
    ({"tors": {"tor-1a": {"frr_asn": 65500}}}, r"frr_asn of tor-1a is 65500: also the AS of spine-0"),
    ({"nodes": {"node-21": {"frr_loopback": "10.254.1.1/32"}}},
     r"frr_loopback of node-21 is '10.254.1.1': already the loopback of node-11"),
    ({"nodes": {"node-21": {"frr_pod_blocks": ["10.128.1.0/25"]}}},
     r"frr_pod_blocks of node-11 is '10.128.1.0/26': overlaps 10.128.1.0/25 of node-21"),
    ({"nodes": {"node-21": {"frr_pod_blocks": ["10.254.1.0/24"]}}},
     r"frr_pod_blocks of node-21 is '10.254.1.0/24': (contains the loopback|outside frr_pod_ranges)"),
    ({"nodes": {"node-11": {"frr_loopback": "10.9.0.1/32"}}},
     r"frr_loopback of node-11 is '10.9.0.1/32': outside frr_loopback_ranges 10.254.0.0/16"),
    ({"tors": {"tor-1a": {"frr_tor_asn": 65100}}},
     r"frr_tor_asn of tor-1a is 65100: renamed to frr_asn"),
    ({"tors": {"tor-1a": {"frr_uplinks": [{"name": "swp1", "spine": "spine-0", "spine_port": "swp9"}]}}},
     r"frr_uplinks of node-11 is 'swp1': port swp1 of tor-1a is its uplink to a spine"),
    ({"settings": {"asn_plan": "per-rack"}}, r"frr_asn_plan is 'per-rack': one of unique, rack"),
    ({"settings": {"asn_plan": "unique"}, "nodes": {"node-21": {"frr_asn": 65001}}},
     r"frr_asn of node-21 is 65001: already used by node-11 in the fabric"),
])
def test_refused_before_rendering(changes, pattern):
    refused(pattern, RACKS, **changes)


def test_unique_plan_refuses_tors_sharing_an_asn():
    data = copy.deepcopy(RACKS)
    for n in data["nodes"].values():
        n.pop("frr_asn", None)
    data["settings"]["asn_plan"] = "unique"
    with pytest.raises(InputError, match=r"frr_asn of tor-1b is 65100: already used by the ToR tor-1a"):
        build_fabric(**data)


@pytest.mark.parametrize("tier,host,var,value", [
    ("nodes", "node-11", "frr_loopback", "10.254.1.1/32\ninjected"),
    ("nodes", "node-11", "frr_uplinks", [{"name": "ens1\n", "tor": "tor-1a", "tor_port": "swp1"}]),
    ("nodes", "node-11", "frr_uplinks", [{"name": "ens1", "tor": "tor-1a", "tor_port": "swp1\nx"}]),
    ("nodes", "node-11", "frr_pod_blocks", ["10.128.1.0/26\n"]),
    ("nodes", "node-11", "frr_asn", "65001\n"),
    ("tors", "tor-1a", "frr_rack", "r1\nrouter bgp 1"),
    ("settings", None, "log", "syslog\nline vty"),
    ("settings", None, "accept_prefixes", ["10.0.0.0/8\nle 32"]),
])
def test_line_breaks_refused_naming_the_field(tier, host, var, value):
    changes = {"settings": {var: value}} if tier == "settings" else {tier: {host: {var: value}}}
    with pytest.raises(InputError) as exc:
        build(RACKS, **changes)
    assert exc.value.field.startswith(var if tier != "settings" else "frr_" + var), exc.value


def test_host_name_with_a_line_break_is_refused():
    data = copy.deepcopy(SEED)
    data["nodes"]["c1\nrouter bgp 1"] = data["nodes"].pop("c1")
    with pytest.raises(InputError, match=r"host name"):
        build_fabric(**data)


def test_sessions_of_a_server_a_tor_and_a_spine():
    fabric = build(RACKS)
    node = sorted(fabric["nodes"])[0]
    assert sessions(fabric, node) == sorted(up["name"] for up in fabric["nodes"][node]["uplinks"])
    for name, switch in fabric["switches"].items():
        expected = {p["port"] for p in switch["ports"]} | {up["name"] for up in switch["uplinks"]}
        assert sessions(fabric, name) == sorted(expected) and expected
    with pytest.raises(InputError, match=r"fabric inventory: host is 'nohost': not a server or switch"):
        sessions(fabric, "nohost")


def test_session_states_from_the_vtysh_summary():
    fabric = build(SEED)
    # FRR 8.4's answer: peers per address family, keyed by interface (unnumbered)
    summary = json.dumps({
        "ipv4Unicast": {"peers": {"swp1": {"state": "Established", "remoteAs": 65001},
                                  "swp2": {"state": "Active", "remoteAs": 0}}},
        "ipv6Unicast": {"peers": {"swp1": {"state": "Established", "remoteAs": 65001}}},
    })
    got = session_states(fabric, "tor-cumulus-1", summary)
    assert got["sessions"] == {"swp1": {"state": "Established", "remote_as": 65001},
                               "swp2": {"state": "Active", "remote_as": 0},
                               "swp3": {"state": "missing", "remote_as": None}}
    assert got["down"] == ["swp2 (Active)", "swp3 (missing)"]
    # vtysh failed (FRR down): every session is missing, nothing raises
    assert session_states(fabric, "c1", "")["down"] == ["ens3 (missing)"]
    assert session_states(fabric, "c1", "% bgpd is not running")["down"] == ["ens3 (missing)"]
