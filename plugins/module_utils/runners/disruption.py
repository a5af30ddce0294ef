# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The node_disruption_policy module's work: one owner's entries of
MachineConfiguration/cluster's node disruption policy (render/disruption.py),
server-side applied under the owner's field manager, so they merge with
everyone else's and go away alone."""

from __future__ import annotations

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import disruption

NOT_THERE = ("MachineConfiguration %s not found: the machine-config operator creates it on OpenShift 4.14 and later, "
             "and nothing else reads a node disruption policy; nothing is written" % disruption.NAME)


def owned(live, manager):
    """True when ``manager`` has applied fields of ``live``."""
    return any(m.get("manager") == manager and m.get("operation") == "Apply" and m.get("fieldsV1")
               for m in ((live or {}).get("metadata") or {}).get("managedFields") or [])


def run_module(module):
    """Everything ``clusternet.fabric.node_disruption_policy`` does, given its AnsibleModule."""
    p = module.params
    try:
        manager = disruption.field_manager(p["owner"])
        supported = disruption.supported(p["openshift_version"])
        entries = disruption.policy(p["files"], p["units"]) if p["state"] != "absent" else None
    except checks.InvalidInput as exc:
        module.fail_json(msg=str(exc))
    if entries is not None and not any(entries.values()):
        entries = None  # no entry to own: the same as absent
    manifest = disruption.manifest(entries)
    out = {"changed": False, "field_manager": manager, "manifest": manifest}
    if p["state"] == "rendered":
        module.exit_json(**out)
    if not supported:
        module.exit_json(skipped=True, msg="OpenShift %s has no node disruption policy (it has one from %d.%d): "
                         "nothing written" % (p["openshift_version"], disruption.FIRST_RELEASE[0],
                                              disruption.FIRST_RELEASE[1]), **out)

    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import (
        K8sError, KubeClient, require_kubernetes)

    require_kubernetes(module)
    try:
        applier = Applier(KubeClient.from_params(p), field_manager=manager, force_conflicts=p["force_conflicts"],
                          check_mode=module.check_mode, diff=module._diff)
        try:
            live = applier.get(disruption.API_VERSION, disruption.KIND, disruption.NAME)
        except K8sError as exc:
            if exc.status != 404:  # 404 here: the API server does not serve the kind at all
                raise
            live = None
        if live is None:
            if entries is not None:  # (to remove from an object that is not there: nothing to say)
                module.warn(NOT_THERE)
            module.exit_json(skipped=True, msg=NOT_THERE, **out)
        drop = disruption.exclusive_entries(live, manager, entries)
        if any(drop.values()):
            applier.modify(disruption.API_VERSION, disruption.KIND, disruption.NAME,
                           lambda obj: disruption.without(obj, drop))
            live = applier.get(disruption.API_VERSION, disruption.KIND, disruption.NAME) if not module.check_mode \
                else live
        if entries is None and not owned(live, manager):
            if not any(drop.values()):
                applier.record_unchanged(live)  # nothing of ours to remove: no request at all
        else:
            # not labelled: the object is the MCO's; only our entries are ours
            applier.apply(manifest, before=live, label=False)
    except K8sError as exc:
        out.update(applier.result() if "applier" in locals() else {})
        module.fail_json(msg="node disruption policy: %s" % exc.msg, status=exc.status, **out)
    out.update(applier.result())
    module.exit_json(**out)
