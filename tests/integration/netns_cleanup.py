# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tearing down what a network-namespace test started: its processes, then its namespaces."""

from __future__ import annotations

import subprocess


def stop(procs, namespaces=()):
    """Terminate ``procs`` (last started first; killed after 10 s), then delete ``namespaces``."""
    for proc in reversed(list(procs)):
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    for ns in namespaces:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)
