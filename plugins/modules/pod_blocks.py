#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers

from __future__ import annotations

DOCUMENTATION = r"""
module: pod_blocks
short_description: Read each node's pod CIDR blocks from a Kubernetes cluster
version_added: 0.1.0
description:
  - Reads, never writes, the pod CIDR blocks of every node of the cluster, for BGP announcement and
    blackholing by the C(clusternet.fabric.frr) role.
  - O(source=node_podcidrs) reads core v1 C(Node) objects, C(spec.podCIDRs) (falling back to
    C(spec.podCIDR)), as allocated by the node IPAM of kube-controller-manager.
  - O(source=calico) reads Calico IPAM block affinities (C(crd.projectcalico.org/v1) C(BlockAffinity),
    cluster-scoped). Only affinities in C(spec.state) V(confirmed) count (not V(pending) or
    V(pendingDeletion)), and none whose C(spec.deleted) is V("true").
  - With O(nodes), inventory host names are matched to cluster node names, exact name first, then the
    short name (the part before the first dot) on both sides; the hosts not found are returned in
    RV(missing) and named in a warning.
author:
  - clusternet.fabric maintainers (@clusternet)
extends_documentation_fragment:
  - clusternet.fabric.k8s_auth
attributes:
  check_mode:
    support: full
    description: The module only reads; it runs the same in check mode and never reports a change.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to show.
options:
  source:
    description:
      - Where the blocks come from.
      - V(node_podcidrs) for clusters whose pod IPs come from the Node's C(podCIDRs) (host-local IPAM,
        flannel, Cilium in kubernetes IPAM mode, Calico with C(usePodCIDR)).
      - V(calico) for Calico IPAM on the Kubernetes datastore (its C(BlockAffinity) CRD must exist).
    type: str
    required: true
    choices: [node_podcidrs, calico]
  nodes:
    description:
      - Inventory host names to map to the cluster's nodes (RV(node_blocks), RV(missing)).
    type: list
    elements: str
notes:
  - OpenShift with OVN-Kubernetes keeps node subnets in an annotation, not in C(spec.podCIDRs); list
    the blocks in the inventory there.
seealso:
  - name: Calico BlockAffinity
    description: The Calico IPAM block affinity resource.
    link: https://docs.tigera.io/calico/latest/reference/resources/blockaffinity
"""

EXAMPLES = r"""
- name: Pod CIDRs the controller-manager allocated to the nodes
  clusternet.fabric.pod_blocks:
    source: node_podcidrs
    kubeconfig: ~/clusterconfigs/auth/kubeconfig
  register: pod_cidrs

- name: Calico's confirmed IPAM blocks, mapped to inventory hosts
  clusternet.fabric.pod_blocks:
    source: calico
    nodes: "{{ groups['workers'] }}"
    host: https://api.test.example.local:6443
    api_key: "{{ lookup('ansible.builtin.env', 'K8S_TOKEN') }}"
    ca_cert: /etc/pki/cluster-ca.pem
  register: calico_blocks
"""

RETURN = r"""
blocks:
  description: Every cluster node's blocks by Kubernetes node name; names and blocks sorted.
  returned: always
  type: dict
  sample: {worker-0.test.example.local: [10.128.0.0/26, 10.128.0.64/26], worker-1.test.example.local: [10.128.1.0/26]}
node_blocks:
  description: Blocks by inventory host name, for the hosts of O(nodes) found in the cluster.
  returned: always
  type: dict
  sample: {worker-0: [10.128.0.0/26, 10.128.0.64/26]}
missing:
  description: Hosts of O(nodes) that are not nodes of the cluster (no blocks discovered for them).
  returned: always
  type: list
  elements: str
  sample: [worker-2]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import AUTH_ARG_SPEC
from ansible_collections.clusternet.fabric.plugins.module_utils.model.pod_blocks import SOURCES
from ansible_collections.clusternet.fabric.plugins.module_utils.runners import pod_blocks


def main():
    spec = dict(
        source=dict(type="str", required=True, choices=list(SOURCES)),
        nodes=dict(type="list", elements="str"),
    )
    spec.update(AUTH_ARG_SPEC)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    pod_blocks.run_module(module)


if __name__ == "__main__":
    main()
