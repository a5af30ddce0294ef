# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What runs FRR on a node, for both deliveries: the systemd units (FRR in a
container with host networking, the router-id on lo), the env files, the
sysctls, and for OpenShift the pool-wide MachineConfig spec that carries
every node's frr.conf and picks one by hostname at boot."""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import SCOPE
from ansible_collections.clusternet.fabric.plugins.module_utils.render import disruption
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import (
    render_daemons,
    render_node_conf,
)

# the units of MachineConfig delivery
FRR_UNIT = "frr.service"
SELECT_UNIT_NAME = "frr-select.service"
LOOPBACK_UNIT_NAME = "frr-loopback.service"

# Measured with FRR 8.4 (Debian) under podman --cap-drop all, one capability
# removed at a time, real BGP unnumbered sessions
# (tests/integration/test_frr_container_privileges.py): without NET_ADMIN,
# NET_RAW or SYS_ADMIN zebra's privs_init refuses to start; without
# NET_BIND_SERVICE bgpd cannot listen on 179; without SETUID/SETGID the
# daemons cannot drop to user frr; without CHOWN, FOWNER or DAC_OVERRIDE the
# image's start (run dir owned by frr, frrinit.sh) fails. KILL is not needed:
# the daemons keep root as their saved uid, so watchfrr and frrinit.sh may
# signal them without it (a stop stays graceful, measured). Every other
# capability of podman's default set (KILL, FSETID, SETFCAP, SETPCAP,
# SYS_CHROOT, MKNOD, AUDIT_WRITE) is dropped, and no-new-privileges is set.
CAPABILITIES = ["NET_ADMIN", "NET_RAW", "SYS_ADMIN", "NET_BIND_SERVICE", "SETUID", "SETGID",
                "CHOWN", "FOWNER", "DAC_OVERRIDE"]
# no process in the container gains privileges it was not started with
# (setuid binaries, file capabilities); FRR only drops them
SECURITY_OPTS = "--security-opt no-new-privileges"

# rp_filter loose (2), not off: with ECMP a packet may come in on the other
# uplink than the one its source is routed out of, which strict mode drops.
SYSCTLS = {
    "net.ipv4.ip_forward": "1",
    "net.ipv6.conf.all.forwarding": "1",
    "net.ipv4.conf.all.rp_filter": "2",
    "net.ipv4.conf.default.rp_filter": "2",
    "net.ipv4.tcp_l3mdev_accept": "1",
    "net.ipv4.udp_l3mdev_accept": "1",
}

DELIVERY_DEFAULTS = {
    "engine": "podman",             # or docker
    "image": "localhost/clusternet-frr",
    "container_name": "frr",
    "capabilities": CAPABILITIES,
    "privileged": False,            # the seed's --privileged; off by default
    "container_args": [],           # e.g. [--runtime, crun, --cgroups=disabled] (nested lab)
    "command": [],                  # image command; empty: the image's entrypoint
}

ENGINES = {"podman": "/usr/bin/podman", "docker": "/usr/bin/docker"}

CONF_DIR = "/etc/frr"
BUNDLE_PATH = "/etc/frr/nodes.bundle"
SELECT_SCRIPT = "/usr/local/bin/clusternet-frr-select"
SYSCTL_FILE = "/etc/sysctl.d/90-clusternet-frr.conf"
HEADER = "# Managed by clusternet.fabric (role frr); local changes are overwritten.\n"


def delivery_options(fabric, options):
    """The container settings, checked (each value reaches a unit or env file);
    frr_version, the image tag, is the fabric's (the `frr version` line too)."""
    at = checks.At(SCOPE)
    opts = dict(DELIVERY_DEFAULTS)
    for key, value in checks.mapping(options, "delivery options", at, known=list(DELIVERY_DEFAULTS)).items():
        if value is not None:
            opts[key] = value
    checks.one_of(opts["engine"], "frr_container_engine", at, sorted(ENGINES))
    checks.word(opts["image"], "frr_image", at)
    checks.word(opts["container_name"], "frr_container_name", at)
    checks.boolean(opts["privileged"], "frr_container_privileged", at)
    for field in ("container_args", "command", "capabilities"):
        name = "frr_" + field if field == "container_args" else "frr_container_" + field
        for index, word in enumerate(checks.listing(opts[field], name, at)):
            checks.word(str(word), "%s[%d]" % (name, index), at)
    opts["frr_version"] = fabric["settings"]["version"]
    return opts


