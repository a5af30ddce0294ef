# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.filter.cluster_model import FilterModule

CLUSTER = {
    "cluster_name": "lab",
    "cluster_base_domain": "example.test",
    "cluster_network": "10.99.0.0/24",
    "cluster_lb_address": "10.99.0.1",
}


def test_filter_is_registered_and_builds_the_model():
    cluster_model = FilterModule().filters()["cluster_model"]
    hostvars = {"m0": dict(CLUSTER, node_ip="10.99.0.10", node_mac="02:00:00:00:00:10")}
    model = cluster_model(hostvars, {"masters": ["m0"]})
    assert model["nodes"][0]["fqdn"] == "m0.lab.example.test"
    assert model["ingress"] == ["m0"]


def test_filter_turns_model_errors_into_filter_errors():
    cluster_model = FilterModule().filters()["cluster_model"]
    hostvars = {"m0": dict(CLUSTER, node_ip="10.99.1.10", node_mac="02:00:00:00:00:10")}
    with pytest.raises(AnsibleFilterError, match=r"node_ip of m0 is '10.99.1.10': outside cluster_network"):
        cluster_model(hostvars, {"masters": ["m0"]})
