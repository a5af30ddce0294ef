# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Benchmark: render every artifact of a generated N-node inventory through
site.yml itself in rendered mode (the path tests/integration/test_example_inventories.py
tests): haproxy.cfg (haproxy -c), dnsmasq files (dnsmasq --test), every node's frr.conf in
the pool-wide MachineConfig (vtysh -C each), the ToRs' frr.conf, the node routes'
MachineConfigs and the secondary networks. Nothing is contacted.

    python bench/render.py                  # 250 and 500 nodes
    python bench/render.py --nodes 100 200  # other sizes

Prints the wall time per size and the ratio of the largest to the smallest time against
the ratio of the sizes (linear growth: about equal). Target (shared TARGETS.md): 500 nodes
<= 20 s, growing linearly.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PORTS_PER_TOR = 48


def inventory(count):
    """Jump host, 3 masters and count-3 workers on a /16; every node on the fabric."""
    net = ipaddress.ip_network("10.40.0.0/16")
    pods = ipaddress.ip_network("10.128.0.0/14").subnets(new_prefix=26)
    nodes = {}
    for i in range(count):
        name = "master-%d" % i if i < 3 else "worker-%d" % (i - 3)
        nodes[name] = {
            "node_ip": str(net[100 + i]),
            "node_mac": "52:54:00:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255),
            "frr_loopback": "%s/32" % (ipaddress.ip_address("10.254.0.0") + i + 1),
            "frr_uplinks": [{"name": "ens3", "tor": "tor-%d" % (i // PORTS_PER_TOR),
                             "tor_port": "swp%d" % (i % PORTS_PER_TOR + 1)}],
            "frr_pod_blocks": [str(next(pods))],
        }
    tors = {"tor-%d" % t: {"frr_tor_asn": 64900 + t, "frr_tor_loopback": "10.253.0.%d/32" % (t + 1)}
            for t in range((count + PORTS_PER_TOR - 1) // PORTS_PER_TOR)}
    masters = {n: v for n, v in nodes.items() if n.startswith("master")}
    workers = {n: v for n, v in nodes.items() if n.startswith("worker")}
    return {"all": {
        "vars": {
            "cluster_name": "bench", "cluster_base_domain": "example.local",
            "cluster_network": str(net), "cluster_lb_address": str(net[10]),
            "frr_asn_base": 4200000000,
            # a large fabric accepts the loopback and pod ranges, not every node's prefixes one
            # by one: per-prefix lists make each node's frr.conf grow with the fabric, and the
            # pool-wide MachineConfig past the MCO's size limit (about 100 nodes)
            "frr_accept_fabric": False,
            "frr_accept_prefixes": ["10.254.0.0/16 le 32", "10.128.0.0/14 le 26"],
            "frr_peer_asns": {t: v["frr_tor_asn"] for t, v in tors.items()},
            "frr_tor_node_asn_base": 4200000000,
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[250, 500])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clusternet-render-") as tmp:
        times = {n: render(n, Path(tmp)) for n in sorted(args.nodes)}
    for n, t in times.items():
        print("render %4d nodes: %6.1f s" % (n, t))
    small, large = min(times), max(times)
    if small != large:
        print("time ratio %d/%d nodes: %.2f (size ratio %.2f; linear: about equal)"
              % (large, small, times[large] / times[small], large / small))
    print("target: 500 nodes <= 20 s")


if __name__ == "__main__":
    main()
