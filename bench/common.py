# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""What the benchmarks share: the floor F and the rows of the one table bench/run.py prints.

A row: the benchmark, what was measured, our seconds (or another unit), the anchor's
figure from the same run when there is one, the ratio, the target and whether it is met.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def collection_paths():
    """Where ``ansible_collections.clusternet.fabric`` is imported from: this checkout's own
    link first (scripts/env.sh's ANSIBLE_COLLECTIONS_PATH), else the shared one."""
    shared = os.path.join(os.environ.get("CLUSTERNET_CACHE") or os.path.expanduser("~/.cache/clusternet-fabric"),
                          "collections")
    return [p for p in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep) if p] or [shared]


def floor(runs=3):
    """F: the wall time of ansible-playbook with one debug task on localhost (median of ``runs``)."""
    with tempfile.TemporaryDirectory(prefix="clusternet-floor-") as tmp:
        play = Path(tmp) / "floor.yml"
        play.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: msg=F\n")
        env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_LOCALHOST_WARNING="0")
        times = []
        for _run in range(runs):
            start = time.monotonic()
            subprocess.run(["ansible-playbook", "-i", "localhost,", "-c", "local", str(play)], env=env,
                           capture_output=True, check=True)
            times.append(time.monotonic() - start)
    return statistics.median(times)


def row(bench, what, ours, unit="s", anchor=None, anchor_name=None, ratio=None, target="", met=None):
    return {"bench": bench, "what": what, "ours": ours, "unit": unit, "anchor": anchor,
            "anchor_name": anchor_name, "ratio": ratio, "target": target, "met": met}


def table(rows, f=None):
    """The one table: every figure, its anchor and ratio, the target and whether it is met."""
    lines = []
    if f:
        lines.append("floor F (ansible-playbook, one debug task, median of 3): %.2f s" % f)
    head = "%-13s %-44s %12s %9s %26s %8s  %-28s %s" % (
        "benchmark", "figure", "ours", "x F", "anchor (same run)", "ratio", "target", "met")
    lines += [head, "-" * len(head)]
    for r in rows:
        ours = "%.2f %s" % (r["ours"], r["unit"]) if isinstance(r["ours"], float) else "%s %s" % (r["ours"], r["unit"])
        xf = "%.1f F" % (r["ours"] / f) if f and r["unit"] == "s" else ""
        anchor = "%.2f s %s" % (r["anchor"], r["anchor_name"]) if r["anchor"] is not None else ""
        ratio = "%.2fx" % r["ratio"] if r["ratio"] is not None else ""
        met = {True: "yes", False: "NO", None: ""}[r["met"]]
        lines.append("%-13s %-44s %12s %9s %26s %8s  %-28s %s" % (
            r["bench"], r["what"], ours, xf, anchor, ratio, r["target"], met))
    return "\n".join(lines)
