# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PXE/iPXE boot from the jump host, with a real PXE client: QEMU.

The seed000-boot inventory (cluster_boot_enabled) is rendered by the dnsmasq and
bootserver roles (rendered mode, paths moved into a temporary directory) and run
by the real dnsmasq and nginx in a network namespace `pxe-srv-*` (the jump host,
192.168.126.10). `pxe-cli-*` is the cluster network: a bridge with a tap device
for QEMU (Debian's qemu-system-x86 with ipxe-qemu's NIC ROM, TCG, no KVM) booting
from the network with master-0's MAC. It must take master-0's reserved address,
be handed the boot server's script, chain to master-0's own script and fetch the
kernel and initramfs it names (marker files: the fetch is what is asserted, from
nginx's access log). TFTP is proven with tftp-hpa: both iPXE loaders come back
byte for byte. Ignition: the cluster network gets master.ign (the URL of
master-0's script), a second network `pxe-out-*` routed to the jump host does not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import netns_cleanup  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
INVENTORY = GOLDEN / "bootserver" / "seed000-boot" / "input.yml"
JUMP_IP = "192.168.126.10"
CLIENT_IP = "192.168.126.50"  # the test's own address on the cluster network
OUTSIDE_IP = "198.51.100.2"
MASTER0_MAC = "52:54:00:7e:00:15"
MASTER0_IP = "192.168.126.21"
IPXE = Path("/usr/lib/ipxe")
ENV = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")


def run(*cmd, check=True, timeout=120):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if check:
        assert result.returncode == 0, "%s: %s%s" % (" ".join(cmd), result.stdout, result.stderr)
    return result


def render(playbook, *extra):
    cmd = ["ansible-playbook", "-i", str(INVENTORY), str(playbook)]
    for e in extra:
        cmd += ["-e", e]
    result = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def lab():
    tag = str(os.getpid())
    srv, cli, out = "pxe-srv-" + tag, "pxe-cli-" + tag, "pxe-out-" + tag
    work = Path(tempfile.mkdtemp(prefix="pxe-"))
    work.chmod(0o755)  # nginx's workers read the served files as nobody
    procs = []
    try:
        for ns in (srv, cli, out):
            run("ip", "netns", "add", ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
        # the cluster network: srv's veth on a bridge in cli, with QEMU's tap and the test's address
        run("ip", "link", "add", "p-srv", "netns", srv, "type", "veth", "peer", "name", "p-cli", "netns", cli)
        run("ip", "-n", srv, "addr", "add", JUMP_IP + "/24", "dev", "p-srv")
        run("ip", "-n", srv, "link", "set", "p-srv", "up")
        run("ip", "-n", cli, "link", "add", "br0", "type", "bridge")
        run("ip", "-n", cli, "link", "set", "p-cli", "master", "br0")
        run("ip", "-n", cli, "tuntap", "add", "tap0", "mode", "tap")
        run("ip", "-n", cli, "link", "set", "tap0", "master", "br0")
        for dev in ("p-cli", "tap0", "br0"):
            run("ip", "-n", cli, "link", "set", dev, "up")
        run("ip", "-n", cli, "addr", "add", CLIENT_IP + "/24", "dev", "br0")
        # a second network behind the jump host, routed to the cluster address
        run("ip", "link", "add", "p-out", "netns", srv, "type", "veth", "peer", "name", "eth0", "netns", out)
        run("ip", "-n", srv, "addr", "add", "198.51.100.1/24", "dev", "p-out")
        run("ip", "-n", srv, "link", "set", "p-out", "up")
        run("ip", "-n", out, "addr", "add", OUTSIDE_IP + "/24", "dev", "eth0")
        run("ip", "-n", out, "link", "set", "eth0", "up")
        run("ip", "-n", out, "route", "add", "default", "via", "198.51.100.1")
        yield {"srv": srv, "cli": cli, "out": out, "work": work, "procs": procs}
    finally:
        netns_cleanup.stop(procs, (srv, cli, out))
        shutil.rmtree(work, ignore_errors=True)


def start(lab, *cmd, **kw):
    proc = subprocess.Popen(["ip", "netns", "exec", lab["srv"], *cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kw)
    lab["procs"].append(proc)
    return proc


def serve(lab):
    """The rendered dnsmasq.conf and nginx site, run by the real programs in the jump host's namespace."""
    work = lab["work"]
    rendered, www, tftp = work / "rendered", work / "www", work / "tftp"
    for d in (rendered, www / "rhcos", www / "ignition", tftp, work / "hosts.d", work / "dhcp-hosts.d"):
        d.mkdir(parents=True)
    render(GOLDEN / "dnsmasq" / "render.yml", "dnsmasq_rendered_dir=%s" % rendered,
           "dnsmasq_hostsdir=%s" % (work / "hosts.d"), "dnsmasq_dhcp_hostsdir=%s" % (work / "dhcp-hosts.d"),
           "dnsmasq_lease_file=%s" % (work / "leases"), "dnsmasq_tftp_root=%s" % tftp)
    render(GOLDEN / "bootserver" / "render.yml", "bootserver_rendered_dir=%s" % rendered,
           "bootserver_root=%s" % www, "bootserver_access_log=%s" % (work / "access.log"))
    shutil.copy(rendered / "cluster.hosts", work / "hosts.d" / "cluster")
    shutil.copy(rendered / "cluster.dhcp-hosts", work / "dhcp-hosts.d" / "cluster")
    for loader in ("undionly.kpxe", "ipxe.efi"):  # what the dnsmasq role copies from the ipxe package
        shutil.copy(IPXE / loader, tftp / loader)
    shutil.copytree(rendered / "ipxe", www / "ipxe")
    for name in ("rhcos-live-kernel-x86_64", "rhcos-live-initramfs.x86_64.img", "rhcos-live-rootfs.x86_64.img"):
        (www / "rhcos" / name).write_text("marker %s\n" % name)
    (www / "ignition" / "master.ign").write_text('{"ignition": {"version": "3.2.0"}}\n')
    (work / "nginx.conf").write_text("pid %s/nginx.pid;\nerror_log %s/error.log;\ndaemon off;\nevents {}\n"
                                     "http {\ninclude %s;\n}\n" % (work, work, rendered / "clusternet-boot.conf"))
    start(lab, "dnsmasq", "-k", "--conf-file=%s" % (rendered / "dnsmasq.conf"), "--user=root", "--pid-file=",
          "--log-facility=%s" % (work / "dnsmasq.log"), "--log-dhcp")
    start(lab, "nginx", "-c", str(work / "nginx.conf"))
    for _attempt in range(50):
        if run("ip", "netns", "exec", lab["cli"], "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
               "http://%s:8080/ipxe/boot.ipxe" % JUMP_IP, check=False).stdout == "200":
            return work
        time.sleep(0.2)
    pytest.fail("the boot server did not answer: %s" % (work / "error.log").read_text())


def test_qemu_boots_through_dhcp_ipxe_and_its_own_script(lab):
    work = serve(lab)
    started = time.time()
    qemu = subprocess.Popen(
        ["ip", "netns", "exec", lab["cli"], "qemu-system-x86_64", "-accel", "tcg", "-m", "256", "-display", "none",
         "-monitor", "none", "-serial", "file:%s" % (work / "serial.log"), "-no-reboot", "-boot", "n",
         "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
         "-device", "virtio-net-pci,netdev=n0,mac=%s" % MASTER0_MAC],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lab["procs"].append(qemu)
    want = ["/ipxe/boot.ipxe", "/ipxe/52-54-00-7e-00-15.ipxe", "/rhcos/rhcos-live-kernel-x86_64",
            "/rhcos/rhcos-live-initramfs.x86_64.img"]
    fetched = []
    while time.time() - started < 180 and qemu.poll() is None:
        log = (work / "access.log").read_text() if (work / "access.log").exists() else ""
        fetched = [line.split('"')[1].split()[1] for line in log.splitlines()
                   if line.startswith(MASTER0_IP + " ") and '" 200 ' in line]
        if all(path in fetched for path in want):
            break
        time.sleep(1)
    print("QEMU fetched %s in %.1f s" % (fetched, time.time() - started))
    assert fetched[:4] == want, (fetched, (work / "dnsmasq.log").read_text()[-3000:])
    # the address it booted with is master-0's reservation
    assert "%s %s master-0" % (MASTER0_MAC, MASTER0_IP) in (work / "leases").read_text()
    # the script it ran is master-0's: master.ign on its NVMe disk, its static ip=
    script = (work / "www" / "ipxe" / "52-54-00-7e-00-15.ipxe").read_text()
    assert "coreos.inst.ignition_url=http://%s:8080/ignition/master.ign" % JUMP_IP in script
    assert "coreos.inst.install_dev=/dev/nvme0n1" in script


def test_tftp_serves_both_ipxe_loaders(lab):
    work = serve(lab)
    for loader in ("undionly.kpxe", "ipxe.efi"):
        got = work / ("got-" + loader)
        run("ip", "netns", "exec", lab["cli"], "tftp", JUMP_IP, "-m", "binary", "-c", "get", loader, str(got))
        assert got.read_bytes() == (IPXE / loader).read_bytes()


def test_ignition_for_the_cluster_network_only(lab):
    work = serve(lab)
    url = "http://%s:8080/ignition/master.ign" % JUMP_IP
    inside = run("ip", "netns", "exec", lab["cli"], "curl", "-s", "-w", "%{http_code}", url)
    assert inside.stdout == (work / "www" / "ignition" / "master.ign").read_text() + "200"
    # routed to the cluster address from the second network: refused by the boot server
    outside = run("ip", "netns", "exec", lab["out"], "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url)
    assert outside.stdout == "403"
    # the jump host's address on that network has no boot server, TFTP or DNS at all
    assert run("ip", "netns", "exec", lab["out"], "curl", "-s", "--max-time", "5", "http://198.51.100.1:8080/",
               check=False).returncode == 7  # connection refused
    assert run("ip", "netns", "exec", lab["out"], "dig", "+time=2", "+tries=1", "@198.51.100.1",
               "api.test.example.local", check=False).returncode == 9


def test_tftp_and_dns_for_the_cluster_network_only_with_the_roles_firewall(lab):
    """The dnsmasq role's own nftables table (dns-firewall.nft, rendered beside
    dnsmasq.conf), loaded in the jump host's namespace: the outside network routed to the
    cluster address gets neither TFTP nor DNS, the cluster network still gets both."""
    work = serve(lab)

    def tftp_get(ns, target):
        # tftp-hpa exits 0 on a timeout: what arrived is what tells
        run("ip", "netns", "exec", ns, "timeout", "8", "tftp", JUMP_IP, "-m", "binary", "-c", "get", "ipxe.efi",
            str(target), check=False)
        return target.exists() and target.read_bytes() == (IPXE / "ipxe.efi").read_bytes()

    def dig(ns):
        return run("ip", "netns", "exec", ns, "dig", "+short", "+time=2", "+tries=1", "@" + JUMP_IP,
                   "api.test.example.local", check=False).stdout.strip()

    # without the table, routed to the cluster address: both answer (what the table is for)
    assert tftp_get(lab["out"], work / "out-before.efi")
    assert dig(lab["out"]) == JUMP_IP
    run("ip", "netns", "exec", lab["srv"], "nft", "-f", str(work / "rendered" / "dns-firewall.nft"))
    assert not tftp_get(lab["out"], work / "out-after.efi")
    assert "connection refused" in dig(lab["out"])  # rejected at once, as a closed port is
    assert tftp_get(lab["cli"], work / "cli-after.efi")
    assert dig(lab["cli"]) == JUMP_IP
