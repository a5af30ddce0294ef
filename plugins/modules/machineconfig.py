#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers

from __future__ import annotations

DOCUMENTATION = r"""
module: machineconfig
short_description: Render, apply, delete or write OpenShift MachineConfigs from a short description
version_added: 0.1.0
description:
  - Turns a high-level description (files, systemd units with drop-ins, kernel arguments) into
    C(machineconfiguration.openshift.io/v1) C(MachineConfig) objects carrying an Ignition config
    whose spec version matches the target OpenShift release (see O(openshift_version)).
  - Validates everything the machine-config-operator (MCO) would trip over before anything is sent;
    a MachineConfig the MCO cannot reconcile makes its pool Degraded. Checked are the object name, labels
    present, absolute clean paths, file mode at most 0777 (no setuid, setgid, sticky), C(overwrite)
    needs contents, unit names end in a unit type, drop-ins end in C(.conf), unit and drop-in
    contents parse as unit files, no file at C(/etc/systemd/system/<unit>) when the unit has
    contents, no duplicate paths, units or drop-ins, C(kernelType), and the rendered size limit of
    1,572,864 bytes. A name not of the form C(NN-<role>-<name>) (C(99-worker-routes)) gives a warning.
  - File contents are sent as base64 data URLs (C(data:text/plain;charset=utf-8;base64,...) for
    O(files[].contents), C(data:;base64,...) for O(files[].contents_base64) and for gzip-compressed
    contents, see O(files[].compression)), the only form the MCO daemon decodes. Mode defaults to 0644 and overwrite to true, as in the MCO.
  - One call handles many MachineConfigs (O(machineconfigs)); they are applied with one server-side
    apply each after a single LIST, in one process.
  - Cluster writes go through the collection's apply engine (server-side apply, field manager
    O(field_manager)); check mode is a server-side dry run and tells what would change, C(--diff)
    shows it.
  - For day-1 installs, with O(install_dir) the objects are written as manifests into
    C(<install_dir>/openshift/99_openshift-machineconfig_<name>.yaml) (the file name
    C(openshift-install create manifests) uses for its own MachineConfigs) instead of the cluster.
author:
  - clusternet.fabric maintainers (@clusternet)
extends_documentation_fragment:
  - clusternet.fabric.k8s_auth
  - clusternet.fabric.k8s_auth.apply
attributes:
  check_mode:
    support: full
    description: With a cluster a server-side dry run; with O(install_dir) nothing is written.
  diff_mode:
    support: full
    description: Before and after of every changed object (or manifest file).
options:
  state:
    description:
      - V(present) applies the MachineConfigs (or writes the manifests with O(install_dir)).
      - V(absent) deletes the named MachineConfigs (or their manifests); only the names are needed.
      - V(rendered) only validates and returns the objects in RV(machineconfigs); no cluster, no files.
    type: str
    choices: [present, absent, rendered]
    default: present
  openshift_version:
    description:
      - OpenShift release the MachineConfigs are for (V(4.14) or V(4.14.3)); picks the Ignition spec
        version the MCO itself renders for that release.
      - 4.6 -> 3.1.0; 4.7 to 4.13 -> 3.2.0; 4.14 to 4.18 -> 3.4.0; 4.19 and later -> 3.5.0.
      - Default (not set) is the newest row, 3.5.0 (current releases).
    type: str
  name:
    description:
      - Name of one MachineConfig (use O(machineconfigs) for many). Convention C(99-<role>-<what>).
      - Mutually exclusive with O(machineconfigs).
    type: str
  role:
    description:
      - Pool role, the value of the label C(machineconfiguration.openshift.io/role) the pool selects
        (V(worker), V(master) or a custom pool's role).
    type: str
    default: worker
  labels:
    description: Extra labels of the MachineConfig.
    type: dict
  files:
    description: Files to write on the nodes.
    type: list
    elements: dict
    suboptions: &files
      path:
        description: Absolute, clean path.
        type: str
        required: true
      contents:
        description: Text contents (UTF-8).
        type: str
      contents_base64:
        description: Binary contents, already base64-encoded. Mutually exclusive with O(files[].contents).
        type: str
      mode:
        description:
          - File mode, at most 0777. A string is read as octal (V('0644')); a number is the mode
            itself, as in M(ansible.builtin.file) (so YAML C(0644) works too).
          - Default 0644.
        type: raw
      overwrite:
        description: Replace an existing file. Needs contents. Default true.
        type: bool
      compression:
        description:
          - V(gzip) sends the contents gzip-compressed (Ignition's C(contents.compression)); the node
            gets them as given. For large, repetitive files such as a pool-wide bundle; the MCO's size
            limit counts the compressed form.
          - Needs OpenShift 4.10 or newer (O(openshift_version)); older machine-config daemons write
            the compressed bytes as they are.
          - The compression is the same on every run; when the live object holds the same contents
            compressed by another zlib, its bytes are kept, so no new rendered config rolls the pool.
        type: str
        choices: [gzip]
  units:
    description: systemd units.
    type: list
    elements: dict
    suboptions: &units
      name:
        description: Unit name, ending in a unit type (V(.service), V(.timer), ...).
        type: str
        required: true
      contents:
        description: Unit file contents; must parse as a unit file.
        type: str
      enabled:
        description: Enable the unit (its C([Install]) section).
        type: bool
      mask:
        description: Mask the unit.
        type: bool
      dropins:
        description: Drop-ins (C(/etc/systemd/system/<unit>.d/<name>)).
        type: list
        elements: dict
        suboptions:
          name:
            description: Drop-in name, ending in V(.conf).
            type: str
            required: true
          contents:
            description: Drop-in contents; must parse as a unit file.
            type: str
  kernel_arguments:
    description: Kernel arguments added on the pool's nodes (C(spec.kernelArguments)).
    type: list
    elements: str
  routes:
    description:
      - Static routes for the pool's nodes. They add to O(files) and O(units) the routes file
        C(/etc/clusternet/node-routes.d/<role>.conf), the script C(/usr/local/bin/clusternet-node-routes)
        (C(ip route replace) of every route, tagged C(proto 241); removes earlier routes of ours no longer
        listed), the enabled oneshot unit C(clusternet-node-routes.service) and the NetworkManager
        dispatcher script C(/etc/NetworkManager/dispatcher.d/30-clusternet-node-routes) that re-runs the
        unit when a device is (re)activated. See the C(clusternet.fabric.node_routes) role.
      - Destination plus metric must be unique.
    type: list
    elements: dict
    suboptions: &routes
      destination:
        description: Destination network in CIDR form (no host bits), IPv4 or IPv6.
        type: str
        required: true
      gateway:
        description: Next hop IP address, same family as O(routes[].destination).
        type: str
      interface:
        description: Outgoing interface (at most 15 characters). A route needs a gateway, an interface or both.
        type: str
      metric:
        description: Route metric (0 to 4294967295). Default 0 (IPv6 1024, as the kernel stores it).
        type: int
  kernel_type:
    description: Kernel type (C(spec.kernelType)).
    type: str
    choices: ['', default, realtime, 64k-pages]
  machineconfigs:
    description:
      - Many MachineConfigs in one call; each item takes the same keys as the single form
        (O(name), O(role), O(labels), O(files), O(units), O(kernel_arguments), O(kernel_type), O(routes)).
      - Mutually exclusive with O(name). An empty list is allowed (with O(prune_set) that deletes the whole set).
    type: list
    elements: dict
    suboptions:
      name:
        description: MachineConfig name.
        type: str
        required: true
      role:
        description: Pool role label value.
        type: str
        default: worker
      labels:
        description: Extra labels.
        type: dict
      files:
        description: Files, as O(files).
        type: list
        elements: dict
        suboptions: *files
      units:
        description: Units, as O(units).
        type: list
        elements: dict
        suboptions: *units
      kernel_arguments:
        description: Kernel arguments.
        type: list
        elements: str
      routes:
        description: Static routes, as O(routes).
        type: list
        elements: dict
        suboptions: *routes
      kernel_type:
        description: Kernel type.
        type: str
        choices: ['', default, realtime, 64k-pages]
  prune_set:
    description:
      - Name of the set these MachineConfigs belong to. They get the labels
        C(app.kubernetes.io/managed-by=clusternet.fabric) and C(clusternet.fabric/prune-set=<set>), and
        with O(state=present) every MachineConfig carrying both labels that is not in this call is
        deleted. MachineConfigs without those labels are never touched.
    type: str
  install_dir:
    description:
      - openshift-install directory. With it, O(state=present) writes each MachineConfig to
        C(<install_dir>/openshift/99_openshift-machineconfig_<name>.yaml) and O(state=absent) removes
        those files; the cluster is not contacted. Run after C(openshift-install create manifests) and
        before C(create ignition-configs).
    type: path
  wait:
    description:
      - After applying (or deleting), wait until each affected MachineConfigPool (named after the role)
        has rolled the change out, that is C(status.observedGeneration) is current, the C(Updated)
        condition is C(True), C(updatedMachineCount == machineCount), and the pool's rendered config
        (C(status.configuration.source)) lists every applied MachineConfig and none of the deleted ones.
      - A rollout drains and reboots nodes one by one; give O(wait_timeout) room for that.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the pools with O(wait).
    type: int
    default: 1800
  wait_sleep:
    description: Seconds between two looks at the pools.
    type: int
    default: 10
notes:
  - Only fields the MCO reconciles on a running cluster are produced (no users, disks, links,
    directories, C(append)).
  - The rendered-size check covers each MachineConfig and the sum of those in one call per pool; the
    pool's rendered config also holds OpenShift's own MachineConfigs.
seealso:
  - name: machine-config-operator
    description: MachineConfig reference.
    link: https://github.com/openshift/machine-config-operator/blob/master/docs/MachineConfiguration.md
"""

