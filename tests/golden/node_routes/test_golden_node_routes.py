# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Golden files of the node_routes role.

Each case directory holds input.yml (role variables) and expected.yaml (the
MachineConfigs the role renders, node_routes_state: rendered, through
ansible-playbook) plus expected.decoded.yaml (data URLs decoded). The real
ignition-validate checks them in tests/integration/test_machineconfig_ignition.py,
and the node side runs in tests/integration/test_node_routes_node.py.
UPDATE_GOLDEN=1 rewrites the expected files.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CASES = sorted(p.name for p in HERE.iterdir() if (p / "input.yml").is_file())

_spec = importlib.util.spec_from_file_location(
    "mcfg_golden_helpers", HERE.parent / "machineconfig" / "test_golden_machineconfig.py")
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)


def render(case_dir, dest, extra=None):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    cmd = ["ansible-playbook", "-i", "localhost,", str(HERE / "render.yml"),
           "-e", "@%s" % (case_dir / "input.yml"), "-e", "golden_out=%s" % dest]
    if extra:
        cmd += ["-e", json.dumps(extra)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each case rendered once by the role (ansible-playbook is the slow part)."""
    cache = {}

    def get(case):
        if case not in cache:
            out = tmp_path_factory.mktemp("mcfg-routes") / "out.json"
            result = render(HERE / case, out)
            assert result.returncode == 0, result.stdout + result.stderr
            cache[case] = json.loads(out.read_text())
        return cache[case]
    return get


@pytest.mark.parametrize("case", CASES)
def test_role_renders_golden_machineconfigs(case, rendered):
    objects = rendered(case)
    helpers.compare(HERE / case, objects)
    for obj in objects:
        pool = obj["metadata"]["labels"]["machineconfiguration.openshift.io/role"]
        assert obj["metadata"]["name"] == "99-%s-clusternet-routes" % pool
        assert obj["metadata"]["labels"]["clusternet.fabric/prune-set"] == "node-routes"


def test_seed001_routes_file(rendered):
    (obj,) = rendered("seed001")
    assert obj["spec"]["config"]["ignition"]["version"] == "3.1.0"
    files = {f["path"]: f for f in obj["spec"]["config"]["storage"]["files"]}
    text = helpers.base64.b64decode(files["/etc/clusternet/node-routes.d/worker.conf"]["contents"]["source"]
                                    .split(";base64,", 1)[1]).decode()
    assert text.splitlines()[-1] == "192.168.1.0/24 172.18.0.1 ens5 0"


@pytest.mark.parametrize("routes, message", [
    ({"worker": [{"destination": "192.168.1.0/33", "gateway": "172.18.0.1"}]},
     "node_routes_routes.worker[0].destination is '192.168.1.0/33'"),
    ({"compute": [{"destination": "192.168.1.0/24", "gateway": "172.18.0.1"}]}, "node_routes_routes is 'compute': unknown pool; known: master, worker"),
])
def test_bad_input_is_refused_with_field_and_value(routes, message, tmp_path):
    """Through the role (the other input checks are unit tests of render/node_routes.py)."""
    out = tmp_path / "out.json"
    result = render(HERE / "seed001", out, {"node_routes_routes": routes})
    text = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert message in text, text[-2000:]
    assert not out.exists()
