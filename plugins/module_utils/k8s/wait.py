# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting on the API: poll until a condition holds or a deadline passes.

A wait of many minutes (a MachineConfigPool rolling) outlives brief API
outages: a transient failure (after the client's own retries) is noted and
the poll goes on; only the deadline ends it.  Anything else (403, a missing
kind) ends it at once.
"""

from __future__ import annotations

import time

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError


def poll(check, timeout, interval, clock=time.monotonic, sleep=time.sleep):
    """Call ``check()`` -> (done, value) every ``interval`` s until done or ``timeout`` s passed.

    Returns (done, value, last transient K8sError or None); ``value`` is the
    last one ``check`` returned (None when it never answered)."""
    deadline = clock() + timeout
    value, last_error = None, None
    while True:
        try:
            done, value = check()
            last_error = None
        except K8sError as e:
            if not e.transient:
                raise
            done, last_error = False, e
        if done:
            return True, value, None
        left = deadline - clock()
        if left <= 0:
            return False, value, last_error
        sleep(max(0, min(interval, left)))
