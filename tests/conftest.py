# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pytest setup: import path for the collection, and the real kube-apiserver.

Kept generic on purpose; area-specific fixtures live in their own test files or
sub-directory conftest.py files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("CLUSTERNET_CACHE") or os.path.expanduser("~/.cache/clusternet-fabric")
COLLECTIONS = os.path.join(CACHE, "collections")

# `ansible_collections.clusternet.fabric` resolves through this checkout's own link
# (scripts/env.sh, first in ANSIBLE_COLLECTIONS_PATH), else the shared one scripts/bootstrap
# puts at $CLUSTERNET_CACHE/collections/ansible_collections/clusternet/fabric.
for _path in reversed([p for p in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep) if p] or [COLLECTIONS]):
    if os.path.isdir(os.path.join(_path, "ansible_collections")) and _path not in sys.path:
        sys.path.insert(0, _path)

KUBE_DIR = os.path.join(REPO, "tests", "kube")
KUBEAPI = os.path.join(KUBE_DIR, "kubeapi")
BUILD_KUBE_APISERVER = os.path.join(KUBE_DIR, "build-kube-apiserver")


class KubeAPI:
    """A running kube-apiserver (see tests/kube/kubeapi) and how to reach it."""

    def __init__(self, directory):
        self.dir = directory
        self.kubeconfig = os.path.join(directory, "kubeconfig")
        with open(os.path.join(directory, "env")) as f:
            env = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        self.host = env["KUBEAPI_HOST"]
        self.token = env["KUBEAPI_TOKEN"]
        self.ca_cert = env["KUBEAPI_CA_CERT"]
        self.start_seconds = float(env.get("KUBEAPI_START_SECONDS", "0"))

    @property
    def auth(self):
        """Module params for host + token + CA."""
        return {"host": self.host, "api_key": self.token, "ca_cert": self.ca_cert, "validate_certs": True}


def start_kube_api(directory):
    """Build (if not cached) and start the fixture API server in ``directory``."""
    subprocess.run([BUILD_KUBE_APISERVER], check=True, stdout=subprocess.DEVNULL)
    began = time.monotonic()
    subprocess.run([KUBEAPI, "start", directory], check=True)
    api = KubeAPI(directory)
    api.start_seconds = time.monotonic() - began
    return api


@pytest.fixture(scope="session")
def kube_api(tmp_path_factory):
    """Session-wide real kube-apiserver 1.20.2 + etcd on 127.0.0.1, our CRDs installed.

    Yields a :class:`KubeAPI` (.kubeconfig, .host, .token, .ca_cert, .auth).
    """
    directory = str(tmp_path_factory.mktemp("kubeapi"))
    try:
        api = start_kube_api(directory)
        yield api
    finally:
        subprocess.run([KUBEAPI, "stop", directory], check=False)
