# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Benchmark: N MachineConfigs through clusternet.fabric.machineconfig (one task) vs
kubernetes.core.k8s (a loop, and one task with a list definition), each run twice, against
the real kube-apiserver fixture (tests/kube/kubeapi). Prints times and ratios (bench/run.py
prints the same rows with the others).

    . scripts/env.sh && python bench/machineconfig.py [N] [--skip-loop]     (default 50)

A benchmark, not a test: it asserts nothing beyond the runs succeeding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import collection_paths, row, table  # noqa: E402

sys.path[:0] = collection_paths()
from ansible_collections.clusternet.fabric.plugins.module_utils.render import machineconfig as mc  # noqa: E402


def specs(prefix, count):
    return [{"name": "99-worker-%s-%03d" % (prefix, i), "role": "worker",
             "files": [{"path": "/etc/bench/%03d.conf" % i, "contents": "value=%d\n" % i, "mode": "0644"}]}
            for i in range(count)]


def run_playbook(workdir, name, tasks, extra_vars):
    play = [{"name": name, "hosts": "localhost", "connection": "local", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": tasks}]
    path = os.path.join(workdir, name + ".yml")
    with open(path, "w") as handle:
        json.dump(play, handle)
    varsfile = os.path.join(workdir, name + ".vars.json")
    with open(varsfile, "w") as handle:
        json.dump(extra_vars, handle)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    began = time.monotonic()
    proc = subprocess.run(["ansible-playbook", "-i", "localhost,", path, "-e", "@" + varsfile],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - began
    if proc.returncode != 0:
        sys.exit("%s failed:\n%s\n%s" % (name, proc.stdout[-3000:], proc.stderr[-3000:]))
    return elapsed


def measure(count=500, loop=False):
    """Our module and kubernetes.core's list mode (and loop, when asked) on one API server,
    each run twice -> (rows for bench/run.py's table, the raw figures)."""
    workdir = tempfile.mkdtemp(prefix="mcfg-bench-")
    kubedir = os.path.join(workdir, "kubeapi")
    subprocess.run([os.path.join(ROOT, "tests/kube/kubeapi"), "start", kubedir], check=True, stdout=subprocess.DEVNULL)
    ours_task = {"name": "Apply with clusternet.fabric.machineconfig",
                 "clusternet.fabric.machineconfig": {"kubeconfig": None, "machineconfigs": "{{ bench_specs }}"}}
    try:
        kubeconfig = os.path.join(kubedir, "kubeconfig")
        ours_task["clusternet.fabric.machineconfig"]["kubeconfig"] = kubeconfig
        # Warm the fresh API server up (first requests after start are slow) before timing.
        run_playbook(workdir, "warmup", [ours_task], {"bench_specs": specs("warmup", 5)})
        figures = {"ours": run_playbook(workdir, "ours", [ours_task], {"bench_specs": specs("ours", count)})}
        if loop:
            loop_objects, _warnings = mc.render_machineconfigs(specs("loop", count))
            figures["loop"] = run_playbook(workdir, "k8s-loop", [{
                "name": "Apply with kubernetes.core.k8s in a loop",
                "kubernetes.core.k8s": {"kubeconfig": kubeconfig, "definition": "{{ item }}", "apply": True,
                                        "server_side_apply": {"field_manager": "bench"}},
                "loop": "{{ bench_objects }}"}], {"bench_objects": loop_objects})
        list_objects, _warnings = mc.render_machineconfigs(specs("list", count))
        list_task = [{"name": "Apply with kubernetes.core.k8s, one list definition",
                      "kubernetes.core.k8s": {"kubeconfig": kubeconfig, "definition": "{{ bench_objects }}", "apply": True,
                                              "server_side_apply": {"field_manager": "bench"}}}]
        figures["list"] = run_playbook(workdir, "k8s-list", list_task, {"bench_objects": list_objects})
        figures["again"] = run_playbook(workdir, "ours-again", [ours_task], {"bench_specs": specs("ours", count)})
        figures["list_again"] = run_playbook(workdir, "k8s-list-again", list_task, {"bench_objects": list_objects})
    finally:
        subprocess.run([os.path.join(ROOT, "tests/kube/kubeapi"), "stop", kubedir], check=False)
    rows = [row("machineconfig", "%d MachineConfigs, first run" % count, figures["ours"], anchor=figures["list"],
                anchor_name="k8s list", ratio=figures["ours"] / figures["list"], target="<= 0.6x of list mode",
                met=figures["ours"] / figures["list"] <= 0.6),
            row("machineconfig", "%d MachineConfigs, rerun" % count, figures["again"], anchor=figures["list_again"],
                anchor_name="k8s list", ratio=figures["again"] / figures["list_again"], target="<= 0.3x of list mode",
                met=figures["again"] / figures["list_again"] <= 0.3)]
    if loop:
        rows.append(row("machineconfig", "%d MachineConfigs vs the k8s loop" % count, figures["ours"],
                        anchor=figures["loop"], anchor_name="k8s loop", ratio=figures["loop"] / figures["ours"],
                        target=">= 15x faster", met=figures["loop"] / figures["ours"] >= 15))
    return rows, figures


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    skip_loop = "--skip-loop" in sys.argv  # the loop costs ~3 s per object
    count = int(args[0]) if args else 50
    rows, _figures = measure(count, loop=not skip_loop)
    print(table(rows))


if __name__ == "__main__":
    main()
