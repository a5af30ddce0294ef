# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""BGP policy of the fabric as data: fabric model -> one RouterConfig per
router (server, ToR, spine). Every decision is made here; render/frr.py only
formats. Tests read these objects, not substrings of frr.conf.

The policy grows with what a router has, never with the fabric: a server
accepts the fabric's aggregates (loopback ranges, pod ranges up to the block
length), a ToR accepts from each server port exactly that server's prefixes
(bounded by the rack), switches pass the aggregates to each other.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import SCOPE, announced

BFD_PROFILE = "fabric"
DENY_ANY = {4: "0.0.0.0/0", 6: "::/0"}


@dataclass(frozen=True)
class PrefixRule:
    action: str                   # permit | deny
    prefix: str
    ge: Optional[int] = None
    le: Optional[int] = None


@dataclass
class PrefixList:
    name: str
    family: int
    rules: List[PrefixRule]


@dataclass
class RouteMap:
    name: str
    family: int
    prefix_list: str


@dataclass
class FamilyPolicy:
    """One peer group's settings in one address family."""
    family: int
    route_map_in: Optional[str]
    route_map_out: str
    max_prefix: int
    max_prefix_restart: int
    allowas_in: bool = False
    default_originate: bool = False


@dataclass
class PeerGroup:
    name: str
    bfd_profile: Optional[str]
    connect_retry: int
    families: List[FamilyPolicy]


@dataclass
class Neighbor:
    interface: str
    group: str
    description: Optional[str]
    route_map_in: Dict[int, str] = field(default_factory=dict)   # per-port inbound policy


@dataclass
class BfdProfile:
    name: str
    detect_multiplier: int
    interval: int


@dataclass
class RouterConfig:
    hostname: str
    tier: str                     # node | tor | spine
    asn: int
    router_id: str
    families: List[int]
    log: str
    version: str
    ra_interval: int
    max_paths: int
    graceful_restart: bool
    lo_addresses: List[str]       # put on lo by zebra (switches)
    blackholes: Dict[int, List[str]]
    neighbors: List[Neighbor]     # one per BGP interface (RA on each)
    prefix_lists: List[PrefixList]
    route_maps: List[RouteMap]
    peer_groups: List[PeerGroup]
    networks: Dict[int, List[str]]
    bfd_profile: Optional[BfdProfile] = None


def _suffix(fam):
    return "V%d" % fam


def _exact(prefixes):
    return [PrefixRule("permit", p) for p in prefixes]


def _with_deny(rules, fam):
    # an explicit final deny keeps the list defined (and its intent visible)
    # even when it has nothing to permit
    return list(rules) + [PrefixRule("deny", DENY_ANY[fam], le=32 if fam == 4 else 128)]


def _up_to(prefix, length):
    net = ipaddress.ip_network(prefix)
    if length is None or length == net.prefixlen:
        return PrefixRule("permit", prefix)
    return PrefixRule("permit", prefix, le=length)


def fabric_rules(fabric, fam, with_default):
    """What may travel the fabric in one family: the aggregates, the extra
    accepted prefixes, the default route when the fabric carries one."""
    maxlen = 32 if fam == 4 else 128
    rules = [_up_to(p, maxlen) for p in fabric["ranges"]["loopbacks"][str(fam)]]
    rules += [_up_to(p, fabric["pod_le"][str(fam)]) for p in fabric["ranges"]["pods"][str(fam)]]
    rules += [PrefixRule("permit", e["prefix"], e["ge"], e["le"])
              for e in fabric["settings"]["accept_prefixes"] if e["family"] == fam]
    if with_default:
        rules.append(PrefixRule("permit", DENY_ANY[fam]))
    return rules


def _common(fabric, router, tier):
    s = fabric["settings"]
    bfd = BfdProfile(BFD_PROFILE, s["bfd_detect_multiplier"], s["bfd_interval"]) if s["bfd"] else None
    return dict(hostname=router["name"], tier=tier, asn=router["asn"], router_id=router["router_id"],
                families=list(fabric["families"]), log=s["log"], version=s["version"],
                ra_interval=s["ra_interval"], max_paths=s["max_paths"], graceful_restart=s["graceful_restart"],
                bfd_profile=bfd)


def _group(fabric, name, per_family):
    s = fabric["settings"]
    return PeerGroup(name=name, bfd_profile=BFD_PROFILE if s["bfd"] else None, connect_retry=s["connect_retry"],
                     families=[FamilyPolicy(family=fam, max_prefix_restart=s["max_prefix_restart"], **per_family(fam))
                               for fam in fabric["families"]])


