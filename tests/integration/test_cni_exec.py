# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""Configs rendered by the nad module, executed by the real CNI plugins in /usr/lib/cni.

Each test builds a "node" network namespace (the plugin runs there: its master NICs and
bridges never touch this machine's namespace) and "pod" namespaces, all named nad-*.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "golden" / "nad"))

from cniexec import Lab, add_check_del, addresses, link_exists, run_plugin, sh  # noqa: E402

from ansible_collections.clusternet.fabric.plugins.module_utils.render.nad import render_networks  # noqa: E402


def render(net):
    return render_networks([net])[0]["config"]


@pytest.fixture
def lab():
    lab = Lab("x")
    yield lab
    lab.close()


def test_macvlan_static_add_check_del(lab):
    node, pod = lab.ns("node"), lab.ns("pod")
    lab.veth(node, "nadm0", "nadm0p")
    config = render({"name": "mv-static", "type": "macvlan", "master": "nadm0", "mode": "bridge",
                     "cni_version": "0.4.0",
                     "ipam": {"type": "static",
                              "addresses": [{"address": "10.0.201.29/24", "gateway": "10.0.201.1"}],
                              "routes": [{"dst": "10.9.0.0/16", "gw": "10.0.201.1"}]}})

    def inspect(result):
        assert addresses(pod, "net1") == ["10.0.201.29/24"]
        routes = sh("ip", "-n", pod, "route").stdout
        assert "10.9.0.0/16 via 10.0.201.1 dev net1" in routes
        assert result["ips"][0]["address"] == "10.0.201.29/24"
        details = json.loads(sh("ip", "-n", pod, "-d", "-j", "link", "show", "net1").stdout)[0]
        assert details["linkinfo"]["info_kind"] == "macvlan"
        assert details["linkinfo"]["info_data"]["mode"] == "bridge"

    add_check_del(config, node, pod, inspect=inspect)
    assert not link_exists(pod, "net1")


def test_seed000_two_pods_ping_over_macvlan(lab):
    """Seed 000: network-macvlan on ens224, pods at 10.0.201.29/24 and .30/24 ping each other."""
    node, pod1, pod2 = lab.ns("node"), lab.ns("pod1"), lab.ns("pod2")
    lab.veth(node, "ens224", "nadpeer")  # the seed's NIC name, inside our node namespace
    entry = render_networks([{"name": "network-macvlan", "type": "macvlan", "master": "ens224",
                              "cni_version": "0.3.1", "capabilities": {"ips": True},
                              "ipam": {"type": "static"}}], target="cno")[0]["object"]
    config = entry["rawCNIConfig"]
    r1 = run_plugin("ADD", config, node, pod1, runtime_config={"ips": ["10.0.201.29/24"]})
    r2 = run_plugin("ADD", config, node, pod2, runtime_config={"ips": ["10.0.201.30/24"]})
    try:
        assert addresses(pod1, "net1") == ["10.0.201.29/24"]
        assert addresses(pod2, "net1") == ["10.0.201.30/24"]
        for src, dst in ((pod1, "10.0.201.30"), (pod2, "10.0.201.29")):
            ping = sh("ip", "netns", "exec", src, "ping", "-c", "3", "-i", "0.2", "-W", "2", dst, check=False)
            assert ping.returncode == 0, ping.stdout + ping.stderr
            assert "3 received" in ping.stdout
    finally:
        run_plugin("DEL", config, node, pod1, runtime_config={"ips": ["10.0.201.29/24"]}, prev_result=r1)
        run_plugin("DEL", config, node, pod2, runtime_config={"ips": ["10.0.201.30/24"]}, prev_result=r2)
    assert not link_exists(pod1, "net1") and not link_exists(pod2, "net1")


def test_bridge_host_local_add_check_del(lab, tmp_path):
    node, pod = lab.ns("node"), lab.ns("pod")
    config = render({"name": "br-hl", "type": "bridge", "bridge": "nadbr0", "is_gateway": True,
                     "cni_version": "1.0.0",
                     "ipam": {"type": "host-local", "ranges": [[{
                         "subnet": "192.168.1.0/24", "range_start": "192.168.1.100",
                         "range_end": "192.168.1.200", "gateway": "192.168.1.1"}]],
                         "data_dir": str(tmp_path / "ipam")}})

    def inspect(result):
        assert addresses(pod, "net1") == ["192.168.1.100/24"]
        assert addresses(node, "nadbr0") == ["192.168.1.1/24"]  # isGateway puts the gateway on the bridge
        ping = sh("ip", "netns", "exec", pod, "ping", "-c", "1", "-W", "2", "192.168.1.1", check=False)
        assert ping.returncode == 0, ping.stdout
        assert (tmp_path / "ipam" / "br-hl" / "192.168.1.100").exists()

    add_check_del(config, node, pod, inspect=inspect)
    assert not link_exists(pod, "net1")
    assert not (tmp_path / "ipam" / "br-hl" / "192.168.1.100").exists()  # DEL released the lease


def test_host_device_add_check_del(lab):
    node, pod = lab.ns("node"), lab.ns("pod")
    lab.veth(node, "nadhd0", "nadhd0p")
    config = render({"name": "hostdev", "type": "host-device", "device": "nadhd0", "cni_version": "0.4.0",
                     "ipam": {"type": "static", "addresses": [{"address": "10.7.0.2/24"}]}})

    def inspect(result):
        assert not link_exists(node, "nadhd0")  # moved into the pod
        assert addresses(pod, "net1") == ["10.7.0.2/24"]

    add_check_del(config, node, pod, inspect=inspect)
    assert link_exists(node, "nadhd0")  # DEL gives the device back to the node
    assert not link_exists(pod, "net1")


@pytest.mark.parametrize("net", [
    {"name": "iv", "type": "ipvlan", "master": "ens224", "mode": "l2",
     "ipam": {"type": "whereabouts", "range": "192.168.20.0/24", "exclude": ["192.168.20.0/28"]}},
    {"name": "vl", "type": "vlan", "master": "ens224", "vlan_id": 201, "mtu": 1500,
     "ipam": {"type": "dhcp"}},
])
def test_ipvlan_and_vlan_validated_only(net):
    """This kernel has no ipvlan or vlan link type (and cannot load modules), so the real
    plugins cannot run here; we assert the rendered config passes our validation, which
    checks what those plugins check (master name, mode, vlanId range, IPAM)."""
    config = json.loads(render(net))
    assert config["type"] == net["type"] and config["master"] == "ens224"
