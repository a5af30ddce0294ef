# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy
import os

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import build_cluster_model

SEED000 = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "inventories", "example-openshift")


def load_seed000():
    """groups and hostvars of the seed-000 example inventory, as Ansible would see them."""
    with open(os.path.join(SEED000, "hosts.yml")) as f:
        inv = yaml.safe_load(f)
    with open(os.path.join(SEED000, "group_vars", "all.yml")) as f:
        all_vars = yaml.safe_load(f)
    groups, hostvars = {}, {}
    for group, body in inv["all"]["children"].items():
        groups[group] = list(body["hosts"])
        for host, hv in body["hosts"].items():
            hostvars[host] = dict(all_vars, **(hv or {}))
    return groups, hostvars


@pytest.fixture
def seed():
    return load_seed000()


def expect_error(groups, hostvars, *fragments):
    with pytest.raises(checks.InputError) as err:
        build_cluster_model(groups, hostvars)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_seed000_model(seed):
    model = build_cluster_model(*seed)
    assert model["domain"] == "test.example.local"
    assert model["api_fqdn"] == "api.test.example.local"
    assert model["api_int_fqdn"] == "api-int.test.example.local"
    assert model["apps_domain"] == "apps.test.example.local"
    assert model["masters"] == ["master-0", "master-1", "master-2"]
    assert model["workers"] == ["worker-0", "worker-1"]
    assert model["bootstrap"] == ["bootstrap-0"]
    assert model["jumphost"] == ["jump-0"]
    # Seed 000, lesson 2: masters are schedulable, so ingress lists them too.
    assert model["ingress"] == ["master-0", "master-1", "master-2", "worker-0", "worker-1"]
    master0 = next(n for n in model["nodes"] if n["name"] == "master-0")
    assert master0 == {
        "name": "master-0",
        "inventory_hostname": "master-0",
        "fqdn": "master-0.test.example.local",
        "role": "master",
        "ip": "192.168.126.21",
        "mac": "52:54:00:7e:00:15",
        "ptr": "21.126.168.192.in-addr.arpa",
        "extra_nics": [{"name": "ens224", "mac": "52:54:00:c9:00:15", "ip": None}],
        "boot": {"install_disk": "/dev/sda", "static_ip": False, "interface": None},
        "ip6": None,
        "ptr6": None,
    }
    assert model["network6"] is None and model["lb_address6"] is None
    assert model["boot"] == {"enabled": False, "port": 8080, "install_disk": "/dev/sda"}
    assert model["gateway"] is None
    assert [n["role"] for n in model["nodes"]] == ["jumphost", "bootstrap"] + ["master"] * 3 + ["worker"] * 2
    assert model["dhcp_range"] is None
    assert model["dns_upstreams"] == []


def test_compact_cluster_ingress_is_masters_only(seed):
    groups, hostvars = seed
    for hv in hostvars.values():
        hv["cluster_ingress_groups"] = ["masters"]
    assert build_cluster_model(groups, hostvars)["ingress"] == ["master-0", "master-1", "master-2"]


def test_mac_is_normalised(seed):
    groups, hostvars = seed
    hostvars["worker-0"]["node_mac"] = "52-54-00-7E-00-1F"
    model = build_cluster_model(groups, hostvars)
    assert next(n for n in model["nodes"] if n["name"] == "worker-0")["mac"] == "52:54:00:7e:00:1f"


def test_dhcp_range(seed):
    groups, hostvars = seed
    for hv in hostvars.values():
        hv["cluster_dhcp_range"] = {"start": "192.168.126.100", "end": "192.168.126.150"}
    assert build_cluster_model(groups, hostvars)["dhcp_range"] == {"start": "192.168.126.100", "end": "192.168.126.150"}


