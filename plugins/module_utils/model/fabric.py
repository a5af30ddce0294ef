# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fabric model: racks of ToRs and servers, optional spines, built once
from the inventory and validated as a whole before anything is rendered.

Inventory (per host; the tier comes from the host's group):
  servers (frr_nodes):  frr_asn?, frr_loopback, frr_loopback6?, frr_rack?,
                        frr_uplinks [{name, tor, tor_port}] (or plain names
                        for a ToR that is not in the inventory), frr_pod_blocks?
  ToRs (frr_tors):      frr_asn, frr_loopback, frr_loopback6?, frr_rack?,
                        frr_uplinks [{name, spine, spine_port}] to the spines
  spines (frr_spines):  frr_asn, frr_loopback, frr_loopback6?

Fabric-wide settings: see SETTINGS. Everything the routers need beyond that
is derived here: racks, ports, ASNs (asn_plan), where allowas-in is needed,
the aggregate ranges the policies accept, maximum-prefix limits.

The result is a plain dict (it travels through Ansible facts); policy.py
turns it into typed router configurations.
"""

from __future__ import annotations

import bisect
import json
import ipaddress

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

SCOPE = "fabric inventory"
FAMILIES = (4, 6)
DEFAULT_RACK = "default"

NODE_KEYS = ("frr_asn", "frr_loopback", "frr_loopback6", "frr_rack", "frr_uplinks", "frr_pod_blocks")
SWITCH_KEYS = ("frr_asn", "frr_loopback", "frr_loopback6", "frr_rack", "frr_uplinks")
# names of the first version; refused with a pointer to the one variable now
RENAMED = {"frr_tor_asn": "frr_asn", "frr_tor_loopback": "frr_loopback"}

# Fabric-wide settings: inventory variable frr_<key>, default.
SETTINGS = {
    "asn_plan": "unique",          # unique: one AS per router; rack: node ASNs and ToR ASNs reused per rack
    "asn_base": None,              # node ASN = base + index (in the fabric, or in the rack for plan rack)
    "loopback_ranges": None,       # aggregates of every router-id; null: derived from the inventory
    "pod_ranges": None,            # aggregates of every pod block; null: derived from the inventory
    "accept_prefixes": [],         # more prefixes the nodes accept ('CIDR', 'CIDR le N', 'CIDR ge N le M')
    "accept_default_route": False,
    "max_prefix": None,            # per session and family; null: derived with headroom
    "max_prefix_restart": 5,       # minutes before a session torn down by maximum-prefix comes back
    "max_paths": 16,               # ECMP width
    "bfd": False,
    "bfd_detect_multiplier": 3,
    "bfd_interval": 100,           # ms, receive and transmit: detection in multiplier x interval
    "graceful_restart": True,
    "ipv6": None,                  # null: on when any router has IPv6 loopbacks or blocks
    # s; an unnumbered session waits for the peer's RA: 1 s brings a started or
    # restarted FRR to Established in ~2 s instead of ~4.5 s (bench/frr_establish.sh)
    "ra_interval": 1,
    "connect_retry": 5,            # s between connection attempts (FRR's default is 120)
    "log": "syslog informational",
    "version": "8.4",
    "tor_originate_default_route": False,
}
ASN_PLANS = ("unique", "rack")
MAX_PREFIX_FLOOR = 128


def _listing_of_networks(value, field, at):
    nets = []
    for index, item in enumerate(checks.listing(value, field, at)):
        nets.append(checks.network(item, "%s[%d]" % (field, index), at))
    return nets


def field(key):
    """The inventory variable of a setting: each message is named after it."""
    return "frr_" + key


def normalise_settings(raw):
    """frr_* settings -> {key: value}, each checked; unknown keys refused."""
    at = checks.At(SCOPE)
    raw = checks.mapping(raw, "settings", at)
    unknown = sorted(set(raw) - set(SETTINGS))
    if unknown:
        at.fail("frr_" + unknown[0], raw[unknown[0]], "not a fabric setting")
    s = {}
    for key, default in SETTINGS.items():
        value = raw.get(key)
        s[key] = default if value is None else value
    checks.one_of(s["asn_plan"], field("asn_plan"), at, ASN_PLANS)
    if s["asn_base"] is not None:
        s["asn_base"] = checks.asn(s["asn_base"], field("asn_base"), at)
    for key in ("loopback_ranges", "pod_ranges"):
        if s[key] is not None:
            s[key] = [str(n) for n in _listing_of_networks(s[key], field(key), at)]
    s["accept_prefixes"] = [prefix_entry(e, "%s[%d]" % (field("accept_prefixes"), i), at)
                            for i, e in enumerate(checks.listing(s["accept_prefixes"], field("accept_prefixes"), at))]
    for key in ("accept_default_route", "bfd", "graceful_restart", "tor_originate_default_route"):
        checks.boolean(s[key], field(key), at)
    if s["ipv6"] is not None:
        checks.boolean(s["ipv6"], field("ipv6"), at)
    if s["max_prefix"] is not None:
        s["max_prefix"] = checks.integer(s["max_prefix"], field("max_prefix"), at, 1, 4294967295)
    s["max_prefix_restart"] = checks.integer(s["max_prefix_restart"], field("max_prefix_restart"), at, 1, 65535)
    s["max_paths"] = checks.integer(s["max_paths"], field("max_paths"), at, 1, 64)
    s["bfd_detect_multiplier"] = checks.integer(s["bfd_detect_multiplier"], field("bfd_detect_multiplier"), at, 2, 255)
    s["bfd_interval"] = checks.integer(s["bfd_interval"], field("bfd_interval"), at, 10, 60000)
    s["ra_interval"] = checks.integer(s["ra_interval"], field("ra_interval"), at, 1, 1800)
    s["connect_retry"] = checks.integer(s["connect_retry"], field("connect_retry"), at, 1, 65535)
    s["log"] = _log_target(checks.text(s["log"], field("log"), at), at)
    s["version"] = checks.word(str(s["version"]), field("version"), at)
    return s


LOG_LEVELS = ("emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational",
              "debugging")


def _log_target(value, at):
    """FRR's `log` grammar: stdout|syslog|monitor [LEVEL], file PATH [LEVEL]."""
    words = value.split()
    ok = bool(words) and words[0] in ("stdout", "syslog", "monitor", "file")
    rest = words[1:]
    if ok and words[0] == "file":
        ok = bool(rest) and rest[0].startswith("/")
        rest = rest[1:]
    if not ok or len(rest) > 1 or (rest and rest[0] not in LOG_LEVELS):
        at.fail("frr_log", value, "an FRR log target: stdout, syslog or monitor, or file /PATH, then an optional "
                                  "level (%s)" % ", ".join(LOG_LEVELS))
    return " ".join(words)


def prefix_entry(entry, field, at):
    """'CIDR', 'CIDR le N' or 'CIDR ge N [le M]' -> {prefix, family, ge, le}."""
    parts = checks.text(entry, field, at).split()
    net = checks.network(parts[0], field, at)
    rest, bounds = parts[1:], {"ge": None, "le": None}
    ok = len(rest) in (0, 2, 4)
    for i in range(0, len(rest) - 1, 2):
        key, num = rest[i], rest[i + 1]
        ok = ok and key in bounds and bounds[key] is None and num.isdigit() \
            and net.prefixlen <= int(num) <= net.max_prefixlen
        if ok:
            bounds[key] = int(num)
    if ok and bounds["ge"] is not None and bounds["le"] is not None and bounds["ge"] > bounds["le"]:
        ok = False
    if not ok:
        at.fail(field, entry, "expected 'CIDR', 'CIDR le N' or 'CIDR ge N le M' (N within the prefix length..%d)"
                % net.max_prefixlen)
    return {"prefix": str(net), "family": net.version, "ge": bounds["ge"], "le": bounds["le"]}


def _refuse_renamed(hv, at):
    for old, new in RENAMED.items():
        if not checks.missing(hv.get(old)):
            at.fail(old, hv[old], "renamed to %s (one variable per setting for the whole fabric)" % new)


def _loopbacks(hv, at):
    if checks.missing(hv.get("frr_loopback")):
        at.fail("frr_loopback", hv.get("frr_loopback"), "required (the router-id, a /32)")
    lo = checks.host_prefix(hv["frr_loopback"], "frr_loopback", at, 4)
    lo6 = None
    if not checks.missing(hv.get("frr_loopback6")):
        lo6 = checks.host_prefix(hv["frr_loopback6"], "frr_loopback6", at, 6)
    return str(lo), (str(lo6) if lo6 else None)


def _rack(hv, at):
    if checks.missing(hv.get("frr_rack")):
        return None
    return checks.dns_label(checks.text(hv["frr_rack"], "frr_rack", at), "frr_rack", at)


def _uplinks(value, at, peer_key, required):
    """[{name, peer, peer_port}] from {name, <peer_key>, <peer_key>_port} or plain names."""
    port_key = peer_key + "_port"
    items = checks.listing(value, "frr_uplinks", at, allow_empty=not required)
    if required and not items:
        at.fail("frr_uplinks", value, "at least one uplink interface is required")
    uplinks, seen = [], set()
    for index, item in enumerate(items):
        field = "frr_uplinks[%d]" % index
        if isinstance(item, dict):
            checks.mapping(item, field, at, known=("name", peer_key, port_key))
            name = checks.ifname(item.get("name"), field + ".name", at)
            peer, peer_port = item.get(peer_key), item.get(port_key)
            if checks.missing(peer) != checks.missing(peer_port):
                at.fail(field, item, "give both %s and %s, or neither" % (peer_key, port_key))
            if not checks.missing(peer):
                peer = checks.text(peer, "%s.%s" % (field, peer_key), at)
                peer_port = checks.ifname(peer_port, "%s.%s" % (field, port_key), at)
            else:
                peer = peer_port = None
        else:
            name = checks.ifname(item, field, at)
            peer = peer_port = None
        if name in seen:
            at.fail(field, name, "listed twice")
        seen.add(name)
        uplinks.append({"name": name, "peer": peer, "peer_port": peer_port})
    return uplinks


def _blocks(value, at):
    nets = _listing_of_networks(value, "frr_pod_blocks", at)
    return {"4": [str(n) for n in nets if n.version == 4], "6": [str(n) for n in nets if n.version == 6]}


def _hostname(name, at):
    """Host names become FRR hostnames and file names: DNS names only."""
    checks.dns_name(checks.text(name, "host name", at).lower(), "host name", at)


def _switch(name, hv, tier):
    at = checks.At(SCOPE, name)
    _hostname(name, at)
    _refuse_renamed(hv, at)
    if checks.missing(hv.get("frr_asn")):
        at.fail("frr_asn", hv.get("frr_asn"), "required on a %s (its own AS number)" % tier)
    lo, lo6 = _loopbacks(hv, at)
    uplinks = _uplinks(hv.get("frr_uplinks"), at, "spine", required=False) if tier == "tor" else []
    if tier == "spine" and hv.get("frr_uplinks"):
        at.fail("frr_uplinks", hv["frr_uplinks"], "a spine has no uplinks (its ports come from the ToRs' uplinks)")
    for up in uplinks:
        if up["peer"] is None:
            at.fail("frr_uplinks", up["name"], "a ToR uplink names its spine and port: {name, spine, spine_port}")
    return {"name": name, "tier": tier, "rack": _rack(hv, at) if tier == "tor" else None,
            "asn": checks.asn(hv["frr_asn"], "frr_asn", at), "router_id": lo, "loopback": lo,
            "loopback6": lo6, "uplinks": uplinks, "ports": []}


def _node(name, hv, discovered):
    at = checks.At(SCOPE, name)
    _hostname(name, at)
    _refuse_renamed(hv, at)
    lo, lo6 = _loopbacks(hv, at)
    blocks_raw = hv.get("frr_pod_blocks")
    if blocks_raw is None and discovered is not None:
        blocks_raw = discovered
    asn = None if checks.missing(hv.get("frr_asn")) else checks.asn(hv["frr_asn"], "frr_asn", at)
    return {"name": name, "rack": _rack(hv, at), "asn": asn, "router_id": lo, "loopback": lo,
            "loopback6": lo6, "uplinks": _uplinks(hv.get("frr_uplinks"), at, "tor", required=True),
            "pod_blocks": _blocks(blocks_raw, at), "allowas_in": False, "index": None}


def _connect(nodes, switches):
    """Ports on the switches from the uplinks; racks of the nodes from their ToRs."""
    used = {}
    for owner in sorted(switches) + sorted(nodes):
        router = switches.get(owner) or nodes[owner]
        want = "spine" if owner in switches else "tor"
        for index, up in enumerate(router["uplinks"]):
            if up["peer"] is None:
                continue
            at = checks.At(SCOPE, owner)
            field = "frr_uplinks[%d].%s" % (index, want)
            peer = switches.get(up["peer"])
            if peer is None or peer["tier"] != want:
                at.fail(field, up["peer"], "not a %s of the inventory (known: %s)" % (
                    want, ", ".join(sorted(s for s in switches if switches[s]["tier"] == want)) or "none"))
            key = (up["peer"], up["peer_port"])
            if key in used:
                at.fail("frr_uplinks[%d].%s_port" % (index, want), up["peer_port"],
                        "port %s of %s is already cabled to %s" % (up["peer_port"], up["peer"], used[key]))
            used[key] = owner
            peer["ports"].append({"port": up["peer_port"], "peer": owner, "peer_port": up["name"],
                                  "peer_tier": "node" if owner in nodes else "tor"})
    for switch in switches.values():
        switch["ports"].sort(key=lambda p: (p["peer"], p["port"]))
        own = {up["name"] for up in switch["uplinks"]}
        for p in switch["ports"]:
            if p["port"] in own:
                checks.At(SCOPE, p["peer"]).fail("frr_uplinks", p["port"], "port %s of %s is its uplink to a spine"
                                                 % (p["port"], switch["name"]))
    for name, node in nodes.items():
        at = checks.At(SCOPE, name)
        racks = sorted({switches[up["peer"]]["rack"] for up in node["uplinks"] if up["peer"]})
        if len(racks) > 1:
            at.fail("frr_uplinks", [up["peer"] for up in node["uplinks"]],
                    "reach ToRs of different racks (%s); a server is cabled to ToRs of its own rack" % ", ".join(racks))
        if racks and node["rack"] not in (None, racks[0]):
            at.fail("frr_rack", node["rack"], "its ToRs are in rack %s" % racks[0])
        node["rack"] = racks[0] if racks else (node["rack"] or DEFAULT_RACK)


def _assign_asns(nodes, switches, settings):
    plan, base = settings["asn_plan"], settings["asn_base"]
    by_rack = {}
    for name in sorted(nodes):
        by_rack.setdefault(nodes[name]["rack"], []).append(name)
    for names in by_rack.values():
        for index, name in enumerate(names):
            nodes[name]["index"] = index
    if plan == "unique":
        for index, name in enumerate(sorted(nodes)):
            nodes[name]["index"] = index
    for name in sorted(nodes):
        node = nodes[name]
        if node["asn"] is None:
            at = checks.At(SCOPE, name)
            if base is None:
                at.fail("frr_asn", None, "set frr_asn, or frr_asn_base for the whole fabric")
            node["asn"] = checks.asn(base + node["index"], "frr_asn (frr_asn_base + %d)" % node["index"], at)

    # scope of uniqueness: the fabric (plan unique) or the rack (plan rack)
    scope_of = (lambda r: "the fabric") if plan == "unique" else (lambda r: "rack %s" % r["rack"])
    seen = {}
    for name in sorted(nodes):
        node = nodes[name]
        key = (scope_of(node), node["asn"])
        if key in seen:
            checks.At(SCOPE, name).fail("frr_asn", node["asn"], "already used by %s in %s (%s)" % (
                seen[key], key[0], "frr_asn_plan unique: one AS per node" if plan == "unique"
                else "one AS per node within a rack"))
        seen[key] = name
    switch_asns = {}
    for name in sorted(switches):
        switch_asns.setdefault(switches[name]["asn"], []).append(name)
    for asn_, names in sorted(switch_asns.items()):
        tiers = {switches[n]["tier"] for n in names}
        if len(tiers) > 1:
            checks.At(SCOPE, names[-1]).fail("frr_asn", asn_, "also the AS of %s (a ToR and a spine cannot share an AS)"
                                             % names[0])
        if tiers == {"tor"} and plan == "unique" and len(names) > 1:
            checks.At(SCOPE, names[1]).fail("frr_asn", asn_, "already used by the ToR %s (frr_asn_plan unique: one AS "
                                            "per ToR; frr_asn_plan rack reuses ToR ASNs)" % names[0])
    for name in sorted(nodes):
        node = nodes[name]
        if node["asn"] in switch_asns:
            checks.At(SCOPE, name).fail("frr_asn", node["asn"], "the AS of %s (eBGP: a server's AS differs from every "
                                        "switch's)" % switch_asns[node["asn"]][0])
    # An ASN that repeats elsewhere is on the path of routes this router must
    # take (a rack-mate of another rack, the other ToRs behind the spines):
    # allow it once.
    node_asn_count = {}
    for node in nodes.values():
        node_asn_count[node["asn"]] = node_asn_count.get(node["asn"], 0) + 1
    for node in nodes.values():
        node["allowas_in"] = node_asn_count[node["asn"]] > 1
    for switch in switches.values():
        switch["allowas_in"] = switch["tier"] == "tor" and len(switch_asns[switch["asn"]]) > 1


def _check_addresses(nodes, switches):
    """Loopbacks unique; pod blocks disjoint from each other and from every loopback."""
    owner = {}
    for name in sorted(switches) + sorted(nodes):
        router = switches.get(name) or nodes[name]
        for key in ("loopback", "loopback6"):
            addr = router[key]
            if addr is None:
                continue
            if addr in owner:
                checks.At(SCOPE, name).fail("frr_" + key, addr, "already the loopback of %s" % owner[addr])
            owner[addr] = name
    blocks = sorted(((ipaddress.ip_network(b), name) for name in nodes
                     for fam in ("4", "6") for b in nodes[name]["pod_blocks"][fam]),
                    key=lambda item: (item[0].version, item[0]))
    # sorted by address: an overlap is always with the previous block's span
    for (net, name), (other, other_name) in zip(blocks, blocks[1:]):
        if net.version == other.version and net.overlaps(other):
            checks.At(SCOPE, other_name).fail("frr_pod_blocks", str(other), "overlaps %s of %s" % (net, name))
    # each block against the loopbacks, by bisection (no N x N scan)
    loopbacks = {fam: sorted(int(ipaddress.ip_address(a)) for a in owner if ipaddress.ip_address(a).version == fam)
                 for fam in FAMILIES}
    for net, name in blocks:
        addrs = loopbacks[net.version]
        at = bisect.bisect_left(addrs, int(net.network_address))
        if at < len(addrs) and addrs[at] <= int(net.broadcast_address):
            addr = str(ipaddress.ip_address(addrs[at]))
            checks.At(SCOPE, name).fail("frr_pod_blocks", str(net), "contains the loopback %s of %s"
                                        % (addr, owner[addr]))


def _ranges(settings, key, members, field):
    """The aggregates: given (every member checked inside) or derived (collapsed)."""
    out = {}
    for fam in FAMILIES:
        mine = [m for m in members if m[0].version == fam]
        if settings[key] is not None:
            given = [ipaddress.ip_network(n) for n in settings[key] if ipaddress.ip_network(n).version == fam]
            for net, name, what in mine:
                if not any(net.subnet_of(r) for r in given):
                    checks.At(SCOPE, name).fail(what, str(net), "outside %s %s" % (
                        field, ", ".join(str(r) for r in given) or "(none of IPv%d)" % fam))
            out[str(fam)] = [str(r) for r in given]
        else:
            out[str(fam)] = [str(n) for n in ipaddress.collapse_addresses(m[0] for m in mine)]
    return out


def _next_power_of_two(n):
    power = 1
    while power < n:
        power *= 2
    return power


def _limit(expected, settings, what):
    """maximum-prefix: the user's (checked against what is expected) or twice
    the expected count rounded up to a power of two (changes only when the
    fabric doubles, so adding a node rewrites no other node's file)."""
    if settings["max_prefix"] is not None:
        if settings["max_prefix"] < expected:
            checks.At(SCOPE).fail("frr_max_prefix", settings["max_prefix"], "below the %d prefixes %s; the sessions "
                                  "would be torn down" % (expected, what))
        return settings["max_prefix"]
    return max(MAX_PREFIX_FLOOR, _next_power_of_two(2 * expected))


def announced(router, fam):
    """What a router originates in one family: loopback and (servers) pod blocks."""
    key = "loopback" if fam == 4 else "loopback6"
    own = [router[key] + ("/32" if fam == 4 else "/128")] if router.get(key) else []
    return own + list(router.get("pod_blocks", {}).get(str(fam), []))


def _tiers(nodes, tors, spines):
    """Each host in one tier only; host names are strings."""
    tiers = {}
    for tier, group in (("node", nodes), ("tor", tors or {}), ("spine", spines or {})):
        for name in checks.mapping(group, "frr_%ss" % tier, checks.At(SCOPE)):
            if not isinstance(name, str):
                checks.At(SCOPE, name).fail("host name", name, "must be a string")
            if name in tiers:
                checks.At(SCOPE, name).fail("groups", tier, "also a %s of the fabric" % tiers[name])
            tiers[name] = tier


def _switches(tors, spines):
    switches = {}
    for name, hv in sorted((tors or {}).items()):
        switches[name] = _switch(name, hv or {}, "tor")
    for name, hv in sorted((spines or {}).items()):
        switches[name] = _switch(name, hv or {}, "spine")
    for switch in switches.values():
        if switch["tier"] == "tor" and switch["rack"] is None:
            switch["rack"] = DEFAULT_RACK
    return switches


def _fabric_warnings(servers, switches):
    """Public AS numbers, switches no uplink names."""
    warnings = []
    for name in sorted(servers) + sorted(switches):
        asn_ = (servers.get(name) or switches[name])["asn"]
        if not checks.is_private_asn(asn_):
            warnings.append("fabric: %s uses public AS %d; make sure you own it" % (name, asn_))
    for name, switch in sorted(switches.items()):
        if not switch["ports"]:
            warnings.append("fabric: no server or ToR is cabled to %s (no uplink names it)" % name)
    return warnings


def _policy(s, servers, switches, warnings):
    """The policy's inputs: the ranges the fabric accepts, the pod blocks' longest prefix,
    the families and the max-prefix limits per session kind."""
    routers = list(servers.values()) + list(switches.values())
    loopback_members = [(ipaddress.ip_network(p), r["name"], "frr_loopback" if fam == 4 else "frr_loopback6")
                        for r in routers for fam in FAMILIES
                        for p in announced({"loopback": r["loopback"], "loopback6": r["loopback6"]}, fam)]
    block_members = [(ipaddress.ip_network(b), n["name"], "frr_pod_blocks")
                     for n in servers.values() for fam in FAMILIES for b in n["pod_blocks"][str(fam)]]
    ranges = {"loopbacks": _ranges(s, "loopback_ranges", loopback_members, "frr_loopback_ranges"),
              "pods": _ranges(s, "pod_ranges", block_members, "frr_pod_ranges")}
    pod_le = {}
    for fam in FAMILIES:
        lengths = [m[0].prefixlen for m in block_members if m[0].version == fam]
        pod_le[str(fam)] = max(lengths) if lengths else None
    derived = [k for k in ("loopback_ranges", "pod_ranges") if s[k] is None]
    if derived and sum(len(v) for part in ranges.values() for v in part.values()) > 16:
        warnings.append("fabric: %s derived from the inventory gives %d entries; set them to the ranges you "
                        "allocate from, so that the policy stays short and adding a node changes no other node"
                        % (" and ".join("frr_" + k for k in derived),
                           sum(len(v) for part in ranges.values() for v in part.values())))

    ipv6 = s["ipv6"] if s["ipv6"] is not None else any(m[0].version == 6 for m in loopback_members + block_members)
    families = [4, 6] if ipv6 else [4]
    total = {fam: len([m for m in loopback_members + block_members if m[0].version == fam]) for fam in FAMILIES}
    extra = {fam: len([e for e in s["accept_prefixes"] if e["family"] == fam]) + int(s["accept_default_route"])
             for fam in FAMILIES}
    # the most a server originates: what a ToR port may receive
    per_server = {fam: max(len(announced(n, fam)) for n in servers.values()) for fam in FAMILIES}
    limits = {str(fam): {"fabric": _limit(total[fam] + extra[fam], s, "the fabric announces in IPv%d" % fam),
                         "server": _limit(per_server[fam], s, "a server announces in IPv%d" % fam)}
              for fam in families}
    return ranges, pod_le, families, limits


def _racks(servers, switches):
    racks = {}
    for name, switch in sorted(switches.items()):
        if switch["tier"] == "tor":
            racks.setdefault(switch["rack"], {"name": switch["rack"], "tors": [], "nodes": []})["tors"].append(name)
    for name, node in sorted(servers.items()):
        racks.setdefault(node["rack"], {"name": node["rack"], "tors": [], "nodes": []})["nodes"].append(name)
    return racks


def build_fabric(nodes, tors=None, spines=None, settings=None, pod_blocks=None):
    """Validate the inventory of the fabric and derive what its routers need.

    nodes / tors / spines: {host: hostvars} per tier; settings: {key: value}
    (keys of SETTINGS, from the frr_* variables); pod_blocks: {host: [CIDR]}
    discovered from the cluster, for servers without frr_pod_blocks.
    Raises checks.InputError naming the field, the host and the value.
    """
    s = normalise_settings(settings)
    if not nodes:
        checks.At(SCOPE).fail("frr_nodes", [], "no server in the fabric")
    _tiers(nodes, tors, spines)
    switches = _switches(tors, spines)
    discovered = pod_blocks or {}
    servers = {name: _node(name, hv or {}, discovered.get(name)) for name, hv in sorted(nodes.items())}
    _connect(servers, switches)
    _assign_asns(servers, switches, s)
    _check_addresses(servers, switches)
    warnings = _fabric_warnings(servers, switches)
    ranges, pod_le, families, limits = _policy(s, servers, switches, warnings)
    return {
        "settings": s,
        "families": families,
        "racks": _racks(servers, switches),
        "nodes": servers,
        "switches": switches,
        "ranges": ranges,
        "pod_le": pod_le,
        "max_prefix": limits,
        "warnings": warnings,
    }


def sessions(fabric, name):
    """The interfaces router ``name`` has a BGP session on (unnumbered: one per link):
    a server one per uplink, a switch one per cabled port and per uplink to a spine."""
    router = fabric["nodes"].get(name) or fabric["switches"].get(name)
    if router is None:
        checks.At(SCOPE).fail("host", name, "not a server or switch of the fabric model")
    return sorted({up["name"] for up in router["uplinks"]} | {port["port"] for port in router.get("ports", ())})


def session_states(fabric, name, summary):
    """Each of ``name``'s sessions as FRR's ``show bgp summary json`` (``summary``, the
    text; empty when vtysh failed) reports it: {interface: {state, remote_as}} over every
    address family, ``missing`` when FRR has no such peer; and the ones not Established."""
    try:
        doc = json.loads(summary) if summary else {}
    except ValueError:
        doc = {}
    peers = {}
    for family in doc.values() if isinstance(doc, dict) else ():
        for peer, info in ((family or {}).get("peers") or {}).items() if isinstance(family, dict) else ():
            peers.setdefault(peer, info)
    states = {}
    for interface in sessions(fabric, name):
        peer = peers.get(interface) or {}
        states[interface] = {"state": peer.get("state", "missing"), "remote_as": peer.get("remoteAs")}
    return {"sessions": states,
            "down": ["%s (%s)" % (i, s["state"]) for i, s in states.items() if s["state"] != "Established"]}


def rollout_batch_size(batch, hosts):
    """The size of the first batch Ansible makes of ``hosts`` servers with ``serial: batch``
    (frr_rollout_batch: a number, a percentage like '10%', or a list of those, of which the
    first makes the first batch); a percentage rounds down, to at least one server."""
    at = checks.At(SCOPE)
    first = batch[0] if isinstance(batch, list) and batch else batch
    if isinstance(first, str) and first.strip().endswith("%"):
        percent = checks.integer(first.strip()[:-1], "frr_rollout_batch", at, minimum=1, maximum=100)
        return min(hosts, max(1, int(percent / 100.0 * hosts)))
    return min(hosts, checks.integer(first, "frr_rollout_batch", at, minimum=1))
