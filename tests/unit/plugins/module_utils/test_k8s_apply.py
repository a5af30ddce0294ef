# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine logic against the in-memory fake (real server: tests/integration/test_k8s_engine.py)."""

from __future__ import annotations

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import (
    MANAGED_BY_LABEL,
    PRUNE_SET_LABEL,
    Applier,
    already_applied,
    with_prune_labels,
    K8sConflict,
    identity,
    prune_selector,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError, Resource
import test_k8s_fake
from test_k8s_fake import FakeKube


def cm(name, data=None, namespace="default", labels=None):
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}, "data": data or {"k": "v"}}
    if labels:
        obj["metadata"]["labels"] = labels
    return obj


def mc(name, args=("a=1",)):
    return {
        "apiVersion": "machineconfiguration.openshift.io/v1",
        "kind": "MachineConfig",
        "metadata": {"name": name, "labels": {"machineconfiguration.openshift.io/role": "worker"}},
        "spec": {"kernelArguments": list(args)},
    }


@pytest.fixture
def kube():
    return FakeKube()


def test_apply_creates_then_unchanged(kube):
    a = Applier(kube)
    r1 = a.apply(cm("one"))
    assert r1["action"] == "created"
    assert r1["object"]["metadata"]["labels"][MANAGED_BY_LABEL] == "clusternet.fabric"
    rv = r1["object"]["metadata"]["resourceVersion"]
    b = Applier(kube)
    r2 = b.apply(cm("one"))
    assert r2["action"] == "unchanged"
    assert r2["object"]["metadata"]["resourceVersion"] == rv
    assert b.result() == {"changed": False, "results": [r2]}


def test_apply_update_reports_updated_and_diff(kube):
    Applier(kube).apply(cm("one", {"k": "old"}))
    a = Applier(kube, diff=True)
    r = a.apply(cm("one", {"k": "new"}))
    assert r["action"] == "updated"
    out = a.result()
    assert out["changed"] is True
    (d,) = out["diff"]
    assert "k: old" in d["before"] and "k: new" in d["after"]
    assert d["before_header"] == "ConfigMap default/one (before)"
    assert "resourceVersion" not in d["after"] and "managedFields" not in d["after"]


def test_check_mode_uses_dry_run_and_changes_nothing(kube):
    Applier(kube).apply(cm("one", {"k": "old"}))
    store = dict(kube.store)
    a = Applier(kube, check_mode=True, diff=True)
    r = a.apply(cm("one", {"k": "new"}))
    assert r["action"] == "updated"
    assert r["object"]["data"] == {"k": "new"}
    created = a.apply(cm("two"))
    assert created["action"] == "created"
    assert kube.store == store
    patches = [c for c in kube.calls if c[0] == "PATCH"]
    assert all(c[2].get("dryRun") == "All" for c in patches[-2:])
    assert a.result()["changed"] is True


def test_check_mode_unchanged(kube):
    Applier(kube).apply(cm("one"))
    a = Applier(kube, check_mode=True)
    assert a.apply(cm("one"))["action"] == "unchanged"
    assert a.result()["changed"] is False


def test_namespace_defaults_and_cluster_scope_drops_namespace(kube):
    a = Applier(kube)
    obj = cm("nons")
    del obj["metadata"]["namespace"]
    r = a.apply(obj)
    assert r["namespace"] == "default"
    m = mc("99-worker-x")
    m["metadata"]["namespace"] = "ignored"
    r = a.apply(m)
    assert r["namespace"] is None
    assert "/apis/machineconfiguration.openshift.io/v1/machineconfigs/99-worker-x" in kube.store


def test_identity_errors():
    with pytest.raises(K8sError, match="missing kind, metadata.name"):
        identity({"apiVersion": "v1", "metadata": {}})
    with pytest.raises(K8sError, match="must be a mapping"):
        identity(["x"])


def test_missing_kind_message(kube):
    with pytest.raises(K8sError, match=r"the API server has no Widget \(example.com/v1\): is this an OpenShift cluster / is the CRD installed\?"):
        Applier(kube).apply({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})


def test_conflict_names_manager_and_field_and_force_resolves(kube):
    Applier(kube).apply(cm("one"))
    kube.conflicts["/api/v1/namespaces/default/configmaps/one"] = ("kubectl-edit", ".data.k")
    with pytest.raises(K8sConflict) as e:
        Applier(kube).apply(cm("one", {"k": "mine"}))
    assert e.value.managers == ["kubectl-edit"] and e.value.fields == [".data.k"]
    assert '"kubectl-edit"' in e.value.msg and ".data.k" in e.value.msg and "force_conflicts" in e.value.msg
    assert "ConfigMap default/one" in e.value.msg
    r = Applier(kube, force_conflicts=True).apply(cm("one", {"k": "mine"}))
    assert r["action"] == "updated"
    assert kube.calls[-1][2]["force"] == "true"


