# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.diff import normalize, object_diff, object_label, same_object

LIVE = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {
        "name": "x",
        "namespace": "ns",
        "uid": "u",
        "resourceVersion": "5",
        "generation": 2,
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "managedFields": [{"manager": "m"}],
        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
        "labels": {"a": "b"},
    },
    "data": {"k": "v"},
}


def test_normalize_strips_server_bookkeeping_only():
    n = normalize(LIVE)
    assert n == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "ns", "labels": {"a": "b"}}, "data": {"k": "v"}}
    assert LIVE["metadata"]["resourceVersion"] == "5"  # input untouched
    assert normalize(None) is None


def test_same_object():
    other = normalize(LIVE)
    other["metadata"]["resourceVersion"] = "9"
    assert same_object(LIVE, other)
    other["data"]["k"] = "w"
    assert not same_object(LIVE, other)


def test_object_diff_create_and_delete():
    d = object_diff(None, LIVE)
    assert d["before"] == ""
    assert yaml.safe_load(d["after"]) == normalize(LIVE)
    assert d["before_header"] == "ConfigMap ns/x (before)" and d["after_header"] == "ConfigMap ns/x (after)"
    assert object_diff(LIVE, None, "L")["after"] == ""
    assert object_label({"kind": "MachineConfig", "metadata": {"name": "m"}}) == "MachineConfig m"
