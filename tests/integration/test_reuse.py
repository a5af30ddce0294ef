# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Selective reuse: other people's playbooks and inventories that take one
piece of the collection (tests/integration/reuse/): only the haproxy role
(rendered from a compact cluster's inventory, checked by haproxy -c), and only
the nad module (against the real kube-apiserver: applied, applied again with
no change, removed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REUSE = os.path.join(ROOT, "tests", "integration", "reuse")


def playbook(name, *args, inventory=None):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    cmd = ["ansible-playbook", os.path.join(REUSE, name), "-e", "ansible_python_interpreter=" + sys.executable]
    if inventory:
        cmd += ["-i", os.path.join(REUSE, inventory), "-e", "ansible_connection=local"]
    proc = subprocess.run(cmd + list(args), cwd=REUSE, env=env, capture_output=True, text=True,
                          check=False, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def changed(out):
    return sum(int(n) for n in re.findall(r"changed=(\d+)", out))


def test_haproxy_role_alone(tmp_path):
    cfg = tmp_path / "haproxy.cfg"
    rc, out = playbook("haproxy-only.yml", "-e", "out=%s" % cfg, inventory="haproxy-inventory.yml")
    assert rc == 0, out
    text = cfg.read_text()
    https = text.split("\nbackend ingress-https", 1)[1].split("\nbackend ", 1)[0]
    # a compact cluster: ingress on the control plane, no bootstrap any more
    assert re.findall(r"server (\S+)", https) == ["cp-0", "cp-1", "cp-2"], https
    assert "bootstrap" not in text
    # no network: no name lookup leaves the machine
    check = subprocess.run(["unshare", "-rn", "haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_nad_module_alone(kube_api):
    client = KubeClient.from_params(kube_api.auth)
    path = "/apis/k8s.cni.cncf.io/v1/namespaces/default/network-attachment-definitions"
    kubeconfig = "kubeconfig=%s" % kube_api.kubeconfig

    rc, out = playbook("nad-only.yml", "-e", kubeconfig)
    assert rc == 0, out
    assert changed(out) == 1, out
    names = sorted(i["metadata"]["name"] for i in client.request("GET", path)["items"])
    assert names == ["backup", "storage"], names

    rc, out = playbook("nad-only.yml", "-e", kubeconfig)
    assert rc == 0 and changed(out) == 0, out

    rc, out = playbook("nad-only.yml", "-e", kubeconfig, "-e", "nad_state=absent")
    assert rc == 0 and changed(out) == 1, out
    assert not client.request("GET", path)["items"]
