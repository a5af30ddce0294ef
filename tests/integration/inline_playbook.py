# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a playbook written by a test against an inventory written by the test."""

from __future__ import annotations

import os
import subprocess

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(tmp_path, inventory, playbook):
    """ansible-playbook with tmp_path/inv.yml and tmp_path/pb.yml; the playbook gets
    ``out`` = tmp_path/out.json. Returns (CompletedProcess, path of out.json)."""
    (tmp_path / "inv.yml").write_text(yaml.safe_dump(inventory))
    (tmp_path / "pb.yml").write_text(playbook)
    out = tmp_path / "out.json"
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    res = subprocess.run(["ansible-playbook", "-i", str(tmp_path / "inv.yml"), str(tmp_path / "pb.yml"),
                          "-e", "out=%s" % out], capture_output=True, text=True, env=env, timeout=300, check=False)
    return res, out
