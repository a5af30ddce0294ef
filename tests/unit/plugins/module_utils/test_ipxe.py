# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""render/ipxe.py and the boot server's settings, as data (the scripts are run by
real iPXE in tests/integration/test_pxe_boot.py)."""

from __future__ import annotations

import copy

import pytest
from test_cluster_model import load_seed000

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model import jumphost
from ansible_collections.clusternet.fabric.plugins.module_utils.model.cluster import build_cluster_model
from ansible_collections.clusternet.fabric.plugins.module_utils.render import ipxe

FILES = {"kernel": "rhcos-live-kernel-x86_64", "initramfs": "rhcos-live-initramfs.x86_64.img",
         "rootfs": "rhcos-live-rootfs.x86_64.img"}


def model(**host_changes):
    groups, hostvars = copy.deepcopy(load_seed000())
    for hv in hostvars.values():
        hv.update(cluster_boot_enabled=True, cluster_gateway="192.168.126.1")
    for host, changes in host_changes.items():
        hostvars[host.replace("_", "-")].update(changes)
    return build_cluster_model(groups, hostvars)


def settings(cluster, **overrides):
    return jumphost.bootserver_settings(cluster, dict(FILES, **overrides), "jump-0")


def test_one_script_per_booting_node_and_the_chain():
    cluster = model()
    s = settings(cluster)
    assert s["base_url"] == "http://192.168.126.10:8080" and s["allowed_networks"] == ["192.168.126.0/24"]
    out = ipxe.scripts(cluster, s["base_url"], s["files"], s["dns_servers"])
    booting = [n for n in cluster["nodes"] if n["role"] != "jumphost"]
    assert sorted(out) == sorted(["boot.ipxe"] + [ipxe.script_name(n["mac"]) for n in booting])
    assert "chain http://192.168.126.10:8080/ipxe/${mac:hexhyp}.ipxe || exit" in out["boot.ipxe"]
    master = out["52-54-00-7e-00-15.ipxe"]
    assert master.startswith("#!ipxe\n")
    assert ("kernel http://192.168.126.10:8080/rhcos/rhcos-live-kernel-x86_64 initrd=main "
            "coreos.live.rootfs_url=http://192.168.126.10:8080/rhcos/rhcos-live-rootfs.x86_64.img "
            "coreos.inst.install_dev=/dev/sda "
            "coreos.inst.ignition_url=http://192.168.126.10:8080/ignition/master.ign\n") in master
    assert "initrd --name main http://192.168.126.10:8080/rhcos/rhcos-live-initramfs.x86_64.img\nboot\n" in master
    bootstrap = next(n for n in cluster["nodes"] if n["role"] == "bootstrap")
    assert "/ignition/bootstrap.ign" in out[ipxe.script_name(bootstrap["mac"])]
    assert "/ignition/worker.ign" in out["52-54-00-7e-00-1f.ipxe"]


def test_a_static_address_and_a_disk_of_its_own():
    cluster = model(master_0={"node_boot_static_ip": True, "node_boot_interface": "ens192",
                              "node_install_disk": "/dev/nvme0n1"})
    s = settings(cluster)
    master = ipxe.scripts(cluster, s["base_url"], s["files"], s["dns_servers"])["52-54-00-7e-00-15.ipxe"]
    assert "coreos.inst.install_dev=/dev/nvme0n1 " in master
    assert " ip=192.168.126.21::192.168.126.1:255.255.255.0:master-0:ens192:none nameserver=192.168.126.10\n" in master


@pytest.mark.parametrize("overrides,message", [
    ({"kernel": "../etc/shadow"}, r"bootserver_kernel of jump-0 is '../etc/shadow': a file name"),
    ({"rootfs": "a b"}, r"bootserver_rootfs of jump-0 is 'a b'"),
    ({"allowed_networks": ["0.0.0.1/0"]}, r"bootserver_allowed_networks\[0\] of jump-0 is '0.0.0.1/0': has host bits"),
])
def test_bad_settings_are_refused_naming_them(overrides, message):
    with pytest.raises(checks.InputError, match=r"^bootserver: " + message):
        settings(model(), **overrides)


def test_only_a_jump_host_serves():
    with pytest.raises(checks.InputError, match=r"^bootserver: inventory_hostname of master-0 is 'master-0'"):
        jumphost.bootserver_settings(model(), FILES, "master-0")


def test_dnsmasq_hands_ipxe_the_boot_script_only_when_boot_is_on():
    overrides = dict.fromkeys(("domain", "hosts", "api_address", "apps_address", "listen_address", "upstreams",
                               "dhcp_range"))
    on = jumphost.dnsmasq_settings(model(), overrides, "jump-0")
    assert on["boot"] == {"script_url": "http://192.168.126.10:8080/ipxe/boot.ipxe"}
    off = jumphost.dnsmasq_settings(build_cluster_model(*load_seed000()), overrides, "jump-0")
    assert off["boot"] == {}
