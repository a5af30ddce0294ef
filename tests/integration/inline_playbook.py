# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a playbook written by a test against an inventory written by the test."""

from __future__ import annotations

import json
import os
import subprocess

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(tmp_path, inventory, playbook):
    """ansible-playbook with tmp_path/inv.yml and tmp_path/pb.yml; the playbook gets
    ``out`` = tmp_path/out.json. Returns (CompletedProcess, path of out.json)."""
    (tmp_path / "inv.yml").write_text(yaml.safe_dump(inventory))
    (tmp_path / "pb.yml").write_text(playbook)
    out = tmp_path / "out.json"
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    res = subprocess.run(["ansible-playbook", "-i", str(tmp_path / "inv.yml"), str(tmp_path / "pb.yml"),
                          "-e", "out=%s" % out], capture_output=True, text=True, env=env, timeout=300, check=False)
    return res, out


def module_tasks(tmp_path, module, tasks, auth=None, flags=()):
    """Run ``tasks`` of ``module`` in one playbook on localhost, as users run it; return
    the per-task results (the json callback's). A task is the module's args (a dict) or a
    full task; ``auth`` is merged into the args of tasks that talk to the cluster.
    A failed task ends the play: its result is the last one."""
    full = []
    for index, task in enumerate(tasks):
        if module not in task:
            task = {module: task}
        args = task[module]
        if auth and args.get("state") != "rendered" and "install_dir" not in args:
            args = dict(auth, **args)
        full.append(dict(task, **{"name": "task %d" % index, module: args}))
    playbook = [{"name": "module test", "hosts": "localhost", "connection": "local", "gather_facts": False,
                 "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": full}]
    path = tmp_path / ("play-%d.yml" % len(list(tmp_path.glob("play-*.yml"))))
    path.write_text(yaml.safe_dump(playbook, sort_keys=False))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
               ANSIBLE_CALLBACK_RESULT_FORMAT="json", ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["ansible-playbook", "-i", "localhost,", str(path)] + list(flags),
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError("ansible-playbook output is not JSON: %s %s" % (proc.stdout[-3000:], proc.stderr[-3000:]))
    return [t["hosts"]["localhost"] for t in out["plays"][0]["tasks"]]
