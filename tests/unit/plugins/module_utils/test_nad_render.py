# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Rendering and validation of NetworkAttachmentDefinitions / CNO entries."""

from __future__ import annotations

import json

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render.cni_check import check_config
from ansible_collections.clusternet.fabric.plugins.module_utils.render.nad import render_networks


def one(net, target="nad"):
    return render_networks([net], target=target)[0]


def cfg(net):
    return json.loads(one(net)["config"])


def rejects(net, *fragments, target="nad"):
    with pytest.raises(checks.InputError) as exc:
        render_networks(net if isinstance(net, list) else [net], target=target)
    for frag in fragments:
        assert frag in str(exc.value), str(exc.value)
    return str(exc.value)


def bridge_hl(ipam):
    return {"name": "b", "type": "bridge", "ipam": dict(ipam, type="host-local")}


MACVLAN = {"name": "mv", "type": "macvlan", "master": "ens224", "mode": "bridge",
           "ipam": {"type": "static", "addresses": [{"address": "10.0.201.29/24", "gateway": "10.0.201.1"}]}}


# ------------------------------------------------------------------ rendering

def test_macvlan_static_renders_cni_keys_in_order():
    c = cfg(MACVLAN)
    assert list(c) == ["cniVersion", "name", "type", "master", "mode", "ipam"]
    assert c["cniVersion"] == "0.4.0"
    assert c["ipam"] == {"type": "static", "addresses": [{"address": "10.0.201.29/24", "gateway": "10.0.201.1"}]}


def test_nad_manifest_shape():
    obj = one(dict(MACVLAN, namespace="apps", labels={"a": "b"}))["object"]
    assert obj["apiVersion"] == "k8s.cni.cncf.io/v1"
    assert obj["kind"] == "NetworkAttachmentDefinition"
    assert obj["metadata"] == {"name": "mv", "namespace": "apps", "labels": {"a": "b"}}
    assert json.loads(obj["spec"]["config"])["master"] == "ens224"


def test_bridge_host_local_shorthand_becomes_ranges():
    c = cfg({"name": "br", "type": "bridge", "bridge": "test-br", "is_gateway": True,
             "ipam": {"type": "host-local", "subnet": "192.168.1.0/24", "range_start": "192.168.1.100",
                      "range_end": "192.168.1.200", "gateway": "192.168.1.1"}})
    assert c["bridge"] == "test-br" and c["isGateway"] is True
    assert c["ipam"]["ranges"] == [[{"subnet": "192.168.1.0/24", "rangeStart": "192.168.1.100",
                                     "rangeEnd": "192.168.1.200", "gateway": "192.168.1.1"}]]


def test_host_local_dual_stack_sets():
    c = cfg({"name": "ds", "type": "bridge", "ipam": {"type": "host-local", "ranges": [
        [{"subnet": "10.1.0.0/24"}, {"subnet": "10.2.0.0/24"}], [{"subnet": "fd00::/64"}]]}})
    assert len(c["ipam"]["ranges"]) == 2


def test_whereabouts_and_dhcp_and_host_device_and_vlan_and_ipvlan():
    c = cfg({"name": "wa", "type": "macvlan", "master": "eth1", "ipam": {
        "type": "whereabouts", "range": "192.168.2.0/24", "range_start": "192.168.2.10",
        "range_end": "192.168.2.20", "exclude": ["192.168.2.12/32"]}})
    assert c["ipam"]["range_start"] == "192.168.2.10" and c["ipam"]["exclude"] == ["192.168.2.12/32"]
    assert cfg({"name": "d", "type": "macvlan", "master": "eth1", "ipam": {"type": "dhcp"}})["ipam"] == {"type": "dhcp"}
    assert cfg({"name": "hd", "type": "host-device", "device": "ens5"})["device"] == "ens5"
    assert cfg({"name": "vl", "type": "vlan", "master": "eth0", "vlan_id": 100, "mtu": 1500})["vlanId"] == 100
    assert cfg({"name": "iv", "type": "ipvlan", "master": "eth0", "mode": "l3"})["mode"] == "l3"


def test_capabilities_and_cni_version():
    c = cfg({"name": "mv", "type": "macvlan", "master": "ens224", "cni_version": "0.3.1",
             "capabilities": {"ips": True, "mac": True}, "ipam": {"type": "static"}})
    assert c["cniVersion"] == "0.3.1" and c["capabilities"] == {"ips": True, "mac": True}


def test_raw_string_kept_verbatim_and_validated():
    raw = '{"cniVersion": "0.3.1", "type": "macvlan", "master": "ens224", "ipam": {"type": "dhcp"}}'
    assert one({"name": "raw", "config": raw})["config"] == raw


