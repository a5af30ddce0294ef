# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The pod annotation filter k8s.v1.cni.cncf.io/networks."""

from __future__ import annotations

import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.filter.multus import FilterModule, pod_networks_annotation


def test_registered():
    assert FilterModule().filters()["pod_networks_annotation"] is pod_networks_annotation


def test_seed000_json_list_with_ips():
    out = pod_networks_annotation([{"name": "network-macvlan", "ips": ["10.0.201.29/24"]}])
    assert json.loads(out) == [{"name": "network-macvlan", "ips": ["10.0.201.29/24"]}]
    assert out.startswith("[")  # never a bare object


def test_single_dict_still_a_list():
    assert json.loads(pod_networks_annotation({"name": "a", "mac": "02:00:00:00:00:01"})) == [
        {"name": "a", "mac": "02:00:00:00:00:01"}]


def test_short_form_when_only_names():
    assert pod_networks_annotation(["test-network", {"name": "s", "namespace": "infra", "interface": "net2"},
                                    "ns1/x@net3"]) == "test-network,infra/s@net2,ns1/x@net3"


def test_all_fields_json():
    out = json.loads(pod_networks_annotation([{"name": "a", "namespace": "n", "ips": "10.0.0.5", "mac": "02:00:00:00:00:01",
                                               "interface": "net1", "default_route": ["10.0.0.1"]}]))
    assert out == [{"name": "a", "namespace": "n", "ips": ["10.0.0.5"], "mac": "02:00:00:00:00:01",
                    "interface": "net1", "default-route": ["10.0.0.1"]}]


def test_forced_formats():
    assert pod_networks_annotation(["a"], format="json") == '[{"name": "a"}]'
    with pytest.raises(AnsibleFilterError, match="cannot carry ips"):
        pod_networks_annotation([{"name": "a", "ips": ["10.0.0.1"]}], format="short")


@pytest.mark.parametrize("item,fragment", [
    ({"name": "a", "interface": "averyveryverylongif"}, "networks[0].interface"),
    ({"name": "Bad_Name"}, "networks[0].name"),
    ({"name": "a", "ips": ["10.0.0.300"]}, "networks[0].ips[0]"),
    ({"name": "a", "mac": "zz:00:00:00:00:00"}, "networks[0].mac"),
    ({"name": "a", "default_route": ["nope"]}, "networks[0].default_route[0]"),
    ({"name": "a", "gateway": "x"}, "networks[0].gateway"),
    ({"namespace": "x"}, "networks[0].name"),
    ("ns/Bad@x", "networks[0].name"),
])
def test_rejects(item, fragment):
    with pytest.raises(AnsibleFilterError) as exc:
        pod_networks_annotation([item])
    assert fragment in str(exc.value)


def test_duplicate_interface_and_two_default_routes():
    with pytest.raises(AnsibleFilterError, match="used twice"):
        pod_networks_annotation([{"name": "a", "interface": "net1"}, {"name": "b", "interface": "net1"}])
    with pytest.raises(AnsibleFilterError, match="more than one"):
        pod_networks_annotation([{"name": "a", "default_route": "10.0.0.1"}, {"name": "b", "default_route": "10.1.0.1"}])


def test_empty_rejected():
    with pytest.raises(AnsibleFilterError, match="must not be empty"):
        pod_networks_annotation([])