def container_env(opts):
    return HEADER + "".join("%s=%s\n" % kv for kv in (
        ("FRR_IMAGE", opts["image"]),
        ("FRR_VERSION", opts["frr_version"]),
        ("FRR_CONTAINER_ARGS", " ".join(str(w) for w in opts["container_args"])),
        ("FRR_COMMAND", " ".join(str(w) for w in opts["command"])),
    ))


def node_env(node):
    return HEADER + "FRR_LOOPBACK=%s/32\nFRR_LOOPBACK6=%s\n" % (
        node["loopback"], (node["loopback6"] + "/128") if node.get("loopback6") else "")


def sysctl_conf():
    return HEADER + "".join("%s = %s\n" % kv for kv in SYSCTLS.items())


def frr_unit(opts):
    engine = ENGINES[opts["engine"]]
    name = opts["container_name"]
    if opts["privileged"]:
        privileges = "--privileged"
    else:
        privileges = "--cap-drop all --cap-add %s %s" % (",".join(opts["capabilities"]), SECURITY_OPTS)
    stop = "%s stop --ignore -t 10 %s" % (engine, name) if opts["engine"] == "podman" else "%s stop -t 10 %s" % (engine, name)
    return """\
# Managed by clusternet.fabric (role frr).
[Unit]
Description=FRR routing daemons (BGP unnumbered to the ToR) in a container
Documentation=https://docs.frrouting.org/
Wants=network-online.target
After=network-online.target frr-loopback.service
Requires=frr-loopback.service
# a node without FRR has no routes: never give up restarting
StartLimitIntervalSec=0

[Service]
Type=simple
EnvironmentFile=/etc/frr/frr-container.env
ExecStartPre=/usr/bin/mkdir -p /var/log/frr
ExecStartPre=-{engine} rm -f {name}
ExecStart={engine} run --rm --name {name} --network host {privileges} \\
  --volume /etc/frr:/etc/frr:ro,z --volume /var/log/frr:/var/log/frr:z --volume /dev/log:/dev/log \\
  $FRR_CONTAINER_ARGS ${{FRR_IMAGE}}:${{FRR_VERSION}} $FRR_COMMAND
ExecReload={engine} exec {name} /usr/lib/frr/frr-reload.py --reload /etc/frr/frr.conf
ExecStop={stop}
Restart=always
RestartSec=2
TimeoutStartSec=300

[Install]
WantedBy=multi-user.target
""".format(engine=engine, name=name, privileges=privileges, stop=stop)


LOOPBACK_UNIT = """\
# Managed by clusternet.fabric (role frr).
# The router-id /32 on lo: this kernel family may lack dummy/vrf interfaces,
# and lo exists everywhere.
[Unit]
Description=FRR router-id address on lo
DefaultDependencies=no
After=network-pre.target
Before=network.target frr.service

[Service]
Type=oneshot
RemainAfterExit=yes
EnvironmentFile=/etc/frr/node.env
ExecStart=/usr/sbin/ip address replace ${FRR_LOOPBACK} dev lo
ExecStart=/bin/sh -c '[ -z "$FRR_LOOPBACK6" ] || exec /usr/sbin/ip -6 address replace "$FRR_LOOPBACK6" dev lo'

[Install]
WantedBy=multi-user.target
"""

SELECT_UNIT = """\
# Managed by clusternet.fabric (role frr, MachineConfig delivery).
[Unit]
Description=Select this node's FRR config by hostname (fails when the node is unknown)
Wants=network-online.target
After=network-online.target
Before=frr-loopback.service frr.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=%s

[Install]
WantedBy=multi-user.target
""" % SELECT_SCRIPT

SELECT_DROPIN = """\
# Managed by clusternet.fabric: node.env and frr.conf come from frr-select.
[Unit]
Requires=frr-select.service
After=frr-select.service
"""

