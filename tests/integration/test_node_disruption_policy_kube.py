# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""clusternet.fabric.node_disruption_policy against the real kube-apiserver, with the
MachineConfiguration CRD of tests/kube/crds (its list-map markers are what make entries of
several field managers merge): the entries appear, a rerun changes nothing, entries another
manager set stay (and one it owns with other actions is a conflict), state absent removes
exactly ours, below 4.16 nothing is written, and without MachineConfiguration/cluster (the
MCO creates it) nothing is created. The node_routes role and the frr role's MachineConfig
delivery wire it around their MachineConfigs."""

from __future__ import annotations

import os
import re
import sys

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient
from ansible_collections.clusternet.fabric.plugins.module_utils.render import disruption, frr_delivery, node_routes

sys.path.insert(0, os.path.dirname(__file__))
import inline_playbook  # noqa: E402

MCFG = (disruption.API_VERSION, disruption.KIND)
RESTART = [{"type": "Restart", "restart": {"serviceName": "clusternet-node-routes.service"}}]
THEIRS = {"path": "/etc/admin/motd", "actions": [{"type": "None"}]}


def play(kube_api, tmp_path, tasks, *flags):
    return inline_playbook.module_tasks(tmp_path, "clusternet.fabric.node_disruption_policy", tasks, kube_api.auth,
                                        flags)


@pytest.fixture
def cluster_object(kube_api):
    """MachineConfiguration/cluster as the MCO and an admin leave it: managementState by the
    operator, one file policy of the admin's (field manager "admin")."""
    operator = Applier(KubeClient.from_params(kube_api.auth), field_manager="machine-config-operator")
    admin = Applier(KubeClient.from_params(kube_api.auth), field_manager="admin")
    operator.delete(MCFG[0], MCFG[1], disruption.NAME)  # our own leftovers only: the test server is ours
    operator.force = True
    operator.apply({"apiVersion": MCFG[0], "kind": MCFG[1], "metadata": {"name": "cluster"},
                    "spec": {"managementState": "Managed"}}, label=False)
    admin.apply({"apiVersion": MCFG[0], "kind": MCFG[1], "metadata": {"name": "cluster"},
                 "spec": {"nodeDisruptionPolicy": {"files": [THEIRS]}}}, label=False)
    yield operator
    operator.delete(MCFG[0], MCFG[1], disruption.NAME)


def policy_files(engine):
    live = engine.get(MCFG[0], MCFG[1], disruption.NAME)
    return {f["path"]: f["actions"] for f in live["spec"].get("nodeDisruptionPolicy", {}).get("files", [])}, live


def test_entries_merge_are_idempotent_and_go_alone(kube_api, cluster_object, tmp_path):
    ours = node_routes.disruption_policy(["master", "worker"])
    args = {"owner": "node-routes", "openshift_version": "4.17", "files": ours["files"], "units": ours["units"]}
    (check,) = play(kube_api, tmp_path, [{"clusternet.fabric.node_disruption_policy": args, "check_mode": True}])
    assert check["changed"] and check["results"][0]["action"] == "updated", check
    files, live = policy_files(cluster_object)
    assert list(files) == [THEIRS["path"]], "check mode wrote: %s" % files
    first, second = play(kube_api, tmp_path, [args, args])

    assert first["changed"] and first["field_manager"] == "clusternet.fabric/node-routes", first
    assert not second["changed"] and second["results"][0]["action"] == "unchanged", second
    files, live = policy_files(cluster_object)
    assert files[THEIRS["path"]] == THEIRS["actions"]  # the admin's entry stays
    assert files["/etc/clusternet/node-routes.d/worker.conf"] == RESTART
    assert set(files) == {THEIRS["path"]} | {f["path"] for f in ours["files"]}
    assert live["spec"]["nodeDisruptionPolicy"]["units"] == ours["units"]
    assert live["spec"]["managementState"] == "Managed"
    managers = {m["manager"] for m in live["metadata"]["managedFields"]}
    assert {"machine-config-operator", "admin", "clusternet.fabric/node-routes"} <= managers, managers
    assert "app.kubernetes.io/managed-by" not in (live["metadata"].get("labels") or {})  # not ours to label

    (check_gone,) = play(kube_api, tmp_path, [{"clusternet.fabric.node_disruption_policy": dict(args, state="absent"),
                                               "check_mode": True}])
    assert check_gone["changed"] and len(policy_files(cluster_object)[0]) == len(files), check_gone
    gone, again = play(kube_api, tmp_path, [dict(args, state="absent"), dict(args, state="absent")])
    assert gone["changed"], gone
    assert not again["changed"] and again["results"][0]["action"] == "unchanged", again
    files, live = policy_files(cluster_object)
    assert files == {THEIRS["path"]: THEIRS["actions"]}, files
    assert not live["spec"]["nodeDisruptionPolicy"].get("units") and live["spec"]["managementState"] == "Managed"