EXAMPLES = r"""
- name: Chrony server for the workers
  clusternet.fabric.machineconfig:
    name: 99-worker-chrony
    role: worker
    openshift_version: "4.14"
    files:
      - path: /etc/chrony.conf
        mode: "0644"
        contents: |
          server 192.168.126.10 iburst
    kubeconfig: ~/clusterconfigs/auth/kubeconfig

- name: A unit with a drop-in and a kernel argument, rendered only
  clusternet.fabric.machineconfig:
    state: rendered
    name: 99-master-hello
    role: master
    kernel_arguments: [nosmt]
    units:
      - name: hello.service
        enabled: true
        contents: |
          [Unit]
          Description=hello
          [Service]
          Type=oneshot
          ExecStart=/usr/bin/echo hello
          [Install]
          WantedBy=multi-user.target
        dropins:
          - name: 10-env.conf
            contents: |
              [Service]
              Environment=GREETING=hi
  register: hello

- name: Many MachineConfigs in one call; remove the ones of the set no longer listed
  clusternet.fabric.machineconfig:
    prune_set: site-files
    machineconfigs:
      - name: 99-worker-motd
        role: worker
        files: [{path: /etc/motd, contents: "worker\n"}]
      - name: 99-master-motd
        role: master
        files: [{path: /etc/motd, contents: "master\n"}]
    wait: true

- name: Day 1, write the manifests for openshift-install
  clusternet.fabric.machineconfig:
    install_dir: /root/clusterconfigs
    name: 99-worker-motd
    files: [{path: /etc/motd, contents: "hello\n"}]

- name: Delete one
  clusternet.fabric.machineconfig:
    state: absent
    name: 99-worker-motd
"""

