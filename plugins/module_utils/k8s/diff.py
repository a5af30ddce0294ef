# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Before/after views of Kubernetes objects for change detection and ``--diff``.

``normalize`` strips what the server changes on every write (managedFields,
resourceVersion, generation, timestamps, uid); two objects are "the same"
when their normalised forms are equal.  ``object_diff`` renders one entry of
Ansible's diff list: ``{before, after, before_header, after_header}`` with YAML
text (JSON when PyYAML is missing).
"""

from __future__ import annotations

import copy
import json

try:
    import yaml

    HAS_YAML = True

    class _DiffDumper(yaml.SafeDumper):
        """Multi-line strings as blocks (``|``), so a diff moves by their lines."""

    def _represent_str(dumper, value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    _DiffDumper.add_representer(str, _represent_str)
except ImportError:  # pragma: no cover - PyYAML ships with kubernetes
    HAS_YAML = False

#: metadata keys the server rewrites; never part of what the user asked for.
NOISY_METADATA = (
    "managedFields",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "uid",
    "selfLink",
)

#: annotations written by tools, not by the user.
NOISY_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration",)


def normalize(obj, keep_status=True):
    """Return a deep copy of ``obj`` without noisy metadata (None stays None)."""
    if obj is None:
        return None
    out = copy.deepcopy(obj)
    meta = out.get("metadata")
    if isinstance(meta, dict):
        for key in NOISY_METADATA:
            meta.pop(key, None)
        annotations = meta.get("annotations")
        if isinstance(annotations, dict):
            for key in NOISY_ANNOTATIONS:
                annotations.pop(key, None)
            if not annotations:
                meta.pop("annotations", None)
    if not keep_status:
        out.pop("status", None)
    return out


def same_object(before, after):
    """True when ``before`` and ``after`` differ only in noisy metadata."""
    return normalize(before) == normalize(after)


def to_text(obj):
    """Stable YAML text of ``obj`` ("" for None) for diff output."""
    if obj is None:
        return ""
    if HAS_YAML:
        return yaml.dump(obj, Dumper=_DiffDumper, default_flow_style=False, sort_keys=True)
    return json.dumps(obj, indent=2, sort_keys=True) + "\n"


def object_label(obj, kind=None, name=None, namespace=None):
    """``Kind namespace/name`` (or ``Kind name`` for cluster-scoped objects)."""
    meta = (obj or {}).get("metadata") or {}
    kind = kind or (obj or {}).get("kind", "?")
    name = name or meta.get("name", "?")
    namespace = namespace if namespace is not None else meta.get("namespace")
    return "%s %s" % (kind, "%s/%s" % (namespace, name) if namespace else name)


def object_diff(before, after, label=None, view=None):
    """One entry of Ansible's ``diff`` list for a before/after pair.

    ``before`` None means created, ``after`` None means deleted.  ``view``
    turns a normalised object into what a person should read (e.g. decoded
    file contents); it is only for the diff, never for comparing.
    """
    label = label or object_label(after or before)
    view = view or (lambda obj: obj)
    return {
        "before": to_text(view(normalize(before)) if before is not None else None),
        "after": to_text(view(normalize(after)) if after is not None else None),
        "before_header": "%s (before)" % label,
        "after_header": "%s (after)" % label,
    }
