# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The nad module's work: validate, then write NADs or CNO entries through the apply engine."""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils.cni_validate import (
    CNIConfigError,
    check_dns1123_label,
    fail,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.nad_render import (
    CNO_API_VERSION,
    CNO_KIND,
    CNO_NAME,
    NAD_API_VERSION,
    NAD_KIND,
    render_networks,
)


def identities(networks, target):
    """(name, namespace) of each network, for state=absent: only names are needed."""
    if not isinstance(networks, list):
        fail("networks", networks, "must be a list")
    out, seen = [], set()
    for i, net in enumerate(networks):
        field = "networks[%d]" % i
        if not isinstance(net, dict) or net.get("name") is None:
            fail(field + ".name", None, "is required")
        check_dns1123_label(net["name"], field + ".name")
        namespace = net.get("namespace") or "default"
        check_dns1123_label(namespace, field + ".namespace")
        key = net["name"] if target == "cno" else (namespace, net["name"])
        if key in seen:
            fail(field + ".name", net["name"], "is defined twice")
        seen.add(key)
        out.append((net["name"], namespace))
    return out


def merge_additional_networks(network, wanted=(), remove=()):
    """Replace our entries by name in place, append new ones, drop `remove`; keep all others."""
    spec = network.setdefault("spec", {})
    current = list(spec.get("additionalNetworks") or [])
    by_name = {e["name"]: e for e in wanted}
    merged = []
    for entry in current:
        name = entry.get("name")
        if name in remove:
            continue
        if name in by_name:
            merged.append(by_name.pop(name))
        else:
            merged.append(entry)  # not ours: kept untouched
    merged.extend(e for e in wanted if e["name"] in by_name)
    if merged or "additionalNetworks" in spec:
        spec["additionalNetworks"] = merged
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
    except CNIConfigError as exc:
        module.fail_json(msg="nad: %s" % exc)
    if state == "rendered":
        module.exit_json(changed=False, rendered=rendered)

    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import (
        K8sError,
        KubeClient,
        require_kubernetes,
    )

    require_kubernetes(module)
    try:
        applier = Applier.from_module(module, KubeClient.from_params(params))
        if target == "nad":
            if state == "present":
                applier.apply_all(rendered)
            elif _served(applier, NAD_API_VERSION, NAD_KIND, K8sError):
                for name, namespace in ids:
                    applier.delete(NAD_API_VERSION, NAD_KIND, name, namespace)
            # else: no NAD CRD (Multus uninstalled): nothing can exist, nothing to delete
        else:
            if state == "present":
                def mutate(obj):
                    return merge_additional_networks(obj, wanted=rendered)
            else:
                names = set(n for n, _ns in ids)

                def mutate(obj):
                    return merge_additional_networks(obj, remove=names)
            applier.modify(CNO_API_VERSION, CNO_KIND, CNO_NAME, mutate)
    except K8sError as exc:
        # what was written and what was not (apply_all's dry run usually stops a call before any write)
        out = applier.result() if "applier" in locals() else {}
        module.fail_json(msg="nad: %s" % exc.msg, rendered=rendered, **out)
    module.exit_json(rendered=rendered, **applier.result())
