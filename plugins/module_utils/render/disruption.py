# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenShift's node disruption policy, as data.

From 4.16 (TechPreviewNoUpgrade; every cluster from 4.17) the MCO reads
``spec.nodeDisruptionPolicy`` of ``MachineConfiguration/cluster``
(operator.openshift.io/v1): for a MachineConfig change that touches only files
and units with a policy, it runs the policies' actions (restart or reload a
service, daemon-reload, nothing) instead of draining and rebooting the node.
A changed file or unit without a policy still reboots it, so a policy lists
every file and unit of its MachineConfigs.

``files`` and ``units`` are list-maps (keys ``path`` and ``name``): applied
server-side under a field manager of its own, a set of entries merges with the
entries others set, and applying no entries removes exactly this set. The
API's own rules (an action list holds at most 10; Reboot and None stand alone;
``restart``/``reload`` name a service exactly when the type asks for one) are
checked here, before anything is sent. 4.16 matches exact paths only (4.17 also
directories), so entries name files.
"""

from __future__ import annotations

import json
import re

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

API_VERSION = "operator.openshift.io/v1"
KIND = "MachineConfiguration"
NAME = "cluster"
FIRST_RELEASE = (4, 16)
ACTION_TYPES = ("Reboot", "Drain", "Reload", "Restart", "DaemonReload", "None")
MAX_ENTRIES = 50   # per list, in the CRD
MAX_ACTIONS = 10
STANDALONE = ("Reboot", "None")
_SERVICE_KEY = {"Reload": "reload", "Restart": "restart"}
_OWNER = re.compile(r"[a-z0-9]([-a-z0-9_.]{0,62}[a-z0-9])?")

AT = checks.At("node disruption policy")


def restart(service):
    return {"type": "Restart", "restart": {"serviceName": service}}


def reload(service):
    return {"type": "Reload", "reload": {"serviceName": service}}


DAEMON_RELOAD = {"type": "DaemonReload"}
NOTHING = {"type": "None"}


def supported(openshift_version):
    """True when the cluster's release has node disruption policies (4.16 on)."""
    # imported here: render/machineconfig imports render/node_routes, which imports this
    from ansible_collections.clusternet.fabric.plugins.module_utils.render.machineconfig import openshift_minor

    return openshift_minor(openshift_version) >= FIRST_RELEASE


def field_manager(owner):
    """The field manager a set of entries is applied under: one per owner (a role), so
    one owner's removal leaves every other owner's entries alone."""
    if not isinstance(owner, str) or not _OWNER.fullmatch(owner):
        AT.fail("owner", owner, "a short name in lower case (letters, digits, '-', '_', '.'), e.g. node-routes")
    return "clusternet.fabric/%s" % owner


def actions(value, field):
    """One entry's actions, checked as the API checks them; returns them normalised."""
    if not isinstance(value, list) or not value:
        AT.fail(field, value, "a non-empty list of actions, e.g. [{type: Restart, restart: {serviceName: x.service}}]")
    if len(value) > MAX_ACTIONS:
        AT.fail(field, value, "at most %d actions" % MAX_ACTIONS)
    out = []
    for index, action in enumerate(value):
        where = "%s[%d]" % (field, index)
        action = checks.mapping(action, where, AT, known=("type", "reload", "restart"))
        kind = checks.one_of(action.get("type"), where + ".type", AT, ACTION_TYPES)
        item = {"type": kind}
        for type_, key in (("Reload", "reload"), ("Restart", "restart")):
            if (kind == type_) != (action.get(key) is not None):
                AT.fail(where + "." + key, action.get(key), "%s is required when type is %s, and forbidden otherwise"
                        % (key, type_))
        key = _SERVICE_KEY.get(kind)
        if key:
            service = checks.mapping(action[key], "%s.%s" % (where, key), AT, known=("serviceName",))
            item[key] = {"serviceName": checks.unit_name(service.get("serviceName"), "%s.%s.serviceName"
                                                         % (where, key), AT)}
        out.append(item)
    for kind in STANDALONE:
        if len(out) > 1 and any(a["type"] == kind for a in out):
            AT.fail(field, value, "a %s action stands alone (it overrides every other action)" % kind)
    return out


def policy(files=None, units=None):
    """{files: [{path, actions}], units: [{name, actions}]}, checked, in path and name order."""
    out = {}
    for list_name, given, key, check in (("files", files, "path", checks.abs_path),
                                         ("units", units, "name", checks.unit_name)):
        entries = checks.listing(given, list_name, AT)
        if len(entries) > MAX_ENTRIES:
            AT.fail(list_name, "%d entries" % len(entries), "at most %d (the cluster's limit, for every owner)"
                    % MAX_ENTRIES)
        seen, checked = {}, []
        for index, entry in enumerate(entries):
            where = "%s[%d]" % (list_name, index)
            entry = checks.mapping(entry, where, AT, known=(key, "actions"))
            ident = check(entry.get(key), where + "." + key, AT)
            if ident in seen:
                AT.fail(where + "." + key, ident, "listed twice (also %s[%d])" % (list_name, seen[ident]))
            seen[ident] = index
            checked.append({key: ident, "actions": actions(entry.get("actions"), where + ".actions")})
        out[list_name] = sorted(checked, key=lambda e: e[key])
    return out


LISTS = (("files", "path"), ("units", "name"))


def manifest(entries=None):
    """What is applied: the entries under spec.nodeDisruptionPolicy, or (None) an object
    with no spec at all, which releases every entry of the field manager applying it."""
    obj = {"apiVersion": API_VERSION, "kind": KIND, "metadata": {"name": NAME}}
    if entries is not None:
        obj["spec"] = {"nodeDisruptionPolicy": {k: v for k, v in entries.items() if v}}
    return obj


def _keys(fields, list_name, key):
    """The entries (by path or name) a managedFields entry's FieldsV1 holds in one list."""
    items = (((fields or {}).get("f:spec") or {}).get("f:nodeDisruptionPolicy") or {}).get("f:" + list_name) or {}
    out = set()
    for item in items:
        if item.startswith("k:"):
            try:
                out.add(json.loads(item[2:]).get(key))
            except (ValueError, AttributeError):
                continue
    return out


def exclusive_entries(live, manager, keep=None):
    """{list: {path or name}} of the entries only ``manager`` owns in ``live`` and that are
    not in ``keep`` (its wanted entries): what goes when it stops listing them. Server-side
    apply would drop them too, but a list-map whose last item goes that way can be left
    null, which the schema refuses (kube-apiserver 1.20); the module removes these itself
    (a read-modify-write), and apply only releases what others share."""
    mine, theirs = {n: set() for n, _k in LISTS}, {n: set() for n, _k in LISTS}
    for entry in ((live or {}).get("metadata") or {}).get("managedFields") or []:
        target = mine if entry.get("manager") == manager and entry.get("operation") == "Apply" else theirs
        for list_name, key in LISTS:
            target[list_name] |= _keys(entry.get("fieldsV1"), list_name, key)
    wanted = {n: {e[k] for e in (keep or {}).get(n) or []} for n, k in LISTS}
    return {n: mine[n] - theirs[n] - wanted[n] for n, _k in LISTS}


def without(obj, drop):
    """``obj`` (the live object) without the entries ``drop`` names; an emptied list goes whole."""
    policy = (obj.get("spec") or {}).get("nodeDisruptionPolicy") or {}
    for list_name, key in LISTS:
        if drop.get(list_name) and list_name in policy:
            policy[list_name] = [e for e in policy[list_name] or [] if e.get(key) not in drop[list_name]]
            if not policy[list_name]:
                del policy[list_name]
    return obj