SELECT_SCRIPT_TEXT = """\
#!/bin/bash
# Managed by clusternet.fabric (role frr, MachineConfig delivery).
# The pool-wide MachineConfig carries every node's FRR identity in one bundle,
# @BUNDLE@, in sections opened by a line "#@ <hostname> <file>";
# install the ones of this node. An unknown node must not come up with
# somebody else's ASN and router-id: fail loudly, and frr-loopback/frr
# (Requires=) stay down.
set -euo pipefail
bundle=@BUNDLE@
if [ ! -r "$bundle" ]; then
  echo "clusternet-frr-select: FATAL: $bundle is missing. FRR is NOT started on this node." >&2
  exit 1
fi
full=$(hostname)
short=${full%%.*}
section() {
  awk -v head="#@ $1 $2" '$0 == head { on = 1; next } /^#@ / { on = 0 } on' "$bundle"
}
for name in "$full" "$short"; do
  if grep -qxF "#@ $name frr.conf" "$bundle" && grep -qxF "#@ $name node.env" "$bundle"; then
    section "$name" frr.conf > /etc/frr/frr.conf.clusternet-new
    section "$name" node.env > /etc/frr/node.env.clusternet-new
    chmod 0644 /etc/frr/frr.conf.clusternet-new /etc/frr/node.env.clusternet-new
    mv -f /etc/frr/frr.conf.clusternet-new /etc/frr/frr.conf
    mv -f /etc/frr/node.env.clusternet-new /etc/frr/node.env
    echo "clusternet-frr-select: FRR identity of $name installed"
    exit 0
  fi
done
known=$(awk '$1 == "#@" && $3 == "frr.conf" { n++; if (n <= 10) printf "%s ", $2 }
  END { if (n > 10) printf "... (%d in all)", n }' "$bundle" 2>/dev/null || true)
echo "clusternet-frr-select: FATAL: no FRR config for hostname '$full' (short '$short') in $bundle;" \\
  "known nodes: ${known:-none}. FRR is NOT started on this node." >&2
exit 1
""".replace("@BUNDLE@", BUNDLE_PATH)

# A section's first line in the bundle; no rendered line can start so (every
# value is refused with a line break, and no FRR or env line begins with "#@").
SECTION_MARK = "#@ "
BUNDLE_HEADER = """\
# Managed by clusternet.fabric (role frr): every node's FRR identity, one
# section per file, opened by "#@ <hostname> <file>". At boot
# clusternet-frr-select installs the booting node's frr.conf and node.env.
"""


def _node(fabric, host):
    node = fabric["nodes"].get(host)
    if node is None:
        checks.At(SCOPE, host).fail("frr_nodes", host, "not a server of the fabric")
    return node


def node_files(fabric, host, options=None):
    """Delivery (a): {path: {content, mode, on_change}} for one host."""
    opts = delivery_options(fabric, options)
    node = _node(fabric, host)
    bfd = fabric["settings"]["bfd"]
    return {
        "/etc/frr/frr.conf": {"content": render_node_conf(fabric, host), "mode": "0644",
                              "on_change": "reload"},
        "/etc/frr/daemons": {"content": render_daemons(bfd=bfd), "mode": "0644", "on_change": "restart"},
        "/etc/frr/vtysh.conf": {"content": "service integrated-vtysh-config\n", "mode": "0644", "on_change": "restart"},
        "/etc/frr/frr-container.env": {"content": container_env(opts), "mode": "0644", "on_change": "restart"},
        "/etc/frr/node.env": {"content": node_env(node), "mode": "0644", "on_change": "loopback"},
        "/etc/systemd/system/frr.service": {"content": frr_unit(opts), "mode": "0644", "on_change": "restart"},
        "/etc/systemd/system/frr-loopback.service": {"content": LOOPBACK_UNIT, "mode": "0644", "on_change": "loopback"},
    }


def node_confs(fabric, nodes=None):
    """{host: frr.conf} of the servers ``nodes`` (default: all), as the bundle carries them."""
    hosts = sorted(nodes if nodes is not None else fabric["nodes"])
    for host in hosts:
        _node(fabric, host)
    return {host: render_node_conf(fabric, host) for host in hosts}


def _section(host, name, text):
    if not text.endswith("\n") or any(line.startswith(SECTION_MARK) for line in text.splitlines()):
        raise ValueError("%s of %s cannot go into the node bundle as it is" % (name, host))
    return "%s%s %s\n%s" % (SECTION_MARK, host, name, text)