def test_an_entry_another_manager_owns_is_a_conflict(kube_api, cluster_object, tmp_path):
    args = {"owner": "node-routes", "openshift_version": "4.17",
            "files": [{"path": THEIRS["path"], "actions": RESTART}]}
    (refused,) = play(kube_api, tmp_path, [args])
    assert refused.get("failed") and '"admin"' in refused["msg"] and "force_conflicts" in refused["msg"], refused
    files, _live = policy_files(cluster_object)
    assert files[THEIRS["path"]] == THEIRS["actions"]


def test_before_4_16_nothing_is_written(kube_api, cluster_object, tmp_path):
    ours = node_routes.disruption_policy(["worker"])
    (result,) = play(kube_api, tmp_path, [{"owner": "node-routes", "openshift_version": "4.15", "files": ours["files"]}])
    assert result.get("skipped") and "4.15 has no node disruption policy" in result["msg"], result
    files, _live = policy_files(cluster_object)
    assert list(files) == [THEIRS["path"]]


def test_without_the_cluster_object_nothing_is_created(kube_api, tmp_path):
    engine = Applier(KubeClient.from_params(kube_api.auth))
    engine.delete(MCFG[0], MCFG[1], disruption.NAME)
    (result,) = play(kube_api, tmp_path, [{"owner": "frr", "openshift_version": "4.17",
                                           "units": [{"name": "frr.service", "actions": [{"type": "DaemonReload"}]}]}])
    assert result.get("skipped") and "MachineConfiguration cluster not found" in result["msg"], result
    assert engine.get(MCFG[0], MCFG[1], disruption.NAME) is None


@pytest.mark.parametrize("actions, message", [
    ([{"type": "Reboot"}, {"type": "DaemonReload"}], "a Reboot action stands alone"),
    ([{"type": "Restart"}], "restart is required when type is Restart"),
    ([{"type": "None", "reload": {"serviceName": "crio.service"}}], "reload is required when type is Reload, and forbidden"),
    ([{"type": "Restart", "restart": {"serviceName": "crio"}}], "not a systemd unit name"),
    ([{"type": "Bounce"}], "files[0].actions[0].type is 'Bounce'"),
])
def test_the_api_rules_are_checked_before_anything_is_sent(tmp_path, actions, message):
    (result,) = inline_playbook.module_tasks(tmp_path, "clusternet.fabric.node_disruption_policy", [
        {"owner": "x", "state": "rendered", "files": [{"path": "/etc/x", "actions": actions}]}])
    assert result.get("failed") and message in result["msg"], result


def policy_then_machineconfig(engine, res, live, owner, role, machineconfig, machineconfig_task):
    """After a role's run: its policy entries are held by its field manager, its
    MachineConfig is there, and the policy task ran before the MachineConfig task."""
    assert "clusternet.fabric/" + owner in {m["manager"] for m in live["metadata"]["managedFields"]}
    assert engine.get("machineconfiguration.openshift.io/v1", "MachineConfig", machineconfig)
    order = [line for line in res.stdout.splitlines() if line.startswith("TASK [clusternet.fabric.%s :" % role)]
    assert order.index(next(t for t in order if "node disruption policy" in t)) < order.index(
        next(t for t in order if machineconfig_task in t)), order


ROLE_PLAY = """
- name: node_routes against the API server
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  roles:
    - role: clusternet.fabric.node_routes
      vars:
        node_routes_openshift_version: "4.17"
        node_routes_prune_set: dp-test
"""


