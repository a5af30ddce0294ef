# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A dual-stack pair: the real keepalived moves the IPv6 load-balancer address with the IPv4 VIP.

Two network namespaces joined by a veth pair play jump-0 and jump-1, each with
its node_ip and node_ip6 on ens192. Each runs the real keepalived with the
configuration the role renders for tests/golden/dualstack-pair (the golden
files, which the golden tests keep equal to the role's output), except the
HAProxy health check: here it tests a marker file, so the test can "stop
HAProxy" on one host. Asserted: both VIPs sit on one host, the IPv6 one not
tentative (a tentative address answers nothing); after the holder's check fails
both move together to the other host, and the IPv6 VIP answers a ping there.
The molecule scenario of the keepalived role proves the IPv4 side through
systemd and a real HAProxy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import netns_cleanup  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "keepalived" / "dualstack-pair"
HOSTS = {"jump-0": ("192.168.126.10", "fd00:126::10"), "jump-1": ("192.168.126.11", "fd00:126::11")}
VIP, VIP6 = "192.168.126.9", "fd00:126::9"
HEALTH = 'script "/usr/bin/systemctl is-active --quiet haproxy.service"'


def run(*cmd, check=True):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    if check:
        assert result.returncode == 0, "%s: %s%s" % (" ".join(cmd), result.stdout, result.stderr)
    return result


def addresses(ns):
    """The addresses on ens192 of ``ns``, with their flags (tentative, dadfailed...)."""
    return run("ip", "-n", ns, "-o", "addr", "show", "dev", "ens192").stdout


def holder(namespaces):
    """{host: (has the IPv4 VIP, has the IPv6 VIP)} for every host."""
    return {host: (" %s/" % VIP in addresses(ns), " %s/" % VIP6 in addresses(ns)) for host, ns in namespaces.items()}


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.fixture
def pair(tmp_path):
    tag = "%d" % os.getpid()
    namespaces = {host: "kad%s-%s" % (host[-1], tag) for host in HOSTS}
    procs = []
    try:
        for ns in namespaces.values():
            run("ip", "netns", "add", ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
        ns0, ns1 = namespaces.values()
        run("ip", "link", "add", "kav0-" + tag, "netns", ns0, "type", "veth", "peer", "name", "kav1-" + tag, "netns", ns1)
        for (host, (ip, ip6)), ns, veth in zip(HOSTS.items(), namespaces.values(), ("kav0-", "kav1-")):
            run("ip", "-n", ns, "link", "set", veth + tag, "name", "ens192")
            run("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "ens192")
            run("ip", "-n", ns, "addr", "add", ip6 + "/64", "dev", "ens192", "nodad")
            run("ip", "-n", ns, "link", "set", "ens192", "up")
            conf = (GOLDEN / ("%s.keepalived.conf" % host)).read_text()
            assert HEALTH in conf
            conf = conf.replace(HEALTH, 'script "/bin/sh -c \'test ! -e %s/haproxy-down-%s\'"' % (tmp_path, host))
            path = tmp_path / ("%s.conf" % host)
            path.write_text(conf)
            log = open(tmp_path / ("%s.log" % host), "w")
            procs.append(subprocess.Popen(
                ["ip", "netns", "exec", ns, "keepalived", "--dont-fork", "--log-console", "--log-detail", "--vrrp",
                 "--use-file", str(path), "--pid", str(tmp_path / ("%s.pid" % host)),
                 "--vrrp_pid", str(tmp_path / ("%s.vrrp.pid" % host))],
                stdout=log, stderr=subprocess.STDOUT))
        yield namespaces, tmp_path
    finally:
        netns_cleanup.stop(procs, namespaces.values())


def test_both_vips_move_together_and_the_ipv6_one_answers(pair):
    namespaces, tmp_path = pair

    def logs():
        return "".join((tmp_path / ("%s.log" % h)).read_text()[-2000:] for h in HOSTS)

    # jump-0 has the higher priority: it takes both addresses, jump-1 none
    assert wait_for(lambda: holder(namespaces) == {"jump-0": (True, True), "jump-1": (False, False)}), \
        (holder(namespaces), logs())
    vip6_line = [line for line in addresses(namespaces["jump-0"]).splitlines() if " %s/" % VIP6 in line][0]
    assert "tentative" not in vip6_line and "dadfailed" not in vip6_line, vip6_line
    run("ip", "netns", "exec", namespaces["jump-1"], "ping", "-6", "-c1", "-W2", VIP6)

    # "HAProxy" stops on jump-0: both addresses leave it for jump-1, together
    (tmp_path / "haproxy-down-jump-0").write_text("")
    started = time.monotonic()
    assert wait_for(lambda: holder(namespaces) == {"jump-0": (False, False), "jump-1": (True, True)}), \
        (holder(namespaces), logs())
    print("both VIPs moved to jump-1 in %.1f s" % (time.monotonic() - started))
    vip6_line = [line for line in addresses(namespaces["jump-1"]).splitlines() if " %s/" % VIP6 in line][0]
    assert "tentative" not in vip6_line, vip6_line
    run("ip", "netns", "exec", namespaces["jump-0"], "ping", "-6", "-c1", "-W2", VIP6)
    run("ip", "netns", "exec", namespaces["jump-0"], "ping", "-c1", "-W2", VIP)
