# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.filter.frr import FilterModule

F = FilterModule().filters()
HOSTVARS = {
    "n1": {"frr_loopback": "10.0.0.1/32", "frr_uplinks": [{"name": "eth1", "tor": "t1", "tor_port": "swp1"}],
           "frr_pod_blocks": ["10.1.0.0/26"], "other": 1},
    "n2": {"frr_loopback": "10.0.0.2/32", "frr_uplinks": [{"name": "eth1", "tor": "t1", "tor_port": "swp2"}],
           "frr_pod_blocks": ["10.1.0.64/26"]},
    "t1": {"frr_asn": 64999, "frr_loopback": "10.0.0.254/32"},
}


def fabric(**settings):
    return F["frr_fabric"](HOSTVARS, ["n2", "n1"], ["t1"], [], dict({"asn_base": 64600}, **settings))


def test_fabric_from_hostvars_with_asn_base():
    model = fabric()
    assert model["nodes"]["n1"]["asn"] == 64600 and model["nodes"]["n2"]["asn"] == 64601
    assert [p["port"] for p in model["switches"]["t1"]["ports"]] == ["swp1", "swp2"]


def test_unknown_host_and_empty_list():
    with pytest.raises(AnsibleFilterError, match="frr_nodes names 'n9'"):
        F["frr_fabric"](HOSTVARS, ["n1", "n9"], ["t1"])
    with pytest.raises(AnsibleFilterError, match="frr_tors names 't9'"):
        F["frr_fabric"](HOSTVARS, ["n1"], ["t9"])
    with pytest.raises(AnsibleFilterError, match="frr_nodes is empty"):
        F["frr_fabric"](HOSTVARS, [], ["t1"])


def test_model_errors_become_filter_errors():
    with pytest.raises(AnsibleFilterError, match=r"frr_asn of n1 is None: set frr_asn, or frr_asn_base"):
        F["frr_fabric"](HOSTVARS, ["n1", "n2"], ["t1"])


def test_node_files_and_bad_delivery_options():
    model = fabric()
    files = F["frr_node_files"](model, "n1", {"container_args": ["--runtime", "crun"]})
    assert "FRR_CONTAINER_ARGS=--runtime crun" in files["/etc/frr/frr-container.env"]["content"]
    unit = files["/etc/systemd/system/frr.service"]["content"]
    assert "--cap-drop all --cap-add NET_ADMIN,NET_RAW,SYS_ADMIN" in unit and "--privileged" not in unit
    assert "frr-reload.py --reload /etc/frr/frr.conf" in unit and "Restart=always" in unit
    priv = F["frr_node_files"](model, "n1", {"privileged": True, "engine": "docker"})
    assert "/usr/bin/docker run --rm --name frr --network host --privileged" in \
        priv["/etc/systemd/system/frr.service"]["content"]
    with pytest.raises(AnsibleFilterError, match="frr_container_engine is 'lxc'"):
        F["frr_node_files"](model, "n1", {"engine": "lxc"})
    with pytest.raises(AnsibleFilterError, match=r"frr_container_args\[0\] is 'a b'"):
        F["frr_node_files"](model, "n1", {"container_args": ["a b"]})
    with pytest.raises(AnsibleFilterError, match=r"frr_container_name is 'frr\\nExecStartPre=/bin/evil'"):
        F["frr_node_files"](model, "n1", {"container_name": "frr\nExecStartPre=/bin/evil"})


def test_switch_conf_daemons_sysctls_and_check_command():
    model = fabric(bfd=True)
    assert "neighbor swp2 interface peer-group SERVERS" in F["frr_switch_conf"](model, "t1")
    confs = F["frr_switch_confs"](model)
    assert sorted(confs) == sorted(model["switches"]) and confs["t1"] == F["frr_switch_conf"](model, "t1")
    assert list(F["frr_switch_confs"](model, ["t1"])) == ["t1"]
    with pytest.raises(AnsibleFilterError, match="frr_tors of nosuch is 'nosuch': not a switch of the fabric"):
        F["frr_switch_confs"](model, ["nosuch"])
    assert "bfdd=yes" in F["frr_daemons"](model)
    assert F["frr_sysctls"](model)["net.ipv4.conf.all.rp_filter"] == "2"
    wrapped = F["frr_check_command"]("vtysh -C -f %s")
    assert [F["frr_rollout_batch_size"](b, 25) for b in (1, "1", "10%", "50%", "100%", 40, [2, "50%"], "1%")] \
        == [1, 1, 2, 12, 25, 25, 2, 1]
    for bad in (0, "0%", "101%", "ten", "5 %x", True):
        with pytest.raises(AnsibleFilterError, match="fabric inventory: frr_rollout_batch is"):
            F["frr_rollout_batch_size"](bad, 25)
    assert wrapped.startswith("/bin/sh -c ") and " %s " in wrapped
    with pytest.raises(AnsibleFilterError, match="check command"):
        F["frr_check_command"]("vtysh -C")