RETURN = r"""
machineconfigs:
  description: The rendered MachineConfig objects (as sent, with the managed-by and prune-set labels).
  returned: always
  type: list
  elements: dict
  sample:
    - apiVersion: machineconfiguration.openshift.io/v1
      kind: MachineConfig
      metadata:
        name: 99-worker-motd
        labels: {machineconfiguration.openshift.io/role: worker, app.kubernetes.io/managed-by: clusternet.fabric}
      spec:
        config:
          ignition: {version: 3.5.0}
          storage:
            files: [{path: /etc/motd, mode: 420, overwrite: true, contents: {source: "data:text/plain;charset=utf-8;base64,aGVsbG8K"}}]
ignition_version:
  description: Ignition spec version used.
  returned: always
  type: str
  sample: 3.4.0
results:
  description:
    - Per object, what happened on the cluster (apply engine result).
    - C(action) is one of created, updated, unchanged, deleted, absent, pruned.
  returned: when the cluster was contacted
  type: list
  elements: dict
  contains:
    kind: {description: Kind., type: str, returned: always}
    api_version: {description: API version., type: str, returned: always}
    name: {description: Object name., type: str, returned: always}
    namespace: {description: Always null (cluster-scoped)., type: str, returned: always}
    action: {description: What happened., type: str, returned: always}
    object: {description: 'The object as the server returned it (or the deleted one), without metadata.managedFields.', type: dict, returned: always}
not_written:
  description:
    - When the call failed part-way, the objects (C(Kind namespace/name)) it meant to write and did not;
      RV(results) has what was written. When the dry run before the first write refused the call, it
      lists every object that needed a write (none was written).
  returned: on failure after the cluster was contacted
  type: list
  elements: str
  sample: [MachineConfig 99-worker-b]
manifests:
  description: Manifest files written (or removed) under O(install_dir).
  returned: with O(install_dir)
  type: list
  elements: dict
  contains:
    path: {description: File path., type: str, returned: always}
    action: {description: 'One of created, updated, unchanged, deleted, absent.', type: str, returned: always}
pools:
  description: Status of each waited-for MachineConfigPool when O(wait) is set.
  returned: with O(wait)
  type: dict
  sample: {worker: {updated: true, machineCount: 2, updatedMachineCount: 2}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusternet.fabric.plugins.module_utils.render.machineconfig import KERNEL_TYPES
from ansible_collections.clusternet.fabric.plugins.module_utils.runners.common import writer_module
from ansible_collections.clusternet.fabric.plugins.module_utils.runners import machineconfig as runner


def argument_spec():
    dropin = dict(name=dict(type="str", required=True), contents=dict(type="str"))
    files = dict(
        path=dict(type="str", required=True),
        contents=dict(type="str"),
        contents_base64=dict(type="str"),
        mode=dict(type="raw"),
        overwrite=dict(type="bool"),
        compression=dict(type="str", choices=["gzip"]),
    )
    units = dict(
        name=dict(type="str", required=True),
        contents=dict(type="str"),
        enabled=dict(type="bool"),
        mask=dict(type="bool"),
        dropins=dict(type="list", elements="dict", options=dropin),
    )
    route = dict(
        destination=dict(type="str", required=True),
        gateway=dict(type="str"),
        interface=dict(type="str"),
        metric=dict(type="int"),
    )
    one = dict(
        role=dict(type="str", default="worker"),
        routes=dict(type="list", elements="dict", options=route),
        labels=dict(type="dict"),
        files=dict(type="list", elements="dict", options=files),
        units=dict(type="list", elements="dict", options=units),
        kernel_arguments=dict(type="list", elements="str"),
        kernel_type=dict(type="str", choices=list(KERNEL_TYPES)),
    )
    item = dict(name=dict(type="str", required=True), **one)
    spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent", "rendered"]),
        openshift_version=dict(type="str"),
        name=dict(type="str"),
        machineconfigs=dict(type="list", elements="dict", options=item),
        prune_set=dict(type="str"),
        install_dir=dict(type="path"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
        wait_sleep=dict(type="int", default=10),
        **one
    )
    return spec


def main():
    module = writer_module(AnsibleModule, argument_spec(), "name", "machineconfigs")
    runner.run_module(module)


if __name__ == "__main__":
    main()
