#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers

from __future__ import annotations

DOCUMENTATION = r"""
module: node_disruption_policy
short_description: One owner's entries of OpenShift's node disruption policy (restart a service instead of a reboot)
version_added: 0.2.0
description:
  - From OpenShift 4.16 (TechPreviewNoUpgrade; every cluster from 4.17) the machine-config operator reads
    C(spec.nodeDisruptionPolicy) of C(MachineConfiguration/cluster) (operator.openshift.io/v1) - for a
    MachineConfig change that touches only files and units with a policy, it runs their actions (restart or
    reload a service, daemon-reload, nothing) instead of draining and rebooting the node. A changed file or
    unit without a policy still reboots the node, so O(files) and O(units) list every file and unit of the
    owner's MachineConfigs.
  - The entries are applied server-side under a field manager of their own, C(clusternet.fabric/<owner>).
    C(files) and C(units) are list-maps keyed by path and name, so they merge with the entries other field
    managers set (the admin's, another role's), which are never replaced; an entry another manager owns with
    other actions is a conflict, named, unless O(force_conflicts). O(state=absent) removes exactly this
    owner's entries.
  - The API's rules are checked before anything is sent (at most 50 entries and 10 actions each; Reboot and
    None stand alone; C(restart) and C(reload) name a service exactly when their type asks for one).
  - Nothing is written for an O(openshift_version) below 4.16, or when C(MachineConfiguration/cluster) does
    not exist (the operator creates it; the module never does).
author:
  - clusternet.fabric maintainers (@clusternet)
extends_documentation_fragment:
  - clusternet.fabric.k8s_auth
attributes:
  check_mode:
    support: full
    description: The same request as a server-side dry run; the answer says whether anything would change.
  diff_mode:
    support: full
    description: The object before and after.
options:
  owner:
    description:
      - Whose entries these are, e.g. V(node-routes) or V(frr); the field manager is C(clusternet.fabric/<owner>).
    type: str
    required: true
  state:
    description:
      - V(present) makes the owner's entries exactly O(files) and O(units) (entries no longer listed go).
      - V(absent) removes every entry of the owner.
      - V(rendered) only returns the manifest that V(present) would apply; nothing is contacted.
    type: str
    choices: [present, absent, rendered]
    default: present
  files:
    description: Entries by file path.
    type: list
    elements: dict
    suboptions:
      path:
        description: The file's absolute path (4.16 matches exact paths; 4.17 also files below a directory).
        type: str
        required: true
      actions:
        description:
          - What the node does when a MachineConfig changes the file, in order. Each is C({type}), one of
            V(Reboot), V(Drain), V(Reload), V(Restart), V(DaemonReload), V(None); V(Reload) and V(Restart) also
            name the service, in C(reload.serviceName) or C(restart.serviceName).
        type: list
        elements: dict
        required: true
  units:
    description: Entries by systemd unit name (a change to a unit or its drop-ins).
    type: list
    elements: dict
    suboptions:
      name:
        description: The unit, e.g. V(frr.service).
        type: str
        required: true
      actions:
        description: As for O(files[].actions).
        type: list
        elements: dict
        required: true
  openshift_version:
    description:
      - The cluster's OpenShift release (V(4.17), V(4.17.3)); below 4.16 nothing is written.
    type: str
    default: "4.19"
  force_conflicts:
    description: Take over entries that another field manager owns with other actions.
    type: bool
    default: false
notes:
  - Apply the entries before the MachineConfigs they cover (the operator reads the policy when it applies a
    change) and remove them after the MachineConfigs are gone and their pools have rolled.
seealso:
  - name: Node disruption policies (machine-config operator)
    description: The operator's documentation of the policy.
    link: https://github.com/openshift/machine-config-operator/blob/master/docs/NodeDisruptionPolicy.md
  - module: clusternet.fabric.machineconfig
"""

EXAMPLES = r"""
- name: A routes file change re-runs the route unit instead of a reboot
  clusternet.fabric.node_disruption_policy:
    owner: node-routes
    openshift_version: "4.17"
    kubeconfig: ~/clusterconfigs/auth/kubeconfig
    files:
      - path: /etc/clusternet/node-routes.d/worker.conf
        actions: [{type: Restart, restart: {serviceName: clusternet-node-routes.service}}]
    units:
      - name: clusternet-node-routes.service
        actions: [{type: DaemonReload}, {type: Restart, restart: {serviceName: clusternet-node-routes.service}}]

- name: The same owner's entries removed, everyone else's kept
  clusternet.fabric.node_disruption_policy:
    owner: node-routes
    state: absent
    openshift_version: "4.17"
"""

RETURN = r"""
field_manager:
  description: The field manager the entries are applied under.
  returned: always
  type: str
  sample: clusternet.fabric/node-routes
manifest:
  description: What is applied (for V(absent) an object without a spec, which removes the owner's entries).
  returned: always
  type: dict
  sample: {apiVersion: operator.openshift.io/v1, kind: MachineConfiguration, metadata: {name: cluster}}
results:
  description: The apply engine's result for C(MachineConfiguration/cluster) (C(action) created, updated or unchanged).
  returned: when the API was contacted
  type: list
  elements: dict
  sample: [{kind: MachineConfiguration, name: cluster, action: updated}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusternet.fabric.plugins.module_utils.k8s.client import AUTH_ARG_SPEC
from ansible_collections.clusternet.fabric.plugins.module_utils.render.machineconfig import DEFAULT_OPENSHIFT_VERSION
from ansible_collections.clusternet.fabric.plugins.module_utils.runners import disruption


def main():
    entry = dict(actions=dict(type="list", elements="dict", required=True))
    spec = dict(
        owner=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent", "rendered"], default="present"),
        files=dict(type="list", elements="dict", options=dict(entry, path=dict(type="str", required=True))),
        units=dict(type="list", elements="dict", options=dict(entry, name=dict(type="str", required=True))),
        openshift_version=dict(type="str", default=DEFAULT_OPENSHIFT_VERSION),
        force_conflicts=dict(type="bool", default=False),
    )
    spec.update(AUTH_ARG_SPEC)
    disruption.run_module(AnsibleModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()
