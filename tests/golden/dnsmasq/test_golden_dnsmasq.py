# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Golden files of the dnsmasq role: the rendered files per inventory.

Each case directory holds input.yml (an Ansible inventory, optionally with
role variables) and expected/ with dnsmasq.conf (main configuration),
cluster.hosts (the hostsdir file) and cluster.dhcp-hosts (the dhcp-hostsdir
file), and dns-firewall.nft (the role's nftables table). The files are rendered by the role itself (dnsmasq_state=rendered,
ansible-playbook on the controller), compared with expected/ (UPDATE_GOLDEN=1
rewrites them) and parsed by the real `dnsmasq --test`: the main
configuration as is, the reservations as dhcp-host= lines (the option
dhcp-hostsdir files hold); the firewall table by the real `nft -c` in a network
namespace of its own.
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
FILES = ("dnsmasq.conf", "cluster.hosts", "cluster.dhcp-hosts", "dns-firewall.nft")


def render(inventory: Path, dest: Path, extra_vars: tuple[str, ...] = (), limit=None) -> subprocess.CompletedProcess:
    """Run the role with dnsmasq_state=rendered for `inventory` into `dest` (jump host `limit` only)."""
    cmd = ["ansible-playbook", "-i", str(inventory), str(HERE / "render.yml"),
           "-e", "dnsmasq_rendered_dir=%s" % dest] + (["--limit", limit] if limit else [])
    for extra in extra_vars:
        cmd += ["-e", extra]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False, text=True, timeout=300)


def dnsmasq_test(config_text: str) -> subprocess.CompletedProcess:
    return subprocess.run(["dnsmasq", "--test", "--conf-file=-"], input=config_text,
                          capture_output=True, check=False, text=True, timeout=30)


