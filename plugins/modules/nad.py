#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers

from __future__ import annotations

DOCUMENTATION = r"""
module: nad
short_description: Render, validate and apply Multus NetworkAttachmentDefinitions or CNO additionalNetworks
version_added: 0.1.0
description:
  - Renders the CNI configuration of a secondary network from structured options (plugins
    C(macvlan), C(ipvlan), C(bridge), C(host-device), C(vlan); IPAM C(static), C(host-local),
    C(whereabouts), C(dhcp); C(capabilities); C(cniVersion)), or takes a raw CNI config (single
    plugin or conflist) and validates it.
  - Validates everything before any request, failing with one message naming the network, the
    field and the value. Checked are the name (DNS-1123 label, at most 63 characters), duplicate
    names, the plugin, interface names (at most 15 characters), modes per plugin, VLAN ids, MTU,
    CIDR syntax, subnets without host bits, ranges, gateways and static addresses inside their
    subnet, overlapping or mixed-family host-local ranges, whereabouts C(range_start)/C(range_end)/
    C(exclude) inside the range (whereabouts itself silently ignores them), C(capabilities.ips)
    only with an IPAM that honours it, and the conflist rules of Multus (C(name), non-empty
    C(plugins), each with C(type)).
  - With O(target=nad) writes C(k8s.cni.cncf.io/v1) C(NetworkAttachmentDefinition) objects with
    server-side apply (one LIST, then one request per object, in one process).
  - With O(target=cno) (OpenShift) manages entries of C(spec.additionalNetworks) of
    C(Network.operator.openshift.io) C(cluster) (C(Raw) or C(SimpleMacvlan)); the Cluster Network
    Operator then creates the NetworkAttachmentDefinitions. Entries are merged by name with a
    read-modify-write carrying the read C(resourceVersion) (retried on conflict), so entries the
    module does not manage are kept and concurrent edits are never lost. The list is atomic for
    server-side apply on OpenShift, which is why apply is not used there.
  - Many networks in one call with O(networks). Check mode is a server-side dry run and tells what
    would change; C(--diff) shows it.
  - Default C(cniVersion) is C(0.4.0), the first version with CHECK, understood by Multus 3.x and
    later and by the CNI plugins from 0.8 on; set O(cni_version) for older runtimes.
author:
  - clusternet.fabric maintainers (@clusternet)
extends_documentation_fragment:
  - clusternet.fabric.k8s_auth
  - clusternet.fabric.k8s_auth.apply
attributes:
  check_mode:
    support: full
    description: Server-side dry run (C(dryRun=All)); nothing is stored.
  diff_mode:
    support: full
    description: Before and after of every changed object.
options:
  state:
    description:
      - V(present) creates or updates, V(absent) deletes (only names and namespaces are needed),
        V(rendered) only validates and returns the objects in RV(rendered) without contacting a cluster.
    type: str
    choices: [present, absent, rendered]
    default: present
  target:
    description:
      - V(nad) writes NetworkAttachmentDefinitions (Kubernetes with Multus, or OpenShift).
      - V(cno) writes entries of C(spec.additionalNetworks) of the OpenShift C(Network.operator.openshift.io)
        object C(cluster); names must then be unique across namespaces.
    type: str
    choices: [nad, cno]
    default: nad
  networks:
    description:
      - Many networks at once; each item takes the options O(name) to O(config) below (same names,
        same rules). Mutually exclusive with O(name).
    type: list
    elements: dict
  name:
    description:
      - Name of the network (the NetworkAttachmentDefinition or CNO entry, and the CNI config's C(name)).
      - DNS-1123 label, at most 63 characters.
    type: str
  namespace:
    description: Namespace of the NetworkAttachmentDefinition (pods attach from this namespace).
    type: str
    default: default
  type:
    description:
      - CNI plugin of the interface. Required unless O(config) is given.
      - V(ipvlan) and V(vlan) need the kernel's ipvlan/8021q support on the nodes.
    type: str
    choices: [macvlan, ipvlan, bridge, host-device, vlan]
  cni_version:
    description:
      - CNI spec version of the rendered config (ignored with O(config), which carries its own).
      - V(0.4.0) and later allow the runtime's CHECK; use V(0.3.1) for Multus older than 3.x.
    type: str
    choices: ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0"]
    default: "0.4.0"
  master:
    description: Node interface the macvlan, ipvlan or vlan interface sits on (required for those, at most 15 characters).
    type: str
  mode:
    description: V(bridge), V(private), V(vepa), V(passthru) for macvlan; V(l2), V(l3), V(l3s) for ipvlan.
    type: str
  mtu:
    description: MTU of the interface (68-65535).
    type: int
  bridge:
    description: Bridge name on the node for O(type=bridge) (default of the plugin C(cni0)).
    type: str
  is_gateway:
    description: bridge; put the IPAM gateway address on the bridge.
    type: bool
  is_default_gateway:
    description: bridge; also make it the pod's default route.
    type: bool
  force_address:
    description: bridge; replace an existing address on the bridge.
    type: bool
  ip_masq:
    description: bridge; masquerade traffic leaving the bridge's subnet.
    type: bool
  hairpin_mode:
    description: bridge; hairpin mode on the bridge port.
    type: bool
  promisc_mode:
    description: bridge; promiscuous mode on the bridge.
    type: bool
  vlan:
    description: bridge; VLAN tag of the bridge port (0-4094).
    type: int
  vlan_id:
    description: vlan; the VLAN id (0-4094, required for O(type=vlan)).
    type: int
  device:
    description: host-device; name of the node interface moved into the pod. Exactly one of O(device), O(hwaddr), O(kernelpath), O(pci_bus_id).
    type: str
  hwaddr:
    description: host-device; MAC address of the device.
    type: str
  kernelpath:
    description: host-device; kernel device path.
    type: str
  pci_bus_id:
    description: host-device; PCI address (C(0000:00:1f.6)).
    type: str
  capabilities:
    description: Runtime capabilities; V(ips) lets pods choose addresses in the pod annotation (static or host-local IPAM), V(mac) their MAC.
    type: dict
    suboptions:
      ips:
        description: Addresses from the pod annotation C(k8s.v1.cni.cncf.io/networks).
        type: bool
      mac:
        description: MAC from the pod annotation.
        type: bool
  ipam:
    description:
      - IPAM section. C(type) is one of V(static), V(host-local), V(whereabouts), V(dhcp).
      - static; C(addresses) (list of C({address CIDR, gateway})), C(routes) (list of C({dst, gw})),
        C(dns) (C(nameservers), C(domain), C(search), C(options)). Empty C(addresses) only with O(capabilities.ips).
      - host-local; C(ranges) (list of range sets, each a list of C({subnet, range_start, range_end, gateway}); one set
        per IP family), or the shorthand C(subnet), C(range_start), C(range_end), C(gateway) for one range;
        C(routes); C(data_dir).
      - whereabouts; C(range) (CIDR or C(firstIP-CIDR)), C(range_start), C(range_end), C(exclude) (CIDRs), C(gateway), C(routes).
      - dhcp; nothing else (needs the CNI dhcp daemon on each node).
    type: dict
  config:
    description:
      - A raw CNI config (JSON string or dict), single plugin or conflist, instead of O(type) and its
        options. Validated by the same rules; a string is written exactly as given.
    type: raw
  cno_type:
    description:
      - With O(target=cno), the entry type. V(Raw) carries the rendered config; V(SimpleMacvlan) the
        CNO's own macvlan form (macvlan with static or dhcp IPAM, no capabilities).
    type: str
    choices: [Raw, SimpleMacvlan]
    default: Raw
  labels:
    description: Extra labels of the NetworkAttachmentDefinition.
    type: dict
  annotations:
    description: Annotations of the NetworkAttachmentDefinition (e.g. C(k8s.v1.cni.cncf.io/resourceName)).
    type: dict
notes:
  - The ipvlan and vlan plugins cannot be exercised in the collection's own tests (no kernel support
    there); their configs are validated by the same rules the plugins apply.
seealso:
  - name: Multus NetworkAttachmentDefinition specification
    description: The de-facto standard for secondary networks.
    link: https://github.com/k8snetworkplumbingwg/multi-net-spec
"""

