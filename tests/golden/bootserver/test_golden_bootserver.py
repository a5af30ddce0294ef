# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Golden files of the bootserver role: the nginx site and the iPXE scripts.

The seed000-boot inventory is rendered by the role itself (bootserver_state=rendered,
ansible-playbook on the controller), compared with seed000-boot/expected/
(UPDATE_GOLDEN=1 rewrites it); the site is checked by the real `nginx -t` and every
script by its shape here; real iPXE runs them in tests/integration/test_pxe_boot.py.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import golden_files  # tests/golden/golden_files.py (conftest puts it on the path)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CASE = HERE / "seed000-boot"


def render(inventory, out):
    cmd = ["ansible-playbook", "-i", str(inventory), str(HERE / "render.yml"), "-e", "bootserver_rendered_dir=%s" % out]
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


# nginx -t as the namespace's root, with temp directories in /tmp and no default
# access log: nginx would chown or open the host's own, which may belong to www-data
NGINX_CHECK = ('sysctl -qw net.ipv4.ip_nonlocal_bind=1 && '
               'echo "events {} http { access_log off; client_body_temp_path /tmp/golden-nginx-body; '
               'proxy_temp_path /tmp/golden-nginx-proxy; fastcgi_temp_path /tmp/golden-nginx-fastcgi; '
               'uwsgi_temp_path /tmp/golden-nginx-uwsgi; scgi_temp_path /tmp/golden-nginx-scgi; include $1; }" > "$0" '
               '&& nginx -t -g "user root; pid /tmp/golden-nginx.pid; error_log stderr;" -c "$0"')


def nginx_accepts(path):
    """The real consumer: nginx's parser, with the site inside a minimal configuration
    (in a network namespace that may bind the jump host's address: nginx -t binds)."""
    check = subprocess.run(["unshare", "-rn", "sh", "-c", NGINX_CHECK, "/tmp/golden-nginx-check.conf", str(path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def ipxe_script(path):
    text = Path(path).read_text()
    assert text.startswith("#!ipxe\n") and text.endswith("\n")
    if path.name != "boot.ipxe":
        assert [line.split()[0] for line in text.splitlines() if not line.startswith("#")] == ["kernel", "initrd", "boot"]


def test_site_and_scripts_match_their_goldens(tmp_path):
    result = render(CASE / "input.yml", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    golden_files.check(CASE / "expected" / "clusternet-boot.conf", (tmp_path / "clusternet-boot.conf").read_text(),
                       nginx_accepts)
    names = sorted(p.name for p in (tmp_path / "ipxe").iterdir())
    # boot.ipxe and bootstrap, three masters, two workers (the jump host does not boot from itself)
    assert len(names) == 7 and "boot.ipxe" in names
    if not golden_files.updating():
        assert names == sorted(p.name for p in (CASE / "expected" / "ipxe").iterdir())
    for name in names:
        golden_files.check(CASE / "expected" / "ipxe" / name, (tmp_path / "ipxe" / name).read_text(), ipxe_script)


def test_a_bad_file_name_is_refused_before_anything_is_written(tmp_path):
    result = subprocess.run(
        ["ansible-playbook", "-i", str(CASE / "input.yml"), str(HERE / "render.yml"),
         "-e", "bootserver_rendered_dir=%s" % (tmp_path / "out"), "-e", "bootserver_kernel=../../etc/shadow"],
        cwd=ROOT, env=dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1"),
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode != 0
    assert "bootserver: bootserver_kernel of jump-0 is '../../etc/shadow': a file name" in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()
