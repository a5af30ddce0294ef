# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading objects (GET and LIST only) through one :class:`KubeClient`.

Modules that only read (pod_blocks) use :class:`Reader`; the apply engine's
``Applier`` is a Reader that also writes.
"""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError


class Reader:
    """GET and LIST; nothing here writes."""

    def __init__(self, client):
        self.client = client

    def get(self, api_version, kind, name, namespace=None):
        """The live object, or None when absent."""
        res = self.client.resource(api_version, kind)
        try:
            return self.client.request("GET", res.path(name, namespace))
        except K8sError as e:
            if e.status == 404:
                return None
            raise

    def list(self, api_version, kind, namespace=None, label_selector=None):
        """Items of a kind (all namespaces when ``namespace`` is None)."""
        res = self.client.resource(api_version, kind)
        query = {"labelSelector": label_selector} if label_selector else None
        doc = self.client.request("GET", res.path(None, namespace), query=query) or {}
        items = doc.get("items") or []
        for item in items:  # LIST strips apiVersion/kind from items
            item.setdefault("apiVersion", api_version)
            item.setdefault("kind", kind)
        return items