@pytest.mark.parametrize(
    "mutate, fragments",
    [
        (lambda g, h: h["worker-1"].update(node_mac="52:54:00:7e:00:15"),
         ["node_mac of worker-1", "'52:54:00:7e:00:15'", "also node_mac of master-0"]),
        (lambda g, h: h["worker-1"].update(node_ip="192.168.126.21"),
         ["node_ip of worker-1", "'192.168.126.21'", "also the address of master-0"]),
        (lambda g, h: h["master-1"].update(node_mac="zz:00:00:00:00:01"),
         ["node_mac of master-1", "'zz:00:00:00:00:01'", "not a MAC address"]),
        (lambda g, h: h["master-1"].update(node_mac=None),
         ["node_mac of master-1", "missing"]),
        (lambda g, h: h["master-2"].update(node_ip="192.168.126.300"),
         ["node_ip of master-2", "'192.168.126.300'", "not an IP address"]),
        (lambda g, h: h["worker-0"].update(node_ip="10.0.0.5"),
         ["node_ip of worker-0", "'10.0.0.5'", "outside cluster_network 192.168.126.0/24"]),
        (lambda g, h: h["worker-0"].update(node_ip="192.168.126.255"),
         ["node_ip of worker-0", "broadcast"]),
        (lambda g, h: [hv.pop("cluster_lb_address") for hv in h.values()],
         ["cluster_lb_address", "missing"]),
        (lambda g, h: g.update(masters=[]),
         ["group masters", "at least one master"]),
        (lambda g, h: g.update(worker=["worker-9"]),
         ["group", "'worker'", "unknown group name", "did you mean 'workers'"]),
        (lambda g, h: [hv.update(cluster_ingress_groups=["infra"]) for hv in h.values()],
         ["cluster_ingress_groups", "'infra'", "unknown group name"]),
        (lambda g, h: g.update(workers=g["workers"] + ["master-0"]),
         ["master-0", "both masters and workers"]),
        (lambda g, h: [hv.update(cluster_network="192.168.126.1/24") for hv in h.values()],
         ["cluster_network", "host bits"]),
        (lambda g, h: h["master-0"].update(node_extra_nics=[{"name": "ens224-way-too-long", "mac": "52:54:00:00:00:01"}]),
         ["node_extra_nics[0].name of master-0", "1-15 characters"]),
        (lambda g, h: h["master-0"].update(node_extra_nics=[{"name": "ens224", "mac": "52:54:00:7e:00:16"}]),
         ["node_mac of master-1", "also node_extra_nics[0].mac of master-0"]),
        (lambda g, h: [hv.update(cluster_dhcp_range={"start": "192.168.126.200", "end": "192.168.126.100"})
                       for hv in h.values()],
         ["cluster_dhcp_range", "start comes after end"]),
        (lambda g, h: [hv.update(cluster_name="Test_1") for hv in h.values()],
         ["cluster_name", "not a DNS name"]),
    ],
    ids=[
        "duplicate-mac", "duplicate-ip", "malformed-mac", "missing-mac", "malformed-ip",
        "ip-outside-network", "broadcast-ip", "lb-missing", "no-masters", "misspelt-group",
        "unknown-ingress-group", "host-in-two-groups", "network-host-bits", "extra-nic-name",
        "extra-nic-duplicate-mac", "dhcp-range-reversed", "bad-cluster-name",
    ],
)
def test_bad_input_names_field_and_value(seed, mutate, fragments):
    groups, hostvars = copy.deepcopy(seed)
    mutate(groups, hostvars)
    message = expect_error(groups, hostvars, *fragments)
    assert message.startswith("cluster inventory: ")


def test_duplicate_hostname_across_domains(seed):
    groups, hostvars = seed
    hostvars["master-0.example"] = dict(hostvars["worker-1"], node_ip="192.168.126.40", node_mac="52:54:00:7e:00:28")
    groups["workers"].append("master-0.example")
    expect_error(groups, hostvars, "hostname", "master-0.example", "same short name as master-0")


def test_jumphost_mac_optional(seed):
    groups, hostvars = seed
    assert "node_mac" not in hostvars["jump-0"]
    jump = build_cluster_model(groups, hostvars)["nodes"][0]
    assert jump["name"] == "jump-0" and jump["mac"] is None


@pytest.mark.parametrize("var", ["cluster_name", "cluster_base_domain"])
def test_a_trailing_line_break_in_a_cluster_name_is_refused(seed, var):
    groups, hostvars = seed
    hostvars = copy.deepcopy(hostvars)
    for host in hostvars:
        hostvars[host][var] = hostvars[host][var] + "\n"
    expect_error(groups, hostvars, "%s is " % var)


def test_a_trailing_line_break_in_a_host_name_or_mac_is_refused(seed):
    groups, hostvars = seed
    host = groups["masters"][0]
    renamed = copy.deepcopy(groups)
    renamed["masters"] = [host + "\n"] + groups["masters"][1:]
    hostvars2 = dict(copy.deepcopy(hostvars), **{host + "\n": hostvars[host]})
    expect_error(renamed, hostvars2, "hostname")
    hostvars3 = copy.deepcopy(hostvars)
    hostvars3[host]["node_mac"] = hostvars3[host]["node_mac"] + "\n"
    expect_error(groups, hostvars3, "node_mac")


