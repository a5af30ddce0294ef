# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""model/jumphost.py: what the dnsmasq and haproxy templates format, as data."""

from __future__ import annotations

import ipaddress

import pytest
from test_cluster_model import ha_pair, load_seed000

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model import jumphost
from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import build_cluster_model

NO_DNSMASQ_OVERRIDES = dict.fromkeys(("domain", "hosts", "api_address", "apps_address", "listen_address",
                                      "upstreams", "dhcp_range", "dhcp_gateway", "dns_clients"))
NO_HAPROXY_OVERRIDES = dict.fromkeys(("api_backends", "bootstrap_backends", "ingress_backends",
                                      "resolvers_nameservers", "bind_addresses", "machine_config_sources",
                                      "stats_listen"))


@pytest.fixture
def cluster():
    groups, hostvars = load_seed000()
    return build_cluster_model(groups, hostvars)


def test_pick_takes_the_override_only_when_set():
    assert jumphost.pick({"a": None}, "a", 1) == 1
    assert jumphost.pick({}, "a", 1) == 1
    assert jumphost.pick(None, "a", 1) == 1
    assert jumphost.pick({"a": []}, "a", [1]) == []  # an empty list is a choice


@pytest.mark.parametrize("network, zones", [
    ("192.168.7.0/24", ["7.168.192.in-addr.arpa"]),
    ("192.168.7.128/26", ["7.168.192.in-addr.arpa"]),
    ("10.4.0.0/22", ["0.4.10.in-addr.arpa", "1.4.10.in-addr.arpa", "2.4.10.in-addr.arpa", "3.4.10.in-addr.arpa"]),
    ("10.4.0.0/16", ["4.10.in-addr.arpa"]),
    ("10.0.0.0/8", ["10.in-addr.arpa"]),
    ("172.16.0.0/12", ["%d.172.in-addr.arpa" % i for i in range(16, 32)]),
])
def test_reverse_zones_cover_the_network_in_whole_octets(network, zones):
    assert jumphost.reverse_zones(network) == zones
    # every address of the network has its PTR name inside one of the zones
    net = ipaddress.ip_network(network)
    for addr in (net.network_address, net.broadcast_address):
        assert any(addr.reverse_pointer.endswith("." + z) for z in zones)


def test_dnsmasq_settings_from_the_model(cluster):
    s = jumphost.dnsmasq_settings(cluster, NO_DNSMASQ_OVERRIDES, "jump-0")
    assert s["domain"] == cluster["domain"] and s["hosts"] == cluster["nodes"]
    assert s["api_address"] == s["apps_address"] == cluster["lb_address"]
    assert s["api_fqdns"] == ["api.%s" % cluster["domain"], "api-int.%s" % cluster["domain"]]
    assert s["api_ptr"] == ipaddress.ip_address(cluster["lb_address"]).reverse_pointer
    jumphost_ip = [n["ip"] for n in cluster["nodes"] if n["role"] == "jumphost"][0]
    assert s["listen_address"] == jumphost_ip
    # the load balancer is the jump host here: its name is on the API PTR too
    assert s["api_ptr_names"][:2] == s["api_fqdns"]
    assert s["network_address"] == cluster["network"].split("/")[0]


def test_dnsmasq_overrides_win(cluster):
    s = jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, domain="other.example", api_address="192.168.7.9",
                                                upstreams=[]), "jump-0")
    assert s["api_fqdns"] == ["api.other.example", "api-int.other.example"] and s["upstreams"] == []
    assert s["api_address"] == "192.168.7.9" and s["apps_address"] == cluster["lb_address"]


def test_dnsmasq_refuses_a_bad_override_naming_it(cluster):
    with pytest.raises(checks.InputError, match=r"^dnsmasq: dnsmasq_api_address of jump-0 is 'nope': not an IP"):
        jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, api_address="nope"), "jump-0")


def test_haproxy_settings_from_the_model(cluster):
    s = jumphost.haproxy_settings(cluster, NO_HAPROXY_OVERRIDES)
    fqdn = {n["name"]: n["fqdn"] for n in cluster["nodes"]}
    assert s["api"] == [{"name": m, "address": fqdn[m]} for m in cluster["masters"]]
    assert [b["name"] for b in s["ingress"]] == cluster["ingress"]
    assert set(cluster["masters"]) <= {b["name"] for b in s["ingress"]} or cluster["ingress_groups"] == ["workers"]
    assert s["nameservers"][0].endswith(":53")


