# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Render and validate OpenShift MachineConfig objects (pure Python, no cluster).

The rules enforced here are the machine-config-operator's (see docs in the
module): a MachineConfig that breaks one of them makes the pool Degraded, so
we refuse it before anything is sent.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
import re

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import node_routes

API_VERSION = "machineconfiguration.openshift.io/v1"
KIND = "MachineConfig"
ROLE_LABEL = "machineconfiguration.openshift.io/role"

# Ignition spec the MCO itself renders for each OpenShift minor (API-FACTS):
# (first minor, last minor or None for open end, ignition version).
IGNITION_VERSION_TABLE = (
    ((4, 6), (4, 6), "3.1.0"),
    ((4, 7), (4, 13), "3.2.0"),
    ((4, 14), (4, 18), "3.4.0"),
    ((4, 19), None, "3.5.0"),
)
# "current releases": the newest row of the table.
DEFAULT_OPENSHIFT_VERSION = "4.19"
KNOWN_IGNITION_VERSIONS = ("3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.5.0")

KERNEL_TYPES = ("", "default", "realtime", "64k-pages")
MAX_RENDERED_BYTES = 1572864
MAX_MODE = 0o777

TEXT_DATA_URL = "data:text/plain;charset=utf-8;base64,"
BINARY_DATA_URL = "data:;base64,"

_UNIT_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_VERSION = re.compile(r"(\d+)\.(\d+)(\.\d+)?")

FILE_KEYS = ("path", "contents", "contents_base64", "mode", "overwrite", "compression")
COMPRESSIONS = ("gzip",)
# The machine-config daemon decompresses file contents from OpenShift 4.10 on
# (machine-config-operator#2820); older ones write the gzip bytes as they are.
FIRST_COMPRESSION_MINOR = (4, 10)
DROPIN_KEYS = ("name", "contents")
UNIT_KEYS = ("name", "contents", "enabled", "mask", "dropins")
MC_KEYS = ("name", "role", "labels", "files", "units", "kernel_arguments", "kernel_type", "routes")


SCOPE = "machineconfig"
# The settings of the whole call (openshift_version, the list, install_dir).
RUN = checks.At(SCOPE)


def openshift_minor(openshift_version=None):
    """(major, minor) of ``openshift_version`` ("4.14", "4.14.3"; empty: the default)."""
    if openshift_version in (None, ""):
        openshift_version = DEFAULT_OPENSHIFT_VERSION
    match = _VERSION.fullmatch(str(openshift_version).strip())
    if not match:
        RUN.fail("openshift_version", openshift_version, "expected MAJOR.MINOR, e.g. 4.14")
    return int(match.group(1)), int(match.group(2))


def ignition_version_for(openshift_version=None):
    """Ignition spec version the MCO renders for ``openshift_version`` ("4.14", "4.14.3")."""
    minor = openshift_minor(openshift_version)
    for first, last, ignition in IGNITION_VERSION_TABLE:
        if minor >= first and (last is None or minor <= last):
            return ignition
    return RUN.fail("openshift_version", openshift_version,
                    "unsupported: MachineConfigs with Ignition 3 need OpenShift 4.6 or newer")


def data_url(text=None, raw_base64=None):
    """Ignition ``contents.source``: text as a UTF-8 text data URL, bytes as a plain one."""
    if raw_base64 is not None:
        return BINARY_DATA_URL + raw_base64
    return TEXT_DATA_URL + base64.b64encode(text.encode("utf-8")).decode("ascii")


def decode_data_url(url):
    """Inverse of :func:`data_url` (used by tests and the diff)."""
    if not url.startswith("data:") or ";base64," not in url:
        raise ValueError("not a base64 data URL: %r" % url[:40])
    return base64.b64decode(url.split(";base64,", 1)[1])


def gzip_data_url(data):
    """A plain data URL of ``data`` gzip-compressed, the same bytes on every run
    (no time stamp in the header): what ``compression: gzip`` sends."""
    return BINARY_DATA_URL + base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def file_bytes(contents):
    """The bytes a node gets from one rendered ``contents`` (data URL, decompressed)."""
    data = decode_data_url(contents["source"])
    return gzip.decompress(data) if contents.get("compression") == "gzip" else data


def readable(obj):
    """``obj`` for ``--diff``: each file's data URL replaced by its text
    (decompressed), so a diff shows the lines that move, not base64."""
    out = copy.deepcopy(obj)
    for item in (((out.get("spec") or {}).get("config") or {}).get("storage") or {}).get("files") or []:
        contents = item.get("contents") if isinstance(item, dict) else None
        if not isinstance(contents, dict) or not isinstance(contents.get("source"), str):
            continue
        try:
            text = file_bytes(contents).decode("utf-8")
        except (ValueError, TypeError, OSError, EOFError, UnicodeDecodeError):
            continue  # binary or not ours to read: shown as it is
        contents.pop("source")
        contents["source (decoded)"] = text
    return out


