# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests (Hypothesis) of every other entry point that takes input:
the cluster model (dnsmasq, haproxy), the node routes, the MachineConfig
renderer and the NAD renderer. (The fabric's are in test_fabric_properties.py.)

For a valid input with one scalar replaced by anything (or by its old value
with a line break and a line of its own appended), each entry point either
raises the collection's input error (checks.InvalidInput, nothing else) or
returns output in which no string holds a line break it did not put there
itself: no injected text starts a line of the routes file, of a unit, of a
CNI configuration or of anything the jump-host templates read from the model.
Derandomized: the same examples on every run.
"""

from __future__ import annotations

import copy
import json

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import node_routes as ignition_routes
from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import build_cluster_model
from ansible_collections.clusternet.fabric.plugins.module_utils.render.machineconfig import file_bytes, render_machineconfig
from ansible_collections.clusternet.fabric.plugins.module_utils.render.nad import render_networks
from test_cluster_model import load_seed000
from test_fabric_properties import (
    INJECTED,
    _get,
    _injected,
    _leaves,
    _put,
    anything_else,
    deterministic,
    injections,
    no_breaks_anywhere,
    plausible,
)

VALUES = st.one_of(injections, plausible, anything_else)
GROUPS, HOSTVARS = load_seed000()
ROUTES = {"worker": [{"destination": "192.168.1.0/24", "gateway": "172.18.0.1", "interface": "ens5", "metric": 10},
                     {"destination": "fd00:1::/64", "interface": "ens5"}],
          "master": [{"destination": "10.9.0.0/16", "gateway": "172.18.0.1"}]}
MACHINECONFIG = {"name": "99-worker-props", "role": "worker", "labels": {"team": "net"},
                 "files": [{"path": "/etc/motd", "contents": "hello\n", "mode": "0644"},
                           {"path": "/etc/big", "contents": "x\n", "compression": "gzip"}],
                 "units": [{"name": "props.service", "enabled": True,
                            "contents": "[Unit]\nDescription=p\n\n[Service]\nExecStart=/bin/true\n",
                            "dropins": [{"name": "10-x.conf", "contents": "[Service]\nNice=1\n"}]}],
                 "kernel_arguments": ["nosmt"]}
NETWORKS = [{"name": "network-macvlan", "namespace": "default", "type": "macvlan", "master": "ens224",
             "cni_version": "0.3.1", "capabilities": {"ips": True}, "ipam": {"type": "static"}},
            {"name": "br", "type": "bridge", "bridge": "test-br",
             "ipam": {"type": "host-local", "subnet": "192.168.1.0/24", "range_start": "192.168.1.100",
                      "range_end": "192.168.1.200"}}]


@st.composite
def one_changed(draw, original, extra_paths=()):
    """(description, copy of original with one leaf, or one extra path, replaced)."""
    value = copy.deepcopy(original)
    path = draw(st.sampled_from(sorted(set(_leaves(original, ())) | set(extra_paths), key=repr)))
    new = draw(VALUES)
    new = _injected(_get(value, path), new[1]) if isinstance(new, tuple) else new
    _put(value, path, new)
    return "%s = %r" % ("/".join(str(p) for p in path), new), value


def refused_or_clean(what, call):
    """call() raises checks.InvalidInput, or returns output with no injected line."""
    try:
        out = call()
    except checks.InvalidInput:
        return None
    text = json.dumps(out) if not isinstance(out, str) else out
    assert INJECTED not in text or no_breaks_before(out), "%s: injected text reached the output: %.300s" % (what, text)
    return out


def no_breaks_before(out):
    """No string of the output has a line break directly before injected text."""
    def walk(value):
        if isinstance(value, str):
            return not any(sep + INJECTED in value for sep in ("\n", "\r", "\x00"))
        if isinstance(value, dict):
            return all(walk(k) and walk(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return all(walk(v) for v in value)
        return True
    return walk(out)


@deterministic(500)
@given(case=one_changed(HOSTVARS, extra_paths=[(h, k) for h in HOSTVARS for k in ("node_extra_nics", "cluster_dhcp_range")]))
def test_the_cluster_model_refuses_or_gives_no_line_breaks(case):
    what, hostvars = case
    model = refused_or_clean(what, lambda: build_cluster_model(GROUPS, hostvars))
    if model is not None:
        assert no_breaks_anywhere(model), what


@deterministic(500)
@given(case=one_changed(ROUTES))
def test_node_routes_refuse_or_render_one_line_per_route(case):
    what, routes = case
    specs = refused_or_clean(what, lambda: ignition_routes.machineconfig_specs(routes))
    if specs is None:
        return
    for spec in specs:
        obj = refused_or_clean(what, lambda s=spec: render_machineconfig(s, "4.14"))
        if obj is None:
            continue
        files = {f["path"]: file_bytes(f["contents"]).decode() for f in obj["spec"]["config"]["storage"]["files"]}
        routes_file = files[ignition_routes.routes_file_path(spec["role"])]
        body = [line for line in routes_file.splitlines() if not line.startswith("#")]
        assert len(body) == len(routes[spec["role"]]), (what, routes_file)
        assert INJECTED not in routes_file, (what, routes_file)


@deterministic(500)
@given(case=one_changed(MACHINECONFIG))
def test_the_machineconfig_renderer_refuses_or_keeps_names_on_one_line(case):
    what, spec = case
    obj = refused_or_clean(what, lambda: render_machineconfig(spec, "4.14"))
    if obj is None:
        return
    config = obj["spec"]["config"]
    one_line = [obj["metadata"]["name"]] + list(obj["metadata"]["labels"].items())
    one_line += [f["path"] for f in config.get("storage", {}).get("files", [])]
    one_line += [u["name"] for u in config.get("systemd", {}).get("units", [])]
    one_line += [d["name"] for u in config.get("systemd", {}).get("units", []) for d in u.get("dropins", [])]
    one_line += obj["spec"].get("kernelArguments", [])
    assert no_breaks_anywhere(one_line), (what, one_line)


@deterministic(500)
@given(case=one_changed(NETWORKS), target=st.sampled_from(["nad", "cno"]))
def test_the_nad_renderer_refuses_or_renders_json_without_line_breaks_in_names(case, target):
    what, networks = case
    nets = refused_or_clean(what, lambda: render_networks(networks, target=target))
    if nets is None:
        return
    for net in nets:
        parsed = json.loads(net["config"])  # the CNI configuration is JSON the plugins read
        assert no_breaks_anywhere(parsed), (what, net["config"])
        assert no_breaks_anywhere([net["name"], net["namespace"]]), what