def test_haproxy_backend_overrides_must_be_nodes_of_the_inventory(cluster):
    master = cluster["masters"][0]
    s = jumphost.haproxy_settings(cluster, dict(NO_HAPROXY_OVERRIDES, ingress_backends=[master]))
    assert [b["name"] for b in s["ingress"]] == [master]
    with pytest.raises(checks.InputError, match=r"^haproxy: haproxy_ingress_backends\[1\] is 'elsewhere': not a node"):
        jumphost.haproxy_settings(cluster, dict(NO_HAPROXY_OVERRIDES, ingress_backends=[master, "elsewhere"]))
    with pytest.raises(checks.InputError, match=r"^haproxy: haproxy_api_backends is \[\]: empty"):
        jumphost.haproxy_settings(cluster, dict(NO_HAPROXY_OVERRIDES, api_backends=[]))


def test_haproxy_binds_the_cluster_addresses_not_every_address(cluster):
    jump = cluster["jumphost"][0]
    own = next(n["ip"] for n in cluster["nodes"] if n["name"] == jump)
    s = jumphost.haproxy_settings(cluster, NO_HAPROXY_OVERRIDES, jump)
    assert s["binds"] == sorted({cluster["lb_address"], own}, key=[cluster["lb_address"], own].index)
    assert s["machine_config_sources"] == [cluster["network"]]
    # a jump host whose own address is not the load balancer's binds both
    moved = dict(cluster, lb_address="192.168.126.250")
    assert jumphost.haproxy_settings(moved, NO_HAPROXY_OVERRIDES, jump)["binds"] == ["192.168.126.250", own]
    # every address only when asked
    assert jumphost.haproxy_settings(cluster, dict(NO_HAPROXY_OVERRIDES, bind_addresses=["*"]), jump)["binds"] == ["*"]


@pytest.mark.parametrize("key,value,message", [
    ("bind_addresses", ["192.168.126.300"], r"haproxy_bind_addresses\[0\] of jump-0 is '192.168.126.300': not an IP"),
    ("bind_addresses", [], r"haproxy_bind_addresses of jump-0 is \[\]: must not be empty"),
    ("machine_config_sources", ["192.168.126.1/24"], r"haproxy_machine_config_sources\[0\] of jump-0 is "
                                                     r"'192.168.126.1/24': has host bits set"),
    ("stats_listen", "0.0.0.0:9000", r"haproxy_stats_listen of jump-0 is '0.0.0.0:9000': a loopback address:port"),
    ("stats_listen", "127.0.0.1", r"haproxy_stats_listen of jump-0 is '127.0.0.1': a loopback address:port"),
])
def test_haproxy_refuses_exposing_settings_naming_the_field(cluster, key, value, message):
    with pytest.raises(checks.InputError, match=r"^haproxy: " + message):
        jumphost.haproxy_settings(cluster, dict(NO_HAPROXY_OVERRIDES, **{key: value}), cluster["jumphost"][0])
    assert jumphost.haproxy_settings(cluster, dict(NO_HAPROXY_OVERRIDES, stats_listen="127.0.0.1:9000"))[
        "stats_listen"] == "127.0.0.1:9000"


FACTS = {"interfaces": ["lo", "ens192"], "lo": {"ipv4": {"address": "127.0.0.1"}},
         "ens192": {"ipv4": {"address": "192.168.126.10"}}}


@pytest.fixture
def pair():
    return build_cluster_model(*ha_pair(load_seed000()))


