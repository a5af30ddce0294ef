# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fabric's part of a switch that has a configuration of its own.

A production switch carries sessions, routes and policy that are not the
fabric's. In part mode the collection owns only what it names: its
prefix-lists and route-maps, the interfaces of its ports, its BFD profile,
its peer groups and the neighbors on its ports (with their address-family
lines). merge() takes the switch's running configuration, drops what the
fabric owns (now, or owned the last time: `previous`), and puts the fabric's
part back in; everything else stays as the switch runs it. Switch-wide
settings (hostname, router-id, bestpath, graceful restart, the loopback) stay
the switch team's.
"""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import SCOPE

# top-level lines that close a context in FRR's running configuration
_CLOSERS = ("exit", "end")


def owned_names(cfg):
    """What a RouterConfig (model.bgp) owns on the switch, as sorted lists."""
    return {
        "prefix_lists": sorted({p.name for p in cfg.prefix_lists}),
        "route_maps": sorted({r.name for r in cfg.route_maps}),
        "interfaces": sorted({n.interface for n in cfg.neighbors}),
        "neighbors": sorted({n.interface for n in cfg.neighbors} | {g.name for g in cfg.peer_groups}),
        "bfd_profiles": [cfg.bfd_profile.name] if cfg.bfd_profile else [],
    }


def _union(*owned):
    keys = ("prefix_lists", "route_maps", "interfaces", "neighbors", "bfd_profiles")
    return {k: sorted(set().union(*[set((o or {}).get(k, [])) for o in owned])) for k in keys}


def parse(text):
    """FRR configuration text -> blocks: (head, [body lines]) for a context
    (interface, router, route-map, bfd, ...), (line, None) for a single line."""
    blocks, current = [], None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line == "!" or line.startswith("Building configuration") or \
                line.startswith("Current configuration") or (line.startswith("!") and not line.startswith(" ")):
            continue
        if current is not None:
            if line in _CLOSERS:
                blocks.append(current)
                current = None
            else:
                current[1].append(line)
            continue
        if line in _CLOSERS:
            continue
        if line.startswith(("interface ", "router ", "route-map ", "vrf ", "line ", "key chain", "segment-routing")) \
                or line == "bfd":
            current = (line, [])
        else:
            blocks.append((line, None))
    if current is not None:
        blocks.append(current)
    return blocks


def _neighbor_of(line):
    words = line.split()
    return words[1] if len(words) > 1 and words[0] == "neighbor" else None


def _strip_bgp(body, owned):
    """router bgp body without the fabric's neighbors (in every address family)."""
    out = []
    for line in body:
        if line.strip() == "!":
            continue
        if _neighbor_of(line.strip()) in owned["neighbors"]:
            continue
        out.append(line)
    return out


def _strip_bfd(body, owned):
    out, skip = [], False
    for line in body:
        words = line.split()
        if line.startswith(" profile ") and len(words) == 2:
            skip = words[1] in owned["bfd_profiles"]
        elif line == " exit" and skip:
            skip = False
            continue
        if not skip and line.strip() != "!":
            out.append(line)
    return out


def strip(blocks, owned):
    """The blocks without anything the fabric owns."""
    out = []
    for head, body in blocks:
        words = head.split()
        if body is None:
            if words[0] in ("ip", "ipv6") and len(words) > 2 and words[1] == "prefix-list" \
                    and words[2] in owned["prefix_lists"]:
                continue
            out.append((head, None))
        elif words[0] == "route-map" and words[1] in owned["route_maps"]:
            continue
        elif words[0] == "interface" and len(words) == 2 and words[1] in owned["interfaces"]:
            continue
        elif words[0] == "router" and words[1] == "bgp" and len(words) == 3:
            out.append((head, _strip_bgp(body, owned)))
        elif head == "bfd":
            rest = _strip_bfd(body, owned)
            if rest:
                out.append((head, rest))
        else:
            out.append((head, body))
    return out


def _split_families(body):
    """router bgp body -> (global lines, {address-family line: [lines]}), in order."""
    glob, fams, current = [], {}, None
    for line in body:
        if line.startswith(" address-family "):
            current = line
            fams.setdefault(current, [])
        elif line == " exit-address-family":
            current = None
        elif current is not None:
            fams[current].append(line)
        else:
            glob.append(line)
    return glob, fams


def _join_bgp(glob, fams):
    lines = list(glob)
    for head, body in fams.items():
        lines += [" !", head] + body + [" exit-address-family"]
    return lines


# switch-wide settings: the switch team's in part mode
_SWITCH_WIDE = (" bgp router-id ", " bgp bestpath ", " bgp graceful-restart", " no bgp default ",
                " bgp ebgp-requires-policy", "  maximum-paths ", "  network ")


def _fabric_part(ours):
    """Our blocks reduced to what part mode owns (no header, loopback or switch-wide lines)."""
    part = []
    for head, body in ours:
        words = head.split()
        if body is None:
            if words[0] in ("ip", "ipv6") and words[1:2] == ["prefix-list"]:
                part.append((head, None))
        elif head == "interface lo":
            continue
        elif words[0] == "router":
            part.append((head, [line for line in body if not line.startswith(_SWITCH_WIDE)]))
        else:
            part.append((head, body))
    return part


def merge(running, ours, owned, previous=None):
    """Running configuration + the fabric's rendered configuration -> the
    switch's new configuration text. owned: owned_names() of ours; previous:
    what the fabric owned the last time (so that a removed port's lines go)."""
    owned_all = _union(owned, previous)
    kept = strip(parse(running), owned_all)
    part = _fabric_part(parse(ours))
    bgp_kept = [i for i, (head, body) in enumerate(kept) if body is not None and head.startswith("router bgp ")]
    bgp_ours = [b for b in part if b[1] is not None and b[0].startswith("router bgp ")]
    if bgp_kept and bgp_ours and kept[bgp_kept[0]][0] != bgp_ours[0][0]:
        checks.At(SCOPE).fail("frr_asn", bgp_ours[0][0].split()[2], "the switch runs %r: in part mode the fabric "
                              "joins the switch's own BGP instance, so frr_asn must be its AS" % kept[bgp_kept[0]][0])
    result = list(kept)
    for head, body in part:
        if body is not None and head.startswith("router bgp ") and bgp_kept:
            index = bgp_kept[0]
            glob, fams = _split_families(kept[index][1])
            our_glob, our_fams = _split_families(body)
            for fam, lines in our_fams.items():
                fams.setdefault(fam, [])
                fams[fam] = fams[fam] + lines
            result[index] = (head, _join_bgp(glob + our_glob, fams))
        else:
            result.append((head, body))
    lines = []
    for head, body in result:
        lines.append(head)
        if body is not None:
            lines += body + ["exit"]
        lines.append("!")
    return "\n".join(lines + ["end"]) + "\n"
