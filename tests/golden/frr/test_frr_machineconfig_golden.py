# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Delivery (b): the pool-wide MachineConfig of seed 003 (golden file, and its
node bundle decompressed as a second, readable golden), its spec.config
through ignition-validate, every node's frr.conf out of the bundle through
vtysh -C, and the start-up selection script run for a known and an unknown
hostname, on the bundle as the MachineConfig carries it."""

from __future__ import annotations

import json
import os
import subprocess

import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.render.machineconfig import file_bytes, render_machineconfig
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import render_node_conf
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_delivery import (
    BUNDLE_PATH,
    SELECT_SCRIPT,
    machineconfig_spec,
)

import golden_files  # tests/golden/golden_files.py (conftest puts it on the path)

HERE = os.path.dirname(os.path.abspath(__file__))
CASE = os.path.join(HERE, "seed003")
EXPECTED = os.path.join(CASE, "expected", "machineconfig", "99-worker-frr.yaml")
EXPECTED_BUNDLE = os.path.join(CASE, "expected", "machineconfig", "nodes.bundle")


def model():
    with open(os.path.join(CASE, "input.yml")) as f:
        return build_fabric(**yaml.safe_load(f))


def render(ignition_version=None):
    spec = machineconfig_spec(model(), role="worker", options={"image": "registry.example.local/frr/frr"})
    return render_machineconfig(spec, openshift_version="4.14", ignition_version=ignition_version)


def decode(contents):
    return file_bytes(contents).decode()


def files_of(obj):
    return {f["path"]: f for f in obj["spec"]["config"]["storage"]["files"]}


def test_machineconfig_golden():
    obj = render()
    golden_files.check(EXPECTED, yaml.safe_dump(obj, default_flow_style=False, sort_keys=True))
    bundle = files_of(obj)[BUNDLE_PATH]["contents"]
    assert bundle["compression"] == "gzip"
    golden_files.check(EXPECTED_BUNDLE, decode(bundle))


def test_machineconfig_ignition_validate(tmp_path):
    # Debian's ignition-validate 2.14 knows specs up to 3.3.0; the golden one
    # (OpenShift 4.14: 3.4.0) differs only in the version string.
    obj = render(ignition_version="3.3.0")
    golden = render()
    assert golden["spec"]["config"]["ignition"]["version"] == "3.4.0"
    golden["spec"]["config"]["ignition"]["version"] = "3.3.0"
    assert golden == obj
    cfg = tmp_path / "config.ign"
    cfg.write_text(json.dumps(obj["spec"]["config"]))
    res = subprocess.run(["ignition-validate", str(cfg)], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert obj["metadata"]["labels"]["machineconfiguration.openshift.io/role"] == "worker"
    units = {u["name"]: u for u in obj["spec"]["config"]["systemd"]["units"]}
    assert set(units) == {"frr-select.service", "frr-loopback.service", "frr.service"}
    assert all(u["enabled"] for u in units.values())
    assert "registry.example.local/frr/frr" in decode(files_of(obj)["/etc/frr/frr-container.env"]["contents"])


def _run_select(tmp_path, hostname, bundle=True):
    """Run the shipped selection script against a copy of /etc/frr in tmp_path,
    the bundle decompressed as the machine-config daemon writes it."""
    files = files_of(render())
    etc = tmp_path / "etc" / "frr"
    etc.mkdir(parents=True, exist_ok=True)
    if bundle:
        (etc / os.path.basename(BUNDLE_PATH)).write_text(decode(files[BUNDLE_PATH]["contents"]))
    script = decode(files[SELECT_SCRIPT]["contents"])
    script = script.replace("/etc/frr", str(etc))
    shim = tmp_path / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "hostname").write_text("#!/bin/sh\necho %s\n" % hostname)
    os.chmod(shim / "hostname", 0o755)
    env = dict(os.environ, PATH="%s:%s" % (shim, os.environ["PATH"]))
    res = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, check=False)
    return res, etc


def test_select_script_installs_this_nodes_identity(tmp_path):
    res, etc = _run_select(tmp_path, "c2.test.example.local")
    assert res.returncode == 0, res.stderr
    # byte for byte what host delivery would write, and FRR takes it
    assert (etc / "frr.conf").read_text() == render_node_conf(model(), "c2")
    assert "FRR_LOOPBACK=2.2.2.2/32" in (etc / "node.env").read_text()
    res = subprocess.run(["vtysh", "-C", "-f", str(etc / "frr.conf")], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_node_conf_out_of_the_bundle_passes_vtysh(tmp_path):
    for host in ("c1", "c2", "c3"):
        res, etc = _run_select(tmp_path / host, host)
        assert res.returncode == 0, res.stderr
        text = (etc / "frr.conf").read_text()
        assert text == render_node_conf(model(), host)
        assert "hostname %s\n" % host in text
        assert "#@" not in text + (etc / "node.env").read_text()
        res = subprocess.run(["vtysh", "-C", "-f", str(etc / "frr.conf")], capture_output=True, text=True, check=False)
        assert res.returncode == 0, res.stdout + res.stderr


def test_select_script_fails_loudly_for_unknown_node(tmp_path):
    res, etc = _run_select(tmp_path, "c9")
    assert res.returncode == 1
    assert "FATAL: no FRR config for hostname 'c9'" in res.stderr
    assert "known nodes: c1 c2 c3" in res.stderr
    assert not (etc / "frr.conf").exists()


def test_select_script_fails_loudly_without_the_bundle(tmp_path):
    res, etc = _run_select(tmp_path, "c1", bundle=False)
    assert res.returncode == 1
    assert "FATAL: %s is missing" % (etc / "nodes.bundle") in res.stderr
    assert not (etc / "frr.conf").exists()
