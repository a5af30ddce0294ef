# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The FRR container with the privileges the frr role's unit gives it, and no more:
the image localhost/clusternet-frr:8.4 runs in a network namespace with exactly the
unit's --cap-drop all --cap-add ..., --security-opt no-new-privileges and a read-only
/etc/frr, and forms a real BGP unnumbered session with a native FRR in another
namespace, installing the peer's route in the kernel. Then each capability of the
set is removed in turn: without it FRR does not come up (which is why it is kept).
KILL, in podman's default set, is dropped: a stop stays graceful without it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import render_daemons
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_delivery import (
    CAPABILITIES,
    DELIVERY_DEFAULTS,
    frr_unit,
)

sys.path.insert(0, os.path.dirname(__file__))
from frr_netns import Router, established, link, sh  # noqa: E402

IMAGE = os.environ.get("CLUSTERNET_FRR_IMAGE", "localhost/clusternet-frr:8.4")
BUILD_IMAGES = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "build-images")
NS = "privs-n1"
CONF = """frr defaults datacenter
hostname %(name)s
!
router bgp %(asn)d
 bgp router-id %(id)s
 no bgp ebgp-requires-policy
 neighbor eth0 interface remote-as external
 address-family ipv4 unicast
  network %(id)s/32
 exit-address-family
exit
!
"""


@pytest.fixture(scope="module", autouse=True)
def frr_image():
    """The lab's FRR image (built from Debian's package when missing; the lab builds the same)."""
    subprocess.run([BUILD_IMAGES, "frr"], check=True, stdout=subprocess.DEVNULL)


def unit_flags():
    """The podman flags of the role's own unit: capabilities, security options, /etc/frr mount."""
    unit = frr_unit(dict(DELIVERY_DEFAULTS))
    caps = re.search(r"--cap-drop all --cap-add (\S+)", unit).group(1).split(",")
    security = re.findall(r"--security-opt (\S+)", unit)
    mount = re.search(r"--volume /etc/frr:/etc/frr:(\S+)", unit).group(1)
    return caps, security, mount


def run_frr(tmp_path, caps, timeout):
    """Start the container in NS beside a native peer; returns (came up, how long a stop took, detail)."""
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "frr.conf").write_text(CONF % {"name": "c1", "asn": 65001, "id": "10.99.0.1"})
    (etc / "daemons").write_text(render_daemons(bfd=False))
    (etc / "vtysh.conf").write_text("service integrated-vtysh-config\n")
    for path in [tmp_path, etc] + list(etc.iterdir()):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    _caps, security, mount = unit_flags()
    sh("ip", "netns", "add", NS)
    sh("ip", "link", "set", "lo", "up", ns=NS)
    sh("ip", "addr", "add", "10.99.0.1/32", "dev", "lo", ns=NS)
    peer = Router("privs-n2", str(tmp_path))
    peer.create(["10.99.0.2/32"])
    name = "clusternet-privs-test"
    try:
        link(NS, "eth0", "privs-n2", "eth0", "privsv1", "privsv2")
        peer.start(CONF % {"name": "c2", "asn": 65002, "id": "10.99.0.2"})
        args = ["podman", "run", "-d", "--rm", "--name", name, "--runtime", "runc", "--network", "ns:/run/netns/" + NS,
                "--volume", "%s:/etc/frr:%s" % (etc, mount), "--cap-drop", "all"]
        args += ["--cap-add", ",".join(caps)] if caps else []
        for option in security:
            args += ["--security-opt", option]
        started = subprocess.run(args + [IMAGE], capture_output=True, text=True, check=False)
        assert started.returncode == 0, started.stderr
        deadline, up, route = time.monotonic() + timeout, False, ""
        while time.monotonic() < deadline and not up:
            route = sh("ip", "route", "show", "10.99.0.2", ns=NS, check=False).stdout.strip()
            up = established(peer)[0] and "proto bgp" in route
            time.sleep(0.3)
        began = time.monotonic()
        subprocess.run(["podman", "stop", "-t", "10", name], capture_output=True, check=False)
        stop_seconds = time.monotonic() - began
        logs = subprocess.run(["podman", "logs", "--tail", "5", name], capture_output=True, text=True, check=False)
        return up, stop_seconds, "route=%r session=%s %s" % (route, established(peer)[1], logs.stdout + logs.stderr)
    finally:
        subprocess.run(["podman", "rm", "-f", "-t", "0", name], capture_output=True, check=False)
        peer.stop()
        sh("ip", "netns", "del", NS, check=False)


def test_the_units_flags_are_the_reduced_set():
    caps, security, mount = unit_flags()
    assert caps == CAPABILITIES and len(caps) == 9 and "KILL" not in caps
    assert "no-new-privileges" in security
    assert mount.split(",")[0] == "ro"


def test_frr_forms_sessions_and_installs_routes_with_the_units_privileges(tmp_path):
    caps, _security, _mount = unit_flags()
    up, stop_seconds, detail = run_frr(tmp_path, caps, timeout=40)
    assert up, detail
    # without KILL the stop is still graceful (frrinit.sh stops the daemons), not podman's SIGKILL after 10 s
    assert stop_seconds < 8, "the stop was not graceful: %.1f s" % stop_seconds


@pytest.mark.parametrize("dropped", CAPABILITIES)
def test_each_capability_kept_is_needed(tmp_path, dropped):
    up, _stop, detail = run_frr(tmp_path, [c for c in CAPABILITIES if c != dropped], timeout=12)
    assert not up, "FRR came up without %s: it could be dropped (%s)" % (dropped, detail)
