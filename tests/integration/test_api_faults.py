# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bad day at the API: the machineconfig and nad modules, run as users run them,
talk to the real kube-apiserver through a fault-injecting proxy (fault_proxy.py).

- transient faults (503, 429 with Retry-After, a reset connection) are retried
  and the run succeeds;
- a persistent fault on one object fails the call before any write: the server
  holds none of its objects (the dry run first);
- a write failing between writes, and the API server going away mid-run, report
  what was written and what was not, and the next run converges;
- the real kube-apiserver stopped mid-run (between two writes): a clear error
  naming what was written, and the run after its restart converges;
- a stalled answer fails within the timeout instead of hanging.
The server's state is read directly, not through the proxy.
"""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient

sys.path.insert(0, os.path.dirname(__file__))
import inline_playbook  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

MC = ("machineconfiguration.openshift.io/v1", "MachineConfig")
NAD = ("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition")
NS = "faults"


@pytest.fixture(scope="module")
def proxy(kube_api):
    certs = os.path.join(kube_api.dir, "certs")
    fault = FaultProxy(kube_api.host, os.path.join(certs, "apiserver.crt"), os.path.join(certs, "apiserver.key"),
                       kube_api.ca_cert).start()
    yield fault
    fault.stop()


@pytest.fixture
def faults(proxy):
    if proxy.server is None:
        proxy.start()
    proxy.clear()
    yield proxy
    proxy.stopping.set()  # release a stalled handler
    proxy.stopping.clear()


@pytest.fixture(scope="module")
def server(kube_api):
    """The real server, not through the proxy."""
    applier = Applier(KubeClient.from_params(kube_api.auth))
    applier.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    return applier


def auth(kube_api, proxy, **extra):
    return dict(kube_api.auth, host=proxy.host, **extra)


def mcs(prefix, count=3):
    return [{"name": "99-worker-%s-%s" % (prefix, chr(97 + i)), "role": "worker",
             "files": [{"path": "/etc/%s-%d" % (prefix, i), "contents": "%s %d\n" % (prefix, i)}]}
            for i in range(count)]


def run_mc(kube_api, proxy, tmp_path, machineconfigs, **extra):
    (result,) = inline_playbook.module_tasks(
        tmp_path, "clusternet.fabric.machineconfig",
        [{"machineconfigs": machineconfigs, "openshift_version": "4.14"}], auth(kube_api, proxy, **extra))
    return result


def present(server, kind, names, namespace=None):
    return [n for n in names if server.get(kind[0], kind[1], n, namespace) is not None]


def names_of(specs):
    return [s["name"] for s in specs]


def test_transient_faults_are_retried_and_the_run_succeeds(kube_api, faults, server, tmp_path):
    specs = mcs("transient")
    faults.add("503", method="PATCH", path="/machineconfigs/", nth=1)
    faults.add("429", method="PATCH", path="/machineconfigs/", nth=3, retry_after=1)
    faults.add("reset", method="PATCH", path="/machineconfigs/", nth=5)
    began = time.monotonic()
    result = run_mc(kube_api, faults, tmp_path, specs)
    assert not result.get("failed"), result
    assert [r["action"] for r in result["results"]] == ["created"] * 3
    assert present(server, MC, names_of(specs)) == names_of(specs)
    fired = [entry[3] for entry in faults.log if entry[3] != "forwarded"]
    assert fired == ["503", "429", "reset"], faults.log
    assert time.monotonic() - began >= 1.0  # Retry-After: 1 was honoured
    # and the rerun reads only
    faults.clear()
    again = run_mc(kube_api, faults, tmp_path, specs)
    assert again["changed"] is False
    assert not [e for e in faults.log if e[0] == "PATCH"], faults.log


def test_a_persistent_fault_fails_the_call_before_any_write(kube_api, faults, server, tmp_path):
    specs = mcs("persistent")
    faults.add("503", method="PATCH", path="/machineconfigs/99-worker-persistent-b", times=None)
    result = run_mc(kube_api, faults, tmp_path, specs, request_retries=2)
    assert result.get("failed"), result
    assert "MachineConfig 99-worker-persistent-b: PATCH" in result["msg"], result["msg"]
    assert "503 injected 503 (3 attempts)" in result["msg"], result["msg"]
    assert "nothing of this call was written" in result["msg"], result["msg"]
    assert result["changed"] is False and result["results"] == []
    assert result["not_written"] == ["MachineConfig %s" % n for n in names_of(specs)]
    assert present(server, MC, names_of(specs)) == []  # all or nothing: nothing
    assert not [e for e in faults.log if e[0] == "PATCH" and not e[2]], "a real write was sent"


def test_the_nad_module_is_all_or_nothing_too(kube_api, faults, server, tmp_path):
    networks = [{"name": "fault-%s" % n, "namespace": NS, "type": "macvlan", "master": "ens224",
                 "ipam": {"type": "static"}, "capabilities": {"ips": True}} for n in ("x", "y", "z")]
    faults.add("503", method="PATCH", path="/network-attachment-definitions/fault-y", times=None)
    (result,) = inline_playbook.module_tasks(tmp_path, "clusternet.fabric.nad", [{"networks": networks}],
                                             auth(kube_api, faults, request_retries=1))
    assert result.get("failed"), result
    assert "nad: NetworkAttachmentDefinition faults/fault-y" in result["msg"], result["msg"]
    assert "nothing of this call was written" in result["msg"], result["msg"]
    assert result["not_written"] == ["NetworkAttachmentDefinition faults/fault-%s" % n for n in ("x", "y", "z")]
    assert present(server, NAD, ["fault-x", "fault-y", "fault-z"], NS) == []
    faults.clear()
    (result,) = inline_playbook.module_tasks(tmp_path, "clusternet.fabric.nad", [{"networks": networks}],
                                             auth(kube_api, faults))
    assert result["changed"] is True and present(server, NAD, ["fault-x", "fault-y", "fault-z"], NS) == [
        "fault-x", "fault-y", "fault-z"]


def test_a_write_failing_between_writes_reports_what_was_written_and_the_rerun_converges(kube_api, faults, server, tmp_path):
    specs = mcs("between")
    # the dry runs pass; the real write of b fails every time
    faults.add("503", method="PATCH", path="/machineconfigs/99-worker-between-b", dry_run=False, times=None)
    result = run_mc(kube_api, faults, tmp_path, specs, request_retries=1)
    assert result.get("failed"), result
    assert result["changed"] is True
    assert [(r["name"], r["action"]) for r in result["results"]] == [("99-worker-between-a", "created")]
    assert result["not_written"] == ["MachineConfig 99-worker-between-b", "MachineConfig 99-worker-between-c"]
    assert present(server, MC, names_of(specs)) == ["99-worker-between-a"]
    faults.clear()
    again = run_mc(kube_api, faults, tmp_path, specs)
    assert [(r["name"], r["action"]) for r in again["results"]] == [
        ("99-worker-between-a", "unchanged"), ("99-worker-between-b", "created"), ("99-worker-between-c", "created")]
    assert run_mc(kube_api, faults, tmp_path, specs)["changed"] is False


def test_the_api_server_going_away_mid_run(kube_api, faults, server, tmp_path):
    specs = mcs("gone")
    # the second real write: the connection is reset and the address stops answering
    faults.add("gone", method="PATCH", path="/machineconfigs/", dry_run=False, nth=2)
    result = run_mc(kube_api, faults, tmp_path, specs, request_retries=2)
    assert result.get("failed"), result
    assert "cannot reach the Kubernetes API at %s" % faults.host in result["msg"], result["msg"]
    assert "(3 attempts)" in result["msg"], result["msg"]
    assert [(r["name"], r["action"]) for r in result["results"]] == [("99-worker-gone-a", "created")]
    assert result["not_written"] == ["MachineConfig 99-worker-gone-b", "MachineConfig 99-worker-gone-c"]
    faults.start()  # the API is back
    faults.clear()
    again = run_mc(kube_api, faults, tmp_path, specs)
    assert not again.get("failed"), again
    assert present(server, MC, names_of(specs)) == names_of(specs)


def stop_apiserver(kube_api):
    """Stop the real kube-apiserver (etcd keeps running); returns its command line."""
    pidfile = os.path.join(kube_api.dir, "apiserver.pid")
    with open(pidfile) as f:
        pid = int(f.read())
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        argv = [a.decode() for a in f.read().split(b"\0") if a]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while os.path.exists("/proc/%d" % pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists("/proc/%d" % pid), "kube-apiserver did not stop"
    return argv


def start_apiserver(kube_api, argv):
    """Start it again on the same port, certificates and etcd; wait until it is ready."""
    with open(os.path.join(kube_api.dir, "apiserver.log"), "ab") as log:
        proc = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    with open(os.path.join(kube_api.dir, "apiserver.pid"), "w") as f:
        f.write("%d\n" % proc.pid)
    ctx = ssl.create_default_context(cafile=kube_api.ca_cert)
    request = urllib.request.Request(kube_api.host + "/readyz", headers={"Authorization": "Bearer " + kube_api.token})
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(request, context=ctx, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        assert proc.poll() is None, "kube-apiserver exited on restart"
        assert time.monotonic() < deadline, "kube-apiserver not ready again"
        time.sleep(0.2)


def test_the_real_api_server_stopped_mid_run(kube_api, faults, server, tmp_path):
    specs = mcs("stopped")
    stopped = {}
    # the second real write reaches a server that was just stopped
    faults.add("forward", method="PATCH", path="/machineconfigs/", dry_run=False, nth=2,
               action=lambda: stopped.update(argv=stop_apiserver(kube_api)))
    try:
        result = run_mc(kube_api, faults, tmp_path, specs, request_retries=1)
    finally:
        if "argv" in stopped:
            start_apiserver(kube_api, stopped["argv"])
    assert stopped, "the rule never fired"
    assert result.get("failed"), result
    assert "cannot reach the Kubernetes API at %s" % faults.host in result["msg"], result["msg"]
    assert [(r["name"], r["action"]) for r in result["results"]] == [("99-worker-stopped-a", "created")]
    assert result["not_written"] == ["MachineConfig 99-worker-stopped-b", "MachineConfig 99-worker-stopped-c"]
    # what the server holds is exactly what the module reported
    assert present(server, MC, names_of(specs)) == ["99-worker-stopped-a"]
    faults.clear()
    again = run_mc(kube_api, faults, tmp_path, specs)
    assert not again.get("failed") and again["changed"], again
    assert present(server, MC, names_of(specs)) == names_of(specs)
    assert run_mc(kube_api, faults, tmp_path, specs)["changed"] is False


def test_a_stalled_answer_fails_within_the_timeout(kube_api, faults, server, tmp_path):
    specs = mcs("stalled", count=1)
    faults.add("stall", method="GET", times=None, stall=120)
    began = time.monotonic()
    result = run_mc(kube_api, faults, tmp_path, specs, request_timeout=1, request_retries=1)
    elapsed = time.monotonic() - began
    assert result.get("failed"), result
    assert "no answer from the Kubernetes API at %s within 1.0s" % faults.host in result["msg"], result["msg"]
    assert "(2 attempts)" in result["msg"], result["msg"]
    # 2 x 1 s and a 0.5 s backoff, plus ansible-playbook's start: far from the 120 s stall
    assert elapsed < 30, elapsed
    assert present(server, MC, names_of(specs)) == []


def test_a_rerun_of_500_objects_only_lists(kube_api, faults, server, tmp_path):
    """Issue 13: the rerun reads one LIST per kind and namespace, and writes nothing;
    counted at the wire (the proxy's log), against the real API server."""
    namespaces = ["rerun-a", "rerun-b"]
    for ns in namespaces:
        server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    networks = [{"name": "net-%03d" % i, "namespace": namespaces[i % 2], "type": "macvlan", "master": "eth0",
                 "ipam": {"type": "static", "addresses": [{"address": "10.7.%d.%d/16" % (i // 250, i % 250 + 1)}]}}
                for i in range(500)]

    def run_nad():
        (result,) = inline_playbook.module_tasks(tmp_path, "clusternet.fabric.nad", [{"networks": networks}],
                                                 auth(kube_api, faults))
        return result

    first = run_nad()
    assert not first.get("failed") and first["changed"], first.get("msg")
    faults.clear()  # empties the log too
    again = run_nad()
    assert not again.get("failed") and again["changed"] is False, again.get("msg")
    assert {r["action"] for r in again["results"]} == {"unchanged"} and len(again["results"]) == 500
    nads = [(method, path) for method, path, _dry, _outcome in faults.log if "/network-attachment-definitions" in path]
    assert sorted(nads) == [("GET", "/apis/k8s.cni.cncf.io/v1/namespaces/%s/network-attachment-definitions" % ns)
                            for ns in namespaces], nads
    writes = [entry for entry in faults.log if entry[0] not in ("GET", "HEAD")]
    assert writes == [], writes
