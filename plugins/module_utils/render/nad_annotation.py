# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Build the pod annotation k8s.v1.cni.cncf.io/networks from structured input.

Multus takes either the short form `[ns/]name[@ifname]` (comma separated) or a JSON list
of selection objects; a bare JSON object is rejected, so we always emit a list.
"""

from __future__ import annotations

import json

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

AT = checks.At("pod_networks_annotation")
fail = AT.fail

ANNOTATION_KEY = "k8s.v1.cni.cncf.io/networks"
ITEM_OPTIONS = ("name", "namespace", "ips", "mac", "interface", "default_route")
FORMATS = ("auto", "json", "short")


def _parse_short(text, field):
    """'ns/name@if' -> dict."""
    item = {}
    rest = text
    if "@" in rest:
        rest, item["interface"] = rest.split("@", 1)
    if "/" in rest:
        item["namespace"], rest = rest.split("/", 1)
    item["name"] = rest
    return item


def _ip_or_cidr(value, field, at):
    if not isinstance(value, str):
        at.fail(field, value, "must be an IP or CIDR string")
    if "/" in value:
        return checks.interface_address(value, field, at)
    return checks.ip_address(value, field, at)


def _addresses(value, field, check):
    """One address or a non-empty list of them, each passing ``check``; as a list."""
    values = [value] if isinstance(value, str) else value
    for i, item in enumerate(checks.listing(values, field, AT, allow_empty=False)):
        check(item, "%s[%d]" % (field, i), AT)
    return list(values)


def _normalise(item, field):
    if isinstance(item, str):
        item = _parse_short(item, field)
    if not isinstance(item, dict):
        fail(field, item, "must be a network name or an object with name, namespace, ips, mac, "
                          "interface, default_route")
    for key in item:
        if key not in ITEM_OPTIONS:
            fail("%s.%s" % (field, key), item[key], "not a selection option (%s)" % ", ".join(ITEM_OPTIONS))
    if item.get("name") is None:
        fail(field + ".name", None, "required")
    out = {"name": checks.dns_label(item["name"], field + ".name", AT)}
    if item.get("namespace") is not None:
        out["namespace"] = checks.dns_label(item["namespace"], field + ".namespace", AT)
    if item.get("ips") is not None:
        out["ips"] = _addresses(item["ips"], field + ".ips", _ip_or_cidr)
    if item.get("mac") is not None:
        checks.mac(item["mac"], field + ".mac", AT)
        out["mac"] = item["mac"]
    if item.get("interface") is not None:
        out["interface"] = checks.ifname(item["interface"], field + ".interface", AT)
    if item.get("default_route") is not None:
        out["default-route"] = _addresses(item["default_route"], field + ".default_route", checks.ip_address)
    return out


def build_networks_annotation(items, fmt="auto"):
    """items: list of names / short strings / dicts. Returns the annotation value (string).
    fmt auto: short form when only name/namespace/interface are used, JSON list otherwise."""
    if fmt not in FORMATS:
        fail("format", fmt, "not one of %s" % ", ".join(FORMATS))
    if isinstance(items, (str, dict)):
        items = [items]  # one selection is still emitted as a list (a bare object is rejected)
    checks.listing(items, "networks", AT, allow_empty=False)
    selections = [_normalise(item, "networks[%d]" % i) for i, item in enumerate(items)]
    seen = {}
    for i, sel in enumerate(selections):
        if "interface" in sel:
            if sel["interface"] in seen:
                fail("networks[%d].interface" % i, sel["interface"], "used twice (also networks[%d])"
                     % seen[sel["interface"]])
            seen[sel["interface"]] = i
    if sum(1 for s in selections if "default-route" in s) > 1:
        fail("networks", [s["name"] for s in selections if "default-route" in s],
             "more than one selection sets default_route")
    simple = all(set(s) <= {"name", "namespace", "interface"} for s in selections)
    if fmt == "short" and not simple:
        fail("format", fmt, "cannot carry ips, mac or default_route; use json or auto")
    if fmt == "short" or (fmt == "auto" and simple):
        parts = []
        for s in selections:
            part = s["name"]
            if "namespace" in s:
                part = "%s/%s" % (s["namespace"], part)
            if "interface" in s:
                part = "%s@%s" % (part, s["interface"])
            parts.append(part)
        return ",".join(parts)
    return json.dumps(selections)


__all__ = ["ANNOTATION_KEY", "build_networks_annotation"]