def test_a_named_ingress_group_without_hosts_is_refused_naming_the_variable(seed):
    groups, hostvars = seed
    groups["workers"] = []
    for hv in hostvars.values():
        hv["cluster_ingress_groups"] = ["workers"]
    expect_error(groups, hostvars, "cluster_ingress_groups is 'workers': the group has no hosts")


def test_the_default_ingress_groups_allow_a_compact_cluster(seed):
    groups, hostvars = seed
    workers = groups["workers"]
    groups["workers"] = []
    for host in workers:
        hostvars.pop(host)
    for hv in hostvars.values():
        hv.pop("cluster_ingress_groups", None)
    model = build_cluster_model(groups, hostvars)
    assert model["ingress"] == model["masters"]


@pytest.mark.parametrize("which", ["lb", "node"])
def test_the_dhcp_pool_holds_no_fixed_address(seed, which):
    groups, hostvars = seed
    model = build_cluster_model(groups, hostvars)
    fixed = model["lb_address"] if which == "lb" else model["nodes"][-1]["ip"]
    for hv in hostvars.values():
        hv["cluster_dhcp_range"] = {"start": fixed, "end": fixed}
    expect_error(groups, hostvars, "cluster_dhcp_range", "contains %s %s" % (
        "cluster_lb_address" if which == "lb" else "node_ip", fixed))


@pytest.mark.parametrize("count, warned", [(1, False), (2, True), (3, False), (4, True), (5, False)])
def test_an_even_master_count_is_a_warning(count, warned):
    from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import master_count_warning
    warning = master_count_warning({"masters": ["m%d" % i for i in range(count)]})
    assert bool(warning) is warned
    if warned:
        assert "%d masters" % count in warning


def ha_pair(seed, lb_address="192.168.126.9"):
    """seed 000 with a second jump host (192.168.126.11) and the load balancer on a VIP."""
    groups, hostvars = copy.deepcopy(seed)
    groups["jumphost"] = ["jump-0", "jump-1"]
    hostvars["jump-1"] = dict(hostvars["jump-0"], node_ip="192.168.126.11")
    for hv in hostvars.values():
        hv["cluster_lb_address"] = lb_address
    return groups, hostvars


def test_one_jump_host_has_a_fixed_load_balancer_address(seed):
    assert build_cluster_model(*seed)["lb_floating"] is False


def test_two_jump_hosts_share_the_load_balancer_address_as_a_vip(seed):
    model = build_cluster_model(*ha_pair(seed))
    assert model["lb_floating"] is True and model["jumphost"] == ["jump-0", "jump-1"]
    # the VIP is an address of its own, not one of the pair's
    expect_error(*ha_pair(seed, "192.168.126.11"), "cluster_lb_address is '192.168.126.11'",
                 "the node_ip of jump host jump-1: with 2 jump hosts it is their floating VIP")


def dual_stack_pair(seed, lb_address6="fd00:126::9"):
    """The HA pair, dual-stack: each jump host has a node_ip6, the VIPs are .9 and ::9."""
    groups, hostvars = ha_pair(seed)
    for hv in hostvars.values():
        hv.update(cluster_network6="fd00:126::/64", cluster_lb_address6=lb_address6,
                  node_ip6="fd00:126::%s" % hv["node_ip"].rsplit(".", 1)[1])
    return groups, hostvars


def test_a_dual_stack_pair_floats_both_load_balancer_addresses(seed):
    model = build_cluster_model(*dual_stack_pair(seed))
    assert model["lb_floating"] is True and model["lb_address6"] == "fd00:126::9"
    # the IPv6 VIP is an address of its own too
    expect_error(*dual_stack_pair(seed, "fd00:126::11"), "cluster_lb_address6 is 'fd00:126::11'",
                 "the node_ip6 of jump host jump-1: with 2 jump hosts it is their floating VIP")


def test_boot_settings_per_cluster_group_and_node(seed):
    groups, hostvars = copy.deepcopy(seed)
    for hv in hostvars.values():
        hv.update(cluster_boot_enabled=True, cluster_boot_install_disk="/dev/vda", cluster_gateway="192.168.126.1")
    hostvars["master-0"].update(node_install_disk="/dev/nvme0n1", node_boot_static_ip=True, node_boot_interface="ens192")
    model = build_cluster_model(groups, hostvars)
    assert model["boot"] == {"enabled": True, "port": 8080, "install_disk": "/dev/vda"} and model["gateway"] == "192.168.126.1"
    boot = {n["name"]: n["boot"] for n in model["nodes"]}
    assert boot["master-0"] == {"install_disk": "/dev/nvme0n1", "static_ip": True, "interface": "ens192"}
    assert boot["worker-0"] == {"install_disk": "/dev/vda", "static_ip": False, "interface": None}


