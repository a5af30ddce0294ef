# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the jump-host roles render, from the cluster model and the role's overrides.

The dnsmasq and haproxy roles hand their override variables here (None: not set)
and their templates only format the result. "The override where given, else the
model" is written once (``pick``); everything derived (reverse zones, PTR names,
backend addresses) is computed here, never in Jinja.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.clusternet.fabric.plugins.module_utils import checks


def pick(overrides, key, model_value):
    """The role's override for ``key`` when the user set one (not None), else the model's."""
    value = (overrides or {}).get(key)
    return model_value if value is None else value


def reverse_zones(network):
    """The in-addr.arpa zones that hold the PTRs of ``network``: whole octets (RFC 2317
    classless delegation is not needed for a zone we answer locally), at most /24, so a
    /22 is four /24 zones and a /26 is its /24."""
    net = ipaddress.ip_network(network)
    prefix = net.prefixlen
    zone_bits = min(((prefix + 7) // 8) * 8, 24) if prefix > 0 else 8
    if prefix < zone_bits:
        zones = net.subnets(new_prefix=zone_bits)
    else:
        zones = [net.supernet(new_prefix=zone_bits)]
    octets = zone_bits // 8
    return ["%s.in-addr.arpa" % ".".join(reversed(str(z.network_address).split(".")[:octets])) for z in zones]


def dnsmasq_settings(cluster, overrides, host):
    """Everything dnsmasq.conf and its hosts files say, for jump host ``host``."""
    at = checks.At("dnsmasq", host)
    network = ipaddress.ip_network(cluster["network"])
    if network.version != 4:
        at.fail("cluster_network", cluster["network"], "the dnsmasq role serves an IPv4 cluster network")
    domain = pick(overrides, "domain", cluster["domain"])
    hosts = pick(overrides, "hosts", cluster["nodes"])
    api_address = pick(overrides, "api_address", cluster["lb_address"])
    api_address = str(checks.ip_address(api_address, "dnsmasq_api_address", at, 4))
    apps_address = pick(overrides, "apps_address", cluster["lb_address"])
    apps_address = str(checks.ip_address(apps_address, "dnsmasq_apps_address", at, 4))
    own = [n["ip"] for n in cluster["nodes"] if n["inventory_hostname"] == host]
    jumphosts = [n["ip"] for n in cluster["nodes"] if n["role"] == "jumphost"]
    listen = pick(overrides, "listen_address", (own + jumphosts + [""])[0])
    if not listen:
        at.fail("dnsmasq_listen_address", listen, "no listen address: set it, or give a jumphost a node_ip")
    api_fqdns = ["api.%s" % domain, "api-int.%s" % domain]
    return {
        "domain": domain,
        "hosts": hosts,
        "api_address": api_address,
        "apps_address": apps_address,
        "listen_address": str(checks.ip_address(listen, "dnsmasq_listen_address", at, 4)),
        "upstreams": pick(overrides, "upstreams", cluster["dns_upstreams"]),
        "dhcp_range": pick(overrides, "dhcp_range", cluster["dhcp_range"]) or {},
        "network_address": str(network.network_address),
        "netmask": cluster["netmask"],
        "api_fqdns": api_fqdns,
        "apps_domain": "apps.%s" % domain,
        "reverse_zones": reverse_zones(cluster["network"]),
        # a ptr-record replaces the host records' PTR for its address: every name on it
        "api_ptr": ipaddress.ip_address(api_address).reverse_pointer,
        "api_ptr_names": api_fqdns + [h["fqdn"] for h in hosts if h.get("ip") == api_address],
    }


def haproxy_settings(cluster, overrides):
    """The backends (name and address) and the resolvers of haproxy.cfg."""
    at = checks.At("haproxy")
    fqdn = {n["name"]: n["fqdn"] for n in cluster["nodes"]}

    def servers(key, model_value):
        names = pick(overrides, key, model_value)
        for index, name in enumerate(names):
            # our DNS answers only the model's names: another name would never resolve
            if name not in fqdn:
                at.fail("haproxy_%s[%d]" % (key, index), name,
                        "not a node of the inventory (known: %s)" % ", ".join(sorted(fqdn)))
        return [{"name": name, "address": fqdn[name]} for name in names]

    jumphost_ips = [n["ip"] for n in cluster["nodes"] if n["name"] in cluster["jumphost"]]
    settings = {
        "api": servers("api_backends", cluster["masters"]),
        "bootstrap": servers("bootstrap_backends", cluster["bootstrap"] if cluster["bootstrap_enabled"] else []),
        "ingress": servers("ingress_backends", cluster["ingress"]),
        "nameservers": pick(overrides, "resolvers_nameservers",
                            ["%s:53" % (jumphost_ips + [cluster["lb_address"]])[0]]),
    }
    for key, variable in (("api", "haproxy_api_backends"), ("ingress", "haproxy_ingress_backends"),
                          ("nameservers", "haproxy_resolvers_nameservers")):
        if not settings[key]:
            at.fail(variable, settings[key], "empty: HAProxy needs at least one")
    return settings