def test_keepalived_pair_from_the_model(pair):
    first = jumphost.keepalived_settings(pair, {}, "jump-0", FACTS)
    second = jumphost.keepalived_settings(pair, {"interface": "ens224"}, "jump-1")
    assert second["interface"] == "ens224"
    assert first == {"interface": "ens192", "vip": "192.168.126.9", "prefix": 24, "vip6": "", "prefix6": 0,
                     "virtual_router_id": second["virtual_router_id"],
                     "priority": 150, "source": "192.168.126.10", "peers": ["192.168.126.11"]}
    assert second["priority"] == 140 and second["source"] == "192.168.126.11" and second["peers"] == ["192.168.126.10"]
    assert 1 <= first["virtual_router_id"] <= 255
    # the router id follows the VIP: two clusters' VIPs in one /24 never share it
    ids = {jumphost.keepalived_settings(build_cluster_model(*ha_pair(load_seed000(), "192.168.126.%d" % last)), {},
                                        "jump-0", FACTS)["virtual_router_id"] for last in range(1, 10)}
    assert len(ids) == 9


@pytest.mark.parametrize("overrides,host,message", [
    ({}, "master-0", r"inventory_hostname of master-0 is 'master-0': not a jump host"),
    ({"vip": "10.0.0.1"}, "jump-0", r"keepalived_vip of jump-0 is '10.0.0.1': not in cluster_network"),
    ({"vip": "192.168.126.21"}, "jump-0", r"keepalived_vip of jump-0 is '192.168.126.21': the address of a node"),
    ({"virtual_router_id": 256}, "jump-0", r"keepalived_virtual_router_id of jump-0 is 256"),
])
def test_keepalived_refuses_naming_the_field(pair, overrides, host, message):
    with pytest.raises(checks.InputError, match=r"^keepalived: " + message):
        jumphost.keepalived_settings(pair, overrides, host, FACTS)


def test_keepalived_finds_the_interface_of_the_node_ip_or_says_so(pair):
    # a secondary address counts; the facts name interfaces with '-' as '_'
    facts = {"interfaces": ["lo", "br-ext"], "lo": {"ipv4": {"address": "127.0.0.1"}},
             "br_ext": {"ipv4": {"address": "198.51.100.7"}, "ipv4_secondaries": [{"address": "192.168.126.11"}]}}
    assert jumphost.keepalived_settings(pair, {}, "jump-1", facts)["interface"] == "br-ext"
    with pytest.raises(checks.InputError, match=r"^keepalived: keepalived_interface of jump-0 is '': no interface of "
                                                r"the host carries its node_ip 192.168.126.10"):
        jumphost.keepalived_settings(pair, {}, "jump-0", facts)


def test_keepalived_needs_two_jump_hosts(cluster):
    with pytest.raises(checks.InputError, match=r"^keepalived: group jumphost of jump-0 is \['jump-0'\]: a VRRP pair"):
        jumphost.keepalived_settings(cluster, {}, "jump-0")


def test_a_pair_shares_dns_and_leases_the_pool_from_one_host(pair):
    pair = dict(pair, dhcp_range={"start": "192.168.126.100", "end": "192.168.126.150"})
    first = jumphost.dnsmasq_settings(pair, NO_DNSMASQ_OVERRIDES, "jump-0")
    second = jumphost.dnsmasq_settings(pair, NO_DNSMASQ_OVERRIDES, "jump-1")
    assert first["dhcp_range"] == pair["dhcp_range"] and second["dhcp_range"] == {}
    assert first["dns_servers"] == second["dns_servers"] == ["192.168.126.10", "192.168.126.11"]
    assert first["listen_address"] == "192.168.126.10" and second["listen_address"] == "192.168.126.11"
    s = jumphost.haproxy_settings(pair, NO_HAPROXY_OVERRIDES, "jump-1")
    assert s["binds"] == ["192.168.126.9", "192.168.126.11"] and s["nonlocal_bind"] == ["net.ipv4.ip_nonlocal_bind"]
    assert s["nameservers"] == ["192.168.126.10:53", "192.168.126.11:53"]


def test_one_jump_host_keeps_its_settings(cluster):
    d = jumphost.dnsmasq_settings(cluster, NO_DNSMASQ_OVERRIDES, "jump-0")
    assert d["dns_servers"] == d["dns_servers6"] == []
    assert jumphost.haproxy_settings(cluster, NO_HAPROXY_OVERRIDES, "jump-0")["nonlocal_bind"] == []