def test_node_routes_role_puts_the_policy_in_before_and_takes_it_out_after(kube_api, cluster_object, tmp_path):
    auth = {"node_routes_host": kube_api.host, "node_routes_api_key": kube_api.token,
            "node_routes_ca_cert": kube_api.ca_cert}
    route = {"destination": "10.99.0.0/16", "gateway": "192.168.126.1"}
    inventory = {"all": {"vars": dict(auth, node_routes_routes={"worker": [route]})}}
    res, _out = inline_playbook.run(tmp_path, inventory, ROLE_PLAY)
    assert res.returncode == 0, res.stdout[-3000:]
    files, live = policy_files(cluster_object)
    assert files["/etc/clusternet/node-routes.d/worker.conf"] == RESTART and THEIRS["path"] in files, files
    policy_then_machineconfig(cluster_object, res, live, "dp-test", "node_routes", "99-worker-clusternet-routes",
                              "Apply the route MachineConfigs and delete")
    rerun, _out = inline_playbook.run(tmp_path, inventory, ROLE_PLAY)
    assert rerun.returncode == 0 and not re.search(r"changed=[1-9]", rerun.stdout), rerun.stdout[-3000:]

    inventory["all"]["vars"]["node_routes_routes"] = {}
    res, _out = inline_playbook.run(tmp_path, inventory, ROLE_PLAY)
    assert res.returncode == 0, res.stdout[-3000:]
    files, live = policy_files(cluster_object)
    assert files == {THEIRS["path"]: THEIRS["actions"]}, files
    assert cluster_object.get("machineconfiguration.openshift.io/v1", "MachineConfig", "99-worker-clusternet-routes") is None


def test_entries_two_owners_share_stay_until_the_last_goes(kube_api, cluster_object, tmp_path):
    """The masters' and workers' FRR MachineConfigs set the same entries: removing one
    owner's leaves them (the other still owns them), removing both takes them."""
    policy = frr_delivery.disruption_policy()
    args = {"openshift_version": "4.17", "files": policy["files"], "units": policy["units"]}
    play(kube_api, tmp_path, [dict(args, owner="99-worker-frr"), dict(args, owner="99-master-frr")])
    (gone_one,) = play(kube_api, tmp_path, [dict(args, owner="99-worker-frr", state="absent")])
    files, live = policy_files(cluster_object)
    wanted = {f["path"]: f["actions"] for f in policy["files"]}
    assert files[frr_delivery.BUNDLE_PATH] == wanted[frr_delivery.BUNDLE_PATH], files
    assert len(live["spec"]["nodeDisruptionPolicy"]["units"]) == 3
    holding = {m["manager"] for m in live["metadata"]["managedFields"] if m.get("fieldsV1", {}).get("f:spec")}
    assert "clusternet.fabric/99-worker-frr" not in holding, gone_one
    play(kube_api, tmp_path, [dict(args, owner="99-master-frr", state="absent")])
    files, live = policy_files(cluster_object)
    assert files == {THEIRS["path"]: THEIRS["actions"]} and not live["spec"]["nodeDisruptionPolicy"].get("units")


FRR_PLAY = """
- name: frr's MachineConfig delivery against the API server
  hosts: workers
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  roles:
    - role: clusternet.fabric.frr
      vars:
        frr_delivery: machineconfig
        frr_image: registry.example.local/frr/frr
        frr_machineconfig_state: "{{ state }}"
        frr_machineconfig_options: {openshift_version: "4.17", host: "%s", api_key: "%s", ca_cert: "%s"}
"""


def test_frr_role_puts_the_policy_in_with_its_machineconfig_and_takes_it_out_after(kube_api, cluster_object, tmp_path):
    from test_frr_role_machineconfig import inventory  # pylint: disable=import-error

    playbook = FRR_PLAY % (kube_api.host, kube_api.token, kube_api.ca_cert)
    inv = inventory()
    inv["all"]["vars"] = {"state": "present"}
    res, _out = inline_playbook.run(tmp_path, inv, playbook)
    assert res.returncode == 0, res.stdout[-3000:]
    files, live = policy_files(cluster_object)
    wanted = {f["path"]: f["actions"] for f in frr_delivery.disruption_policy()["files"]}
    assert {p: files.get(p) for p in wanted} == wanted and files[THEIRS["path"]] == THEIRS["actions"], files
    policy_then_machineconfig(cluster_object, res, live, "99-worker-frr", "frr", "99-worker-frr",
                              "Render or apply the MachineConfig")
    rerun, _out = inline_playbook.run(tmp_path, inv, playbook)
    assert rerun.returncode == 0 and not re.search(r"changed=[1-9]", rerun.stdout), rerun.stdout[-3000:]

    inv["all"]["vars"] = {"state": "absent"}
    res, _out = inline_playbook.run(tmp_path, inv, playbook)
    assert res.returncode == 0, res.stdout[-3000:]
    files, live = policy_files(cluster_object)
    assert files == {THEIRS["path"]: THEIRS["actions"]} and not live["spec"]["nodeDisruptionPolicy"].get("units"), files
    assert cluster_object.get("machineconfiguration.openshift.io/v1", "MachineConfig", "99-worker-frr") is None
