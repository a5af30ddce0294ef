# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Benchmark: render every artifact of a generated N-node inventory through
site.yml itself in rendered mode (the path tests/integration/test_example_inventories.py
tests): haproxy.cfg (haproxy -c), dnsmasq files (dnsmasq --test), every node's frr.conf in
the pool-wide MachineConfig (vtysh -C each), the switches' frr.conf, the node routes'
MachineConfigs and the secondary networks. Nothing is contacted.

The fabric: racks of RACK_SIZE dual-homed servers under two ToRs each, two spines,
rack-aware ASNs, loopback and pod ranges set (so the policy is the aggregates).

    python bench/render.py                   # 500 and 1,000 nodes
    python bench/render.py --nodes 100 200   # other sizes

Prints, per size: the wall time, as seconds and as a multiple of the floor F
(ansible-playbook with one debug task, measured in the same run); the largest server
frr.conf in bytes (must not grow with the fabric); the pool-wide FRR MachineConfig in
bytes (the MCO's limit is 1,572,864). bench/run.py prints the same rows with the others. Targets (shared TARGETS.md):
500 nodes <= 10 F, 1,000 nodes <= 20 F, per-node frr.conf the same size at any N.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import collection_paths, floor, row, table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RACK_SIZE = 63          # 500 nodes: 8 racks
MCO_LIMIT = 1572864
SPINES = ("spine-0", "spine-1")


def inventory(count):
    """Jump host, 3 masters and count-3 workers on a /16; every node a dual-homed fabric server."""
    net = ipaddress.ip_network("10.40.0.0/16")
    pods = ipaddress.ip_network("10.128.0.0/14").subnets(new_prefix=26)
    nodes = {}
    for i in range(count):
        name = "master-%d" % i if i < 3 else "worker-%d" % (i - 3)
        rack, port = divmod(i, RACK_SIZE)
        nodes[name] = {
            "node_ip": str(net[100 + i]),
            "node_mac": "52:54:00:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255),
            "frr_loopback": "%s/32" % (ipaddress.ip_address("10.254.0.0") + i + 1),
            "frr_uplinks": [{"name": "ens%d" % (3 + side), "tor": "tor-%d%s" % (rack, "ab"[side]),
                             "tor_port": "swp%d" % (port + 1)} for side in (0, 1)],
            "frr_pod_blocks": [str(next(pods))],
        }
    racks = (count + RACK_SIZE - 1) // RACK_SIZE
    tors = {}
    for r in range(racks):
        for side in "ab":
            tors["tor-%d%s" % (r, side)] = {
                "frr_asn": 65100, "frr_rack": "r%d" % r, "frr_loopback": "10.253.%d.%d/32" % (r, 1 + "ab".index(side)),
                "frr_uplinks": [{"name": "swp%d" % (100 + s), "spine": spine, "spine_port": "swp%d%s" % (r, side)}
                                for s, spine in enumerate(SPINES)]}
    spines = {name: {"frr_asn": 65500, "frr_loopback": "10.253.255.%d/32" % (i + 1)} for i, name in enumerate(SPINES)}
    masters = {n: v for n, v in nodes.items() if n.startswith("master")}
    workers = {n: v for n, v in nodes.items() if n.startswith("worker")}
    return {"all": {
        "vars": {
            "cluster_name": "bench", "cluster_base_domain": "example.local",
            "cluster_network": str(net), "cluster_lb_address": str(net[10]),
            "frr_asn_plan": "rack", "frr_asn_base": 65001, "frr_bfd": True,
            # the ranges the fabric allocates from: every policy is these aggregates
            "frr_loopback_ranges": ["10.253.0.0/16", "10.254.0.0/16"],
            "frr_pod_ranges": ["10.128.0.0/14"],
            "node_routes_routes": {"worker": [{"destination": "192.168.1.0/24", "gateway": "10.40.0.1",
                                               "interface": "ens3"}],
                                   "master": [{"destination": "192.168.2.0/24", "gateway": "10.40.0.1"}]},
            "multus_networks": [{"name": "net-%d" % i, "type": "macvlan", "master": "ens224",
                                 "ipam": {"type": "static"}, "capabilities": {"ips": True}} for i in range(10)],
        },
        "children": {
            "jumphost": {"hosts": {"jump-0": {"node_ip": str(net[10])}}},
            "masters": {"hosts": masters},
            "workers": {"hosts": workers},
            "fabric": {"children": {"masters": {}, "workers": {}}},
            "tors": {"hosts": tors},
            "spines": {"hosts": spines},
        },
    }}


def render(count, work):
    inv = work / ("inventory-%d.yml" % count)
    inv.write_text(yaml.safe_dump(inventory(count)))
    out = work / ("out-%d" % count)
    out.mkdir()
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    cmd = ["ansible-playbook", "-i", str(inv), str(ROOT / "site.yml"),
           "-e", "ansible_connection=local", "-e", "ansible_become=false",
           "-e", "ansible_python_interpreter=" + sys.executable,
           "-e", "dnsmasq_state=rendered", "-e", "dnsmasq_rendered_dir=%s" % out, "-e", "dnsmasq_interface=ens192",
           "-e", "haproxy_state=rendered", "-e", "haproxy_rendered_path=%s/haproxy.cfg" % out,
           "-e", "haproxy_validate_command='unshare -rn haproxy -c -f %s'",
           "-e", "node_routes_state=rendered", "-e", "multus_state=rendered",
           "-e", "frr_delivery=machineconfig", "-e", "frr_machineconfig_state=rendered",
           "-e", "frr_tor_state=rendered", "-e", "frr_tor_rendered_dir=%s" % out]
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(proc.stdout[-4000:] + proc.stderr[-2000:])
    return elapsed


def sizes(count):
    """(smallest, largest) server frr.conf and the pool-wide MachineConfig, in bytes,
    rendered by the same code the roles call."""
    sys.path[:0] = collection_paths()
    from ansible_collections.clusternet.fabric.plugins.module_utils.render.machineconfig import render_machineconfig
    from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric
    from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import render_node_conf
    from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_delivery import machineconfig_spec

    inv = inventory(count)["all"]
    hosts = dict(inv["children"]["masters"]["hosts"], **inv["children"]["workers"]["hosts"])
    settings = {k[4:]: v for k, v in inv["vars"].items() if k.startswith("frr_")}
    model = build_fabric(hosts, inv["children"]["tors"]["hosts"], inv["children"]["spines"]["hosts"], settings)
    confs = [len(render_node_conf(model, h).encode()) for h in model["nodes"]]
    machineconfig = render_machineconfig(machineconfig_spec(model), openshift_version="4.14")
    return min(confs), max(confs), len(json.dumps(machineconfig).encode())


TARGET_F = {500: 10, 1000: 20}


def measure(nodes=(500, 1000), f=None):
    """The rows of bench/run.py's table: per size, the wall time against TARGET_F x F
    (the floor, measured in the same run), and the per-node frr.conf and MachineConfig sizes."""
    f = f or floor()
    with tempfile.TemporaryDirectory(prefix="clusternet-render-") as tmp:
        times = {n: render(n, Path(tmp)) for n in sorted(nodes)}
    rows = []
    for n, t in times.items():
        target = TARGET_F.get(n)
        rows.append(row("render", "site.yml rendered, %d nodes" % n, t,
                        target="<= %d F" % target if target else "", met=t <= target * f if target else None))
    small, large = min(times), max(times)
    if small != large:
        growth = times[large] / times[small]
        rows.append(row("render", "time %d / %d nodes (sizes %.0fx)" % (large, small, large / small), growth,
                        unit="x", target="<= %.0fx (linear or better)" % (large / small), met=growth <= large / small))
    confs = {n: sizes(n) for n in times}
    for n, (_small_conf, _large_conf, mc) in confs.items():
        rows.append(row("render", "pool-wide FRR MachineConfig, %d nodes" % n, mc, unit="B",
                        target="< %d B" % MCO_LIMIT, met=mc < MCO_LIMIT))
    # a node's frr.conf must not grow with the fabric: a few bytes of longer names only
    grown = confs[large][1] - confs[small][1]
    rows.append(row("render", "largest frr.conf, %d vs %d nodes" % (large, small), grown, unit="B more",
                    target="< 64 B (names only)", met=grown < 64))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[500, 1000])
    args = parser.parse_args()
    f = floor()
    print(table(measure(args.nodes, f), f))


if __name__ == "__main__":
    main()
