# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Node side of the node_routes MachineConfig, in a systemd lab container.

The container plays an RHCOS node: the MachineConfig's files and units are
materialised the way the MCO daemon does (decode the data URLs, write files
with their modes, write units and drop-ins, daemon-reload, enable), then the
unit runs and the kernel routing table is inspected with ``ip route``.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.render import node_routes as ir
from ansible_collections.clusternet.fabric.plugins.module_utils.render import machineconfig as mc

IMAGE = os.environ.get("CLUSTERNET_BASE_IMAGE", "localhost/clusternet-base:bookworm")
PROTO = str(ir.ROUTE_PROTO)


def sh(*args, check=True, stdin=None):
    proc = subprocess.run(list(args), input=stdin, capture_output=True, text=True, timeout=120, check=False)
    if check and proc.returncode != 0:
        raise AssertionError("%s failed (%d): %s %s" % (args, proc.returncode, proc.stdout, proc.stderr))
    return proc


class Node:
    def __init__(self, name):
        self.name = name

    def run(self, command, check=True, stdin=None):
        return sh("podman", "exec", "-i", self.name, "bash", "-c", command, check=check, stdin=stdin)

    def write(self, path, data, mode):
        self.run("mkdir -p %s && cat > %s && chmod %o %s" % (os.path.dirname(path), path, mode, path),
                 stdin=data)

    def materialise(self, machineconfig):
        """Apply a MachineConfig's Ignition config as the MCO daemon would (files, units)."""
        config = machineconfig["spec"]["config"]
        for item in config.get("storage", {}).get("files", []):
            data = mc.decode_data_url(item["contents"]["source"]).decode("utf-8")
            self.write(item["path"], data, item.get("mode", 0o644))
        enable = []
        for unit in config.get("systemd", {}).get("units", []):
            path = "/etc/systemd/system/" + unit["name"]
            if "contents" in unit:
                self.write(path, unit["contents"], 0o644)
            for dropin in unit.get("dropins", []):
                self.write("%s.d/%s" % (path, dropin["name"]), dropin["contents"], 0o644)
            if unit.get("enabled"):
                enable.append(unit["name"])
        self.run("systemctl daemon-reload")
        for name in enable:
            self.run("systemctl enable %s" % name)

    def routes(self, family="-4"):
        out = self.run("ip %s -j route show table main" % family).stdout
        return json.loads(out or "[]")


@pytest.fixture(scope="module")
def node():
    name = "mcfg-node-%s" % uuid.uuid4().hex[:8]
    sh("podman", "run", "-d", "--name", name, "--runtime=runc", "--privileged", "--network=none",
       "--systemd=always", "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768",
       IMAGE, "/sbin/init")
    try:
        n = Node(name)
        deadline = time.monotonic() + 60
        while True:
            state = n.run("systemctl is-system-running", check=False).stdout.strip()
            if state in ("running", "degraded"):
                break
            assert time.monotonic() < deadline, "systemd in %s did not come up: %s" % (name, state)
            time.sleep(0.5)
        # The node's NIC: a veth named like the seed's ens5, on the gateway's network.
        n.run("ip link add ens5 type veth peer name ens5-peer && ip link set ens5-peer up"
              " && ip addr add 172.18.0.2/24 dev ens5"
              " && ip -6 addr add fd00:18::2/64 dev ens5 nodad && ip link set ens5 up")
        yield n
    finally:
        sh("podman", "rm", "-f", "-t", "0", name, check=False)


def render(routes):
    specs = ir.machineconfig_specs({"worker": routes})
    objects, _warnings = mc.render_machineconfigs(specs, "4.14")
    return objects[0]


def ours(node, family="-4"):
    return sorted((r["dst"], r.get("gateway"), r.get("dev"), r.get("metric", 0))
                  for r in node.routes(family) if r.get("protocol") == PROTO)