def keep_live_encoding(obj, live):
    """``obj`` with each compressed file's source taken from ``live`` where the
    node would get the same bytes from it.

    Another controller's zlib (zlib-ng, another level) can compress the same
    text to other bytes; sending those would change the MachineConfig, render a
    new pool config and roll the pool (drain, reboot) for nothing."""
    live_files = {}
    for item in (((live or {}).get("spec") or {}).get("config") or {}).get("storage", {}).get("files") or []:
        if isinstance(item, dict) and isinstance(item.get("contents"), dict) and item.get("path"):
            live_files[item["path"]] = item["contents"]
    out = None
    for index, item in enumerate(((obj.get("spec") or {}).get("config") or {}).get("storage", {}).get("files") or []):
        theirs = live_files.get(item["path"])
        ours = item.get("contents") or {}
        if (not theirs or ours.get("compression") != "gzip" or theirs.get("compression") != "gzip"
                or theirs.get("source") == ours.get("source")):
            continue
        try:
            same = file_bytes(theirs) == file_bytes(ours)
        except (ValueError, TypeError, OSError, EOFError):
            same = False
        if same:
            out = out or copy.deepcopy(obj)
            out["spec"]["config"]["storage"]["files"][index]["contents"]["source"] = theirs["source"]
    return out or obj


def parse_mode(at, field, value):
    """File mode: an int is the mode itself (as ansible.builtin.file), a string is octal."""
    if value is None:
        return 0o644
    if isinstance(value, bool):
        at.fail(field, value, "not a file mode")
    if isinstance(value, int):
        mode = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"0?[0-7]{1,4}", text) and not re.fullmatch(r"0o[0-7]{1,4}", text):
            at.fail(field, value, "not an octal file mode such as '0644'")
        mode = int(text.replace("0o", ""), 8)
    if mode < 0 or mode > MAX_MODE:
        at.fail(field, value, "mode above 0777: setuid, setgid and sticky bits are refused by the MCO")
    return mode


def check_path(at, field, path):
    """Absolute and clean (what Ignition and the MCO require)."""
    checks.abs_path(path, field, at)
    if path == "/":
        at.fail(field, path, "a file path, not '/'")


def check_unit_contents(at, field, contents):
    """Contents must parse as a systemd unit file (sections, Key=Value, continuations)."""
    if not isinstance(contents, str):
        at.fail(field, contents, "unit contents must be a string")
    section = None
    continued = False
    for number, raw in enumerate(contents.splitlines(), start=1):
        line = raw.strip()
        if continued:
            continued = line.endswith("\\")
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            if not line.endswith("]") or len(line) < 3 or "[" in line[1:-1] or "]" in line[1:-1]:
                at.fail(field, raw, "line %d: malformed section header" % number)
            section = line[1:-1]
            continue
        if section is None:
            at.fail(field, raw, "line %d: key outside of any [Section]" % number)
        if "=" not in line:
            at.fail(field, raw, "line %d: expected Key=Value" % number)
        key = line.split("=", 1)[0].strip()
        if not _UNIT_KEY.fullmatch(key):
            at.fail(field, raw, "line %d: bad key %r" % (number, key))
        continued = line.endswith("\\")
    if section is None:
        at.fail(field, contents, "no [Section] found: not a unit file")


def check_unit_name(at, field, name):
    checks.unit_name(name, field, at)


def check_dropin_name(at, field, name):
    if not isinstance(name, str) or not name or "/" in name:
        at.fail(field, name, "a drop-in file name without '/' is required")
    if not name.endswith(".conf") or name == ".conf":
        at.fail(field, name, "drop-in name must end in .conf")


def check_name(at, field, name):
    checks.object_name(name, field, at)


def naming_advice(name, role):
    """The MCO merges by name (later wins); the convention is ``99-<role>-<name>``."""
    if not re.match(r"^\d\d-%s-" % re.escape(role), name):
        return ("MachineConfig %r: name it '99-%s-<something>' so it sorts after the "
                "OpenShift defaults and its pool is visible in the name" % (name, role))
    return None


def _known_keys(at, field, item, allowed):
    if not isinstance(item, dict):
        at.fail(field, item, "expected a mapping")
    checks.mapping(item, field, at, known=allowed)


