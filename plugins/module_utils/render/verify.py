# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The verify result (model/verify.evaluate) as a person, a CI system and
Graphviz read it: report lines, JUnit XML, a DOT graph of the fabric. They
only format: every verdict was made in evaluate()."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.clusternet.fabric.plugins.module_utils.model.verify import FAILED, PASSED, SKIPPED

_MARK = {PASSED: "ok", FAILED: "NO", SKIPPED: "skip", None: "-"}
# colours of the picture: a session by its BGP state, a host by its checks
COLOUR = {"ok": "#2e7d32", "failed": "#c62828", "skipped": "#9e9e9e"}
_NODE_FMT = "%-12s %-9s %-16s %-5s %-5s %-5s %s"
_FABRIC_FMT = "%-11s %-5s %-15s %-10s %-11s %-5s %-5s %-4s %-4s %s"
_SHORT = {"api": "api", "machine-config": "mcs", "ingress-http": "http", "ingress-https": "https"}


class _Index(object):
    """The result's checks by id, by subject and by area, built once per report:
    a 1,000-node report looks a check up for every cell, and a scan of all the
    checks per cell would grow with the square of the nodes."""

    def __init__(self, result):
        self.by_id, self.by_subject, self.by_area = {}, {}, {}
        for check in result["checks"]:
            self.by_id[check["id"]] = check
            self.by_subject.setdefault(check["subject"], []).append(check)
            self.by_area.setdefault(check["area"], []).append(check)

    def status(self, cid):
        check = self.by_id.get(cid)
        return None if check is None else check["status"]


def _mark(index, *ids):
    """One cell for one or more checks: NO if any failed, skip if any skipped, ok, or -."""
    states = [s for s in (index.status(cid) for cid in ids) if s is not None]
    for state in (FAILED, SKIPPED, PASSED):
        if state in states:
            return _MARK[state]
    return "-"


def _jumphost_lines(result, index, cluster, name):
    backends = {}
    for check in index.by_area.get("load-balancer", []):
        parts = check["id"].split("/")
        if parts[1] == name and len(parts) == 4:
            mark = _SHORT.get(parts[2], parts[2]) + ("" if check["status"] == PASSED else "=" + str(check["observed"]))
            backends.setdefault(parts[3], []).append(mark)
    seen = result["jumphosts"][name]
    server = seen["dns_server"]
    lines = ["jump host %s   DNS %s" % (name, server),
             _NODE_FMT % ("NODE", "ROLE", "ADDRESS", "LEASE", "A", "PTR", "BACKENDS")]
    for node in cluster["nodes"]:
        six = ["dns/%s/%s/AAAA" % (name, node["name"])] if node.get("ip6") else []
        ptr6 = ["dns/%s/%s/PTR6" % (name, node["name"])] if node.get("ip6") else []
        address = node["ip"] + ((" " + node["ip6"]) if node.get("ip6") else "")
        lines.append(_NODE_FMT % (node["name"], node["role"], address, _mark(index, "dhcp/%s" % node["name"]),
                                  _mark(index, "dns/%s/%s/A" % (name, node["name"]), *six),
                                  _mark(index, "dns/%s/%s/PTR" % (name, node["name"]), *ptr6),
                                  " ".join(backends.get(node["name"], ["-"]))))
    for label, title in (("api", "name api"), ("api-int", "name api-int"), ("*.apps", "wildcard *.apps")):
        for kind in ("A", "AAAA"):
            check = index.by_id.get("dns/%s/%s/%s" % (name, label, kind))
            if check:
                lines.append("%-16s -> %s%s" % (title if kind == "A" else title + " (6)",
                                                " ".join(check["observed"]) or "NO ANSWER",
                                                "" if check["status"] == PASSED else "   NO"))
    boot = [c for c in index.by_area.get("boot", []) if c["subject"] == name]
    if boot:
        good = [c for c in boot if c["status"] == PASSED]
        missing = " ".join(c["id"].split("/")[-1] for c in boot if c["status"] != PASSED)
        lines.append("%-16s -> %s %d/%d%s" % ("boot scripts", seen["boot_server"], len(good), len(boot),
                                              " missing " + missing if missing else ""))
    return lines


def report_lines(result, cluster=None, fabric=None):
    """The readable report: a table per jump host, a row per BGP session, the API
    server's objects, then every failed check and the counts."""
    lines = []
    index = _Index(result)
    if cluster is not None:
        head = "cluster %s   load balancer %s" % (
            cluster["domain"], " ".join(a for a in (cluster["lb_address"], cluster.get("lb_address6")) if a))
        if cluster["lb_floating"]:
            head += "   VIP on " + (" ".join(result["vip_holders"]) or "NO jump host")
        lines.append(head)
        for name in sorted(result["jumphosts"]):
            lines += _jumphost_lines(result, index, cluster, name)
    servers = [s for s in result["sessions"] if fabric is None or s["node"] in fabric["nodes"]]
    if servers:
        lines.append(_FABRIC_FMT % ("FABRIC NODE", "ASN", "LOOPBACK", "TOR PORT", "SESSION", "RCVD", "SENT",
                                    "HOLE", "PING", "ECMP"))
        for s in servers:
            loopback = fabric["nodes"][s["node"]]["loopback"] if fabric else "-"
            lines.append(_FABRIC_FMT % (
                s["node"], s["asn"], loopback, "%s:%s" % (s["tor"], s["tor_port"]),
                s["state"].replace("missing", "NO SESSION"),
                "%s/%s" % ("-" if s["received"] is None else s["received"], s["expected_received"]),
                "-" if s["sent"] is None else s["sent"], _mark(index, "blackholes/%s" % s["node"]),
                _mark(index, "reach/%s" % s["node"]), _ecmp_cell(index, s["node"])))
    for check in result["checks"]:
        mark = _MARK[check["status"]]
        if check["id"] == "api/machineconfigs":
            lines.append("%-16s %s   %s" % ("machineconfigs", " ".join(check["observed"]) or "NONE", mark))
        elif check["id"].startswith("api/network/"):
            lines.append("%-16s %s" % (check["id"].split("/", 2)[2], "on the API server" if check["status"] == PASSED
                                       else "NOT on the API server"))
        elif check["area"] == "network":
            lines.append("%-16s %s -> %s ping %s" % ("attach (%s)" % check["id"].split("/", 1)[1],
                                                     check["expected"]["from"], check["expected"]["to"], mark))
    failed = [c for c in result["checks"] if c["status"] == FAILED]
    for check in failed:
        lines.append("FAILED %s: %s" % (check["id"], check["message"]))
    summary = result["summary"]
    lines.append("checks: %d passed, %d failed, %d skipped (of %d)" % (
        summary[PASSED], summary[FAILED], summary[SKIPPED], summary["checks"]))
    return lines


