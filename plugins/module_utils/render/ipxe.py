# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The iPXE scripts the boot server serves, from the cluster model.

``boot.ipxe`` (what dnsmasq hands to iPXE) chains to the node's own script,
``<mac>.ipxe`` (``${mac:hexhyp}``: lower case, hyphens); a MAC without a
script falls through to the next boot device (``exit``). A node's script
live-boots RHCOS and installs it to the node's disk with its role's Ignition
file (``coreos.inst.*``), with a static ``ip=`` when the inventory asks for one.
"""

from __future__ import annotations

import ipaddress

IGNITION = {"bootstrap": "bootstrap.ign", "master": "master.ign", "worker": "worker.ign"}


def script_name(mac):
    """The file iPXE asks for with ${mac:hexhyp}."""
    return "%s.ipxe" % mac.lower().replace(":", "-")


def boot_script(base_url):
    return ("#!ipxe\n# Chain to this machine's own script; a machine without one boots from its next device.\n"
            "chain %s/ipxe/${mac:hexhyp}.ipxe || exit\n" % base_url)


def kernel_arguments(cluster, node, base_url, files, dns_servers):
    """The kernel command line of ``node``: live rootfs, install disk, Ignition, static ip=."""
    args = ["initrd=main", "coreos.live.rootfs_url=%s/rhcos/%s" % (base_url, files["rootfs"]),
            "coreos.inst.install_dev=%s" % node["boot"]["install_disk"],
            "coreos.inst.ignition_url=%s/ignition/%s" % (base_url, IGNITION[node["role"]])]
    if node["boot"]["static_ip"]:
        network = ipaddress.ip_network(cluster["network"])
        # dracut: ip=<client-IP>:[<peer>]:<gateway-IP>:<netmask>:<client_hostname>:<interface>:none
        args.append("ip=%s::%s:%s:%s:%s:none" % (
            node["ip"], cluster["gateway"] or "", network.netmask, node["name"], node["boot"]["interface"]))
        args += ["nameserver=%s" % server for server in dns_servers]
    return args


def node_script(cluster, node, base_url, files, dns_servers):
    return "".join([
        "#!ipxe\n",
        "# %s (%s): RHCOS live boot, installed to %s with %s\n" % (
            node["fqdn"], node["role"], node["boot"]["install_disk"], IGNITION[node["role"]]),
        "kernel %s/rhcos/%s %s\n" % (base_url, files["kernel"], " ".join(
            kernel_arguments(cluster, node, base_url, files, dns_servers))),
        "initrd --name main %s/rhcos/%s\n" % (base_url, files["initramfs"]),
        "boot\n",
    ])


def scripts(cluster, base_url, files, dns_servers):
    """{file name: text} under ipxe/: boot.ipxe and one script per node that boots
    (bootstrap, masters, workers: every node with a MAC and an Ignition role)."""
    out = {"boot.ipxe": boot_script(base_url)}
    for node in cluster["nodes"]:
        if node["role"] in IGNITION and node["mac"]:
            out[script_name(node["mac"])] = node_script(cluster, node, base_url, files, dns_servers)
    return out
