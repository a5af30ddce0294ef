# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""clusternet.fabric.machineconfig against the real kube-apiserver (``kube_api`` fixture).

The module runs the way users run it: ansible-playbook on localhost (playbooks
written to a temporary directory, results read through the json callback).
The server's state is checked independently through the apply engine's client.
"""

from __future__ import annotations

import os
import sys

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient
from ansible_collections.clusternet.fabric.plugins.module_utils.render import machineconfig as mc

sys.path.insert(0, os.path.dirname(__file__))
import inline_playbook  # noqa: E402

MC = ("machineconfiguration.openshift.io/v1", "MachineConfig")
MCP = ("machineconfiguration.openshift.io/v1", "MachineConfigPool")


def motd(name, text, role="worker"):
    return {"name": name, "role": role, "files": [{"path": "/etc/motd-%s" % name, "contents": text}]}


def play(kube_api, tmp_path, tasks, *flags):
    """Run ``tasks`` (module args dicts or full task dicts) in one playbook; return per-task results."""
    return inline_playbook.module_tasks(tmp_path, "clusternet.fabric.machineconfig", tasks, kube_api.auth, flags)


@pytest.fixture(scope="module")
def engine(kube_api):
    return Applier(KubeClient.from_params(kube_api.auth))


def live(engine, name):
    return engine.get(MC[0], MC[1], name)


def test_apply_twice_second_is_unchanged(kube_api, engine, tmp_path):
    mcs = [motd("99-worker-twice-a", "a\n"), motd("99-master-twice-b", "b\n", role="master")]
    first, second = play(kube_api, tmp_path, [{"machineconfigs": mcs, "openshift_version": "4.14"},
                                              {"machineconfigs": mcs, "openshift_version": "4.14"}])
    assert first["changed"] is True and [r["action"] for r in first["results"]] == ["created", "created"]
    assert second["changed"] is False and [r["action"] for r in second["results"]] == ["unchanged", "unchanged"]
    for before, after in zip(first["results"], second["results"]):
        assert before["object"]["metadata"]["resourceVersion"] == after["object"]["metadata"]["resourceVersion"]
    server = live(engine, "99-worker-twice-a")
    assert server["spec"]["config"] == first["machineconfigs"][0]["spec"]["config"]
    assert server["spec"]["config"]["ignition"]["version"] == "3.4.0"
    assert server["metadata"]["labels"]["machineconfiguration.openshift.io/role"] == "worker"
    assert server["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "clusternet.fabric"
    assert mc.decode_data_url(server["spec"]["config"]["storage"]["files"][0]["contents"]["source"]) == b"a\n"


def test_check_mode_changes_nothing_and_diff_shows_the_change(kube_api, engine, tmp_path):
    (created,) = play(kube_api, tmp_path, [{"name": "99-worker-check", "files": [{"path": "/etc/x", "contents": "one\n"}]}])
    assert created["changed"] is True
    rv = live(engine, "99-worker-check")["metadata"]["resourceVersion"]

    # ansible-playbook --check --diff, as users run it.
    (checked,) = play(kube_api, tmp_path, [{"name": "99-worker-check", "files": [{"path": "/etc/x", "contents": "two\n"}]}],
                      "--check", "--diff")
    assert checked["changed"] is True
    assert [r["action"] for r in checked["results"]] == ["updated"]
    server = live(engine, "99-worker-check")
    assert server["metadata"]["resourceVersion"] == rv
    assert mc.decode_data_url(server["spec"]["config"]["storage"]["files"][0]["contents"]["source"]) == b"one\n"
    (diff,) = checked["diff"]
    # the diff shows the file's text, not its data URL
    before, after = yaml.safe_load(diff["before"]), yaml.safe_load(diff["after"])
    assert before["spec"]["config"]["storage"]["files"][0]["contents"] == {"source (decoded)": "one\n"}
    assert after["spec"]["config"]["storage"]["files"][0]["contents"] == {"source (decoded)": "two\n"}

    # Check mode of an unchanged object reports no change; check mode of a new one reports created.
    same, new = play(kube_api, tmp_path, [{"name": "99-worker-check", "files": [{"path": "/etc/x", "contents": "one\n"}]},
                                          {"name": "99-worker-check-new", "files": [{"path": "/etc/x", "contents": "x"}]}],
                     "--check")
    assert same["changed"] is False and new["changed"] is True and new["results"][0]["action"] == "created"
    assert live(engine, "99-worker-check-new") is None


def test_absent_deletes(kube_api, engine, tmp_path):
    created, deleted, again = play(kube_api, tmp_path, [
        {"name": "99-worker-gone", "files": [{"path": "/etc/x", "contents": "x"}]},
        {"name": "99-worker-gone", "state": "absent"},
        {"name": "99-worker-gone", "state": "absent"},
    ])
    assert created["changed"] and deleted["changed"] and not again["changed"]
    assert deleted["results"][0]["action"] == "deleted" and again["results"][0]["action"] == "absent"
    assert live(engine, "99-worker-gone") is None


def test_prune_removes_managed_only(kube_api, engine, tmp_path):
    unmanaged = mc.render_machineconfig(motd("99-worker-unmanaged", "keep\n"))
    engine.apply(unmanaged, label=False)
    other_set = dict(motd("99-worker-other-set", "other\n"))
    first, second, third = play(kube_api, tmp_path, [
        {"machineconfigs": [other_set], "prune_set": "mcfg-other"},
        {"machineconfigs": [motd("99-worker-p-a", "a\n"), motd("99-worker-p-b", "b\n")], "prune_set": "mcfg-prune"},
        {"machineconfigs": [motd("99-worker-p-a", "a\n")], "prune_set": "mcfg-prune"},
    ])
    assert [r["action"] for r in second["results"]] == ["created", "created"]
    assert sorted((r["name"], r["action"]) for r in third["results"]) == [("99-worker-p-a", "unchanged"),
                                                                          ("99-worker-p-b", "pruned")]
    assert third["changed"] is True
    assert live(engine, "99-worker-p-b") is None
    assert live(engine, "99-worker-unmanaged") is not None
    assert live(engine, "99-worker-other-set") is not None

    # An empty list with the prune set removes the whole set (node_routes: all routes removed).
    (empty,) = play(kube_api, tmp_path, [{"machineconfigs": [], "prune_set": "mcfg-prune"}])
    assert [(r["name"], r["action"]) for r in empty["results"]] == [("99-worker-p-a", "pruned")]
    assert live(engine, "99-worker-p-a") is None
    assert live(engine, "99-worker-unmanaged") is not None
    assert live(engine, "99-worker-other-set") is not None


def test_field_manager_conflict_is_reported(kube_api, engine, tmp_path):
    # our MachineConfig (labelled), its file set by another tool
    theirs = mc.render_machineconfig(motd("99-worker-conflict", "theirs\n"))
    Applier(engine.client, field_manager="other-tool").apply(theirs)
    failed, forced = play(kube_api, tmp_path, [
        {"clusternet.fabric.machineconfig": motd("99-worker-conflict", "ours\n"), "ignore_errors": True},
        dict(motd("99-worker-conflict", "ours\n"), force_conflicts=True),
    ])
    assert failed.get("failed") is True
    assert "conflict" in failed["msg"] and '"other-tool"' in failed["msg"] and ".spec.config" in failed["msg"]
    assert mc.decode_data_url(live(engine, "99-worker-conflict")["spec"]["config"]["storage"]["files"][0]["contents"]["source"]) == b"ours\n"
    assert forced["changed"] is True and not forced.get("failed")


def set_pool_status(engine, name, generation_seen, sources, updated=True, machines=2, updated_machines=2):
    pool = engine.get(MCP[0], MCP[1], name)
    if pool is None:
        pool = engine.client.request("POST", engine.client.resource(*MCP).path(), body={
            "apiVersion": MCP[0], "kind": MCP[1], "metadata": {"name": name},
            "spec": {"machineConfigSelector": {"matchLabels": {"machineconfiguration.openshift.io/role": name}}}})
    pool["status"] = {
        "observedGeneration": pool["metadata"]["generation"] if generation_seen else 0,
        "machineCount": machines, "updatedMachineCount": updated_machines, "readyMachineCount": updated_machines,
        "degradedMachineCount": 0,
        "configuration": {"name": "rendered-%s-1" % name, "source": [{"name": s} for s in sources]},
        "conditions": [{"type": "Updated", "status": "True" if updated else "False"},
                       {"type": "Degraded", "status": "False"}],
    }
    engine.client.request("PUT", engine.client.resource(*MCP).path(name) + "/status", body=pool)


def test_wait_for_the_pool(kube_api, engine, tmp_path):
    name = "99-wpool-waited"
    set_pool_status(engine, "wpool", True, ["00-wpool"], updated=True)
    # The pool says Updated but its rendered config does not contain our MachineConfig yet: not done.
    (timed_out,) = play(kube_api, tmp_path, [{"clusternet.fabric.machineconfig": dict(
        motd(name, "w\n", role="wpool"), wait=True, wait_timeout=3, wait_sleep=1), "ignore_errors": True}])
    assert timed_out.get("failed") is True
    assert "wpool: rendered config does not include %s yet" % name in timed_out["msg"]
    # The "MCO" rolls it out: source lists it, all machines updated.
    set_pool_status(engine, "wpool", True, ["00-wpool", name], updated=True)
    (done,) = play(kube_api, tmp_path, [dict(motd(name, "w\n", role="wpool"), wait=True, wait_timeout=30, wait_sleep=1)])
    assert not done.get("failed") and done["pools"]["wpool"]["updated"] is True
    assert done["pools"]["wpool"]["machineCount"] == 2


def test_compressed_file_keeps_the_servers_bytes_for_the_same_text(kube_api, engine, tmp_path):
    """A compressed file: the server stores the gzip form; a live object holding the
    same text compressed by another zlib is left alone (no new rendered config);
    other text is sent."""
    import base64
    import gzip

    text = "".join("line %d of a bundle\n" % (i % 7) for i in range(2000))
    files = [{"path": "/etc/bundle", "contents": text, "compression": "gzip"}]
    (created,) = play(kube_api, tmp_path, [{"name": "99-worker-gz", "files": files, "openshift_version": "4.14"}])
    assert created["changed"] is True
    stored = live(engine, "99-worker-gz")["spec"]["config"]["storage"]["files"][0]["contents"]
    assert stored["compression"] == "gzip" and mc.file_bytes(stored) == text.encode()

    # another controller's zlib: same text, other bytes
    theirs = mc.BINARY_DATA_URL + base64.b64encode(gzip.compress(text.encode(), compresslevel=1, mtime=1)).decode()
    obj = live(engine, "99-worker-gz")
    for key in ("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"):
        obj["metadata"].pop(key, None)
    obj["spec"]["config"]["storage"]["files"][0]["contents"]["source"] = theirs
    engine.apply(obj)
    rv = live(engine, "99-worker-gz")["metadata"]["resourceVersion"]

    (same,) = play(kube_api, tmp_path, [{"name": "99-worker-gz", "files": files, "openshift_version": "4.14"}])
    assert same["changed"] is False, same
    server = live(engine, "99-worker-gz")
    assert server["metadata"]["resourceVersion"] == rv
    assert server["spec"]["config"]["storage"]["files"][0]["contents"]["source"] == theirs

    files[0]["contents"] = text + "one more line\n"
    # --diff shows the one line that moves, decompressed, not two base64 blobs
    (checked,) = play(kube_api, tmp_path, [{"name": "99-worker-gz", "files": files, "openshift_version": "4.14"}],
                      "--check", "--diff")
    (diff,) = checked["diff"]
    import difflib
    moved = [line for line in difflib.unified_diff(diff["before"].splitlines(), diff["after"].splitlines(), n=0, lineterm="")
             if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert [line[0] + line[1:].strip() for line in moved] == ["+one more line"], moved
    (updated,) = play(kube_api, tmp_path, [{"name": "99-worker-gz", "files": files, "openshift_version": "4.14"}])
    assert updated["changed"] is True
    stored = live(engine, "99-worker-gz")["spec"]["config"]["storage"]["files"][0]["contents"]
    assert mc.file_bytes(stored) == (text + "one more line\n").encode()
    play(kube_api, tmp_path, [{"name": "99-worker-gz", "state": "absent"}])


def test_an_object_we_did_not_create_is_neither_replaced_nor_deleted_without_force(kube_api, engine, tmp_path):
    theirs = mc.render_machineconfig(motd("99-worker-theirs", "theirs\n"))
    Applier(engine.client, field_manager="cluster-admin").apply(theirs, label=False)  # no managed-by label
    replaced, deleted = play(kube_api, tmp_path, [
        {"clusternet.fabric.machineconfig": motd("99-worker-theirs", "ours\n"), "ignore_errors": True},
        {"clusternet.fabric.machineconfig": {"name": "99-worker-theirs", "state": "absent"}, "ignore_errors": True},
    ])
    for result, verb in ((replaced, "replaced"), (deleted, "deleted")):
        assert result.get("failed") is True
        assert ("MachineConfig 99-worker-theirs exists and is not managed by clusternet.fabric "
                "(no label app.kubernetes.io/managed-by=clusternet.fabric): not %s" % verb) in result["msg"], result["msg"]
    server = live(engine, "99-worker-theirs")
    assert mc.decode_data_url(server["spec"]["config"]["storage"]["files"][0]["contents"]["source"]) == b"theirs\n"
    (forced,) = play(kube_api, tmp_path, [{"name": "99-worker-theirs", "state": "absent", "force": True}])
    assert forced["changed"] is True and live(engine, "99-worker-theirs") is None
