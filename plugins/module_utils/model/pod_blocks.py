# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pod CIDR blocks per node, read from the cluster (read-only).

Two sources:

- ``node_podcidrs``: core v1 Node ``spec.podCIDRs`` (the node IPAM of
  kube-controller-manager), falling back to ``spec.podCIDR`` (older servers).
- ``calico``: Calico IPAM ``BlockAffinity`` objects (``crd.projectcalico.org/v1``,
  cluster-scoped); only ``state: confirmed`` affinities count, and not those
  marked ``deleted: "true"`` (a string in Calico's CRD).

Matching cluster node names to inventory hosts is by exact name first, then by
short name (the part before the first dot) on both sides.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

SOURCES = ("node_podcidrs", "calico")

CALICO_API_VERSION = "crd.projectcalico.org/v1"
CALICO_KIND = "BlockAffinity"


AT = checks.At("pod_blocks")


def _cidr_key(cidr):
    try:
        net = ipaddress.ip_network(cidr, strict=False)
        return (0, net.version, int(net.network_address), net.prefixlen, cidr)
    except ValueError:  # left for the fabric model to reject, naming the value
        return (1, 0, 0, 0, str(cidr))


def _sorted_blocks(by_node):
    return dict((node, sorted(set(cidrs), key=_cidr_key)) for node, cidrs in sorted(by_node.items()))


def blocks_from_nodes(nodes):
    """{node name: [cidr, ...]} from Node objects (nodes without a CIDR get [])."""
    out = {}
    for node in nodes:
        name = (node.get("metadata") or {}).get("name")
        if not name:
            continue
        spec = node.get("spec") or {}
        cidrs = spec.get("podCIDRs") or ([spec["podCIDR"]] if spec.get("podCIDR") else [])
        out.setdefault(name, []).extend(str(c) for c in cidrs)
    return _sorted_blocks(out)


def affinity_counts(affinity):
    """A BlockAffinity gives its block to its node only when confirmed and not being deleted."""
    spec = affinity.get("spec") or {}
    deleted = str(spec.get("deleted", "false")).strip().lower() == "true"
    return spec.get("state") == "confirmed" and not deleted and bool(spec.get("node")) and bool(spec.get("cidr"))


def blocks_from_affinities(affinities):
    """{node name: [cidr, ...]} from Calico BlockAffinity objects."""
    out = {}
    for affinity in affinities:
        if affinity_counts(affinity):
            spec = affinity["spec"]
            out.setdefault(str(spec["node"]), []).append(str(spec["cidr"]))
    return _sorted_blocks(out)


def short_name(name):
    """The host part of a DNS name; an IP address stays whole."""
    name = str(name)
    try:
        ipaddress.ip_address(name)
        return name
    except ValueError:
        return name.split(".", 1)[0]


def match_nodes(hosts, blocks):
    """Map inventory hosts to the cluster's blocks.

    Exact name first, then short name on both sides. Returns
    ``(node_blocks, missing)``: ``{host: [cidr, ...]}`` for every host found in
    the cluster, and the sorted hosts that are not. Two cluster nodes sharing a
    host's short name (and none named exactly like it) is an error.
    """
    by_short = {}
    for name in blocks:
        by_short.setdefault(short_name(name), []).append(name)
    node_blocks, missing = {}, []
    for index, host in enumerate(hosts or []):
        if host in blocks:
            node_blocks[host] = list(blocks[host])
            continue
        found = sorted(by_short.get(short_name(host), []))
        if len(found) > 1:
            AT.fail(
                "nodes[%d]" % index, host, "matches several cluster nodes by short name: %s; name the host like its Node"
                % ", ".join(found))
        if found:
            node_blocks[host] = list(blocks[found[0]])
        else:
            missing.append(host)
    return node_blocks, sorted(missing)