def test_a_dual_stack_pair_moves_both_addresses_and_shares_dns_on_both_families():
    from test_cluster_model import dual_stack_pair
    pair6 = build_cluster_model(*dual_stack_pair(load_seed000()))
    k = jumphost.keepalived_settings(pair6, {}, "jump-1", {"interfaces": ["ens192"],
                                                           "ens192": {"ipv4": {"address": "192.168.126.11"}}})
    assert (k["vip"], k["prefix"], k["vip6"], k["prefix6"]) == ("192.168.126.9", 24, "fd00:126::9", 64)
    h = jumphost.haproxy_settings(pair6, NO_HAPROXY_OVERRIDES, "jump-1")
    assert h["binds"] == ["192.168.126.9", "192.168.126.11", "[fd00:126::9]", "[fd00:126::11]"]
    assert h["nonlocal_bind"] == ["net.ipv4.ip_nonlocal_bind", "net.ipv6.ip_nonlocal_bind"]
    d = jumphost.dnsmasq_settings(pair6, NO_DNSMASQ_OVERRIDES, "jump-1")
    assert d["dns_servers"] == ["192.168.126.10", "192.168.126.11"]
    assert d["dns_servers6"] == ["fd00:126::10", "fd00:126::11"]
    assert d["listen_addresses"] == ["192.168.126.11", "fd00:126::11"]


@pytest.mark.parametrize("network,zones", [
    ("fd00:126::/64", ["0.0.0.0.0.0.0.0.6.2.1.0.0.0.d.f.ip6.arpa"]),
    ("fd00:126::/48", ["0.0.0.0.6.2.1.0.0.0.d.f.ip6.arpa"]),
    ("fd00:126::/63", ["0.0.0.0.0.0.0.0.6.2.1.0.0.0.d.f.ip6.arpa", "1.0.0.0.0.0.0.0.6.2.1.0.0.0.d.f.ip6.arpa"]),
])
def test_ip6_arpa_zones_in_whole_nibbles(network, zones):
    assert jumphost.reverse_zones6(network) == zones


def test_dual_stack_settings_add_the_ipv6_side():
    from test_cluster_model import dual_stack
    cluster = build_cluster_model(*dual_stack(load_seed000()))
    d = jumphost.dnsmasq_settings(cluster, NO_DNSMASQ_OVERRIDES, "jump-0")
    assert d["listen_addresses"] == ["192.168.126.10", "fd00:126::10"]
    assert d["api_addresses"] == d["apps_addresses"] == ["192.168.126.10", "fd00:126::10"]
    assert d["network6"] == {"address": "fd00:126::", "prefix": 64}
    assert d["reverse_zones"][-1] == "0.0.0.0.0.0.0.0.6.2.1.0.0.0.d.f.ip6.arpa"
    assert d["api_ptr6"].endswith(".ip6.arpa") and "jump-0.test.example.local" in d["api_ptr6_names"]
    h = jumphost.haproxy_settings(cluster, NO_HAPROXY_OVERRIDES, "jump-0")
    assert h["binds"] == ["192.168.126.10", "[fd00:126::10]"]
    assert h["machine_config_sources"] == ["192.168.126.0/24", "fd00:126::/64"]
    # IPv4 only: nothing of it
    v4 = jumphost.dnsmasq_settings(build_cluster_model(*load_seed000()), NO_DNSMASQ_OVERRIDES, "jump-0")
    assert v4["listen_addresses"] == ["192.168.126.10"] and v4["network6"] == {} and v4["api_ptr6_names"] == []


def test_dns_firewall_lets_the_cluster_network_ask_by_default(cluster):
    fw = jumphost.dnsmasq_settings(cluster, NO_DNSMASQ_OVERRIDES, "jump-0")["firewall"]
    assert fw == [{"family": "ip", "type": "ipv4_addr", "set": "dns_clients4", "listen": ["192.168.126.10"],
                   "ports": [53], "clients": ["192.168.126.0/24"]}]


def test_dns_firewall_filters_tftp_too_when_dnsmasq_boots_nodes():
    groups, hostvars = load_seed000()
    hostvars = {h: dict(hv, cluster_boot_enabled=True, cluster_gateway="192.168.126.1") for h, hv in hostvars.items()}
    fw = jumphost.dnsmasq_settings(build_cluster_model(groups, hostvars), NO_DNSMASQ_OVERRIDES, "jump-0")["firewall"]
    assert [(f["ports"], f["clients"]) for f in fw] == [([53, 69], ["192.168.126.0/24"])]