def render_file(at, field, item, openshift_version=None):
    _known_keys(at, field, item, FILE_KEYS)
    check_path(at, "%s.path" % field, item.get("path"))
    mode = parse_mode(at, "%s.mode" % field, item.get("mode"))
    overwrite = item.get("overwrite")
    overwrite = True if overwrite is None else overwrite
    if not isinstance(overwrite, bool):
        at.fail("%s.overwrite" % field, overwrite, "must be true or false")
    text, raw = item.get("contents"), item.get("contents_base64")
    if text is not None and raw is not None:
        at.fail("%s.contents" % field, "contents + contents_base64", "give only one of them")
    if raw is not None:
        try:
            base64.b64decode(raw, validate=True)
        except (ValueError, TypeError):
            at.fail("%s.contents_base64" % field, raw[:40], "not valid base64")
    if text is not None and not isinstance(text, str):
        at.fail("%s.contents" % field, text, "must be a string")
    compression = item.get("compression")
    if compression in (None, ""):
        compression = None
    elif compression not in COMPRESSIONS:
        at.fail("%s.compression" % field, compression, "one of %s (or none)" % ", ".join(COMPRESSIONS))
    elif openshift_minor(openshift_version) < FIRST_COMPRESSION_MINOR:
        at.fail("%s.compression" % field, compression,
                "the machine-config daemon decompresses files from OpenShift %d.%d on; openshift_version is %s"
                % (FIRST_COMPRESSION_MINOR + (openshift_version,)))
    elif text is None and raw is None:
        at.fail("%s.compression" % field, compression, "needs contents or contents_base64 to compress")
    rendered = {"path": item["path"], "mode": mode, "overwrite": overwrite}
    if compression:
        data = text.encode("utf-8") if text is not None else base64.b64decode(raw)
        rendered["contents"] = {"source": gzip_data_url(data), "compression": compression}
    elif text is not None or raw is not None:
        rendered["contents"] = {"source": data_url(text, raw)}
    elif overwrite:
        # Ignition refuses overwrite without a source; the MCO also needs contents.
        at.fail("%s.overwrite" % field, overwrite,
                "overwrite: true needs contents (contents.source); give contents or overwrite: false")
    return rendered


def render_unit(at, field, item):
    _known_keys(at, field, item, UNIT_KEYS)
    check_unit_name(at, "%s.name" % field, item.get("name"))
    rendered = {"name": item["name"]}
    if item.get("contents") is not None:
        check_unit_contents(at, "%s.contents" % field, item["contents"])
        rendered["contents"] = item["contents"]
    for key in ("enabled", "mask"):
        if item.get(key) is not None:
            if not isinstance(item[key], bool):
                at.fail("%s.%s" % (field, key), item[key], "must be true or false")
            rendered[key] = item[key]
    dropins, seen = [], set()
    for index, dropin in enumerate(item.get("dropins") or []):
        dfield = "%s.dropins[%d]" % (field, index)
        _known_keys(at, dfield, dropin, DROPIN_KEYS)
        check_dropin_name(at, "%s.name" % dfield, dropin.get("name"))
        if dropin["name"] in seen:
            at.fail("%s.name" % dfield, dropin["name"], "duplicate drop-in for unit %s" % item["name"])
        seen.add(dropin["name"])
        rendered_dropin = {"name": dropin["name"]}
        if dropin.get("contents") is not None:
            check_unit_contents(at, "%s.contents" % dfield, dropin["contents"])
            rendered_dropin["contents"] = dropin["contents"]
        dropins.append(rendered_dropin)
    if dropins:
        rendered["dropins"] = dropins
    return rendered


def _render_files(at, file_items, openshift_version):
    """storage.files: every path once."""
    files, paths = [], set()
    for index, item in enumerate(file_items):
        rendered = render_file(at, "files[%d]" % index, item, openshift_version)
        if rendered["path"] in paths:
            at.fail("files[%d].path" % index, rendered["path"], "duplicate path")
        paths.add(rendered["path"])
        files.append(rendered)
    return files


def _render_units(at, unit_items, paths):
    """systemd.units: every unit once, none whose file or drop-in files[] also writes."""
    units, unit_names = [], set()
    for index, item in enumerate(unit_items):
        ufield = "units[%d]" % index
        rendered = render_unit(at, ufield, item)
        if rendered["name"] in unit_names:
            at.fail("%s.name" % ufield, rendered["name"], "duplicate unit")
        unit_names.add(rendered["name"])
        unit_path = "/etc/systemd/system/" + rendered["name"]
        if "contents" in rendered and unit_path in paths:
            at.fail("%s.name" % ufield, rendered["name"],
                    "the unit has contents and files[] also writes %s" % unit_path)
        for dropin in rendered.get("dropins", []):
            dropin_path = "%s.d/%s" % (unit_path, dropin["name"])
            if "contents" in dropin and dropin_path in paths:
                at.fail("%s.dropins" % ufield, dropin["name"],
                        "the drop-in has contents and files[] also writes %s" % dropin_path)
        units.append(rendered)
    return units


