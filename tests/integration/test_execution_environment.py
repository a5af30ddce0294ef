# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment as AWX runs a job: scripts/build-ee builds the
image with ansible-builder (podman's layer cache keeps the Debian packages, so a
rebuild after a code change redoes only the collection stages), then
ansible-runner runs site.yml in rendered mode on each example inventory inside
it, with process isolation and no network at all. The test reads what the runner
wrote: the status, the rendered files, and the job events of the render tasks.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess

import pytest
import yaml

from test_example_inventories import fabric_rendered, openshift_rendered  # pylint: disable=import-error

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGE = "localhost/clusternet-ee:test"


@pytest.fixture(scope="module")
def image():
    proc = subprocess.run(["bash", "scripts/build-ee", IMAGE], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=3000)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return IMAGE


def run_job(tmp_path, inventory, extravars):
    """ansible-runner run, the way AWX runs a job in an EE: a private data directory
    with the inventory and the extra vars, the project (this checkout) mounted
    read-only; -> (private data dir, artifacts dir, job events)."""
    pdd = tmp_path / "job"
    shutil.copytree(os.path.join(ROOT, inventory), pdd / "inventory")
    (pdd / "env").mkdir(parents=True)
    (pdd / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    (pdd / "env" / "envvars").write_text(yaml.safe_dump({"ANSIBLE_NOCOLOR": "1"}))
    (pdd / "rendered").mkdir()  # the job's rendered files, under /runner (the private data dir)
    proc = subprocess.run(
        ["ansible-runner", "run", str(pdd), "-p", "site.yml", "--ident", "rendered",
         "--process-isolation", "--process-isolation-executable", "podman", "--container-image", IMAGE,
         "--container-volume-mount", ROOT + ":/runner/project:ro",
         # as root (the runner's artifacts directory is root's); no network: nothing is contacted
         "--container-option=--user=0", "--container-option=--network=none"],
        capture_output=True, text=True, check=False, timeout=900)
    artifacts = pdd / "artifacts" / "rendered"
    events = []
    for path in sorted(glob.glob(str(artifacts / "job_events" / "*.json")),
                       key=lambda p: int(os.path.basename(p).split("-", 1)[0])):
        with open(path) as f:
            events.append(json.load(f))
    return proc, pdd, artifacts, events


def extravars(settings):
    """test_example_inventories' -e settings as runner extra vars, for a job inside the EE."""
    out = {"ansible_connection": "local", "ansible_become": False, "ansible_python_interpreter": "/usr/bin/python3"}
    for item in settings:
        key, value = item.split("=", 1)
        out[key] = value.strip("'")
    return out


def ok_tasks(events, host=None):
    return [e["event_data"]["task"] for e in events
            if e["event"] == "runner_on_ok" and (host is None or e["event_data"]["host"] == host)]


def check_job(proc, artifacts, events):
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert (artifacts / "status").read_text() == "successful"
    assert (artifacts / "rc").read_text() == "0"
    stats = [e for e in events if e["event"] == "playbook_on_stats"]
    assert len(stats) == 1, [e["event"] for e in events]
    assert not stats[0]["event_data"]["failures"] and not stats[0]["event_data"]["dark"], stats
    assert not [e for e in events if e["event"] in ("runner_on_failed", "runner_on_unreachable")]


def test_site_rendered_in_the_ee_openshift(image, tmp_path):
    settings = openshift_rendered("/runner/rendered")
    settings = [s for s in settings if not s.startswith("haproxy_validate_command")]  # no network: nothing to hide
    proc, pdd, artifacts, events = run_job(tmp_path, "inventories/example-openshift", extravars(settings))
    check_job(proc, artifacts, events)
    tasks = ok_tasks(events, "jump-0")
    assert any(t.startswith("Render the dnsmasq files on the controller") for t in tasks), tasks
    assert "Render the HAProxy configuration to haproxy_rendered_path" in tasks, tasks
    rendered = pdd / "rendered"
    assert "backend ingress-https" in (rendered / "haproxy.cfg").read_text()
    assert "192.168.126.21" in (rendered / "cluster.hosts").read_text()
    # the files were checked by the EE's own haproxy and dnsmasq, as rendered mode does
    assert (artifacts / "command").exists() and IMAGE in (artifacts / "command").read_text()


def test_site_rendered_in_the_ee_fabric(image, tmp_path):
    proc, pdd, artifacts, events = run_job(tmp_path, "inventories/example-fabric",
                                           extravars(fabric_rendered("/runner/rendered")))
    check_job(proc, artifacts, events)
    assert any(t.startswith("Render only - every switch's frr.conf") for t in ok_tasks(events)), ok_tasks(events)
    assert "router bgp 65004" in (pdd / "rendered" / "tor-cumulus-1.frr.conf").read_text()
