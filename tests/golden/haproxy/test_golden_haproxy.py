# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Golden files of the haproxy role: the rendered haproxy.cfg per inventory.

Each case directory holds input.yml (an Ansible inventory, optionally with
role variables) and expected.cfg. The configuration is rendered by the role
itself (haproxy_state=rendered, ansible-playbook on localhost), compared to
expected.cfg (UPDATE_GOLDEN=1 rewrites it) and checked by the real
`haproxy -c -f`. The check runs without -dr: the servers' FQDNs do not
resolve on this machine, and the config must pass anyway because every
server inherits `init-addr last,libc,none` and the resolvers section (that is
what lets the jump host's HAProxy start before DHCP/DNS know a node).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import golden_files  # tests/golden/golden_files.py (conftest puts it on the path)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CASES = sorted(p.name for p in HERE.iterdir() if (p / "input.yml").is_file())


def render(case_dir: Path, dest: Path, extra_vars: tuple[str, ...] = (), limit=None) -> subprocess.CompletedProcess:
    cmd = [
        "ansible-playbook",
        "-i", str(case_dir / "input.yml"),
        str(HERE / "render.yml"),
        "-e", "haproxy_rendered_path=%s" % dest,
    ] + (["--limit", limit] if limit else [])
    for extra in extra_vars:
        cmd += ["-e", extra]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("case", CASES)
def test_rendered_config_matches_golden_and_passes_haproxy_check(case, tmp_path):
    case_dir = HERE / case
    rendered = tmp_path / "haproxy.cfg"
    result = render(case_dir, rendered)
    assert result.returncode == 0, result.stdout + result.stderr

    golden_files.check(case_dir / "expected.cfg", rendered.read_text(), haproxy_accepts)


@pytest.mark.parametrize("host", ["jump-0", "jump-1"])
@pytest.mark.parametrize("inventory", ["pair", "dualstack-pair", "ipv6only-pair"])
def test_each_host_of_a_jump_host_pair_matches_its_golden(inventory, host, tmp_path):
    """A pair (tests/golden/pair): each binds the VIP and its own address and asks both DNS
    servers; dual-stack (tests/golden/dualstack-pair): the same on both families; IPv6 only
    (tests/golden/ipv6only-pair): on IPv6 alone."""
    rendered = tmp_path / "haproxy.cfg"
    result = render(HERE.parent / inventory, rendered, limit=host)
    assert result.returncode == 0, result.stdout + result.stderr
    golden_files.check(HERE / inventory / ("%s.cfg" % host), rendered.read_text(), haproxy_accepts)


@pytest.mark.parametrize("inventory", ["dualstack", "ipv6only"])
def test_dual_stack_binds_both_families(inventory, tmp_path):
    """tests/golden/dualstack: every frontend on the IPv4 and the IPv6 load-balancer address;
    tests/golden/ipv6only: on IPv6 only, the resolvers too."""
    rendered = tmp_path / "haproxy.cfg"
    result = render(HERE.parent / inventory, rendered)
    assert result.returncode == 0, result.stdout + result.stderr
    golden_files.check(HERE / ("%s.cfg" % inventory), rendered.read_text(), haproxy_accepts)


def haproxy_accepts(path):
    """The real consumer: HAProxy's own parser, names unresolvable here."""
    check = subprocess.run(["unshare", "-rn", "haproxy", "-c", "-f", str(path)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Configuration file is valid" in check.stdout + check.stderr


def test_bad_inventory_fails_before_anything_is_written(tmp_path):
    """The model raises in the role's first task: one message naming field, host, value."""
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(
        (HERE / "seed000" / "input.yml").read_text().replace(
            'node_mac: "52:54:00:7e:00:16"', 'node_mac: "zz:00:00:00:00:16"'
        )
    )
    rendered = tmp_path / "haproxy.cfg"
    result = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(HERE / "render.yml"),
         "-e", "haproxy_rendered_path=%s" % rendered],
        cwd=ROOT, env=dict(os.environ, ANSIBLE_NOCOLOR="1"),
        capture_output=True, text=True, timeout=300, check=False,
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Build the cluster model from the inventory, unless the play has it" in out
    assert "node_mac" in out and "master-1" in out and "zz:00:00:00:00:16" in out
    # Stopped at the first task: nothing after it ran, nothing was written.
    assert "Derive the backends" not in out
    assert not rendered.exists()


def test_rendered_mode_writes_on_the_controller_and_never_contacts_the_jump_host(tmp_path):
    """jump-0 is made unreachable (SSH to a closed port): rendered mode still renders, on
    the controller, the same file as the golden; an empty haproxy_rendered_path is refused
    by name; an empty haproxy_validate_command skips the check."""
    (tmp_path / "input.yml").write_text((HERE / "seed000" / "input.yml").read_text().replace(
        "          node_ip: 192.168.126.10\n",
        "          node_ip: 192.168.126.10\n          ansible_connection: ssh\n"
        "          ansible_host: 127.0.0.1\n          ansible_port: 1\n", 1))
    rendered = tmp_path / "haproxy.cfg"
    result = render(tmp_path, rendered)
    assert result.returncode == 0, result.stdout + result.stderr
    assert rendered.read_text() == (HERE / "seed000" / "expected.cfg").read_text()
    result = render(tmp_path, "")
    assert result.returncode != 0
    assert "haproxy: haproxy_state=rendered needs haproxy_rendered_path" in result.stdout, result.stdout
    # an empty check command checks nothing, as in present mode
    rendered.unlink()
    result = render(tmp_path, rendered, extra_vars=("haproxy_validate_command=",))
    assert result.returncode == 0, result.stdout + result.stderr
    assert rendered.read_text() == (HERE / "seed000" / "expected.cfg").read_text()
