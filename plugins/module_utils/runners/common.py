# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""What every module that writes to the API shares: its AnsibleModule."""

from __future__ import annotations


def writer_module(module_class, argument_spec, one, many):
    """The AnsibleModule (``module_class``, the module's own import of it) of a module
    writing objects through the apply engine: its own options plus the connection
    (AUTH_ARG_SPEC) and apply (APPLY_ARG_SPEC) ones, one object by ``one`` (e.g. name)
    or a list by ``many``, check mode supported."""
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.apply import APPLY_ARG_SPEC
    from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import AUTH_ARG_SPEC

    spec = dict(argument_spec)
    spec.update(AUTH_ARG_SPEC)
    spec.update(APPLY_ARG_SPEC)
    return module_class(argument_spec=spec, mutually_exclusive=[(one, many)], required_one_of=[(one, many)],
                        supports_check_mode=True)
