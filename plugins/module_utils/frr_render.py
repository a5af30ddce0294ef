# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Render FRR 8.x configuration (frr.conf, daemons) for fabric nodes and ToRs
from the model of frr_model.build_fabric. Pure functions, golden-tested."""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils.frr_model import (
    FrrModelError,
    announced,
    check_asn,
    check_host_address,
    check_ifname,
    check_prefix_entries,
    fabric_prefixes,
)

NODE_DEFAULTS = {
    "frr_version": "8.4",
    "accept_fabric": True,        # other nodes' loopbacks and pod blocks
    "accept_prefixes": [],        # more prefixes the fabric may send ('CIDR [le N]')
    "accept_default_route": False,
    "max_prefix": 1000,
    "bfd": False,
    "ipv6": None,                 # None: on when the node has IPv6 loopback/blocks
    "ra_interval": 5,
    "log": "syslog informational",
}

TOR_DEFAULTS = {
    "frr_version": "8.4",
    "originate_default_route": False,
    "max_prefix": 100,            # per server port
    "bfd": False,
    "ipv6": None,
    "ra_interval": 5,
    "log": "syslog informational",
}

DENY_ANY = {4: "0.0.0.0/0 le 32", 6: "::/0 le 128"}


def _opts(defaults, options):
    out = dict(defaults)
    for key, value in (options or {}).items():
        if value is not None:
            out[key] = value
    return out


def _prefix_list(name, family, entries, action="permit"):
    kw = "ip" if family == 4 else "ipv6"
    lines = []
    seq = 5
    for entry in entries:
        lines.append("%s prefix-list %s seq %d %s %s" % (kw, name, seq, action, entry))
        seq += 5
    # an explicit final deny keeps the list defined (and its intent visible)
    # even when it has nothing to permit
    lines.append("%s prefix-list %s seq %d deny %s" % (kw, name, seq, DENY_ANY[family]))
    return lines


def _route_map(name, family, prefix_list):
    kw = "ip" if family == 4 else "ipv6"
    return [
        "route-map %s permit 10" % name,
        " match %s address prefix-list %s" % (kw, prefix_list),
        "exit",
        "!",
    ]


def _header(hostname, opts):
    return [
        "frr version %s" % opts["frr_version"],
        "frr defaults datacenter",
        "hostname %s" % hostname,
        "log %s" % opts["log"],
        "service integrated-vtysh-config",
        "!",
    ]


def _ra_interface(name, opts, description=None):
    lines = ["interface %s" % name]
    if description:
        lines.append(" description %s" % description)
    lines += [
        " ipv6 nd ra-interval %d" % int(opts["ra_interval"]),
        " no ipv6 nd suppress-ra",
        "exit",
        "!",
    ]
    return lines


def node_uses_ipv6(node, opts):
    if opts.get("ipv6") is None:
        return bool(node.get("loopback6") or node.get("pod_blocks6"))
    return bool(opts["ipv6"])


def render_node_conf(fabric, host, options=None):
    """frr.conf for one node: eBGP unnumbered to its ToR(s) on every uplink,
    originating only its loopback and pod blocks, accepting only the fabric."""
    opts = _opts(NODE_DEFAULTS, options)
    node = fabric["nodes"].get(host)
    if node is None:
        raise FrrModelError("frr inventory: %s is not a node of the fabric" % host)
    own4, own6 = announced(node)
    in4, in6 = fabric_prefixes(fabric, exclude=host) if opts["accept_fabric"] else ([], [])
    extra4, extra6 = check_prefix_entries(opts["accept_prefixes"], "frr_accept_prefixes")
    in4 = in4 + extra4
    in6 = in6 + extra6
    if opts["accept_default_route"]:
        in4.append("0.0.0.0/0")
        in6.append("::/0")
    ipv6 = node_uses_ipv6(node, opts)
    max_prefix = int(opts["max_prefix"])

    lines = _header(host, opts)
    # blackhole per pod block: the block stays in the RIB (so `network` is
    # announced) and traffic to unallocated pod IPs dies here instead of
    # following the default route
    for block in node["pod_blocks"]:
        lines.append("ip route %s blackhole" % block)
    for block in node["pod_blocks6"] if ipv6 else []:
        lines.append("ipv6 route %s blackhole" % block)
    if node["pod_blocks"] or (ipv6 and node["pod_blocks6"]):
        lines.append("!")
    for up in node["uplinks"]:
        lines += _ra_interface(up["name"], opts)
    lines += _prefix_list("NODE-OWN-V4", 4, own4)
    lines += _prefix_list("FABRIC-IN-V4", 4, in4)
    if ipv6:
        lines += _prefix_list("NODE-OWN-V6", 6, own6)
        lines += _prefix_list("FABRIC-IN-V6", 6, in6)
    lines.append("!")
    lines += _route_map("TOR-IN-V4", 4, "FABRIC-IN-V4")
    lines += _route_map("TOR-OUT-V4", 4, "NODE-OWN-V4")
    if ipv6:
        lines += _route_map("TOR-IN-V6", 6, "FABRIC-IN-V6")
        lines += _route_map("TOR-OUT-V6", 6, "NODE-OWN-V6")
    lines += [
        "router bgp %d" % node["asn"],
        " bgp router-id %s" % node["router_id"],
        " bgp bestpath as-path multipath-relax",
        " no bgp default ipv4-unicast",
        " neighbor TOR peer-group",
        " neighbor TOR remote-as external",
    ]
    if opts["bfd"]:
        lines.append(" neighbor TOR bfd")
    for up in node["uplinks"]:
        lines.append(" neighbor %s interface peer-group TOR" % up["name"])
    lines += [" !", " address-family ipv4 unicast"]
    lines += ["  network %s" % p for p in own4]
    lines += [
        "  neighbor TOR activate",
        "  neighbor TOR soft-reconfiguration inbound",
        "  neighbor TOR route-map TOR-IN-V4 in",
        "  neighbor TOR route-map TOR-OUT-V4 out",
        "  neighbor TOR maximum-prefix %d" % max_prefix,
        " exit-address-family",
    ]
    if ipv6:
        lines += [" !", " address-family ipv6 unicast"]
        lines += ["  network %s" % p for p in own6]
        lines += [
            "  neighbor TOR activate",
            "  neighbor TOR soft-reconfiguration inbound",
            "  neighbor TOR route-map TOR-IN-V6 in",
            "  neighbor TOR route-map TOR-OUT-V6 out",
            "  neighbor TOR maximum-prefix %d" % max_prefix,
            " exit-address-family",
        ]
    lines += ["exit", "!", "end"]
    return "\n".join(lines) + "\n"


def render_daemons(bfd=False, extra_options=None):
    """/etc/frr/daemons: zebra, bgpd, staticd (the blackholes), bfdd on demand."""
    lines = [
        "# Managed by clusternet.fabric; read by frrinit.sh/watchfrr in the FRR container.",
        "zebra=yes",
        "bgpd=yes",
        "staticd=yes",
        "bfdd=%s" % ("yes" if bfd else "no"),
        "vtysh_enable=yes",
        # the daemons' defaults must match `frr defaults datacenter` in frr.conf
        "frr_profile=\"datacenter\"",
        "zebra_options=\"  -A 127.0.0.1 -s 90000000\"",
        "bgpd_options=\"   -A 127.0.0.1\"",
        "staticd_options=\"-A 127.0.0.1\"",
        "bfdd_options=\"   -A 127.0.0.1\"",
    ]
    for key, value in sorted((extra_options or {}).items()):
        lines.append("%s=\"%s\"" % (key, value))
    return "\n".join(lines) + "\n"


def tor_ports(fabric, tor):
    """[(port, node)] for a ToR, from the nodes' uplinks {name, tor, tor_port}."""
    ports, seen = [], {}
    for host in sorted(fabric["nodes"]):
        for up in fabric["nodes"][host]["uplinks"]:
            if up.get("tor") == tor:
                port = up["tor_port"]
                if port in seen:
                    raise FrrModelError(
                        "frr inventory: frr_uplinks tor_port of %s is %r: %s port already used by %s"
                        % (host, port, tor, seen[port]))
                seen[port] = host
                ports.append((port, host))
    return ports


