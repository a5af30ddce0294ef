# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What playbooks/verify.yml saw, against what the models say: one evaluation.

verify.yml only collects (lease files, dig answers, HAProxy's stats, FRR's
BGP summaries, kernel routes, pings, the API server's objects) and hands it
here with the cluster model and the fabric model. evaluate() returns every
check as data; the report table, the JSON and JUnit files, the topology
picture and the play's final assert all read that one result (render/verify).

A check is passed, failed, or skipped: skipped when it failed but a check it
needs failed too (a node's sessions need the node's FRR to answer), so one
broken thing is one failure and its consequences are named, not counted.
"""

from __future__ import annotations

import collections

import json
import re

from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import announced

FORMAT_VERSION = 1
PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
UNREACHED = "not reached, or it failed before verify.yml read it"
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")


class Checks:
    """The checks in the order they were made, by id."""

    def __init__(self):
        self.items, self.by_id = [], {}

    def add(self, cid, area, subject, title, ok, expected, observed, why="", needs=()):
        """One check; ``needs``: ids of checks whose failure explains this one's."""
        status, message = PASSED, ""
        if not ok:
            causes = [n for n in needs if self.by_id.get(n, {}).get("status") in (FAILED, SKIPPED)]
            status = SKIPPED if causes else FAILED
            message = "%s: %s" % (subject, why) if not causes else \
                "%s: not evaluated, it needs %s" % (subject, ", ".join(causes))
        check = {"id": cid, "area": area, "subject": subject, "title": title, "status": status,
                 "expected": expected, "observed": observed, "message": message}
        self.items.append(check)
        self.by_id[cid] = check
        return check

    def status(self, cid):
        return self.by_id.get(cid, {}).get("status")


def parse_leases(text):
    """dnsmasq's lease file -> {mac: (ip, hostname)} (DHCPv4 lines)."""
    leases = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) >= 4 and _MAC.fullmatch(parts[1].lower()):
            leases[parts[1].lower()] = (parts[2], parts[3])
    return leases


def parse_dig(text):
    """`dig +noall +answer` lines -> {(owner name, type): [data]}; names without the
    final dot, lower case. Independent of the order of the answers."""
    answers = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) >= 5 and not line.startswith(";") and parts[2] == "IN":
            data = parts[4].rstrip(".").lower() if parts[3] in ("PTR", "CNAME") else parts[4]
            answers.setdefault((parts[0].rstrip(".").lower(), parts[3]), []).append(data)
    return answers


def record_type(address):
    """The DNS record of an address: A, or AAAA (an IPv6-only cluster's node_ip)."""
    return "AAAA" if ":" in address else "A"


def dns_queries(cluster):
    """What verify.yml asks the cluster DNS: [(name, type)], every node's A (and AAAA)
    and PTR, api, api-int and a name under *.apps."""
    queries = []
    for node in cluster["nodes"]:
        queries += [(node["fqdn"], record_type(node["ip"])), (node["ptr"], "PTR")]
        if node.get("ip6"):
            queries += [(node["fqdn"], "AAAA"), (node["ptr6"], "PTR")]
    for name in (cluster["api_fqdn"], cluster["api_int_fqdn"], apps_probe(cluster)):
        queries.append((name, record_type(cluster["lb_address"])))
        if cluster.get("lb_address6"):
            queries.append((name, "AAAA"))
    return queries


def apps_probe(cluster):
    """A name under the *.apps wildcard (the console's)."""
    return "console-openshift-console." + cluster["apps_domain"]


def boot_scripts(cluster):
    """The iPXE scripts the boot server serves: the chain and every booting node's own."""
    return ["boot.ipxe"] + ["%s.ipxe" % n["mac"].replace(":", "-") for n in cluster["nodes"]
                            if n["mac"] and n["role"] != "jumphost"]


