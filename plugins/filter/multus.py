# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers

from __future__ import annotations

# Documentation: pod_networks_annotation.yml beside this file (ansible-doc reads it by filter name).

from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render.nad_annotation import (
    build_networks_annotation,
)


def pod_networks_annotation(items, format="auto"):  # pylint: disable=redefined-builtin
    try:
        return build_networks_annotation(items, format)
    except checks.InputError as exc:
        raise AnsibleFilterError(str(exc)) from None


class FilterModule:
    def filters(self):
        return {"pod_networks_annotation": pod_networks_annotation}
