# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one Kubernetes apply engine every module of the collection uses.

* present: server-side apply (``PATCH`` ``application/apply-patch+yaml``) with
  a field manager (default ``clusternet.fabric``); the server merges, so only
  the fields we send are ours.
* check mode: the same requests with ``dryRun=All``; the server answers with
  what it would store, so check mode tells the truth (defaults, conflicts,
  validation errors included).
* changed: a real apply is a change when the server's ``resourceVersion``
  moved; in check mode when the dry-run answer differs from the live object
  (ignoring server bookkeeping, see ``diff.normalize``).
* absent: ``DELETE`` (changed only when the object existed).
* ownership: an existing object without the label ``app.kubernetes.io/managed-by:
  clusternet.fabric`` is somebody else's: it is neither replaced (apply) nor
  deleted unless ``force`` is set; the call is refused before any write.
* prune: objects carrying BOTH ``app.kubernetes.io/managed-by:
  clusternet.fabric`` and ``clusternet.fabric/prune-set: <set>`` that are not
  in the wanted set are deleted.  Nothing without those labels is touched.
* conflicts (409) name the other field manager(s) and the fields;
  ``force_conflicts`` takes ownership.

Results follow one contract (``Applier.result()`` -> ``exit_json(**...)``):
``changed``, ``results`` (per object: ``kind``, ``api_version``, ``name``,
``namespace``, ``action`` in created|updated|unchanged|deleted|absent|pruned,
``object``) and ``diff`` (Ansible's list of before/after entries, when asked).
"""

from __future__ import annotations

import copy
import time

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.diff import normalize, object_diff, object_label
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.read import Reader
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.wait import poll

DEFAULT_FIELD_MANAGER = "clusternet.fabric"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY_VALUE = "clusternet.fabric"
PRUNE_SET_LABEL = "clusternet.fabric/prune-set"

APPLY_CONTENT_TYPE = "application/apply-patch+yaml"

#: Options for modules that apply objects (doc fragment ``clusternet.fabric.k8s_auth.apply``).
APPLY_ARG_SPEC = dict(
    field_manager=dict(type="str", default=DEFAULT_FIELD_MANAGER),
    force_conflicts=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
)

#: Fetch the live objects of a kind with one LIST instead of one GET each
#: from this many objects on.
LIST_THRESHOLD = 8

ACTIONS = ("created", "updated", "unchanged", "deleted", "absent", "pruned")
CHANGING_ACTIONS = ("created", "updated", "deleted", "pruned")


class _Staged:
    """One manifest of an apply, ready to send."""

    __slots__ = ("obj", "res", "api_version", "kind", "name", "namespace", "before", "unchanged")

    def __init__(self, obj, res, api_version, kind, name, namespace, before, unchanged):
        self.obj, self.res, self.before, self.unchanged = obj, res, before, unchanged
        self.api_version, self.kind, self.name, self.namespace = api_version, kind, name, namespace

    @property
    def label(self):
        return object_label(None, self.kind, self.name, self.namespace)


class K8sConflict(K8sError):
    """Server-side apply refused: fields belong to another field manager."""

    def __init__(self, msg, managers, fields, body=None):
        super().__init__(msg, status=409, body=body)
        self.managers = managers
        self.fields = fields


def _without_managed_fields(obj):
    """The object as a module returns it: without metadata.managedFields (the server's
    bookkeeping, often most of the object's size, which Ansible would then copy and
    scan for secrets once per object)."""
    metadata = (obj or {}).get("metadata") if isinstance(obj, dict) else None
    if not metadata or "managedFields" not in metadata:
        return obj
    return dict(obj, metadata={k: v for k, v in metadata.items() if k != "managedFields"})


def identity(obj):
    """``(apiVersion, kind, name, namespace)`` of a manifest, checked."""
    if not isinstance(obj, dict):
        raise K8sError("a Kubernetes object must be a mapping, got %s" % type(obj).__name__)
    meta = obj.get("metadata") or {}
    missing = [f for f, v in (("apiVersion", obj.get("apiVersion")), ("kind", obj.get("kind")), ("metadata.name", meta.get("name"))) if not v]
    if missing:
        raise K8sError("Kubernetes object %s is missing %s" % (object_label(obj), ", ".join(missing)))
    return obj["apiVersion"], obj["kind"], meta["name"], meta.get("namespace")


def with_prune_labels(obj, prune_set=None):
    """Copy of ``obj`` labelled as ours (and as member of ``prune_set``)."""
    out = copy.deepcopy(obj)
    labels = out.setdefault("metadata", {}).setdefault("labels", {}) or {}
    out["metadata"]["labels"] = labels
    labels[MANAGED_BY_LABEL] = MANAGED_BY_VALUE
    if prune_set:
        labels[PRUNE_SET_LABEL] = prune_set
    return out


def managed(obj):
    """True when ``obj`` carries the collection's managed-by label."""
    return ((obj or {}).get("metadata") or {}).get("labels", {}).get(MANAGED_BY_LABEL) == MANAGED_BY_VALUE


def not_ours_error(label, verb):
    return K8sError("%s exists and is not managed by clusternet.fabric (no label %s=%s): not %s; "
                    "set force: true (in a role, <role>_force) to %s it anyway"
                    % (label, MANAGED_BY_LABEL, MANAGED_BY_VALUE, verb, {"replaced": "replace"}.get(verb, "delete")))


def prune_selector(prune_set):
    return "%s=%s,%s=%s" % (MANAGED_BY_LABEL, MANAGED_BY_VALUE, PRUNE_SET_LABEL, prune_set)


def _fingerprint(obj):
    """What check mode compares: normalised object plus field ownership (without times)."""
    if obj is None:
        return None
    owners = sorted(
        ((m.get("manager"), m.get("operation"), m.get("subresource"), repr(m.get("fieldsV1"))) for m in (obj.get("metadata") or {}).get("managedFields") or []),
        key=repr,
    )
    return normalize(obj), owners


def conflict_error(label, body, field_manager):
    """A :class:`K8sConflict` naming the other managers and the fields."""
    causes = ((body or {}).get("details") or {}).get("causes") or []
    managers, fields = [], []
    for cause in causes:
        message = cause.get("message", "")
        if '"' in message:
            manager = message.split('"')[1]
            if manager not in managers:
                managers.append(manager)
        if cause.get("field") and cause["field"] not in fields:
            fields.append(cause["field"])
    msg = (
        "%s: server-side apply conflict: field(s) %s owned by field manager(s) %s, not by %s; "
        "change them there, or set force_conflicts: true (in a role, <role>_force_conflicts) to take ownership"
    ) % (
        label,
        ", ".join(fields) or "?",
        ", ".join('"%s"' % m for m in managers) or "?",
        '"%s"' % field_manager,
    )
    if not causes and body and body.get("message"):
        msg += " (%s)" % body["message"]
    return K8sConflict(msg, managers, fields, body=body)


def _fields(value):
    """The FieldsV1 shape of a manifest value: maps recurse, everything else is a leaf."""
    if isinstance(value, dict):
        return {"f:" + k: _fields(v) for k, v in value.items()}
    return {}


def _covers(ours, recorded):
    """True when the server's record of our fields matches ``ours`` key for key.

    Where the server records a leaf (``{}``) for a map we send, it owns that map
    as a whole (e.g. below x-kubernetes-preserve-unknown-fields); values are
    compared separately.
    """
    if not recorded:
        return True
    if set(ours) != set(recorded):
        return False
    return all(_covers(ours[k], recorded[k]) for k in ours)


def _contains(live, ours):
    if isinstance(ours, dict):
        return isinstance(live, dict) and all(k in live and _contains(live[k], v) for k, v in ours.items())
    return live == ours


def already_applied(live, obj, field_manager):
    """True when applying ``obj`` would change nothing, so no request is needed.

    That holds when every value we send is already live AND the server's record
    of what ``field_manager`` applied (its ``Apply`` managedFields entry for this
    apiVersion) is exactly the set of fields we send: a field we stopped
    sending must still go through the server so it is removed.  Anything
    unusual (granular lists, several entries) answers False: the caller then
    simply applies.
    """
    if live is None or (live.get("metadata") or {}).get("deletionTimestamp"):
        return False
    entries = [
        m
        for m in (live.get("metadata") or {}).get("managedFields") or []
        if m.get("manager") == field_manager and m.get("operation") == "Apply" and not m.get("subresource")
    ]
    if len(entries) != 1 or entries[0].get("apiVersion") != obj.get("apiVersion") or entries[0].get("fieldsType") != "FieldsV1":
        return False
    ours = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
    meta = {k: v for k, v in (ours.get("metadata") or {}).items() if k not in ("name", "namespace")}
    if meta:
        ours["metadata"] = meta
    else:
        ours.pop("metadata", None)
    return _contains(live, ours) and _covers(_fields(ours), entries[0].get("fieldsV1") or {"": None})


class Applier(Reader):
    """Apply, delete and prune objects through one :class:`KubeClient` (and read, see ``Reader``).

    Collects per-object results; ``result()`` gives what modules pass to
    ``exit_json``.
    """

    def __init__(self, client, field_manager=DEFAULT_FIELD_MANAGER, force_conflicts=False, check_mode=False, diff=False,
                 force=False):
        super().__init__(client)
        self.field_manager = field_manager or DEFAULT_FIELD_MANAGER
        self.force_conflicts = bool(force_conflicts)
        # act on objects of the same name that the collection does not manage
        self.force = bool(force)
        self.check_mode = bool(check_mode)
        self.want_diff = bool(diff)
        # what a person reads in --diff (e.g. MachineConfig files decoded); see object_diff
        self.diff_view = None
        self.results = []
        self.diffs = []
        # objects a failed call meant to write and did not (see apply_all)
        self.not_written = []

    @classmethod
    def from_module(cls, module, client):
        p = module.params
        return cls(
            client,
            field_manager=p.get("field_manager"),
            force_conflicts=p.get("force_conflicts"),
            force=p.get("force"),
            check_mode=module.check_mode,
            diff=module._diff,
        )

    # -- writing -------------------------------------------------------------
    def _query(self, **extra):
        q = dict(extra)
        if self.check_mode:
            q["dryRun"] = "All"
        return q

    def apply(self, obj, prune_set=None, before=False, label=True, prepare=None):
        """Server-side apply one manifest; returns (and records) its result.

        ``before``: the live object when the caller already has it (None =
        known absent); the default fetches it.  ``label``: add the managed-by
        label (and the prune-set label when ``prune_set`` is given); False
        sends the manifest as it is (e.g. for a shared object like
        Network/cluster where we own only list entries).  ``prepare(obj,
        live)``: returns the manifest to send, given the live object (None
        when absent), e.g. to keep an encoding the server already has.
        """
        staged = self._stage(obj, prune_set, before, label, prepare)
        if staged.unchanged:
            return self._record(staged.kind, staged.api_version, staged.name, staged.namespace, "unchanged",
                                staged.before, staged.before)
        return self._write(staged)

    def _stage(self, obj, prune_set, before, label, prepare):
        """The manifest as it will be sent, its resource and the live object."""
        if label or prune_set:
            obj = with_prune_labels(obj, prune_set)
        else:
            obj = copy.deepcopy(obj)
        api_version, kind, name, namespace = identity(obj)
        res = self.client.resource(api_version, kind)
        if res.namespaced and not namespace:
            namespace = "default"
            obj["metadata"]["namespace"] = namespace
        elif not res.namespaced and namespace:
            obj["metadata"].pop("namespace")
            namespace = None
        if before is False:
            before = self.get(api_version, kind, name, namespace)
        if label and before is not None and not managed(before) and not self.force:
            raise not_ours_error(object_label(None, kind, name, namespace), "replaced")
        if prepare is not None:
            obj = prepare(obj, before)
        return _Staged(obj, res, api_version, kind, name, namespace, before,
                       already_applied(before, obj, self.field_manager))

    def _patch(self, staged, dry_run=False):
        query = self._query(fieldManager=self.field_manager)
        if dry_run:
            query["dryRun"] = "All"
        if self.force_conflicts:
            query["force"] = "true"
        label = object_label(staged.obj, staged.kind, staged.name, staged.namespace)
        try:
            return self.client.request("PATCH", staged.res.path(staged.name, staged.namespace), query=query,
                                       body=staged.obj, content_type=APPLY_CONTENT_TYPE)
        except K8sError as e:
            if e.status == 409:
                raise conflict_error(label, e.body, self.field_manager)
            e.msg = "%s: %s" % (label, e.msg)
            e.args = (e.msg,)
            raise

    def _write(self, staged):
        after = self._patch(staged)
        before = staged.before
        if before is None:
            action = "created"
        elif self.check_mode:
            action = "unchanged" if _fingerprint(before) == _fingerprint(after) else "updated"
        else:
            rv_before = (before.get("metadata") or {}).get("resourceVersion")
            rv_after = (after.get("metadata") or {}).get("resourceVersion")
            action = "unchanged" if rv_before and rv_before == rv_after else "updated"
        return self._record(staged.kind, staged.api_version, staged.name, staged.namespace, action, after, before)

    def apply_all(self, objects, prune_set=None, prepare=None):
        """Apply many manifests, fetching live state with one LIST per kind and namespace.

        All or nothing as far as the API allows: when two or more objects
        need a write, every one of them first passes a server-side dry run
        (validation, admission, conflicts), and only then is the first one
        written.  A write that still fails (the server went away) stops the
        call; ``not_written`` in ``result()`` names what was not written,
        the results what was.  Check mode is a dry run throughout.

        With ``prune_set``, every object is labelled into that set, and for
        every kind in ``objects`` the managed objects of that set that are not
        wanted are deleted afterwards (see ``prune``).  ``prepare``: as for
        ``apply``.
        Returns the list of results of this call.
        """
        start = len(self.results)
        ids = [identity(o) for o in objects]
        seen = set()
        for i in ids:
            if i in seen:
                raise K8sError("%s is listed twice" % object_label(None, i[1], i[2], i[3]))
            seen.add(i)
        live = self._prefetch(ids)
        staged = []
        for obj, (api_version, kind, name, namespace) in zip(objects, ids):
            before = False
            key = (api_version, kind)
            if key in live:
                res = self.client.resource(api_version, kind)
                ns = (namespace or "default") if res.namespaced else None
                before = live[key].get((ns, name))
            staged.append(self._stage(obj, prune_set, before, True, prepare))
        pending = [st for st in staged if not st.unchanged]
        if len(pending) > 1 and not self.check_mode:
            for st in pending:
                try:
                    self._patch(st, dry_run=True)
                except K8sError as e:
                    self.not_written += [p.label for p in pending]
                    e.msg = "%s (refused by the dry run before any write: nothing of this call was written)" % e.msg
                    e.args = (e.msg,)
                    raise
        written = 0
        for st in staged:  # results in the order of ``objects``
            if st.unchanged:
                self._record(st.kind, st.api_version, st.name, st.namespace, "unchanged", st.before, st.before)
                continue
            try:
                self._write(st)
            except K8sError:
                self.not_written += [p.label for p in pending[written:]]
                raise
            written += 1
        if prune_set:
            kinds = []
            for api_version, kind, _n, _ns in ids:
                if (api_version, kind) not in kinds:
                    kinds.append((api_version, kind))
            for api_version, kind in kinds:
                self.prune(api_version, kind, prune_set, keep=[(i[2], i[3]) for i in ids if (i[0], i[1]) == (api_version, kind)])
        return self.results[start:]

    def _prefetch(self, ids):
        """{(apiVersion, kind): {(namespace, name): live}} for kinds with many objects."""
        counts = {}
        for api_version, kind, _name, namespace in ids:
            entry = counts.setdefault((api_version, kind), [0, set()])
            entry[0] += 1
            entry[1].add(namespace)
        live = {}
        for (api_version, kind), (count, namespaces) in counts.items():
            if count < LIST_THRESHOLD:
                continue
            res = self.client.resource(api_version, kind)
            if not res.namespaced:
                scopes = [None]
            else:
                scopes = sorted(ns or "default" for ns in namespaces)
            found = {}
            for ns in scopes:
                for item in self.list(api_version, kind, namespace=ns):
                    meta = item["metadata"]
                    found[(meta.get("namespace") if res.namespaced else None, meta["name"])] = item
            live[(api_version, kind)] = found
        return live

    def delete(self, api_version, kind, name, namespace=None, action="deleted", before=False):
        """Delete one object; ``absent`` (unchanged) when it does not exist."""
        res = self.client.resource(api_version, kind)
        if res.namespaced and not namespace:
            namespace = "default"
        if not res.namespaced:
            namespace = None
        if before is False:
            before = self.get(api_version, kind, name, namespace)
        if before is None or (before.get("metadata") or {}).get("deletionTimestamp"):
            return self._record(kind, api_version, name, namespace, "absent", None, None)
        if not managed(before) and not self.force:
            raise not_ours_error(object_label(None, kind, name, namespace), "deleted")
        try:
            # DeleteOptions in the body override the query string: dryRun goes in both.
            options = {"propagationPolicy": "Background"}
            if self.check_mode:
                options["dryRun"] = ["All"]
            self.client.request("DELETE", res.path(name, namespace), query=self._query(), body=options)
        except K8sError as e:
            if e.status != 404:
                e.msg = "%s: %s" % (object_label(None, kind, name, namespace), e.msg)
                e.args = (e.msg,)
                raise
            return self._record(kind, api_version, name, namespace, "absent", None, None)
        return self._record(kind, api_version, name, namespace, action, None, before)

    def delete_all(self, ids):
        """Delete many objects ((apiVersion, kind, name, namespace) each), all of
        them checked first: one that is not ours (and no ``force``) refuses the
        call before anything is deleted.  Returns the results of this call."""
        start = len(self.results)
        live = self._prefetch(ids)
        befores = []
        for api_version, kind, name, namespace in ids:
            res = self.client.resource(api_version, kind)
            ns = (namespace or "default") if res.namespaced else None
            key = (api_version, kind)
            before = live[key].get((ns, name)) if key in live else self.get(api_version, kind, name, ns)
            if before is not None and not managed(before) and not self.force:
                raise not_ours_error(object_label(None, kind, name, ns), "deleted")
            befores.append(before)
        for (api_version, kind, name, namespace), before in zip(ids, befores):
            self.delete(api_version, kind, name, namespace, before=before)
        return self.results[start:]

    def delete_object(self, obj):
        api_version, kind, name, namespace = identity(obj)
        return self.delete(api_version, kind, name, namespace)

    def prune(self, api_version, kind, prune_set, keep=(), namespace=None):
        """Delete managed members of ``prune_set`` of this kind not in ``keep``.

        ``keep``: (name, namespace) pairs (namespace None/"" = "default" for
        namespaced kinds).  ``namespace`` limits the search; None = all.
        Only objects labelled ``app.kubernetes.io/managed-by=clusternet.fabric``
        AND ``clusternet.fabric/prune-set=<prune_set>`` are candidates.
        """
        if not prune_set:
            raise K8sError("prune needs a non-empty prune set")
        res = self.client.resource(api_version, kind)
        wanted = set()
        for name, ns in keep:
            wanted.add((name, (ns or "default") if res.namespaced else None))
        out = []
        for item in self.list(api_version, kind, namespace=namespace, label_selector=prune_selector(prune_set)):
            meta = item["metadata"]
            labels = meta.get("labels") or {}
            # The server filtered already; check again so a fake or a proxy cannot widen it.
            if labels.get(MANAGED_BY_LABEL) != MANAGED_BY_VALUE or labels.get(PRUNE_SET_LABEL) != prune_set:
                continue
            ns = meta.get("namespace") if res.namespaced else None
            if (meta["name"], ns) in wanted or meta.get("deletionTimestamp"):
                continue
            out.append(self.delete(api_version, kind, meta["name"], ns, action="pruned", before=item))
        return out

    def modify(self, api_version, kind, name, mutate, namespace=None, retries=5):
        """Read-modify-write one object with optimistic concurrency.

        ``mutate(obj)`` gets a deep copy of the live object and returns the
        wanted object (or edits it in place and returns None).  The write is a
        PUT carrying the read ``resourceVersion``; on 409 the object is read
        again and ``mutate`` re-run, up to ``retries`` times.  Prefer server-side
        apply when the list is a list-map (see docs/DEVELOPING.md).
        """
        res = self.client.resource(api_version, kind)
        for attempt in range(retries + 1):
            before = self.get(api_version, kind, name, namespace)
            if before is None:
                raise K8sError("%s does not exist" % object_label(None, kind, name, namespace), status=404)
            wanted = copy.deepcopy(before)
            returned = mutate(wanted)
            if returned is not None:
                wanted = returned
            if normalize(wanted) == normalize(before):
                return self._record(kind, api_version, name, namespace, "unchanged", before, before)
            wanted.setdefault("metadata", {})["resourceVersion"] = before["metadata"]["resourceVersion"]
            try:
                after = self.client.request("PUT", res.path(name, namespace), query=self._query(fieldManager=self.field_manager), body=wanted)
            except K8sError as e:
                if e.status == 409 and attempt < retries:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                e.msg = "%s: %s" % (object_label(None, kind, name, namespace), e.msg)
                e.args = (e.msg,)
                raise
            return self._record(kind, api_version, name, namespace, "updated", after, before)
        raise K8sError("%s: still conflicting after %d retries" % (object_label(None, kind, name, namespace), retries), status=409)  # pragma: no cover

    # -- waiting -------------------------------------------------------------
    def wait_crd_established(self, name, timeout=60, interval=0.2):
        """Wait until CRD ``name`` is Established and discovery serves its kind in every
        served version (the API server publishes discovery a moment after the
        condition: a request in between gets a 404)."""
        def check():
            crd = self.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", name)
            return crd is not None and self._crd_served(crd), crd

        done, crd, error = poll(check, timeout, interval)
        if not done:
            raise K8sError("CustomResourceDefinition %s not Established and served after %ss%s"
                           % (name, timeout, " (last: %s)" % error.msg if error else ""))
        return crd

    def _crd_served(self, crd):
        conditions = (crd.get("status") or {}).get("conditions") or []
        if not any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions):
            return False
        spec = crd["spec"]
        for version in spec.get("versions") or []:
            if not version.get("served", True):
                continue
            api_version = "%s/%s" % (spec["group"], version["name"])
            self.client.invalidate(api_version)  # forget what was cached before the CRD
            try:
                self.client.resource(api_version, spec["names"]["kind"])
            except K8sError as exc:
                if exc.status != 404:
                    raise
                self.client.invalidate(api_version)
                return False
        return True

    # -- results -------------------------------------------------------------
    def record_unchanged(self, live):
        """Record ``live`` as unchanged: the caller found nothing to send."""
        api_version, kind, name, namespace = identity(live)
        return self._record(kind, api_version, name, namespace, "unchanged", live, live)

    def _record(self, kind, api_version, name, namespace, action, obj, before):
        result = {
            "kind": kind,
            "api_version": api_version,
            "name": name,
            "namespace": namespace,
            "action": action,
            "object": _without_managed_fields(obj if obj is not None else before),
        }
        self.results.append(result)
        if self.want_diff and action in CHANGING_ACTIONS:
            after = None if action in ("deleted", "pruned") else obj
            self.diffs.append(object_diff(before, after, object_label(None, kind, name, namespace), self.diff_view))
        return result

    @property
    def changed(self):
        return any(r["action"] in CHANGING_ACTIONS for r in self.results)

    def result(self, **extra):
        """What a module passes to ``exit_json``: changed, results, diff."""
        out = {"changed": self.changed, "results": self.results}
        if self.not_written:
            out["not_written"] = self.not_written
        if self.want_diff:
            out["diff"] = self.diffs
        out.update(extra)
        return out