SEED = {"destination": "192.168.1.0/24", "gateway": "172.18.0.1", "interface": "ens5"}
EXTRA = {"destination": "10.50.0.0/16", "gateway": "172.18.0.1", "metric": 200}
V6 = {"destination": "fd00:1::/64", "gateway": "fd00:18::1", "interface": "ens5"}


def test_unit_applies_routes_idempotently_and_removes_dropped_ones(node):
    node.materialise(render([SEED, EXTRA, V6]))
    assert node.run("systemctl is-enabled %s" % ir.UNIT_NAME).stdout.strip() == "enabled"
    node.run("systemctl start %s" % ir.UNIT_NAME)
    assert ours(node) == [("10.50.0.0/16", "172.18.0.1", "ens5", 200),
                          ("192.168.1.0/24", "172.18.0.1", "ens5", 0)]
    assert ours(node, "-6") == [("fd00:1::/64", "fd00:18::1", "ens5", 1024)]

    # An admin's route (not ours) must survive everything below.
    node.run("ip route add 10.60.0.0/16 via 172.18.0.1 proto static")

    # Second and third run: no duplicates, same table.
    before = node.run("ip route show table main; ip -6 route show table main").stdout
    node.run("systemctl restart %s" % ir.UNIT_NAME)
    node.run("%s %s" % (ir.SCRIPT_PATH, ir.ROUTES_DIR))
    after = node.run("ip route show table main; ip -6 route show table main").stdout
    assert after == before
    assert after.count("192.168.1.0/24") == 1

    # A new MachineConfig without EXTRA and V6: they leave, the seed's route and the admin's stay.
    node.materialise(render([SEED]))
    node.run("systemctl restart %s" % ir.UNIT_NAME)
    assert ours(node) == [("192.168.1.0/24", "172.18.0.1", "ens5", 0)]
    assert ours(node, "-6") == []
    assert "10.60.0.0/16 via 172.18.0.1 dev ens5 proto static" in node.run("ip route").stdout

    # A changed metric is a different kernel route: the old one must not linger.
    node.materialise(render([dict(SEED, metric=50)]))
    node.run("systemctl restart %s" % ir.UNIT_NAME)
    assert ours(node) == [("192.168.1.0/24", "172.18.0.1", "ens5", 50)]


def test_dispatcher_restores_routes_after_reactivation(node):
    node.materialise(render([SEED]))
    node.run("systemctl restart %s" % ir.UNIT_NAME)
    assert [r[0] for r in ours(node)] == ["192.168.1.0/24"]
    # What NetworkManager re-activation does to the kernel: the device goes down,
    # its routes are flushed, it comes back up without ours.
    node.run("ip link set ens5 down && ip link set ens5 up && ip addr add 172.18.0.2/24 dev ens5 || true")
    node.run("ip addr show ens5 | grep -q 172.18.0.2 || ip addr add 172.18.0.2/24 dev ens5")
    assert ours(node) == []
    # NetworkManager then calls its dispatcher scripts with (interface, action).
    node.run("%s ens5 up" % ir.DISPATCHER_PATH)
    deadline = time.monotonic() + 20
    while not ours(node):
        assert time.monotonic() < deadline, node.run("journalctl -u %s --no-pager | tail -20"
                                                     % ir.UNIT_NAME, check=False).stdout
        time.sleep(0.2)
    assert [r[0] for r in ours(node)] == ["192.168.1.0/24"]
    # Other dispatcher events do nothing.
    assert node.run("%s ens5 pre-down" % ir.DISPATCHER_PATH).returncode == 0


def test_unreachable_route_fails_the_unit_but_applies_the_rest(node):
    bad = {"destination": "10.70.0.0/16", "gateway": "10.99.0.1"}  # gateway not on any link
    node.materialise(render([SEED, bad]))
    proc = node.run("systemctl restart %s" % ir.UNIT_NAME, check=False)
    assert proc.returncode != 0
    assert [r[0] for r in ours(node)] == ["192.168.1.0/24"]
    assert "10.70.0.0/16" in node.run("journalctl -u %s --no-pager" % ir.UNIT_NAME).stdout
