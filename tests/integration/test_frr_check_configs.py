# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frr role's batch check of a MachineConfig's node configs
(roles/frr/files/check_frr_configs.py) with the real vtysh -C: every config
is checked, a rejected one fails the run and is named, none at all fails too.
vtysh 8.4 -C exits 0 on some files it refuses (an unbalanced 'exit'): the
checker, and frr_check.shell_command() for validate:, refuse them by its output."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.render import frr_check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "roles", "frr", "files", "check_frr_configs.py")
GOOD = "frr version 8.4\nrouter bgp 65001\n bgp router-id 1.1.1.1\nexit\n"
BAD = "frr version 8.4\nrouter bgp 65002\n neighbor ens3 interface peer-group NOSUCHGROUP\n no-such-command\nexit\n"
# the top-level 'exit' leaves vtysh's config node: every later line is refused, yet vtysh -C exits 0
UNBALANCED = "hostname x\n!\nexit\n!\nrouter bgp 65001\n bgp router-id 1.1.1.1\nexit\n"
WRAPPED = frr_check.shell_command("vtysh -C -f %s")


def check(tmp_path, configs, command="vtysh -C -f %s"):
    path = tmp_path / "configs.json"
    path.write_text(json.dumps(configs))
    return subprocess.run([sys.executable, SCRIPT, str(path), command],
                          capture_output=True, text=True, check=False)


def validate(command, path):
    """As ansible.builtin.copy runs validate: (copy.py: run_command(validate % src), split with shlex)."""
    return subprocess.run(shlex.split(command % path), capture_output=True, text=True, check=False)


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


def test_plain_vtysh_passes_the_unbalanced_exit(tmp_path):
    # the bug itself: exit 0, the errors only on stderr (if this fails, vtysh got stricter)
    path = tmp_path / "unbalanced.conf"
    path.write_text(UNBALANCED)
    proc = validate("vtysh -C -f %s", path)
    assert proc.returncode == 0
    assert "line 5: % Unknown command[3]: router bgp 65001" in proc.stderr
    assert frr_check.judge(proc.returncode, proc.stdout + proc.stderr)


@pytest.mark.parametrize("command, code", [("vtysh -C -f %s", 0), (WRAPPED, 1)])
def test_unbalanced_exit_is_rejected(tmp_path, command, code):
    # plain: judged by its output (exit 0); wrapped: the wrapper's own exit 1 already says it
    proc = check(tmp_path, {"/etc/frr/nodes/c1.conf": GOOD, "/etc/frr/nodes/c2.conf": UNBALANCED}, command)
    assert proc.returncode == 1, proc.stdout
    assert ("c2.conf: rejected by '%s' (exit %d): line 5: %% Unknown command[3]: router bgp 65001"
            % (command, code)) in proc.stdout, proc.stdout
    assert "c1.conf: rejected" not in proc.stdout
    assert "1 of 2 configurations passed" in proc.stdout


def test_wrapped_validate_refuses_the_unbalanced_exit(tmp_path):
    for name, contents, code in (("good.conf", GOOD, 0), ("unbalanced.conf", UNBALANCED, 1), ("bad.conf", BAD, 2)):
        path = tmp_path / name
        path.write_text(contents)
        proc = validate(WRAPPED, path)
        assert proc.returncode == code, proc.stdout + proc.stderr
        assert bool(frr_check.judge(0, proc.stdout)) == bool(code)  # the errors are printed for Ansible to show
