# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""frr.conf and daemons for FRR 8.x from a model.bgp.RouterConfig.

Formatting only: every decision (what to accept, limits, ECMP, BFD) is in the
RouterConfig. Both address families are written by one loop, for servers and
switches alike. Every string that reaches the file passes the line-break
guard first.
"""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model import bgp
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import SCOPE

_IP = {4: "ip", 6: "ipv6"}
_AFI = {4: "ipv4", 6: "ipv6"}


def _prefix_list(plist):
    lines = []
    for seq, rule in enumerate(plist.rules, start=1):
        bounds = "".join(" %s %d" % (k, v) for k, v in (("ge", rule.ge), ("le", rule.le)) if v is not None)
        lines.append("%s prefix-list %s seq %d %s %s%s" % (_IP[plist.family], plist.name, seq * 5, rule.action,
                                                           rule.prefix, bounds))
    return lines


def _route_map(rmap):
    return ["route-map %s permit 10" % rmap.name,
            " match %s address prefix-list %s" % (_IP[rmap.family], rmap.prefix_list),
            "exit", "!"]


def _family_lines(cfg, fam):
    lines = [" !", " address-family %s unicast" % _AFI[fam]]
    lines += ["  network %s" % p for p in cfg.networks.get(fam, [])]
    for group in cfg.peer_groups:
        pol = next(p for p in group.families if p.family == fam)
        lines += ["  neighbor %s activate" % group.name,
                  "  neighbor %s soft-reconfiguration inbound" % group.name]
        if pol.allowas_in:
            lines.append("  neighbor %s allowas-in 1" % group.name)
        if pol.route_map_in:
            lines.append("  neighbor %s route-map %s in" % (group.name, pol.route_map_in))
        lines.append("  neighbor %s route-map %s out" % (group.name, pol.route_map_out))
        lines.append("  neighbor %s maximum-prefix %d restart %d" % (group.name, pol.max_prefix,
                                                                     pol.max_prefix_restart))
        if pol.default_originate:
            lines.append("  neighbor %s default-originate" % group.name)
    lines += ["  neighbor %s route-map %s in" % (n.interface, n.route_map_in[fam])
              for n in cfg.neighbors if fam in n.route_map_in]
    lines += ["  maximum-paths %d" % cfg.max_paths, " exit-address-family"]
    return lines


def render_router_conf(cfg):
    """frr.conf text for one RouterConfig."""
    checks.no_line_breaks(cfg.hostname, "host name", checks.At(SCOPE, cfg.hostname))
    at = checks.At(SCOPE, cfg.hostname)
    checks.no_line_breaks(cfg.log, "frr_log", at)
    lines = ["frr version %s" % cfg.version, "frr defaults datacenter", "hostname %s" % cfg.hostname,
             "log %s" % cfg.log, "service integrated-vtysh-config", "!",
             # classic multipath routes instead of kernel nexthop objects: FRR
             # 8.4 lost a nexthop of an ECMP group for good after a link flap
             # (RIB two, kernel one; tests/integration/test_fabric_racks.py)
             "no zebra nexthop kernel enable", "!"]
    # blackhole per pod block: the block stays in the RIB (so `network` is
    # announced) and traffic to unallocated pod IPs dies here instead of
    # following the default route
    holes = ["%s route %s blackhole" % (_IP[fam], b) for fam in cfg.families for b in cfg.blackholes.get(fam, [])]
    lines += holes + (["!"] if holes else [])
    if cfg.bfd_profile:
        p = cfg.bfd_profile
        lines += ["bfd", " profile %s" % p.name, "  detect-multiplier %d" % p.detect_multiplier,
                  "  receive-interval %d" % p.interval, "  transmit-interval %d" % p.interval,
                  " exit", " !", "exit", "!"]
    if cfg.lo_addresses:
        # the router-id on lo, owned by zebra (a switch has its own loopback)
        lines += ["interface lo"] + [" %s address %s" % ("ipv6" if ":" in a else "ip", a)
                                     for a in cfg.lo_addresses] + ["exit", "!"]
    for n in cfg.neighbors:
        lines.append("interface %s" % n.interface)
        if n.description:
            lines.append(" description %s" % n.description)
        lines += [" ipv6 nd ra-interval %d" % cfg.ra_interval, " no ipv6 nd suppress-ra", "exit", "!"]
    for plist in cfg.prefix_lists:
        lines += _prefix_list(plist)
    lines.append("!")
    for rmap in cfg.route_maps:
        lines += _route_map(rmap)
    # bgpd holds every peer until the route-map delay timer (5 s, restarted by
    # each route-map read at startup) runs out: 0 brings sessions up ~1.5 s
    # sooner after a start or a killed container (bench/frr_establish.sh)
    lines += ["bgp route-map delay-timer 0", "!"]
    lines += ["router bgp %d" % cfg.asn, " bgp router-id %s" % cfg.router_id,
              # every session has policy in both directions: keep RFC 8212 on
              " bgp ebgp-requires-policy",
              " bgp bestpath as-path multipath-relax"]
    if cfg.tier != "node":
        lines.append(" bgp bestpath compare-routerid")
    if cfg.graceful_restart:
        lines.append(" bgp graceful-restart")
    lines.append(" no bgp default ipv4-unicast")
    for group in cfg.peer_groups:
        lines += [" neighbor %s peer-group" % group.name, " neighbor %s remote-as external" % group.name,
                  " neighbor %s timers connect %d" % (group.name, group.connect_retry)]
        if group.bfd_profile:
            lines.append(" neighbor %s bfd profile %s" % (group.name, group.bfd_profile))
    lines += [" neighbor %s interface peer-group %s" % (n.interface, n.group) for n in cfg.neighbors]
    for fam in cfg.families:
        lines += _family_lines(cfg, fam)
    lines += ["exit", "!", "end"]
    return "\n".join(lines) + "\n"


def render_node_conf(fabric, host):
    return render_router_conf(bgp.node_config(fabric, host))


def render_switch_conf(fabric, name):
    return render_router_conf(bgp.switch_config(fabric, name))


def render_daemons(bfd=False):
    """/etc/frr/daemons: zebra, bgpd, staticd (the blackholes), bfdd on demand."""
    lines = [
        "# Managed by clusternet.fabric; read by frrinit.sh/watchfrr.",
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
    return "\n".join(lines) + "\n"
