# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pod blocks discovered from a real kube-apiserver (Node spec.podCIDRs and
Calico BlockAffinities, our CRD) through the frr role, rendered offline
(MachineConfig delivery, state rendered, every frr.conf through vtysh -C)."""

from __future__ import annotations

import json
import os
import sys

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient

sys.path.insert(0, os.path.dirname(__file__))
import inline_playbook  # noqa: E402


PLAYBOOK = """
- name: Render FRR with discovered pod blocks
  hosts: workers
  gather_facts: false
  roles:
    - role: clusternet.fabric.frr
      vars:
        frr_delivery: machineconfig
        frr_image: registry.example.local/frr/frr
        frr_machineconfig_options: {openshift_version: "4.14"}
  post_tasks:
    - name: Save every node's frr.conf, as the MachineConfig's bundle carries them
      ansible.builtin.copy:
        content: "{{ frr_fabric | clusternet.fabric.frr_node_confs | to_json }}"
        dest: "{{ out }}"
        mode: "0644"
      delegate_to: localhost
      run_once: true
"""

# in the cluster: pb-c1 (exact), pb-c2.example.local (short name pb-c2), pb-c3;
# pb-c4 is in the inventory only
NODES = {
    "pb-c1": ["10.244.1.0/24"],
    "pb-c2.example.local": ["10.244.2.0/24"],
    "pb-c3": ["10.244.3.0/24"],
}
AFFINITIES = [  # (node, cidr, state, deleted)
    ("pb-c1", "10.245.0.0/26", "confirmed", "false"),
    ("pb-c1", "10.245.0.64/26", "confirmed", "false"),
    ("pb-c1", "10.245.0.128/26", "pending", "false"),
    ("pb-c2.example.local", "10.245.1.0/26", "confirmed", "false"),
    ("pb-c2.example.local", "10.245.1.64/26", "confirmed", "true"),
    ("pb-c3", "10.245.2.0/26", "confirmed", "false"),
]


def affinity_name(node, cidr):
    return "%s-%s" % (node, cidr.replace(".", "-").replace("/", "-"))


@pytest.fixture(scope="module")
def cluster(kube_api):
    applier = Applier(KubeClient.from_params(kube_api.auth))
    objs = [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": {"podCIDRs": cidrs}}
            for name, cidrs in NODES.items()]
    objs += [{"apiVersion": "crd.projectcalico.org/v1", "kind": "BlockAffinity",
              "metadata": {"name": affinity_name(node, cidr)},
              "spec": {"node": node, "cidr": cidr, "state": state, "deleted": deleted}}
             for node, cidr, state, deleted in AFFINITIES]
    for obj in objs:
        applier.apply(obj)
    try:
        yield kube_api
    finally:
        for obj in objs:
            applier.delete_object(obj)


def inventory(kube_api, source, overrides=None):
    hosts = {}
    for i in range(1, 5):
        name = "pb-c%d" % i
        hosts[name] = {"ansible_connection": "local", "frr_asn": 65000 + i, "frr_loopback": "%d.%d.%d.%d/32" % ((i,) * 4),
                       "frr_uplinks": [{"name": "ens3", "tor": "tor1", "tor_port": "swp%d" % i}]}
    hosts["pb-c3"]["frr_pod_blocks"] = ["10.1.240.0/26"]  # explicit wins over the cluster's
    for name, extra in (overrides or {}).items():
        hosts[name].update(extra)
    return {"all": {"vars": {"ansible_python_interpreter": sys.executable, "frr_pod_blocks_source": source,
                             "frr_kubeconfig": kube_api.kubeconfig},
                    "hosts": {"localhost": {"ansible_connection": "local"}},
                    "children": {"workers": {"hosts": hosts},
                                 "tors": {"hosts": {"tor1": {"frr_asn": 65100, "frr_loopback": "9.9.9.9/32"}}}}}}


def run(tmp_path, inv):
    return inline_playbook.run(tmp_path, inv, PLAYBOOK)


def confs(out):
    return json.loads(out.read_text())


def assert_announced(conf, block):
    assert " network %s\n" % block in conf, conf
    assert "ip route %s blackhole" % block in conf, conf


def assert_absent(conf, block):
    assert block not in conf, conf


def test_node_podcidrs(cluster, tmp_path):
    res, out = run(tmp_path, inventory(cluster, "node_podcidrs"))
    log = res.stdout + res.stderr
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    got = confs(out)
    assert_announced(got["pb-c1"], "10.244.1.0/24")
    assert_announced(got["pb-c2"], "10.244.2.0/24")  # Node pb-c2.example.local by short name
    assert_announced(got["pb-c3"], "10.1.240.0/26")  # explicit
    assert_absent(got["pb-c3"], "ip route 10.244.3.0/24")
    assert "blackhole" not in got["pb-c4"]
    assert "pb-c4 is not found in the cluster" in " ".join(log.split())


def test_calico(cluster, tmp_path):
    res, out = run(tmp_path, inventory(cluster, "calico"))
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    got = confs(out)
    assert_announced(got["pb-c1"], "10.245.0.0/26")
    assert_announced(got["pb-c1"], "10.245.0.64/26")
    assert_absent(got["pb-c1"], "10.245.0.128/26")  # pending
    assert_announced(got["pb-c2"], "10.245.1.0/26")
    assert_absent(got["pb-c2"], "10.245.1.64/26")  # deleted: "true"
    assert_absent(got["pb-c1"], "ip route 10.244.")  # not the Node podCIDRs
    assert_announced(got["pb-c3"], "10.1.240.0/26")
    assert_absent(got["pb-c3"], "10.245.2.0/26")


def test_discovered_block_overlapping_an_explicit_one_is_rejected(cluster, tmp_path):
    res, out = run(tmp_path, inventory(cluster, "node_podcidrs", {"pb-c4": {"frr_pod_blocks": ["10.244.1.128/25"]}}))
    assert res.returncode != 0
    assert "frr_pod_blocks of pb-c4 is '10.244.1.128/25': overlaps 10.244.1.0/24 of pb-c1" in res.stdout
    assert not out.exists()
