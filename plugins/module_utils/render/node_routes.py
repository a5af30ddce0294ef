# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Static routes per MachineConfigPool, rendered as MachineConfig specs.

Used by the ``node_routes`` role (through its filter plugin). The node side is
a routes file per pool, a script that applies it with ``ip route replace``
(idempotent) and removes routes it installed earlier that are no longer listed
(our routes carry a dedicated ``proto`` number, so nothing else is touched), a
oneshot unit that runs it at boot, and a NetworkManager dispatcher script that
re-runs the unit when NetworkManager (re)activates a device and flushes its
routes.
"""

from __future__ import annotations

import re

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import disruption

DEFAULT_POOLS = ("master", "worker")
ROUTE_PROTO = 241
MAX_METRIC = 4294967295
ROUTE_KEYS = ("destination", "gateway", "interface", "metric")

ROUTES_DIR = "/etc/clusternet/node-routes.d"
SCRIPT_PATH = "/usr/local/bin/clusternet-node-routes"
DISPATCHER_PATH = "/etc/NetworkManager/dispatcher.d/30-clusternet-node-routes"
UNIT_NAME = "clusternet-node-routes.service"

_POOL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")

SCRIPT = r"""#!/bin/bash
# clusternet.fabric node_routes: apply the static routes listed in DIR/*.conf.
# Lines: DESTINATION GATEWAY|- INTERFACE|- METRIC. Our routes carry "proto $proto" so
# that a later run can remove exactly the ones no longer listed and never touches
# routes of NetworkManager, DHCP or the admin. "ip route replace" is idempotent.
set -u
dir=${1:-/etc/clusternet/node-routes.d}
proto=@PROTO@
rc=0
declare -A wanted=()
shopt -s nullglob
for conf in "$dir"/*.conf; do
  while read -r dst gw dev metric _rest; do
    case "$dst" in ''|'#'*) continue ;; esac
    fam=-4
    case "$dst" in *:*) fam=-6 ;; esac
    args=("$dst")
    [ "$gw" != - ] && args+=(via "$gw")
    [ "$dev" != - ] && args+=(dev "$dev")
    wanted["$fam $dst $metric"]=1
    if ip "$fam" route replace "${args[@]}" metric "$metric" proto "$proto" table main; then
      echo "route $dst ${args[*]:1} metric $metric: present"
    else
      echo "route $dst ${args[*]:1} metric $metric: FAILED" >&2
      rc=1
    fi
  done < "$conf"
done
for fam in -4 -6; do
  ip "$fam" -o route show table main proto "$proto" | while read -r dst rest; do
    metric=0
    [ "$fam" = -6 ] && metric=1024
    # shellcheck disable=SC2086
    set -- $rest
    while [ $# -gt 0 ]; do
      if [ "$1" = metric ] && [ $# -gt 1 ]; then metric=$2; fi
      shift
    done
    key=$dst
    if [ "$key" = default ]; then
      if [ "$fam" = -4 ]; then key=0.0.0.0/0; else key=::/0; fi
    fi
    case "$key" in */*) ;; *) if [ "$fam" = -4 ]; then key=$key/32; else key=$key/128; fi ;; esac
    if [ -z "${wanted["$fam $key $metric"]:-}" ]; then
      if ip "$fam" route del "$dst" metric "$metric" proto "$proto" table main; then
        echo "route $key metric $metric: removed (no longer listed)"
      else
        echo "route $key metric $metric: removal FAILED" >&2
      fi
    fi
  done
done
exit "$rc"
""".replace("@PROTO@", str(ROUTE_PROTO))

DISPATCHER = """#!/bin/sh
# clusternet.fabric node_routes: NetworkManager drops a device's routes when it
# (re)activates a connection (reconnect, nmcli reapply, DHCP renew with new lease);
# re-apply ours. Runs asynchronously so the dispatcher is never blocked.
case "$2" in
  up|reapply|dhcp4-change|dhcp6-change)
    exec systemctl restart --no-block %s
    ;;
esac
exit 0
""" % UNIT_NAME

UNIT = """[Unit]
Description=clusternet.fabric static routes (node_routes role)
Documentation=file://%(dir)s
Wants=network-online.target
After=network-online.target NetworkManager.service
ConditionDirectoryNotEmpty=%(dir)s

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=%(script)s %(dir)s