def node_bundle(fabric, hosts, confs=None):
    """One text holding every node's frr.conf and node.env: what the pool-wide
    MachineConfig carries (gzip-compressed, a few dozen bytes per node) and
    frr-select reads. One file instead of two per node keeps the MachineConfig
    far under the MCO's limit at 1,000 nodes; the sections compress well
    because the nodes' files differ in a few lines."""
    confs = confs if confs is not None else node_confs(fabric, hosts)
    parts = [BUNDLE_HEADER]
    for host in hosts:
        parts.append(_section(host, "frr.conf", confs[host]))
        parts.append(_section(host, "node.env", node_env(fabric["nodes"][host])))
    return "".join(parts)


def disruption_policy():
    """The node disruption policy (OpenShift 4.16+) for the pool-wide FRR MachineConfig:
    every file and unit machineconfig_spec() carries, so a fabric change reloads or
    restarts FRR instead of rebooting the pool. A new bundle: frr-select installs the
    node's frr.conf and node.env again, frr-loopback puts the loopback on lo, FRR
    reloads (frr-reload.py applies the difference, the sessions stay up)."""
    restart_frr = [disruption.restart(FRR_UNIT)]
    files = [
        {"path": BUNDLE_PATH, "actions": [disruption.restart(SELECT_UNIT_NAME), disruption.restart(LOOPBACK_UNIT_NAME),
                                          disruption.reload(FRR_UNIT)]},
        {"path": "/etc/frr/daemons", "actions": restart_frr},
        {"path": "/etc/frr/vtysh.conf", "actions": restart_frr},
        {"path": "/etc/frr/frr-container.env", "actions": restart_frr},
        {"path": SYSCTL_FILE, "actions": [disruption.restart("systemd-sysctl.service")]},
        {"path": SELECT_SCRIPT, "actions": [disruption.restart(SELECT_UNIT_NAME)]},
    ]
    units = [{"name": unit, "actions": [disruption.DAEMON_RELOAD, disruption.restart(unit)]}
             for unit in (SELECT_UNIT_NAME, LOOPBACK_UNIT_NAME, FRR_UNIT)]
    return disruption.policy(files, units)


def machineconfig_spec(fabric, role="worker", name=None, options=None, nodes=None):
    """Delivery (b): one spec for clusternet.fabric.machineconfig covering a pool.

    Every node of the pool gets the same MachineConfig; it holds the bundle of
    every node's frr.conf and node.env and frr-select installs this node's by
    hostname at boot."""
    opts = delivery_options(fabric, options)
    hosts = sorted(nodes if nodes is not None else fabric["nodes"])
    if not hosts:
        checks.At(SCOPE).fail("frr_machineconfig_nodes", hosts, "no nodes for the MachineConfig of pool %s" % role)
    files = [
        {"path": BUNDLE_PATH, "mode": "0644", "contents": node_bundle(fabric, hosts),
         "compression": "gzip"},
        {"path": "/etc/frr/daemons", "mode": "0644", "contents": render_daemons(bfd=fabric["settings"]["bfd"])},
        {"path": "/etc/frr/vtysh.conf", "mode": "0644", "contents": "service integrated-vtysh-config\n"},
        {"path": "/etc/frr/frr-container.env", "mode": "0644", "contents": container_env(opts)},
        {"path": SYSCTL_FILE, "mode": "0644", "contents": sysctl_conf()},
        {"path": SELECT_SCRIPT, "mode": "0755", "contents": SELECT_SCRIPT_TEXT},
    ]
    units = [
        {"name": SELECT_UNIT_NAME, "enabled": True, "contents": SELECT_UNIT},
        {"name": LOOPBACK_UNIT_NAME, "enabled": True, "contents": LOOPBACK_UNIT,
         "dropins": [{"name": "10-clusternet-select.conf", "contents": SELECT_DROPIN}]},
        {"name": FRR_UNIT, "enabled": True, "contents": frr_unit(opts),
         "dropins": [{"name": "10-clusternet-select.conf", "contents": SELECT_DROPIN}]},
    ]
    return {"name": name or "99-%s-frr" % role, "role": role, "files": files, "units": units}