def test_delete_and_absent(kube):
    Applier(kube).apply(cm("one"))
    a = Applier(kube, diff=True)
    assert a.delete("v1", "ConfigMap", "one", "default")["action"] == "deleted"
    assert a.diffs[0]["after"] == "" and "name: one" in a.diffs[0]["before"]
    assert a.delete("v1", "ConfigMap", "one", "default")["action"] == "absent"
    assert a.result()["changed"] is True
    b = Applier(kube)
    b.delete("v1", "ConfigMap", "one")
    assert b.result()["changed"] is False


def test_delete_in_check_mode_is_dry_run(kube):
    Applier(kube).apply(cm("one"))
    a = Applier(kube, check_mode=True)
    assert a.delete_object(cm("one"))["action"] == "deleted"
    assert "/api/v1/namespaces/default/configmaps/one" in kube.store
    assert kube.calls[-1][0] == "DELETE" and kube.calls[-1][2]["dryRun"] == "All"


def test_prune_only_touches_labelled_members_of_the_set(kube):
    a = Applier(kube)
    a.apply_all([cm("keep"), cm("old")], prune_set="routes")
    kube.put(cm("unmanaged"))
    kube.put(cm("other-set", labels={MANAGED_BY_LABEL: "clusternet.fabric", PRUNE_SET_LABEL: "else"}))
    kube.put(cm("someone-elses", labels={PRUNE_SET_LABEL: "routes"}))  # no managed-by label
    b = Applier(kube)
    results = b.apply_all([cm("keep")], prune_set="routes")
    assert [(r["name"], r["action"]) for r in results] == [("keep", "unchanged"), ("old", "pruned")]
    names = sorted(p.rsplit("/", 1)[1] for p in kube.store)
    assert names == ["keep", "other-set", "someone-elses", "unmanaged"]
    assert b.result()["changed"] is True
    list_calls = [c for c in kube.calls if c[2].get("labelSelector")]
    assert list_calls[-1][2]["labelSelector"] == prune_selector("routes")


def test_prune_across_namespaces_and_kinds(kube):
    Applier(kube).apply_all([cm("a", namespace="x"), cm("b", namespace="y"), mc("99-worker-a")], prune_set="s")
    r = Applier(kube).apply_all([cm("a", namespace="x")], prune_set="s")
    assert sorted((x["name"], x["action"]) for x in r) == [("a", "unchanged"), ("b", "pruned")]
    # MachineConfig was not among the wanted kinds: prune explicitly
    p = Applier(kube).prune("machineconfiguration.openshift.io/v1", "MachineConfig", "s")
    assert [(x["name"], x["action"]) for x in p] == [("99-worker-a", "pruned")]


def test_prune_requires_a_set(kube):
    with pytest.raises(K8sError, match="non-empty prune set"):
        Applier(kube).prune("v1", "ConfigMap", "")


def test_apply_all_uses_one_list_for_many_objects(kube):
    objs = [cm("n%02d" % i) for i in range(20)]
    Applier(kube).apply_all(objs)
    kube.calls.clear()
    a = Applier(kube)
    a.apply_all(objs)
    gets = [c for c in kube.calls if c[0] == "GET"]
    assert gets == [("GET", "/api/v1/namespaces/default/configmaps", {})]
    assert {r["action"] for r in a.results} == {"unchanged"}
    # the fake keeps no managedFields, so each object is sent again: dry run first, then the write
    assert len([c for c in kube.calls if c[0] == "PATCH" and c[2].get("dryRun") != "All"]) == 20


def test_apply_all_rejects_duplicates(kube):
    with pytest.raises(K8sError, match="listed twice"):
        Applier(kube).apply_all([cm("a"), cm("a")])


def test_modify_retries_on_conflict(kube):
    kube.put({"apiVersion": "operator.openshift.io/v1", "kind": "Network", "metadata": {"name": "cluster"}, "spec": {"additionalNetworks": [{"name": "x"}]}})
    kube.put_conflicts = 2
    seen = []

    def add(obj):
        seen.append(obj["metadata"]["resourceVersion"])
        nets = obj["spec"].setdefault("additionalNetworks", [])
        if not any(n["name"] == "y" for n in nets):
            nets.append({"name": "y"})

    a = Applier(kube)
    r = a.modify("operator.openshift.io/v1", "Network", "cluster", add)
    assert r["action"] == "updated"
    assert len(seen) == 3 and len(set(seen)) == 3
    assert [n["name"] for n in kube.store["/apis/operator.openshift.io/v1/networks/cluster"]["spec"]["additionalNetworks"]] == ["x", "y"]
    assert Applier(kube).modify("operator.openshift.io/v1", "Network", "cluster", add)["action"] == "unchanged"


