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
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = "clusternet-labtest-"
NETWORK = "clusternet-labtest"
CACHE = os.environ.get("CLUSTERNET_CACHE", os.path.expanduser("~/.cache/clusternet-fabric"))
KUBEAPI_DIR = os.path.join(CACHE, NETWORK + "-kubeapi")
EXTRA = ["-e", "lab_container_prefix=" + PREFIX, "-e", "lab_network=" + NETWORK]


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

    rc, out = playbook("playbooks/verify.yml")
    assert rc == 0, out
    # The report names every node with its lease, A and PTR, and its backends.
    assert re.search(r"master-0\s+master\s+192\.168\.126\.21\s+ok\s+ok\s+ok\s+api mcs http https", out), out
    assert re.search(r"worker-1\s+worker\s+192\.168\.126\.32\s+ok\s+ok\s+ok\s+http https", out), out
    assert re.search(r"wildcard \*\.apps\s+-> 192\.168\.126\.10", out), out
    # the boot server (cluster_boot_enabled) serves the chain and every booting node's script
    # (boot.ipxe and the six nodes' own: bootstrap, three masters, two workers)
    assert re.search(r"boot scripts\s+-> 192\.168\.126\.10:8080 7/7\b", out), out
    # The fabric: ASNs derived from the base, sessions up, the ToR learned the
    # loopback and the pod blocks (from the Node objects), loopback pings.
    # dual-homed: a row per session, both Established, two nexthops (ECMP)
    for node, asn, lo, port in (("worker-0", 65001, r"10\.254\.0\.31/32", "swp1"),
                                ("worker-1", 65002, r"10\.254\.0\.32/32", "swp2")):
        for tor in ("tor-0", "tor-1"):
            assert re.search(r"%s\s+%d\s+%s\s+%s:%s\s+Established\s+ok\s+ok 1\s+ok\s+2" % (node, asn, lo, tor, port),
                             out), out
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


def test_lab_down_leaves_nothing(lab):
    # Runs after the end-to-end test (file order); tears down and checks.
    rc, out = playbook("tests/lab/lab.yml", "-e", "lab_state=absent")
    assert rc == 0, out
    assert not [n for n in podman_names("container") if n.startswith(PREFIX)]
    assert NETWORK not in podman_names("network")
    assert NETWORK + "-data" not in podman_names("network")
    # the cluster API is stopped and its state removed; no fabric veth is left on the host
    assert not os.path.exists(KUBEAPI_DIR)
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"^\d+: cnl\d+[ab]", links, re.M), links
    rc, out = playbook("tests/lab/lab.yml", "-e", "lab_state=absent")
    assert rc == 0, out
    assert all(s["changed"] == 0 for s in recap(out).values()), out
