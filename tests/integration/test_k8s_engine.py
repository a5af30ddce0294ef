# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The apply engine against the real kube-apiserver 1.20.2 (fixture ``kube_api``)."""

from __future__ import annotations

import json
import socket

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import (
    MANAGED_BY_LABEL,
    PRUNE_SET_LABEL,
    Applier,
    K8sConflict,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError, KubeClient

NS = "k8s-engine"
MC_API = "machineconfiguration.openshift.io/v1"
NAD_API = "k8s.cni.cncf.io/v1"


@pytest.fixture(scope="module")
def client(kube_api):
    c = KubeClient.from_params(kube_api.auth)
    Applier(c).apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    return c


def cm(name, data, labels=None):
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": NS}, "data": data}
    if labels is not None:
        obj["metadata"]["labels"] = labels
    return obj


def mc(name, args):
    return {
        "apiVersion": MC_API,
        "kind": "MachineConfig",
        "metadata": {"name": name, "labels": {"machineconfiguration.openshift.io/role": "worker"}},
        "spec": {
            "config": {"ignition": {"version": "3.2.0"}, "storage": {"files": [{"path": "/etc/x", "mode": 420, "contents": {"source": "data:,x"}}]}},
            "kernelArguments": list(args),
        },
    }


def nad(name, cni):
    return {"apiVersion": NAD_API, "kind": "NetworkAttachmentDefinition", "metadata": {"name": name, "namespace": NS}, "spec": {"config": json.dumps(cni)}}


MACVLAN = {"cniVersion": "0.3.1", "name": "eng-nad", "type": "macvlan", "master": "ens224", "mode": "bridge", "ipam": {"type": "static"}}


def rv(obj):
    return obj["metadata"]["resourceVersion"]


def test_apply_twice_second_unchanged_same_resource_version(client):
    objs = [mc("99-worker-eng-twice", ["a=1"]), nad("eng-twice", MACVLAN), cm("eng-twice", {"k": "v"})]
    first = Applier(client)
    r1 = first.apply_all(objs)
    assert [r["action"] for r in r1] == ["created"] * 3
    assert first.result()["changed"] is True
    second = Applier(client)
    r2 = second.apply_all(objs)
    assert [r["action"] for r in r2] == ["unchanged"] * 3
    assert [rv(r["object"]) for r in r2] == [rv(r["object"]) for r in r1]
    assert second.result()["changed"] is False
    live = second.get(MC_API, "MachineConfig", "99-worker-eng-twice")
    assert live["metadata"]["labels"][MANAGED_BY_LABEL] == "clusternet.fabric"
    assert live["spec"]["kernelArguments"] == ["a=1"]
    assert live["metadata"]["managedFields"][0]["manager"] == "clusternet.fabric"


def test_many_objects_use_list_prefetch(client):
    objs = [nad("eng-many-%02d" % i, dict(MACVLAN, name="eng-many-%02d" % i)) for i in range(12)]
    assert {r["action"] for r in Applier(client).apply_all(objs)} == {"created"}
    again = Applier(client)
    assert {r["action"] for r in again.apply_all(objs)} == {"unchanged"}
    assert again.result()["changed"] is False


def test_update_reports_diff(client):
    Applier(client).apply(mc("99-worker-eng-diff", ["a=1"]))
    a = Applier(client, diff=True)
    r = a.apply(mc("99-worker-eng-diff", ["a=2"]))
    assert r["action"] == "updated"
    out = a.result()
    assert out["changed"] is True
    (d,) = out["diff"]
    assert yaml.safe_load(d["before"])["spec"]["kernelArguments"] == ["a=1"]
    assert yaml.safe_load(d["after"])["spec"]["kernelArguments"] == ["a=2"]
    assert "managedFields" not in d["after"] and "resourceVersion" not in d["after"]
    assert d["after_header"] == "MachineConfig 99-worker-eng-diff (after)"


def test_check_mode_changes_nothing_and_tells_the_truth(client):
    Applier(client).apply(cm("eng-check", {"k": "old"}))
    live = Applier(client).get("v1", "ConfigMap", "eng-check", NS)
    a = Applier(client, check_mode=True, diff=True)
    r = a.apply(cm("eng-check", {"k": "new"}))
    assert r["action"] == "updated" and r["object"]["data"] == {"k": "new"}
    created = a.apply(nad("eng-check-new", MACVLAN))
    assert created["action"] == "created"
    deleted = a.delete("v1", "ConfigMap", "eng-check", NS)
    assert deleted["action"] == "deleted"
    out = a.result()
    assert out["changed"] is True and len(out["diff"]) == 3
    assert "k: new" in out["diff"][0]["after"]
    after = Applier(client).get("v1", "ConfigMap", "eng-check", NS)
    assert after["data"] == {"k": "old"} and rv(after) == rv(live)
    assert Applier(client).get(NAD_API, "NetworkAttachmentDefinition", "eng-check-new", NS) is None
    same = Applier(client, check_mode=True)
    assert same.apply(cm("eng-check", {"k": "old"}))["action"] == "unchanged"
    assert same.result()["changed"] is False


def test_check_mode_reports_server_validation(client):
    bad = mc("99-worker-eng-bad", ["a=1"])
    bad["spec"]["fips"] = "yes"
    with pytest.raises(K8sError) as e:
        Applier(client, check_mode=True).apply(bad)
    # kube-apiserver 1.20 answers a type mismatch in an apply patch with 500
    assert e.value.msg.startswith("MachineConfig 99-worker-eng-bad: PATCH ")
    assert ".spec.fips: expected boolean" in e.value.msg
    # a schema violation (required field) is a 422
    net = {"apiVersion": "operator.openshift.io/v1", "kind": "Network", "metadata": {"name": "eng-invalid"}, "spec": {"additionalNetworks": [{"name": "x"}]}}
    with pytest.raises(K8sError) as e:
        Applier(client, check_mode=True).apply(net)
    assert e.value.status == 422
    assert "spec.additionalNetworks.type: Required value" in e.value.msg


def test_absent_deletes_once(client):
    Applier(client).apply(nad("eng-absent", MACVLAN))
    a = Applier(client, diff=True)
    assert a.delete(NAD_API, "NetworkAttachmentDefinition", "eng-absent", NS)["action"] == "deleted"
    assert a.diffs[0]["after"] == ""
    assert Applier(client).get(NAD_API, "NetworkAttachmentDefinition", "eng-absent", NS) is None
    b = Applier(client)
    assert b.delete(NAD_API, "NetworkAttachmentDefinition", "eng-absent", NS)["action"] == "absent"
    assert b.result()["changed"] is False


def test_prune_removes_unwanted_managed_objects_only(client):
    Applier(client).apply_all([cm("eng-prune-keep", {"k": "1"}), cm("eng-prune-old", {"k": "2"}), mc("99-worker-eng-prune", ["p=1"])], prune_set="eng-prune")
    # not ours: no labels / only the prune-set label / another set
    Applier(client, field_manager="someone").apply(cm("eng-prune-unmanaged", {"k": "3"}), label=False)
    Applier(client, field_manager="someone").apply(cm("eng-prune-halflabel", {"k": "4"}, labels={PRUNE_SET_LABEL: "eng-prune"}), label=False)
    Applier(client).apply(cm("eng-prune-otherset", {"k": "5"}), prune_set="eng-other")
    a = Applier(client)
    results = a.apply_all([cm("eng-prune-keep", {"k": "1"})], prune_set="eng-prune")
    assert [(r["name"], r["action"]) for r in results] == [("eng-prune-keep", "unchanged"), ("eng-prune-old", "pruned")]
    assert a.result()["changed"] is True
    names = {o["metadata"]["name"] for o in a.list("v1", "ConfigMap", NS) if o["metadata"]["name"].startswith("eng-prune")}
    assert names == {"eng-prune-keep", "eng-prune-unmanaged", "eng-prune-halflabel", "eng-prune-otherset"}
    # the MachineConfig is in the set but of a kind not listed this time: explicit prune
    p = Applier(client).prune(MC_API, "MachineConfig", "eng-prune")
    assert [(r["name"], r["action"]) for r in p] == [("99-worker-eng-prune", "pruned")]
    assert Applier(client).get(MC_API, "MachineConfig", "99-worker-eng-prune") is None
    again = Applier(client)
    again.apply_all([cm("eng-prune-keep", {"k": "1"})], prune_set="eng-prune")
    assert again.result()["changed"] is False


def test_conflict_names_manager_and_field_and_force_resolves(client):
    # our object (labelled), a field of it set by another tool
    Applier(client, field_manager="other-tool").apply(cm("eng-conflict", {"k": "theirs"}))
    with pytest.raises(K8sConflict) as e:
        Applier(client).apply(cm("eng-conflict", {"k": "ours"}))
    assert e.value.managers == ["other-tool"]
    assert e.value.fields == [".data.k"]
    assert '"other-tool"' in e.value.msg and ".data.k" in e.value.msg and "force_conflicts: true" in e.value.msg
    assert e.value.msg.startswith("ConfigMap %s/eng-conflict: " % NS)
    # check mode sees the same conflict
    with pytest.raises(K8sConflict):
        Applier(client, check_mode=True).apply(cm("eng-conflict", {"k": "ours"}))
    r = Applier(client, force_conflicts=True).apply(cm("eng-conflict", {"k": "ours"}))
    assert r["action"] == "updated" and r["object"]["data"] == {"k": "ours"}
    assert Applier(client).apply(cm("eng-conflict", {"k": "ours"}))["action"] == "unchanged"


def test_network_additional_networks_is_atomic_and_modify_merges(client):
    """Real OpenShift's CRD has no list-map on additionalNetworks: SSA replaces the list."""
    # the API server is shared by the whole run: start from no Network/cluster (the multus
    # and nad tests leave theirs, owned by clusternet.fabric, and the order of files varies)
    network = client.resource("operator.openshift.io/v1", "Network")
    try:
        client.request("DELETE", network.path("cluster"))
    except K8sError as exc:
        if exc.status != 404:
            raise
    theirs = {"name": "theirs", "type": "Raw", "rawCNIConfig": "{}"}
    base = {"apiVersion": "operator.openshift.io/v1", "kind": "Network", "metadata": {"name": "cluster"}, "spec": {"additionalNetworks": [theirs]}}
    Applier(client, field_manager="cluster-admin").apply(base, label=False)
    ours = {"name": "eng-net", "namespace": NS, "type": "SimpleMacvlan", "simpleMacvlanConfig": {"master": "ens224", "ipamConfig": {"type": "DHCP"}}}
    mine = {"apiVersion": "operator.openshift.io/v1", "kind": "Network", "metadata": {"name": "cluster"}, "spec": {"additionalNetworks": [ours]}}
    with pytest.raises(K8sConflict) as e:
        Applier(client, check_mode=True).apply(mine, label=False)
    assert e.value.fields == [".spec.additionalNetworks"]  # the whole list: atomic
    forced = Applier(client, check_mode=True, force_conflicts=True).apply(mine, label=False)
    assert [n["name"] for n in forced["object"]["spec"]["additionalNetworks"]] == ["eng-net"]  # would drop "theirs"

    def merge(network):
        nets = [n for n in network["spec"].get("additionalNetworks") or [] if n["name"] != ours["name"]]
        network["spec"]["additionalNetworks"] = nets + [ours]

    assert Applier(client, check_mode=True).modify("operator.openshift.io/v1", "Network", "cluster", merge)["action"] == "updated"
    a = Applier(client)
    r = a.modify("operator.openshift.io/v1", "Network", "cluster", merge)
    assert r["action"] == "updated"
    assert [n["name"] for n in r["object"]["spec"]["additionalNetworks"]] == ["theirs", "eng-net"]
    assert Applier(client).modify("operator.openshift.io/v1", "Network", "cluster", merge)["action"] == "unchanged"


def test_crd_installed_later_and_wait_established(client):
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.eng.example.com"},
        "spec": {
            "group": "eng.example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
            "versions": [
                {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}
            ],
        },
    }
    widget = {"apiVersion": "eng.example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": NS}, "spec": {"size": 1}}
    a = Applier(client)
    with pytest.raises(K8sError, match=r"^the API server has no Widget \(eng.example.com/v1\): is this an OpenShift cluster / is the CRD installed\?$"):
        a.apply(widget)
    a.apply(crd)
    a.wait_crd_established("widgets.eng.example.com", timeout=30)
    assert a.apply(widget)["action"] == "created"


