# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster inventory model.

One inventory describes a cluster; every role derives what it needs from the
normalised dict built here.  All checks run before anything is touched and
fail with one message that names the field, the host and the value.
"""

from __future__ import annotations

import ipaddress

import re

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

ROLE_GROUPS = (
    ("jumphost", "jumphost"),
    ("bootstrap", "bootstrap"),
    ("masters", "master"),
    ("workers", "worker"),
)
ROLE_GROUP_NAMES = tuple(group for group, _role in ROLE_GROUPS)
INGRESS_GROUP_CHOICES = ("masters", "workers")
DEFAULT_INGRESS_GROUPS = ("masters", "workers")

# Group names people reach for that are not ours: a host placed there would
# silently drop out of DNS, DHCP and the load balancer.
MISSPELT_GROUPS = {
    "master": "masters",
    "control_plane": "masters",
    "controlplane": "masters",
    "control-plane": "masters",
    "controllers": "masters",
    "worker": "workers",
    "compute": "workers",
    "computes": "workers",
    "nodes": "workers",
    "jump": "jumphost",
    "jumphosts": "jumphost",
    "bastion": "jumphost",
    "bootstraps": "bootstrap",
}

# RFC 1123 label; hostnames become DNS names and DHCP host names.
LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
INTERFACE_MAX_LEN = 15


SCOPE = "cluster inventory"


def _fail(field, value, reason, host=None):
    checks.At(SCOPE, host or None).fail(field, value, reason)


def _ip(field, value, host=None):
    return checks.ip_address(value, field, checks.At(SCOPE, host or None))


def _mac(field, value, host=None):
    if checks.missing(value):
        _fail(field, value, "missing (needed for the DHCP reservation)", host)
    return checks.mac(value, field, checks.At(SCOPE, host or None))


def _domain_name(field, value):
    return checks.dns_name(value, field, checks.At(SCOPE))


def _network(field, value):
    return checks.network(value, field, checks.At(SCOPE))


def _in_network(field, addr, network, host=None, network_field="cluster_network"):
    if addr.version != network.version or addr not in network:
        _fail(field, str(addr), "outside %s %s" % (network_field, network), host)
    if network.prefixlen < network.max_prefixlen - 1 and addr in (
        network.network_address,
        network.broadcast_address,
    ):
        _fail(field, str(addr), "the network or broadcast address of %s" % network, host)


def _extra_nics(host, value, network):
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        _fail("node_extra_nics", value, "must be a list of {name, mac, ip}", host)
    nics = []
    seen = set()
    for index, nic in enumerate(value):
        field = "node_extra_nics[%d]" % index
        if not isinstance(nic, dict):
            _fail(field, nic, "must be a mapping with name, mac and optional ip", host)
        unknown = sorted(set(nic) - {"name", "mac", "ip"})
        if unknown:
            _fail(field + "." + unknown[0], nic[unknown[0]], "unknown key (known: name, mac, ip)", host)
        name = nic.get("name")
        if not name or not isinstance(name, str) or len(name) > INTERFACE_MAX_LEN or "/" in name or " " in name:
            _fail(field + ".name", name, "not an interface name (1-15 characters, no '/' or space)", host)
        if name in seen:
            _fail(field + ".name", name, "listed twice", host)
        seen.add(name)
        entry = {"name": name, "mac": None, "ip": None}
        if nic.get("mac") not in (None, ""):
            entry["mac"] = _mac(field + ".mac", nic["mac"], host)
        if nic.get("ip") not in (None, ""):
            entry["ip"] = str(_ip(field + ".ip", nic["ip"], host))
        nics.append(entry)
    return nics


def _ptr(addr):
    return addr.reverse_pointer


def _check_pool(dhcp_range, nodes, lb_address):
    """The dynamic pool holds no address that is someone's already: a reservation, the
    jump host, the load balancer (a lease of it would take the API off the network)."""
    start, end = (int(ipaddress.ip_address(dhcp_range[k])) for k in ("start", "end"))
    taken = [("cluster_lb_address", str(lb_address), None)]
    taken += [("node_ip", n["ip"], n["inventory_hostname"]) for n in nodes]
    for field, addr, host in taken:
        if start <= int(ipaddress.ip_address(addr)) <= end:
            _fail("cluster_dhcp_range", dhcp_range, "contains %s %s%s: keep the pool clear of fixed addresses"
                  % (field, addr, " of %s" % host if host else ""))


def _boot_settings(var, network):
    """cluster_boot_enabled, cluster_boot_port, cluster_boot_install_disk, cluster_gateway."""
    at = checks.At(SCOPE)
    gateway = var("cluster_gateway")
    if not checks.missing(gateway):
        address = _ip("cluster_gateway", gateway)
        _in_network("cluster_gateway", address, network)
        gateway = str(address)
    return {
        "enabled": checks.boolean(var("cluster_boot_enabled", False), "cluster_boot_enabled", at),
        "port": checks.integer(var("cluster_boot_port", 8080), "cluster_boot_port", at, 1, 65535),
        "install_disk": _disk(var("cluster_boot_install_disk", "/dev/sda"), "cluster_boot_install_disk", at),
        "gateway": None if checks.missing(gateway) else gateway,
    }


def _disk(value, field, at):
    """A device path that goes into a kernel argument: absolute, one word."""
    return checks.word(checks.abs_path(value, field, at), field, at)


def _check_floating_address(lb_address, nodes, lb_address6=None):
    """Two or more jump hosts share the load-balancer address (and, dual-stack, its IPv6
    address) as VRRP VIPs (keepalived role): each is an address of its own, never theirs."""
    jumphosts = [n for n in nodes if n["role"] == "jumphost"]
    for node in jumphosts if len(jumphosts) > 1 else []:
        for field, vip, own_field in (("cluster_lb_address", str(lb_address), "ip"),
                                      ("cluster_lb_address6", lb_address6, "ip6")):
            if vip is not None and node.get(own_field) == vip:
                _fail(field, vip,
                      "the node_%s of jump host %s: with %d jump hosts it is their floating VIP and needs an "
                      "address of its own" % (own_field, node["name"], len(jumphosts)))
    return len(jumphosts) > 1


def master_count_warning(model):
    """etcd needs a majority: an even number of masters tolerates no more failures than one
    fewer (OpenShift supports 3, and 4 or 5 from 4.17 on; 1 is single-node)."""
    count = len(model["masters"])
    if count % 2 == 0:
        return ("cluster model: %d masters: etcd keeps a majority with %d failed, as %d masters would; "
                "an odd count (3 or 5) is the usual choice" % (count, count // 2 - 1, count - 1))
    return None


def _check_group_names(groups):
    """A misspelt cluster group (e.g. 'worker') with hosts is refused, not ignored."""
    for name in sorted(groups):
        if name in MISSPELT_GROUPS and groups[name]:
            _fail(
                "group",
                name,
                "unknown group name; the cluster groups are %s (did you mean %r?)"
                % (", ".join(ROLE_GROUP_NAMES), MISSPELT_GROUPS[name]),
            )


def _dhcp_range(var, network):
    """cluster_dhcp_range as {start, end} inside the network, or None."""
    dhcp_range = None
    raw_range = var("cluster_dhcp_range")
    if raw_range not in (None, "", {}):
        if not isinstance(raw_range, dict) or set(raw_range) != {"start", "end"}:
            _fail("cluster_dhcp_range", raw_range, "must be a mapping with exactly start and end")
        start = _ip("cluster_dhcp_range.start", raw_range["start"])
        end = _ip("cluster_dhcp_range.end", raw_range["end"])
        _in_network("cluster_dhcp_range.start", start, network)
        _in_network("cluster_dhcp_range.end", end, network)
        if int(start) > int(end):
            _fail("cluster_dhcp_range", raw_range, "start comes after end")
        dhcp_range = {"start": str(start), "end": str(end)}
    return dhcp_range


def _ingress_groups(var):
    """The groups whose hosts run the ingress routers (cluster_ingress_groups)."""
    ingress_groups = var("cluster_ingress_groups", list(DEFAULT_INGRESS_GROUPS))
    if isinstance(ingress_groups, str):
        ingress_groups = [ingress_groups]
    if not isinstance(ingress_groups, list) or not ingress_groups:
        _fail("cluster_ingress_groups", ingress_groups, "must be a non-empty list of group names")
    for group in ingress_groups:
        if group not in INGRESS_GROUP_CHOICES:
            _fail(
                "cluster_ingress_groups",
                group,
                "unknown group name; ingress runs on %s" % " or ".join(INGRESS_GROUP_CHOICES),
            )
    return ingress_groups


def _boot(host, hv, install_disk):
    """How a node installs when it boots from the jump host (PXE/iPXE): its install disk
    (node_install_disk, per host or per group; else cluster_boot_install_disk), and
    whether its kernel arguments carry a static ip= for node_boot_interface."""
    at = checks.At(SCOPE, host)
    disk = hv.get("node_install_disk")
    static = hv.get("node_boot_static_ip", False)
    checks.boolean(static, "node_boot_static_ip", at)
    interface = hv.get("node_boot_interface")
    if static and checks.missing(interface):
        at.fail("node_boot_interface", interface, "required with node_boot_static_ip (the NIC ip= configures)")
    return {
        "install_disk": _disk(disk, "node_install_disk", at) if not checks.missing(disk) else install_disk,
        "static_ip": static,
        "interface": None if checks.missing(interface) else checks.ifname(interface, "node_boot_interface", at),
    }


def _second_family(var, network):
    """The optional IPv6 machine network beside the IPv4 one (dual-stack): cluster_network6
    and the load balancer's IPv6 address, cluster_lb_address6."""
    raw = var("cluster_network6")
    if checks.missing(raw):
        for name in ("cluster_lb_address6",):
            if not checks.missing(var(name)):
                _fail(name, var(name), "set without cluster_network6")
        return None, None
    network6 = _network("cluster_network6", raw)
    if network6.version != 6 or network.version != 4:
        _fail("cluster_network6", str(network6), "the IPv6 network beside an IPv4 cluster_network (dual-stack)")
    lb6 = var("cluster_lb_address6")
    if checks.missing(lb6):
        _fail("cluster_lb_address6", lb6, "required with cluster_network6: api, api-int and *.apps get an AAAA")
    lb6 = _ip("cluster_lb_address6", lb6)
    _in_network("cluster_lb_address6", lb6, network6, network_field="cluster_network6")
    return network6, str(lb6)


