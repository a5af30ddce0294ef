# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dnsmasq role's files served by the real dnsmasq to a real dhclient and dig.

Two network namespaces joined by a veth pair: `dnsm-srv-*` runs dnsmasq with
the configuration the role renders for the seed-000 inventory (paths moved
into a temporary directory), `dnsm-cli-*` plays master-0: its NIC carries
master-0's MAC and dhclient (with its own -sf script, so the host's
resolv.conf is left alone) must get the reserved address and hostname. dig
then checks api, api-int, *.apps and every node's A and PTR. Finally a worker
is added to the inventory and re-rendered: dnsmasq (same process, no signal)
serves its records and its reservation. The molecule scenario proves the same
through the role's tasks and the systemd service.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, os.path.dirname(__file__))
import netns_cleanup  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLDEN = ROOT / "tests" / "golden" / "dnsmasq"
JUMP_IP = "192.168.126.10"
DOMAIN = "test.example.local"
DHCLIENT_SCRIPT = """#!/bin/sh
env | grep -E '^(reason|interface|new_)' > "{out}/dhclient.$reason"
case "$reason" in
  BOUND|RENEW|REBIND|REBOOT)
    ip addr flush dev "$interface"
    ip addr add "$new_ip_address/24" dev "$interface"
    ;;
esac
exit 0
"""


def run(*cmd, check=True, timeout=90, **kw):
    result = subprocess.run(cmd, capture_output=True, check=False, text=True, timeout=timeout, **kw)
    if check:
        assert result.returncode == 0, "%s: %s%s" % (" ".join(cmd), result.stdout, result.stderr)
    return result


def render(inventory: dict, dest: Path, workdir: Path) -> None:
    inv = workdir / "inventory.yml"
    inv.write_text(yaml.safe_dump(inventory))
    extra = {
        "dnsmasq_rendered_dir": str(dest),
        "dnsmasq_hostsdir": str(workdir / "hosts.d"),
        "dnsmasq_dhcp_hostsdir": str(workdir / "dhcp-hosts.d"),
        "dnsmasq_lease_file": str(workdir / "dnsmasq.leases"),
        "dnsmasq_extra_options": ["log-dhcp", "log-queries"],
    }
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    result = subprocess.run(
        ["ansible-playbook", "-i", str(inv), str(GOLDEN / "render.yml"), "-e", yaml.safe_dump(extra, default_flow_style=True)],
        cwd=ROOT, env=env, capture_output=True, check=False, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def install(src: Path, dest: Path) -> None:
    """Replace dest atomically, as Ansible's template module does."""
    tmp = dest.with_name("." + dest.name + ".tmp")
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)


@pytest.fixture
def lab():
    tag = "%d" % (os.getpid() % 100000)
    srv, cli = "dnsm-srv-" + tag, "dnsm-cli-" + tag
    veth_srv, veth_cli = "dnsm-s" + tag, "dnsm-c" + tag
    # world-readable: dnsmasq drops to its own user and re-reads the record files as that user
    workdir = Path(tempfile.mkdtemp(prefix="dnsm-"))
    os.chmod(workdir, 0o755)
    procs = []
    try:
        run("ip", "netns", "add", srv)
        run("ip", "netns", "add", cli)
        run("ip", "link", "add", veth_srv, "type", "veth", "peer", "name", veth_cli)
        run("ip", "link", "set", veth_srv, "netns", srv)
        run("ip", "link", "set", veth_cli, "netns", cli)
        for ns in (srv, cli):
            run("ip", "-n", ns, "link", "set", "lo", "up")
        run("ip", "-n", srv, "addr", "add", JUMP_IP + "/24", "dev", veth_srv)
        run("ip", "-n", srv, "link", "set", veth_srv, "up")
        yield {"srv": srv, "cli": cli, "veth_srv": veth_srv, "veth_cli": veth_cli, "dir": workdir, "procs": procs}
    finally:
        for pidfile in workdir.glob("dhclient*.pid"):
            # only our dhclient: its command line names this pid file
            try:
                pid = int(pidfile.read_text().strip())
                if str(pidfile).encode() in Path("/proc/%d/cmdline" % pid).read_bytes():
                    os.kill(pid, 15)
            except (ValueError, OSError):
                pass
        netns_cleanup.stop(procs, (srv, cli))
        shutil.rmtree(workdir, ignore_errors=True)


