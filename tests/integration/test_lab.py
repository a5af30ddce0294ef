# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's main job, end to end: the lab comes up, site.yml converges,
verify.yml passes (jump host, BGP fabric, MachineConfigs and secondary
networks on the real kube-apiserver, a real CNI attach), a second site.yml
changes nothing, the lab goes away without leftovers.

The lab runs under its own container/network names so that a developer's
own lab (scripts/lab) is left alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = "clusternet-labtest-"
NETWORK = "clusternet-labtest"
CACHE = os.environ.get("CLUSTERNET_CACHE", os.path.expanduser("~/.cache/clusternet-fabric"))
KUBEAPI_DIR = os.path.join(CACHE, NETWORK + "-kubeapi")
REPORT = os.path.join(CACHE, NETWORK + "-verify")
SVG = "{http://www.w3.org/2000/svg}"
FABRIC = ["tor-0", "tor-1", "worker-0", "worker-1"]
MGMT_PREFIX = "10.89.127"  # its own management network (a developer's lab has 10.89.126)
SSH_DIR = os.path.join(CACHE, NETWORK + "-ssh")
MACHINES = sorted(["jump-0", "jump-1", "bootstrap-0", "master-0", "master-1", "master-2"] + FABRIC)
EXTRA = ["-e", "lab_container_prefix=" + PREFIX, "-e", "lab_network=" + NETWORK, "-e", "lab_mgmt_prefix=" + MGMT_PREFIX]


