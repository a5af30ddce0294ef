# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers for FRR topologies made of network namespaces: one zebra + bgpd +
staticd per namespace (pathspace -N), point-to-point veths without IPv4."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time

FRR = "/usr/lib/frr"
DAEMONS = ("zebra", "staticd", "bgpd")


def sh(*args, check=True, ns=None):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    if check and res.returncode != 0:
        raise AssertionError("%s failed rc=%d: %s %s" % (cmd, res.returncode, res.stdout, res.stderr))
    return res


class Router:
    """One FRR instance in its own namespace; name is both netns and pathspace."""

    def __init__(self, name, workdir, bfd=False):
        self.name = name
        self.daemons = DAEMONS + (("bfdd",) if bfd else ())
        self.rundir = "/var/run/frr/%s" % name
        self.workdir = os.path.join(workdir, name)

    def create(self, loopbacks=()):
        sh("ip", "netns", "add", self.name)
        sh("ip", "link", "set", "lo", "up", ns=self.name)
        for addr in loopbacks:
            sh("ip", "addr", "add", addr, "dev", "lo", ns=self.name)
        for key, value in (("net.ipv4.ip_forward", "1"), ("net.ipv6.conf.all.forwarding", "1"),
                           ("net.ipv4.conf.all.rp_filter", "0"), ("net.ipv4.conf.default.rp_filter", "0")):
            sh("sysctl", "-qw", "%s=%s" % (key, value), ns=self.name)

    def start(self, conf_text):
        os.makedirs(self.workdir, exist_ok=True)
        os.makedirs(self.rundir, exist_ok=True)
        shutil.chown(self.rundir, "frr", "frr")
        conf = os.path.join(self.workdir, "frr.conf")
        with open(conf, "w") as f:
            f.write(conf_text)
        empty = os.path.join(self.workdir, "empty.conf")
        open(empty, "w").close()
        os.chmod(self.workdir, 0o755)
        for daemon in self.daemons:
            extra = ["-s", "90000000"] if daemon == "zebra" else []
            sh(os.path.join(FRR, daemon), "-d", "-P", "0", "-N", self.name, "-f", empty,
               "-u", "frr", "-g", "frr", "--log", "file:%s/%s.log" % (self.workdir, daemon),
               *extra, ns=self.name)
        self.apply(conf)

    def apply(self, conf):
        res = self.vtysh_f(conf)
        if res.returncode != 0:
            raise AssertionError("vtysh -f %s on %s: %s %s" % (conf, self.name, res.stdout, res.stderr))

    def vtysh_f(self, conf):
        return sh("vtysh", "-N", self.name, "-f", conf, check=False, ns=self.name)

    def vtysh(self, *commands):
        args = ["vtysh", "-N", self.name]
        for c in commands:
            args += ["-c", c]
        return sh(*args, ns=self.name).stdout

    def json(self, command):
        return json.loads(self.vtysh(command + " json"))

    def stop_daemon(self, daemon):
        """Stop one daemon (e.g. bgpd: the links stay up, the sessions go)."""
        pidfile = os.path.join(self.rundir, "%s.pid" % daemon)
        with open(pidfile) as f:
            os.kill(int(f.read().strip()), 15)

    def stop(self):
        for daemon in self.daemons:
            pidfile = os.path.join(self.rundir, "%s.pid" % daemon)
            try:
                with open(pidfile) as f:
                    pid = int(f.read().strip())
                os.kill(pid, 15)
            except (OSError, ValueError):
                pass
        deadline = time.time() + 5
        while time.time() < deadline and any(os.path.exists(os.path.join(self.rundir, "%s.pid" % d))
                                             for d in self.daemons):
            time.sleep(0.1)
        sh("ip", "netns", "del", self.name, check=False)
        shutil.rmtree(self.rundir, ignore_errors=True)


def link(ns_a, if_a, ns_b, if_b, tmp_a, tmp_b):
    """veth between two namespaces; host-side names carry the frr prefix."""
    sh("ip", "link", "add", tmp_a, "type", "veth", "peer", "name", tmp_b)
    for ns, tmp, name in ((ns_a, tmp_a, if_a), (ns_b, tmp_b, if_b)):
        sh("ip", "link", "set", tmp, "netns", ns)
        sh("ip", "link", "set", tmp, "name", name, ns=ns)
        sh("ip", "link", "set", name, "up", ns=ns)


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        ok, last = predicate()
        if ok:
            return last
        time.sleep(0.5)
    raise AssertionError("timeout after %ss waiting for %s; last: %s" % (timeout, what, last))


def established(router):
    """(all peers Established, {peer: state}) from show bgp summary json."""
    data = router.json("show bgp ipv4 unicast summary")
    peers = data.get("peers", {})
    states = {p: v.get("state") for p, v in peers.items()}
    return bool(states) and all(s == "Established" for s in states.values()), states
