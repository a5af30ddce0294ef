# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import socket

import pytest
import yaml
from kubernetes.client.rest import ApiException

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s_client import (
    AUTH_ARG_SPEC,
    K8sError,
    KubeClient,
    Resource,
    build_api_client,
)


def test_auth_arg_spec():
    assert set(AUTH_ARG_SPEC) == {"kubeconfig", "context", "host", "api_key", "ca_cert", "validate_certs"}
    assert AUTH_ARG_SPEC["api_key"]["no_log"] is True


def test_build_from_host_token_ca(tmp_path):
    ca = tmp_path / "ca.crt"
    ca.write_text("x")
    client = build_api_client({"host": "https://127.0.0.1:1", "api_key": "tok", "ca_cert": str(ca), "validate_certs": True})
    c = client.configuration
    assert c.host == "https://127.0.0.1:1"
    assert c.api_key == {"authorization": "Bearer tok"}
    assert c.ssl_ca_cert == str(ca) and c.verify_ssl is True


def test_build_from_kubeconfig_with_context(tmp_path):
    kc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": "a", "cluster": {"server": "https://10.0.0.1:6443", "insecure-skip-tls-verify": True}},
            {"name": "b", "cluster": {"server": "https://10.0.0.2:6443"}},
        ],
        "users": [{"name": "u", "user": {"token": "secret"}}],
        "contexts": [{"name": "ca", "context": {"cluster": "a", "user": "u"}}, {"name": "cb", "context": {"cluster": "b", "user": "u"}}],
        "current-context": "ca",
    }
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(kc))
    a = build_api_client({"kubeconfig": str(path)}).configuration
    assert a.host == "https://10.0.0.1:6443" and a.verify_ssl is False  # the kubeconfig decides
    assert build_api_client({"kubeconfig": str(path), "validate_certs": True}).configuration.verify_ssl is True
    c = build_api_client({"kubeconfig": str(path), "context": "cb"}).configuration
    assert c.host == "https://10.0.0.2:6443"
    assert c.api_key["authorization"] == "Bearer secret"
    with pytest.raises(K8sError, match="cannot load kubeconfig .* \\(context nope\\)"):
        build_api_client({"kubeconfig": str(path), "context": "nope"})
    with pytest.raises(K8sError, match="kubeconfig /nonexistent does not exist"):
        build_api_client({"kubeconfig": "/nonexistent"})


def test_resource_paths():
    cm = Resource("v1", "ConfigMap", "configmaps", True)
    assert cm.path("x", "ns") == "/api/v1/namespaces/ns/configmaps/x"
    assert cm.path(None, None) == "/api/v1/configmaps"
    mc = Resource("machineconfiguration.openshift.io/v1", "MachineConfig", "machineconfigs", False)
    assert mc.path("m", "ignored") == "/apis/machineconfiguration.openshift.io/v1/machineconfigs/m"


class Discovering(KubeClient):
    def __init__(self, docs):
        self.host = "https://fake"
        self._groups = {}
        self.docs = docs
        self.asked = []

    def request(self, method, path, query=None, body=None, content_type=None):
        self.asked.append(path)
        if path not in self.docs:
            raise K8sError("404", status=404)
        return self.docs[path]


def test_discovery_once_per_group_version_and_skips_subresources():
    c = Discovering(
        {
            "/apis/k8s.cni.cncf.io/v1": {
                "resources": [
                    {"name": "network-attachment-definitions", "kind": "NetworkAttachmentDefinition", "namespaced": True},
                    {"name": "network-attachment-definitions/status", "kind": "NetworkAttachmentDefinition", "namespaced": True},
                ]
            }
        }
    )
    r = c.resource("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition")
    assert (r.plural, r.namespaced) == ("network-attachment-definitions", True)
    c.resource("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition")
    assert c.asked == ["/apis/k8s.cni.cncf.io/v1"]
    missing = r"^the API server has no MachineConfig \(machineconfiguration.openshift.io/v1\): is this an OpenShift cluster / is the CRD installed\?$"
    with pytest.raises(K8sError, match=missing):
        c.resource("machineconfiguration.openshift.io/v1", "MachineConfig")
    with pytest.raises(K8sError, match="has no Other"):
        c.resource("k8s.cni.cncf.io/v1", "Other")
    c.invalidate("k8s.cni.cncf.io/v1")
    c.resource("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition")
    assert c.asked.count("/apis/k8s.cni.cncf.io/v1") == 2


class Raising(KubeClient):
    """call_api raising what the kubernetes library raises."""

    def __init__(self, exc):
        class Api:
            class configuration:
                host = "https://10.9.9.9:6443"

            @staticmethod
            def call_api(*a, **kw):
                raise exc

        super().__init__(Api())


def api_exception(status, reason, body):
    e = ApiException(status=status, reason=reason)
    e.body = json.dumps(body)
    return e


def test_401_403_and_other_errors():
    with pytest.raises(K8sError, match=r"authentication failed at the Kubernetes API https://10.9.9.9:6443 \(401 Unauthorized\)") as e:
        Raising(api_exception(401, "Unauthorized", {"message": "Unauthorized"})).request("GET", "/api/v1")
    assert e.value.status == 401
    with pytest.raises(K8sError, match=r"not allowed by the Kubernetes API .* \(403 Forbidden\): configmaps is forbidden"):
        Raising(api_exception(403, "Forbidden", {"message": "configmaps is forbidden"})).request("GET", "/api/v1/configmaps")
    with pytest.raises(K8sError, match="PATCH /x: 422 bad field") as e:
        Raising(api_exception(422, "Invalid", {"message": "bad field", "code": 422})).request("PATCH", "/x")
    assert e.value.body["code"] == 422


def test_unreachable_api_real_socket():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    client = KubeClient.from_params({"host": "https://127.0.0.1:%d" % port, "api_key": "x", "validate_certs": False})
    with pytest.raises(K8sError, match=r"^cannot reach the Kubernetes API at https://127.0.0.1:%d: .*(refused|Connection)" % port):
        client.request("GET", "/version")


def test_tls_failure_is_unreachable():
    e = ApiException(status=0, reason="SSLError\n[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    with pytest.raises(K8sError, match=r"^cannot reach the Kubernetes API at https://10.9.9.9:6443: SSLError \[SSL: CERTIFICATE_VERIFY_FAILED\]"):
        Raising(e).request("GET", "/api/v1")