def test_modify_missing_object(kube):
    with pytest.raises(K8sError, match="Network cluster does not exist"):
        Applier(kube).modify("operator.openshift.io/v1", "Network", "cluster", lambda o: o)


def test_apply_without_label(kube):
    r = Applier(kube).apply({"apiVersion": "operator.openshift.io/v1", "kind": "Network", "metadata": {"name": "cluster"}, "spec": {}}, label=False)
    assert "labels" not in r["object"]["metadata"]


def test_wait_crd_established(kube, monkeypatch):
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "names": {"kind": "Widget"},
                 "versions": [{"name": "v1", "served": True}, {"name": "v0", "served": False}]},
        "status": {"conditions": [{"type": "Established", "status": "True"}]},
    }
    kube.put(crd)
    # Established, but discovery does not list the kind yet (the real server's
    # short window after the condition): not ready
    with pytest.raises(K8sError, match="not Established and served after 0.1s"):
        Applier(kube).wait_crd_established("widgets.example.com", timeout=0.1, interval=0.02)
    monkeypatch.setitem(test_k8s_fake.RESOURCES, ("example.com/v1", "Widget"),
                        Resource("example.com/v1", "Widget", "widgets", True))
    Applier(kube).wait_crd_established("widgets.example.com", timeout=1)
    assert ("INVALIDATE", "example.com/v1") in kube.calls
    assert ("INVALIDATE", "example.com/v0") not in kube.calls  # not served: not waited for
    with pytest.raises(K8sError, match="not Established and served after 0.1s"):
        Applier(kube).wait_crd_established("gadgets.example.com", timeout=0.1, interval=0.02)


def test_get_absent_is_none(kube):
    assert Applier(kube).get("v1", "ConfigMap", "nope", "default") is None


def _live_mc(fields_v1, **meta):
    obj = mc("99-worker-x", ["a=1"])
    obj["metadata"]["labels"][MANAGED_BY_LABEL] = "clusternet.fabric"
    obj["metadata"].update(resourceVersion="7", uid="u", **meta)
    obj["metadata"]["managedFields"] = [
        {"manager": "clusternet.fabric", "operation": "Apply", "apiVersion": obj["apiVersion"], "fieldsType": "FieldsV1", "fieldsV1": fields_v1}
    ]
    return obj


MC_FIELDS = {
    "f:metadata": {"f:labels": {"f:machineconfiguration.openshift.io/role": {}, "f:" + MANAGED_BY_LABEL: {}}},
    "f:spec": {"f:kernelArguments": {}},
}


def test_already_applied_skips_the_request():
    want = with_prune_labels(mc("99-worker-x", ["a=1"]))
    assert already_applied(_live_mc(MC_FIELDS), want, "clusternet.fabric")
    # another manager's record, another value, a field we no longer send, a deleting object
    assert not already_applied(_live_mc(MC_FIELDS), want, "someone")
    assert not already_applied(_live_mc(MC_FIELDS), with_prune_labels(mc("99-worker-x", ["a=2"])), "clusternet.fabric")
    extra = dict(MC_FIELDS, **{"f:spec": {"f:kernelArguments": {}, "f:fips": {}}})
    assert not already_applied(_live_mc(extra), want, "clusternet.fabric")
    assert not already_applied(_live_mc(MC_FIELDS, deletionTimestamp="now"), want, "clusternet.fabric")
    assert not already_applied(None, want, "clusternet.fabric")


def test_already_applied_accepts_atomic_maps():
    # below x-kubernetes-preserve-unknown-fields the server records a map as one leaf
    want = with_prune_labels(mc("99-worker-x", ["a=1"]))
    want["spec"]["config"] = {"ignition": {"version": "3.2.0"}}
    live = _live_mc(dict(MC_FIELDS, **{"f:spec": {"f:kernelArguments": {}, "f:config": {"f:ignition": {}}}}))
    live["spec"]["config"] = {"ignition": {"version": "3.2.0"}}
    assert already_applied(live, want, "clusternet.fabric")
    live["spec"]["config"]["ignition"]["version"] = "3.1.0"
    assert not already_applied(live, want, "clusternet.fabric")


def test_apply_skips_patch_when_already_applied(kube):
    live = _live_mc(MC_FIELDS)
    kube.put(live)
    a = Applier(kube)
    r = a.apply(mc("99-worker-x", ["a=1"]))
    assert r["action"] == "unchanged"
    assert not [c for c in kube.calls if c[0] == "PATCH"]