def test_dns_firewall_per_family_with_an_admin_network():
    from test_cluster_model import dual_stack
    cluster = build_cluster_model(*dual_stack(load_seed000()))
    fw = jumphost.dnsmasq_settings(cluster, NO_DNSMASQ_OVERRIDES, "jump-0")["firewall"]
    assert [(f["family"], f["listen"], f["clients"]) for f in fw] == [
        ("ip", ["192.168.126.10"], ["192.168.126.0/24"]), ("ip6", ["fd00:126::10"], ["fd00:126::/64"])]
    # an override with IPv4 networks only: IPv6 sources are all refused (no set to compare with)
    fw = jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, dns_clients=["192.168.126.0/24", "10.9.0.0/16"]),
                                   "jump-0")["firewall"]
    assert [f["clients"] for f in fw] == [["192.168.126.0/24", "10.9.0.0/16"], []]


def test_dns_firewall_path_is_one_absolute_word(cluster):
    settings = jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, firewall_path="/etc/x/dns.nft"), "jump-0")
    assert settings["firewall_path"] == "/etc/x/dns.nft"
    with pytest.raises(checks.InputError, match=r"^dnsmasq: dnsmasq_firewall_path of jump-0 is '/etc/my dir/dns.nft': one word"):
        jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, firewall_path="/etc/my dir/dns.nft"), "jump-0")


@pytest.mark.parametrize("value, message", [
    ([], r"dnsmasq_dns_clients of jump-0 is \[\]: must not be empty"),
    (["10.9.0.1/16"], r"dnsmasq_dns_clients of jump-0 is '10.9.0.1/16': has host bits set"),
    ("10.9.0.0/16", r"dnsmasq_dns_clients of jump-0 is '10.9.0.0/16': must be a list"),
])
def test_dns_firewall_refuses_bad_clients_naming_the_field(cluster, value, message):
    with pytest.raises(checks.InputError, match="^dnsmasq: " + message):
        jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, dns_clients=value), "jump-0")


RECORD = {"name": "nas-0", "fqdn": "nas-0.test.example.local", "ip": "192.168.126.60", "mac": "52:54:00:7E:00:40"}


def test_dnsmasq_hosts_override_is_checked_and_normalised(cluster):
    s = jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, hosts=[RECORD, dict(
        name="dns-only", fqdn="dns-only.test.example.local.", ip="192.168.126.61", ip6="fd00:126::61")]), "jump-0")
    assert s["hosts"] == [dict(RECORD, mac="52:54:00:7e:00:40"),
                          {"name": "dns-only", "fqdn": "dns-only.test.example.local", "ip": "192.168.126.61",
                           "ip6": "fd00:126::61"}]


@pytest.mark.parametrize("change, message", [
    ({"ip": "192.168.126.60\nserver=/x/1.2.3.4"}, r"dnsmasq_hosts\[1\]\.ip of jump-0 is .*: contains a line break"),
    ({"name": "Bad_Name"}, r"dnsmasq_hosts\[1\]\.name of jump-0 is 'Bad_Name': not a DNS label"),
    ({"fqdn": "a..b"}, r"dnsmasq_hosts\[1\]\.fqdn of jump-0 is 'a..b': not a DNS name"),
    ({"ip": "fd00::1"}, r"dnsmasq_hosts\[1\]\.ip of jump-0 is 'fd00::1': not an IPv4 address"),
    ({"mac": "01:00:5e:00:00:01"}, r"dnsmasq_hosts\[1\]\.mac of jump-0 is '01:00:5e:00:00:01': a multicast MAC"),
    ({"macaddress": "52:54:00:7e:00:41"}, r"dnsmasq_hosts\[1\]\.macaddress of jump-0 is '52:54:00:7e:00:41': unknown key"),
    ({"ip": "192.168.126.60"}, r"dnsmasq_hosts\[1\]\.ip of jump-0 is '192.168.126.60': also dnsmasq_hosts\[0\]\.ip"),
    ({"mac": "52:54:00:7e:00:40"}, r"dnsmasq_hosts\[1\]\.mac of jump-0 is '52:54:00:7e:00:40': also dnsmasq_hosts\[0\]\.mac"),
])
def test_dnsmasq_hosts_override_refuses_naming_item_and_field(cluster, change, message):
    second = dict(RECORD, name="nas-1", fqdn="nas-1.test.example.local", ip="192.168.126.62", mac="52:54:00:7e:00:41")
    second.update(change)
    with pytest.raises(checks.InputError, match="^dnsmasq: " + message):
        jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, hosts=[RECORD, second]), "jump-0")