EXAMPLES = r"""
- name: Seed 004 - bridge test-br with host-local addresses .100-.200
  clusternet.fabric.nad:
    name: test-network
    type: bridge
    bridge: test-br
    ipam:
      type: host-local
      subnet: 192.168.1.0/24
      range_start: 192.168.1.100
      range_end: 192.168.1.200

- name: Seed 000 on OpenShift - CNO Raw macvlan on ens224, addresses from the pod annotation
  clusternet.fabric.nad:
    target: cno
    name: network-macvlan
    type: macvlan
    master: ens224
    cni_version: "0.3.1"
    capabilities:
      ips: true
    ipam:
      type: static

- name: Many networks in one call (one process, one LIST)
  clusternet.fabric.nad:
    kubeconfig: ~/.kube/config
    networks:
      - name: storage
        namespace: infra
        type: macvlan
        master: ens224
        mode: bridge
        ipam:
          type: whereabouts
          range: 10.20.0.0/24
          exclude: [10.20.0.0/28]
      - name: sriov-like
        namespace: infra
        type: host-device
        device: ens5f1
        ipam:
          type: dhcp

- name: A raw conflist, validated then applied
  clusternet.fabric.nad:
    name: tuned
    config:
      cniVersion: "0.4.0"
      name: tuned
      plugins:
        - type: macvlan
          master: ens224
          ipam: {type: dhcp}
        - type: tuning
          mtu: 9000

- name: Only render (no cluster), e.g. to review or template elsewhere
  clusternet.fabric.nad:
    state: rendered
    name: vlan201
    type: vlan
    master: ens224
    vlan_id: 201
    ipam: {type: dhcp}
  register: vlan201

- name: Remove networks (names are enough)
  clusternet.fabric.nad:
    state: absent
    networks:
      - {name: storage, namespace: infra}
"""

