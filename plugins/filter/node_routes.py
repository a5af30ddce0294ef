# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""node_routes_plan: the node_routes role's MachineConfigs, from render/node_routes.py.

    {{ node_routes_routes | clusternet.fabric.node_routes_plan(node_routes_custom_pools) }}
    -> {"present": [machineconfig spec, ...], "absent": [MachineConfig name, ...]}

Validates every route first (the refusal names the field and the value).
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render.node_routes import machineconfig_plan


def node_routes_plan(routes_by_pool, custom_pools=None):
    try:
        return machineconfig_plan(routes_by_pool, custom_pools)
    except checks.InputError as exc:
        raise AnsibleFilterError(str(exc)) from None


class FilterModule:
    def filters(self):
        return {"node_routes_plan": node_routes_plan}
