# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Every benchmark, one table: our figure, its anchor's from the same run, the ratio,
the target (shared TARGETS.md, issue 13) and whether it is met. Absolute times differ by
about 1.5x between machines: the Ansible-bound figures are also printed as multiples of
the floor F (ansible-playbook with one debug task, measured first, in the same run).

    . scripts/env.sh && python bench/run.py                 # all: render nad machineconfig frr lab
    python bench/run.py render nad                          # some of them

Each benchmark also runs alone (bench/<name>.py or .sh). Run them on an idle machine:
they start their own API server, containers and lab, and tear them down.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import floor, row, table  # noqa: E402


def shell(script, *args):
    proc = subprocess.run(["bash", str(HERE / script)] + list(args), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit("%s failed:\n%s%s" % (script, proc.stdout[-3000:], proc.stderr[-3000:]))
    return proc.stdout


def frr(_f):
    out = shell("frr_establish.sh", "3")
    start = float(re.search(r"frr_establish: mean ([0-9.]+)s", out).group(1))
    killed = float(re.search(r"frr_kill: .*: ([0-9.]+)s", out).group(1))
    return [row("frr", "unit start -> all sessions Established", start, target="<= 3 s", met=start <= 3),
            row("frr", "container killed -> Established again", killed, target="<= 5 s", met=killed <= 5)]


def lab(f):
    out = shell("lab.sh")
    first = float(re.search(r"first converge .*?: +([0-9.]+) s", out).group(1))
    rerun = float(re.search(r"idempotent rerun .*?: +([0-9.]+) s", out).group(1))
    changed = re.search(r"changed=([0-9]+)", out).group(1)
    return [row("lab", "first converge (lab up + site.yml)", first, target="<= 75 F", met=first <= 75 * f),
            row("lab", "idempotent rerun, changed=%s" % changed, rerun, anchor=first, anchor_name="first",
                ratio=rerun / first, target="<= 20 F and <= 0.25x first",
                met=rerun <= 20 * f and rerun / first <= 0.25 and changed == "0")]


def render(f):
    import render as bench
    return bench.measure((500, 1000), f)


def nad(_f):
    import nad as bench
    return bench.measure(500, "list")[0]


def machineconfig(_f):
    import machineconfig as bench
    return bench.measure(500)[0]


BENCHMARKS = {"render": render, "nad": nad, "machineconfig": machineconfig, "frr": frr, "lab": lab}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run: %s (default: all)" % " ".join(BENCHMARKS))
    names = parser.parse_args().names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error("no benchmark %s; there are %s" % (", ".join(unknown), ", ".join(BENCHMARKS)))
    f = floor()
    rows = []
    for name in names:
        rows += BENCHMARKS[name](f)
        print(table(rows, f), end="\n\n", flush=True)  # a long run shows what it has so far


if __name__ == "__main__":
    main()
