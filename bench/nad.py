# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Benchmark: N NetworkAttachmentDefinitions (macvlan + static IPAM) through
clusternet.fabric.nad (one task) versus kubernetes.core.k8s (a loop, or one task with a
definition list), each run twice, against the same real kube-apiserver (tests/kube/kubeapi).

    python bench/nad.py                      # 50 objects: module vs k8s loop (target >= 15x)
    python bench/nad.py --count 500 --anchor list   # 500: module vs list mode (targets <= 0.6x, rerun <= 0.3x)

Prints the wall time of each ansible-playbook run and the ratios, and the module's peak
resident memory (target <= 150 MB at 500 objects); bench/run.py prints the same rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import collection_paths, row, table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KUBEAPI = ROOT / "tests" / "kube" / "kubeapi"

MODULE_PLAY = """
- name: nad module, one task
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Apply all networks
      clusternet.fabric.nad:
        kubeconfig: "{{ kubeconfig }}"
        networks: "{{ networks }}"
"""

LOOP_PLAY = """
- name: kubernetes.core.k8s loop
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Apply one NAD per item
      kubernetes.core.k8s:
        kubeconfig: "{{ kubeconfig }}"
        state: present
        apply: true
        definition: "{{ item }}"
      loop: "{{ manifests }}"
"""

LIST_PLAY = """
- name: kubernetes.core.k8s definition list
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Apply all NADs in one task
      kubernetes.core.k8s:
        kubeconfig: "{{ kubeconfig }}"
        state: present
        apply: true
        definition: "{{ manifests }}"
"""


def networks(count, namespace):
    out = []
    for i in range(count):
        out.append({"name": "bench-%03d" % i, "namespace": namespace, "type": "macvlan", "master": "ens224",
                    "mode": "bridge", "ipam": {"type": "static", "addresses": [
                        {"address": "10.%d.%d.10/24" % (i // 250, i % 250), "gateway": "10.%d.%d.1" % (i // 250, i % 250)}]}})
    return out


def manifests(nets):
    sys.path[:0] = collection_paths()
    from ansible_collections.clusternet.fabric.plugins.module_utils.render.nad import render_networks
    return [n["object"] for n in render_networks(nets)]


def playbook(tmp, name, text, extra):
    play = Path(tmp) / (name + ".yml")
    play.write_text(text)
    extra_file = Path(tmp) / (name + "-vars.json")
    extra_file.write_text(json.dumps(dict(extra, ansible_python_interpreter=sys.executable)))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    began = time.monotonic()
    proc = subprocess.run(["ansible-playbook", "-i", "localhost,", "-c", "local", str(play), "-e", "@%s" % extra_file],
                          env=env, capture_output=True, text=True, check=False)
    took = time.monotonic() - began
    if proc.returncode != 0:
        sys.exit("%s failed:\n%s%s" % (name, proc.stdout[-3000:], proc.stderr[-3000:]))
    recap = [line for line in proc.stdout.splitlines() if line.startswith("localhost")][-1]
    return took, recap.split("changed=")[1].split()[0]


def peak_rss(kubeconfig, nets, tmp):
    """Peak resident memory (MB) of the nad module alone applying ``nets`` (no change to make),
    run as Ansible runs a module (its args file) in a process of its own."""
    args = Path(tmp) / "rss-args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {"kubeconfig": kubeconfig, "networks": nets}}))
    collections = os.pathsep.join(collection_paths())
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    env = dict(os.environ, PYTHONPATH=str(collections))
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m",
                          "ansible_collections.clusternet.fabric.plugins.modules.nad", str(args)],
                         env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024.0


def measure(count=500, anchor="list", kubeconfig=None):
    """Both runs of the module and of the anchor on one API server, and the module's peak
    memory -> (rows for bench/run.py's table, the raw runs)."""
    with tempfile.TemporaryDirectory(prefix="nad-bench-") as tmp:
        own_server = not kubeconfig
        if own_server:
            subprocess.run([str(KUBEAPI), "start", tmp + "/kube"], check=True, stdout=subprocess.DEVNULL)
            kubeconfig = tmp + "/kube/kubeconfig"
        try:
            ns_objs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}} for n in ("nad-bench-mod", "nad-bench-ref")]
            playbook(tmp, "ns", LIST_PLAY, {"kubeconfig": kubeconfig, "manifests": ns_objs})
            ours = networks(count, "nad-bench-mod")
            ref = manifests(networks(count, "nad-bench-ref"))
            runs = []
            for run in (1, 2):
                t_mod, c_mod = playbook(tmp, "module", MODULE_PLAY, {"kubeconfig": kubeconfig, "networks": ours})
                t_ref, c_ref = playbook(tmp, anchor, LOOP_PLAY if anchor == "loop" else LIST_PLAY,
                                        {"kubeconfig": kubeconfig, "manifests": ref})
                runs.append((run, t_mod, c_mod, t_ref, c_ref))
            rss = peak_rss(kubeconfig, ours, tmp)
        finally:
            if own_server:
                subprocess.run([str(KUBEAPI), "stop", tmp + "/kube"], check=False, stdout=subprocess.DEVNULL)
    name = "k8s loop" if anchor == "loop" else "k8s list"
    rows = []
    for run, t_mod, c_mod, t_ref, _c_ref in runs:
        what = "%d NADs, %s" % (count, "first run" if run == 1 else "rerun, changed=%s" % c_mod)
        if anchor == "loop":
            rows.append(row("nad", what, t_mod, anchor=t_ref, anchor_name=name, ratio=t_ref / t_mod,
                            target=">= 15x faster", met=t_ref / t_mod >= 15))
        else:
            limit = 0.6 if run == 1 else 0.3
            rows.append(row("nad", what, t_mod, anchor=t_ref, anchor_name=name, ratio=t_mod / t_ref,
                            target="<= %.1fx of list mode" % limit,
                            met=t_mod / t_ref <= limit and (run == 1 or c_mod == "0")))
    rows.append(row("nad", "module peak resident memory, %d NADs" % count, round(rss, 1), unit="MB",
                    target="<= 150 MB", met=rss <= 150))
    return rows, runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--anchor", choices=["loop", "list"], default="loop")
    parser.add_argument("--kubeconfig", help="use this API server instead of starting the fixture")
    args = parser.parse_args()
    rows, _runs = measure(args.count, args.anchor, args.kubeconfig)
    print(table(rows))


if __name__ == "__main__":
    main()
