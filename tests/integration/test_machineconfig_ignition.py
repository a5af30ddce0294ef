# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Every MachineConfig we render meets the real ``ignition-validate``.

Debian's ignition-validate (2.14) knows Ignition specs up to 3.3.0. Configs
rendered at 3.4.0/3.5.0 (OpenShift 4.14+) are also rendered at 3.3.0 from the
same input and that one is validated: 3.4/3.5 only add fields we never emit,
and the renderer changes nothing but the version string between them (asserted
below).
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import node_routes as ir
from ansible_collections.clusternet.fabric.plugins.module_utils.render import machineconfig as mc

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
VALIDATOR_KNOWS = ("3.0.0", "3.1.0", "3.2.0", "3.3.0")

UNIT = "[Unit]\nDescription=x\n\n[Service]\nType=oneshot\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n"
RICH = {
    "name": "99-worker-rich", "role": "worker",
    "files": [{"path": "/etc/a.conf", "contents": "a=1\n", "mode": "0600"},
              {"path": "/usr/local/bin/b", "contents": "#!/bin/sh\n", "mode": 0o755},
              {"path": "/etc/c.bin", "contents_base64": "AAECAw==", "overwrite": False},
              {"path": "/etc/d", "overwrite": False}],
    "units": [{"name": "a.service", "enabled": True, "contents": UNIT,
               "dropins": [{"name": "10-a.conf", "contents": "[Service]\nEnvironment=A=1\n"}]},
              {"name": "b.timer", "enabled": False, "contents": "[Timer]\nOnCalendar=daily\n"},
              {"name": "debug-shell.service", "mask": True},
              {"name": "crio.service", "dropins": [{"name": "99-x.conf", "contents": "[Service]\nA=1\n"}]}],
    "routes": [{"destination": "192.168.1.0/24", "gateway": "172.18.0.1", "interface": "ens5"},
               {"destination": "fd00:1::/64", "gateway": "fd00::1", "metric": 10}],
    "kernel_arguments": ["nosmt"],
}


def validate(config, tmp_path, name="config.ign"):
    path = tmp_path / name
    path.write_text(json.dumps(config))
    return subprocess.run(["ignition-validate", str(path)], capture_output=True, text=True, timeout=60, check=False)


def assert_valid(config, tmp_path):
    version = config["ignition"]["version"]
    assert version in VALIDATOR_KNOWS, version
    result = validate(config, tmp_path)
    assert result.returncode == 0, "ignition-validate refused a %s config: %s%s" % (version, result.stdout, result.stderr)


def assert_valid_any_version(obj, tmp_path):
    """Validate ``obj``'s config; for 3.4.0/3.5.0 validate the same config at 3.3.0."""
    config = copy.deepcopy(obj["spec"]["config"])
    if config["ignition"]["version"] not in VALIDATOR_KNOWS:
        config["ignition"]["version"] = "3.3.0"
    assert_valid(config, tmp_path)


def golden_objects():
    for expected in sorted(GOLDEN.glob("machineconfig/*/expected.yaml")) + sorted(GOLDEN.glob("node_routes/*/expected.yaml")):
        doc = yaml.safe_load(expected.read_text())  # one object, or a v1 List of them
        for obj in (doc["items"] if doc.get("kind") == "List" else [doc]):
            yield pytest.param(obj, id="%s/%s/%s" % (expected.parent.parent.name, expected.parent.name, obj["metadata"]["name"]))


def test_the_validator_is_the_real_one(tmp_path):
    """It refuses what Ignition refuses, and 3.4.0 is unknown to it (hence the 3.3.0 re-render)."""
    bad = {"ignition": {"version": "3.2.0"}, "storage": {"files": [{"path": "/etc/../x", "overwrite": True}]}}
    result = validate(bad, tmp_path)
    assert result.returncode != 0 and "path is not fully simplified" in result.stdout + result.stderr
    result = validate({"ignition": {"version": "3.4.0"}}, tmp_path)
    assert result.returncode != 0 and "unsupported config version" in result.stdout + result.stderr


@pytest.mark.parametrize("obj", list(golden_objects()))
def test_golden_machineconfigs_pass_ignition_validate(obj, tmp_path):
    assert_valid_any_version(obj, tmp_path)


