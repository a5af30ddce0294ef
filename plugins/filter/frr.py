# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the frr and frr_tor roles: thin wrappers around
module_utils/frr_model, frr_render and frr_delivery."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.module_utils.frr_delivery import (
    machineconfig_spec,
    node_files,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.frr_model import (
    NODE_KEYS,
    FrrModelError,
    build_fabric,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.frr_render import render_tor_conf


def _wrap(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except FrrModelError as exc:
        raise AnsibleFilterError(str(exc))


def frr_fabric(hostvars, nodes, asn_base=None, peer_asns=None, pod_blocks=None):
    """hostvars | frr_fabric(node_names, asn_base, {tor: asn}) -> validated fabric model.

    pod_blocks: optional {host: [cidr, ...]} used instead of the host's
    frr_pod_blocks (blocks discovered from the cluster); validated the same way.
    """
    if not nodes:
        raise AnsibleFilterError("frr inventory: frr_nodes is empty: no host to run BGP on")
    picked = {}
    for name in nodes:
        if name not in hostvars:
            raise AnsibleFilterError("frr inventory: frr_nodes names %r, which is not in the inventory" % (name,))
        hv = hostvars[name]
        picked[name] = dict((k, hv.get(k)) for k in NODE_KEYS)
        if pod_blocks and name in pod_blocks:
            picked[name]["frr_pod_blocks"] = pod_blocks[name]
    return _wrap(build_fabric, picked, asn_base=asn_base, peer_asns=peer_asns or {})


def frr_node_files(fabric, host, node_options=None, options=None):
    return _wrap(node_files, fabric, host, node_options, options)


def frr_machineconfig_spec(fabric, role="worker", name=None, node_options=None, options=None, nodes=None):
    return _wrap(machineconfig_spec, fabric, role=role, name=name, node_options=node_options,
                 options=options, nodes=nodes)


def frr_tor_conf(fabric, tor, asn, loopback, options=None):
    return _wrap(render_tor_conf, fabric, tor, asn, loopback, options)


class FilterModule(object):
    def filters(self):
        return {
            "frr_fabric": frr_fabric,
            "frr_node_files": frr_node_files,
            "frr_machineconfig_spec": frr_machineconfig_spec,
            "frr_tor_conf": frr_tor_conf,
        }