def nft_accepts(path):
    """The firewall table's real consumer: nft checks the whole transaction."""
    check = subprocess.run(["unshare", "-rn", "nft", "-c", "-f", str(path)],
                           capture_output=True, check=False, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr


def checker(name):
    """The real program that reads the file ``name`` (None: checked below, or by its shape)."""
    return {"dnsmasq.conf": dnsmasq_accepts, "dns-firewall.nft": nft_accepts}.get(name)


def dnsmasq_accepts(path):
    """The real consumer's parser."""
    check = subprocess.run(["dnsmasq", "--test", "--conf-file=%s" % path],
                           capture_output=True, check=False, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "syntax check OK" in check.stderr


@pytest.mark.parametrize("case", CASES)
def test_rendered_files_match_golden_and_pass_dnsmasq_test(case, tmp_path):
    case_dir = HERE / case
    result = render(case_dir / "input.yml", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    for name in FILES:
        golden_files.check(case_dir / "expected" / name, (tmp_path / name).read_text(), checker(name))
    reservations = [line for line in (tmp_path / "cluster.dhcp-hosts").read_text().splitlines()
                    if line and not line.startswith("#")]
    assert reservations
    check = dnsmasq_test("".join("dhcp-host=%s\n" % line for line in reservations))
    assert check.returncode == 0, check.stdout + check.stderr


def test_dnsmasq_test_catches_a_broken_reservation():
    """The check above has teeth: dnsmasq's parser rejects a bad dhcp-host line."""
    check = dnsmasq_test("dhcp-host=52:54:00:7e:00:zz,192.168.126.21,master-0,x,y,z\n")
    assert check.returncode != 0


def test_bad_inventory_fails_at_the_first_task_and_writes_nothing(tmp_path):
    """The model raises in the role's first task: one message naming field, host and value."""
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(
        (HERE / "seed000" / "input.yml").read_text().replace(
            'node_mac: "52:54:00:7e:00:20"', 'node_mac: "52:54:00:7e:00:16"'
        )
    )
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    result = render(inventory, rendered)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Build the cluster model from the inventory, unless the play has it" in out
    assert "node_mac of worker-1 is '52:54:00:7e:00:16': also node_mac of master-1" in out
    # Stopped at the first task: nothing after it ran, nothing was written.
    assert "Resolve the settings" not in out
    assert list(rendered.iterdir()) == []


def test_rendered_mode_checks_what_present_mode_checks(tmp_path):
    """A configuration dnsmasq --test refuses is not rendered: rendered mode runs the
    role's own checks (vars/main.yml) on the controller, as present mode does on the host."""
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    result = render(HERE / "seed000" / "input.yml", rendered, ('{"dnsmasq_extra_options": ["no-such-option=1"]}',))
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "failed to validate" in out, out[-3000:]
    assert not (rendered / "dnsmasq.conf").exists()


BOOT = HERE.parent / "bootserver" / "seed000-boot" / "input.yml"


def test_pxe_boot_adds_tftp_and_the_ipxe_chain(tmp_path):
    """cluster_boot_enabled (tests/golden/bootserver/seed000-boot): TFTP with iPXE's
    loaders, and iPXE sent to the boot server's script; the router is cluster_gateway."""
    result = render(BOOT, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    golden_files.check(HERE / "boot" / "dnsmasq.conf", (tmp_path / "dnsmasq.conf").read_text(), dnsmasq_accepts)
    # TFTP answers the same clients as DNS (tests/integration/test_pxe_boot.py loads this table)
    firewall = (tmp_path / "dns-firewall.nft").read_text()
    golden_files.check(HERE / "boot" / "dns-firewall.nft", firewall, nft_accepts)
    assert "th dport { 53, 69 } ip saddr != @dns_clients4 jump refuse" in firewall


@pytest.mark.parametrize("host", ["jump-0", "jump-1"])
@pytest.mark.parametrize("inventory", ["pair", "dualstack-pair", "ipv6only-pair"])
def test_each_host_of_a_jump_host_pair_matches_its_golden(inventory, host, tmp_path):
    """A pair (tests/golden/pair): both serve every record and reservation and hand out
    both as DNS servers; only the first leases the dynamic pool. Dual-stack
    (tests/golden/dualstack-pair): both as DNS servers over DHCPv6 too."""
    result = render(HERE.parent / inventory / "input.yml", tmp_path, limit=host)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in FILES:
        golden_files.check(HERE / inventory / host / name, (tmp_path / name).read_text(), checker(name))


@pytest.mark.parametrize("inventory", ["dualstack", "ipv6only"])
def test_dual_stack_adds_aaaa_ip6_arpa_and_dhcpv6(inventory, tmp_path):
    """tests/golden/dualstack: AAAA and PTR per node and for api/api-int/*.apps, the
    ip6.arpa zone local, DHCPv6 reservations beside the IPv4 ones. tests/golden/ipv6only:
    the same with no IPv4 at all (no A record, no DHCPv4 range, no router option)."""
    result = render(HERE.parent / inventory / "input.yml", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in FILES:
        golden_files.check(HERE / inventory / name, (tmp_path / name).read_text(), checker(name))
    check = dnsmasq_test("".join("dhcp-host=%s\n" % line for line in (tmp_path / "cluster.dhcp-hosts").read_text()
                                 .splitlines() if line and not line.startswith("#")))
    assert check.returncode == 0, check.stdout + check.stderr


def test_dns_firewall_refuses_a_family_without_clients_and_nft_has_teeth(tmp_path):
    """dnsmasq_dns_clients with IPv4 networks only on a dual-stack cluster: every IPv6
    source is refused (no set to compare with), and nft accepts that table; a table nft
    refuses is not rendered."""
    result = render(HERE.parent / "dualstack" / "input.yml", tmp_path,
                    ('{"dnsmasq_dns_clients": ["192.168.126.0/24", "10.9.0.0/16"]}',))
    assert result.returncode == 0, result.stdout + result.stderr
    table = (tmp_path / "dns-firewall.nft").read_text()
    assert "elements = { 192.168.126.0/24, 10.9.0.0/16 }" in table and "dns_clients6" not in table
    assert "ip6 daddr { fd00:126::10 } meta l4proto { tcp, udp } th dport { 53 } jump refuse" in table
    nft_accepts(tmp_path / "dns-firewall.nft")
    broken = tmp_path / "broken.nft"
    broken.write_text(table.replace("type ipv4_addr", "type ipv4_adr"))
    with pytest.raises(AssertionError):
        nft_accepts(broken)


def test_no_dns_firewall_renders_no_table(tmp_path):
    result = render(HERE / "seed000" / "input.yml", tmp_path, ('{"dnsmasq_firewall": false}',))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.dhcp-hosts", "cluster.hosts", "dnsmasq.conf"]
