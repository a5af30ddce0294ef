# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Golden files of the keepalived role: keepalived.conf of each jump host of a pair.

The pair inventory (tests/golden/pair/input.yml) and its dual-stack twin
(tests/golden/dualstack-pair/input.yml) are rendered by the role itself
(keepalived_state=rendered, ansible-playbook on the controller), compared with
<inventory>/<host>.keepalived.conf (UPDATE_GOLDEN=1 rewrites them) and checked by the
real `keepalived --config-test` in a network namespace that has the VIP's
interface (keepalived refuses a configuration whose interface does not exist).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import golden_files  # tests/golden/golden_files.py (conftest puts it on the path)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PAIR = HERE.parent / "pair" / "input.yml"
HOSTS = ("jump-0", "jump-1")


def render(inventory, out):
    cmd = ["ansible-playbook", "-i", str(inventory), str(HERE / "render.yml"), "-e", "golden_out=%s" % out]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def keepalived_accepts(path):
    """The real consumer's parser, with the interface of the configuration present."""
    check = subprocess.run(["unshare", "-rn", "sh", "-c", "ip link add ens192 type veth peer name golden0 && "
                            "keepalived --config-test --use-file=%s" % path],
                           capture_output=True, text=True, timeout=30, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.fixture(scope="module", params=["pair", "dualstack-pair", "ipv6only-pair"])
def rendered(request, tmp_path_factory):
    """The pair (tests/golden/pair), its dual-stack twin (tests/golden/dualstack-pair,
    whose IPv6 load-balancer address moves with the IPv4 VIP) and its IPv6-only twin
    (tests/golden/ipv6only-pair: an IPv6 VRRP instance)."""
    out = tmp_path_factory.mktemp("keepalived")
    result = render(HERE.parent / request.param / "input.yml", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return request.param, out


@pytest.mark.parametrize("host", HOSTS)
def test_each_jump_host_of_the_pair_matches_its_golden_and_passes_keepalived(rendered, host):
    inventory, out = rendered
    name = "%s.keepalived.conf" % host
    golden_files.check(HERE / inventory / name, (out / name).read_text(), keepalived_accepts)


def test_the_checker_has_teeth(tmp_path):
    """keepalived --config-test refuses what keepalived would ignore or misread."""
    bad = tmp_path / "bad.conf"
    bad.write_text((HERE / "pair" / "jump-0.keepalived.conf").read_text().replace(
        "virtual_router_id", "virtual_router_id 300 #"))
    with pytest.raises(AssertionError):
        keepalived_accepts(bad)


def test_one_jump_host_is_refused_naming_the_group(tmp_path):
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(PAIR.read_text().replace("        jump-1:\n          node_ip: 192.168.126.11\n", "")
                         .replace("cluster_lb_address: 192.168.126.9", "cluster_lb_address: 192.168.126.10"))
    result = render(inventory, tmp_path)
    assert result.returncode != 0
    assert "keepalived: group jumphost of jump-0 is ['jump-0']: a VRRP pair needs two or more jump hosts" in (
        result.stdout + result.stderr)
    assert not list(tmp_path.glob("*.keepalived.conf"))