@pytest.mark.parametrize("host,changes,fragments", [
    ("master-0", {"node_install_disk": "sda"}, ["node_install_disk of master-0 is 'sda': not an absolute path"]),
    ("master-0", {"node_install_disk": "/dev/sda quiet"}, ["node_install_disk of master-0 is '/dev/sda quiet'"]),
    ("master-0", {"node_boot_static_ip": True}, ["node_boot_interface of master-0 is None: required with"]),
    (None, {"cluster_gateway": "10.0.0.1"}, ["cluster_gateway is '10.0.0.1': outside cluster_network"]),
    (None, {"cluster_boot_port": 0}, ["cluster_boot_port is 0"]),
])
def test_bad_boot_settings_are_refused_naming_them(seed, host, changes, fragments):
    groups, hostvars = copy.deepcopy(seed)
    for name in [host] if host else list(hostvars):
        hostvars[name].update(changes)
    expect_error(groups, hostvars, *fragments)


def dual_stack(seed, **changes):
    groups, hostvars = copy.deepcopy(seed)
    for host, hv in hostvars.items():
        hv.update(cluster_network6="fd00:126::/64", cluster_lb_address6="fd00:126::10",
                  node_ip6="fd00:126::%s" % hv["node_ip"].rsplit(".", 1)[1])
    for host, hv in changes.items():
        for name in ([host] if host != "all" else list(hostvars)):
            hostvars[name].update(hv)
    return groups, hostvars


def test_dual_stack_gives_every_node_an_address_per_family(seed):
    model = build_cluster_model(*dual_stack(seed))
    assert model["network6"] == "fd00:126::/64" and model["prefix6"] == 64 and model["lb_address6"] == "fd00:126::10"
    master0 = next(n for n in model["nodes"] if n["name"] == "master-0")
    assert master0["ip6"] == "fd00:126::21"
    assert master0["ptr6"] == "1.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.2.1.0.0.0.d.f.ip6.arpa"


@pytest.mark.parametrize("changes,fragments", [
    ({"worker-1": {"node_ip6": None}}, ["node_ip6 of worker-1 is None: missing: cluster_network6"]),
    ({"worker-1": {"node_ip6": "fd00:126::21"}}, ["node_ip6 of worker-1 is 'fd00:126::21': also the address of master-0"]),
    ({"worker-1": {"node_ip6": "fd00:999::1"}}, ["node_ip6 of worker-1 is 'fd00:999::1': outside cluster_network6"]),
    ({"worker-1": {"node_ip6": "192.168.126.99"}}, ["node_ip6 of worker-1 is '192.168.126.99': outside"]),
    ({"all": {"cluster_lb_address6": None}}, ["cluster_lb_address6 is None: required with cluster_network6"]),
    ({"all": {"cluster_network6": "10.1.0.0/16"}}, ["cluster_network6 is '10.1.0.0/16': the IPv6 network"]),
])
def test_dual_stack_mistakes_are_refused_naming_them(seed, changes, fragments):
    expect_error(*dual_stack(seed, **changes), *fragments)


def test_an_ipv6_address_without_the_ipv6_network_is_refused(seed):
    groups, hostvars = copy.deepcopy(seed)
    hostvars["master-0"]["node_ip6"] = "fd00:126::21"
    expect_error(groups, hostvars, "node_ip6 of master-0 is 'fd00:126::21': set without cluster_network6")


def test_an_ipv6_only_network_is_a_cluster_network_but_boots_nothing(seed):
    groups, hostvars = copy.deepcopy(seed)
    for hv in hostvars.values():
        hv.update(cluster_network="fd00:126::/64", cluster_lb_address="fd00:126::10",
                  node_ip="fd00:126::%s" % hv["node_ip"].rsplit(".", 1)[1])
    model = build_cluster_model(groups, hostvars)
    assert (model["network"], model["prefix"], model["network6"]) == ("fd00:126::/64", 64, None)
    assert next(n for n in model["nodes"] if n["name"] == "master-0")["ptr"].endswith(".6.2.1.0.0.0.d.f.ip6.arpa")
    # dnsmasq's PXE chain is DHCPv4's: refused by name before anything is written
    for hv in hostvars.values():
        hv["cluster_boot_enabled"] = True
    expect_error(groups, hostvars, "cluster_boot_enabled is True: PXE/iPXE boot needs an IPv4 cluster_network")