def test_missing_kind_in_known_group(client):
    missing = r"^the API server has no KubeletConfig \(machineconfiguration.openshift.io/v1\): is this an OpenShift cluster / is the CRD installed\?$"
    with pytest.raises(K8sError, match=missing):
        Applier(client).apply({"apiVersion": MC_API, "kind": "KubeletConfig", "metadata": {"name": "x"}})


def test_kubeconfig_auth(kube_api):
    c = KubeClient.from_params({"kubeconfig": kube_api.kubeconfig})
    assert c.host == kube_api.host
    assert Applier(c).get("v1", "Namespace", "default")["metadata"]["name"] == "default"


def test_bad_token_is_an_authentication_error(kube_api):
    c = KubeClient.from_params(dict(kube_api.auth, api_key="not-the-token"))
    with pytest.raises(K8sError) as e:
        Applier(c).get("v1", "ConfigMap", "x", NS)
    assert e.value.status == 401
    assert e.value.msg == "authentication failed at the Kubernetes API %s (401 Unauthorized): check api_key/kubeconfig credentials" % kube_api.host


def test_wrong_ca_is_reported_as_unreachable_tls(kube_api, tmp_path):
    c = KubeClient.from_params(dict(kube_api.auth, ca_cert="/etc/ssl/certs/ca-certificates.crt"))
    with pytest.raises(K8sError, match=r"^cannot reach the Kubernetes API at %s: .*CERTIFICATE_VERIFY_FAILED" % kube_api.host):
        Applier(c).get("v1", "ConfigMap", "x", NS)


