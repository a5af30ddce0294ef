# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""frr_check: judge() on vtysh 8.4's own output, and shell_command() as Ansible's
validate: runs it (shlex.split(validate % path), copy.py), checked with cat as the checker."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.render import frr_check

# stderr of vtysh -C -f (FRR 8.4.4) for files of each kind
UNBALANCED_EXIT = ("line 5: % Unknown command[3]: router bgp 65001\n"
                   "line 6: % Unknown command[3]:  bgp router-id 1.1.1.1\n")
UNKNOWN = "line 4: % Unknown command[25]:  no-such-command\n"
INCOMPLETE = "line 2: % Command incomplete[25]:  neighbor\n\n"
AMBIGUOUS = "line 3: % Ambiguous command[25]:  neighbor 1.1.1.1 s\n\n"
NO_FILE = "\n% Can't open configuration file /nonexistent due to 'No such file or directory'.\n"
NOT_ERRORS = ["hostname x", "Trying to pull localhost/frr:8.4...", "Copying blob 100% done",
              " % indented", "line 5:% no space", "%no space", "xline 5: % Unknown command"]


def run_validate(validate, path):
    """What ansible.builtin.copy does with validate: (its path quoted, as check_frr_configs.py does)."""
    return subprocess.run(shlex.split(validate % shlex.quote(str(path))), capture_output=True, text=True,
                          check=False)


def test_exit_0_with_error_lines_fails():
    assert frr_check.judge(0, UNBALANCED_EXIT) == UNBALANCED_EXIT.splitlines()


@pytest.mark.parametrize("output, code", [(UNKNOWN, 2), (AMBIGUOUS, 3), (INCOMPLETE, 4), (NO_FILE, 11)])
def test_non_zero_exit_gives_error_lines_and_code(output, code):
    assert frr_check.judge(code, output) == [output.strip(), "exit code %d" % code]


def test_non_zero_exit_without_error_lines_keeps_the_output():
    assert frr_check.judge(125, "\nError: no such image\n") == ["Error: no such image", "exit code 125"]
    assert frr_check.judge(1, "") == ["exit code 1"]


def test_clean_output_passes():
    assert not frr_check.judge(0, "")
    assert not frr_check.judge(0, "\n".join(NOT_ERRORS))


def test_grep_reads_the_rule_as_python_does():
    lines = NOT_ERRORS + (UNBALANCED_EXIT + UNKNOWN + INCOMPLETE + AMBIGUOUS + NO_FILE).splitlines()
    grep = subprocess.run(["grep", "-E", "-e", frr_check.ERROR_ERE], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=False)
    assert grep.stdout.splitlines() == [line for line in lines if frr_check.ERROR_LINE.match(line)]
    assert len(grep.stdout.splitlines()) == 6


def test_wrapped_command_shape():
    validate = frr_check.shell_command("vtysh -C -f %s")
    words = shlex.split(validate)
    assert words[:2] == ["/bin/sh", "-c"] and words[3:] == ["frr-check", "%s", "^(line [0-9]+: )?%% "]
    assert [word for word in words if "%s" in word.replace("%%", "")] == ["%s"]  # one %s, a word of its own
    argv = shlex.split(validate % "/tmp/x.conf")
    assert argv[3:] == ["frr-check", "/tmp/x.conf", frr_check.ERROR_ERE]
    assert argv[2].startswith('out=$(vtysh -C -f "$1" 2>&1);')


def test_wrapped_command_quotes_the_inner_words():
    validate = frr_check.shell_command("/usr/bin/podman run --rm --env 'A=b c' --volume %s:/tmp/x.conf:ro"
                                       " img:8.4 -C -f /tmp/x.conf --tag 100%%")
    script = shlex.split(validate % "/tmp/x.conf")[2]
    assert script.startswith("out=$(/usr/bin/podman run --rm --env 'A=b c' --volume \"$1\":/tmp/x.conf:ro"
                             " img:8.4 -C -f /tmp/x.conf --tag 100% 2>&1);")


@pytest.mark.parametrize("command", ["vtysh -C -f /etc/frr/frr.conf", "diff %s %s"])
def test_wrapped_command_needs_one_file(command):
    with pytest.raises(ValueError, match="exactly one"):
        frr_check.shell_command(command)


@pytest.mark.parametrize("contents, code", [("hostname x\n", 0), ("!\n" + UNBALANCED_EXIT, 1)])
def test_wrapped_command_judges_the_output(tmp_path, contents, code):
    path = tmp_path / "it's a candidate.conf"  # a space and a quote: "$1" must stay one word
    path.write_text(contents)
    proc = run_validate(frr_check.shell_command("cat %s"), path)
    assert (proc.returncode, proc.stdout.strip()) == (code, contents.strip())


def test_wrapped_command_keeps_a_non_zero_exit(tmp_path):
    proc = run_validate(frr_check.shell_command("cat %s"), tmp_path / "missing.conf")
    assert proc.returncode == 1 and "No such file" in proc.stdout
    proc = run_validate(frr_check.shell_command("sh -c 'exit 3' %s"), tmp_path)
    assert proc.returncode == 3


NODE = """frr version 8.4
hostname node-%d
interface ens3
 description tor-%da:swp%d
exit
ip route 10.128.%d.0/26 blackhole
ip prefix-list OWN seq 5 permit 10.254.0.%d/32
router bgp %d
 bgp router-id 10.254.0.%d
 neighbor ens3 interface remote-as external
 neighbor TOR timers connect 5
exit
"""


def node(i):
    return NODE % (i, i // 10, i, i, i, 65000 + i, i)


def test_values_of_one_class_share_a_shape():
    shape = frr_check.shape(node(1))
    assert all(frr_check.shape(node(i)) == shape for i in range(2, 60))
    assert "hostname <hostname>" in shape and " description <text>" in shape
    assert "ip route <ipv4-net>/26 blackhole" in shape and "router bgp <u16>" in shape
    assert "bgp router-id <ipv4>" in shape and "timers connect <u8>" in shape and "frr version 8.4" in shape


@pytest.mark.parametrize("change", [
    ("router bgp 65001", "router bgp 4200000001"),        # another number class
    ("router bgp 65001", "router bgp 4294967296"),        # no 32-bit number: kept as it is
    ("router bgp 65001", "router bgp 065001"),            # a leading zero is no plain number
    ("10.128.1.0/26", "10.128.1.0/25"),                   # another prefix length
    ("10.128.1.0/26", "10.128.1.1/26"),                   # host bits: an interface address, not a network
    ("10.254.0.1\n", "fd00::1\n"),                      # another family
    ("10.254.0.1\n", "10.254.0.256\n"),                 # not an address: kept
    ("interface ens3", "interface ens4"),                 # names other than hostname are structure
    ("hostname node-1", "hostname node 1"),               # not one word
    ("remote-as external", "remote-as  external"),        # spacing is kept
])
def test_a_different_class_or_structure_is_another_shape(change):
    before, after = change
    assert before in node(1)
    assert frr_check.shape(node(1).replace(before, after, 1)) != frr_check.shape(node(1))


def test_representatives_one_per_shape_first_by_name():
    configs = {"n%02d" % i: node(i) for i in range(1, 30)}
    configs["n07"] = node(7).replace("interface ens3", "interface ens4")
    assert frr_check.representatives(configs) == [
        ("n01", sorted(set(configs) - {"n07"})), ("n07", ["n07"])]