def _kernel_arguments(at, kargs):
    """spec.kernelArguments: non-empty, one line each, no surrounding spaces."""
    kargs = kargs or []
    if not isinstance(kargs, list):
        at.fail("kernel_arguments", kargs, "must be a list of strings")
    for index, karg in enumerate(kargs):
        if not isinstance(karg, str) or not karg.strip() or karg != karg.strip() or any(
                char in karg for char in checks.LINE_BREAKS):
            at.fail("kernel_arguments[%d]" % index, karg,
                    "a non-empty argument on one line, without surrounding spaces")
    return kargs


def render_machineconfig(spec, openshift_version=None, ignition_version=None, field="machineconfig"):
    """Validate one high-level spec and return the MachineConfig object (a dict).

    ``spec`` keys: name, role, labels, files, units, kernel_arguments, kernel_type,
    routes (static routes: expanded by render/node_routes.py into files and a unit).
    ``ignition_version`` overrides the version derived from ``openshift_version``.
    Errors name the MachineConfig (``machineconfig <name>: files[0].path is ...``).
    """
    _known_keys(RUN, field, spec, MC_KEYS)
    name = spec.get("name")
    check_name(RUN, "%s.name" % field, name)
    at = checks.At("%s %s" % (SCOPE, name))
    role = spec.get("role")
    labels = dict(spec.get("labels") or {})
    if role not in (None, ""):
        checks.label_value(role, "role", at)
        labels[ROLE_LABEL] = role
    if not labels:
        at.fail("labels", labels,
                "a MachineConfig needs labels (role: worker|master|<pool>) or the pool merge breaks")
    checks.labels(labels, "labels", at)
    if ignition_version is None:
        ignition_version = ignition_version_for(openshift_version)
    elif ignition_version not in KNOWN_IGNITION_VERSIONS:
        RUN.fail("ignition_version", ignition_version, "one of %s" % ", ".join(KNOWN_IGNITION_VERSIONS))

    file_items, unit_items = list(spec.get("files") or []), list(spec.get("units") or [])
    if spec.get("routes"):
        routes = node_routes.normalize_routes("routes", spec["routes"], at)
        extra_files, extra_units = node_routes.route_payload(role or name, routes)
        file_items += extra_files
        unit_items += extra_units

    files = _render_files(at, file_items, openshift_version)
    units = _render_units(at, unit_items, {f["path"] for f in files})
    kargs = _kernel_arguments(at, spec.get("kernel_arguments"))
    kernel_type = spec.get("kernel_type")
    if kernel_type is not None and kernel_type not in KERNEL_TYPES:
        at.fail("kernel_type", kernel_type, "one of %r" % (KERNEL_TYPES,))

    config = {"ignition": {"version": ignition_version}}
    if files:
        config["storage"] = {"files": files}
    if units:
        config["systemd"] = {"units": units}
    obj = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": name, "labels": labels},
        "spec": {"config": config},
    }
    if kargs:
        obj["spec"]["kernelArguments"] = list(kargs)
    if kernel_type is not None:
        obj["spec"]["kernelType"] = kernel_type
    size = rendered_size(obj)
    if size > MAX_RENDERED_BYTES:
        at.fail("size", size, "larger than the MCO's %d-byte limit" % MAX_RENDERED_BYTES)
    return obj


def rendered_size(obj):
    return len(json.dumps(obj, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def render_machineconfigs(specs, openshift_version=None, ignition_version=None):
    """Render many specs at once; returns (objects, warnings).

    Refuses duplicate names and a pool whose MachineConfigs from this call
    alone already exceed the rendered size limit (the pool's rendered config
    also holds OpenShift's own MachineConfigs, so this is a lower bound).
    """
    if not isinstance(specs, list):
        RUN.fail("machineconfigs", specs, "must be a list")
    objects, warnings, names, per_role = [], [], set(), {}
    for index, spec in enumerate(specs):
        obj = render_machineconfig(spec, openshift_version, ignition_version,
                                   field="machineconfigs[%d]" % index)
        name = obj["metadata"]["name"]
        if name in names:
            RUN.fail("machineconfigs[%d].name" % index, name, "duplicate MachineConfig name")
        names.add(name)
        role = obj["metadata"]["labels"].get(ROLE_LABEL)
        if role:
            advice = naming_advice(name, role)
            if advice:
                warnings.append(advice)
            per_role[role] = per_role.get(role, 0) + rendered_size(obj["spec"]["config"])
        objects.append(obj)
    for role, size in sorted(per_role.items()):
        if size > MAX_RENDERED_BYTES:
            checks.At("%s pool %s" % (SCOPE, role)).fail(
                "rendered size", size,
                "these MachineConfigs alone exceed the MCO's %d-byte rendered limit" % MAX_RENDERED_BYTES)
    return objects, warnings
