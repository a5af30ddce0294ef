# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: cluster_model
author: clusternet.fabric contributors
version_added: 0.1.0
short_description: Build the validated cluster model from the inventory
description:
  - Reads the cluster variables (C(cluster_name), C(cluster_base_domain), C(cluster_network),
    C(cluster_lb_address), ...) and the hosts of the groups C(jumphost), C(bootstrap),
    C(masters) and C(workers) with their C(node_ip), C(node_mac) and C(node_extra_nics).
  - Returns one normalised dictionary that every role of the collection derives from.
  - Fails with one message naming the field, the host and the value on bad input
    (duplicate MAC, IP or hostname; malformed MAC or IP; IP outside the cluster network;
    missing load-balancer address; no masters; unknown group names; an ingress group without
    hosts; a DHCP pool holding a node, jump host or load-balancer address).
  - Warns about an even number of masters (etcd's majority).
options:
  _input:
    description: Ansible's C(hostvars).
    type: dict
    required: true
  groups:
    description: Ansible's C(groups).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Build the cluster model (fails before any change on bad input)
  ansible.builtin.set_fact:
    cluster: "{{ hostvars | clusternet.fabric.cluster_model(groups) }}"
"""

RETURN = r"""
_value:
  description: The cluster model; see docs/DEVELOPING.md of the collection for every key.
  type: dict
"""

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model import jumphost
from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import (
    build_cluster_model,
    master_count_warning,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render import ipxe


def _filter(func, *args):
    try:
        return func(*args)
    except checks.InputError as exc:
        raise AnsibleFilterError(str(exc)) from None


def cluster_model(hostvars, groups):
    model = _filter(build_cluster_model, groups, hostvars)
    warning = master_count_warning(model)
    if warning:
        Display().warning(warning)
    return model


def dnsmasq_settings(cluster, overrides, host):
    """cluster | dnsmasq_settings({'domain': dnsmasq_domain, ...}, inventory_hostname)"""
    return _filter(jumphost.dnsmasq_settings, cluster, overrides, host)


def haproxy_settings(cluster, overrides, host=None):
    """cluster | haproxy_settings({'api_backends': haproxy_api_backends, ...}, inventory_hostname)"""
    return _filter(jumphost.haproxy_settings, cluster, overrides, host)


def keepalived_settings(cluster, overrides, host, facts=None):
    """cluster | keepalived_settings({'vip': keepalived_vip, ...}, inventory_hostname, ansible_facts)"""
    return _filter(jumphost.keepalived_settings, cluster, overrides, host, facts)


def bootserver_settings(cluster, overrides, host):
    """cluster | bootserver_settings({'kernel': bootserver_kernel, ...}, inventory_hostname)"""
    return _filter(jumphost.bootserver_settings, cluster, overrides, host)


def bootserver_scripts(settings, cluster):
    """bootserver_settings | bootserver_scripts(cluster) -> {file name under ipxe/: text}"""
    return _filter(ipxe.scripts, cluster, settings["base_url"], settings["files"], settings["dns_servers"])


class FilterModule:
    def filters(self):
        return {"cluster_model": cluster_model, "dnsmasq_settings": dnsmasq_settings,
                "haproxy_settings": haproxy_settings, "keepalived_settings": keepalived_settings,
                "bootserver_settings": bootserver_settings, "bootserver_scripts": bootserver_scripts}