def render_tor_conf(fabric, tor, asn, loopback, options=None):
    """frr.conf for a ToR running FRR: one unnumbered interface peer per server
    port, each accepting only its own server's loopback and pod blocks."""
    opts = _opts(TOR_DEFAULTS, options)
    asn = check_asn(asn, "frr_tor_asn", tor)
    loopback = check_host_address(loopback, "frr_tor_loopback", tor, 4)
    ports = tor_ports(fabric, tor)
    if not ports:
        raise FrrModelError(
            "frr inventory: frr_uplinks of the nodes name no port of ToR %s "
            "(use uplinks like {name: ens3, tor: %s, tor_port: swp1})" % (tor, tor))
    for port, host in ports:
        check_ifname(port, "frr_uplinks tor_port", host)
        if fabric["nodes"][host]["asn"] == asn:
            raise FrrModelError("frr inventory: frr_asn of %s is %r: same AS as the ToR %s" % (host, asn, tor))
    nodes = fabric["nodes"]
    ipv6 = any(node_uses_ipv6(nodes[h], opts) for _port, h in ports)
    served = sorted({h for _port, h in ports})
    all4, all6 = [], []
    for h in served:
        a4, a6 = announced(nodes[h])
        all4 += a4
        all6 += a6
    out4 = ["%s/32" % loopback] + all4
    out6 = list(all6)
    max_prefix = int(opts["max_prefix"])

    lines = _header(tor, opts)
    # the router-id on lo, owned by zebra (a switch has its own loopback)
    lines += ["interface lo", " ip address %s/32" % loopback, "exit", "!"]
    for port, host in ports:
        lines += _ra_interface(port, opts, description=host)
    for h in served:
        a4, a6 = announced(nodes[h])
        lines += _prefix_list("SERVER-%s-V4" % h, 4, a4)
        if ipv6:
            lines += _prefix_list("SERVER-%s-V6" % h, 6, a6)
    lines += _prefix_list("SERVERS-OUT-V4", 4, out4)
    if ipv6:
        lines += _prefix_list("SERVERS-OUT-V6", 6, out6)
    lines.append("!")
    for h in served:
        lines += _route_map("SERVER-%s-IN-V4" % h, 4, "SERVER-%s-V4" % h)
        if ipv6:
            lines += _route_map("SERVER-%s-IN-V6" % h, 6, "SERVER-%s-V6" % h)
    lines += _route_map("SERVERS-OUT-V4", 4, "SERVERS-OUT-V4")
    if ipv6:
        lines += _route_map("SERVERS-OUT-V6", 6, "SERVERS-OUT-V6")
    lines += [
        "router bgp %d" % asn,
        " bgp router-id %s" % loopback,
        " bgp bestpath as-path multipath-relax",
        " bgp bestpath compare-routerid",
        " no bgp default ipv4-unicast",
        " neighbor SERVERS peer-group",
        " neighbor SERVERS remote-as external",
    ]
    if opts["bfd"]:
        lines.append(" neighbor SERVERS bfd")
    for port, _host in ports:
        lines.append(" neighbor %s interface peer-group SERVERS" % port)
    families = [(4, "ipv4", ["%s/32" % loopback])]
    if ipv6:
        families.append((6, "ipv6", []))
    for family, afi, networks in families:
        lines += [" !", " address-family %s unicast" % afi]
        lines += ["  network %s" % n for n in networks]
        lines += [
            "  neighbor SERVERS activate",
            "  neighbor SERVERS soft-reconfiguration inbound",
            "  neighbor SERVERS route-map SERVERS-OUT-V%d out" % family,
            "  neighbor SERVERS maximum-prefix %d" % max_prefix,
        ]
        if opts["originate_default_route"]:
            lines.append("  neighbor SERVERS default-originate")
        # inbound policy per port: a server may only announce its own prefixes
        for port, host in ports:
            lines.append("  neighbor %s route-map SERVER-%s-IN-V%d in" % (port, host, family))
        lines.append(" exit-address-family")
    lines += ["exit", "!", "end"]
    return "\n".join(lines) + "\n"