def test_raw_dict_conflist():
    conf = {"cniVersion": "0.4.0", "name": "chain", "plugins": [
        {"type": "macvlan", "master": "eth0", "ipam": {"type": "dhcp"}}, {"type": "tuning", "mtu": 9000}]}
    assert json.loads(one({"name": "chain", "config": conf})["config"]) == conf


def test_cno_raw_entry():
    entry = one(dict(MACVLAN, namespace="apps"), target="cno")["object"]
    assert entry["type"] == "Raw" and entry["namespace"] == "apps"
    assert json.loads(entry["rawCNIConfig"])["type"] == "macvlan"


def test_cno_simple_macvlan_entry():
    net = dict(MACVLAN, cno_type="SimpleMacvlan", mtu=1400)
    net["ipam"] = dict(MACVLAN["ipam"], routes=[{"dst": "0.0.0.0/0", "gw": "10.0.201.1"}],
                       dns={"nameservers": ["10.0.201.53"]})
    entry = one(net, target="cno")["object"]
    assert entry["simpleMacvlanConfig"] == {
        "master": "ens224", "mode": "Bridge", "mtu": 1400,
        "ipamConfig": {"type": "Static", "staticIPAMConfig": {
            "addresses": [{"address": "10.0.201.29/24", "gateway": "10.0.201.1"}],
            "routes": [{"destination": "0.0.0.0/0", "gateway": "10.0.201.1"}],
            "dns": {"nameservers": ["10.0.201.53"]}}}}


def test_rendering_is_stable():
    assert one(MACVLAN)["config"] == one(dict(MACVLAN))["config"]


# ------------------------------------------------------------------ rejections (task list)

def test_unknown_plugin():
    rejects(dict(MACVLAN, type="sriov"), "networks[0] (mv).type", "'sriov'", "not a supported plugin")


def test_missing_master():
    net = dict(MACVLAN)
    del net["master"]
    rejects(net, "config.master", "required for macvlan")


def test_invalid_cidr():
    rejects({"name": "b", "type": "bridge", "ipam": {"type": "host-local", "subnet": "192.168.1.0/33"}},
            "subnet", "'192.168.1.0/33'", "not a network in CIDR form")


def test_subnet_with_host_bits():
    rejects({"name": "b", "type": "bridge", "ipam": {"type": "host-local", "subnet": "192.168.1.5/24"}},
            "host bits set", "192.168.1.0/24")


def test_range_outside_subnet():
    rejects(bridge_hl({"subnet": "192.168.1.0/24", "range_start": "192.168.2.100"}),
            "rangeStart", "'192.168.2.100'", "outside the subnet 192.168.1.0/24")


def test_gateway_outside_subnet():
    rejects(bridge_hl({"subnet": "192.168.1.0/24", "gateway": "10.0.0.1"}), "gateway", "'10.0.0.1'")


def test_range_start_after_end():
    rejects(bridge_hl({"subnet": "192.168.1.0/24", "range_start": "192.168.1.200", "range_end": "192.168.1.100"}),
            "after rangeEnd")


def test_overlapping_ranges():
    rejects({"name": "b", "type": "bridge", "ipam": {"type": "host-local", "ranges": [
        [{"subnet": "10.1.0.0/24"}], [{"subnet": "10.1.0.0/25"}]]}}, "overlaps")


def test_mixed_family_in_one_set():
    rejects({"name": "b", "type": "bridge", "ipam": {"type": "host-local", "ranges": [
        [{"subnet": "10.1.0.0/24"}, {"subnet": "fd00::/64"}]]}}, "mixes IP families")


def test_subnet_too_small():
    rejects({"name": "b", "type": "bridge", "ipam": {"type": "host-local", "subnet": "10.1.0.0/31"}}, "smaller than a /30")


def test_static_address_gateway_outside_subnet():
    net = dict(MACVLAN, ipam={"type": "static", "addresses": [{"address": "10.0.201.29/24", "gateway": "10.0.202.1"}]})
    rejects(net, "addresses[0].gateway", "'10.0.202.1'", "outside the address's subnet 10.0.201.0/24")


def test_static_address_invalid():
    rejects(dict(MACVLAN, ipam={"type": "static", "addresses": [{"address": "10.0.201.290/24"}]}),
            "addresses[0].address", "not an address with its prefix length")


def test_static_without_addresses_needs_ips_capability():
    rejects(dict(MACVLAN, ipam={"type": "static"}), "static IPAM needs addresses")


