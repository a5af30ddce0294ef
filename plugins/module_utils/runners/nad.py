# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The nad module's work: validate, then write NADs or CNO entries through the apply engine."""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import nad as nad_render
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError
from ansible_collections.clusternet.fabric.plugins.module_utils.render.nad import (
    CNO_API_VERSION,
    CNO_KIND,
    CNO_NAME,
    NAD_API_VERSION,
    NAD_KIND,
    render_networks,
)


def identities(networks, target):
    """(name, namespace) of each network, for state=absent: checked as render_networks
    checks them (one path), without the CNI config an absent network does not need."""
    return [(name, namespace) for _field, _net, name, namespace in nad_render.identities(networks, target)]


# Network/cluster is shared with the cluster's admins: the entries we wrote are
# listed here ("namespace/name", comma-separated), and only those are replaced or
# removed without force.
OWNED_ANNOTATION = "clusternet.fabric/additional-networks"


def entry_key(entry):
    return entry.get("namespace") or "default", entry.get("name")


def merge_additional_networks(network, wanted=(), remove=(), force=False):
    """Replace our entries (by namespace and name) in place, append new ones, drop
    the ``remove`` keys ((namespace, name)); keep all others.  An entry of the same
    namespace and name that we did not write is refused (K8sError) unless ``force``."""
    spec = network.setdefault("spec", {})
    meta = network.setdefault("metadata", {})
    annotations = meta.get("annotations") or {}
    owned = set(tuple(k.split("/", 1)) for k in (annotations.get(OWNED_ANNOTATION) or "").split(",") if "/" in k)
    current = list(spec.get("additionalNetworks") or [])
    by_key = dict((entry_key(e), e) for e in wanted)
    remove = set(remove)
    for entry in current:
        key = entry_key(entry)
        if (key in by_key or key in remove) and key not in owned and not force:
            raise K8sError("Network cluster: additionalNetworks entry %s/%s exists and was not written by "
                           "clusternet.fabric (not in the %s annotation): not %s; set force: true (in the "
                           "multus role, multus_force) to take it over"
                           % (key[0], key[1], OWNED_ANNOTATION, "replaced" if key in by_key else "removed"))
    merged = []
    for entry in current:
        key = entry_key(entry)
        if key in remove:
            continue
        if key in by_key:
            merged.append(by_key.pop(key))
        else:
            merged.append(entry)  # not ours: kept untouched
    merged.extend(e for e in wanted if entry_key(e) in by_key)
    if merged or "additionalNetworks" in spec:
        spec["additionalNetworks"] = merged
    owned = (owned | set(entry_key(e) for e in wanted)) - remove
    if owned:
        annotations[OWNED_ANNOTATION] = ",".join("%s/%s" % k for k in sorted(owned))
        meta["annotations"] = annotations
    elif OWNED_ANNOTATION in annotations:
        del annotations[OWNED_ANNOTATION]
    return network


def _served(applier, api_version, kind, error_class):
    """False when the API does not serve the kind (CRD absent); other errors propagate."""
    try:
        applier.client.resource(api_version, kind)
    except error_class as exc:
        if exc.status == 404:
            return False
        raise
    return True


def run_module(module, networks):
    params = module.params
    state, target = params["state"], params["target"]
    try:
        if state == "absent":
            ids = identities(networks, target)
            rendered = [{"name": n, "namespace": ns} for n, ns in ids]
        else:
            nets = render_networks(networks, target=target)
            rendered = [n["object"] for n in nets]
    except checks.InputError as exc:
        module.fail_json(msg="nad: %s" % exc)
    if state == "rendered":
        module.exit_json(changed=False, rendered=rendered)

    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import KubeClient, require_kubernetes

    require_kubernetes(module)
    try:
        applier = Applier.from_module(module, KubeClient.from_params(params))
        if target == "nad":
            if state == "present":
                applier.apply_all(rendered)
            elif _served(applier, NAD_API_VERSION, NAD_KIND, K8sError):
                applier.delete_all([(NAD_API_VERSION, NAD_KIND, name, namespace) for name, namespace in ids])
            # else: no NAD CRD (Multus uninstalled): nothing can exist, nothing to delete
        else:
            if state == "present":
                def mutate(obj):
                    return merge_additional_networks(obj, wanted=rendered, force=params.get("force"))
            else:
                keys = set((ns, n) for n, ns in ids)

                def mutate(obj):
                    return merge_additional_networks(obj, remove=keys, force=params.get("force"))
            applier.modify(CNO_API_VERSION, CNO_KIND, CNO_NAME, mutate)
    except K8sError as exc:
        # what was written and what was not (apply_all's dry run usually stops a call before any write)
        out = applier.result() if "applier" in locals() else {}
        module.fail_json(msg="nad: %s" % exc.msg, rendered=rendered, **out)
    module.exit_json(rendered=rendered, **applier.result())
