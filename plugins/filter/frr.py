# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the frr and frr_tor roles: thin wrappers around
module_utils/model/fabric, model/bgp, render/frr, render/frr_delivery and
render/frr_check."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.module_utils.checks import InputError
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import (
    NODE_KEYS,
    RENAMED,
    SWITCH_KEYS,
    build_fabric,
    rollout_batch_size,
    session_states,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.model.bgp import switch_config
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import (
    render_daemons,
    render_router_conf,
    render_switch_conf,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_check import shell_command
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_delivery import (
    SYSCTLS,
    disruption_policy,
    machineconfig_spec,
    node_confs,
    node_files,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_merge import merge, owned_names


def _wrap(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except InputError as exc:
        raise AnsibleFilterError(str(exc))


def _pick(hostvars, names, keys, group):
    picked = {}
    for name in names or []:
        if name not in hostvars:
            raise AnsibleFilterError("fabric inventory: %s names %r, which is not in the inventory" % (group, name))
        hv = hostvars[name]
        picked[name] = {k: hv.get(k) for k in tuple(keys) + tuple(RENAMED) if hv.get(k) is not None}
    return picked


def frr_fabric(hostvars, nodes, tors=None, spines=None, settings=None, pod_blocks=None):
    """hostvars | frr_fabric(servers, tors, spines, settings) -> the validated fabric model.

    settings: the fabric-wide frr_* variables without the prefix (null: default);
    pod_blocks: {host: [cidr]} discovered from the cluster, for servers
    without frr_pod_blocks."""
    if not nodes:
        raise AnsibleFilterError("fabric inventory: frr_nodes is empty: no server to run BGP on")
    return _wrap(build_fabric, _pick(hostvars, nodes, NODE_KEYS, "frr_nodes"),
                 _pick(hostvars, tors, SWITCH_KEYS, "frr_tors"), _pick(hostvars, spines, SWITCH_KEYS, "frr_spines"),
                 settings, pod_blocks)


def frr_node_files(fabric, host, options=None):
    return _wrap(node_files, fabric, host, options)


def frr_machineconfig_spec(fabric, role="worker", name=None, options=None, nodes=None):
    return _wrap(machineconfig_spec, fabric, role=role, name=name, options=options, nodes=nodes)


def frr_node_disruption_policy(_fabric=None):
    """{files, units}: the node disruption policy of the pool-wide FRR MachineConfig."""
    return disruption_policy()


def frr_node_confs(fabric, nodes=None):
    return _wrap(node_confs, fabric, nodes)


def frr_switch_conf(fabric, name):
    return _wrap(render_switch_conf, fabric, name)


def _switch_confs(fabric, names):
    return {name: render_switch_conf(fabric, name) for name in sorted(names if names is not None else fabric["switches"])}


def frr_switch_confs(fabric, names=None):
    """{switch: frr.conf} of the switches ``names`` (default: every ToR and spine of the model)."""
    return _wrap(_switch_confs, fabric, names)


def _switch_part(fabric, name, running, previous):
    cfg = switch_config(fabric, name)
    owned = owned_names(cfg)
    return {"config": merge(running, render_router_conf(cfg), owned, previous), "owned": owned}


def frr_switch_part(fabric, name, running, previous=None):
    """Part mode: the switch's running configuration with the fabric's part
    merged in (everything else kept) -> {config, owned}."""
    return _wrap(_switch_part, fabric, name, running, previous)


def frr_daemons(fabric):
    """/etc/frr/daemons for the fabric's settings (bfdd with BFD)."""
    return render_daemons(bfd=fabric["settings"]["bfd"])


def frr_sysctls(_fabric=None):
    """The routing sysctls a server needs (the ones the MachineConfig carries)."""
    return dict(SYSCTLS)


def frr_bgp_sessions(fabric, host, summary):
    """The state of each BGP session the model gives ``host``, from vtysh's
    ``show bgp summary json`` text -> {sessions: {interface: {state, remote_as}}, down: [..]}."""
    return _wrap(session_states, fabric, host, summary)


def frr_rollout_batch_size(batch, hosts):
    """frr_rollout_batch | frr_rollout_batch_size(number of servers) -> the servers of the first batch."""
    return _wrap(rollout_batch_size, batch, hosts)


def frr_check_command(command):
    """A vtysh -C command -> a validate: command that also fails on the error lines FRR prints."""
    try:
        return shell_command(command)
    except ValueError as exc:
        raise AnsibleFilterError("frr: check command %r: %s" % (command, exc))


class FilterModule(object):
    def filters(self):
        return {
            "frr_fabric": frr_fabric,
            "frr_node_files": frr_node_files,
            "frr_machineconfig_spec": frr_machineconfig_spec,
            "frr_node_confs": frr_node_confs,
            "frr_node_disruption_policy": frr_node_disruption_policy,
            "frr_switch_conf": frr_switch_conf,
            "frr_switch_confs": frr_switch_confs,
            "frr_switch_part": frr_switch_part,
            "frr_daemons": frr_daemons,
            "frr_sysctls": frr_sysctls,
            "frr_check_command": frr_check_command,
            "frr_rollout_batch_size": frr_rollout_batch_size,
            "frr_bgp_sessions": frr_bgp_sessions,
        }
