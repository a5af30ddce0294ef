# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory stand-in for the Kubernetes API at the KubeClient.request seam.

Enough server-side apply behaviour for the engine's logic: create on PATCH,
merge of maps, resourceVersion bumped only on a real change, dryRun, label
selectors, DELETE, PUT with optimistic concurrency, and injectable conflicts.
The real behaviour is proven in tests/integration/test_k8s_engine.py.
Other unit tests may use it: ``from test_k8s_fake import FakeKube``.
"""

from __future__ import annotations

import copy

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError, KubeClient, Resource, missing_kind_message

RESOURCES = {
    ("v1", "ConfigMap"): Resource("v1", "ConfigMap", "configmaps", True),
    ("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition"): Resource(
        "k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", "network-attachment-definitions", True
    ),
    ("machineconfiguration.openshift.io/v1", "MachineConfig"): Resource("machineconfiguration.openshift.io/v1", "MachineConfig", "machineconfigs", False),
    ("operator.openshift.io/v1", "Network"): Resource("operator.openshift.io/v1", "Network", "networks", False),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"): Resource(
        "apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", False
    ),
}

PLURALS = {r.plural for r in RESOURCES.values()}


def merge(live, patch):
    out = copy.deepcopy(live)
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


class FakeKube(KubeClient):
    def __init__(self):
        self.host = "https://fake:6443"
        self._groups = {}
        self.store = {}  # path -> object
        self.rv = 100
        self.calls = []
        self.conflicts = {}  # path -> (manager, field)
        self.put_conflicts = 0  # how many PUTs answer 409 before one succeeds

    def resource(self, api_version, kind):
        try:
            return RESOURCES[(api_version, kind)]
        except KeyError:
            raise K8sError(missing_kind_message(kind, api_version), status=404)

    def invalidate(self, api_version=None):
        self.calls.append(("INVALIDATE", api_version))

    def _next_rv(self):
        self.rv += 1
        return str(self.rv)

    def request(self, method, path, query=None, body=None, content_type=None):
        query = query or {}
        self.calls.append((method, path, dict(query)))
        dry = query.get("dryRun") == "All"
        if method == "GET":
            if path in self.store:
                return copy.deepcopy(self.store[path])
            head, _sep, last = path.rpartition("/")
            if last in PLURALS and head.rpartition("/")[2] not in PLURALS:
                items = [copy.deepcopy(o) for p, o in sorted(self.store.items()) if p.rsplit("/", 1)[0] == path or self._in_collection(p, path)]
                sel = query.get("labelSelector")
                if sel:
                    want = dict(kv.split("=", 1) for kv in sel.split(","))
                    items = [o for o in items if all((o["metadata"].get("labels") or {}).get(k) == v for k, v in want.items())]
                for o in items:
                    o.pop("apiVersion", None)
                    o.pop("kind", None)
                return {"items": items}
            raise K8sError("GET %s: 404 not found" % path, status=404)
        if method == "PATCH":
            assert content_type == "application/apply-patch+yaml"
            assert query.get("fieldManager")
            if path in self.conflicts and query.get("force") != "true":
                manager, field = self.conflicts[path]
                body = {
                    "kind": "Status",
                    "code": 409,
                    "reason": "Conflict",
                    "message": 'Apply failed with 1 conflict: conflict with "%s": %s' % (manager, field),
                    "details": {"causes": [{"reason": "FieldManagerConflict", "message": 'conflict with "%s"' % manager, "field": field}]},
                }
                raise K8sError("PATCH %s: 409" % path, status=409, body=body)
            live = self.store.get(path)
            if live is None:
                new = copy.deepcopy(body)
                new["metadata"]["uid"] = "uid-" + path
                new["metadata"]["resourceVersion"] = "0"
                new["metadata"]["managedFields"] = [{"manager": query["fieldManager"], "operation": "Apply", "time": "t0"}]
            else:
                new = merge(live, body)
            if live is None or new != live:
                new["metadata"]["resourceVersion"] = self._next_rv() if not dry else (live or new)["metadata"]["resourceVersion"]
                if not dry:
                    self.store[path] = new
            return copy.deepcopy(new)
        if method == "PUT":
            live = self.store.get(path)
            if live is None:
                raise K8sError("PUT %s: 404" % path, status=404)
            if self.put_conflicts:
                self.put_conflicts -= 1
                self.store[path]["metadata"]["resourceVersion"] = self._next_rv()
                raise K8sError("PUT %s: 409 the object has been modified" % path, status=409)
            if body["metadata"]["resourceVersion"] != live["metadata"]["resourceVersion"]:
                raise K8sError("PUT %s: 409 the object has been modified" % path, status=409)
            new = copy.deepcopy(body)
            new["metadata"]["resourceVersion"] = self._next_rv()
            if not dry:
                self.store[path] = new
            return copy.deepcopy(new)
        if method == "DELETE":
            # like the real server: DeleteOptions in the body win over the query string
            dry = (body or {}).get("dryRun") == ["All"] if body else dry
            if path not in self.store:
                raise K8sError("DELETE %s: 404" % path, status=404)
            obj = self.store[path]
            if not dry:
                del self.store[path]
            return {"kind": "Status", "status": "Success", "details": {"name": obj["metadata"]["name"]}}
        raise AssertionError("unexpected %s %s" % (method, path))

    @staticmethod
    def _in_collection(obj_path, coll_path):
        # /api/v1/configmaps (all namespaces) holds /api/v1/namespaces/x/configmaps/y
        head, _sep, plural = coll_path.rpartition("/")
        parts = obj_path.split("/")
        return "/namespaces/" not in coll_path and obj_path.startswith(head + "/namespaces/") and len(parts) >= 2 and parts[-2] == plural

    def put(self, obj):
        """Seed an object directly (as if someone else created it)."""
        res = self.resource(obj["apiVersion"], obj["kind"])
        obj = copy.deepcopy(obj)
        obj["metadata"].setdefault("resourceVersion", self._next_rv())
        self.store[res.path(obj["metadata"]["name"], obj["metadata"].get("namespace"))] = obj
        return obj
