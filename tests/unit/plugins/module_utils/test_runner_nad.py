# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""additionalNetworks merge and the module's parameter handling."""

from __future__ import annotations

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError
from ansible_collections.clusternet.fabric.plugins.module_utils.runners.nad import (
    OWNED_ANNOTATION,
    identities,
    merge_additional_networks,
)
from ansible_collections.clusternet.fabric.plugins.modules.nad import argument_spec, networks_from_params


def net(name, **kw):
    return dict({"name": name, "namespace": "default", "type": "Raw", "rawCNIConfig": "{}"}, **kw)


def owned(*keys):
    return {"annotations": {OWNED_ANNOTATION: ",".join(keys)}}


def test_merge_keeps_others_in_place_and_appends():
    obj = {"metadata": owned("default/ours"),
           "spec": {"additionalNetworks": [net("a"), net("ours", rawCNIConfig="old"), net("b")]}}
    merge_additional_networks(obj, wanted=[net("ours", rawCNIConfig="new"), net("new")])
    assert [(e["name"], e["rawCNIConfig"]) for e in obj["spec"]["additionalNetworks"]] == [
        ("a", "{}"), ("ours", "new"), ("b", "{}"), ("new", "{}")]
    assert obj["metadata"]["annotations"][OWNED_ANNOTATION] == "default/new,default/ours"


def test_merge_remove_only_named():
    obj = {"metadata": owned("default/ours"), "spec": {"additionalNetworks": [net("a"), net("ours")]}}
    merge_additional_networks(obj, remove={("default", "ours"), ("default", "missing")})
    assert obj["spec"]["additionalNetworks"] == [net("a")]
    assert OWNED_ANNOTATION not in obj["metadata"]["annotations"]


def test_merge_keys_by_namespace_and_name():
    """The same name in another namespace is another entry: never replaced or removed by ours."""
    obj = {"metadata": owned("default/x"), "spec": {"additionalNetworks": [net("x", namespace="team-b"), net("x")]}}
    merge_additional_networks(obj, wanted=[net("x", rawCNIConfig="new")])
    assert obj["spec"]["additionalNetworks"] == [net("x", namespace="team-b"), net("x", rawCNIConfig="new")]
    merge_additional_networks(obj, remove={("default", "x")})
    assert obj["spec"]["additionalNetworks"] == [net("x", namespace="team-b")]


@pytest.mark.parametrize("kw, verb", [({"wanted": [net("theirs", rawCNIConfig="ours")]}, "replaced"),
                                      ({"remove": {("default", "theirs")}}, "removed")])
def test_an_entry_we_did_not_write_is_refused_without_force(kw, verb):
    obj = {"spec": {"additionalNetworks": [net("theirs")]}}
    with pytest.raises(K8sError, match=r"entry default/theirs exists and was not written by clusternet.fabric "
                                       r"\(not in the clusternet.fabric/additional-networks annotation\): not %s; "
                                       r"set force: true" % verb):
        merge_additional_networks(obj, **kw)
    assert obj["spec"]["additionalNetworks"] == [net("theirs")]
    merge_additional_networks(obj, force=True, **kw)
    assert obj["spec"]["additionalNetworks"] == ([net("theirs", rawCNIConfig="ours")] if verb == "replaced" else [])


def test_merge_no_list_no_entries_does_not_add_key():
    obj = {"spec": {"defaultNetwork": {}}}
    merge_additional_networks(obj, remove={"x"})
    assert "additionalNetworks" not in obj["spec"]


def test_identities_for_absent():
    assert identities([{"name": "a"}, {"name": "a", "namespace": "b"}], "nad") == [("a", "default"), ("a", "b")]
    with pytest.raises(checks.InputError, match="defined twice"):
        identities([{"name": "a"}, {"name": "a", "namespace": "b"}], "cno")
    with pytest.raises(checks.InputError, match="not a DNS label"):
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
