# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""clusternet.fabric.nad against the real kube-apiserver, run the way users run it
(`ansible localhost -m ...`, JSON stdout callback), checked with direct API reads."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError, KubeClient
from ansible_collections.clusternet.fabric.plugins.module_utils.runners.nad import merge_additional_networks

ROOT = Path(__file__).resolve().parents[2]
NS = "nad-it"
NAD = ("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition")
CNO = ("operator.openshift.io/v1", "Network")

NETWORKS = [
    {"name": "test-network", "namespace": NS, "type": "bridge", "bridge": "test-br", "cni_version": "0.3.0",
     "ipam": {"type": "host-local", "subnet": "192.168.1.0/24", "range_start": "192.168.1.100",
              "range_end": "192.168.1.200"}},
    {"name": "mv-static", "namespace": NS, "type": "macvlan", "master": "ens224", "mode": "bridge",
     "ipam": {"type": "static", "addresses": [{"address": "10.0.201.29/24", "gateway": "10.0.201.1"}]}},
    {"name": "hostdev", "namespace": NS, "type": "host-device", "device": "ens5", "ipam": {"type": "dhcp"}},
]


def run_module(kube_api, args, check=False, diff=False):
    """`ansible localhost -m clusternet.fabric.nad -a JSON`; returns (rc, result dict)."""
    args = dict(args, kubeconfig=kube_api.kubeconfig)
    cmd = ["ansible", "localhost", "-m", "clusternet.fabric.nad", "-a", json.dumps(args)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    out = json.loads(proc.stdout)
    task = out["plays"][0]["tasks"][0]["hosts"]["localhost"]
    return proc.returncode, task


@pytest.fixture(scope="module")
def api(kube_api):
    client = KubeClient.from_params({"kubeconfig": kube_api.kubeconfig})
    applier = Applier(client)
    applier.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    return applier


def live_nads(api):
    return {o["metadata"]["name"]: o for o in api.list(*NAD, namespace=NS)}


def test_nads_check_apply_idempotent_diff_absent(kube_api, api):
    # Check mode first: tells it would create, stores nothing.
    rc, res = run_module(kube_api, {"networks": NETWORKS}, check=True, diff=True)
    assert rc == 0, res
    assert res["changed"] is True
    assert [r["action"] for r in res["results"]] == ["created"] * 3
    assert live_nads(api) == {}

    rc, res = run_module(kube_api, {"networks": NETWORKS})
    assert rc == 0 and res["changed"] is True, res
    live = live_nads(api)
    assert sorted(live) == ["hostdev", "mv-static", "test-network"]
    cfg = json.loads(live["test-network"]["spec"]["config"])
    assert cfg["bridge"] == "test-br"
    assert cfg["ipam"]["ranges"] == [[{"subnet": "192.168.1.0/24", "rangeStart": "192.168.1.100",
                                       "rangeEnd": "192.168.1.200"}]]
    versions = {n: o["metadata"]["resourceVersion"] for n, o in live.items()}

    # Second run: nothing changes, nothing is written.
    rc, res = run_module(kube_api, {"networks": NETWORKS})
    assert rc == 0 and res["changed"] is False, res
    assert {n: o["metadata"]["resourceVersion"] for n, o in live_nads(api).items()} == versions

    # A changed range in check mode + diff: reported, shown, not stored.
    changed = [dict(NETWORKS[0], ipam=dict(NETWORKS[0]["ipam"], range_end="192.168.1.150"))] + NETWORKS[1:]
    rc, res = run_module(kube_api, {"networks": changed}, check=True, diff=True)
    assert rc == 0 and res["changed"] is True, res
    assert [r["action"] for r in res["results"]] == ["updated", "unchanged", "unchanged"]
    assert len(res["diff"]) == 1
    assert "192.168.1.200" in res["diff"][0]["before"] and "192.168.1.150" in res["diff"][0]["after"]
    assert {n: o["metadata"]["resourceVersion"] for n, o in live_nads(api).items()} == versions

    # absent: check mode first, then for real, then again (nothing left).
    names = [{"name": n["name"], "namespace": NS} for n in NETWORKS[:2]]
    rc, res = run_module(kube_api, {"state": "absent", "networks": names}, check=True)
    assert rc == 0 and res["changed"] is True and len(live_nads(api)) == 3
    rc, res = run_module(kube_api, {"state": "absent", "networks": names})
    assert rc == 0 and res["changed"] is True
    assert sorted(live_nads(api)) == ["hostdev"]
    rc, res = run_module(kube_api, {"state": "absent", "networks": names})
    assert rc == 0 and res["changed"] is False


def test_bad_input_fails_before_any_change(kube_api, api):
    bad = [{"name": "good-one", "namespace": NS, "type": "bridge"},
           {"name": "bad-one", "namespace": NS, "type": "bridge",
            "ipam": {"type": "host-local", "subnet": "192.168.1.0/24", "range_start": "192.168.9.1"}}]
    rc, res = run_module(kube_api, {"networks": bad})
    assert rc != 0
    assert "networks[1] (bad-one)" in res["msg"] and "'192.168.9.1'" in res["msg"]
    assert "outside the subnet 192.168.1.0/24" in res["msg"]
    assert "good-one" not in live_nads(api)


def test_single_network_form_and_rendered_state(kube_api, api):
    args = {"name": "single", "namespace": NS, "type": "vlan", "master": "ens224", "vlan_id": 201,
            "ipam": {"type": "dhcp"}}
    rc, res = run_module(kube_api, dict(args, state="rendered"))
    assert rc == 0 and res["changed"] is False
    assert json.loads(res["rendered"][0]["spec"]["config"])["vlanId"] == 201
    assert "single" not in live_nads(api)
    rc, res = run_module(kube_api, args)
    assert rc == 0 and res["changed"] is True
    assert "single" in live_nads(api)


def ensure_network_cluster(api, foreign):
    """Network/cluster with our 'foreign' entry (other tests may share the object)."""
    if api.get(*CNO, "cluster") is None:
        api.apply({"apiVersion": CNO[0], "kind": CNO[1], "metadata": {"name": "cluster"},
                   "spec": {"additionalNetworks": [foreign]}}, label=False)
    else:
        def add(obj):  # as an admin would: no ownership record of ours
            nets = obj["spec"].get("additionalNetworks") or []
            if foreign not in nets:
                obj["spec"]["additionalNetworks"] = [n for n in nets if n["name"] != foreign["name"]] + [foreign]
        api.modify(*CNO, "cluster", add)


def entries(api):
    return {e["name"]: e for e in api.get(*CNO, "cluster")["spec"].get("additionalNetworks") or []}


SEED000 = {"name": "network-macvlan", "type": "macvlan", "master": "ens224", "cni_version": "0.3.1",
           "capabilities": {"ips": True}, "ipam": {"type": "static"}}
FOREIGN = {"name": "nad-it-foreign", "namespace": "default", "type": "Raw",
           "rawCNIConfig": '{"cniVersion": "0.3.1", "type": "bridge", "bridge": "br9"}'}


def test_cno_additional_networks_merge_keeps_foreign_entry(kube_api, api):
    ensure_network_cluster(api, FOREIGN)
    rc, res = run_module(kube_api, {"target": "cno", "networks": [SEED000]}, check=True, diff=True)
    assert rc == 0 and res["changed"] is True and "network-macvlan" not in entries(api)
    assert "network-macvlan" in res["diff"][0]["after"]

    rc, res = run_module(kube_api, {"target": "cno", "networks": [SEED000]})
    assert rc == 0 and res["changed"] is True, res
    got = entries(api)
    assert got["nad-it-foreign"] == FOREIGN  # untouched
    raw = json.loads(got["network-macvlan"]["rawCNIConfig"])
    assert raw == {"cniVersion": "0.3.1", "name": "network-macvlan", "type": "macvlan", "master": "ens224",
                   "capabilities": {"ips": True}, "ipam": {"type": "static"}}
    assert got["network-macvlan"]["type"] == "Raw" and got["network-macvlan"]["namespace"] == "default"

    rc, res = run_module(kube_api, {"target": "cno", "networks": [SEED000]})
    assert rc == 0 and res["changed"] is False

    rc, res = run_module(kube_api, {"target": "cno", "state": "absent", "name": "network-macvlan"})
    assert rc == 0 and res["changed"] is True
    got = entries(api)
    assert "network-macvlan" not in got and got["nad-it-foreign"] == FOREIGN


def test_cno_merge_survives_a_concurrent_edit(kube_api, api):
    """Someone else adds an entry between our read and our write: the write gets 409, the
    engine re-reads, our merge runs again, and both entries end up in the list."""
    ensure_network_cluster(api, FOREIGN)
    other = KubeClient.from_params({"kubeconfig": kube_api.kubeconfig})
    calls = []
    intruder = {"name": "nad-it-intruder", "namespace": "default", "type": "Raw", "rawCNIConfig": "{}"}
    ours = {"name": "nad-it-ours", "namespace": "default", "type": "Raw",
            "rawCNIConfig": '{"type": "bridge"}'}

    def mutate(obj):
        if not calls:  # the concurrent edit, by another client, after our read
            Applier(other).modify(*CNO, "cluster", lambda o: merge_additional_networks(o, wanted=[intruder], force=True))
        calls.append(obj["metadata"]["resourceVersion"])
        return merge_additional_networks(obj, wanted=[ours])

    result = api.modify(*CNO, "cluster", mutate)
    assert result["action"] == "updated"
    assert len(calls) == 2 and calls[0] != calls[1]  # re-read after the conflict
    got = entries(api)
    assert got["nad-it-intruder"] == intruder and got["nad-it-ours"] == ours and got["nad-it-foreign"] == FOREIGN
    api.modify(*CNO, "cluster", lambda o: merge_additional_networks(
        o, remove={("default", "nad-it-intruder"), ("default", "nad-it-ours")}))


def test_unreachable_api_is_a_clear_error(tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "x",
        "clusters": [{"name": "x", "cluster": {"server": "https://127.0.0.1:1", "insecure-skip-tls-verify": True}}],
        "users": [{"name": "x", "user": {"token": "t"}}],
        "contexts": [{"name": "x", "context": {"cluster": "x", "user": "x"}}]}))

    class Fake:
        kubeconfig = str(tmp_path / "kubeconfig")

    rc, res = run_module(Fake, {"name": "x", "type": "bridge"})
    assert rc != 0 and "cannot reach the Kubernetes API" in res["msg"]
    with pytest.raises(K8sError):
        KubeClient.from_params({"kubeconfig": Fake.kubeconfig}).resource(*NAD)


