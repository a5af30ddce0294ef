# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frr role's batch check of a MachineConfig's node configs
(roles/frr/files/check_frr_configs.py) with the real vtysh -C: every config
is checked, a rejected one fails the run and is named, none at all fails too."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "roles", "frr", "files", "check_frr_configs.py")
GOOD = "frr version 8.4\nrouter bgp 65001\n bgp router-id 1.1.1.1\nexit\n"
BAD = "frr version 8.4\nrouter bgp 65002\n neighbor ens3 interface peer-group NOSUCHGROUP\n no-such-command\nexit\n"


def check(tmp_path, configs):
    path = tmp_path / "configs.json"
    path.write_text(json.dumps(configs))
    return subprocess.run([sys.executable, SCRIPT, str(path), "vtysh -C -f %s"],
                          capture_output=True, text=True, check=False)


def test_all_good(tmp_path):
    proc = check(tmp_path, {"/etc/frr/nodes/c%d.conf" % i: GOOD for i in range(1, 6)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 of 5 configurations passed" in proc.stdout


def test_one_rejected_is_named(tmp_path):
    proc = check(tmp_path, {"/etc/frr/nodes/c1.conf": GOOD, "/etc/frr/nodes/c2.conf": BAD})
    assert proc.returncode == 1
    assert "c2.conf: rejected by 'vtysh -C -f %s'" in proc.stdout, proc.stdout
    assert "c1.conf: rejected" not in proc.stdout
    assert "1 of 2 configurations passed" in proc.stdout


def test_nothing_to_check_fails(tmp_path):
    proc = check(tmp_path, {})
    assert proc.returncode == 1
    assert "no configuration to check" in proc.stdout
