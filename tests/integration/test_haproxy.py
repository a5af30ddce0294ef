# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The haproxy role's configuration served by the real HAProxy, fast.

Everything runs in a network namespace `hapx-it-<pid>`: the seed-000 node
addresses sit on its loopback, the molecule scenario's listener answers on
each of them (6443/22623 HTTPS with /readyz, 443 HTTPS, 80 HTTP), a plain
dnsmasq on 127.0.0.1:53 knows the node names from a hostsdir, and HAProxy
runs in the foreground with the configuration the role renders for the
seed-000 inventory (its default binds, the load-balancer address; resolver, stats socket and check interval
overridden through the role's variables). worker-1 has no DNS name at start:
HAProxy must start anyway and add it once dnsmasq knows it.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import netns_cleanup  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "haproxy"
LISTENER = ROOT / "roles" / "haproxy" / "molecule" / "default" / "listener.py"
DOMAIN = "test.example.local"
LB = "192.168.126.10"
NODES = {
    "bootstrap": "192.168.126.20",
    "master-0": "192.168.126.21",
    "master-1": "192.168.126.22",
    "master-2": "192.168.126.23",
    "worker-0": "192.168.126.31",
    "worker-1": "192.168.126.32",
}
LATE = "worker-1"  # resolvable only after HAProxy has started


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def show_stat(sock_path: Path) -> list[dict]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(sock_path))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    rows = list(csv.reader(data.decode().lstrip("# ").splitlines()))
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:] if r and r[1] not in ("FRONTEND", "BACKEND")]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        ok, last = predicate()
        if ok:
            return last
        time.sleep(0.5)
    raise AssertionError("timed out waiting for %s; last: %s" % (what, last))


@contextlib.contextmanager
def nodes_namespace(tmp_path, ns, addresses, listen, records):
    """A namespace with ``addresses`` on its loopback, the molecule scenario's listener on
    ``listen`` ({address: node name}) and a plain dnsmasq on 127.0.0.1 that answers the
    hosts-file ``records`` (a hostsdir the test may append to)."""
    procs = []
    run("ip", "netns", "add", ns)
    try:
        nsexec = ["ip", "netns", "exec", ns]
        run(*nsexec, "ip", "link", "set", "lo", "up")
        for ip in addresses:
            run(*nsexec, "ip", "addr", "add", ip + ("/128" if ":" in ip else "/32"), "dev", "lo",
                *(["nodad"] if ":" in ip else []))
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=hapx-node", "-keyout", str(tmp_path / "node.key"),
            "-out", str(tmp_path / "node.crt"))
        (tmp_path / "names.json").write_text(json.dumps(listen))
        procs.append(subprocess.Popen(
            [*nsexec, "python3", str(LISTENER), str(tmp_path / "names.json"),
             str(tmp_path / "node.crt"), str(tmp_path / "node.key")]))
        hosts = tmp_path / "hosts"
        hosts.mkdir()
        (hosts / "cluster").write_text("".join(records))
        procs.append(subprocess.Popen(
            [*nsexec, "dnsmasq", "-k", "--conf-file=/dev/null", "--user=root", "--pid-file=",
             "--listen-address=127.0.0.1", "--bind-interfaces", "--port=53", "--no-resolv",
             "--no-hosts", "--hostsdir=%s" % hosts, "--local=/%s/" % DOMAIN]))
        yield {"ns": ns, "nsexec": nsexec, "tmp": tmp_path, "hosts": hosts, "procs": procs}
    finally:
        netns_cleanup.stop(procs, (ns,))


@pytest.fixture
def lab(tmp_path):
    with nodes_namespace(tmp_path, "hapx-it-%d" % os.getpid(), [LB, *NODES.values()],
                         {ip: n for n, ip in NODES.items()},
                         ["%s %s.%s\n" % (ip, n, DOMAIN) for n, ip in NODES.items() if n != LATE]) as namespace:
        yield namespace


