# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.frr_model import (
    FrrModelError,
    build_fabric,
    check_prefix_entries,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.frr_render import (
    render_node_conf,
    render_tor_conf,
)

SEED = {
    "c1": {"frr_asn": 65001, "frr_loopback": "1.1.1.1/32", "frr_uplinks": ["ens3"],
           "frr_pod_blocks": ["10.1.8.192/26"]},
    "c2": {"frr_asn": 65002, "frr_loopback": "2.2.2.2", "frr_uplinks": ["ens3"],
           "frr_pod_blocks": ["10.1.71.192/26"]},
    "c3": {"frr_asn": 65003, "frr_loopback": "3.3.3.3/32", "frr_uplinks": ["ens3"],
           "frr_pod_blocks": ["10.1.240.0/26"]},
}


def seed(**changes):
    nodes = copy.deepcopy(SEED)
    for host, hv in changes.items():
        nodes[host].update(hv)
    return nodes


def test_seed_builds():
    fabric = build_fabric(seed())
    assert fabric["nodes"]["c2"]["loopback"] == "2.2.2.2"
    assert fabric["nodes"]["c3"]["asn"] == 65003
    assert fabric["warnings"] == []


def test_asn_allocated_from_base_by_sorted_name():
    nodes = seed()
    for hv in nodes.values():
        del hv["frr_asn"]
    nodes["c2"]["frr_asn"] = 65100  # explicit wins
    fabric = build_fabric(nodes, asn_base=65001)
    assert [fabric["nodes"][h]["asn"] for h in ("c1", "c2", "c3")] == [65001, 65100, 65003]


@pytest.mark.parametrize("value,why", [
    (0, "out of range"), (4294967296, "out of range"), (-1, "out of range"),
    ("sixty", "not an AS number"), (23456, "reserved"), (65535, "reserved"), (True, "not an AS number"),
])
def test_bad_asn(value, why):
    with pytest.raises(FrrModelError, match=r"frr_asn of c1 is .*%s" % why) as exc:
        build_fabric(seed(c1={"frr_asn": value}))
    assert repr(value) in str(exc.value)


def test_public_asn_warns():
    fabric = build_fabric(seed(c1={"frr_asn": 3356}))
    assert fabric["warnings"] == ["frr: c1 uses public AS 3356; make sure you own it"]


def test_duplicate_asn():
    with pytest.raises(FrrModelError, match=r"frr_asn of c2 is 65001: already used by c1"):
        build_fabric(seed(c2={"frr_asn": 65001}))


def test_node_asn_equal_to_tor():
    with pytest.raises(FrrModelError, match=r"frr_asn of c1 is 65001: same AS as the ToR tor1"):
        build_fabric(seed(), peer_asns={"tor1": 65001})


def test_missing_asn_without_base():
    nodes = seed()
    del nodes["c1"]["frr_asn"]
    with pytest.raises(FrrModelError, match=r"frr_asn of c1 is None: set frr_asn or frr_asn_base"):
        build_fabric(nodes)


@pytest.mark.parametrize("value,why", [
    ("1.1.1.0/24", "a loopback must be a /32"), ("1.1.1", "not an IP address"),
    ("fd00::1/128", "not an IPv4 address"),
])
def test_bad_loopback(value, why):
    with pytest.raises(FrrModelError, match=r"frr_loopback of c1 is '%s': %s" % (value, why)):
        build_fabric(seed(c1={"frr_loopback": value}))


def test_duplicate_loopback():
    with pytest.raises(FrrModelError, match=r"frr_loopback of c2 is '1.1.1.1': already used by c1"):
        build_fabric(seed(c2={"frr_loopback": "1.1.1.1"}))


def test_pod_block_overlaps_other_node():
    with pytest.raises(FrrModelError, match=r"frr_pod_blocks of c1 is '10.1.0.0/16': overlaps 10.1.71.192/26 of c2"):
        build_fabric(seed(c1={"frr_pod_blocks": ["10.1.0.0/16"]}))


def test_pod_block_host_bits():
    with pytest.raises(FrrModelError, match=r"frr_pod_blocks of c1 is '10.1.8.193/26': not a network"):
        build_fabric(seed(c1={"frr_pod_blocks": ["10.1.8.193/26"]}))


def test_pod_block_containing_loopback():
    with pytest.raises(FrrModelError, match=r"frr_pod_blocks of c1 is '2.2.2.0/24': contains the loopback 2.2.2.2 of c2"):
        build_fabric(seed(c1={"frr_pod_blocks": ["2.2.2.0/24"]}))


def test_interface_name_too_long():
    with pytest.raises(FrrModelError, match=r"frr_uplinks of c1 is 'enp0s31f6np0abcd': interface name longer than 15"):
        build_fabric(seed(c1={"frr_uplinks": ["enp0s31f6np0abcd"]}))


@pytest.mark.parametrize("value", [None, [], ""])
def test_missing_uplinks(value):
    with pytest.raises(FrrModelError, match=r"frr_uplinks of c1 is .*: at least one uplink interface is required"):
        build_fabric(seed(c1={"frr_uplinks": value}))


def test_uplink_twice_and_bad_name():
    with pytest.raises(FrrModelError, match=r"frr_uplinks of c1 is 'ens3': listed twice"):
        build_fabric(seed(c1={"frr_uplinks": ["ens3", "ens3"]}))
    with pytest.raises(FrrModelError, match=r"frr_uplinks of c1 is 'a/b': not a valid Linux interface name"):
        build_fabric(seed(c1={"frr_uplinks": ["a/b"]}))


def test_uplink_tor_without_port():
    with pytest.raises(FrrModelError, match=r"give both tor and tor_port"):
        build_fabric(seed(c1={"frr_uplinks": [{"name": "ens3", "tor": "t1"}]}))


def test_prefix_entries():
    assert check_prefix_entries(["10.0.0.0/8 le 32", "fd00::/8", "0.0.0.0/0"], "f") == (
        ["10.0.0.0/8 le 32", "0.0.0.0/0"], ["fd00::/8"])
    with pytest.raises(FrrModelError, match=r"frr_accept_prefixes of the fabric is '10.0.0.0/8 le 40'"):
        check_prefix_entries(["10.0.0.0/8 le 40"], "frr_accept_prefixes")


def test_node_conf_announces_only_own_and_accepts_others():
    conf = render_node_conf(build_fabric(seed()), "c1")
    assert "ip prefix-list NODE-OWN-V4 seq 5 permit 1.1.1.1/32" in conf
    assert "ip prefix-list FABRIC-IN-V4 seq 5 permit 2.2.2.2/32" in conf
    assert "permit 1.1.1.1/32" not in conf.split("FABRIC-IN-V4", 1)[1].split("route-map")[0]
    assert "no bgp ebgp-requires-policy" not in conf
    assert "ip route 10.1.8.192/26 blackhole" in conf
    assert " bgp bestpath as-path multipath-relax" in conf


def test_tor_conf_needs_ports_and_rejects_duplicates():
    fabric = build_fabric(seed())
    with pytest.raises(FrrModelError, match=r"name no port of ToR tor1"):
        render_tor_conf(fabric, "tor1", 65004, "4.4.4.4")
    nodes = seed(c1={"frr_uplinks": [{"name": "ens3", "tor": "tor1", "tor_port": "swp1"}]},
                 c2={"frr_uplinks": [{"name": "ens3", "tor": "tor1", "tor_port": "swp1"}]})
    with pytest.raises(FrrModelError, match=r"tor_port of c2 is 'swp1': tor1 port already used by c1"):
        render_tor_conf(build_fabric(nodes), "tor1", 65004, "4.4.4.4")
