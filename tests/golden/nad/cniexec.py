# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Run real CNI plugins (/usr/lib/cni) the way a container runtime does, inside network
namespaces the tests create (all names start with `nad-` / `nad`).

A "node" netns plays the host: the plugin binary runs in it (so bridges, macvlan masters
and host devices live there, never in the machine's own namespace) and CNI_NETNS points
at a "pod" netns. runtimeConfig (capabilities) and prevResult (CHECK/DEL) are injected
like libcni does.
"""

from __future__ import annotations

import json
import os
import subprocess

CNI_PATH = "/usr/lib/cni"


def sh(*args, check=True):
    return subprocess.run(list(args), check=check, capture_output=True, text=True)


class Lab:
    """Namespaces and veths for one test; everything is removed by close()."""

    def __init__(self, tag):
        # Short unique tag: netns names are free-form, interface names <= 15 chars.
        self.tag = "%s%d" % (tag, os.getpid() % 10000)
        self.netns = []

    def ns(self, role):
        name = "nad-%s-%s" % (self.tag, role)
        sh("ip", "netns", "add", name)
        self.netns.append(name)
        sh("ip", "-n", name, "link", "set", "lo", "up")
        return name

    def veth(self, node, a, b):
        """veth pair a<->b, both ends up inside the node namespace."""
        sh("ip", "-n", node, "link", "add", a, "type", "veth", "peer", "name", b)
        sh("ip", "-n", node, "link", "set", a, "up")
        sh("ip", "-n", node, "link", "set", b, "up")

    def close(self):
        for name in reversed(self.netns):
            sh("ip", "netns", "del", name, check=False)
        self.netns = []


class CNIError(AssertionError):
    pass


def run_plugin(command, config, node, pod, ifname="net1", container_id=None, runtime_config=None,
               prev_result=None):
    """Execute the plugin named by config['type'] for one command; returns the parsed stdout."""
    conf = dict(json.loads(config) if isinstance(config, str) else config)
    if runtime_config:
        caps = conf.get("capabilities") or {}
        # libcni only passes runtimeConfig keys the network declares as capabilities.
        conf["runtimeConfig"] = {k: v for k, v in runtime_config.items() if caps.get(k)}
    if prev_result is not None:
        conf["prevResult"] = prev_result
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "CNI_COMMAND": command,
        "CNI_CONTAINERID": container_id or pod,
        "CNI_NETNS": "/var/run/netns/%s" % pod,
        "CNI_IFNAME": ifname,
        "CNI_PATH": CNI_PATH,
    }
    proc = subprocess.run(["ip", "netns", "exec", node, os.path.join(CNI_PATH, conf["type"])],
                          input=json.dumps(conf), env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    if proc.returncode != 0:
        raise CNIError("%s %s failed (rc %d): %s %s" % (
            conf["type"], command, proc.returncode, proc.stdout, proc.stderr))
    return json.loads(proc.stdout) if proc.stdout.strip() else None


def add_check_del(config, node, pod, ifname="net1", runtime_config=None, inspect=None):
    """ADD, CHECK (cniVersion >= 0.4.0), DEL; `inspect(result)` runs between ADD and DEL."""
    result = run_plugin("ADD", config, node, pod, ifname, runtime_config=runtime_config)
    try:
        if inspect:
            inspect(result)
        run_plugin("CHECK", config, node, pod, ifname, runtime_config=runtime_config, prev_result=result)
    finally:
        run_plugin("DEL", config, node, pod, ifname, runtime_config=runtime_config, prev_result=result)
    return result


def addresses(ns, ifname):
    out = json.loads(sh("ip", "-n", ns, "-j", "addr", "show", "dev", ifname).stdout)
    return ["%s/%s" % (a["local"], a["prefixlen"]) for a in out[0]["addr_info"] if a["family"] == "inet"]


def link_exists(ns, ifname):
    return sh("ip", "-n", ns, "link", "show", "dev", ifname, check=False).returncode == 0
