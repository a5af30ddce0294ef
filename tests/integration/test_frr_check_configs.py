# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""clusternet.fabric.frr_configs with the real vtysh -C: many configurations in one
task, one vtysh run per shape; a refused one fails the call, is named (so is every
refused one of its shape) and nothing is written; none at all fails too. vtysh 8.4
-C exits 0 on some files it refuses (an unbalanced 'exit'): the module, and
frr_check.shell_command() for validate:, refuse them by its output."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render import frr_check
from ansible_collections.clusternet.fabric.plugins.module_utils.runners import frr_configs

sys.path.insert(0, os.path.dirname(__file__))
from inline_playbook import module_tasks  # noqa: E402

GOOD = "frr version 8.4\nhostname %s\nrouter bgp %d\n bgp router-id 10.254.0.%d\nexit\n"
BAD = "frr version 8.4\nrouter bgp 65002\n neighbor ens3 interface peer-group NOSUCHGROUP\n no-such-command\nexit\n"
# the top-level 'exit' leaves vtysh's config node: every later line is refused, yet vtysh -C exits 0
UNBALANCED = "hostname x\n!\nexit\n!\nrouter bgp 65001\n bgp router-id 1.1.1.1\nexit\n"
WRAPPED = frr_check.shell_command("vtysh -C -f %s")


def good(i):
    return GOOD % ("node-%d" % i, 65000 + i, i)


def validate(command, path):
    """As ansible.builtin.copy runs validate: (copy.py: run_command(validate % src), split with shlex)."""
    return subprocess.run(shlex.split(command % path), capture_output=True, text=True, check=False)


def test_same_shape_is_one_vtysh_run():
    runs, refused = frr_configs.check_all({"c%d" % i: good(i) for i in range(1, 51)}, "vtysh -C -f %s")
    assert (runs, refused) == (1, {})


def test_one_refused_is_named():
    runs, refused = frr_configs.check_all({"c1": good(1), "c2": BAD}, "vtysh -C -f %s")
    assert runs == 2 and list(refused) == ["c2"], refused
    assert any("no-such-command" in reason for reason in refused["c2"]), refused


def test_a_value_only_one_config_has_wrong_is_found_in_its_shape():
    """A value vtysh refuses in one config of a shape (a BFD detect-multiplier of 1, its
    range is 2-255): the representative is refused, so every config of its shape is
    checked too, and only the refused ones are named."""
    bfd = "bfd\n profile fabric\n  detect-multiplier %d\n exit\nexit\n"
    configs = {"c%d" % i: good(i) + bfd % 3 for i in range(2, 6)}
    configs["c1"] = good(1) + bfd % 1  # the representative of the shape (first by name)
    configs["c4"] = good(4) + bfd % 1
    assert len(frr_check.representatives(configs)) == 1
    runs, refused = frr_configs.check_all(configs, "vtysh -C -f %s")
    assert runs == 5 and list(refused) == ["c1", "c4"], (runs, refused)
    assert any("detect-multiplier 1" in reason for reason in refused["c4"]), refused


def test_a_number_beyond_its_class_is_its_own_shape():
    """timers connect is 1-65535: 70000 is no longer a 16-bit number, so its config is
    checked itself, not stood for by one with a valid value."""
    timers = " neighbor 10.0.0.2 remote-as 65002\n neighbor 10.0.0.2 timers connect %d\nexit\n"
    configs = {"c%d" % i: good(i).replace("exit\n", timers % 5) for i in range(1, 4)}
    configs["c3"] = good(3).replace("exit\n", timers % 70000)
    runs, refused = frr_configs.check_all(configs, "vtysh -C -f %s")
    assert runs == 2 and list(refused) == ["c3"], (runs, refused)


def test_out_of_range_value_is_its_own_shape():
    configs = {"c1": good(1), "c2": good(2).replace("router bgp 65002", "router bgp 4294967296")}
    runs, refused = frr_configs.check_all(configs, "vtysh -C -f %s")
    assert runs == 2 and list(refused) == ["c2"], refused


