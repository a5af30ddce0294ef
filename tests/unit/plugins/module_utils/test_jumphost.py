# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""model/jumphost.py: what the dnsmasq and haproxy templates format, as data."""

from __future__ import annotations

import ipaddress

import pytest
from test_cluster_model import load_seed000

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model import jumphost
from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import build_cluster_model

NO_DNSMASQ_OVERRIDES = dict.fromkeys(("domain", "hosts", "api_address", "apps_address", "listen_address",
                                      "upstreams", "dhcp_range"))
NO_HAPROXY_OVERRIDES = dict.fromkeys(("api_backends", "bootstrap_backends", "ingress_backends",
                                      "resolvers_nameservers"))


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