def _peers(summary):
    """FRR's `show bgp summary json` text -> {interface: {state, remote_as, received, sent}}
    summed over the address families; None when the text is not FRR's JSON."""
    try:
        doc = json.loads(summary) if summary else None
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        return None
    peers = {}
    for family in doc.values():
        for name, info in ((family or {}).get("peers") or {}).items() if isinstance(family, dict) else ():
            peer = peers.setdefault(name, {"state": info.get("state", "missing"), "remote_as": info.get("remoteAs"),
                                           "received": 0, "sent": 0})
            peer["received"] += int(info.get("pfxRcd") or 0)
            peer["sent"] += int(info.get("pfxSnt") or 0)
    return peers


def _loopbacks(router, fam):
    """The router's loopback prefix in one family, as a list of none or one."""
    return announced({"loopback": router.get("loopback"), "loopback6": router.get("loopback6")}, fam)


def _jumphost_checks(checks, cluster, name, seen):
    lb = cluster["lb_address"]
    answers = parse_dig(seen.get("dns"))
    server = seen.get("dns_server")

    def answered(query, kind):
        return answers.get((query.lower(), kind), [])

    for node in cluster["nodes"]:
        for kind, address, ptr in ((record_type(node["ip"]), node["ip"], node["ptr"]),
                                   ("AAAA", node.get("ip6"), node.get("ptr6"))):
            if not address:
                continue
            got = answered(node["fqdn"], kind)
            checks.add("dns/%s/%s/%s" % (name, node["name"], kind), "dns", name,
                       "%s answers %s %s" % (server, node["fqdn"], kind), got == [address], [address], got,
                       "%s %s answered %s at %s" % (node["fqdn"], kind, got or "nothing", server))
            # an address may carry other names too (the jump host's is often api and api-int)
            got = answered(ptr, "PTR")
            checks.add("dns/%s/%s/PTR%s" % (name, node["name"], "" if kind == "A" else "6"), "dns", name,
                       "%s answers %s PTR" % (server, ptr), node["fqdn"] in got, [node["fqdn"]], got,
                       "%s PTR answered %s at %s, not %s" % (ptr, got or "nothing", server, node["fqdn"]))
    for label, query in (("api", cluster["api_fqdn"]), ("api-int", cluster["api_int_fqdn"]),
                         ("*.apps", apps_probe(cluster))):
        for kind, address in ((record_type(lb), lb), ("AAAA", cluster.get("lb_address6"))):
            if not address:
                continue
            got = answered(query, kind)
            checks.add("dns/%s/%s/%s" % (name, label, kind), "dns", name, "%s answers %s %s" % (server, query, kind),
                       got == [address], [address], got, "%s %s answered %s at %s, not the load balancer"
                       % (query, kind, got or "nothing", server))

    backends = seen.get("backends") or []
    checks.add("load-balancer/%s/stats" % name, "load-balancer", name, "HAProxy's stats socket lists servers",
               bool(backends), "servers", len(backends), "HAProxy's stats socket listed no server")
    for backend, server_name, state in backends:
        checks.add("load-balancer/%s/%s/%s" % (name, backend, server_name), "load-balancer", name,
                   "backend %s server %s is UP" % (backend, server_name), state == "UP", "UP", state,
                   "backend %s server %s is %s" % (backend, server_name, state),
                   needs=["load-balancer/%s/stats" % name])
    ingress = sorted({server_name for backend, server_name, _state in backends if backend == "ingress-https"})
    missing = [n for n in cluster["ingress"] if n not in ingress]
    checks.add("load-balancer/%s/ingress" % name, "load-balancer", name, "ingress lists every ingress node",
               not missing, cluster["ingress"], ingress, "ingress lacks %s" % missing,
               needs=["load-balancer/%s/stats" % name])

    boot = seen.get("boot")
    if boot is not None:
        for script in boot_scripts(cluster):
            status = boot.get("status", {}).get(script)
            checks.add("boot/%s/%s" % (name, script), "boot", name, "boot server serves %s" % script,
                       status == 200, 200, status, "http://%s/ipxe/%s answered %s" % (boot.get("server"), script, status))