def _nodes(groups, hostvars, network, domain, install_disk="/dev/sda", network6=None):
    """Every host of the cluster groups as a node: name, fqdn, role, ip, mac, ptr, extra NICs;
    duplicates (names, addresses, MACs) refused."""
    nodes = []
    role_of = {}
    by_ip, by_mac, by_name, by_ip6 = {}, {}, {}, {}
    for group, role in ROLE_GROUPS:
        for host in sorted(groups.get(group) or []):
            if host in role_of:
                _fail("groups", host, "host is in both %s and %s" % (role_of[host] + "s", group))
            role_of[host] = role
            hv = hostvars[host]
            short = str(host).split(".", 1)[0].lower()
            if not LABEL_RE.fullmatch(short):
                _fail("hostname", host, "not a DNS label (lower-case letters, digits and '-')")
            if short in by_name:
                _fail("hostname", host, "same short name as %s" % by_name[short])
            by_name[short] = host

            ip = _ip("node_ip", hv.get("node_ip"), host)
            _in_network("node_ip", ip, network, host)
            if str(ip) in by_ip:
                _fail("node_ip", str(ip), "also the address of %s" % by_ip[str(ip)], host)
            by_ip[str(ip)] = host

            ip6 = None
            if network6 is not None:
                # dual-stack: an address per family for every node
                if checks.missing(hv.get("node_ip6")):
                    _fail("node_ip6", hv.get("node_ip6"), "missing: cluster_network6 gives every node an IPv6 address",
                          host)
                ip6 = _ip("node_ip6", hv.get("node_ip6"), host)
                _in_network("node_ip6", ip6, network6, host, "cluster_network6")
                if str(ip6) in by_ip6:
                    _fail("node_ip6", str(ip6), "also the address of %s" % by_ip6[str(ip6)], host)
                by_ip6[str(ip6)] = host
            elif not checks.missing(hv.get("node_ip6")):
                _fail("node_ip6", hv.get("node_ip6"), "set without cluster_network6", host)

            mac = None
            if role != "jumphost" or hv.get("node_mac") not in (None, ""):
                mac = _mac("node_mac", hv.get("node_mac"), host)
            extra = _extra_nics(host, hv.get("node_extra_nics"), network)
            macs = [("node_mac", mac)] + [
                ("node_extra_nics[%d].mac" % i, n["mac"]) for i, n in enumerate(extra)
            ]
            for field, nic_mac in macs:
                if nic_mac is None:
                    continue
                if nic_mac in by_mac:
                    _fail(field, nic_mac, "also %s of %s" % by_mac[nic_mac], host)
                by_mac[nic_mac] = (field, host)

            nodes.append(
                {
                    "name": short,
                    "inventory_hostname": host,
                    "fqdn": "%s.%s" % (short, domain),
                    "role": role,
                    "ip": str(ip),
                    "mac": mac,
                    "ptr": _ptr(ip),
                    "ip6": None if ip6 is None else str(ip6),
                    "ptr6": None if ip6 is None else _ptr(ip6),
                    "extra_nics": extra,
                    "boot": _boot(host, hv, install_disk),
                }
            )
    return nodes


