# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""render/disruption: the node disruption policy as data - the API's rules checked before
anything is sent, the release gate, the manifests; and the policies of the node_routes
and frr MachineConfigs cover every file and unit those carry (a changed file without a
policy still reboots the node)."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.checks import InputError
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric
from ansible_collections.clusternet.fabric.plugins.module_utils.render import disruption, frr_delivery, node_routes

RESTART = disruption.restart("x.service")
SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "golden", "frr", "seed003", "input.yml")


def test_release_gate():
    assert [disruption.supported(v) for v in ("4.15", "4.15.9", "4.16", "4.17.3", "5.0")] == [False, False, True, True, True]


def test_policy_sorted_and_checked():
    got = disruption.policy(files=[{"path": "/etc/b", "actions": [RESTART]}, {"path": "/etc/a", "actions": [{"type": "None"}]}],
                            units=[{"name": "x.service", "actions": [disruption.DAEMON_RELOAD, RESTART]}])
    assert [f["path"] for f in got["files"]] == ["/etc/a", "/etc/b"]
    assert got["units"] == [{"name": "x.service", "actions": [{"type": "DaemonReload"}, RESTART]}]
    assert disruption.policy() == {"files": [], "units": []}


@pytest.mark.parametrize("files, units, message", [
    ([{"path": "etc/x", "actions": [RESTART]}], None, r"files\[0\].path is 'etc/x': not an absolute path"),
    ([{"path": "/etc/x", "actions": [RESTART]}, {"path": "/etc/x", "actions": [RESTART]}], None,
     r"files\[1\].path is '/etc/x': listed twice \(also files\[0\]\)"),
    ([{"path": "/etc/x", "actions": []}], None, r"files\[0\].actions is \[\]: a non-empty list"),
    ([{"path": "/etc/x", "actions": [RESTART] * 11}], None, "at most 10 actions"),
    ([{"path": "/etc/x", "actions": [{"type": "None"}, RESTART]}], None, "a None action stands alone"),
    ([{"path": "/etc/x", "actions": [{"type": "Reload"}]}], None, "reload is required when type is Reload"),
    ([{"path": "/etc/x", "actions": [{"type": "Drain", "restart": {"serviceName": "x.service"}}]}], None,
     "restart is required when type is Restart, and forbidden otherwise"),
    ([{"path": "/etc/x", "actions": [{"type": "Special"}]}], None, r"actions\[0\].type is 'Special'"),
    ([{"path": "/etc/x", "actions": [RESTART], "when": "always"}], None, r"files\[0\].when is 'always': unknown key"),
    (None, [{"name": "frr", "actions": [RESTART]}], r"units\[0\].name is 'frr': not a systemd unit name"),
    ([{"path": "/etc/%d" % i, "actions": [RESTART]} for i in range(51)], None, "files is '51 entries': at most 50"),
])
def test_the_api_rules(files, units, message):
    with pytest.raises(InputError, match="^node disruption policy: .*" + message):
        disruption.policy(files, units)


def test_owner_and_manifests():
    assert disruption.field_manager("node-routes") == "clusternet.fabric/node-routes"
    for bad in ("Node", "a/b", "", "x" * 70, None):
        with pytest.raises(InputError, match="node disruption policy: owner is"):
            disruption.field_manager(bad)
    entries = disruption.policy(units=[{"name": "x.service", "actions": [RESTART]}])
    assert disruption.manifest(entries)["spec"] == {"nodeDisruptionPolicy": {"units": entries["units"]}}
    assert disruption.manifest() == {"apiVersion": "operator.openshift.io/v1", "kind": "MachineConfiguration",
                                     "metadata": {"name": "cluster"}}


def covered(policy):
    return {f["path"] for f in policy["files"]}, {u["name"] for u in policy["units"]}


def test_frr_policy_covers_the_machineconfig():
    with open(SEED) as handle:
        spec = frr_delivery.machineconfig_spec(build_fabric(**yaml.safe_load(handle)))
    assert covered(frr_delivery.disruption_policy()) == ({f["path"] for f in spec["files"]},
                                                         {u["name"] for u in spec["units"]})
    bundle = {f["path"]: f["actions"] for f in frr_delivery.disruption_policy()["files"]}[frr_delivery.BUNDLE_PATH]
    # the node's files first, the loopback on lo, then FRR reloads (not restarts: sessions stay up)
    assert [(a["type"], (a.get("restart") or a.get("reload"))["serviceName"]) for a in bundle] == [
        ("Restart", "frr-select.service"), ("Restart", "frr-loopback.service"), ("Reload", "frr.service")]


def test_node_routes_policy_covers_every_pool_and_goes_with_the_last_route():
    plan = node_routes.machineconfig_plan({"worker": [{"destination": "10.9.0.0/16", "gateway": "192.168.1.1"}]},
                                          custom_pools=["infra"])
    files, units = node_routes.route_payload("worker", [])
    want = {f["path"] for f in files} | {node_routes.routes_file_path(p) for p in ("master", "infra")}
    assert covered(plan["disruption_policy"]) == (want, {u["name"] for u in units})
    assert node_routes.machineconfig_plan({"worker": []})["disruption_policy"] is None
