# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Golden files for the FRR configs of every router (UPDATE_GOLDEN=1
regenerates), each also checked by the real consumer: vtysh -C (FRR's own
parser), judged by its exit code and by every error line it prints."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import (
    render_daemons,
    render_node_conf,
    render_switch_conf,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_check import judge

import golden_files  # tests/golden/golden_files.py (conftest puts it on the path)

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = sorted(d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "input.yml")))


def load_case(case):
    """The model of a case: input.yml holds build_fabric's arguments."""
    with open(os.path.join(HERE, case, "input.yml")) as f:
        return build_fabric(**yaml.safe_load(f))


def render_case(case):
    model = load_case(case)
    files = {"nodes/%s.conf" % host: render_node_conf(model, host) for host in sorted(model["nodes"])}
    files["daemons"] = render_daemons(bfd=model["settings"]["bfd"])
    for name, switch in sorted(model["switches"].items()):
        files["%s/%s.conf" % ("tor" if switch["tier"] == "tor" else "spine", name)] = render_switch_conf(model, name)
    return files


def vtysh_accepts(path):
    """The real consumer: vtysh -C parses the golden file as FRR 8.4 would."""
    res = subprocess.run(["vtysh", "-C", "-f", str(path)], capture_output=True, text=True, check=False)
    errors = judge(res.returncode, res.stdout + res.stderr)
    assert not errors, "vtysh -C rejects %s: %s" % (path, errors)


@pytest.mark.parametrize("case", CASES)
def test_frr_golden(case):
    files = render_case(case)
    expected_dir = os.path.join(HERE, case, "expected")
    for relpath, text in files.items():
        golden_files.check(os.path.join(expected_dir, relpath), text,
                           vtysh_accepts if relpath.endswith(".conf") else None)
    on_disk = set()
    for root, _dirs, names in os.walk(expected_dir):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), expected_dir)
            if not rel.startswith("machineconfig"):
                on_disk.add(rel)
    assert on_disk == set(files), "stale or missing golden files: %s" % (on_disk ^ set(files))