def _lease_checks(checks, cluster, jumphosts):
    held = {}
    for seen in jumphosts.values():
        held.update(parse_leases(seen.get("leases")))
    for node in cluster["nodes"]:
        if not node["mac"]:
            continue
        lease = held.get(node["mac"])
        want = [node["ip"], node["name"]]
        checks.add("dhcp/%s" % node["name"], "dhcp", node["name"], "holds its reserved lease",
                   lease is not None and list(lease) == want, want, list(lease) if lease else None,
                   "%s holds %s, not its reservation %s %s" % (node["mac"], "no lease" if lease is None else
                                                               "%s %s" % lease, node["ip"], node["name"]))


def _fabric_checks(checks, fabric, tors, nodes, sessions_out):
    for tor in sorted(tors):
        peers = _peers(tors[tor].get("summary"))
        checks.add("frr/%s" % tor, "bgp", tor, "FRR answers on the ToR", peers is not None, "vtysh JSON",
                   "answered" if peers is not None else tors[tor].get("error", "no answer"),
                   "vtysh gave no BGP summary (%s)" % (tors[tor].get("error") or "no answer"))
        tors[tor]["_peers"] = peers or {}
    node_peers = {}
    for name in sorted(nodes):
        seen = nodes[name]
        node_peers[name] = _peers(seen.get("summary"))
        ok = node_peers[name] is not None
        checks.add("frr/%s" % name, "bgp", name, "FRR answers in its container", ok, "vtysh JSON",
                   "answered" if ok else seen.get("error", "no answer"), "FRR does not answer (vtysh: %s)"
                   % (seen.get("error") or "no BGP summary"))

    # Each ToR's learned routes as a set, and how many of them are each server's
    # loopbacks, once per ToR: per session, a scan of the whole fabric would
    # grow with the square of the number of servers.
    loopback_owner = {lo: other_name for other_name, other in fabric["nodes"].items()
                      for fam in fabric["families"] for lo in _loopbacks(other, fam)}
    learned_by_tor, loopbacks_by_tor = {}, {}
    for tor, seen in tors.items():
        learned_by_tor[tor] = set(seen.get("routes") or [])
        loopbacks_by_tor[tor] = collections.Counter(loopback_owner[r] for r in learned_by_tor[tor]
                                                    if r in loopback_owner)

    for name in sorted(nodes):
        node = fabric["nodes"][name]
        own = [p for fam in fabric["families"] for p in announced(node, fam)]
        for up in node["uplinks"]:
            tor, port = up["peer"], up["peer_port"]
            if tor not in tors:
                continue  # a ToR outside the inventory (plain uplink names): nothing to compare with
            learned = learned_by_tor[tor]
            peer = tors[tor]["_peers"].get(port, {})
            state = peer.get("state", "missing")
            # what the ToR passes on to this node: at least every other server's
            # loopback it learned (the fabric policy lets the fabric ranges through)
            others = sum(loopbacks_by_tor[tor].values()) - loopbacks_by_tor[tor][name]
            lacking = [p for p in own if p not in learned]
            session = {"node": name, "node_port": up["name"], "tor": tor, "tor_port": port, "rack": node["rack"],
                       "asn": node["asn"], "remote_as": peer.get("remote_as"), "state": state,
                       "received": peer.get("received"), "expected_received": len(own),
                       "sent": peer.get("sent"), "expected_sent_min": others, "missing_routes": lacking}
            ok = state == "Established" and session["received"] == len(own) and not lacking and \
                (session["sent"] or 0) >= others
            why = "session is %s" % state if state != "Established" else \
                "the ToR received %s of the %d prefixes %s; lacks %s; sent %s (at least %d expected)" % (
                    session["received"], len(own), own, lacking or "none", session["sent"], others)
            check = checks.add("bgp/%s/%s:%s" % (name, tor, port), "bgp", name,
                               "session %s -> %s:%s Established, its prefixes learned" % (up["name"], tor, port),
                               ok, {"state": "Established", "received": len(own), "sent_min": others},
                               {"state": state, "received": session["received"], "sent": session["sent"],
                                "missing": lacking}, why, needs=["frr/%s" % name, "frr/%s" % tor])
            session["status"] = check["status"]
            sessions_out.append(session)

    for tor in sorted(tors):
        switch = fabric["switches"].get(tor, {})
        for up in switch.get("uplinks", []):
            peer = tors[tor]["_peers"].get(up["name"], {})
            state = peer.get("state", "missing")
            check = checks.add("bgp/%s/%s:%s" % (tor, up["peer"], up["peer_port"]), "bgp", tor,
                               "uplink %s -> %s Established" % (up["name"], up["peer"]), state == "Established",
                               {"state": "Established"}, {"state": state}, "session is %s" % state,
                               needs=["frr/%s" % tor])
            sessions_out.append({"node": tor, "node_port": up["name"], "tor": up["peer"], "tor_port": up["peer_port"],
                                 "rack": switch.get("rack"), "asn": switch.get("asn"),
                                 "remote_as": peer.get("remote_as"), "state": state, "received": peer.get("received"),
                                 "sent": peer.get("sent"), "status": check["status"]})

    for name in sorted(nodes):
        node, seen = fabric["nodes"][name], nodes[name]
        blocks = [b for fam in ("4", "6") for b in node["pod_blocks"].get(fam, [])]
        holes = sorted(seen.get("blocks") or [])
        checks.add("blackholes/%s" % name, "bgp", name, "a blackhole route per pod block",
                   sorted(blocks) == holes and bool(blocks), sorted(blocks), holes,
                   "blackholes %s, the model's pod blocks %s" % (holes, sorted(blocks)), needs=["frr/%s" % name])

    def session_ids(host):
        return ["bgp/%s/%s:%s" % (host, up["peer"], up["peer_port"]) for up in fabric["nodes"][host]["uplinks"]
                if up["peer"] in tors]

    for name in sorted(nodes):
        seen = nodes[name]
        peer = seen.get("peer")
        if not peer or peer == name or peer not in nodes:
            continue
        needs = ["frr/%s" % name, "frr/%s" % peer] + session_ids(name) + session_ids(peer)
        target = fabric["nodes"][peer]["loopback"]
        checks.add("reach/%s" % name, "reach", name, "pings %s's loopback %s from its own" % (peer, target),
                   seen.get("ping") is True, True, seen.get("ping"),
                   "no answer from %s's loopback %s" % (peer, target), needs=needs)
        width = len(fabric["nodes"][name]["uplinks"])
        checks.add("ecmp/%s" % name, "reach", name, "a nexthop per uplink to %s's loopback" % peer,
                   seen.get("nexthops") == width, width, seen.get("nexthops"),
                   "%s nexthop(s) to %s's loopback, one per uplink (%d) expected" % (seen.get("nexthops"), peer, width),
                   needs=needs)