def _ingress(names, ingress_groups, explicit):
    """The ingress backends: the hosts of the ingress groups, in group order."""
    ingress = [n for group in INGRESS_GROUP_CHOICES if group in ingress_groups for n in names[group]]
    for group in ingress_groups:
        # the default (masters and workers) may name an empty workers group (compact cluster)
        if explicit and not names[group]:
            _fail("cluster_ingress_groups", group, "the group has no hosts: it would add no ingress backend")
    if not ingress:
        _fail("cluster_ingress_groups", ingress_groups, "these groups have no hosts: ingress would have no backend")
    return ingress


def build_cluster_model(groups, hostvars, cluster_vars=None):
    """Build the normalised cluster model.

    ``groups`` is Ansible's ``groups`` (group name -> host names), ``hostvars``
    maps host name -> its variables.  Cluster-wide variables are read from
    ``cluster_vars`` when given, else from the first master's variables (group
    ``all`` variables are visible on every host).
    """
    groups = dict(groups or {})
    _check_group_names(groups)

    masters = list(groups.get("masters") or [])
    if not masters:
        _fail("group masters", masters, "a cluster needs at least one master")

    if cluster_vars is None:
        cluster_vars = hostvars[masters[0]]

    def var(name, default=None):
        value = cluster_vars.get(name, default)
        return default if value is None else value

    name = _domain_name("cluster_name", var("cluster_name"))
    if "." in name:
        _fail("cluster_name", name, "a single DNS label, the cluster domain adds cluster_base_domain")
    base_domain = _domain_name("cluster_base_domain", var("cluster_base_domain"))
    domain = "%s.%s" % (name, base_domain)
    network = _network("cluster_network", var("cluster_network"))
    lb_raw = var("cluster_lb_address")
    if lb_raw in (None, ""):
        _fail("cluster_lb_address", lb_raw, "missing: api, api-int and *.apps point at the load balancer")
    lb_address = _ip("cluster_lb_address", lb_raw)

    upstreams = var("cluster_dns_upstreams", [])
    if isinstance(upstreams, str):
        upstreams = [upstreams]
    if not isinstance(upstreams, list):
        _fail("cluster_dns_upstreams", upstreams, "must be a list of IP addresses")
    dns_upstreams = [str(_ip("cluster_dns_upstreams[%d]" % i, u)) for i, u in enumerate(upstreams)]

    dhcp_range = _dhcp_range(var, network)

    bootstrap_enabled = var("cluster_bootstrap_enabled", True)
    if not isinstance(bootstrap_enabled, bool):
        _fail("cluster_bootstrap_enabled", bootstrap_enabled, "must be true or false")

    ingress_groups = _ingress_groups(var)
    boot = _boot_settings(var, network)
    if boot["enabled"] and network.version == 6:
        # dnsmasq's PXE chain (dhcp-boot, the ip= arguments) is DHCPv4's; DHCPv6 netboot is another protocol
        _fail("cluster_boot_enabled", True, "PXE/iPXE boot needs an IPv4 cluster_network (%s is IPv6): boot the "
              "nodes another way, or give the cluster an IPv4 network with cluster_network6 beside it" % network)
    network6, lb_address6 = _second_family(var, network)
    nodes = _nodes(groups, hostvars, network, domain, boot["install_disk"], network6)
    names = {group: [n["name"] for n in nodes if n["role"] == role] for group, role in ROLE_GROUPS}
    ingress = _ingress(names, ingress_groups, cluster_vars.get("cluster_ingress_groups") is not None)
    if dhcp_range is not None:
        _check_pool(dhcp_range, nodes, lb_address)

    if lb_address.version != network.version:
        _fail("cluster_lb_address", str(lb_address), "not the same IP family as cluster_network %s" % network)
    lb_floating = _check_floating_address(lb_address, nodes, lb_address6)

    return {
        "name": name,
        "base_domain": base_domain,
        "domain": domain,
        "network": str(network),
        "prefix": network.prefixlen,
        "netmask": str(network.netmask),
        "lb_address": str(lb_address),
        # dual-stack: the IPv6 machine network and the load balancer's IPv6 address (None: IPv4 only)
        "network6": None if network6 is None else str(network6),
        "prefix6": None if network6 is None else network6.prefixlen,
        "lb_address6": lb_address6,
        # two or more jump hosts: lb_address is a VRRP VIP that moves between them
        "lb_floating": lb_floating,
        "api_fqdn": "api.%s" % domain,
        "api_int_fqdn": "api-int.%s" % domain,
        "apps_domain": "apps.%s" % domain,
        "dns_upstreams": dns_upstreams,
        "dhcp_range": dhcp_range,
        # the cluster network's router (DHCP's router option, static ip= boot arguments)
        "gateway": boot.pop("gateway"),
        # PXE/iPXE boot from the jump host (dnsmasq TFTP + the bootserver role's HTTP)
        "boot": boot,
        "bootstrap_enabled": bootstrap_enabled,
        "ingress_groups": [g for g in INGRESS_GROUP_CHOICES if g in ingress_groups],
        "nodes": nodes,
        "jumphost": names["jumphost"],
        "bootstrap": names["bootstrap"],
        "masters": names["masters"],
        "workers": names["workers"],
        "ingress": ingress,
    }