def _ecmp_cell(index, node):
    check = index.by_id.get("ecmp/%s" % node)
    if check is None:
        return "-"
    return "%s%s" % ("-" if check["observed"] is None else check["observed"],
                     "" if check["status"] == PASSED else " " + _MARK[check["status"]])


def junit_xml(result, name="clusternet.fabric verify"):
    """JUnit XML: a test suite per area, a test case per check (skipped ones as skipped)."""
    summary = result["summary"]
    root = ET.Element("testsuites", name=name, tests=str(summary["checks"]), failures=str(summary[FAILED]),
                      skipped=str(summary[SKIPPED]), errors="0")
    suites = {}
    for check in result["checks"]:
        suite = suites.get(check["area"])
        if suite is None:
            suite = suites[check["area"]] = ET.SubElement(root, "testsuite", name=check["area"])
        case = ET.SubElement(suite, "testcase", classname="clusternet.fabric.verify." + check["area"],
                             name=check["id"])
        if check["status"] == FAILED:
            ET.SubElement(case, "failure", message=check["message"], type="verify").text = (
                "expected %s, observed %s" % (check["expected"], check["observed"]))
        elif check["status"] == SKIPPED:
            ET.SubElement(case, "skipped", message=check["message"])
    by_area = _Index(result).by_area
    for area, suite in suites.items():
        cases = by_area[area]
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c["status"] == FAILED)))
        suite.set("skipped", str(sum(1 for c in cases if c["status"] == SKIPPED)))
        suite.set("errors", "0")
    return ET.tostring(root, encoding="unicode") + "\n"


def _dot_id(text):
    """A DOT quoted string; a line break in the text becomes a line of the label."""
    return '"%s"' % str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _host_colour(index, host):
    statuses = [c["status"] for c in index.by_subject.get(host, [])]
    if FAILED in statuses:
        return COLOUR["failed"]
    if SKIPPED in statuses:
        return COLOUR["skipped"]
    return COLOUR["ok"]


def fabric_dot(result, fabric):
    """The fabric as Graphviz DOT: a box per rack with its ToRs and servers, the
    spines above, an edge per BGP session coloured by its state (a dual-homed
    server has one edge per uplink: its ECMP paths)."""
    lines = ["graph fabric {", '  graph [rankdir=BT, fontname="sans-serif", label="clusternet.fabric: BGP sessions '
             '(green Established, red down)"];', '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", '
             'fontname="sans-serif"];', '  edge [penwidth=2, fontname="sans-serif", fontsize=9];']
    checks = _Index(result)
    for index, (rack, members) in enumerate(sorted(fabric["racks"].items())):
        lines.append("  subgraph cluster_%d {" % index)
        lines.append("    label=%s;" % _dot_id("rack " + str(rack)))
        for tor in members["tors"]:
            switch = fabric["switches"][tor]
            lines.append("    %s [label=%s, color=%s, penwidth=2];" % (
                _dot_id(tor), _dot_id("%s\nAS %s" % (tor, switch["asn"])), _dot_id(_host_colour(checks, tor))))
        for name in members["nodes"]:
            node = fabric["nodes"][name]
            ecmp = checks.by_id.get("ecmp/%s" % name, {}).get("observed")
            label = "%s\nAS %s  %s" % (name, node["asn"], node["loopback"] or node["loopback6"])
            if ecmp is not None:
                label += "\nECMP %s" % ecmp
            lines.append("    %s [label=%s, color=%s, penwidth=2];" % (
                _dot_id(name), _dot_id(label), _dot_id(_host_colour(checks, name))))
        lines.append("  }")
    for name, switch in sorted(fabric["switches"].items()):
        if switch["tier"] == "spine":
            lines.append("  %s [label=%s, color=%s];" % (_dot_id(name), _dot_id("%s\nAS %s" % (name, switch["asn"])),
                                                         _dot_id(_host_colour(checks, name))))
    for s in result["sessions"]:
        colour = COLOUR["ok"] if s["state"] == "Established" else COLOUR["failed"]
        lines.append("  %s -- %s [color=%s, label=%s, class=%s];" % (
            _dot_id(s["node"]), _dot_id(s["tor"]), _dot_id(colour),
            _dot_id("%s - %s\n%s" % (s["node_port"], s["tor_port"], s["state"])),
            _dot_id("session %s %s" % ("established" if s["state"] == "Established" else "down", s["status"]))))
    lines.append("}")
    return "\n".join(lines) + "\n"