@pytest.mark.parametrize("openshift_version", ["4.6", "4.8", "4.13", "4.14", "4.18", "4.19", None])
def test_rich_machineconfig_passes_for_every_release(openshift_version, tmp_path):
    (obj,), _warnings = mc.render_machineconfigs([RICH], openshift_version)
    assert obj["spec"]["config"]["ignition"]["version"] == mc.ignition_version_for(openshift_version)
    if obj["spec"]["config"]["ignition"]["version"] in VALIDATOR_KNOWS:
        assert_valid(obj["spec"]["config"], tmp_path)
    else:
        # The same content rendered at 3.3.0 differs only in the version string.
        (at33,), _warnings = mc.render_machineconfigs([RICH], ignition_version="3.3.0")
        same = copy.deepcopy(obj["spec"]["config"])
        same["ignition"]["version"] = "3.3.0"
        assert at33["spec"]["config"] == same
        assert_valid(at33["spec"]["config"], tmp_path)


def test_node_routes_payload_for_every_pool_passes(tmp_path):
    specs = ir.machineconfig_specs({"worker": RICH["routes"], "master": RICH["routes"][:1], "infra": RICH["routes"]}, ["infra"])
    objects, _warnings = mc.render_machineconfigs(specs, "4.13")
    for obj in objects:
        assert_valid(obj["spec"]["config"], tmp_path)


# Rules Ignition itself enforces: our renderer refuses the input AND ignition-validate
# refuses the equivalent raw config, so the two agree.
RAW_BREAKS = [
    ("unclean path", {"files": [{"path": "/etc//x", "contents": "x"}]},
     {"storage": {"files": [{"path": "/etc//x", "contents": {"source": "data:,x"}}]}}),
    ("relative path", {"files": [{"path": "etc/x", "contents": "x"}]},
     {"storage": {"files": [{"path": "etc/x", "contents": {"source": "data:,x"}}]}}),
    ("overwrite without source", {"files": [{"path": "/etc/x", "overwrite": True}]},
     {"storage": {"files": [{"path": "/etc/x", "overwrite": True}]}}),
    ("duplicate path", {"files": [{"path": "/etc/x", "contents": "a"}, {"path": "/etc/x", "contents": "b"}]},
     {"storage": {"files": [{"path": "/etc/x", "contents": {"source": "data:,a"}},
                            {"path": "/etc/x", "contents": {"source": "data:,b"}}]}}),
    ("unit name suffix", {"units": [{"name": "hello", "contents": UNIT}]},
     {"systemd": {"units": [{"name": "hello", "contents": UNIT}]}}),
    ("duplicate unit", {"units": [{"name": "a.service", "contents": UNIT}, {"name": "a.service", "enabled": True}]},
     {"systemd": {"units": [{"name": "a.service", "contents": UNIT}, {"name": "a.service", "enabled": True}]}}),
    ("unit contents", {"units": [{"name": "a.service", "contents": "[Service\nA=1\n"}]},
     {"systemd": {"units": [{"name": "a.service", "contents": "[Service\nA=1\n"}]}}),
    ("duplicate drop-in", {"units": [{"name": "a.service", "dropins": [{"name": "a.conf", "contents": "[S]\nA=1\n"},
                                                                       {"name": "a.conf", "contents": "[S]\nA=2\n"}]}]},
     {"systemd": {"units": [{"name": "a.service", "dropins": [{"name": "a.conf", "contents": "[S]\nA=1\n"},
                                                              {"name": "a.conf", "contents": "[S]\nA=2\n"}]}]}}),
]


@pytest.mark.parametrize("what, spec, raw", RAW_BREAKS, ids=[b[0] for b in RAW_BREAKS])
def test_renderer_and_ignition_agree_on_refusals(what, spec, raw, tmp_path):
    with pytest.raises(checks.InputError):
        mc.render_machineconfig(dict(spec, name="99-worker-x", role="worker"), "4.13")
    config = dict(raw, ignition={"version": "3.2.0"})
    result = validate(config, tmp_path)
    assert result.returncode != 0, "ignition-validate accepted the %s case" % what
