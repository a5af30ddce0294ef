# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pod block discovery with the shared in-memory fake API (real server: tests/integration/test_pod_blocks_kube.py)."""

from __future__ import annotations

import pytest

import test_k8s_fake
from test_k8s_fake import FakeKube

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.read import Reader
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError, Resource
from ansible_collections.clusternet.fabric.plugins.module_utils.model.pod_blocks import (
    blocks_from_affinities,
    blocks_from_nodes,
    match_nodes,
    short_name,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.runners.pod_blocks import discover

NODE = Resource("v1", "Node", "nodes", False)
AFFINITY = Resource("crd.projectcalico.org/v1", "BlockAffinity", "blockaffinities", False)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setitem(test_k8s_fake.RESOURCES, ("v1", "Node"), NODE)
    monkeypatch.setattr(test_k8s_fake, "PLURALS", test_k8s_fake.PLURALS | {"nodes", "blockaffinities"})
    return FakeKube()


def node(name, spec):
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": spec}


def affinity(node_name, cidr, state="confirmed", deleted="false"):
    return {"apiVersion": "crd.projectcalico.org/v1", "kind": "BlockAffinity",
            "metadata": {"name": "%s-%s" % (node_name, cidr.replace(".", "-").replace("/", "-"))},
            "spec": {"node": node_name, "cidr": cidr, "state": state, "deleted": deleted}}


def test_nodes_podcidrs_fallback_and_sorting():
    got = blocks_from_nodes([
        node("w2", {"podCIDRs": ["fd00:10::/64", "10.244.2.0/24"]}),
        node("w1", {"podCIDR": "10.244.1.0/24"}),
        node("w0", {}),
    ])
    assert got == {"w0": [], "w1": ["10.244.1.0/24"], "w2": ["10.244.2.0/24", "fd00:10::/64"]}
    assert list(got) == ["w0", "w1", "w2"]


def test_only_confirmed_not_deleted_affinities_count():
    got = blocks_from_affinities([
        affinity("w1", "10.1.0.64/26"),
        affinity("w1", "10.1.0.0/26"),
        affinity("w1", "10.1.0.128/26", state="pending"),
        affinity("w1", "10.1.0.192/26", state="pendingDeletion"),
        affinity("w2", "10.1.1.0/26", deleted="true"),
        affinity("w2", "10.1.1.64/26", deleted="True"),
    ])
    assert got == {"w1": ["10.1.0.0/26", "10.1.0.64/26"]}


def test_the_reader_has_no_way_to_write():
    # pod_blocks is read-only by construction: its client object cannot apply or delete
    assert not [name for name in dir(Reader) if name.startswith(("apply", "delete", "prune", "modify"))]


def test_discover_nodes_through_the_engine(fake):
    fake.put(node("w1.example.local", {"podCIDRs": ["10.244.1.0/24"]}))
    fake.put(node("w2", {"podCIDR": "10.244.2.0/24"}))
    assert discover(Reader(fake), "node_podcidrs") == {"w1.example.local": ["10.244.1.0/24"], "w2": ["10.244.2.0/24"]}
    assert all(call[0] == "GET" for call in fake.calls)


def test_discover_calico_through_the_engine(fake, monkeypatch):
    monkeypatch.setitem(test_k8s_fake.RESOURCES, ("crd.projectcalico.org/v1", "BlockAffinity"), AFFINITY)
    fake.put(affinity("w1", "10.1.0.0/26"))
    fake.put(affinity("w1", "10.1.0.64/26", state="pending"))
    assert discover(Reader(fake), "calico") == {"w1": ["10.1.0.0/26"]}
    assert all(call[0] == "GET" for call in fake.calls)


def test_calico_without_the_crd_says_so(fake):
    with pytest.raises(K8sError) as exc:
        discover(Reader(fake), "calico")
    assert "the API server has no BlockAffinity (crd.projectcalico.org/v1): is Calico the cluster's IPAM?" in str(exc.value)


def test_other_api_errors_pass_through(fake):
    def refuse(*args, **kwargs):
        raise K8sError("cannot reach the Kubernetes API at https://fake:6443: Connection refused")
    fake.request = refuse
    with pytest.raises(K8sError, match="cannot reach the Kubernetes API"):
        discover(Reader(fake), "node_podcidrs")


def test_unknown_source():
    with pytest.raises(checks.InputError, match="source is 'x'"):
        discover(None, "x")


def test_short_names():
    assert short_name("worker-0.test.example.local") == "worker-0"
    assert short_name("worker-0") == "worker-0"
    assert short_name("10.0.0.5") == "10.0.0.5"


def test_match_exact_then_short_name_and_missing():
    blocks = {"w1.example.local": ["10.1.0.0/26"], "w2": ["10.1.1.0/26"], "w3": ["10.1.2.0/26"], "w3.lab": ["10.1.3.0/26"]}
    node_blocks, missing = match_nodes(["w1", "w2.example.local", "w3", "w9", "w8.lab"], blocks)
    assert node_blocks == {"w1": ["10.1.0.0/26"], "w2.example.local": ["10.1.1.0/26"], "w3": ["10.1.2.0/26"]}
    assert missing == ["w8.lab", "w9"]
    assert match_nodes(None, blocks) == ({}, [])


def test_match_ambiguous_short_name_is_an_error():
    with pytest.raises(checks.InputError, match="nodes\\[0\\] is 'w1': matches several cluster nodes by short name: w1.a, w1.b"):
        match_nodes(["w1"], {"w1.a": [], "w1.b": []})
