# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of playbooks/verify.yml: thin wrappers around module_utils/model/verify
(what to ask, one evaluation) and render/verify (report, JUnit, DOT)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.module_utils.checks import InvalidInput
from ansible_collections.clusternet.fabric.plugins.module_utils.model.verify import (
    boot_scripts,
    dns_queries,
    evaluate,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render.verify import (
    fabric_dot,
    junit_xml,
    report_lines,
)


def _wrap(func, *args):
    try:
        return func(*args)
    except InvalidInput as exc:
        raise AnsibleFilterError(str(exc)) from None


def verify_dns_queries(cluster):
    """cluster | verify_dns_queries -> dig's arguments: name type name type ..."""
    return [word for query in _wrap(dns_queries, cluster) for word in query]


def verify_boot_scripts(cluster):
    """cluster | verify_boot_scripts -> the iPXE scripts the boot server must serve."""
    return _wrap(boot_scripts, cluster)


def verify_evaluate(observed, cluster, fabric=None, expect=None):
    """observed | verify_evaluate(cluster, fabric, expect) -> every check as data."""
    return _wrap(evaluate, cluster, fabric, observed, expect)


def verify_report_lines(result, cluster=None, fabric=None):
    return _wrap(report_lines, result, cluster, fabric)


def verify_junit(result):
    return _wrap(junit_xml, result)


def verify_fabric_dot(result, fabric):
    return _wrap(fabric_dot, result, fabric)


class FilterModule(object):
    def filters(self):
        return {
            "verify_dns_queries": verify_dns_queries,
            "verify_boot_scripts": verify_boot_scripts,
            "verify_evaluate": verify_evaluate,
            "verify_report_lines": verify_report_lines,
            "verify_junit": verify_junit,
            "verify_fabric_dot": verify_fabric_dot,
        }