def _api_checks(checks, api, expect):
    mcs = api.get("machineconfigs")
    if mcs is not None:
        pools = expect.get("machineconfig_pools") or []
        missing = [p for p in pools if not any(name.startswith("99-%s-" % p) for name in mcs)]
        checks.add("api/machineconfigs", "api", "api", "a MachineConfig per pool with routes", not missing,
                   pools, sorted(mcs), "no MachineConfig of clusternet.fabric for pool(s) %s" % missing)
    networks = api.get("networks")
    if networks is not None:
        for net in expect.get("networks") or []:
            checks.add("api/network/%s" % net, "api", "api", "secondary network %s on the API server" % net,
                       bool(networks.get(net)), "present", "present" if networks.get(net) else "absent",
                       "%s is not on the API server" % net)
    attach = api.get("attach")
    if attach:
        ends = {"from": "%s %s" % (attach["nodes"][0], attach["addresses"][0]),
                "to": "%s %s" % (attach["nodes"][1], attach["addresses"][1])}
        title = "a pod on %s reaches a pod on %s over %s" % (attach["nodes"][0], attach["nodes"][1], attach["network"])
        checks.add("attach/%s" % attach["network"], "network", attach["nodes"][0], title,
                   attach.get("ok") is True, ends, attach.get("ok"),
                   "%s -> %s over %s: %s" % (attach["addresses"][0], attach["addresses"][1], attach["network"],
                                             attach.get("output") or "no answer"),
                   needs=["api/network/%s" % attach["network"]])