def playbook(*args):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(
        ["ansible-playbook", "-i", "inventories/lab", *args, *EXTRA],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


def recap(output):
    """{host: {ok, changed, failed, ...}} from the PLAY RECAP."""
    stats = {}
    for host, fields in re.findall(r"^(\S+)\s+:\s+(ok=.*)$", output, re.M):
        stats[host] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", fields)}
    return stats


def podman_names(kind):
    out = subprocess.run(["podman", kind, "ls", "--format", "json"] if kind == "network"
                         else ["podman", "ps", "-a", "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    items = json.loads(out or "[]")
    if kind == "network":
        return [i["name"] for i in items]
    return [n for i in items for n in i["Names"]]


@pytest.fixture(scope="module")
def lab():
    rc, out = playbook("tests/lab/lab.yml")
    assert rc == 0, out
    yield
    rc, out = playbook("tests/lab/lab.yml", "-e", "lab_state=absent")
    assert rc == 0, out


def test_lab_end_to_end(lab):
    rc, out = playbook("site.yml")
    assert rc == 0, out

    rc, out = playbook("playbooks/verify.yml", "-e", "verify_report_dir=" + REPORT)
    assert rc == 0, out
    # the report as written (the play prints it too, with long lines folded)
    with open(os.path.join(REPORT, "verify-report.txt")) as f:
        out = f.read()
    # The report names every node with its lease, A and PTR, and its backends.
    assert re.search(r"master-0\s+master\s+192\.168\.126\.21\s+ok\s+ok\s+ok\s+api mcs http https", out), out
    assert re.search(r"worker-1\s+worker\s+192\.168\.126\.32\s+ok\s+ok\s+ok\s+http https", out), out
    assert re.search(r"wildcard \*\.apps\s+-> 192\.168\.126\.10", out), out
    # the pair: the VIP (the load-balancer address) is on exactly one jump host, each
    # jump host's DNS answers (a table each: the names resolve to the VIP on both)
    assert re.search(r"^cluster test\.example\.local\s+load balancer 192\.168\.126\.10\s+VIP on jump-[01]$",
                     out, re.M), out
    assert len(re.findall(r"wildcard \*\.apps\s+-> 192\.168\.126\.10$", out, re.M)) == 2, out
    # each one's boot server (cluster_boot_enabled) serves the chain and every booting node's
    # script (boot.ipxe and the six nodes' own: bootstrap, three masters, two workers)
    for address in ("192\\.168\\.126\\.11", "192\\.168\\.126\\.12"):
        assert re.search(r"boot scripts\s+-> %s:8080 7/7\b" % address, out), out
    # The fabric: ASNs derived from the base, sessions up, the ToR learned the
    # loopback and the pod blocks (from the Node objects), loopback pings.
    # dual-homed: a row per session, both Established, two nexthops (ECMP)
    # (received: the loopback and one pod block, as the model expects; blackhole, ping, ECMP)
    for node, asn, lo, port in (("worker-0", 65001, r"10\.254\.0\.31", "swp1"),
                                ("worker-1", 65002, r"10\.254\.0\.32", "swp2")):
        for tor in ("tor-0", "tor-1"):
            assert re.search(r"%s\s+%d\s+%s\s+%s:%s\s+Established\s+2/2\s+\d+\s+ok\s+ok\s+2" % (
                node, asn, lo, tor, port), out), out
    # The API server holds the routes' MachineConfig and the CNO entry, and two
    # namespaces on two nodes got net1 from it through the macvlan plugin.
    assert re.search(r"machineconfigs\s+99-worker-clusternet-routes", out), out
    assert re.search(r"network-macvlan\s+on the API server", out), out
    assert re.search(r"worker-0 10\.0\.201\.29/24 -> worker-1 10\.0\.201\.30/24 ping ok", out), out

    rc, out = playbook("site.yml")
    assert rc == 0, out
    assert all(s["changed"] == 0 for s in recap(out).values()), out

    rc, out = playbook("site.yml", "--check", "--diff")
    assert rc == 0, out
    assert all(s["changed"] == 0 for s in recap(out).values()), out


def read_report(directory):
    """verify.yml's files: the JSON result, the JUnit cases {id: failed|skipped|passed},
    the report lines, the SVG's nodes and its session lines {a--b: colour}."""
    with open(os.path.join(directory, "verify.json")) as f:
        result = json.load(f)
    cases = {}
    for case in ET.parse(os.path.join(directory, "verify-junit.xml")).getroot().iter("testcase"):
        cases[case.get("name")] = ("failed" if case.find("failure") is not None else
                                   "skipped" if case.find("skipped") is not None else "passed")
    with open(os.path.join(directory, "verify-report.txt")) as f:
        lines = f.read().splitlines()
    svg = ET.parse(os.path.join(directory, "fabric.svg")).getroot()
    nodes = sorted(g.find(SVG + "title").text for g in svg.iter(SVG + "g") if g.get("class") == "node")
    edges = {g.find(SVG + "title").text: g.find(SVG + "path").get("stroke")
             for g in svg.iter(SVG + "g") if "edge" in (g.get("class") or "")}
    return result, cases, lines, nodes, edges


def test_verify_as_data_and_one_broken_node(lab):
    """Runs after the end-to-end test (file order), on its converged lab: the report
    files agree with each other; a stopped FRR on one node is exactly one failed check,
    in the JSON, the JUnit file and the table, and its sessions are red in the picture."""
    shutil.rmtree(REPORT, ignore_errors=True)
    rc, out = playbook("playbooks/verify.yml", "-e", "verify_report_dir=" + REPORT)
    assert rc == 0, out
    result, cases, lines, nodes, edges = read_report(REPORT)
    assert result["ok"] and result["format"] == 1 and result["failed"] == []
    assert {c["id"]: c["status"] for c in result["checks"]} == cases
    assert set(cases.values()) == {"passed"} and result["summary"]["checks"] == len(cases)
    # every kind of check is there: leases, DNS, backends, boot, BGP, reach, API, attach
    for cid in ("vip", "dhcp/master-0", "dns/jump-0/worker-1/A", "dns/jump-1/worker-1/A",
                "dns/jump-0/worker-1/PTR", "dns/jump-0/*.apps/A",
                "load-balancer/jump-0/ingress-https/master-0", "load-balancer/jump-0/ingress", "boot/jump-0/boot.ipxe",
                "frr/tor-0", "frr/worker-1", "bgp/worker-1/tor-1:swp2", "blackholes/worker-0", "reach/worker-0",
                "ecmp/worker-1", "api/machineconfigs", "api/network/network-macvlan", "attach/network-macvlan"):
        assert cid in cases, cid
    sessions = {(s["node"], s["tor"]): s for s in result["sessions"]}
    assert sorted(sessions) == [(n, t) for n in ("worker-0", "worker-1") for t in ("tor-0", "tor-1")]
    for s in sessions.values():
        assert s["state"] == "Established" and s["received"] == s["expected_received"] == 2, s
        assert s["sent"] >= s["expected_sent_min"] >= 1, s
    assert lines[-1] == "checks: %d passed, 0 failed, 0 skipped (of %d)" % (len(cases), len(cases))
    assert nodes == FABRIC and len(edges) == 4 and set(edges.values()) == {"#2e7d32"}, edges

    broken = os.path.join(REPORT, "broken")
    node = PREFIX + "worker-1"
    subprocess.run(["podman", "exec", node, "systemctl", "stop", "frr"], check=True)
    try:
        rc, out = playbook("playbooks/verify.yml", "-e", "verify_report_dir=" + broken, "-e", "verify_bgp_timeout=6")
    finally:
        subprocess.run(["podman", "exec", node, "systemctl", "start", "frr"], check=True)
    assert rc != 0, out
    result, cases, lines, nodes, edges = read_report(broken)
    assert [c for c, status in cases.items() if status == "failed"] == ["frr/worker-1"], cases
    assert [c["id"] for c in result["checks"] if c["status"] == "failed"] == ["frr/worker-1"]
    assert len(result["failed"]) == 1 and "worker-1: FRR does not answer" in result["failed"][0], result["failed"]
    # what follows from it is named, not counted as failed: worker-1's sessions (at least)
    skipped = {c for c, status in cases.items() if status == "skipped"}
    assert {"bgp/worker-1/tor-0:swp2", "bgp/worker-1/tor-1:swp2"} <= skipped, skipped
    assert all(c.split("/")[1] in ("worker-0", "worker-1") for c in skipped), skipped
    assert [line for line in lines if line.startswith("FAILED")] == ["FAILED frr/worker-1: " + result["failed"][0]]
    assert "worker-1: FRR does not answer" in out and "1 failed" in lines[-1], out
    assert nodes == FABRIC
    assert edges == {"worker-0--tor-0": "#2e7d32", "worker-0--tor-1": "#2e7d32",
                     "worker-1--tor-0": "#c62828", "worker-1--tor-1": "#c62828"}, edges


def ansible(host, *args):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["ansible", host, "-i", "inventories/lab", *args, *EXTRA],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_lab_reached_over_ssh(lab, tmp_path):
    """Runs after the end-to-end test (file order): every machine is reached over
    SSH with the lab's key, each has a host key of its own that the known_hosts
    file holds, and a host whose key does not match is refused."""
    with open(os.path.join(SSH_DIR, "ssh_config")) as f:
        config = f.read()
    with open(os.path.join(SSH_DIR, "known_hosts")) as f:
        known = {line.split()[0].split(",")[0]: line.split()[1:3] for line in f if line.strip()}
    assert sorted(known) == MACHINES and sorted(re.findall(r"^Host (\S+)$", config, re.M)) == ["*"] + MACHINES
    assert "StrictHostKeyChecking yes" in config
    # every machine answers (site.yml reaches only the jump host and the fabric)
    rc, out = ansible("lab", "-m", "ansible.builtin.ping")
    assert rc == 0 and out.count("SUCCESS") == out.count("ping: pong") == len(MACHINES), out
    for host in MACHINES:
        own = subprocess.run(["podman", "exec", PREFIX + host, "cat", "/etc/ssh/ssh_host_ed25519_key.pub"],
                             capture_output=True, text=True, check=True).stdout.split()[:2]
        assert known[host] == own, host
        # Ansible came in over SSH, from the controller's end of the management network
        log = subprocess.run(["podman", "exec", PREFIX + host, "journalctl", "-u", "ssh", "--no-pager"],
                             capture_output=True, text=True, check=True).stdout
        assert re.search(r"Accepted publickey for root from %s\.1 " % re.escape(MGMT_PREFIX), log), (host, log)
    assert len({tuple(k) for k in known.values()}) == len(MACHINES)  # no two machines share a key

    # jump-0 with tor-0's key in known_hosts: refused (a fresh control path, so no open master helps)
    with open(os.path.join(SSH_DIR, "known_hosts")) as f:
        lines = [line.replace(" ".join(known["jump-0"]), " ".join(known["tor-0"])) for line in f]
    (tmp_path / "known_hosts").write_text("".join(lines))
    (tmp_path / "cp").mkdir()
    rc, out = ansible("jump-0", "-m", "ansible.builtin.ping", "-e", "ansible_control_path_dir=%s" % (tmp_path / "cp"),
                      "-e", "ansible_ssh_common_args='-F %s -o UserKnownHostsFile=%s'" % (
                          os.path.join(SSH_DIR, "ssh_config"), tmp_path / "known_hosts"))
    assert rc != 0 and "UNREACHABLE" in out and "Host key verification failed" in out, out
    rc, out = ansible("jump-0", "-m", "ansible.builtin.ping")
    assert rc == 0 and "ping: pong" in out, out


def test_lab_down_leaves_nothing(lab):
    # Runs after the end-to-end test (file order); tears down and checks.
    rc, out = playbook("tests/lab/lab.yml", "-e", "lab_state=absent")
    assert rc == 0, out
    assert not [n for n in podman_names("container") if n.startswith(PREFIX)]
    assert NETWORK not in podman_names("network")
    assert NETWORK + "-data" not in podman_names("network")
    assert NETWORK + "-mgmt" not in podman_names("network") and not os.path.exists(SSH_DIR)
    # the cluster API is stopped and its state removed; no fabric veth is left on the host
    assert not os.path.exists(KUBEAPI_DIR)
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"^\d+: cnl\d+[ab]", links, re.M), links
    rc, out = playbook("tests/lab/lab.yml", "-e", "lab_state=absent")
    assert rc == 0, out
    assert all(s["changed"] == 0 for s in recap(out).values()), out
