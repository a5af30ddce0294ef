# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped collection on its own: the built tarball and its dependencies (as
tarballs made from the collections installed here) install offline into an empty
collections path; ansible-doc documents every module and role from there; and
site.yml, as installed, renders both example inventories with nothing of the
checkout on the path (no ansible.cfg, no symlink, no sys.path collections).
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
import subprocess
import sys
import tarfile

import yaml

sys.path.insert(0, os.path.dirname(__file__))
from test_example_inventories import fabric_rendered, openshift_rendered  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.listdir(os.path.join(ROOT, "roles")))
MODULES = sorted(os.path.splitext(m)[0] for m in os.listdir(os.path.join(ROOT, "plugins", "modules")) if m.endswith(".py"))


def _tarballs_script():
    """scripts/collection-tarballs.py, which packs the dependencies (the EE build uses it too)."""
    spec = importlib.util.spec_from_file_location("collection_tarballs",
                                                  os.path.join(ROOT, "scripts", "collection-tarballs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dependency_tarball = _tarballs_script().dependency_tarball


def isolated_env(tmp_path, collections):
    cfg = tmp_path / "ansible.cfg"
    cfg.write_text("[defaults]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(ANSIBLE_CONFIG=str(cfg), ANSIBLE_COLLECTIONS_PATH=str(collections),
               ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_NOCOLOR="1",
               ANSIBLE_HOME=str(tmp_path / "home"), ANSIBLE_CALLBACK_RESULT_FORMAT="json")
    return env


def run(args, env, cwd):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, "%s: %s %s" % (args, proc.stdout[-4000:], proc.stderr[-4000:])
    return proc.stdout


def test_the_tarball_installs_offline_with_its_dependencies_and_runs_from_there(tmp_path):
    with open(os.path.join(ROOT, "galaxy.yml")) as f:
        galaxy = yaml.safe_load(f)
    dist = tmp_path / "dist"
    dist.mkdir()
    collections = tmp_path / "collections"
    env = isolated_env(tmp_path, collections)
    run(["ansible-galaxy", "collection", "build", "--output-path", str(dist), ROOT], env, str(tmp_path))
    (ours,) = glob.glob(str(dist / "clusternet-fabric-*.tar.gz"))
    with tarfile.open(ours) as tar:
        shipped = tar.getnames()
    # the lab (test tooling) is not shipped, and what is shipped refers to nothing left out
    assert not [n for n in shipped if n.startswith(("tests/lab", "inventories/lab", "scripts/"))]
    for name in shipped:
        if name.startswith(("playbooks/", "roles/")) and "/molecule/" not in name and name.endswith((".yml", ".j2")):
            with tarfile.open(ours) as tar:
                text = tar.extractfile(name).read().decode()
            assert not re.search(r"\b(scripts|tests)/", text), name
    deps = [dependency_tarball(fqcn, str(dist)) for fqcn in sorted(galaxy["dependencies"])]
    run(["ansible-galaxy", "collection", "install", "--offline", "-p", str(collections), ours] + deps,
        env, str(tmp_path))

    listed = run(["ansible-galaxy", "collection", "list", "--format", "json", "-p", str(collections)], env, str(tmp_path))
    found = {name for path in json.loads(listed).values() for name in path}
    assert found >= {"clusternet.fabric", *galaxy["dependencies"]}, found

    # every module and role documents itself from the installed copy
    for module in MODULES:
        doc = run(["ansible-doc", "clusternet.fabric.%s" % module], env, str(tmp_path))
        assert "clusternet.fabric.%s" % module in doc, doc
    for role in ROLES:
        out = run(["ansible-doc", "-t", "role", "clusternet.fabric.%s" % role], env, str(tmp_path))
        assert re.search(r"ENTRY POINT: \W*main\b", out), out

    # site.yml as installed, both example inventories, in rendered mode
    installed = collections / "ansible_collections" / "clusternet" / "fabric"
    base = ["ansible-playbook", "-v", "-i", None, str(installed / "site.yml"),
            "-e", "ansible_connection=local", "-e", "ansible_become=false",
            "-e", "ansible_python_interpreter=" + sys.executable]
    openshift = list(base)
    openshift[3] = str(installed / "inventories" / "example-openshift")
    for setting in openshift_rendered(tmp_path):
        openshift += ["-e", setting]
    run(openshift, env, str(tmp_path))
    assert "frontend api" in (tmp_path / "haproxy.cfg").read_text()
    assert "hostsdir=" in (tmp_path / "dnsmasq.conf").read_text()
    fabric = list(base)
    fabric[3] = str(installed / "inventories" / "example-fabric")
    for setting in fabric_rendered(tmp_path):
        fabric += ["-e", setting]
    out = run(fabric, env, str(tmp_path))
    assert re.search(r'"?configs"?: 3\b', out) and re.search(r'"?checker_runs"?: 1\b', out), out[-3000:]
    assert "router bgp 65004" in (tmp_path / "tor-cumulus-1.frr.conf").read_text()
