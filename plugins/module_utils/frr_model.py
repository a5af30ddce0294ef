# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The BGP fabric model: every node's ASN, loopback, uplinks and pod blocks,
validated together (uniqueness and overlaps need the whole fabric), before
anything is rendered or touched."""

from __future__ import annotations

import ipaddress
import re

ASN_MIN = 1
ASN_MAX = 4294967295
# RFC 6793 AS_TRANS and the RFC 7300 last ASNs: never valid on a session.
ASN_RESERVED = {23456, 65535, 4294967295}
# RFC 6996 private ranges; anything else is public and earns a warning.
ASN_PRIVATE = ((64512, 65534), (4200000000, 4294967294))
IFNAMSIZ = 15  # Linux IFNAMSIZ 16 minus the terminating NUL
_IFNAME_BAD = re.compile(r"[\s/:]")

NODE_KEYS = ("frr_asn", "frr_loopback", "frr_loopback6", "frr_uplinks", "frr_pod_blocks")


class FrrModelError(ValueError):
    """Bad fabric input; the message names the field, the host and the value."""


def _fail(field, host, value, why):
    raise FrrModelError("frr inventory: %s of %s is %r: %s" % (field, host, value, why))


def check_asn(value, field, host):
    """Return the ASN as int, or raise naming field, host and value."""
    if isinstance(value, bool):
        _fail(field, host, value, "not an AS number")
    try:
        asn = int(str(value).strip())
    except (TypeError, ValueError):
        # asdot notation (65000.1) is accepted by FRR too, but keep one form
        _fail(field, host, value, "not an AS number (use asplain, 1..4294967295)")
    if not ASN_MIN <= asn <= ASN_MAX:
        _fail(field, host, value, "out of range 1..4294967295")
    if asn in ASN_RESERVED:
        _fail(field, host, value, "reserved AS number (AS_TRANS 23456, 65535, 4294967295)")
    return asn


def is_private_asn(asn):
    return any(lo <= asn <= hi for lo, hi in ASN_PRIVATE)


def check_ifname(value, field, host):
    if not isinstance(value, str) or not value:
        _fail(field, host, value, "not an interface name")
    if len(value) > IFNAMSIZ:
        _fail(field, host, value, "interface name longer than %d characters" % IFNAMSIZ)
    if value in (".", "..") or _IFNAME_BAD.search(value):
        _fail(field, host, value, "not a valid Linux interface name")
    return value


def check_host_address(value, field, host, version):
    """A host address: 'A.B.C.D' or 'A.B.C.D/32' (v6: '/128'); returns the address string."""
    try:
        iface = ipaddress.ip_interface(str(value).strip())
    except ValueError:
        _fail(field, host, value, "not an IP address")
    if iface.version != version:
        _fail(field, host, value, "not an IPv%d address" % version)
    full = 32 if version == 4 else 128
    if iface.network.prefixlen != full:
        _fail(field, host, value, "a loopback must be a /%d" % full)
    return str(iface.ip)


def check_network(value, field, host):
    try:
        return ipaddress.ip_network(str(value).strip(), strict=True)
    except ValueError as exc:
        _fail(field, host, value, "not a network with its host bits zero (%s)" % exc)


def check_uplinks(value, host):
    """Uplinks: a list of interface names or of dicts {name, tor, tor_port}."""
    if value is None or value == [] or value == "":
        _fail("frr_uplinks", host, value, "at least one uplink interface is required")
    if not isinstance(value, (list, tuple)):
        _fail("frr_uplinks", host, value, "must be a list")
    uplinks, seen = [], set()
    for item in value:
        if isinstance(item, dict):
            name = check_ifname(item.get("name"), "frr_uplinks name", host)
            tor = item.get("tor")
            port = item.get("tor_port")
            if (tor is None) != (port is None):
                _fail("frr_uplinks", host, item, "give both tor and tor_port, or neither")
            if port is not None:
                check_ifname(port, "frr_uplinks tor_port", host)
            up = {"name": name, "tor": tor, "tor_port": port}
        else:
            up = {"name": check_ifname(item, "frr_uplinks", host), "tor": None, "tor_port": None}
        if up["name"] in seen:
            _fail("frr_uplinks", host, up["name"], "listed twice")
        seen.add(up["name"])
        uplinks.append(up)
    return uplinks


def build_fabric(nodes, asn_base=None, peer_asns=()):
    """Validate and normalise the fabric.

    nodes: {hostname: {frr_asn?, frr_loopback, frr_loopback6?, frr_uplinks, frr_pod_blocks?}}
    asn_base: used for nodes without frr_asn: ASN = asn_base + index of the host
      in the sorted host names (stable while hosts are only appended in order).
    peer_asns: {name: asn} of the ToRs; a node may not share a ToR's ASN.

    Returns {"nodes": {host: {...}}, "warnings": [...]}; raises FrrModelError.
    """
    if not nodes:
        raise FrrModelError("frr inventory: no nodes in the fabric (check frr_nodes)")
    warnings = []
    out = {}
    names = sorted(nodes)
    if asn_base is not None:
        asn_base = check_asn(asn_base, "frr_asn_base", "the fabric")
    for index, host in enumerate(names):
        hv = nodes[host] or {}
        if hv.get("frr_asn") not in (None, ""):
            asn = check_asn(hv["frr_asn"], "frr_asn", host)
        elif asn_base is not None:
            asn = check_asn(asn_base + index, "frr_asn (frr_asn_base + index %d)" % index, host)
        else:
            _fail("frr_asn", host, None, "set frr_asn or frr_asn_base")
        if not is_private_asn(asn):
            warnings.append("frr: %s uses public AS %d; make sure you own it" % (host, asn))
        if hv.get("frr_loopback") in (None, ""):
            _fail("frr_loopback", host, None, "required (the router-id, a /32)")
        loopback = check_host_address(hv["frr_loopback"], "frr_loopback", host, 4)
        loopback6 = None
        if hv.get("frr_loopback6") not in (None, ""):
            loopback6 = check_host_address(hv["frr_loopback6"], "frr_loopback6", host, 6)
        blocks = hv.get("frr_pod_blocks") or []
        if not isinstance(blocks, (list, tuple)):
            _fail("frr_pod_blocks", host, blocks, "must be a list of CIDRs")
        nets = [check_network(b, "frr_pod_blocks", host) for b in blocks]
        out[host] = {
            "name": host,
            "index": index,
            "asn": asn,
            "router_id": loopback,
            "loopback": loopback,
            "loopback6": loopback6,
            "uplinks": check_uplinks(hv.get("frr_uplinks"), host),
            "pod_blocks": [str(n) for n in nets if n.version == 4],
            "pod_blocks6": [str(n) for n in nets if n.version == 6],
        }

    # uniqueness: AS-per-node (a node that shared an ASN would drop the
    # other's routes by AS-path loop prevention), router-ids, ToR ASNs
    by_asn, by_lo = {}, {}
    for host in names:
        node = out[host]
        if node["asn"] in by_asn:
            _fail("frr_asn", host, node["asn"], "already used by %s (one AS per node)" % by_asn[node["asn"]])
        by_asn[node["asn"]] = host
        for key in ("loopback", "loopback6"):
            addr = node[key]
            if addr is None:
                continue
            if addr in by_lo:
                _fail("frr_" + key, host, addr, "already used by %s" % by_lo[addr])
            by_lo[addr] = host
    for peer, peer_asn in dict(peer_asns).items():
        peer_asn = check_asn(peer_asn, "frr_tor_asn", peer)
        if peer_asn in by_asn:
            _fail("frr_asn", by_asn[peer_asn], peer_asn, "same AS as the ToR %s (eBGP needs a different AS)" % peer)

    # no pod block may overlap another (same or other node) or a loopback
    owned = []
    for host in names:
        node = out[host]
        for b in node["pod_blocks"] + node["pod_blocks6"]:
            owned.append((ipaddress.ip_network(b), host))
    for i, (net, host) in enumerate(owned):
        for other, other_host in owned[i + 1:]:
            if net.version == other.version and net.overlaps(other):
                _fail("frr_pod_blocks", host, str(net), "overlaps %s of %s" % (other, other_host))
        for addr, lo_host in by_lo.items():
            ip = ipaddress.ip_address(addr)
            if ip.version == net.version and ip in net:
                _fail("frr_pod_blocks", host, str(net), "contains the loopback %s of %s" % (addr, lo_host))
    return {"nodes": out, "warnings": warnings}


def announced(node):
    """The prefixes a node originates: its loopback(s) and pod blocks, per family."""
    v4 = [node["loopback"] + "/32"] + list(node["pod_blocks"])
    v6 = ([node["loopback6"] + "/128"] if node.get("loopback6") else []) + list(node["pod_blocks6"])
    return v4, v6


def fabric_prefixes(fabric, exclude=None):
    """Every node's announced prefixes except exclude's, per family."""
    v4, v6 = [], []
    for host in sorted(fabric["nodes"]):
        if host == exclude:
            continue
        a4, a6 = announced(fabric["nodes"][host])
        v4 += a4
        v6 += a6
    return v4, v6


def check_prefix_entries(entries, field):
    """User prefix-list entries: 'P' or 'P le N' / 'P ge N [le M]'. Returns normalised strings."""
    out4, out6 = [], []
    for entry in entries or []:
        parts = str(entry).split()
        net = check_network(parts[0] if parts else entry, field, "the fabric")
        rest = parts[1:]
        ok = len(rest) in (0, 2, 4) and all(
            rest[i] in ("ge", "le") and rest[i + 1].isdigit() and net.prefixlen <= int(rest[i + 1]) <= net.max_prefixlen
            for i in range(0, len(rest), 2))
        if not ok:
            _fail(field, "the fabric", entry, "expected 'CIDR', 'CIDR le N' or 'CIDR ge N le M'")
        (out4 if net.version == 4 else out6).append(" ".join([str(net)] + rest))
    return out4, out6