def start_dnsmasq(lab, conf: Path, log: Path) -> subprocess.Popen:
    """The real dnsmasq with ``conf`` in the server namespace, up before this returns."""
    proc = subprocess.Popen(
        ["ip", "netns", "exec", lab["srv"], "dnsmasq", "--keep-in-foreground", "--conf-file=%s" % conf,
         "--pid-file=%s" % (lab["dir"] / "dnsmasq.pid"), "--log-facility=%s" % log],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lab["procs"].append(proc)
    for _attempt in range(50):
        if proc.poll() is not None or (log.exists() and "started" in log.read_text()):
            break
        time.sleep(0.1)
    assert proc.poll() is None, proc.stdout.read()
    return proc


def dhclient(lab, mac: str, name: str) -> dict:
    """Set the client's MAC and take a lease with a real dhclient; return what it was handed."""
    cli, veth, out = lab["cli"], lab["veth_cli"], lab["dir"]
    script = out / "dhclient-script"
    script.write_text(DHCLIENT_SCRIPT.format(out=out))
    os.chmod(script, 0o755)
    run("ip", "-n", cli, "link", "set", veth, "down")
    run("ip", "-n", cli, "addr", "flush", "dev", veth)
    run("ip", "-n", cli, "link", "set", veth, "address", mac)
    run("ip", "-n", cli, "link", "set", veth, "up")
    bound = out / "dhclient.BOUND"
    if bound.exists():
        bound.unlink()
    run("ip", "netns", "exec", cli, "dhclient", "-1", "-sf", str(script),
        "-lf", str(out / ("dhclient-%s.leases" % name)), "-pf", str(out / ("dhclient-%s.pid" % name)), veth,
        timeout=90)
    env = dict(line.split("=", 1) for line in bound.read_text().splitlines() if "=" in line)
    addr = run("ip", "-n", cli, "-4", "-o", "addr", "show", "dev", veth).stdout
    env["_addr"] = addr
    return env


def dig(lab, *args) -> list[str]:
    result = run("ip", "netns", "exec", lab["cli"], "dig", "+short", "+time=2", "+tries=2", "@" + JUMP_IP, *args)
    return result.stdout.split()


def test_dhclient_gets_its_reservation_and_dig_answers_every_record(lab):
    workdir = lab["dir"]
    inventory = yaml.safe_load((GOLDEN / "seed000" / "input.yml").read_text())
    rendered = workdir / "rendered"
    rendered.mkdir()
    render(inventory, rendered, workdir)
    (workdir / "hosts.d").mkdir(mode=0o755)
    (workdir / "dhcp-hosts.d").mkdir(mode=0o755)
    install(rendered / "cluster.hosts", workdir / "hosts.d" / "cluster")
    install(rendered / "cluster.dhcp-hosts", workdir / "dhcp-hosts.d" / "cluster")

    conf = rendered / "dnsmasq.conf"
    log = workdir / "dnsmasq.log"
    proc = start_dnsmasq(lab, conf, log)

    # master-0's MAC -> master-0's reserved address and hostname, the cluster domain and DNS server.
    lease = dhclient(lab, "52:54:00:7e:00:15", "master-0")
    assert lease["new_ip_address"] == "192.168.126.21", lease
    assert lease["new_host_name"] == "master-0"
    assert lease["new_domain_name"] == DOMAIN
    assert lease["new_domain_name_servers"] == JUMP_IP
    assert " 192.168.126.21/24 " in lease["_addr"]
    leases = (workdir / "dnsmasq.leases").read_text()
    assert " 52:54:00:7e:00:15 192.168.126.21 master-0 " in leases

    assert dig(lab, "api." + DOMAIN) == [JUMP_IP]
    assert dig(lab, "api-int." + DOMAIN) == [JUMP_IP]
    assert dig(lab, "console-openshift-console.apps." + DOMAIN) == [JUMP_IP]
    assert dig(lab, "a.b.apps." + DOMAIN) == [JUMP_IP]
    assert sorted(dig(lab, "-x", JUMP_IP)) == sorted(
        ["api.%s." % DOMAIN, "api-int.%s." % DOMAIN, "jump-0.%s." % DOMAIN])
    nodes = {"jump-0": JUMP_IP, "bootstrap": "192.168.126.20", "master-0": "192.168.126.21",
             "master-1": "192.168.126.22", "master-2": "192.168.126.23",
             "worker-0": "192.168.126.31", "worker-1": "192.168.126.32"}
    for name, ip in nodes.items():
        assert dig(lab, "%s.%s" % (name, DOMAIN)) == [ip], name
        assert "%s.%s." % (name, DOMAIN) in dig(lab, "-x", ip), name
    # Unknown names in the cluster domain and its reverse zone: NXDOMAIN here, never forwarded.
    result = run("ip", "netns", "exec", lab["cli"], "dig", "+time=2", "@" + JUMP_IP, "nosuch." + DOMAIN)
    assert "status: NXDOMAIN" in result.stdout
    result = run("ip", "netns", "exec", lab["cli"], "dig", "+time=2", "@" + JUMP_IP, "-x", "192.168.126.99")
    assert "status: NXDOMAIN" in result.stdout
    # No upstreams in the inventory: everything else is refused.
    result = run("ip", "netns", "exec", lab["cli"], "dig", "+time=2", "@" + JUMP_IP, "deb.debian.org")
    assert "status: REFUSED" in result.stdout

    # A worker added to the inventory: re-render, replace the record files; the
    # same dnsmasq process (no restart, no signal) serves it.
    inventory["all"]["children"]["workers"]["hosts"]["worker-2"] = {
        "node_ip": "192.168.126.33", "node_mac": "52:54:00:7e:00:21"}
    render(inventory, rendered, workdir)
    assert conf.read_text() == (GOLDEN / "seed000" / "expected" / "dnsmasq.conf").read_text().replace(
        "/etc/dnsmasq.hosts.d", str(workdir / "hosts.d")).replace(
        "/etc/dnsmasq.dhcp-hosts.d", str(workdir / "dhcp-hosts.d")).replace(
        "/var/lib/dnsmasq/dnsmasq.leases", str(workdir / "dnsmasq.leases")) + (
        "\n# dnsmasq_extra_options\nlog-dhcp\nlog-queries\n"), "the main configuration must not change"
    install(rendered / "cluster.hosts", workdir / "hosts.d" / "cluster")
    install(rendered / "cluster.dhcp-hosts", workdir / "dhcp-hosts.d" / "cluster")
    for _attempt in range(50):
        if dig(lab, "worker-2." + DOMAIN) == ["192.168.126.33"]:
            break
        time.sleep(0.1)
    assert dig(lab, "worker-2." + DOMAIN) == ["192.168.126.33"]
    assert dig(lab, "-x", "192.168.126.33") == ["worker-2.%s." % DOMAIN]

    subprocess.run(["ip", "netns", "exec", lab["cli"], "dhclient", "-x", "-pf",
                    str(workdir / "dhclient-master-0.pid")], capture_output=True, check=False, timeout=30)
    lease = dhclient(lab, "52:54:00:7e:00:21", "worker-2")
    assert lease["new_ip_address"] == "192.168.126.33", lease
    assert lease["new_host_name"] == "worker-2"
    assert " 52:54:00:7e:00:21 192.168.126.33 worker-2 " in (workdir / "dnsmasq.leases").read_text()
    assert proc.poll() is None, "dnsmasq exited"


DHCLIENT6_SCRIPT = """#!/bin/sh
env | grep -E '^(reason|interface|new_)' > "{out}/dhclient6.$reason"
case "$reason" in
  BOUND6|RENEW6|REBIND6|REBOOT6)
    ip -6 addr add "$new_ip6_address/$new_ip6_prefixlen" dev "$interface" nodad
    ;;
esac
exit 0
"""


@pytest.mark.parametrize("case", ["dualstack", "ipv6only"])
def test_dual_stack_dhcpv6_reservation_and_aaaa_and_ip6_ptr(lab, case):
    """tests/golden/dualstack served for real: master-0's MAC takes its reserved IPv6
    address by DHCPv6 (dhclient -6), and every node and api/api-int/*.apps answer AAAA
    and their ip6.arpa PTR. tests/golden/ipv6only: the same on a cluster network with no
    IPv4 (no A record at all)."""
    workdir, srv, cli = lab["dir"], lab["srv"], lab["cli"]
    run("ip", "-n", srv, "-6", "addr", "add", "fd00:126::10/64", "dev", lab["veth_srv"], "nodad")
    inventory = yaml.safe_load((ROOT / "tests" / "golden" / case / "input.yml").read_text())
    rendered = workdir / "rendered"
    rendered.mkdir()
    render(inventory, rendered, workdir)
    for d, name in (("hosts.d", "cluster.hosts"), ("dhcp-hosts.d", "cluster.dhcp-hosts")):
        (workdir / d).mkdir(mode=0o755)
        install(rendered / name, workdir / d / "cluster")
    log = workdir / "dnsmasq.log"
    start_dnsmasq(lab, rendered / "dnsmasq.conf", log)

    # master-0's NIC; its link-local address must be usable before dhclient -6 sends
    veth = lab["veth_cli"]
    run("ip", "-n", cli, "link", "set", veth, "address", "52:54:00:7e:00:15")
    run("ip", "-n", cli, "link", "set", veth, "up")
    for _attempt in range(50):
        if "tentative" not in run("ip", "-n", cli, "-6", "addr", "show", "dev", veth).stdout:
            break
        time.sleep(0.2)
    script = workdir / "dhclient6-script"
    script.write_text(DHCLIENT6_SCRIPT.format(out=workdir))
    os.chmod(script, 0o755)
    run("ip", "netns", "exec", cli, "dhclient", "-6", "-1", "-D", "LL", "-sf", str(script),
        "-lf", str(workdir / "dhclient6.leases"), "-pf", str(workdir / "dhclient6.pid"), veth, timeout=90)
    bound = dict(line.split("=", 1) for line in (workdir / "dhclient6.BOUND6").read_text().splitlines() if "=" in line)
    assert bound["new_ip6_address"] == "fd00:126::21", (bound, log.read_text()[-2000:])
    assert "fd00:126::21/" in run("ip", "-n", cli, "-6", "addr", "show", "dev", veth).stdout
    # DHCPv6 hands out the address (/128); the on-link prefix comes from the router's
    # advertisements, which are not dnsmasq's job here: the test adds the route itself
    run("ip", "-n", cli, "-6", "route", "add", "fd00:126::/64", "dev", veth)

    def dig6(*args):
        return run("ip", "netns", "exec", cli, "dig", "+short", "+time=2", "+tries=2", "@fd00:126::10", *args).stdout.split()

    for name in ("api", "api-int", "console-openshift-console.apps"):
        assert dig6("%s.%s" % (name, DOMAIN), "AAAA") == ["fd00:126::10"], name
    assert sorted(dig6("-x", "fd00:126::10")) == sorted(
        ["api.%s." % DOMAIN, "api-int.%s." % DOMAIN, "jump-0.%s." % DOMAIN])
    for name, last in (("bootstrap", 20), ("master-0", 21), ("master-1", 22), ("master-2", 23), ("worker-0", 31),
                       ("worker-1", 32)):
        assert dig6("%s.%s" % (name, DOMAIN), "AAAA") == ["fd00:126::%d" % last], name
        assert dig6("-x", "fd00:126::%d" % last) == ["%s.%s." % (name, DOMAIN)], name
        # and the IPv4 records stay what they were (none on an IPv6-only network)
        assert dig6("%s.%s" % (name, DOMAIN), "A") == (["192.168.126.%d" % last] if case == "dualstack" else []), name