def evaluate(cluster, fabric, observed, expect=None):
    """Every check of verify.yml as data.

    cluster: the cluster model (model/cluster); fabric: the fabric model
    (model/fabric) or None; observed: {jumphosts: {host: {leases, dns,
    dns_server, backends, vip, boot: {server, status}}}, tors: {host: {summary, routes}}, nodes:
    {host: {summary, blocks, peer, ping, nexthops}}, api: {machineconfigs,
    networks, attach}}; expect: {machineconfig_pools, networks}.
    """
    observed, expect = observed or {}, expect or {}
    checks, sessions_out = Checks(), []
    jumphosts = observed.get("jumphosts") or {}
    for name in sorted(h for h, seen in jumphosts.items() if seen is None):
        checks.add("reached/%s" % name, "reached", name, "verify.yml read the jump host", False, True, False,
                   UNREACHED)
    jumphosts = {h: seen for h, seen in jumphosts.items() if seen is not None}
    if cluster is not None and jumphosts:
        _lease_checks(checks, cluster, jumphosts)
        for name in sorted(jumphosts):
            _jumphost_checks(checks, cluster, name, jumphosts[name])
        if cluster["lb_floating"]:
            holders = sorted(h for h, seen in jumphosts.items() if seen.get("vip"))
            checks.add("vip", "vip", "jumphost", "exactly one jump host holds the VIP %s" % cluster["lb_address"],
                       len(holders) == 1, 1, holders, "the VIP %s is held by %s" % (cluster["lb_address"],
                                                                                    holders or "no jump host"))
            if cluster.get("lb_address6"):
                # dual-stack: the IPv6 VIP moves with the IPv4 one (keepalived_settings.vip6)
                holders6 = sorted(h for h, seen in jumphosts.items() if seen.get("vip6"))
                checks.add("vip6", "vip", "jumphost", "the IPv6 VIP %s is where the VIP is" % cluster["lb_address6"],
                           holders6 == holders, holders, holders6, "the IPv6 VIP %s is held by %s, the VIP by %s"
                           % (cluster["lb_address6"], holders6 or "no jump host", holders or "no jump host"),
                           needs=["vip"])
    # a router not reached: its FRR check fails with why, its sessions follow from that
    tors = {k: dict(v or {"error": UNREACHED}) for k, v in (observed.get("tors") or {}).items()}
    nodes = {k: v or {"error": UNREACHED} for k, v in (observed.get("nodes") or {}).items()}
    if fabric is not None and (tors or nodes):
        _fabric_checks(checks, fabric, tors, nodes, sessions_out)
    _api_checks(checks, observed.get("api") or {}, expect)

    counts = {s: sum(1 for c in checks.items if c["status"] == s) for s in (PASSED, FAILED, SKIPPED)}
    return {
        "format": FORMAT_VERSION,
        "ok": counts[FAILED] == 0,
        "summary": dict(counts, checks=len(checks.items)),
        "checks": checks.items,
        "failed": [c["message"] for c in checks.items if c["status"] == FAILED],
        "sessions": sessions_out,
        "vip_holders": sorted(h for h, seen in jumphosts.items() if seen.get("vip")),
        "jumphosts": {h: {"dns_server": seen.get("dns_server"), "boot_server": (seen.get("boot") or {}).get("server"),
                          "vip": bool(seen.get("vip"))} for h, seen in sorted(jumphosts.items())},
    }
