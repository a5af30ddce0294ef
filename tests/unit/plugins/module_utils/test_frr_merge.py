# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Part mode's merge as data: what the fabric owns is replaced, every other
line of the switch stays (real FRR: tests/integration/test_frr_tor_part.py)."""

from __future__ import annotations

import os

import yaml

from ansible_collections.clusternet.fabric.plugins.module_utils.model import bgp
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import build_fabric
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import render_router_conf
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_merge import merge, owned_names, parse

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "..", "..", "golden", "frr", "two-racks", "input.yml")
RUNNING = """\
Building configuration...

Current configuration:
!
frr version 8.4.4
hostname switch-a
!
ip route 203.0.113.0/24 blackhole
!
interface swp1
 description stale, cabled to a server before
exit
!
interface swp9
 description core
exit
!
router bgp 65100
 bgp router-id 10.254.1.250
 neighbor SERVERS peer-group
 neighbor SERVERS remote-as 65999
 neighbor swp1 interface peer-group SERVERS
 neighbor 192.0.2.254 remote-as 65999
 !
 address-family ipv4 unicast
  network 203.0.113.0/24
  neighbor SERVERS maximum-prefix 1
  neighbor 192.0.2.254 route-map MINE out
 exit-address-family
exit
!
ip prefix-list MINE seq 5 permit 203.0.113.0/24
ip prefix-list FABRIC-V4 seq 5 permit 0.0.0.0/0 le 32
!
bfd
 profile theirs
  detect-multiplier 5
 exit
 !
 profile fabric
  detect-multiplier 9
 exit
 !
exit
!
end
"""


def part(running=RUNNING):
    with open(GOLDEN) as f:
        model = build_fabric(**yaml.safe_load(f))
    cfg = bgp.switch_config(model, "tor-1a")
    return merge(running, render_router_conf(cfg), owned_names(cfg)), owned_names(cfg)


def test_switch_lines_kept_fabric_lines_replaced():
    text, owned = part()
    assert owned["interfaces"] == ["swp1", "swp2", "swp50", "swp51"]
    for line in ("hostname switch-a", "ip route 203.0.113.0/24 blackhole", "interface swp9", " description core",
                 " bgp router-id 10.254.1.250", " neighbor 192.0.2.254 remote-as 65999",
                 "  neighbor 192.0.2.254 route-map MINE out", "  network 203.0.113.0/24",
                 "ip prefix-list MINE seq 5 permit 203.0.113.0/24", " profile theirs"):
        assert line in text.splitlines(), line
    # the fabric's own objects come from the model, whatever the switch had under those names
    assert " neighbor SERVERS remote-as external" in text and "remote-as 65999\n neighbor swp1" not in text
    assert "neighbor SERVERS maximum-prefix 1\n" not in text and "stale" not in text
    assert "ip prefix-list FABRIC-V4 seq 5 permit 10.254.0.0/16 le 32" in text
    assert "permit 0.0.0.0/0 le 32" not in text and "detect-multiplier 9" not in text
    # switch-wide settings stay the switch's
    assert "interface lo" not in text and "bgp graceful-restart" not in text and "maximum-paths" not in text


def test_merge_parses_back_to_one_bgp_instance():
    text, _owned = part()
    heads = [head for head, body in parse(text) if body is not None and head.startswith("router bgp")]
    assert heads == ["router bgp 65100"]