def test_static_route_dst_not_network():
    rejects(dict(MACVLAN, ipam={"type": "static", "addresses": [{"address": "10.0.201.29/24"}],
                                "routes": [{"dst": "10.9.0.1/16"}]}), "routes[0].dst", "host bits")


def test_duplicate_names():
    rejects([MACVLAN, dict(MACVLAN)], "networks[1] (mv).name", "defined twice")


def test_same_name_other_namespace_ok_for_nad_not_for_cno():
    nets = [MACVLAN, dict(MACVLAN, namespace="other")]
    assert len(render_networks(nets)) == 2
    rejects(nets, "unique across namespaces", target="cno")


@pytest.mark.parametrize("name", ["Net_A", "-abc", "abc-", "a" * 64, "a.b", ""])
def test_name_not_dns1123(name):
    rejects(dict(MACVLAN, name=name), ".name")


def test_master_name_too_long():
    rejects(dict(MACVLAN, master="averyveryverylongif"), "master", "longer than 15")


@pytest.mark.parametrize("ptype,mode", [("macvlan", "l2"), ("ipvlan", "bridge")])
def test_mode_per_plugin(ptype, mode):
    rejects(dict(MACVLAN, type=ptype, mode=mode), "mode", repr(mode))


def test_vlan_id_range_and_required():
    rejects({"name": "v", "type": "vlan", "master": "eth0", "vlan_id": 4095}, "vlanId", "4095")
    rejects({"name": "v", "type": "vlan", "master": "eth0"}, "vlanId", "required")


def test_host_device_exactly_one_selector():
    rejects({"name": "h", "type": "host-device"}, "exactly one")
    rejects({"name": "h", "type": "host-device", "device": "a", "hwaddr": "00:11:22:33:44:55"}, "exactly one")


def test_unknown_option_for_plugin():
    rejects(dict(MACVLAN, bridge="br0"), "networks[0] (mv).bridge", "not an option of plugin macvlan")


def test_whereabouts_range_start_outside_range():
    rejects({"name": "w", "type": "macvlan", "master": "eth1", "ipam": {
        "type": "whereabouts", "range": "192.168.2.0/24", "range_start": "192.168.3.10"}},
        "range_start", "outside the range 192.168.2.0/24")


def test_whereabouts_exclude_outside_range():
    rejects({"name": "w", "type": "macvlan", "master": "eth1", "ipam": {
        "type": "whereabouts", "range": "192.168.2.0/24", "exclude": ["10.0.0.0/8"]}}, "exclude[0]")


def test_capabilities_ips_needs_static_or_host_local():
    rejects({"name": "c", "type": "macvlan", "master": "eth1", "capabilities": {"ips": True},
             "ipam": {"type": "dhcp"}}, "capabilities.ips needs")


def test_bad_cni_version():
    rejects(dict(MACVLAN, cni_version="0.5.0"), "cni_version", "'0.5.0'")


def test_raw_and_structured_mixed():
    rejects({"name": "r", "config": "{}", "type": "macvlan"}, "cannot be combined with a raw config")


def test_raw_conflist_rules():
    rejects({"name": "r", "config": '{"plugins": [{"type": "macvlan", "master": "e"}]}'}, "name", "required in a conflist")
    rejects({"name": "r", "config": '{"name": "r", "plugins": []}'}, "plugins", "must not be empty")
    rejects({"name": "r", "config": '{"name": "r", "plugins": [{"master": "e"}]}'}, "plugins[0].type", "required")
    rejects({"name": "r", "config": '[{"type": "macvlan"}]'}, "must be a JSON object")
    rejects({"name": "r", "config": '{"type": "macvlan", '}, "not valid JSON")


def test_raw_name_mismatch():
    rejects({"name": "r", "config": '{"name": "other", "type": "bridge"}'}, "differs from the network name")


def test_simple_macvlan_limits():
    rejects(dict(MACVLAN, cno_type="SimpleMacvlan", capabilities={"ips": True}), "SimpleMacvlan", target="cno")
    rejects({"name": "b", "type": "bridge", "cno_type": "SimpleMacvlan"}, "macvlan only", target="cno")
    rejects(dict(MACVLAN, cno_type="Fancy"), "cno_type", target="cno")
    rejects(dict(MACVLAN, cno_type="Raw"), "only applies with target cno")


def test_check_config_direct():
    assert check_config('{"cniVersion": "1.0.0", "type": "bridge"}')["type"] == "bridge"
    with pytest.raises(checks.InputError):
        check_config({"type": "macvlan", "master": "eth0", "capabilities": {"ips": "yes"}})
