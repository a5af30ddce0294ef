# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""k8s/wait.py: a wait outlives transient API failures and keeps its deadline."""

from __future__ import annotations

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import K8sError
from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.wait import poll


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def fails(error):
    def answer():
        raise error
    return answer


def says(done, value):
    return lambda: (done, value)


def scripted(*answers):
    """A check giving each answer in turn (says: a (done, value) pair; fails: raises), then not done."""
    answers = list(answers)
    return lambda: answers.pop(0)() if answers else (False, "still")


def test_transient_failures_are_waited_out():
    clock = Clock()
    check = scripted(says(False, "rolling"), fails(K8sError("503", status=503, transient=True)),
                     fails(K8sError("reset", transient=True)), says(True, "done"))
    assert poll(check, timeout=60, interval=5, clock=clock, sleep=clock.sleep) == (True, "done", None)
    assert clock.now == 15


def test_the_deadline_holds_and_the_last_transient_error_is_returned():
    clock = Clock()
    error = K8sError("no answer", transient=True)
    check = scripted(says(False, "rolling"), *([fails(error)] * 100))
    done, value, last = poll(check, timeout=12, interval=5, clock=clock, sleep=clock.sleep)
    assert (done, value, last) == (False, "rolling", error)
    assert clock.now == 12  # the last sleep is cut to the deadline


def test_a_lasting_answer_ends_the_wait_at_once():
    clock = Clock()
    with pytest.raises(K8sError, match="forbidden"):
        poll(scripted(fails(K8sError("forbidden", status=403))), timeout=60, interval=5, clock=clock, sleep=clock.sleep)
    assert clock.now == 0
