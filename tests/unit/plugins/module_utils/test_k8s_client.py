# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
import yaml
from kubernetes.client.rest import ApiException

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import (
    AUTH_ARG_SPEC,
    K8sError,
    KubeClient,
    Resource,
    build_api_client,
)


def test_auth_arg_spec():
    assert set(AUTH_ARG_SPEC) == {"kubeconfig", "context", "host", "api_key", "ca_cert", "validate_certs",
                                  "request_timeout", "request_retries"}
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
    client = KubeClient.from_params({"host": "https://127.0.0.1:%d" % port, "api_key": "x", "validate_certs": False,
                                     "request_retries": 2})
    delays = []
    client.sleep = delays.append
    with pytest.raises(K8sError, match=r"^cannot reach the Kubernetes API at https://127.0.0.1:%d: .*(refused|Connection).* \(3 attempts\)$" % port) as e:
        client.request("GET", "/version")
    assert e.value.transient and delays == [0.5, 1.0]


def test_tls_failure_is_unreachable():
    e = ApiException(status=0, reason="SSLError\n[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    with pytest.raises(K8sError, match=r"^cannot reach the Kubernetes API at https://10.9.9.9:6443: SSLError \[SSL: CERTIFICATE_VERIFY_FAILED\]"):
        Raising(e).request("GET", "/api/v1")


class Scripted(KubeClient):
    """call_api raising each of ``outcomes`` in turn (an exception), then answering ``{}``."""

    def __init__(self, outcomes, **kw):
        calls = self.calls = []

        class Response:
            data = b'{"kind": "Status"}'

        class Api:
            class configuration:
                host = "https://10.9.9.9:6443"

            @staticmethod
            def call_api(*a, **kwargs):
                calls.append(kwargs)
                if outcomes:
                    raise outcomes.pop(0)
                return Response()

        super().__init__(Api(), **kw)
        self.delays = []
        self.sleep = self.delays.append


def with_retry_after(e, value):
    e.headers = {"Retry-After": value}
    return e


def test_transient_answers_are_retried_with_backoff_and_retry_after():
    client = Scripted([api_exception(503, "Service Unavailable", {}),
                       with_retry_after(api_exception(429, "Too Many Requests", {}), "3"),
                       api_exception(502, "Bad Gateway", {})])
    assert client.request("PATCH", "/x") == {"kind": "Status"}
    assert client.delays == [0.5, 3.0, 2.0]
    assert len(client.calls) == 4


def test_retry_after_is_capped():
    client = Scripted([with_retry_after(api_exception(429, "Too Many Requests", {}), "3600")])
    client.request("GET", "/x")
    assert client.delays == [30.0]


def test_a_persistent_fault_fails_after_the_retries_naming_the_attempts():
    client = Scripted([api_exception(503, "Service Unavailable", {"message": "etcd leader changed"})] * 9, retries=4)
    with pytest.raises(K8sError, match=r"^GET /x: 503 etcd leader changed \(5 attempts\)$") as e:
        client.request("GET", "/x")
    assert e.value.status == 503 and client.delays == [0.5, 1.0, 2.0, 4.0]


def test_backoff_ceiling():
    client = Scripted([api_exception(500, "Internal", {})] * 7, retries=6)
    with pytest.raises(K8sError):
        client.request("GET", "/x")
    assert client.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


@pytest.mark.parametrize("exc", [
    api_exception(422, "Invalid", {"message": "bad"}),
    api_exception(409, "Conflict", {"message": "conflict"}),
    api_exception(404, "Not Found", {}),
    ApiException(status=0, reason="SSLError [SSL: CERTIFICATE_VERIFY_FAILED]"),
])
def test_answers_that_will_not_change_are_not_retried(exc):
    client = Scripted([exc] * 3)
    with pytest.raises(K8sError) as e:
        client.request("GET", "/x")
    assert not e.value.transient and client.delays == [] and len(client.calls) == 1
    assert "attempts" not in e.value.msg


def test_a_read_timeout_is_transient_and_named():
    import urllib3

    client = Scripted([urllib3.exceptions.ReadTimeoutError(None, "/x", "Read timed out.")] * 2, timeout=2.5, retries=1)
    with pytest.raises(K8sError, match=r"^no answer from the Kubernetes API at https://10.9.9.9:6443 within 2.5s \(GET /x\): .* \(2 attempts\)$"):
        client.request("GET", "/x")
    assert client.calls[0]["_request_timeout"] == (2.5, 2.5)


def test_every_request_has_a_connect_and_read_timeout():
    client = Scripted([], timeout=30)
    client.request("GET", "/x")
    assert client.calls[0]["_request_timeout"] == (10.0, 30.0)


def test_timeout_and_retries_from_params_are_checked():
    with pytest.raises(K8sError, match="request_timeout is 0"):
        KubeClient.from_params({"host": "https://127.0.0.1:1", "request_timeout": 0})
    with pytest.raises(K8sError, match="request_retries is -1"):
        KubeClient.from_params({"host": "https://127.0.0.1:1", "request_retries": -1})
    client = KubeClient.from_params({"host": "https://127.0.0.1:1", "request_timeout": 5, "request_retries": 1})
    assert (client.timeout, client.retries) == (5.0, 1)


def test_plain_http_with_a_token_is_refused(tmp_path):
    with pytest.raises(K8sError, match=r"host is 'http://10.0.0.1:6443': plain http:// with a token"):
        build_api_client({"host": "http://10.0.0.1:6443", "api_key": "tok"})
    kc = {"apiVersion": "v1", "kind": "Config", "clusters": [{"name": "a", "cluster": {"server": "http://10.0.0.1:8080"}}],
          "users": [{"name": "u", "user": {"token": "secret"}}],
          "contexts": [{"name": "c", "context": {"cluster": "a", "user": "u"}}], "current-context": "c"}
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(kc))
    with pytest.raises(K8sError, match="plain http:// with a token"):
        build_api_client({"kubeconfig": str(path)})
    # no token, no secret to leak: a local proxy (kubectl proxy) on http is fine
    assert build_api_client({"host": "http://127.0.0.1:8001"}).configuration.host == "http://127.0.0.1:8001"


def test_the_library_is_imported_only_to_talk_to_the_api():
    # rendered mode and failed checks never pay the library's import (about 0.25 s a module run)
    probe = ("import sys; import ansible_collections.clusternet.fabric.plugins.modules.{m}; "
             "print(sorted(n for n in sys.modules if n.split('.')[0] == 'kubernetes'))")
    for module in ("nad", "machineconfig", "node_disruption_policy", "pod_blocks"):
        out = subprocess.run([sys.executable, "-c", probe.format(m=module)], capture_output=True, text=True, check=True,
                             env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
        assert out.stdout.strip() == "[]", (module, out.stdout)
    build_api_client({"host": "https://127.0.0.1:1", "api_key": "tok"})
    assert "kubernetes.client" in sys.modules
