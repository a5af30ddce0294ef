# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Golden files for the FRR configs (UPDATE_GOLDEN=1 regenerates), each also
checked by the real consumer: vtysh -C (FRR's own parser)."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.frr_model import build_fabric
from ansible_collections.clusternet.fabric.plugins.module_utils.frr_render import (
    render_daemons,
    render_node_conf,
    render_tor_conf,
)

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = sorted(d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "input.yml")))


def render_case(case):
    with open(os.path.join(HERE, case, "input.yml")) as f:
        data = yaml.safe_load(f)
    model = build_fabric(data["nodes"], asn_base=data.get("asn_base"),
                         peer_asns={data["tor"]["name"]: data["tor"]["asn"]} if data.get("tor") else {})
    files = {}
    for host in sorted(model["nodes"]):
        files["nodes/%s.conf" % host] = render_node_conf(model, host, data.get("node_options"))
    files["daemons"] = render_daemons(bfd=bool((data.get("node_options") or {}).get("bfd")))
    if data.get("tor"):
        tor = data["tor"]
        files["tor/%s.conf" % tor["name"]] = render_tor_conf(model, tor["name"], tor["asn"], tor["loopback"],
                                                             tor.get("options"))
    return files


def check_golden(case, relpath, text):
    path = os.path.join(HERE, case, "expected", relpath)
    if os.environ.get("UPDATE_GOLDEN"):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    with open(path) as f:
        assert text == f.read(), "golden %s/%s differs (UPDATE_GOLDEN=1 to regenerate)" % (case, relpath)


@pytest.mark.parametrize("case", CASES)
def test_frr_golden(case):
    files = render_case(case)
    expected_dir = os.path.join(HERE, case, "expected")
    for relpath, text in files.items():
        check_golden(case, relpath, text)
        if relpath.endswith(".conf"):
            res = subprocess.run(["vtysh", "-C", "-f", os.path.join(expected_dir, relpath)],
                                 capture_output=True, text=True, check=False)
            assert res.returncode == 0, "vtysh -C rejects %s/%s: %s%s" % (case, relpath, res.stdout, res.stderr)
    on_disk = set()
    for root, _dirs, names in os.walk(expected_dir):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), expected_dir)
            if not rel.startswith("machineconfig"):
                on_disk.add(rel)
    assert on_disk == set(files), "stale or missing golden files: %s" % (on_disk ^ set(files))
