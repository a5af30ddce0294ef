# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pod_blocks module's work: read Nodes or Calico block affinities (GET/LIST only)
and match them to inventory hosts (model/pod_blocks.py)."""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError
from ansible_collections.clusternet.fabric.plugins.module_utils.model import pod_blocks as model


def discover(reader, source):
    """Read the blocks (a ``k8s.read.Reader``: GET/LIST only)."""
    if source == "node_podcidrs":
        return model.blocks_from_nodes(reader.list("v1", "Node"))
    if source == "calico":
        try:
            items = reader.list(model.CALICO_API_VERSION, model.CALICO_KIND)
        except K8sError as e:
            if e.status == 404:
                raise K8sError(
                    "the API server has no %s (%s): is Calico the cluster's IPAM? source calico reads Calico's "
                    "IPAM block affinities, which exist only with Calico IPAM on the Kubernetes datastore; "
                    "use source node_podcidrs (or frr_pod_blocks in the inventory) otherwise"
                    % (model.CALICO_KIND, model.CALICO_API_VERSION), status=404)
            raise
        return model.blocks_from_affinities(items)
    return model.AT.fail("source", source, "one of %s" % ", ".join(model.SOURCES))


MISSING_WHY = {"node_podcidrs": "no Node of that name or short name",
               "calico": "no confirmed Calico block affinity for a node of that name or short name"}


def run_module(module):
    """Everything ``clusternet.fabric.pod_blocks`` does, given its AnsibleModule."""
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.read import Reader
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient, require_kubernetes

    require_kubernetes(module)
    source = module.params["source"]
    try:
        blocks = discover(Reader(KubeClient.from_params(module.params)), source)
        node_blocks, missing = model.match_nodes(module.params["nodes"], blocks)
    except (K8sError, checks.InputError) as e:
        module.fail_json(msg=str(e))
    for host in missing:
        module.warn("pod blocks (source %s): %s is not found in the cluster (%s); it gets no discovered pod blocks"
                    % (source, host, MISSING_WHY[source]))
    module.exit_json(changed=False, blocks=blocks, node_blocks=node_blocks, missing=missing)
