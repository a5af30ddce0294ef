# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Validation of CNI network configurations (single plugin or conflist).

The checks mirror what the real consumers do (CNI plugins 1.1, Multus, the CNO), and are
stricter where those are silently lax (e.g. whereabouts ignores a range_start outside its
range; we reject it). Every error names the field path and the offending value.
"""

from __future__ import annotations

import json
import re

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

CNI_VERSIONS = ("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0")
PLUGIN_TYPE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

MACVLAN_MODES = ("bridge", "private", "vepa", "passthru")
IPVLAN_MODES = ("l2", "l3", "l3s")
# Plugins whose options we check in depth; any other type is only checked for syntax
# (raw configs may legitimately chain tuning, sbr, portmap, sriov, ...).
INTERFACE_PLUGINS = ("macvlan", "ipvlan", "bridge", "host-device", "vlan")
IPAM_TYPES = ("static", "host-local", "whereabouts", "dhcp")
CAPABILITIES = ("ips", "mac", "infinibandGUID", "deviceID", "portMappings", "bandwidth",
                "ipRanges", "dns", "aliases", "cniDevInfoFile")


AT = checks.At("nad")


def fail(field, value, why):
    AT.fail(field, value, why)


# ---------------------------------------------------------------- scalar checks
# The rules are checks.py's; these keep CNI's JSON types strict (a CNI plugin
# unmarshals "mtu": "1500" as an error, so a string is not a number here).

def check_dns1123_label(value, field):
    return checks.dns_label(value, field, AT)


def check_ifname(value, field):
    return checks.ifname(value, field, AT)


def check_ip(value, field):
    return checks.ip_address(value, field, AT)


def check_cidr(value, field, strict=False):
    """strict=True: a network (no host bits); False: an interface address like 10.0.0.5/24."""
    if not isinstance(value, str) or "/" not in value:
        fail(field, value, "not a CIDR (address/prefix)")
    if strict:
        return checks.network(value, field, AT)
    return checks.interface_address(value, field, AT)


def check_bool(value, field):
    return checks.boolean(value, field, AT)


def check_int(value, field, low, high):
    if isinstance(value, bool) or not isinstance(value, int):
        fail(field, value, "must be an integer (a JSON number)")
    return checks.integer(value, field, AT, low, high)


def check_str(value, field):
    if not isinstance(value, str):
        fail(field, value, "must be a non-empty string")
    return checks.text(value, field, AT)


def check_list(value, field, allow_empty=True):
    if value is None:
        fail(field, value, "must be a list")
    return checks.listing(value, field, AT, allow_empty)


def check_dict(value, field):
    if value is None:
        fail(field, value, "must be an object")
    checks.mapping(value, field, AT)
    return value


def check_mac(value, field):
    checks.mac(value, field, AT)
    return value


# ---------------------------------------------------------------- IPAM

def _check_routes(routes, field):
    for i, route in enumerate(check_list(routes, field)):
        rf = "%s[%d]" % (field, i)
        check_dict(route, rf)
        if "dst" not in route:
            fail(rf + ".dst", None, "required")
        dst = check_cidr(route["dst"], rf + ".dst", strict=True)
        if route.get("gw") is not None:
            gw = check_ip(route["gw"], rf + ".gw")
            if gw.version != dst.version:
                fail(rf + ".gw", route["gw"], "not the same IP family as dst %s" % route["dst"])


def _check_dns(dns, field):
    check_dict(dns, field)
    for key in dns:
        if key not in ("nameservers", "domain", "search", "options"):
            fail("%s.%s" % (field, key), dns[key], "not a DNS option (nameservers, domain, search, options)")
    for i, ns in enumerate(check_list(dns.get("nameservers", []), field + ".nameservers")):
        check_ip(ns, "%s.nameservers[%d]" % (field, i))
    if "domain" in dns:
        check_str(dns["domain"], field + ".domain")
    for key in ("search", "options"):
        for i, item in enumerate(check_list(dns.get(key, []), "%s.%s" % (field, key))):
            check_str(item, "%s.%s[%d]" % (field, key, i))


def _check_static(ipam, field, capabilities):
    addresses = check_list(ipam.get("addresses", []), field + ".addresses")
    if not addresses and not capabilities.get("ips"):
        fail(field + ".addresses", addresses,
             "empty: static IPAM needs addresses, or capabilities.ips so pods pass them "
             "in the k8s.v1.cni.cncf.io/networks annotation")
    seen = {}
    for i, entry in enumerate(addresses):
        af = "%s.addresses[%d]" % (field, i)
        check_dict(entry, af)
        if "address" not in entry:
            fail(af + ".address", None, "required")
        iface = check_cidr(entry["address"], af + ".address")
        if iface.ip in seen:
            fail(af + ".address", entry["address"], "duplicates %s" % seen[iface.ip])
        seen[iface.ip] = af
        if iface.ip == iface.network.network_address and iface.network.prefixlen < iface.max_prefixlen - 1:
            fail(af + ".address", entry["address"], "the network address of %s" % iface.network)
        if iface.version == 4 and iface.network.prefixlen < 31 and iface.ip == iface.network.broadcast_address:
            fail(af + ".address", entry["address"], "the broadcast address of %s" % iface.network)
        if entry.get("gateway") is not None:
            gw = check_ip(entry["gateway"], af + ".gateway")
            if gw not in iface.network:
                fail(af + ".gateway", entry["gateway"], "outside the address's subnet %s" % iface.network)
            if gw == iface.ip:
                fail(af + ".gateway", entry["gateway"], "equals the address itself")
    if "routes" in ipam:
        _check_routes(ipam["routes"], field + ".routes")
    if "dns" in ipam:
        _check_dns(ipam["dns"], field + ".dns")


def _check_range(rng, field):
    """One host-local range; returns (family, first, last) of its usable span."""
    check_dict(rng, field)
    for key in rng:
        if key not in ("subnet", "rangeStart", "rangeEnd", "gateway"):
            fail("%s.%s" % (field, key), rng[key], "not a host-local range option "
                 "(subnet, rangeStart, rangeEnd, gateway)")
    if "subnet" not in rng:
        fail(field + ".subnet", None, "required")
    subnet = check_cidr(rng["subnet"], field + ".subnet", strict=True)
    if subnet.num_addresses < 4:
        fail(field + ".subnet", rng["subnet"], "smaller than a /%d (host-local needs at least "
             "4 addresses)" % (subnet.max_prefixlen - 2))
    first = subnet.network_address + 1
    last = subnet.broadcast_address - (1 if subnet.version == 4 else 0)
    bounds = {}
    for key in ("rangeStart", "rangeEnd", "gateway"):
        if rng.get(key) is not None:
            addr = check_ip(rng[key], "%s.%s" % (field, key))
            if addr not in subnet:
                fail("%s.%s" % (field, key), rng[key], "outside the subnet %s" % subnet)
            if addr in (subnet.network_address, subnet.broadcast_address) and subnet.version == 4:
                fail("%s.%s" % (field, key), rng[key], "the network or broadcast address of %s" % subnet)
            bounds[key] = addr
    start = bounds.get("rangeStart", first)
    end = bounds.get("rangeEnd", last)
    if start > end:
        fail(field + ".rangeStart", rng.get("rangeStart"), "after rangeEnd %s" % end)
    return subnet.version, start, end


def _check_host_local(ipam, field):
    legacy = any(k in ipam for k in ("subnet", "rangeStart", "rangeEnd", "gateway"))
    if legacy and "ranges" in ipam:
        fail(field + ".subnet", ipam.get("subnet"), "cannot be combined with ranges")
    if legacy:
        sets = [[{k: ipam[k] for k in ("subnet", "rangeStart", "rangeEnd", "gateway") if k in ipam}]]
        set_fields = [field]

        def range_field(set_index, range_index):
            return field  # legacy fields live on ipam itself
    else:
        if "ranges" not in ipam:
            fail(field + ".ranges", None, "required for host-local")
        sets = check_list(ipam["ranges"], field + ".ranges", allow_empty=False)
        set_fields = ["%s.ranges[%d]" % (field, i) for i in range(len(sets))]

        def range_field(set_index, range_index):
            return "%s.ranges[%d][%d]" % (field, set_index, range_index)
    spans = []
    for s, rset in enumerate(sets):
        check_list(rset, set_fields[s], allow_empty=False)
        family = None
        for r, rng in enumerate(rset):
            rf = range_field(s, r)
            version, start, end = _check_range(rng, rf)
            if family is not None and version != family:
                fail(rf + ".subnet", rng["subnet"], "mixes IP families inside one range set "
                     "(put IPv4 and IPv6 in separate sets)")
            family = version
            for other_f, o_version, o_start, o_end in spans:
                if version == o_version and start <= o_end and o_start <= end:
                    fail(rf, "%s-%s" % (start, end), "overlaps %s (%s-%s)" % (other_f, o_start, o_end))
            spans.append((rf, version, start, end))
    if "routes" in ipam:
        _check_routes(ipam["routes"], field + ".routes")
    if "dataDir" in ipam:
        check_str(ipam["dataDir"], field + ".dataDir")
    if "resolvConf" in ipam:
        check_str(ipam["resolvConf"], field + ".resolvConf")


def _check_whereabouts(ipam, field):
    if "range" not in ipam:
        fail(field + ".range", None, "required for whereabouts")
    value = ipam["range"]
    if isinstance(value, str) and "-" in value:
        # "firstIP-CIDR": allocation starts at firstIP inside CIDR.
        first_s, cidr = value.split("-", 1)
        net = check_cidr(cidr, field + ".range").network
        first = check_ip(first_s, field + ".range")
        if first not in net:
            fail(field + ".range", value, "starts at %s, outside %s" % (first, net))
    else:
        net = check_cidr(value, field + ".range").network
    if net.num_addresses < 4:
        fail(field + ".range", value, "smaller than a /%d" % (net.max_prefixlen - 2))
    bounds = {}
    for key in ("range_start", "range_end", "gateway"):
        if ipam.get(key) is not None:
            addr = check_ip(ipam[key], "%s.%s" % (field, key))
            if addr not in net:
                # whereabouts silently ignores range_start/range_end outside the range.
                fail("%s.%s" % (field, key), ipam[key], "outside the range %s" % net)
            bounds[key] = addr
    if "range_start" in bounds and "range_end" in bounds and bounds["range_start"] > bounds["range_end"]:
        fail(field + ".range_start", ipam["range_start"], "after range_end %s" % ipam["range_end"])
    for i, excl in enumerate(check_list(ipam.get("exclude", []), field + ".exclude")):
        ex = check_cidr(excl, "%s.exclude[%d]" % (field, i)).network
        if not (ex.version == net.version and ex.subnet_of(net)):
            fail("%s.exclude[%d]" % (field, i), excl, "outside the range %s" % net)
    if "routes" in ipam:
        _check_routes(ipam["routes"], field + ".routes")


def check_ipam(ipam, field, capabilities):
    check_dict(ipam, field)
    if not ipam:
        return  # {} means no IPAM (L2 only), accepted by every interface plugin here
    ipam_type = ipam.get("type")
    if ipam_type is None:
        fail(field + ".type", None, "required")
    check_str(ipam_type, field + ".type")
    if ipam_type == "static":
        _check_static(ipam, field, capabilities)
    elif ipam_type == "host-local":
        _check_host_local(ipam, field)
    elif ipam_type == "whereabouts":
        _check_whereabouts(ipam, field)
    elif ipam_type == "dhcp":
        pass  # needs the CNI dhcp daemon on each node; nothing to check in the config
    elif not PLUGIN_TYPE_RE.fullmatch(ipam_type):
        fail(field + ".type", ipam_type, "not a valid IPAM plugin name")
    if capabilities.get("ips") and ipam_type not in ("static", "host-local"):
        fail(field + ".type", ipam_type, "does not take addresses from the pod annotation; "
             "capabilities.ips needs ipam type static or host-local")


# ---------------------------------------------------------------- plugins

def _check_mtu(plugin, field):
    if "mtu" in plugin:
        check_int(plugin["mtu"], field + ".mtu", 68, 65535)


def check_plugin(plugin, field, known_only=False):
    """Check one plugin object. known_only: reject types outside INTERFACE_PLUGINS."""
    check_dict(plugin, field)
    ptype = plugin.get("type")
    if ptype is None:
        fail(field + ".type", None, "required")
    check_str(ptype, field + ".type")
    if known_only and ptype not in INTERFACE_PLUGINS:
        fail(field + ".type", ptype, "not a supported plugin (%s)" % ", ".join(INTERFACE_PLUGINS))
    if not PLUGIN_TYPE_RE.fullmatch(ptype):
        fail(field + ".type", ptype, "not a valid plugin name")
    capabilities = plugin.get("capabilities", {})
    check_dict(capabilities, field + ".capabilities")
    for key, val in capabilities.items():
        if key not in CAPABILITIES:
            fail("%s.capabilities.%s" % (field, key), val, "not a known capability (%s)" % ", ".join(CAPABILITIES))
        check_bool(val, "%s.capabilities.%s" % (field, key))

    if ptype in ("macvlan", "ipvlan", "vlan"):
        if "master" not in plugin:
            fail(field + ".master", None, "required for %s (the node interface to attach to)" % ptype)
        check_ifname(plugin["master"], field + ".master")
    if ptype == "macvlan" and "mode" in plugin and plugin["mode"] not in MACVLAN_MODES:
        fail(field + ".mode", plugin["mode"], "not a macvlan mode (%s)" % ", ".join(MACVLAN_MODES))
    if ptype == "ipvlan" and "mode" in plugin and plugin["mode"] not in IPVLAN_MODES:
        fail(field + ".mode", plugin["mode"], "not an ipvlan mode (%s)" % ", ".join(IPVLAN_MODES))
    if ptype == "vlan":
        if "vlanId" not in plugin:
            fail(field + ".vlanId", None, "required for vlan")
        check_int(plugin["vlanId"], field + ".vlanId", 0, 4094)
    if ptype == "bridge":
        if "bridge" in plugin:
            check_ifname(plugin["bridge"], field + ".bridge")
        for key in ("isGateway", "isDefaultGateway", "forceAddress", "ipMasq", "hairpinMode", "promiscMode"):
            if key in plugin:
                check_bool(plugin[key], "%s.%s" % (field, key))
        if "vlan" in plugin:
            check_int(plugin["vlan"], field + ".vlan", 0, 4094)
    if ptype == "host-device":
        selectors = [k for k in ("device", "hwaddr", "kernelpath", "pciBusID") if plugin.get(k)]
        if len(selectors) != 1:
            fail(field, selectors, "host-device needs exactly one of device, hwaddr, kernelpath, pciBusID")
        if "device" in plugin:
            check_ifname(plugin["device"], field + ".device")
        if "hwaddr" in plugin:
            check_mac(plugin["hwaddr"], field + ".hwaddr")
    if ptype in INTERFACE_PLUGINS:
        _check_mtu(plugin, field)
        if capabilities.get("mac") and ptype in ("ipvlan", "host-device"):
            fail(field + ".capabilities.mac", True, "not supported by %s (it cannot set the MAC)" % ptype)
    if "ipam" in plugin:
        check_ipam(plugin["ipam"], field + ".ipam", capabilities)
    elif capabilities.get("ips"):
        fail(field + ".capabilities.ips", True, "needs an ipam section (static or host-local)")


def parse_config(config, field="config"):
    """Accept a JSON string or a dict; return the dict."""
    if isinstance(config, str):
        try:
            config = json.loads(config)
        except ValueError as exc:
            fail(field, config[:80], "not valid JSON (%s)" % exc)
    if not isinstance(config, dict):
        fail(field, config, "must be a JSON object (a bare list or scalar is rejected by Multus)")
    return config


def check_config(config, field="config", known_only=False):
    """Validate a CNI config (dict or JSON string): single plugin or conflist. Returns the dict."""
    config = parse_config(config, field)
    if "cniVersion" in config and config["cniVersion"] not in CNI_VERSIONS:
        fail(field + ".cniVersion", config["cniVersion"], "not a CNI spec version (%s)" % ", ".join(CNI_VERSIONS))
    if "name" in config:
        check_str(config["name"], field + ".name")
    if "type" in config:
        if "plugins" in config:
            fail(field + ".plugins", "...", "cannot be combined with a top-level type")
        check_plugin(config, field, known_only=known_only)
        return config
    # No top-level type: a conflist. Multus' admission webhook rejects one without "name".
    if "plugins" not in config:
        fail(field + ".type", None, "required (or give a conflist with name and plugins)")
    if "name" not in config:
        fail(field + ".name", None, "required in a conflist")
    plugins = check_list(config["plugins"], field + ".plugins", allow_empty=False)
    for i, plugin in enumerate(plugins):
        check_plugin(plugin, "%s.plugins[%d]" % (field, i), known_only=known_only and i == 0)
    return config
