# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Day-1 manifests: clusternet.fabric.machineconfig with install_dir, through ansible-playbook.

No cluster is contacted (no auth options are given at all); the manifest is
written where openshift-install picks it up, is idempotent, honours check
mode, and its spec.config passes the real ignition-validate.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_install_dir_manifests(tmp_path):
    install = tmp_path / "install"
    install.mkdir()
    args = {"install_dir": str(install), "name": "99-worker-motd", "openshift_version": "4.12",
            "files": [{"path": "/etc/motd", "contents": "hello\n"}]}
    changed = dict(args, files=[{"path": "/etc/motd", "contents": "changed\n"}])
    tasks = [
        {"name": "write", "clusternet.fabric.machineconfig": args},
        {"name": "write again", "clusternet.fabric.machineconfig": args},
        {"name": "change in check mode", "clusternet.fabric.machineconfig": changed, "check_mode": True, "diff": True},
    ]
    play = [{"name": "day 1", "hosts": "localhost", "connection": "local", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": tasks}]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
               KUBECONFIG=str(tmp_path / "no-such-kubeconfig"))
    proc = subprocess.run(["ansible-playbook", "-i", "localhost,", str(tmp_path / "play.yml")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    first, second, check = [t["hosts"]["localhost"] for t in json.loads(proc.stdout)["plays"][0]["tasks"]]

    manifest = install / "openshift" / "99_openshift-machineconfig_99-worker-motd.yaml"
    assert first["changed"] is True and first["manifests"] == [{"path": str(manifest), "action": "created"}]
    assert second["changed"] is False and second["manifests"][0]["action"] == "unchanged"
    assert check["changed"] is True and check["manifests"][0]["action"] == "updated"
    assert "aGVsbG8K" in check["diff"][0]["before"]  # base64 of "hello\n"
    obj = yaml.safe_load(manifest.read_text())
    assert obj["kind"] == "MachineConfig" and obj["spec"]["config"]["ignition"]["version"] == "3.2.0"
    assert "aGVsbG8K" in manifest.read_text()  # check mode wrote nothing
    config = tmp_path / "config.ign"
    config.write_text(json.dumps(obj["spec"]["config"]))
    result = subprocess.run(["ignition-validate", str(config)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
