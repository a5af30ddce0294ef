# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example inventories for real sites, through site.yml itself in rendered
mode: nothing is contacted, every artifact is written or returned on the
controller and checked by its real consumer on the way (haproxy -c,
dnsmasq --test, vtysh -C; the CNO entry by the nad module's validation).

- inventories/example-openshift: seed 000's UPI cluster (jump host, Multus).
- inventories/example-fabric: seed 003's three nodes and their ToR (FRR on
  every node, rendered as the pool-wide MachineConfig; the ToR's frr.conf).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def site(inventory, *extra, become=False):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_CALLBACK_RESULT_FORMAT="json")
    args = ["ansible-playbook", "-v", "-i", inventory, "site.yml",
            # the controller renders everything: no host of the example is contacted
            "-e", "ansible_connection=local", "-e", "ansible_python_interpreter=" + sys.executable]
    if not become:
        args += ["-e", "ansible_become=false"]
    for item in extra:
        args += ["-e", item]
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)
    return proc.returncode, proc.stdout + proc.stderr


def openshift_rendered(out):
    """The -e settings that render example-openshift into ``out`` (also used from the
    installed collection, test_installed_collection.py)."""
    return ["dnsmasq_state=rendered", "dnsmasq_rendered_dir=%s" % out,
            "haproxy_state=rendered", "haproxy_rendered_path=%s/haproxy.cfg" % out,
            "haproxy_validate_command='unshare -rn haproxy -c -f %s'",
            "multus_state=rendered", "multus_platform=openshift"]


def fabric_rendered(out):
    """The -e settings that render example-fabric (its ToR's frr.conf into ``out``)."""
    return ["frr_delivery=machineconfig", "frr_machineconfig_state=rendered",
            "frr_tor_state=rendered", "frr_tor_rendered_dir=%s" % out]


def test_example_openshift_renders(tmp_path):
    rc, out = site("inventories/example-openshift", *openshift_rendered(tmp_path))
    assert rc == 0, out
    haproxy = (tmp_path / "haproxy.cfg").read_text()
    https = haproxy.split("\nbackend ingress-https", 1)[1].split("\nbackend ", 1)[0]
    for node in ("master-0", "master-1", "master-2", "worker-0", "worker-1"):
        assert re.search(r"server %s " % node, https), https  # masters run ingress too
    assert re.search(r"server bootstrap-0 .* backup", haproxy), haproxy
    hosts = (tmp_path / "cluster.hosts").read_text()
    assert re.search(r"^192\.168\.126\.21\s+master-0\.test\.example\.local", hosts, re.M), hosts
    dhcp = (tmp_path / "cluster.dhcp-hosts").read_text()
    assert "52:54:00:7e:00:1f" in dhcp and "192.168.126.31" in dhcp, dhcp
    # seed 000's secondary network, as the CNO entry the cluster would get
    entry = re.search(r'"rawCNIConfig": "((?:[^"\\]|\\.)*)"', out)
    assert entry, out
    raw = json.loads(json.loads('"%s"' % entry.group(1)))
    assert raw["type"] == "macvlan" and raw["master"] == "ens224" and raw["ipam"] == {"type": "static"}, raw


def test_example_fabric_renders(tmp_path):
    rc, out = site("inventories/example-fabric", *fabric_rendered(tmp_path))
    assert rc == 0, out
    tor = (tmp_path / "tor-cumulus-1.frr.conf").read_text()
    assert "router bgp 65004" in tor, tor
    for port, node, block in (("swp1", "c1", "10.1.8.192/26"), ("swp2", "c2", "10.1.71.192/26"),
                              ("swp3", "c3", "10.1.240.0/26")):
        assert "neighbor %s interface peer-group SERVERS" % port in tor, tor
        assert re.search(r"ip prefix-list SERVER-%s-V4 seq \d+ permit %s" % (node, re.escape(block)), tor), tor
    # every node's frr.conf went through vtysh -C (one run per shape) and into the MachineConfig's bundle
    assert re.search(r'"?configs"?: 3\b', out) and re.search(r'"?checker_runs"?: 1\b', out), out
    assert '"path": "/etc/frr/nodes.bundle"' in out, out
    assert "99-worker-frr" in out, out


def test_the_jump_host_play_builds_the_cluster_model_once_and_stops_there_on_bad_input(tmp_path):
    """playbooks/jumphost.yml builds the model in one task before its roles (which read it
    instead of building their own); a bad inventory stops in that task, before any role
    has run, and nothing is written."""
    rc, out = site("inventories/example-openshift", *openshift_rendered(tmp_path))
    assert rc == 0, out
    assert out.count("TASK [Build the cluster model from the inventory]") == 1, out
    # the roles read the play's model in place: none builds (or copies) one of its own
    for role in ("dnsmasq", "haproxy"):
        banner = "TASK [clusternet.fabric.%s : Build the cluster model from the inventory, unless the play has it" % role
        assert banner in out, out
        result = out.split(banner, 1)[1].split("\nTASK [", 1)[0]
        assert "skipping: [jump-0]" in result and "ok: [" not in result, result
    bad = tmp_path / "bad"
    rc, out = site("inventories/example-openshift", *openshift_rendered(bad), "cluster_lb_address=192.168.999.1")
    assert rc != 0
    before, failed = out.split("TASK [Build the cluster model from the inventory]", 1)
    assert "clusternet.fabric." not in before, before
    failed = failed.split("TASK [", 1)[0]
    assert "cluster_lb_address" in failed and "192.168.999.1" in failed, out[-3000:]
    assert not bad.exists() or not any(bad.iterdir())


@pytest.mark.parametrize("example, settings", [("example-openshift", openshift_rendered),
                                               ("example-fabric", fabric_rendered)])
def test_rendered_site_runs_as_the_controllers_user_in_become_plays(example, settings, tmp_path):
    """site.yml's jump host and switch plays say become: true; what rendered mode runs on the
    controller says become: false, so it runs as the user who runs Ansible, with that user's
    files: here any become fails (its command is /bin/false; to another user, as Ansible skips
    a become to the user it runs as), and the run passes."""
    rc, out = site("inventories/" + example, *settings(tmp_path), "ansible_become_exe=/bin/false",
                   "ansible_become_user=nobody", become=True)
    assert rc == 0, out[-4000:]
    assert any(tmp_path.iterdir())