class Failing(FakeKube):
    """The fake answering ``status`` for PATCHes of ``name`` (dry runs included or not)."""

    def __init__(self, name, status=503, dry_runs_too=True):
        super().__init__()
        self.failing, self.status, self.dry_runs_too = name, status, dry_runs_too

    def request(self, method, path, query=None, body=None, content_type=None):
        dry = (query or {}).get("dryRun") == "All"
        if method == "PATCH" and path.endswith("/" + self.failing) and (self.dry_runs_too or not dry):
            self.calls.append((method, path, dict(query or {})))
            raise K8sError("%s %s: %d Service Unavailable" % (method, path, self.status), status=self.status)
        return super().request(method, path, query, body, content_type)


def test_apply_all_dry_runs_every_object_before_the_first_write():
    kube = Failing("b")
    a = Applier(kube)
    with pytest.raises(K8sError, match=r"^ConfigMap default/b: PATCH .*: 503 Service Unavailable \(refused by the dry run "
                                       r"before any write: nothing of this call was written\)$"):
        a.apply_all([cm("a"), cm("b"), cm("c")])
    assert [c for c in kube.calls if c[0] == "PATCH" and c[2].get("dryRun") != "All"] == []
    assert a.get("v1", "ConfigMap", "a", "default") is None
    out = a.result()
    assert out["changed"] is False and out["results"] == []
    assert out["not_written"] == ["ConfigMap default/a", "ConfigMap default/b", "ConfigMap default/c"]


def test_apply_all_failing_between_writes_reports_what_was_written_and_what_was_not():
    kube = Failing("b", dry_runs_too=False)
    a = Applier(kube)
    with pytest.raises(K8sError, match="ConfigMap default/b: PATCH"):
        a.apply_all([cm("a"), cm("b"), cm("c")])
    out = a.result()
    assert out["changed"] is True
    assert [(r["name"], r["action"]) for r in out["results"]] == [("a", "created")]
    assert out["not_written"] == ["ConfigMap default/b", "ConfigMap default/c"]
    # the next run converges
    kube.failing = "none"
    again = Applier(kube)
    again.apply_all([cm("a"), cm("b"), cm("c")])
    assert [(r["name"], r["action"]) for r in again.results] == [("a", "unchanged"), ("b", "created"), ("c", "created")]
    assert "not_written" not in again.result()


def test_apply_all_skips_the_dry_run_for_a_single_write_and_in_check_mode(kube):
    Applier(kube).apply_all([cm("one")])
    assert [c[2].get("dryRun") for c in kube.calls if c[0] == "PATCH"] == [None]
    kube.calls.clear()
    Applier(kube, check_mode=True).apply_all([cm("x"), cm("y")])
    assert [c[2].get("dryRun") for c in kube.calls if c[0] == "PATCH"] == ["All", "All"]


# -- ownership: only what the collection manages ------------------------------

def foreign(kube, name):
    """An object of the same name somebody else created (no managed-by label)."""
    Applier(kube).apply(cm(name, {"theirs": "1"}), label=False)


def test_apply_refuses_to_replace_an_object_we_do_not_manage(kube):
    foreign(kube, "taken")
    with pytest.raises(K8sError, match=r"^ConfigMap default/taken exists and is not managed by clusternet.fabric "
                                       r"\(no label app.kubernetes.io/managed-by=clusternet.fabric\): not replaced; "
                                       r"set force: true \(in a role, <role>_force\) to replace it anyway$"):
        Applier(kube).apply_all([cm("fresh"), cm("taken")])
    a = Applier(kube)
    assert a.get("v1", "ConfigMap", "fresh", "default") is None  # refused before any write
    assert a.get("v1", "ConfigMap", "taken", "default")["data"] == {"theirs": "1"}
    Applier(kube, force=True).apply(cm("taken"))
    assert a.get("v1", "ConfigMap", "taken", "default")["metadata"]["labels"][MANAGED_BY_LABEL] == "clusternet.fabric"


def test_delete_refuses_an_object_we_do_not_manage_and_checks_all_first(kube):
    Applier(kube).apply(cm("mine"))
    foreign(kube, "theirs")
    ids = [("v1", "ConfigMap", "mine", "default"), ("v1", "ConfigMap", "theirs", "default")]
    with pytest.raises(K8sError, match=r"ConfigMap default/theirs exists and is not managed .*: not deleted; "
                                       r"set force: true .* to delete it anyway"):
        Applier(kube).delete_all(ids)
    a = Applier(kube)
    assert a.get("v1", "ConfigMap", "mine", "default") is not None  # nothing deleted
    with pytest.raises(K8sError, match="not deleted"):
        a.delete("v1", "ConfigMap", "theirs", "default")
    forced = Applier(kube, force=True)
    assert [r["action"] for r in forced.delete_all(ids)] == ["deleted", "deleted"]


def test_shared_objects_applied_unlabelled_are_not_ownership_checked(kube):
    foreign(kube, "shared")
    # Network/cluster style: we own entries, not the object; label=False sends as it is
    assert Applier(kube).apply(cm("shared", {"theirs": "1", "ours": "2"}), label=False)["action"] == "updated"