def test_rendered_config_serves_and_picks_up_late_dns_names(lab):
    tmp = lab["tmp"]
    cfg = tmp / "haproxy.cfg"
    sock = tmp / "admin.sock"
    overrides = {
        "haproxy_resolvers_nameservers": ["127.0.0.1:53"],
        "haproxy_stats_socket": str(sock),
        "haproxy_check_inter": "1s",
        "haproxy_rendered_path": str(cfg),
    }
    rendered = subprocess.run(
        ["ansible-playbook", "-i", str(GOLDEN / "seed000" / "input.yml"),
         str(GOLDEN / "render.yml"), "-e", json.dumps(overrides)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr

    haproxy = subprocess.Popen([*lab["nsexec"], "haproxy", "-db", "-f", str(cfg)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lab["procs"].append(haproxy)
    wait_for(lambda: (sock.exists() or haproxy.poll() is not None, None), 30, "the stats socket")
    assert haproxy.poll() is None, haproxy.stdout.read()

    # Started although worker-1 does not resolve; every other server comes UP.
    def all_but_late_up():
        servers = show_stat(sock)
        early = [s for s in servers if s["svname"] != LATE]
        return all(s["status"] == "UP" for s in early), servers
    servers = wait_for(all_but_late_up, 60, "all servers but %s UP" % LATE)
    late = [s for s in servers if s["svname"] == LATE]
    assert sorted(s["pxname"] for s in late) == ["ingress-http", "ingress-https"]
    assert {s["status"] for s in late} == {"MAINT (resolution)"}

    # DNS learns the name: the resolvers section picks it up, checks pass.
    with open(lab["hosts"] / "cluster", "a") as f:
        f.write("%s %s.%s\n" % (NODES[LATE], LATE, DOMAIN))
    servers = wait_for(lambda: (all(s["status"] == "UP" for s in show_stat(sock)), show_stat(sock)),
                       60, "%s UP" % LATE)
    by_backend = {}
    for s in servers:
        by_backend.setdefault(s["pxname"], []).append(s["svname"])
    masters = ["master-0", "master-1", "master-2"]
    ingress = masters + ["worker-0", "worker-1"]
    assert sorted(by_backend["api"]) == sorted(masters + ["bootstrap"])
    assert sorted(by_backend["machine-config"]) == sorted(masters + ["bootstrap"])
    assert sorted(by_backend["ingress-http"]) == sorted(ingress)
    assert sorted(by_backend["ingress-https"]) == sorted(ingress)

    # Traffic through the frontends, from inside the namespace.
    probe = r"""
import http.client, json, ssl, sys
ctx = ssl._create_unverified_context()
seen = {}
for port, tls in ((6443, True), (22623, True), (443, True), (80, False)):
    nodes = set()
    for _ in range(10):
        c = (http.client.HTTPSConnection(sys.argv[1], port, context=ctx, timeout=5) if tls
             else http.client.HTTPConnection(sys.argv[1], port, timeout=5))
        c.request("GET", "/readyz" if port == 6443 else "/")
        r = c.getresponse()
        assert r.status == 200, (port, r.status)
        nodes.add(r.getheader("X-Node"))
    seen[port] = sorted(nodes)
print(json.dumps(seen))
"""
    out = run(*lab["nsexec"], "python3", "-c", probe, LB).stdout
    seen = json.loads(out)
    # Round robin over the active servers; bootstrap is backup, never picked while masters are UP.
    assert seen["6443"] == masters
    assert seen["22623"] == masters
    assert seen["443"] == sorted(ingress)
    assert seen["80"] == sorted(ingress)


def test_check_mode_reports_the_change_and_writes_nothing(tmp_path):
    """--check --diff on an existing file: changed, the moving line shown, file untouched."""
    cfg = tmp_path / "haproxy.cfg"

    def render(*extra):
        return subprocess.run(
            ["ansible-playbook", "-i", str(GOLDEN / "seed000" / "input.yml"),
             str(GOLDEN / "render.yml"), "-e", "haproxy_rendered_path=%s" % cfg, *extra],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env=dict(os.environ, ANSIBLE_NOCOLOR="1"), check=False)

    first = render()
    assert first.returncode == 0, first.stdout + first.stderr
    before = cfg.read_text()

    again = render()
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout

    checked = render("--check", "--diff", "-e", "haproxy_maxconn=5000")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "changed=1" in checked.stdout
    assert "-    maxconn 4000" in checked.stdout and "+    maxconn 5000" in checked.stdout
    assert cfg.read_text() == before


NODES6 = {name: "fd00:126::%s" % ip.rsplit(".", 1)[1] for name, ip in NODES.items()}
LB6 = "fd00:126::10"


@pytest.mark.parametrize("case", ["dualstack", "ipv6only"])
def test_dual_stack_frontends_and_backends_over_ipv6(tmp_path, case):
    """tests/golden/dualstack with haproxy_resolve_prefer=ipv6: the frontends on the IPv6
    load-balancer address, every server resolved to its AAAA and checked UP over IPv6,
    traffic through [LB6]:6443 reaching the masters. tests/golden/ipv6only: the same with
    the role's defaults, the names having AAAA records only."""
    if case == "dualstack":
        records = ["%s %s.%s\n%s %s.%s\n" % (NODES[n], n, DOMAIN, NODES6[n], n, DOMAIN) for n in NODES]
    else:
        records = ["%s %s.%s\n" % (NODES6[n], n, DOMAIN) for n in NODES]
    with nodes_namespace(tmp_path, "hapx-v6-%d" % os.getpid(), [LB, *NODES.values(), LB6, *NODES6.values()],
                         {ip: n for n, ip in NODES6.items()}, records) as namespace:
        nsexec = namespace["nsexec"]
        cfg, sock = tmp_path / "haproxy.cfg", tmp_path / "admin.sock"
        overrides = {"haproxy_resolvers_nameservers": ["127.0.0.1:53"], "haproxy_stats_socket": str(sock),
                     "haproxy_check_inter": "1s", "haproxy_rendered_path": str(cfg)}
        if case == "dualstack":
            overrides["haproxy_resolve_prefer"] = "ipv6"
        rendered = subprocess.run(
            ["ansible-playbook", "-i", str(GOLDEN.parent / case / "input.yml"), str(GOLDEN / "render.yml"),
             "-e", json.dumps(overrides)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
        assert rendered.returncode == 0, rendered.stdout + rendered.stderr
        assert "bind [%s]:6443" % LB6 in cfg.read_text()
        haproxy = subprocess.Popen([*nsexec, "haproxy", "-db", "-f", str(cfg)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        namespace["procs"].append(haproxy)
        wait_for(lambda: (sock.exists() or haproxy.poll() is not None, None), 30, "the stats socket")
        assert haproxy.poll() is None, haproxy.stdout.read()
        servers = wait_for(lambda: (all(s["status"] == "UP" for s in show_stat(sock)), show_stat(sock)),
                           60, "every server UP over IPv6")
        # every server's address is its AAAA (show stat's addr column: [v6]:port)
        assert {s["svname"]: s["addr"].rsplit(":", 1)[0].strip("[]") for s in servers if s["pxname"] == "api"} == {
            n: NODES6[n] for n in ("bootstrap", "master-0", "master-1", "master-2")}
        probe = ("import http.client, ssl, sys\nctx = ssl._create_unverified_context()\nseen = set()\n"
                 "for _ in range(6):\n    c = http.client.HTTPSConnection(sys.argv[1], 6443, context=ctx, timeout=5)\n"
                 "    c.request('GET', '/readyz')\n    r = c.getresponse()\n    assert r.status == 200\n"
                 "    seen.add(r.getheader('X-Node'))\nprint(' '.join(sorted(seen)))\n")
        assert run(*nsexec, "python3", "-c", probe, LB6).stdout.split() == ["master-0", "master-1", "master-2"]
