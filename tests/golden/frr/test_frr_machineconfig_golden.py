# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Delivery (b): the pool-wide MachineConfig of seed 003 (golden file), its
spec.config through ignition-validate, every node's frr.conf through
vtysh -C, and the start-up selection script run for a known and an unknown
hostname."""

from __future__ import annotations

import base64
import json
import os
import subprocess

import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.machineconfig import render_machineconfig
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_delivery import machineconfig_spec

HERE = os.path.dirname(os.path.abspath(__file__))
CASE = os.path.join(HERE, "seed003")
EXPECTED = os.path.join(CASE, "expected", "machineconfig", "99-worker-frr.yaml")


def render(ignition_version=None):
    with open(os.path.join(CASE, "input.yml")) as f:
        data = yaml.safe_load(f)
    model = build_fabric(**data)
    spec = machineconfig_spec(model, role="worker", options={"image": "registry.example.local/frr/frr"})
    return render_machineconfig(spec, openshift_version="4.14", ignition_version=ignition_version)


def decode(source):
    header, _comma, payload = source.partition(",")
    assert header.endswith(";base64"), header
    return base64.b64decode(payload).decode()


def files_of(obj):
    return {f["path"]: f for f in obj["spec"]["config"]["storage"]["files"]}


def test_machineconfig_golden():
    text = yaml.safe_dump(render(), default_flow_style=False, sort_keys=True)
    if os.environ.get("UPDATE_GOLDEN"):
        os.makedirs(os.path.dirname(EXPECTED), exist_ok=True)
        with open(EXPECTED, "w") as f:
            f.write(text)
    with open(EXPECTED) as f:
        assert text == f.read(), "golden differs (UPDATE_GOLDEN=1 to regenerate)"


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
    assert "registry.example.local/frr/frr" in decode(files_of(obj)["/etc/frr/frr-container.env"]["contents"]["source"])


def test_every_node_conf_passes_vtysh(tmp_path):
    files = files_of(render())
    for host in ("c1", "c2", "c3"):
        conf = tmp_path / ("%s.conf" % host)
        conf.write_text(decode(files["/etc/frr/nodes/%s.conf" % host]["contents"]["source"]))
        res = subprocess.run(["vtysh", "-C", "-f", str(conf)], capture_output=True, text=True, check=False)
        assert res.returncode == 0, res.stdout + res.stderr
        assert ("hostname %s" % host) in conf.read_text()


def _run_select(tmp_path, hostname):
    """Run the shipped selection script against a copy of /etc/frr in tmp_path."""
    files = files_of(render())
    etc = tmp_path / "etc" / "frr"
    (etc / "nodes").mkdir(parents=True, exist_ok=True)
    for path, item in files.items():
        if path.startswith("/etc/frr/nodes/"):
            (etc / "nodes" / os.path.basename(path)).write_text(decode(item["contents"]["source"]))
    script = decode(files["/usr/local/bin/clusternet-frr-select"]["contents"]["source"])
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
    assert "router bgp 65002" in (etc / "frr.conf").read_text()
    assert "FRR_LOOPBACK=2.2.2.2/32" in (etc / "node.env").read_text()


def test_select_script_fails_loudly_for_unknown_node(tmp_path):
    res, etc = _run_select(tmp_path, "c9")
    assert res.returncode == 1
    assert "FATAL: no FRR config for hostname 'c9'" in res.stderr
    assert "known nodes: c1 c2 c3" in res.stderr
    assert not (etc / "frr.conf").exists()
