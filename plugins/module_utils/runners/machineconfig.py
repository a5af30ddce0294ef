# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The machineconfig module's work: render (render/machineconfig.py), then write the
MachineConfigs to an install directory or through the apply engine, and wait for
their pools to roll out.
"""

from __future__ import annotations

import json

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render.machineconfig import (
    API_VERSION,
    KIND,
    MC_KEYS,
    RUN,
    ROLE_LABEL,
    check_name,
    ignition_version_for,
    keep_live_encoding,
    readable,
    render_machineconfigs,
)


def install_manifest_name(name):
    """File name openshift-install uses for MachineConfig manifests in <dir>/openshift/."""
    return "99_openshift-machineconfig_%s.yaml" % name


# -- MachineConfigPool rollout -------------------------------------------------

def pool_rollout(pool, present_names=(), absent_names=()):
    """(done, summary) for a MachineConfigPool object (None = pool missing).

    Done when the controller saw the current spec (observedGeneration), the
    Updated condition is True, every machine runs the pool's rendered config,
    and that rendered config is built from every name in ``present_names``
    and none in ``absent_names`` (so an old "Updated" does not count).
    """
    if pool is None:
        return False, {"updated": False, "reason": "pool does not exist"}
    meta = pool.get("metadata") or {}
    status = pool.get("status") or {}
    conditions = {c.get("type"): c for c in status.get("conditions") or []}
    updated = (conditions.get("Updated") or {}).get("status") == "True"
    degraded = (conditions.get("Degraded") or {}).get("status") == "True"
    sources = {s.get("name") for s in (status.get("configuration") or {}).get("source") or []}
    summary = {
        "updated": False,
        "machineCount": status.get("machineCount"),
        "updatedMachineCount": status.get("updatedMachineCount"),
        "degradedMachineCount": status.get("degradedMachineCount"),
        "rendered": (status.get("configuration") or {}).get("name"),
    }
    reasons = []
    if status.get("observedGeneration") is None or status.get("observedGeneration") < meta.get("generation", 0):
        reasons.append("controller has not observed generation %s yet" % meta.get("generation"))
    missing = sorted(set(present_names) - sources)
    if missing:
        reasons.append("rendered config does not include %s yet" % ", ".join(missing))
    stale = sorted(set(absent_names) & sources)
    if stale:
        reasons.append("rendered config still includes %s" % ", ".join(stale))
    if not updated:
        reasons.append("condition Updated is not True")
    if status.get("machineCount") is None or status.get("updatedMachineCount") != status.get("machineCount"):
        reasons.append("%s of %s machines updated" % (status.get("updatedMachineCount"), status.get("machineCount")))
    if degraded:
        reasons.append("pool is Degraded: %s" % (conditions["Degraded"].get("message") or "?"))
    summary["degraded"] = degraded
    if reasons:
        summary["reason"] = "; ".join(reasons)
        return False, summary
    summary["updated"] = True
    return True, summary


POOL_API_VERSION = API_VERSION
POOL_KIND = "MachineConfigPool"


def specs_from_params(params):
    keys = MC_KEYS
    if params.get("machineconfigs") is not None:
        return [dict((k, v) for k, v in item.items() if k in keys) for item in params["machineconfigs"]]
    return [dict((k, params.get(k)) for k in keys)]


def to_yaml(obj):
    try:
        import yaml
    except ImportError:  # JSON is YAML; openshift-install reads both
        return json.dumps(obj, indent=2, sort_keys=True) + "\n"
    return yaml.safe_dump(obj, default_flow_style=False, sort_keys=False)


def write_manifests(objects, names, install_dir, state, check_mode):
    """Write (or remove) <install_dir>/openshift/99_openshift-machineconfig_<name>.yaml."""
    import os

    directory = os.path.join(install_dir, "openshift")
    results, diffs = [], []
    if state == "present" and not os.path.isdir(install_dir):
        RUN.fail("install_dir", install_dir,
                 "not a directory (run openshift-install create install-config first)")
    wanted = dict((o["metadata"]["name"], to_yaml(o)) for o in objects)
    for name in names:
        path = os.path.join(directory, install_manifest_name(name))
        before = None
        if os.path.exists(path):
            with open(path, "r") as handle:
                before = handle.read()
        after = wanted.get(name) if state == "present" else None
        if before == after:
            action = "unchanged" if after is not None else "absent"
        elif after is None:
            action = "deleted"
            if not check_mode:
                os.remove(path)
        else:
            action = "created" if before is None else "updated"
            if not check_mode:
                if not os.path.isdir(directory):
                    os.makedirs(directory, 0o755)
                tmp = path + ".tmp"
                with open(tmp, "w") as handle:
                    handle.write(after)
                os.chmod(tmp, 0o644)
                os.rename(tmp, path)
        if action in ("created", "updated", "deleted"):
            diffs.append({"before": before or "", "after": after or "",
                          "before_header": path, "after_header": path})
        results.append({"path": path, "action": action})
    return results, diffs


def wait_for_pools(applier, present, absent, timeout, sleep):
    """Poll the pools of the changed MachineConfigs; returns (ok, {pool: summary}).
    A brief API outage during the wait is waited out (k8s/wait.py)."""
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.wait import poll

    pools = {}
    for obj, bucket in [(o, "present") for o in present] + [(o, "absent") for o in absent]:
        role = ((obj.get("metadata") or {}).get("labels") or {}).get(ROLE_LABEL)
        if role:
            pools.setdefault(role, {"present": [], "absent": []})[bucket].append(obj["metadata"]["name"])
    summaries = {}

    def check():
        done = True
        for role, names in sorted(pools.items()):
            pool = applier.get(POOL_API_VERSION, POOL_KIND, role)
            ok, summaries[role] = pool_rollout(pool, names["present"], names["absent"])
            done = done and ok
        return done, summaries

    done, _value, error = poll(check, timeout, sleep)
    if error is not None:
        for role in pools:
            summary = summaries.setdefault(role, {"updated": False})
            summary["reason"] = "%s%s" % ("%s; " % summary["reason"] if summary.get("reason") else "",
                                          "the API did not answer at the end: %s" % error.msg)
    return done, summaries


def run_module(module):
    """Everything ``clusternet.fabric.machineconfig`` does, given its AnsibleModule."""
    p = module.params
    state = p["state"]
    try:
        if state == "absent":
            names = [s["name"] for s in specs_from_params(p)]
            for index, name in enumerate(names):
                check_name(RUN, "name" if p.get("name") else "machineconfigs[%d].name" % index, name)
            objects, warnings = [], []
            ignition = ignition_version_for(p.get("openshift_version"))
        else:
            ignition = ignition_version_for(p.get("openshift_version"))
            objects, warnings = render_machineconfigs(specs_from_params(p), p.get("openshift_version"))
            names = [o["metadata"]["name"] for o in objects]
    except checks.InputError as exc:
        module.fail_json(msg=str(exc))
    for warning in warnings:
        module.warn(warning)

    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import with_prune_labels

    objects = [with_prune_labels(o, p.get("prune_set")) for o in objects]
    out = {"changed": False, "machineconfigs": objects, "ignition_version": ignition}
    if state == "rendered":
        module.exit_json(**out)

    if p.get("install_dir"):
        try:
            manifests, diffs = write_manifests(objects, names, p["install_dir"], state, module.check_mode)
        except (checks.InputError, OSError) as exc:
            module.fail_json(msg=str(exc), **out)
        out["manifests"] = manifests
        out["changed"] = any(m["action"] in ("created", "updated", "deleted") for m in manifests)
        if module._diff:
            out["diff"] = diffs
        module.exit_json(**out)

    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import Applier
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import (
        K8sError, KubeClient, require_kubernetes)

    require_kubernetes(module)
    try:
        applier = Applier.from_module(module, KubeClient.from_params(p))
        applier.diff_view = readable
        if state == "present":
            applier.apply_all(objects, prune_set=p.get("prune_set"), prepare=keep_live_encoding)
            if p.get("prune_set") and not objects:
                # apply_all prunes per kind it applied; with nothing to apply, prune here.
                applier.prune(API_VERSION, KIND, p["prune_set"], keep=[])
        else:
            applier.delete_all([(API_VERSION, KIND, name, None) for name in names])
        out.update(applier.result())
        out["machineconfigs"] = objects
        out["ignition_version"] = ignition
        if p["wait"] and not module.check_mode:
            present = [r["object"] for r in applier.results
                       if r["action"] in ("created", "updated", "unchanged") and r["object"]]
            gone = [r["object"] for r in applier.results if r["action"] in ("deleted", "pruned") and r["object"]]
            ok, out["pools"] = wait_for_pools(applier, present, gone, p["wait_timeout"], p["wait_sleep"])
            if not ok:
                module.fail_json(msg="MachineConfigPool(s) not updated after %ss: %s" % (
                    p["wait_timeout"], "; ".join("%s: %s" % (k, v.get("reason")) for k, v in
                                                 sorted(out["pools"].items()) if not v["updated"])), **out)
    except K8sError as exc:
        out.update(applier.result() if "applier" in locals() else {})
        module.fail_json(msg=exc.msg, status=exc.status, **out)
    module.exit_json(**out)
