# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The multus role's Kubernetes path against the real kube-apiserver: the manifests are
accepted, a second run changes nothing, bad networks fail before any change, and
multus_state=absent removes Multus and starts the node cleanup DaemonSet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient

ROOT = Path(__file__).resolve().parents[2]
PLAY = """
- name: multus role
  hosts: localhost
  gather_facts: false
  roles:
    - role: clusternet.fabric.multus
"""


def run_role(kube_api, tmp_path, **extra):
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    extra = dict({"ansible_python_interpreter": sys.executable, "multus_kubeconfig": kube_api.kubeconfig,
                  "multus_platform": "kubernetes"}, **extra)
    (tmp_path / "vars.json").write_text(json.dumps(extra))
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    proc = subprocess.run(["ansible-playbook", "-i", "localhost,", "-c", "local", str(play),
                           "-e", "@%s" % (tmp_path / "vars.json")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    recap = [line for line in proc.stdout.splitlines() if line.startswith("localhost")]
    changed = int(recap[-1].split("changed=")[1].split()[0]) if recap else None
    return proc.returncode, changed, proc.stdout + proc.stderr


NETS = [{"name": "nad-multus-br", "namespace": "default", "type": "bridge", "bridge": "test-br",
         "ipam": {"type": "host-local", "subnet": "192.168.1.0/24", "range_start": "192.168.1.100",
                  "range_end": "192.168.1.200"}}]


def multus_may(api, verb, resource, group):
    """SubjectAccessReview for the multus ServiceAccount: does RBAC allow verb on resource?"""
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
              "spec": {"user": "system:serviceaccount:kube-system:multus",
                       "groups": ["system:serviceaccounts", "system:serviceaccounts:kube-system"],
                       "resourceAttributes": {"verb": verb, "group": group, "resource": resource,
                                              "namespace": "default"}}}
    answer = api.client.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body=review)
    return answer["status"].get("allowed", False)


def test_multus_role_kubernetes_apply_twice_then_absent(kube_api, tmp_path):
    api = Applier(KubeClient.from_params({"kubeconfig": kube_api.kubeconfig}))
    ds = ("apps/v1", "DaemonSet")

    bad = NETS + [{"name": "nad-multus-bad", "type": "macvlan", "ipam": {"type": "dhcp"}}]
    rc, _changed, out = run_role(kube_api, tmp_path, multus_networks=bad)
    assert rc != 0 and "networks[1] (nad-multus-bad).config.master" in out, out[-2000:]
    assert api.get(*ds, "kube-multus-ds", "kube-system") is None  # failed before any change

    rc, changed, out = run_role(kube_api, tmp_path, multus_networks=NETS)
    assert rc == 0, out[-3000:]
    assert changed >= 2
    live = api.get(*ds, "kube-multus-ds", "kube-system")
    pod = live["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "multus"
    assert pod["containers"][0]["resources"] == {"requests": {"cpu": "100m", "memory": "50Mi"},
                                                 "limits": {"cpu": "100m", "memory": "50Mi"}}
    assert pod["initContainers"][0]["resources"]["limits"] == {"cpu": "50m", "memory": "50Mi"}
    for kind, name, ns in (("ServiceAccount", "multus", "kube-system"), ("ConfigMap", "multus-config", "kube-system")):
        assert api.get("v1", kind, name, ns) is not None
    assert api.get("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "multus") is not None
    # least privilege, asked of the API server's own RBAC: Multus may read NADs, never write them
    for verb, allowed in (("get", True), ("list", True), ("watch", True), ("create", False), ("delete", False),
                          ("update", False)):
        assert multus_may(api, verb, "network-attachment-definitions", "k8s.cni.cncf.io") is allowed, verb
    assert multus_may(api, "update", "pods", "") is True and multus_may(api, "delete", "pods", "") is False
    assert api.get("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", "nad-multus-br", "default") is not None
    version = live["metadata"]["resourceVersion"]

    rc, changed, out = run_role(kube_api, tmp_path, multus_networks=NETS)
    assert rc == 0 and changed == 0, out[-3000:]
    assert api.get(*ds, "kube-multus-ds", "kube-system")["metadata"]["resourceVersion"] == version

    rc, changed, out = run_role(kube_api, tmp_path, multus_networks=NETS, multus_state="absent")
    assert rc == 0 and changed >= 1, out[-3000:]
    assert api.get(*ds, "kube-multus-ds", "kube-system") is None
    assert api.get("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", "nad-multus-br", "default") is None
    cleanup = api.get(*ds, "multus-node-cleanup", "kube-system")
    script = cleanup["spec"]["template"]["spec"]["containers"][0]["command"][2]
    assert "/host/etc/cni/net.d/00-multus.conf" in script and "/host/opt/cni/bin/multus" in script
    # The CRD stays unless multus_remove_crd (it would delete every NAD of the cluster).
    assert api.get("apiextensions.k8s.io/v1", "CustomResourceDefinition",
                   "network-attachment-definitions.k8s.cni.cncf.io") is not None
    # the role's kubernetes.core tasks made it, not our engine: cleaning up is taking it over
    Applier(api.client, force=True).delete(*ds, "multus-node-cleanup", "kube-system")