def test_unreachable_api():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    c = KubeClient.from_params({"host": "https://127.0.0.1:%d" % port, "api_key": "x", "validate_certs": False})
    with pytest.raises(K8sError, match=r"^cannot reach the Kubernetes API at https://127.0.0.1:%d: .*[Cc]onnection refused" % port):
        Applier(c).get("v1", "ConfigMap", "x", NS)


def test_machineconfigpool_status_subresource(client):
    """The MCP CRD has a status subresource: apply ignores status, /status writes it."""
    pool = {
        "apiVersion": MC_API,
        "kind": "MachineConfigPool",
        "metadata": {"name": "eng-pool"},
        "spec": {
            "machineConfigSelector": {"matchLabels": {"machineconfiguration.openshift.io/role": "eng"}},
            "nodeSelector": {"matchLabels": {"node-role.kubernetes.io/eng": ""}},
        },
    }
    a = Applier(client)
    created = a.apply(pool)
    assert created["action"] == "created" and "status" not in created["object"]
    res = client.resource(MC_API, "MachineConfigPool")
    status = {
        "status": {
            "configuration": {"name": "rendered-eng-1"},
            "machineCount": 2,
            "updatedMachineCount": 2,
            "readyMachineCount": 2,
            "conditions": [{"type": "Updated", "status": "True"}, {"type": "Updating", "status": "False"}, {"type": "Degraded", "status": "False"}],
        }
    }
    client.request("PATCH", res.path("eng-pool") + "/status", body=status, content_type="application/merge-patch+json")
    live = a.get(MC_API, "MachineConfigPool", "eng-pool")
    assert live["status"]["configuration"]["name"] == "rendered-eng-1"
    assert {c["type"]: c["status"] for c in live["status"]["conditions"]} == {"Updated": "True", "Updating": "False", "Degraded": "False"}
    # re-applying the spec leaves the status alone and changes nothing
    again = Applier(client).apply(pool)
    assert again["action"] == "unchanged" and again["object"]["status"]["machineCount"] == 2
