# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Structured network definitions -> CNI config, NetworkAttachmentDefinition, CNO entry.

Pure functions, no cluster access. Every network is validated (render/cni_check.py) after
rendering, so a raw config and a rendered one pass the very same checks.
"""

from __future__ import annotations

import json

from ansible_collections.clusternet.fabric.plugins.module_utils.render.cni_check import (
    CNI_VERSIONS,
    INTERFACE_PLUGINS,
    check_config,
    check_dns1123_label,
    fail,
)

DEFAULT_CNI_VERSION = "0.4.0"  # first version with CHECK; Multus >= 3.x and plugins >= 0.8 speak it
NAD_API_VERSION = "k8s.cni.cncf.io/v1"
NAD_KIND = "NetworkAttachmentDefinition"
CNO_API_VERSION = "operator.openshift.io/v1"
CNO_KIND = "Network"
CNO_NAME = "cluster"

# option name in our input -> key in the CNI config, in rendering order, per plugin
PLUGIN_OPTIONS = {
    "macvlan": (("master", "master"), ("mode", "mode"), ("mtu", "mtu")),
    "ipvlan": (("master", "master"), ("mode", "mode"), ("mtu", "mtu")),
    "bridge": (("bridge", "bridge"), ("is_gateway", "isGateway"), ("is_default_gateway", "isDefaultGateway"),
               ("force_address", "forceAddress"), ("ip_masq", "ipMasq"), ("hairpin_mode", "hairpinMode"),
               ("promisc_mode", "promiscMode"), ("vlan", "vlan"), ("mtu", "mtu")),
    "host-device": (("device", "device"), ("hwaddr", "hwaddr"), ("kernelpath", "kernelpath"),
                    ("pci_bus_id", "pciBusID")),
    "vlan": (("master", "master"), ("vlan_id", "vlanId"), ("mtu", "mtu")),
}
COMMON_OPTIONS = ("name", "namespace", "type", "cni_version", "capabilities", "ipam", "config",
                  "cno_type", "labels", "annotations")
IPAM_OPTIONS = {
    "static": (("addresses", "addresses"), ("routes", "routes"), ("dns", "dns")),
    "host-local": (("ranges", "ranges"), ("routes", "routes"), ("data_dir", "dataDir")),
    "whereabouts": (("range", "range"), ("range_start", "range_start"), ("range_end", "range_end"),
                    ("exclude", "exclude"), ("gateway", "gateway"), ("routes", "routes")),
    "dhcp": (),
}
HOST_LOCAL_SHORTHAND = (("subnet", "subnet"), ("range_start", "rangeStart"), ("range_end", "rangeEnd"),
                        ("gateway", "gateway"))
RANGE_OPTIONS = HOST_LOCAL_SHORTHAND
CNO_TYPES = ("Raw", "SimpleMacvlan")
TARGETS = ("nad", "cno")


def _unknown(data, allowed, field, what):
    for key in data:
        if key not in allowed:
            fail("%s.%s" % (field, key), data[key], "not an option of %s (known: %s)"
                 % (what, ", ".join(sorted(allowed))))


def _render_range(rng, field):
    if not isinstance(rng, dict):
        fail(field, rng, "must be an object with subnet, range_start, range_end, gateway")
    _unknown(rng, [k for k, _cni in RANGE_OPTIONS], field, "a host-local range")
    return {cni: rng[opt] for opt, cni in RANGE_OPTIONS if rng.get(opt) is not None}


def render_ipam(ipam, field):
    if ipam is None or ipam == {}:
        return None
    if not isinstance(ipam, dict):
        fail(field, ipam, "must be an object")
    ipam_type = ipam.get("type")
    if not isinstance(ipam_type, str) or ipam_type not in IPAM_OPTIONS:
        fail(field + ".type", ipam_type, "not a supported IPAM type (%s)" % ", ".join(IPAM_OPTIONS))
    options = IPAM_OPTIONS[ipam_type]
    allowed = ["type"] + [o for o, _cni in options]
    if ipam_type == "host-local":
        allowed += [o for o, _cni in HOST_LOCAL_SHORTHAND if o not in allowed]
    _unknown(ipam, allowed, field, "ipam type %s" % ipam_type)
    out = {"type": ipam_type}
    if ipam_type == "host-local":
        shorthand = {o: ipam[o] for o, _cni in HOST_LOCAL_SHORTHAND if ipam.get(o) is not None}
        if shorthand and ipam.get("ranges"):
            fail(field + ".subnet", ipam.get("subnet"), "cannot be combined with ranges")
        if shorthand:
            out["ranges"] = [[_render_range(shorthand, field)]]
        elif ipam.get("ranges") is not None:
            ranges = ipam["ranges"]
            if not isinstance(ranges, list):
                fail(field + ".ranges", ranges, "must be a list of range sets")
            sets = []
            for s, rset in enumerate(ranges):
                if isinstance(rset, dict):  # a flat list: each range is its own set
                    rset = [rset]
                if not isinstance(rset, list):
                    fail("%s.ranges[%d]" % (field, s), rset, "must be a list of ranges or a range")
                sets.append([_render_range(r, "%s.ranges[%d][%d]" % (field, s, i)) for i, r in enumerate(rset)])
            out["ranges"] = sets
    for opt, cni in options:
        if cni == "ranges":
            continue
        if ipam.get(opt) is not None:
            out[cni] = ipam[opt]
    return out


def render_cni(net, field="network"):
    """Structured network dict -> CNI config dict (not yet validated)."""
    if "config" in net and net["config"] is not None:
        meta_keys = ("name", "namespace", "config", "cno_type", "labels", "annotations")
        structured = [k for k in net if k not in meta_keys and net[k] is not None]
        if structured:
            fail("%s.%s" % (field, structured[0]), net[structured[0]],
                 "cannot be combined with a raw config (give either config or type and its options)")
        return None
    ptype = net.get("type")
    if ptype is None:
        fail(field + ".type", None, "required (one of %s), or give a raw config" % ", ".join(INTERFACE_PLUGINS))
    if not isinstance(ptype, str) or ptype not in PLUGIN_OPTIONS:
        fail(field + ".type", ptype, "not a supported plugin (%s)" % ", ".join(INTERFACE_PLUGINS))
    options = PLUGIN_OPTIONS[ptype]
    _unknown({k: v for k, v in net.items() if v is not None}, list(COMMON_OPTIONS) + [o for o, _cni in options],
             field, "plugin %s" % ptype)
    cni_version = net.get("cni_version") or DEFAULT_CNI_VERSION
    if cni_version not in CNI_VERSIONS:
        fail(field + ".cni_version", cni_version, "not a CNI spec version (%s)" % ", ".join(CNI_VERSIONS))
    cfg = {"cniVersion": cni_version, "name": net["name"], "type": ptype}
    for opt, cni in options:
        if net.get(opt) is not None:
            cfg[cni] = net[opt]
    caps = net.get("capabilities")
    if caps:
        if not isinstance(caps, dict):
            fail(field + ".capabilities", caps, "must be an object like {ips: true, mac: true}")
        _unknown(caps, ("ips", "mac"), field + ".capabilities", "capabilities")
        caps = {k: v for k, v in caps.items() if v is not None}
        if caps:
            cfg["capabilities"] = caps
    ipam = render_ipam(net.get("ipam"), field + ".ipam")
    if ipam is not None:
        cfg["ipam"] = ipam
    return cfg


def dump_config(cfg):
    """The one serialisation we write (stable, so a second run compares equal)."""
    return json.dumps(cfg, indent=2)


def _config_text(net, field):
    """-> (config string as written, parsed dict)."""
    cfg = render_cni(net, field)
    if cfg is None:
        raw = net["config"]
        parsed = check_config(raw, field + ".config")
        text = raw if isinstance(raw, str) else dump_config(raw)
    else:
        parsed = check_config(cfg, field + ".config", known_only=True)
        text = dump_config(cfg)
    if parsed.get("name") not in (None, net["name"]):
        fail(field + ".config.name", parsed["name"], "differs from the network name %r" % net["name"])
    return text, parsed


def nad_manifest(net, text):
    meta = {"name": net["name"], "namespace": net.get("namespace") or "default"}
    if net.get("labels"):
        meta["labels"] = net["labels"]
    if net.get("annotations"):
        meta["annotations"] = net["annotations"]
    return {"apiVersion": NAD_API_VERSION, "kind": NAD_KIND, "metadata": meta, "spec": {"config": text}}


def _simple_macvlan(net, parsed, field):
    """CNO SimpleMacvlan entry from the parsed CNI config; only what the CNO can express."""
    if parsed.get("type") != "macvlan":
        fail(field + ".type", parsed.get("type"), "cannot be expressed as SimpleMacvlan (macvlan only); use cno_type Raw")
    if parsed.get("capabilities"):
        fail(field + ".capabilities", parsed["capabilities"], "cannot be expressed as SimpleMacvlan; use cno_type Raw")
    smc = {"master": parsed["master"]}
    if parsed.get("mode"):
        smc["mode"] = parsed["mode"].capitalize()  # the CNO spells Bridge|Private|VEPA|Passthru
        if smc["mode"] == "Vepa":
            smc["mode"] = "VEPA"
    if parsed.get("mtu"):
        smc["mtu"] = parsed["mtu"]
    ipam = parsed.get("ipam") or {}
    if ipam.get("type") == "dhcp":
        smc["ipamConfig"] = {"type": "DHCP"}
    elif ipam.get("type") == "static":
        static = {}
        if ipam.get("addresses"):
            static["addresses"] = [{k: a[k] for k in ("address", "gateway") if k in a} for a in ipam["addresses"]]
        if ipam.get("routes"):
            static["routes"] = [dict([("destination", r["dst"])] + ([("gateway", r["gw"])] if r.get("gw") else []))
                                for r in ipam["routes"]]
        if ipam.get("dns"):
            if ipam["dns"].get("options"):
                fail(field + ".ipam.dns.options", ipam["dns"]["options"], "cannot be expressed as SimpleMacvlan")
            static["dns"] = ipam["dns"]
        smc["ipamConfig"] = {"type": "Static", "staticIPAMConfig": static}
    elif ipam:
        fail(field + ".ipam.type", ipam.get("type"), "cannot be expressed as SimpleMacvlan (static or dhcp); use cno_type Raw")
    return smc


def cno_entry(net, text, parsed, field):
    entry = {"name": net["name"], "namespace": net.get("namespace") or "default"}
    cno_type = net.get("cno_type") or "Raw"
    if cno_type not in CNO_TYPES:
        fail(field + ".cno_type", cno_type, "not a CNO additionalNetworks type (%s)" % ", ".join(CNO_TYPES))
    entry["type"] = cno_type
    if cno_type == "Raw":
        entry["rawCNIConfig"] = text
    else:
        entry["simpleMacvlanConfig"] = _simple_macvlan(net, parsed, field)
    return entry


def identities(networks, target="nad", field="networks"):
    """Check each network's identity (name, namespace, unique): what every state needs,
    state=absent included. Returns [(field, network, name, namespace)]."""
    if target not in TARGETS:
        fail("target", target, "not one of %s" % ", ".join(TARGETS))
    if not isinstance(networks, list):
        fail(field, networks, "must be a list")
    out, seen = [], {}
    for i, net in enumerate(networks):
        nf = "%s[%d]" % (field, i)
        if not isinstance(net, dict):
            fail(nf, net, "must be an object")
        if net.get("name") is None:
            fail(nf + ".name", None, "required")
        nf = "%s[%d] (%s)" % (field, i, net["name"]) if isinstance(net["name"], str) else nf
        check_dns1123_label(net["name"], nf + ".name")
        namespace = net.get("namespace") or "default"
        check_dns1123_label(namespace, nf + ".namespace")
        # NAD names are unique per namespace; CNO entry names across the whole list.
        key = net["name"] if target == "cno" else (namespace, net["name"])
        if key in seen:
            fail(nf + ".name", net["name"], "defined twice (also %s)%s"
                 % (seen[key], "; CNO additionalNetworks names are unique across namespaces" if target == "cno" else ""))
        seen[key] = nf
        out.append((nf, net, net["name"], namespace))
    return out


def render_networks(networks, target="nad", field="networks"):
    """Validate and render a list of networks. Returns a list of dicts:
    {name, namespace, config (text), object (NAD manifest or CNO entry)}.
    Raises checks.InputError (first problem) before anything is written."""
    out = []
    for nf, net, name, namespace in identities(networks, target, field):
        text, parsed = _config_text(net, nf)
        if target == "nad":
            if net.get("cno_type") is not None:
                fail(nf + ".cno_type", net["cno_type"], "only applies with target cno")
            obj = nad_manifest(net, text)
        else:
            obj = cno_entry(net, text, parsed, nf)
        out.append({"name": name, "namespace": namespace, "config": text, "object": obj})
    return out


__all__ = ["identities", "render_networks", "render_cni", "nad_manifest", "cno_entry", "dump_config"]