def test_cno_entry_of_the_same_name_in_another_namespace_or_not_ours_is_untouched(kube_api, api):
    """Ownership of CNO entries: by namespace and name, and only those we wrote."""
    theirs_elsewhere = {"name": "network-macvlan", "namespace": "team-b", "type": "Raw", "rawCNIConfig": "{}"}
    theirs_here = {"name": "nad-it-admins", "namespace": "default", "type": "Raw", "rawCNIConfig": "{}"}

    def add_as_admin(obj):  # an admin's edit: no ownership record of ours
        obj["spec"]["additionalNetworks"] = (obj["spec"].get("additionalNetworks") or []) + [theirs_elsewhere, theirs_here]

    ensure_network_cluster(api, FOREIGN)
    api.modify(*CNO, "cluster", add_as_admin)
    rc, res = run_module(kube_api, {"target": "cno", "networks": [SEED000]})
    assert rc == 0 and res["changed"] is True, res
    rc, res = run_module(kube_api, {"target": "cno", "state": "absent", "name": "network-macvlan"})
    assert rc == 0 and res["changed"] is True, res
    got = api.get(*CNO, "cluster")["spec"]["additionalNetworks"]
    assert theirs_elsewhere in got and theirs_here in got  # same name, other namespace: kept
    assert ("default", "network-macvlan") not in [(e.get("namespace", "default"), e["name"]) for e in got]

    admins = {"name": "nad-it-admins", "namespace": "default", "type": "macvlan", "master": "ens224",
              "capabilities": {"ips": True}, "ipam": {"type": "static"}}
    for args in ({"target": "cno", "networks": [admins]}, {"target": "cno", "state": "absent", "name": "nad-it-admins"}):
        rc, res = run_module(kube_api, args)
        assert rc != 0 and "additionalNetworks entry default/nad-it-admins exists and was not written by clusternet.fabric" \
            in res["msg"], res
    assert theirs_here in api.get(*CNO, "cluster")["spec"]["additionalNetworks"]
    rc, res = run_module(kube_api, {"target": "cno", "state": "absent", "name": "nad-it-admins", "force": True})
    assert rc == 0 and res["changed"] is True
    api.modify(*CNO, "cluster", lambda o: merge_additional_networks(o, remove={("team-b", "network-macvlan")}, force=True))