def ipv6_only(groups_hostvars, lb_address="fd00:126::10"):
    """An inventory moved onto the IPv6-only machine network fd00:126::/64 (node_ip .N -> ::N)."""
    groups, hostvars = groups_hostvars
    for hv in hostvars.values():
        hv.update(cluster_network="fd00:126::/64", cluster_lb_address=lb_address,
                  node_ip="fd00:126::%s" % hv["node_ip"].rsplit(".", 1)[1])
    return groups, hostvars


def test_an_ipv6_only_cluster_is_served_on_ipv6_alone():
    cluster = build_cluster_model(*ipv6_only(load_seed000()))
    d = jumphost.dnsmasq_settings(cluster, NO_DNSMASQ_OVERRIDES, "jump-0")
    assert (d["family"], d["listen_addresses"], d["api_addresses"]) == (6, ["fd00:126::10"], ["fd00:126::10"])
    # dhcp-range's third field is the prefix length; DHCPv6 has no router option
    assert (d["network_address"], d["range_mask"], d["gateway"]) == ("fd00:126::", "64", None)
    assert d["reverse_zones"] == ["0.0.0.0.0.0.0.0.6.2.1.0.0.0.d.f.ip6.arpa"] and d["network6"] == {}
    assert [f["family"] for f in d["firewall"]] == ["ip6"]
    h = jumphost.haproxy_settings(cluster, NO_HAPROXY_OVERRIDES, "jump-0")
    assert h["binds"] == ["[fd00:126::10]"] and h["nameservers"] == ["[fd00:126::10]:53"]
    assert h["machine_config_sources"] == ["fd00:126::/64"] and h["nonlocal_bind"] == []
    with pytest.raises(checks.InputError, match=r"^dnsmasq: dnsmasq_dhcp_gateway of jump-0 is 'fd00:126::1': "
                                                r"DHCPv6 has no router option"):
        jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, dhcp_gateway="fd00:126::1"), "jump-0")
    # dnsmasq_hosts follow the network's family
    hosts = [{"name": "n1", "fqdn": "n1.test.example.local", "ip": "fd00:126::41", "mac": "52:54:00:7e:00:41"}]
    assert jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, hosts=hosts), "jump-0")["hosts"][0]["ip"] == \
        "fd00:126::41"
    with pytest.raises(checks.InputError, match=r"dnsmasq_hosts\[0\].ip of jump-0 is '192.168.126.41'"):
        jumphost.dnsmasq_settings(cluster, dict(NO_DNSMASQ_OVERRIDES, hosts=[dict(hosts[0], ip="192.168.126.41")]),
                                  "jump-0")


def test_an_ipv6_only_pair_floats_an_ipv6_vip_and_shares_dns_over_dhcpv6():
    pair6 = build_cluster_model(*ipv6_only(ha_pair(load_seed000()), "fd00:126::9"))
    facts = {"interfaces": ["ens192"], "ens192": {"ipv4": {}, "ipv6": [{"address": "fd00:126::11", "prefix": "64"}]}}
    k = jumphost.keepalived_settings(pair6, {}, "jump-1", facts)
    assert (k["interface"], k["vip"], k["prefix"], k["vip6"], k["source"], k["peers"]) == (
        "ens192", "fd00:126::9", 64, "", "fd00:126::11", ["fd00:126::10"])
    d = jumphost.dnsmasq_settings(pair6, NO_DNSMASQ_OVERRIDES, "jump-1")
    assert d["dns_servers"] == [] and d["dns_servers6"] == ["fd00:126::10", "fd00:126::11"]
    assert jumphost.haproxy_settings(pair6, NO_HAPROXY_OVERRIDES, "jump-1")["nonlocal_bind"] == [
        "net.ipv6.ip_nonlocal_bind"]