RETURN = r"""
rendered:
  description: The validated objects; NetworkAttachmentDefinition manifests (O(target=nad)) or additionalNetworks entries (O(target=cno)).
  returned: always (for O(state=absent) the identities only)
  type: list
  elements: dict
  sample:
    - apiVersion: k8s.cni.cncf.io/v1
      kind: NetworkAttachmentDefinition
      metadata: {name: test-network, namespace: default}
      spec: {config: '{"cniVersion": "0.4.0", "name": "test-network", "type": "bridge", ...}'}
results:
  description: One entry per object touched (the apply engine's contract).
  returned: unless O(state=rendered)
  type: list
  elements: dict
  contains:
    kind: {description: Object kind., type: str, returned: always}
    api_version: {description: Object apiVersion., type: str, returned: always}
    name: {description: Object name., type: str, returned: always}
    namespace: {description: Object namespace (null for cluster-scoped)., type: str, returned: always}
    action:
      description: created, updated, unchanged, deleted or absent.
      type: str
      returned: always
    object: {description: "The server's answer (last live state for deletions), without metadata.managedFields.", type: dict, returned: always}
not_written:
  description:
    - When the call failed part-way, the objects (C(Kind namespace/name)) it meant to write and did not;
      RV(results) has what was written. When the dry run before the first write refused the call, it
      lists every object that needed a write (none was written).
  returned: on failure after the cluster was contacted
  type: list
  elements: str
  sample: [NetworkAttachmentDefinition apps/storage]
diff:
  description: Before and after of every changed object (with C(--diff)).
  returned: when diff mode is on
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusternet.fabric.plugins.module_utils.runners.common import writer_module
from ansible_collections.clusternet.fabric.plugins.module_utils.runners import nad as runner

NETWORK_KEYS = ("name", "namespace", "type", "cni_version", "master", "mode", "mtu", "bridge", "is_gateway",
                "is_default_gateway", "force_address", "ip_masq", "hairpin_mode", "promisc_mode", "vlan",
                "vlan_id", "device", "hwaddr", "kernelpath", "pci_bus_id", "capabilities", "ipam", "config",
                "cno_type", "labels", "annotations")


def argument_spec():
    return dict(
        state=dict(type="str", default="present", choices=["present", "absent", "rendered"]),
        target=dict(type="str", default="nad", choices=["nad", "cno"]),
        networks=dict(type="list", elements="dict"),
        name=dict(type="str"),
        namespace=dict(type="str", default="default"),
        type=dict(type="str", choices=["macvlan", "ipvlan", "bridge", "host-device", "vlan"]),
        cni_version=dict(type="str", default="0.4.0", choices=["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0"]),
        master=dict(type="str"),
        mode=dict(type="str"),
        mtu=dict(type="int"),
        bridge=dict(type="str"),
        is_gateway=dict(type="bool"),
        is_default_gateway=dict(type="bool"),
        force_address=dict(type="bool"),
        ip_masq=dict(type="bool"),
        hairpin_mode=dict(type="bool"),
        promisc_mode=dict(type="bool"),
        vlan=dict(type="int"),
        vlan_id=dict(type="int"),
        device=dict(type="str"),
        hwaddr=dict(type="str"),
        kernelpath=dict(type="str"),
        pci_bus_id=dict(type="str"),
        capabilities=dict(type="dict", options=dict(ips=dict(type="bool"), mac=dict(type="bool"))),
        ipam=dict(type="dict"),
        config=dict(type="raw"),
        cno_type=dict(type="str", default="Raw", choices=["Raw", "SimpleMacvlan"]),
        labels=dict(type="dict"),
        annotations=dict(type="dict"),
    )


def networks_from_params(params):
    """The list form, whether the user gave `networks` or the single-network options."""
    if params.get("networks") is not None:
        return params["networks"]
    net = {k: params.get(k) for k in NETWORK_KEYS}
    if net.get("config") is not None:
        # Defaults of the structured form do not apply to a raw config.
        net["cni_version"] = None
    if params["target"] != "cno":
        net["cno_type"] = None
    return [net]


def main():
    module = writer_module(AnsibleModule, argument_spec(), "name", "networks")
    runner.run_module(module, networks_from_params(module.params))


if __name__ == "__main__":
    main()
