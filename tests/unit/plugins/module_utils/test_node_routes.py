# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Unit tests of plugins/module_utils/render/node_routes.py (node_routes input and rendering)."""

from __future__ import annotations

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import node_routes as ir
from ansible_collections.clusternet.fabric.plugins.module_utils.render import machineconfig as mc

SEED = {"destination": "192.168.1.0/24", "gateway": "172.18.0.1", "interface": "ens5"}


def fails(match, routes, custom=None):
    with pytest.raises(checks.InputError, match=match):
        ir.machineconfig_specs(routes, custom)


def test_one_machineconfig_per_pool_with_routes():
    specs = ir.machineconfig_specs({"worker": [SEED], "master": [], "infra": [SEED]}, ["infra"])
    assert specs == [{"name": "99-infra-clusternet-routes", "role": "infra", "routes": [SEED]},
                     {"name": "99-worker-clusternet-routes", "role": "worker", "routes": [SEED]}]
    # Every spec renders under the MCO rules.
    objects, warnings = mc.render_machineconfigs(specs, "4.14")
    assert warnings == [] and len(objects) == 2
    config = objects[1]["spec"]["config"]
    files = {f["path"]: f for f in config["storage"]["files"]}
    routes = mc.decode_data_url(files["/etc/clusternet/node-routes.d/worker.conf"]["contents"]["source"])
    assert routes.decode().splitlines()[-1] == "192.168.1.0/24 172.18.0.1 ens5 0"
    assert files[ir.SCRIPT_PATH]["mode"] == 0o755
    assert files[ir.DISPATCHER_PATH]["mode"] == 0o755
    assert mc.decode_data_url(files[ir.SCRIPT_PATH]["contents"]["source"]).decode() == ir.SCRIPT
    assert config["systemd"]["units"] == [{"name": ir.UNIT_NAME, "enabled": True, "contents": ir.UNIT}]
    # Only the routes file differs between pools (a custom-pool node also gets the worker MC).
    infra = {f["path"]: f for f in objects[0]["spec"]["config"]["storage"]["files"]}
    assert set(infra) - set(files) == {"/etc/clusternet/node-routes.d/infra.conf"}


def test_no_routes_no_machineconfig():
    assert ir.machineconfig_specs({}) == []
    assert ir.machineconfig_specs({"worker": []}) == []
    assert ir.machineconfig_specs(None) == []
    assert ir.machineconfig_specs({"worker": None}) == []


def test_route_forms():
    lines = ir.routes_file("worker", ir.normalize_routes("routes", [
        {"destination": "10.0.0.0/8", "gateway": "172.18.0.1"},
        {"destination": "10.1.0.0/16", "interface": "ens5", "metric": "300"},
        {"destination": "fd00:1::/64", "gateway": "fd00::1"},
        {"destination": "0.0.0.0/0", "gateway": "172.18.0.254", "metric": 500},
    ])).splitlines()[2:]
    assert lines == ["10.0.0.0/8 172.18.0.1 - 0", "10.1.0.0/16 - ens5 300",
                     "fd00:1::/64 fd00::1 - 1024", "0.0.0.0/0 172.18.0.254 - 500"]


@pytest.mark.parametrize("dst", ["192.168.1.0/33", "192.168.1.1/24", "192.168.1.0", "banana", None, "10.0.0.0/-1"])
def test_bad_cidr(dst):
    fails(r"node_routes_routes.worker\[0\].destination is %r" % (dst,), {"worker": [dict(SEED, destination=dst)]})


@pytest.mark.parametrize("gw", ["172.18.0", "gateway", "172.18.0.1/24", "fd00::1"])
def test_gateway_not_an_ip(gw):
    fails(r"node_routes_routes.worker\[0\].gateway is '%s'" % gw, {"worker": [dict(SEED, gateway=gw)]})


@pytest.mark.parametrize("gw", ["fe80::1%ens5\nip route add 0.0.0.0/0 dev x", "fe80::1%ens5", "172.18.0.1\n"])
def test_gateway_with_a_zone_id_or_a_line_break_is_refused(gw):
    """The routes file is line-oriented: a zone id could carry a line into it; a link-local
    gateway names its interface in interface instead."""
    fails(r"node_routes_routes.worker\[0\].gateway is ", {"worker": [dict(SEED, destination="fd00::/64", gateway=gw)]})


@pytest.mark.parametrize("name", ["a" * 16, "has space", "a/b", "..", "ens5:1", "ens5\n"])
def test_bad_interface(name):
    fails(r"node_routes_routes.worker\[0\].interface", {"worker": [dict(SEED, interface=name)]})


def test_interface_15_chars_ok():
    ir.machineconfig_specs({"worker": [dict(SEED, interface="a" * 15)]})


def test_unknown_pool():
    fails("node_routes_routes is 'infra': unknown pool", {"infra": [SEED]})
    assert ir.machineconfig_specs({"infra": [SEED]}, ["infra"])[0]["name"] == "99-infra-clusternet-routes"


def test_bad_custom_pool_name():
    fails(r"node_routes_custom_pools\[0\] is 'In_Fra'", {}, ["In_Fra"])


def test_duplicate_route():
    fails(r"node_routes_routes.worker\[1\].destination is '192.168.1.0/24': duplicate route",
          {"worker": [SEED, dict(SEED, gateway="172.18.0.9")]})
    # Same destination with another metric is a different kernel route.
    ir.machineconfig_specs({"worker": [SEED, dict(SEED, metric=200)]})


def test_bad_metric():
    fails(r"metric is -1", {"worker": [dict(SEED, metric=-1)]})
    fails(r"metric is 4294967296", {"worker": [dict(SEED, metric=4294967296)]})


def test_needs_gateway_or_interface():
    fails("needs a gateway, an interface or both", {"worker": [{"destination": "10.0.0.0/8"}]})


def test_unknown_route_key():
    fails("unknown key", {"worker": [dict(SEED, via="1.2.3.4")]})


def test_family_mismatch():
    fails("IPv6 gateway for IPv4", {"worker": [dict(SEED, gateway="fd00::1")]})


def test_module_routes_errors_name_the_field():
    with pytest.raises(checks.InputError, match=r"machineconfig 99-worker-r: routes\[1\].gateway is 'nope'"):
        mc.render_machineconfigs([{"name": "99-worker-r", "role": "worker",
                                   "routes": [SEED, {"destination": "10.0.0.0/8", "gateway": "nope"}]}])


def test_routes_collide_with_user_files():
    with pytest.raises(checks.InputError, match="duplicate path"):
        mc.render_machineconfigs([{"name": "99-worker-r", "role": "worker", "routes": [SEED],
                                   "files": [{"path": ir.SCRIPT_PATH, "contents": "x"}]}])


def test_the_plan_lists_what_to_write_and_what_to_remove():
    """The role's whole plan, as data: specs of pools with routes, names of the others."""
    plan = ir.machineconfig_plan({"worker": [SEED], "master": []}, ["infra"])
    assert plan["present"] == ir.machineconfig_specs({"worker": [SEED], "master": []}, ["infra"])
    assert [spec["name"] for spec in plan["present"]] == ["99-worker-clusternet-routes"]
    assert plan["absent"] == ["99-master-clusternet-routes", "99-infra-clusternet-routes"]
    assert ir.machineconfig_plan(None) == {"present": [], "absent": ["99-master-clusternet-routes",
                                                                     "99-worker-clusternet-routes"],
                                           "disruption_policy": None}
