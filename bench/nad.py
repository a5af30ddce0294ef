# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Benchmark: N NetworkAttachmentDefinitions (macvlan + static IPAM) through
clusternet.fabric.nad (one task) versus kubernetes.core.k8s (a loop, or one task with a
definition list), each run twice, against the same real kube-apiserver (tests/kube/kubeapi).

    python bench/nad.py                      # 50 objects: module vs k8s loop (target >= 15x)
    python bench/nad.py --count 500 --anchor list   # 500: module vs list mode (target <= 0.7x)

Prints the wall time of each ansible-playbook run and the ratios (see /work/shared/TARGETS.md).
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
    sys.path.insert(0, str(Path(os.environ.get("CLUSTERNET_CACHE", Path.home() / ".cache/clusternet-fabric")) / "collections"))
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--anchor", choices=["loop", "list"], default="loop")
    parser.add_argument("--kubeconfig", help="use this API server instead of starting the fixture")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="nad-bench-") as tmp:
        kubeconfig = args.kubeconfig
        if not kubeconfig:
            subprocess.run([str(KUBEAPI), "start", tmp + "/kube"], check=True, stdout=subprocess.DEVNULL)
            kubeconfig = tmp + "/kube/kubeconfig"
        try:
            ns_objs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}} for n in ("nad-bench-mod", "nad-bench-ref")]
            playbook(tmp, "ns", LIST_PLAY, {"kubeconfig": kubeconfig, "manifests": ns_objs})
            ours = networks(args.count, "nad-bench-mod")
            ref = manifests(networks(args.count, "nad-bench-ref"))
            rows = []
            for run in (1, 2):
                t_mod, c_mod = playbook(tmp, "module", MODULE_PLAY, {"kubeconfig": kubeconfig, "networks": ours})
                t_ref, c_ref = playbook(tmp, args.anchor, LOOP_PLAY if args.anchor == "loop" else LIST_PLAY,
                                        {"kubeconfig": kubeconfig, "manifests": ref})
                rows.append((run, t_mod, c_mod, t_ref, c_ref))
        finally:
            if not args.kubeconfig:
                subprocess.run([str(KUBEAPI), "stop", tmp + "/kube"], check=False, stdout=subprocess.DEVNULL)

    anchor = "kubernetes.core.k8s %s" % ("loop" if args.anchor == "loop" else "definition list")
    print("%d NetworkAttachmentDefinitions (macvlan + static), same kube-apiserver" % args.count)
    print("%-4s %22s %28s %8s" % ("run", "clusternet.fabric.nad", anchor, "ratio"))
    for run, t_mod, c_mod, t_ref, c_ref in rows:
        ratio = t_ref / t_mod if args.anchor == "loop" else t_mod / t_ref
        print("%-4d %14.2f s (ch=%s) %20.2f s (ch=%s) %7.2f%s" % (
            run, t_mod, c_mod, t_ref, c_ref, ratio, "x faster" if args.anchor == "loop" else "x of list"))
    target = ">= 15x faster than the loop" if args.anchor == "loop" else "<= 0.7x of list mode"
    print("target: %s; second run of the module must report changed=0" % target)


if __name__ == "__main__":
    main()