def test_nothing_to_check_fails():
    with pytest.raises(checks.InputError, match="no configuration to check"):
        frr_configs.check_all({}, "vtysh -C -f %s")


def test_plain_vtysh_passes_the_unbalanced_exit(tmp_path):
    # the bug itself: exit 0, the errors only on stderr (if this fails, vtysh got stricter)
    path = tmp_path / "unbalanced.conf"
    path.write_text(UNBALANCED)
    proc = validate("vtysh -C -f %s", path)
    assert proc.returncode == 0
    assert "line 5: % Unknown command[3]: router bgp 65001" in proc.stderr
    assert frr_check.judge(proc.returncode, proc.stdout + proc.stderr)


@pytest.mark.parametrize("command, code", [("vtysh -C -f %s", None), (WRAPPED, "exit code 1")])
def test_unbalanced_exit_is_refused(command, code):
    # plain: judged by its output (exit 0); wrapped: the wrapper's own exit 1 says it too
    runs, refused = frr_configs.check_all({"c1": good(1), "c2": UNBALANCED}, command)
    assert list(refused) == ["c2"], refused
    assert "line 5: % Unknown command[3]: router bgp 65001" in refused["c2"]
    assert (code in refused["c2"]) if code else not any(r.startswith("exit code") for r in refused["c2"])


def test_module_writes_checks_first_and_is_idempotent(tmp_path):
    dest = tmp_path / "rendered"
    dest.mkdir()
    (dest / "keep.txt").write_text("not ours\n")
    configs = {"tor-%d" % i: good(i) for i in range(1, 4)}
    args = {"configs": configs, "dest": str(dest), "suffix": ".frr.conf"}
    check, first, second = module_tasks(tmp_path, "clusternet.fabric.frr_configs", [
        {"clusternet.fabric.frr_configs": args, "check_mode": True, "diff": True},
        args, args])
    assert check["changed"] and len(check["written"]) == 3 and check["checker_runs"] == 1, check
    assert "router bgp 65001" in check["diff"][0]["after"], check
    assert first["changed"] and first["configs"] == 3, first
    assert not second["changed"] and second["written"] == [], second
    assert sorted(os.listdir(dest)) == ["keep.txt", "tor-1.frr.conf", "tor-2.frr.conf", "tor-3.frr.conf"]
    assert (dest / "tor-2.frr.conf").read_text() == configs["tor-2"]
    assert oct((dest / "tor-2.frr.conf").stat().st_mode & 0o777) == "0o644"

    # one refused: the call fails, names it, and writes nothing (tor-1 changed too)
    changed = dict(configs, **{"tor-1": good(9), "tor-2": BAD})
    (refused,) = module_tasks(tmp_path, "clusternet.fabric.frr_configs", [dict(args, configs=changed)])
    assert refused.get("failed"), refused
    assert "1 of 3 configuration(s) refused" in refused["msg"] and "tor-2:" in refused["msg"], refused["msg"]
    assert (dest / "tor-1.frr.conf").read_text() == configs["tor-1"]


@pytest.mark.parametrize("name", ["../escape", "a/b", ""])
def test_module_refuses_a_name_that_is_no_file_name(tmp_path, name):
    (result,) = module_tasks(tmp_path, "clusternet.fabric.frr_configs",
                             [{"configs": {name: good(1)}, "dest": str(tmp_path)}])
    shown = name + ".conf" if name else name  # the file name it would make
    assert result.get("failed") and "frr_configs: configs is %r" % shown in result["msg"], result


def test_wrapped_validate_refuses_the_unbalanced_exit(tmp_path):
    for name, contents, code in (("good.conf", good(1), 0), ("unbalanced.conf", UNBALANCED, 1), ("bad.conf", BAD, 2)):
        path = tmp_path / name
        path.write_text(contents)
        proc = validate(WRAPPED, path)
        assert proc.returncode == code, proc.stdout + proc.stderr
        assert bool(frr_check.judge(0, proc.stdout)) == bool(code)  # the errors are printed for Ansible to show