[Install]
WantedBy=multi-user.target
""" % {"dir": ROUTES_DIR, "script": SCRIPT_PATH}


# node_routes' own settings (node_routes_routes, node_routes_custom_pools)
ROLE = checks.At("node_routes")


def machineconfig_name(pool):
    return "99-%s-clusternet-routes" % pool


def routes_file_path(pool):
    return "%s/%s.conf" % (ROUTES_DIR, pool)


def normalize_route(field, route, at=ROLE):
    """Validate one route; return (destination, gateway|None, interface|None, metric)."""
    if not isinstance(route, dict):
        at.fail(field, route, "expected a mapping with destination, gateway, interface, metric")
    extra = sorted(set(route) - set(ROUTE_KEYS))
    if extra:
        at.fail(field, extra, "unknown key(s); allowed: %s" % ", ".join(ROUTE_KEYS))
    dst = route.get("destination")
    if isinstance(dst, bool) or not isinstance(dst, str) or "/" not in dst:
        at.fail("%s.destination" % field, dst, "not a CIDR network such as 192.168.1.0/24")
    network = checks.network(dst, "%s.destination" % field, at)
    gateway = route.get("gateway")
    if gateway not in (None, ""):
        # the collection's one address check (no line break, no zone id: a link-local
        # gateway names its interface in interface)
        gw_addr = checks.ip_address(gateway, "%s.gateway" % field, at)
        if gw_addr.version != network.version:
            at.fail("%s.gateway" % field, gateway,
                    "IPv%d gateway for IPv%d destination %s" % (gw_addr.version, network.version, dst))
        gateway = str(gw_addr)
    else:
        gateway = None
    interface = route.get("interface")
    if interface not in (None, ""):
        checks.ifname(interface, "%s.interface" % field, at)
    else:
        interface = None
    if gateway is None and interface is None:
        at.fail(field, route, "a route needs a gateway, an interface or both")
    metric = route.get("metric")
    if metric in (None, ""):
        metric = 0
    if isinstance(metric, bool) or not str(metric).isdigit() or int(metric) > MAX_METRIC:
        at.fail("%s.metric" % field, metric, "an integer from 0 to %d" % MAX_METRIC)
    metric = int(metric)
    if network.version == 6 and metric == 0:
        metric = 1024  # the kernel stores IPv6 metric 0 as 1024
    return str(network), gateway, interface, metric


def routes_file(pool, routes):
    lines = ["# clusternet.fabric node_routes, pool %s (MachineConfig %s)"
             % (pool, machineconfig_name(pool)),
             "# destination gateway interface metric ('-' = none)"]
    for dst, gateway, interface, metric in routes:
        lines.append("%s %s %s %d" % (dst, gateway or "-", interface or "-", metric))
    return "\n".join(lines) + "\n"


def normalize_routes(field, routes, at=ROLE):
    """Validate a list of routes; refuse duplicates (the kernel's key: destination + metric)."""
    if routes is None:
        routes = []
    if not isinstance(routes, list):
        at.fail(field, routes, "expected a list of routes")
    normalized, seen = [], {}
    for index, route in enumerate(routes):
        item = normalize_route("%s[%d]" % (field, index), route, at)
        key = (item[0], item[3])
        if key in seen:
            at.fail("%s[%d].destination" % (field, index), route.get("destination"),
                    "duplicate route (same destination and metric as %s[%d])" % (field, seen[key]))
        seen[key] = index
        normalized.append(item)
    return normalized


def route_payload(pool, normalized):
    """Files and units a MachineConfig carrying ``normalized`` routes for ``pool`` needs.

    The script, unit and dispatcher are identical in every pool's MachineConfig
    (a node in a custom pool also gets the worker one, the MCO merges same-path
    files), only the routes file is per pool, so pools never override each other.
    """
    files = [
        {"path": routes_file_path(pool), "mode": 0o644, "overwrite": True,
         "contents": routes_file(pool, normalized)},
        {"path": SCRIPT_PATH, "mode": 0o755, "overwrite": True, "contents": SCRIPT},
        {"path": DISPATCHER_PATH, "mode": 0o755, "overwrite": True, "contents": DISPATCHER},
    ]
    units = [{"name": UNIT_NAME, "enabled": True, "contents": UNIT}]
    return files, units


def disruption_policy(pools):
    """The node disruption policy (OpenShift 4.16+) for the route MachineConfigs of
    ``pools``: every file and unit they carry, so a route change re-runs the route unit
    (which also removes routes no longer listed) instead of rebooting the node. Every
    known pool's routes file is listed, also of pools without routes now: removing one
    is a change the MCO must not reboot for either."""
    rerun = [disruption.restart(UNIT_NAME)]
    files = [{"path": routes_file_path(pool), "actions": rerun} for pool in pools]
    files += [{"path": SCRIPT_PATH, "actions": rerun},
              # NetworkManager runs the dispatcher script at its next event: nothing to do now
              {"path": DISPATCHER_PATH, "actions": [disruption.NOTHING]}]
    units = [{"name": UNIT_NAME, "actions": [disruption.DAEMON_RELOAD, disruption.restart(UNIT_NAME)]}]
    return disruption.policy(files, units)


def machineconfig_specs(routes_by_pool, custom_pools=None):
    """Validate ``{pool: [route, ...]}``; return the machineconfig module's specs.

    One MachineConfig per pool with at least one route (with the ``routes``
    key the machineconfig module expands); pools with an empty list get none
    (the module's prune then deletes their old one).
    """
    return machineconfig_plan(routes_by_pool, custom_pools)["present"]


def machineconfig_plan(routes_by_pool, custom_pools=None):
    """What the node_routes role writes and removes, as data:
    ``{"present": [spec, ...], "absent": [name of the MachineConfig of every known pool
    without routes, ...], "disruption_policy": {files, units} while any pool has routes,
    else None}``; the role's tasks only pass these to the modules."""
    if routes_by_pool is None:
        routes_by_pool = {}
    if not isinstance(routes_by_pool, dict):
        ROLE.fail("node_routes_routes", routes_by_pool, "expected a mapping of pool name to a list of routes")
    custom_pools = checks.listing(custom_pools, "node_routes_custom_pools", ROLE)
    for index, pool in enumerate(custom_pools):
        if not isinstance(pool, str) or not _POOL.fullmatch(pool) or len(pool) > 50:
            ROLE.fail("node_routes_custom_pools[%d]" % index, pool, "not a pool name (DNS label)")
    known = list(DEFAULT_POOLS) + custom_pools
    specs = []
    for pool in sorted(routes_by_pool, key=str):
        routes = routes_by_pool[pool]
        if pool not in known:
            ROLE.fail("node_routes_routes", pool,
                      "unknown pool; known: %s (add custom pools to node_routes_custom_pools)"
                      % ", ".join(known))
        normalize_routes("node_routes_routes.%s" % pool, routes)
        if routes:
            specs.append({"name": machineconfig_name(pool), "role": pool, "routes": routes})
    with_routes = {spec["role"] for spec in specs}
    absent = [machineconfig_name(pool) for pool in known if pool not in with_routes]
    return {"present": specs, "absent": absent, "disruption_policy": disruption_policy(known) if specs else None}
