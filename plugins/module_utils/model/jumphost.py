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


def reverse_zones6(network):
    """The ip6.arpa zones that hold the PTRs of an IPv6 ``network``: whole nibbles, so a
    /64 is one zone of 16 nibbles and a /62 its four /64 zones."""
    net = ipaddress.ip_network(network)
    zone_bits = ((net.prefixlen + 3) // 4) * 4
    zones = net.subnets(new_prefix=zone_bits) if net.prefixlen < zone_bits else [net]
    return ["%s.ip6.arpa" % ".".join(reversed(z.network_address.exploded.replace(":", "")[:zone_bits // 4]))
            for z in zones]


def boot_base_url(cluster, address):
    """Where jump host ``address``'s boot server answers (the bootserver role; dnsmasq
    hands iPXE <this>/ipxe/boot.ipxe)."""
    return "http://%s:%d" % (address, cluster["boot"]["port"])


def dnsmasq_settings(cluster, overrides, host):
    """Everything dnsmasq.conf and its hosts files say, for jump host ``host``."""
    at = checks.At("dnsmasq", host)
    network = ipaddress.ip_network(cluster["network"])
    # the cluster network's family: IPv4 (dual-stack adds cluster_network6) or IPv6 only
    family = network.version
    domain = pick(overrides, "domain", cluster["domain"])
    hosts = cluster["nodes"] if (overrides or {}).get("hosts") is None else host_records(overrides["hosts"], at, family)
    api_address = pick(overrides, "api_address", cluster["lb_address"])
    api_address = str(checks.ip_address(api_address, "dnsmasq_api_address", at, family))
    apps_address = pick(overrides, "apps_address", cluster["lb_address"])
    apps_address = str(checks.ip_address(apps_address, "dnsmasq_apps_address", at, family))
    own = [n["ip"] for n in cluster["nodes"] if n["inventory_hostname"] == host]
    jumphosts = [n["ip"] for n in cluster["nodes"] if n["role"] == "jumphost"]
    listen = pick(overrides, "listen_address", (own + jumphosts + [""])[0])
    first_jumphost = not own or not jumphosts or own[0] == jumphosts[0]
    if not listen:
        at.fail("dnsmasq_listen_address", listen, "no listen address: set it, or give a jumphost a node_ip")
    api_fqdns = ["api.%s" % domain, "api-int.%s" % domain]
    listen = str(checks.ip_address(listen, "dnsmasq_listen_address", at, family))
    gateway = pick(overrides, "dhcp_gateway", cluster.get("gateway"))
    if family == 6 and (overrides or {}).get("dhcp_gateway") is not None:
        at.fail("dnsmasq_dhcp_gateway", gateway, "DHCPv6 has no router option: on an IPv6 cluster network the "
                "router's advertisements give the default route")
    # dual-stack (cluster_network6): the same names get their IPv6 addresses too
    lb6 = cluster.get("lb_address6")
    own6 = [n["ip6"] for n in cluster["nodes"] if n["inventory_hostname"] == host and n.get("ip6")]
    jumphosts6 = [n["ip6"] for n in cluster["nodes"] if n["role"] == "jumphost" and n.get("ip6")]
    network6 = ipaddress.ip_network(cluster["network6"]) if cluster.get("network6") else None
    clients = dns_clients(pick(overrides, "dns_clients", [str(network)] + ([str(network6)] if network6 else [])), at)
    return {
        "domain": domain,
        "hosts": hosts,
        "api_address": api_address,
        "apps_address": apps_address,
        "listen_address": listen,
        "listen_addresses": [listen] + own6,
        "api_addresses": [api_address] + ([lb6] if lb6 else []),
        "apps_addresses": [apps_address] + ([lb6] if lb6 else []),
        "network6": {"address": str(network6.network_address), "prefix": network6.prefixlen} if network6 else {},
        "api_ptr6": ipaddress.ip_address(lb6).reverse_pointer if lb6 else "",
        "api_ptr6_names": (api_fqdns + [h["fqdn"] for h in hosts if h.get("ip6") == lb6]) if lb6 else [],
        # PXE/iPXE (cluster_boot_enabled): the boot script of this jump host's boot server
        "boot": {"script_url": boot_base_url(cluster, listen) + "/ipxe/boot.ipxe"} if cluster["boot"]["enabled"] else {},
        "upstreams": pick(overrides, "upstreams", cluster["dns_upstreams"]),
        # the host firewall (dnsmasq itself has no source filter); TFTP too when it boots nodes
        "firewall": dns_firewall([listen] + own6, clients, tftp=cluster["boot"]["enabled"]),
        # the table's file goes unquoted into the unit's ExecStart=: one absolute word
        "firewall_path": firewall_path((overrides or {}).get("firewall_path"), at),
        # a pair serves the same reservations from both; the dynamic pool only from the
        # first jump host, so no address is leased twice (set dnsmasq_dhcp_range per host to split it)
        "dhcp_range": pick(overrides, "dhcp_range", cluster["dhcp_range"] if first_jumphost else None) or {},
        # clients ask every jump host's dnsmasq (same records), so DNS survives one of them
        "dns_servers": jumphosts if cluster.get("lb_floating") and family == 4 else [],
        # the same over DHCPv6 (option6:dns-server): a dual-stack pair's node_ip6, an IPv6 pair's node_ip
        "dns_servers6": (jumphosts if family == 6 else jumphosts6) if cluster.get("lb_floating") else [],
        # the router option (IPv4 only): the role's override, else the cluster's gateway (None: dnsmasq's default, itself)
        "gateway": gateway if family == 4 else None,
        "family": family,
        "network_address": str(network.network_address),
        # dhcp-range's third field: the netmask (IPv4) or the prefix length (IPv6)
        "range_mask": cluster["netmask"] if family == 4 else str(network.prefixlen),
        "api_fqdns": api_fqdns,
        "apps_domain": "apps.%s" % domain,
        "reverse_zones": (reverse_zones(cluster["network"]) if family == 4 else reverse_zones6(network))
        + (reverse_zones6(network6) if network6 else []),
        # a ptr-record replaces the host records' PTR for its address: every name on it
        "api_ptr": ipaddress.ip_address(api_address).reverse_pointer,
        "api_ptr_names": api_fqdns + [h["fqdn"] for h in hosts if h.get("ip") == api_address],
    }


HOST_RECORD_KEYS = ("name", "fqdn", "ip", "ip6", "mac")


def host_records(value, at, family=4):
    """dnsmasq_hosts, the records and reservations given instead of the model's nodes:
    each item's fields checked (they reach the hosts and dhcp-hosts files as they are),
    no name, address or MAC twice. ip is of the cluster network's ``family``; ip6 (beside an
    IPv4 ip) and mac are optional (no mac: DNS only)."""
    records, seen = [], {}
    for index, item in enumerate(checks.listing(value, "dnsmasq_hosts", at)):
        field = "dnsmasq_hosts[%d]" % index
        item = checks.mapping(item, field, at, known=HOST_RECORD_KEYS)
        record = {"name": checks.dns_label(item.get("name"), field + ".name", at),
                  "fqdn": checks.dns_name(item.get("fqdn"), field + ".fqdn", at),
                  "ip": str(checks.ip_address(item.get("ip"), field + ".ip", at, family))}
        if family == 4 and not checks.missing(item.get("ip6")):
            record["ip6"] = str(checks.ip_address(item["ip6"], field + ".ip6", at, 6))
        if not checks.missing(item.get("mac")):
            record["mac"] = checks.mac(item["mac"], field + ".mac", at)
        for key, val in record.items():
            if (key, val) in seen:
                at.fail("%s.%s" % (field, key), val, "also %s" % seen[key, val])
            seen[key, val] = "%s.%s" % (field, key)
        records.append(record)
    return records


DNS_PORT, TFTP_PORT = 53, 69


def dns_firewall(listen_addresses, clients, tftp=False):
    """Per address family dnsmasq listens on: nft's names for it, the listen addresses,
    the ports filtered (DNS, and TFTP when dnsmasq serves PXE boot) and the client
    networks allowed to reach them (empty: that family is refused)."""
    ports = [DNS_PORT] + ([TFTP_PORT] if tftp else [])
    families = []
    for version, family, kind in ((4, "ip", "ipv4_addr"), (6, "ip6", "ipv6_addr")):
        listen = [a for a in listen_addresses if ipaddress.ip_address(a).version == version]
        if listen:
            families.append({"family": family, "type": kind, "set": "dns_clients%d" % version, "listen": listen,
                             "ports": ports, "clients": [str(c) for c in clients if c.version == version]})
    return families


def firewall_path(value, at):
    """dnsmasq_firewall_path (None: the role does not say, as in a direct call)."""
    if value is None:
        return None
    return checks.word(checks.abs_path(value, "dnsmasq_firewall_path", at), "dnsmasq_firewall_path", at)


def dns_clients(value, at):
    """The networks that may ask the jump host's DNS, and fetch from its TFTP when it boots
    nodes (dnsmasq_dns_clients, both families);
    loopback always may (the firewall accepts lo). Empty is refused: the cluster would lose
    its DNS (dnsmasq_firewall false turns the filter off)."""
    return [checks.network(item, "dnsmasq_dns_clients", at) for item in checks.listing(value, "dnsmasq_dns_clients", at, allow_empty=False)]


def _own_address(cluster, host):
    """``host``'s node_ip when it is a jump host of the model, else None."""
    return next((n["ip"] for n in cluster["nodes"] if n["inventory_hostname"] == host and n["role"] == "jumphost"), None)


def _families(cluster):
    """The IP versions of the cluster's machine networks: [4], [4, 6] (dual-stack) or [6]."""
    return [ipaddress.ip_network(cluster["network"]).version] + ([6] if cluster.get("network6") else [])


def _host_port(address, port):
    """address:port as HAProxy reads it: an IPv6 address in brackets."""
    return ("[%s]:%d" if ipaddress.ip_address(address).version == 6 else "%s:%d") % (address, port)


def _bind_addresses(cluster, overrides, host, at):
    """Where the frontends listen: the load-balancer address and this jump host's own
    cluster address (never every address of a dual-homed bastion); "*" only when asked."""
    own6 = [n["ip6"] for n in cluster["nodes"] if n["inventory_hostname"] == host and n.get("ip6")]
    derived = [cluster["lb_address"]] + [a for a in [_own_address(cluster, host)] if a not in (None, cluster["lb_address"])]
    # dual-stack: the same on IPv6
    for address in [cluster.get("lb_address6")] + own6:
        if address and address not in derived:
            derived.append(address)
    addresses = checks.listing(pick(overrides, "bind_addresses", derived), "haproxy_bind_addresses", at, allow_empty=False)
    binds = []
    for index, address in enumerate(addresses):
        if address != "*":
            address = checks.ip_address(address, "haproxy_bind_addresses[%d]" % index, at)
        # HAProxy writes an IPv6 address in brackets before :port
        binds.append("[%s]" % address if getattr(address, "version", 4) == 6 else str(address))
    return binds


def _local_listen(value, at):
    """The stats page listens on a loopback address only ("" disables it)."""
    if value in (None, ""):
        return ""
    parts = checks.text(value, "haproxy_stats_listen", at).rpartition(":")
    address, port = parts[0], parts[2]
    try:
        local = ipaddress.ip_address(address).is_loopback
    except ValueError:
        local = False
    if not local or not port.isdigit():
        at.fail("haproxy_stats_listen", value, "a loopback address:port (e.g. 127.0.0.1:9000): the stats page stays local")
    return value


def haproxy_settings(cluster, overrides, host=None):
    """The binds, backends (name and address), resolvers and the machine-config
    sources of haproxy.cfg, for jump host ``host``."""
    at = checks.At("haproxy", host)
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
    # Ignition (with the pull secret) is served on 22623: the cluster network only
    sources = checks.listing(pick(overrides, "machine_config_sources",
                                  [cluster["network"]] + ([cluster["network6"]] if cluster.get("network6") else [])),
                             "haproxy_machine_config_sources", at, allow_empty=False)
    settings = {
        "binds": _bind_addresses(cluster, overrides, host, at),
        "machine_config_sources": [str(checks.network(net, "haproxy_machine_config_sources[%d]" % index, at))
                                   for index, net in enumerate(sources)],
        "stats_listen": _local_listen(pick(overrides, "stats_listen", ""), at),
        "api": servers("api_backends", cluster["masters"]),
        "bootstrap": servers("bootstrap_backends", cluster["bootstrap"] if cluster["bootstrap_enabled"] else []),
        "ingress": servers("ingress_backends", cluster["ingress"]),
        # every jump host's dnsmasq (one is enough; a pair serves the same records)
        "nameservers": pick(overrides, "resolvers_nameservers",
                            [_host_port(ip, 53) for ip in jumphost_ips or [cluster["lb_address"]]]),
        # a floating load-balancer address (a pair, keepalived) is bound where it is not (yet)
        # local: the sysctls that allow it, per family the cluster has
        "nonlocal_bind": ["net.ipv%d.ip_nonlocal_bind" % version for version in _families(cluster)]
        if cluster.get("lb_floating") else [],
    }
    for key, variable in (("api", "haproxy_api_backends"), ("ingress", "haproxy_ingress_backends"),
                          ("nameservers", "haproxy_resolvers_nameservers")):
        if not settings[key]:
            at.fail(variable, settings[key], "empty: HAProxy needs at least one")
    return settings


def interface_of(facts, address):
    """The interface that carries ``address`` (IPv4 primary or secondary, or IPv6), from
    Ansible's network facts (``ansible_facts``), or None."""
    for name in sorted((facts or {}).get("interfaces") or []):
        nic = facts.get(name.replace("-", "_")) or {}
        addresses = [(nic.get("ipv4") or {}).get("address")] + [a.get("address") for a in nic.get("ipv4_secondaries") or []]
        addresses += [a.get("address") for a in nic.get("ipv6") or []]
        if address in addresses:
            return name
    return None


def keepalived_settings(cluster, overrides, host, facts=None):
    """The VRRP instance of jump host ``host``: the load-balancer address as the VIP,
    unicast to the other jump hosts, a priority by inventory order, a router id
    derived from the VIP (distinct for the VIPs of one /24), on the interface that
    carries the host's node_ip (from its network ``facts``) unless one is given."""
    at = checks.At("keepalived", host)
    jumphosts = [n for n in cluster["nodes"] if n["role"] == "jumphost"]
    if len(jumphosts) < 2:
        at.fail("group jumphost", [n["name"] for n in jumphosts],
                "a VRRP pair needs two or more jump hosts (one jump host keeps the load-balancer address itself)")
    own = [n for n in jumphosts if n["inventory_hostname"] == host]
    if not own:
        at.fail("inventory_hostname", host, "not a jump host of the inventory (%s)"
                % ", ".join(n["name"] for n in jumphosts))
    index = jumphosts.index(own[0])
    network = ipaddress.ip_network(cluster["network"])
    vip = str(checks.ip_address(pick(overrides, "vip", cluster["lb_address"]), "keepalived_vip", at, network.version))
    if ipaddress.ip_address(vip) not in network:
        at.fail("keepalived_vip", vip, "not in cluster_network %s (the VIP moves within the cluster network)" % network)
    if vip in [n["ip"] for n in cluster["nodes"]]:
        at.fail("keepalived_vip", vip, "the address of a node; the VIP needs an address of its own")
    router_id = pick(overrides, "virtual_router_id", int(ipaddress.ip_address(vip)) % 255 + 1)
    interface = pick(overrides, "interface", None) or interface_of(facts, own[0]["ip"])
    if not interface:
        at.fail("keepalived_interface", "", "no interface of the host carries its node_ip %s: configure the address "
                "first, or name the interface" % own[0]["ip"])
    return {
        "interface": checks.ifname(interface, "keepalived_interface", at),
        "vip": vip,
        "prefix": network.prefixlen,
        # dual-stack: the IPv6 load-balancer address moves with the IPv4 VIP ("": IPv4 only)
        "vip6": cluster.get("lb_address6") or "",
        "prefix6": cluster.get("prefix6") or 0,
        "virtual_router_id": checks.integer(router_id, "keepalived_virtual_router_id", at, 1, 255),
        "priority": checks.integer(pick(overrides, "priority", 150 - 10 * index), "keepalived_priority", at, 1, 254),
        "source": own[0]["ip"],
        "peers": [n["ip"] for n in jumphosts if n is not own[0]],
    }


def bootserver_settings(cluster, overrides, host):
    """What the boot server of jump host ``host`` serves and to whom: its address and
    port, the networks allowed (the cluster network), the RHCOS file names the iPXE
    scripts name, and the DNS servers a static ip= boot gets."""
    at = checks.At("bootserver", host)
    own = _own_address(cluster, host)
    if own is None:
        at.fail("inventory_hostname", host, "not a jump host with a node_ip: the boot server listens on it")
    allowed = checks.listing(pick(overrides, "allowed_networks", [cluster["network"]]), "bootserver_allowed_networks",
                             at, allow_empty=False)
    files = {}
    for key in ("kernel", "initramfs", "rootfs"):
        name = checks.word(pick(overrides, key, None), "bootserver_%s" % key, at)
        if "/" in name or name in (".", ".."):
            at.fail("bootserver_%s" % key, name, "a file name in the rhcos/ directory, not a path")
        files[key] = name
    return {
        "address": own,
        "port": cluster["boot"]["port"],
        "base_url": boot_base_url(cluster, own),
        "allowed_networks": [str(checks.network(net, "bootserver_allowed_networks[%d]" % i, at))
                             for i, net in enumerate(allowed)],
        "files": files,
        "dns_servers": [n["ip"] for n in cluster["nodes"] if n["role"] == "jumphost"],
    }
