# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The frr role's MachineConfig delivery end to end through ansible-playbook
(state: rendered, offline): seed 003's inventory gives the same object as
the golden file, and bad input stops the role before anything is rendered."""

from __future__ import annotations

import json
import os
import sys

import pytest
import yaml

sys.path.insert(0, os.path.dirname(__file__))
import inline_playbook  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "tests", "golden", "frr", "seed003", "expected", "machineconfig", "99-worker-frr.yaml")

PLAYBOOK = """
- name: Render the FRR MachineConfig
  hosts: workers
  gather_facts: false
  roles:
    - role: clusternet.fabric.frr
      vars:
        frr_delivery: machineconfig
        frr_image: registry.example.local/frr/frr
        frr_machineconfig_options: {openshift_version: "4.14"}
  post_tasks:
    - name: Save the rendered object
      ansible.builtin.copy:
        content: "{{ frr_machineconfig.machineconfigs | to_json }}"
        dest: "{{ out }}"
        mode: "0644"
      delegate_to: localhost
      run_once: true
    - name: Save the rendered node disruption policy
      ansible.builtin.copy:
        content: "{{ frr_disruption_policy.manifest | to_json }}"
        dest: "{{ out }}.policy"
        mode: "0644"
      delegate_to: localhost
      run_once: true
"""


def inventory(c2_overrides=None):
    hosts = {}
    for i, (name, block) in enumerate((("c1", "10.1.8.192/26"), ("c2", "10.1.71.192/26"), ("c3", "10.1.240.0/26")), 1):
        hosts[name] = {"ansible_connection": "local", "frr_asn": 65000 + i, "frr_loopback": "%d.%d.%d.%d/32" % ((i,) * 4),
                       "frr_uplinks": [{"name": "ens3", "tor": "tor-cumulus-1", "tor_port": "swp%d" % i}],
                       "frr_pod_blocks": [block]}
    hosts["c2"].update(c2_overrides or {})
    return {"all": {"children": {"masters": {"hosts": {"c1": hosts["c1"]}},
                                 "workers": {"hosts": {"c2": hosts["c2"], "c3": hosts["c3"]}},
                                 "tors": {"hosts": {"tor-cumulus-1": {"frr_asn": 65004,
                                                                      "frr_loopback": "4.4.4.4/32"}}}}}}


def run(tmp_path, inv):
    return inline_playbook.run(tmp_path, inv, PLAYBOOK)


def test_role_renders_the_golden_machineconfig(tmp_path):
    res, out = run(tmp_path, inventory())
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    objs = json.loads(out.read_text())
    assert len(objs) == 1
    with open(GOLDEN) as f:
        golden = yaml.safe_load(f)
    obj = objs[0]
    # the module adds its managed-by/prune-set labels; the config is the golden one
    assert obj["metadata"]["name"] == golden["metadata"]["name"]
    assert obj["spec"] == golden["spec"]
    # rendered mode also returns the node disruption policy: every file of the object has an entry
    policy = json.loads((tmp_path / "out.json.policy").read_text())
    assert (policy["kind"], policy["metadata"]["name"]) == ("MachineConfiguration", "cluster")
    paths = {f["path"] for f in policy["spec"]["nodeDisruptionPolicy"]["files"]}
    assert paths == {f["path"] for f in obj["spec"]["config"]["storage"]["files"]}


def test_role_rejects_a_bad_loopback_before_rendering(tmp_path):
    res, out = run(tmp_path, inventory({"frr_loopback": "2.2.2.0/24"}))
    assert res.returncode != 0
    assert "frr_loopback of c2 is '2.2.2.0/24': must be a single address (/32)" in res.stdout
    assert not out.exists()


def model_play(name, hosts, play="", role_vars="", then=""):
    """A play on ``hosts`` whose first task is the frr role's model.yml (with ``role_vars``),
    the play keys ``play`` and the tasks ``then`` (YAML, indented as written here) added."""
    return """
- name: %s
  hosts: %s
  gather_facts: false
%s  tasks:
    - name: The fabric model
      ansible.builtin.include_role:
        name: clusternet.fabric.frr
        tasks_from: model.yml
%s%s""" % (name, hosts, play, role_vars, then)


RECORD_BATCH = """\
    - name: Record the model this batch has
      ansible.builtin.lineinfile:
        path: "{{ out }}"
        line: "{{ inventory_hostname }} {{ frr_fabric.nodes | list | sort | join(',') }}"
        create: true
        mode: "0644"
      delegate_to: localhost
"""


def task_outcomes(stdout, name):
    """The result lines (ok/skipping/...) under every banner of the task ``name``."""
    blocks = stdout.split("\nTASK [")[1:]
    return [[line.split(":")[0] for line in block.splitlines()[1:] if line.startswith(("ok:", "skipping:", "changed:"))]
            for block in blocks if block.startswith(name + "]")]


@pytest.mark.parametrize("order, batches", [("inventory", ("c1", "c2", "c3")), ("reverse_inventory", ("c3", "c2", "c1"))])
def test_a_serial_play_builds_the_model_once_and_every_batch_has_it(tmp_path, order, batches):
    playbook = model_play("The servers in batches of one, as playbooks/fabric.yml rolls them out", "masters:workers",
                          play="  serial: 1\n  order: %s\n" % order, then=RECORD_BATCH)
    res, out = inline_playbook.run(tmp_path, inventory(), playbook)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    # the first batch builds it, in any order; the later ones take it from there
    assert task_outcomes(res.stdout, "clusternet.fabric.frr : Build and validate the fabric model") == [["ok"], ["skipping"], ["skipping"]]
    assert task_outcomes(res.stdout, "clusternet.fabric.frr : Take the run's fabric model") == [["skipping"], ["ok"], ["ok"]]
    assert out.read_text().splitlines() == ["%s c1,c2,c3" % host for host in batches]


PLAYS = (
    model_play("The switches' side builds the model", "tors")
    + model_play("The servers' side, same inputs, takes it", "workers")
    + model_play("A play with another setting builds its own", "workers",
                 role_vars="      vars:\n        frr_bfd: true\n", then="""\
    - name: Record what this play's model says
      ansible.builtin.copy:
        content: "{{ frr_fabric.settings.bfd }} {{ hostvars[hostvars['localhost'].frr_fabric_run.host].frr_fabric.settings.bfd }}"
        dest: "{{ out }}"
        mode: "0644"
      delegate_to: localhost
      run_once: true
"""))


def test_the_model_is_built_once_per_run_and_again_when_its_inputs_differ(tmp_path):
    res, out = inline_playbook.run(tmp_path, inventory(), PLAYS)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert task_outcomes(res.stdout, "clusternet.fabric.frr : Build and validate the fabric model") == [["ok"], ["skipping"], ["ok"]]
    assert task_outcomes(res.stdout, "clusternet.fabric.frr : Take the run's fabric model") == [["skipping"], ["ok"], ["skipping"]]
    # and it is the run's model from then on
    assert out.read_text() == "True True"
