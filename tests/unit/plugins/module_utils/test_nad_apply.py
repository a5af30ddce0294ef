# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""additionalNetworks merge and the module's parameter handling."""

from __future__ import annotations

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.cni_validate import CNIConfigError
from ansible_collections.clusternet.fabric.plugins.module_utils.nad_apply import identities, merge_additional_networks
from ansible_collections.clusternet.fabric.plugins.modules.nad import argument_spec, networks_from_params


def net(name, **kw):
    return dict({"name": name, "namespace": "default", "type": "Raw", "rawCNIConfig": "{}"}, **kw)


def test_merge_keeps_others_in_place_and_appends():
    obj = {"spec": {"additionalNetworks": [net("a"), net("ours", rawCNIConfig="old"), net("b")]}}
    merge_additional_networks(obj, wanted=[net("ours", rawCNIConfig="new"), net("new")])
    assert [(e["name"], e["rawCNIConfig"]) for e in obj["spec"]["additionalNetworks"]] == [
        ("a", "{}"), ("ours", "new"), ("b", "{}"), ("new", "{}")]


def test_merge_remove_only_named():
    obj = {"spec": {"additionalNetworks": [net("a"), net("ours")]}}
    merge_additional_networks(obj, remove={"ours", "missing"})
    assert obj["spec"]["additionalNetworks"] == [net("a")]


def test_merge_no_list_no_entries_does_not_add_key():
    obj = {"spec": {"defaultNetwork": {}}}
    merge_additional_networks(obj, remove={"x"})
    assert "additionalNetworks" not in obj["spec"]


def test_identities_for_absent():
    assert identities([{"name": "a"}, {"name": "a", "namespace": "b"}], "nad") == [("a", "default"), ("a", "b")]
    with pytest.raises(CNIConfigError, match="defined twice"):
        identities([{"name": "a"}, {"name": "a", "namespace": "b"}], "cno")
    with pytest.raises(CNIConfigError, match="DNS-1123"):
        identities([{"name": "A"}], "nad")


def params(**kw):
    p = {k: v.get("default") for k, v in argument_spec().items()}
    p.update(kw)
    return p


def test_single_form_params():
    nets = networks_from_params(params(name="x", type="bridge"))
    assert nets[0]["name"] == "x" and nets[0]["cni_version"] == "0.4.0" and nets[0]["cno_type"] is None
    raw = networks_from_params(params(name="x", config="{}"))
    assert raw[0]["cni_version"] is None
    assert networks_from_params(params(name="x", type="macvlan", target="cno"))[0]["cno_type"] == "Raw"
    assert networks_from_params(params(networks=[{"name": "y"}])) == [{"name": "y"}]