def node_config(fabric, host):
    """A server: eBGP unnumbered on every uplink, originating its loopback and
    pod blocks (each blackholed), accepting the fabric's aggregates."""
    node = fabric["nodes"].get(host)
    if node is None:
        checks.At(SCOPE, host).fail("frr_nodes", host, "not a server of the fabric")
    s = fabric["settings"]
    lists, maps = [], []
    for fam in fabric["families"]:
        sfx = _suffix(fam)
        lists.append(PrefixList("NODE-OWN-" + sfx, fam, _with_deny(_exact(announced(node, fam)), fam)))
        # a ToR that originates the default route sends it to servers that take it
        with_default = s["accept_default_route"] or s["tor_originate_default_route"]
        lists.append(PrefixList("FABRIC-IN-" + sfx, fam, _with_deny(fabric_rules(fabric, fam, with_default), fam)))
    for fam in fabric["families"]:
        sfx = _suffix(fam)
        maps += [RouteMap("TOR-IN-" + sfx, fam, "FABRIC-IN-" + sfx), RouteMap("TOR-OUT-" + sfx, fam, "NODE-OWN-" + sfx)]
    group = _group(fabric, "TOR", lambda fam: dict(
        route_map_in="TOR-IN-" + _suffix(fam), route_map_out="TOR-OUT-" + _suffix(fam),
        max_prefix=fabric["max_prefix"][str(fam)]["fabric"], allowas_in=node["allowas_in"]))
    neighbors = [Neighbor(up["name"], "TOR", "%s:%s" % (up["peer"], up["peer_port"]) if up["peer"] else None)
                 for up in node["uplinks"]]
    return RouterConfig(
        lo_addresses=[], blackholes={fam: list(node["pod_blocks"][str(fam)]) for fam in fabric["families"]},
        neighbors=neighbors, prefix_lists=lists, route_maps=maps, peer_groups=[group],
        networks={fam: announced(node, fam) for fam in fabric["families"]}, **_common(fabric, node, "node"))


def _switch_lo(switch):
    return [switch["loopback"] + "/32"] + ([switch["loopback6"] + "/128"] if switch["loopback6"] else [])


def switch_config(fabric, name):
    """A ToR (servers below, spines above) or a spine (ToRs below)."""
    switch = fabric["switches"].get(name)
    if switch is None:
        checks.At(SCOPE, name).fail("frr_tors", name, "not a switch of the fabric")
    if not switch["ports"]:
        checks.At(SCOPE, name).fail("frr_uplinks", None, "no uplink of a server or ToR names this %s (use uplinks "
                                    "like {name: ens3, tor: %s, tor_port: swp1})" % (switch["tier"], name))
    s = fabric["settings"]
    fams = fabric["families"]
    lists = [PrefixList("FABRIC-" + _suffix(fam), fam, _with_deny(fabric_rules(fabric, fam, False), fam))
             for fam in fams]
    maps, groups, neighbors = [], [], []
    down = switch["ports"]
    if switch["tier"] == "tor":
        served = sorted({p["peer"] for p in down})
        for host in served:
            for fam in fams:
                lists.append(PrefixList("SERVER-%s-%s" % (host, _suffix(fam)), fam,
                                        _with_deny(_exact(announced(fabric["nodes"][host], fam)), fam)))
        for host in served:
            maps += [RouteMap("SERVER-%s-IN-%s" % (host, _suffix(f)), f, "SERVER-%s-%s" % (host, _suffix(f)))
                     for f in fams]
        maps += [RouteMap("SERVERS-OUT-" + _suffix(f), f, "FABRIC-" + _suffix(f)) for f in fams]
        groups.append(_group(fabric, "SERVERS", lambda fam: dict(
            route_map_in=None, route_map_out="SERVERS-OUT-" + _suffix(fam),
            max_prefix=fabric["max_prefix"][str(fam)]["server"],
            default_originate=s["tor_originate_default_route"])))
        # inbound policy per port: a server may only announce its own prefixes
        neighbors += [Neighbor(p["port"], "SERVERS", p["peer"],
                               {f: "SERVER-%s-IN-%s" % (p["peer"], _suffix(f)) for f in fams}) for p in down]
        if switch["uplinks"]:
            maps += [RouteMap("SPINES-%s-%s" % (d, _suffix(f)), f, "FABRIC-" + _suffix(f))
                     for f in fams for d in ("IN", "OUT")]
            groups.append(_group(fabric, "SPINES", lambda fam: dict(
                route_map_in="SPINES-IN-" + _suffix(fam), route_map_out="SPINES-OUT-" + _suffix(fam),
                max_prefix=fabric["max_prefix"][str(fam)]["fabric"], allowas_in=switch["allowas_in"])))
            neighbors += [Neighbor(up["name"], "SPINES", "%s:%s" % (up["peer"], up["peer_port"]))
                          for up in switch["uplinks"]]
    else:
        maps += [RouteMap("LEAVES-%s-%s" % (d, _suffix(f)), f, "FABRIC-" + _suffix(f))
                 for f in fams for d in ("IN", "OUT")]
        groups.append(_group(fabric, "LEAVES", lambda fam: dict(
            route_map_in="LEAVES-IN-" + _suffix(fam), route_map_out="LEAVES-OUT-" + _suffix(fam),
            max_prefix=fabric["max_prefix"][str(fam)]["fabric"])))
        neighbors += [Neighbor(p["port"], "LEAVES", "%s:%s" % (p["peer"], p["peer_port"])) for p in down]
    own = {fam: [p for p in _switch_lo(switch) if ipaddress.ip_network(p).version == fam] for fam in fams}
    return RouterConfig(lo_addresses=[p for fam in fams for p in own[fam]], blackholes={fam: [] for fam in fams},
                        neighbors=neighbors, prefix_lists=lists, route_maps=maps, peer_groups=groups,
                        networks=own, **_common(fabric, switch, switch["tier"]))
