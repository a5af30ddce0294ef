# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Golden files of clusternet.fabric.machineconfig.

Each case directory holds input.yml (module parameters) and expected.yaml
(the MachineConfig, or a v1 List of them) plus expected.decoded.yaml (the
same with every data URL decoded, for review). The objects are rendered by the
module itself (state: rendered, ansible-playbook on localhost); the real
ignition-validate checks them in tests/integration/test_machineconfig_ignition.py.
UPDATE_GOLDEN=1 rewrites the expected files.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

import golden_files  # tests/golden/golden_files.py (conftest puts it on the path)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CASES = sorted(p.name for p in HERE.iterdir() if (p / "input.yml").is_file())


class _Literal(str):
    pass


def _literal(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")


yaml.SafeDumper.add_representer(_Literal, _literal)


def dump(objects):
    """One YAML document: the object, or a v1 List of them (as kubectl prints and applies it)."""
    doc = objects[0] if len(objects) == 1 else {"apiVersion": "v1", "kind": "List", "items": list(objects)}
    return yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=1000)


def decoded(objects):
    """The objects with data URLs decoded and unit texts as literal blocks."""
    out = copy.deepcopy(objects)
    for obj in out:
        config = obj["spec"]["config"]
        for item in config.get("storage", {}).get("files", []):
            source = item.get("contents", {}).get("source")
            if source:
                raw = base64.b64decode(source.split(";base64,", 1)[1])
                try:
                    item["contents"]["source"] = _Literal(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    item["contents"]["source"] = "<binary %d bytes>" % len(raw)
        for unit in config.get("systemd", {}).get("units", []):
            for holder in [unit] + unit.get("dropins", []):
                if "contents" in holder:
                    holder["contents"] = _Literal(holder["contents"])
    return dump(out)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("mcfg-golden")
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    result = subprocess.run(
        ["ansible-playbook", "-i", "localhost,", str(HERE / "render.yml"),
         "-e", json.dumps({"golden_cases": CASES, "golden_out": str(out)})],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return {case: json.loads((out / ("%s.json" % case)).read_text()) for case in CASES}


def compare(case_dir, objects):
    for name, text in (("expected.yaml", dump(objects)), ("expected.decoded.yaml", decoded(objects))):
        golden_files.check(case_dir / name, text)


@pytest.mark.parametrize("case", CASES)
def test_rendered_machineconfigs_match_golden(case, rendered):
    compare(HERE / case, rendered[case])
    for obj in rendered[case]:
        assert obj["apiVersion"] == "machineconfiguration.openshift.io/v1"
        assert obj["metadata"]["labels"]["machineconfiguration.openshift.io/role"]


def test_versions_follow_the_table(rendered):
    assert {o["spec"]["config"]["ignition"]["version"] for o in rendered["seed001-nmcli"]} == {"3.1.0"}
    assert {o["spec"]["config"]["ignition"]["version"] for o in rendered["basic"]} == {"3.4.0"}
    assert {o["spec"]["config"]["ignition"]["version"] for o in rendered["many"]} == {"3.5.0"}
