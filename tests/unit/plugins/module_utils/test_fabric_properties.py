# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests (Hypothesis) of checks.py and of the fabric pipeline
build_fabric -> model.bgp -> render.frr.

What must hold for any input, however odd:
- a checks function returns a value or raises checks.InputError, nothing else,
  and a string it returns carries no CR, LF or NUL;
- the pipeline, fed a valid two-rack inventory with one scalar replaced
  (a hostvars value, a host name, a setting), raises checks.InputError or
  renders files in which no injected text starts a line of its own, and
  which FRR's own parser (`vtysh -C -f`) accepts.

Every test is derandomized (the same examples on every run) and keeps no
example database, so CI and a developer see the same result.
"""

from __future__ import annotations

import concurrent.futures
import copy
import ipaddress
import math
import os
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.model.fabric import (
    NODE_KEYS,
    SETTINGS,
    SWITCH_KEYS,
    build_fabric,
)
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr import (
    render_node_conf,
    render_switch_conf,
)

VTYSH = "/usr/bin/vtysh"
INJECTED = "injected line"
LINE_BREAKS = ("\r", "\n", "\x00")
AT = checks.At("property test", "host-1")


def deterministic(max_examples):
    """Hypothesis settings of this file: fixed examples, no database, no deadline."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# ---------------------------------------------------------------------------
# (a) every checks function: a value or InputError


def no_breaks_anywhere(value):
    """True when no string inside value (keys too) holds CR, LF or NUL."""
    if isinstance(value, str):
        return not any(char in value for char in LINE_BREAKS)
    if isinstance(value, dict):
        return all(no_breaks_anywhere(k) and no_breaks_anywhere(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(no_breaks_anywhere(item) for item in value)
    return True


# values that are valid for some check: mutated, they probe its edges
VALID_SAMPLES = [
    "ens3", "eth0.100", "swp1", "a" * 15, "node-1", "node-1.example.local.", "52:54:00:7e:00:15",
    "52-54-00-7E-00-15", "10.0.0.1", "10.0.0.1/32", "10.0.0.0/8", "2001:db8::1", "2001:db8::/32",
    "fe80::1%eth0", "65001", "4294967294", "16", "frr.service", "getty@tty1.service", "/etc/frr/frr.conf",
    "/", "8.4", "unique", "rack", "true", "\ud800",
]
SEPARATORS = st.sampled_from(["", "\n", "\r\n", "\r", "\x00", " ", "\t", "/", ":", ".", "%", "\x0b", "\u2028"])
mutated_samples = st.builds(lambda pre, sample, post: pre + sample + post, SEPARATORS,
                            st.sampled_from(VALID_SAMPLES), SEPARATORS)
# values where a check's conversions tend to break
EDGES = [None, True, False, 0, 1, -1, 2 ** 32, 2 ** 64, 1.5, 16.0, float("inf"), float("-inf"), float("nan"),
         "", " ", "\n", "\x00", "\ud800", "\u212a", "\u0661", "1_000", "+1", "0x10", [], {}, (), {1: "a"}]
scalars = st.one_of(
    st.sampled_from(EDGES), st.booleans(), st.integers(), st.floats(), st.text(),
    st.text(alphabet="0123456789abcdefABCDEF:.-/%@ \n\r\x00"), mutated_samples,
)
anything = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.sampled_from(["a", "b", "\n"])), inner,
                    max_size=3)), max_leaves=5)

# name -> how to call it with (value, field, at)
CHECKS = {
    "no_line_breaks": checks.no_line_breaks,
    "text": checks.text,
    "text(allow_empty)": lambda v, f, a: checks.text(v, f, a, allow_empty=True),
    "word": checks.word,
    "boolean": checks.boolean,
    "integer": checks.integer,
    "integer(1..64)": lambda v, f, a: checks.integer(v, f, a, 1, 64),
    "one_of": lambda v, f, a: checks.one_of(v, f, a, ("unique", "rack", 1)),
    "ifname": checks.ifname,
    "dns_label": checks.dns_label,
    "dns_name": checks.dns_name,
    "mac": checks.mac,
    "ip_address": checks.ip_address,
    "ip_address(4)": lambda v, f, a: checks.ip_address(v, f, a, 4),
    "ip_address(6)": lambda v, f, a: checks.ip_address(v, f, a, 6),
    "host_prefix(4)": checks.host_prefix,
    "host_prefix(6)": lambda v, f, a: checks.host_prefix(v, f, a, 6),
    "network": checks.network,
    "network(6)": lambda v, f, a: checks.network(v, f, a, 6),
    "asn": checks.asn,
    "port": checks.port,
    "unit_name": checks.unit_name,
    "abs_path": checks.abs_path,
    "listing": checks.listing,
    "listing(not empty)": lambda v, f, a: checks.listing(v, f, a, allow_empty=False),
    "mapping": checks.mapping,
    "mapping(known)": lambda v, f, a: checks.mapping(v, f, a, known=("a", "b")),
}
# these return the container they were given: its items are someone else's to check
STRUCTURAL = ("listing", "listing(not empty)", "mapping", "mapping(known)")


def returns_a_value_or_raises_input_error(name, value):
    """The property of (a) for one check and one value."""
    try:
        result = CHECKS[name](value, "field", AT)
    except checks.InputError as err:
        assert str(err).startswith("property test: field")
        return
    if name not in STRUCTURAL:
        assert no_breaks_anywhere(result), (name, value, result)
        assert no_breaks_anywhere(str(result)), (name, value, result)
    if name == "no_line_breaks":
        assert result is value


@pytest.mark.parametrize("name", sorted(CHECKS))
@deterministic(200)
@given(value=scalars | anything)
def test_a_check_returns_a_value_or_raises_input_error(name, value):
    """Any value into any checks function: InputError or a result; a returned string has no line break."""
    returns_a_value_or_raises_input_error(name, value)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_edge_value_into_every_check(name):
    """Each of EDGES, and each with a line break appended, into each check: InputError or a clean result."""
    for value in EDGES + [v + "\n" for v in EDGES if isinstance(v, str)]:
        returns_a_value_or_raises_input_error(name, value)


@deterministic(300)
@given(value=st.floats() | st.integers())
def test_is_private_asn_takes_any_number(value):
    """is_private_asn answers a bool for any number (it never raises)."""
    assert isinstance(checks.is_private_asn(value), bool)
    if isinstance(value, float) and math.isnan(value):
        assert checks.is_private_asn(value) is False


# ---------------------------------------------------------------------------
# (b) the fabric pipeline, fed a perturbed valid inventory


SETTINGS_OF_EXAMPLE = {"asn_plan": "rack", "asn_base": 65001, "loopback_ranges": ["10.254.0.0/16"],
                       "pod_ranges": ["10.128.0.0/14"], "bfd": True}


def two_racks():
    """The example fabric: two racks of two ToRs and two servers, two spines."""
    spines = {"spine-0": {"frr_asn": 65500, "frr_loopback": "10.254.255.1/32"},
              "spine-1": {"frr_asn": 65500, "frr_loopback": "10.254.255.2/32"}}
    tors, nodes = {}, {}
    for rack in (1, 2):
        for index, side in enumerate("ab"):
            tors["tor-%d%s" % (rack, side)] = {
                "frr_asn": 65100, "frr_loopback": "10.254.%d.%d/32" % (rack, 250 + index), "frr_rack": "r%d" % rack,
                "frr_uplinks": [{"name": "swp5%d" % s, "spine": "spine-%d" % s, "spine_port": "swp%d%s" % (rack, side)}
                                for s in (0, 1)]}
        for n in (1, 2):
            nodes["node-%d%d" % (rack, n)] = {
                "frr_loopback": "10.254.%d.%d/32" % (rack, n),
                "frr_uplinks": [{"name": "ens%d" % i, "tor": "tor-%d%s" % (rack, side), "tor_port": "swp%d" % n}
                                for i, side in ((1, "a"), (2, "b"))],
                "frr_pod_blocks": ["10.128.%d.%d/26" % (rack, 64 * n)]}
    return {"nodes": nodes, "tors": tors, "spines": spines, "settings": dict(SETTINGS_OF_EXAMPLE)}


def dual_stack():
    """The example fabric with an IPv6 loopback on every router and an IPv6 pod block on every server."""
    inv = two_racks()
    for index, (group, host) in enumerate(host_names(), start=1):
        inv[group][host]["frr_loopback6"] = "2001:db8:ffff::%d/128" % index
    for host, hv in inv["nodes"].items():
        hv["frr_pod_blocks"].append("2001:db8:%s::/64" % host[-2:])
    inv["settings"].update(loopback_ranges=["10.254.0.0/16", "2001:db8:ffff::/48"],
                           pod_ranges=["10.128.0.0/14", "2001:db8::/32"])
    return inv


def _leaves(value, path):
    """The path of every scalar inside value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, path + (index,))
    else:
        yield path


def perturbable_paths():
    """Every place one scalar can go: each leaf of the inventory, each optional
    hostvars key and each setting (present or not)."""
    inv = two_racks()
    paths = set(_leaves({k: inv[k] for k in ("nodes", "tors", "spines")}, ()))
    for group, keys in (("nodes", NODE_KEYS), ("tors", SWITCH_KEYS), ("spines", SWITCH_KEYS)):
        for host in inv[group]:
            paths.update((group, host, key) for key in keys + ("frr_tor_asn",))
    paths.update(("settings", key) for key in SETTINGS)
    return sorted(paths, key=repr)


def host_names():
    """(group, host) of every router of the example, in a fixed order."""
    inv = two_racks()
    return [(group, host) for group in ("nodes", "tors", "spines") for host in sorted(inv[group])]


PATHS = perturbable_paths()
SETTING_PATHS = [p for p in PATHS if p[0] == "settings"]
HOSTVARS_PATHS = [p for p in PATHS if p[0] != "settings"]
HOSTS = host_names()


def _get(inv, path):
    value = inv
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError):
            return None
    return value


def _put(inv, path, value):
    target = inv
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _rename(inv, group, old, new, everywhere):
    """Give a host a new name (everywhere: also in the uplinks that name it)."""
    inv[group] = {(new if name == old else name): hv for name, hv in inv[group].items()}
    if not everywhere:
        return
    uplinks = [up for hosts in (inv["nodes"], inv["tors"]) for hv in hosts.values() for up in hv["frr_uplinks"]]
    for up in uplinks:
        for key in ("tor", "spine"):
            if up.get(key) == old:
                up[key] = new


def _injected(original, separator):
    """The value as it was, then a line break and a line of its own."""
    return ("" if original is None else str(original)) + separator + INJECTED


injections = st.sampled_from(["\n", "\r\n", "\r", "\x00"]).map(lambda sep: ("inject", sep))
# random values, and ones close to valid (so that some perturbations get past
# the checks and reach the rendered file and FRR)
printable = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=16)
dns_labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
plausible_text = st.one_of(
    printable, dns_labels,
    st.sampled_from(["TOR", "SERVERS", "vrf", "default", "10.0.0.1", "ens1", "swp1", "tor-1a", "spine-0", "r1",
                     "r2", "lo", "all", "rack", "unique", "stdout", "syslog", "syslog debugging", "file /tmp/frr.log",
                     "8.4", "9.1", "10.254.1.9/32", "10.128.3.0/26", "2001:db8::1/128", "2001:db8:1::/64",
                     "0.0.0.0/0", "10.128.0.0/14 le 30", "::/0 ge 1 le 128", "65001", "4294967294"]),
)
plausible_numbers = st.one_of(
    st.integers(min_value=0, max_value=2 ** 32 + 1),
    st.sampled_from([0, 1, 2, 9, 10, 16, 64, 65, 255, 256, 1800, 60000, 65534, 65535, 4200000000, 4294967294]))
plausible = st.one_of(plausible_text, plausible_numbers, st.booleans(),
                      st.lists(plausible_text, min_size=1, max_size=2))
anything_else = st.one_of(
    st.text(), st.integers(), st.floats(), st.none(), st.lists(plausible_text | st.integers(), max_size=3),
    st.dictionaries(plausible_text, plausible_text | st.integers(), max_size=3))


def _cidr(addr, length):
    return str(ipaddress.ip_interface("%s/%d" % (addr, length)).network)


ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(str)
networks = st.one_of(st.builds(_cidr, ipv4, st.integers(0, 32)), st.builds(_cidr, ipv6, st.integers(0, 128)))
# what Linux takes as an interface name (checks.ifname): 1-15 bytes, no '/', ':' or white space
ifnames = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2ff, blacklist_characters="/:",
                                         blacklist_categories=("Cc", "Zs", "Zl", "Zp", "Cs")),
                  min_size=1, max_size=7) | st.sampled_from(["TOR", "SERVERS", "SPINES", "LEAVES", "lo", "vrf", "all",
                                                            "10.0.0.1", "peer-group", "!x", "#x", "a!", "..."])
router_names = st.sampled_from([host for _tier, host in HOSTS]) | dns_labels
# the kind of value each key holds, for values close to valid
CLOSE_TO_VALID = {
    "frr_asn": plausible_numbers, "frr_tor_asn": plausible_numbers,
    "frr_loopback": ipv4 | ipv4.map(lambda a: a + "/32") | ipv6, "frr_loopback6": ipv6 | ipv6.map(lambda a: a + "/128"),
    "frr_rack": dns_labels, "name": ifnames, "tor_port": ifnames, "spine_port": ifnames,
    "tor": router_names, "spine": router_names, "frr_pod_blocks": st.lists(networks, min_size=1, max_size=2),
    "asn_plan": st.sampled_from(["unique", "rack"]), "asn_base": plausible_numbers,
    "loopback_ranges": st.lists(networks, min_size=1, max_size=2), "pod_ranges": st.lists(networks, max_size=2),
    "accept_prefixes": st.lists(networks | st.builds("{} le {}".format, networks, st.integers(0, 128)), max_size=2),
    "log": printable | st.sampled_from(["stdout", "syslog", "syslog debugging", "file /tmp/frr.log", "stdout errors"]),
    "version": printable | st.sampled_from(["8.4", "9.1", "10.2.1"]),
}


def close_to_valid(path):
    """Values of the kind that path holds (an index into a list: its items' kind)."""
    key = [p for p in path if isinstance(p, str)][-1]
    if isinstance(path[-1], int) and key == "frr_pod_blocks":
        return networks
    if key in CLOSE_TO_VALID:
        return CLOSE_TO_VALID[key]
    if path[0] == "settings" and (isinstance(SETTINGS[key], bool) or key == "ipv6"):
        return st.booleans()
    return plausible_numbers


@st.composite
def perturbations(draw, values, names):
    """(description, inventory): the example fabric with one thing replaced:
    a host name (one time in ten), a setting (three in ten) or a hostvars
    value; values is a strategy, or a function of the path that gives one."""
    inv = two_racks()
    where = draw(st.integers(0, 9))
    if where == 0:
        group, old = draw(st.sampled_from(HOSTS))
        new = draw(names)
        new = _injected(old, new[1]) if isinstance(new, tuple) else new
        everywhere = draw(st.booleans())
        _rename(inv, group, old, new, everywhere)
        return "rename %s %r -> %r%s" % (group, old, new, " everywhere" if everywhere else ""), inv
    path = draw(st.sampled_from(SETTING_PATHS if where <= 3 else HOSTVARS_PATHS))
    new = draw(values(path) if callable(values) else values)
    new = _injected(_get(inv, path), new[1]) if isinstance(new, tuple) else new
    _put(inv, path, new)
    return "%s = %r" % ("/".join(str(p) for p in path), new), inv


# anything at all, or the value as it was with a line of its own appended
ANY_CHANGE = perturbations(values=st.one_of(injections, plausible, anything_else),
                           names=st.one_of(injections, plausible_text, st.text(), st.integers()))
# values close to valid: more of them get past the checks into frr.conf
CLOSE_CHANGE = perturbations(values=close_to_valid, names=dns_labels | plausible_text)


def render_all(inv):
    """{router: text or the InputError} for every router the fabric has;
    an InputError of build_fabric itself is raised."""
    fabric = build_fabric(copy.deepcopy(inv["nodes"]), copy.deepcopy(inv["tors"]), copy.deepcopy(inv["spines"]),
                          copy.deepcopy(inv["settings"]))
    out = {}
    for name in fabric["nodes"]:
        try:
            out[name] = render_node_conf(fabric, name)
        except checks.InputError as err:
            out[name] = err
    for name in fabric["switches"]:
        try:
            out[name] = render_switch_conf(fabric, name)
        except checks.InputError as err:
            out[name] = err
    return out


def assert_no_injection(what, rendered):
    """No line of any rendered file holds injected text; no CR or NUL at all."""
    for name, conf in rendered.items():
        if isinstance(conf, checks.InputError):
            continue
        lines = [line for line in conf.split("\n") if "injected" in line]
        assert not lines, "%s: %s got %r" % (what, name, lines)
        assert "\r" not in conf and "\x00" not in conf, "%s: %s has CR or NUL" % (what, name)


_VTYSH_SEEN = {}


def _vtysh_one(conf):
    """(ok, output) of `vtysh -C -f` on one frr.conf text."""
    with tempfile.NamedTemporaryFile("w", suffix=".conf", encoding="utf-8", delete=False) as f:
        f.write(conf)
    try:
        res = subprocess.run([VTYSH, "-C", "-f", f.name], capture_output=True, text=True, check=False,
                             errors="replace")
    finally:
        os.unlink(f.name)
    output = res.stdout + res.stderr
    complaints = [line for line in output.splitlines() if "% " in line]
    return res.returncode == 0 and not complaints, "rc %d: %s" % (res.returncode, output.strip())


def vtysh_check(confs):
    """{text: (ok, output)} of `vtysh -C -f` on each frr.conf text: exit code 0
    and no '% ' complaint. Run side by side, each distinct text once."""
    new = sorted(set(confs) - set(_VTYSH_SEEN))
    if new:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            _VTYSH_SEEN.update(zip(new, pool.map(_vtysh_one, new)))
    return {conf: _VTYSH_SEEN[conf] for conf in confs}


@pytest.mark.parametrize("example", [two_racks, dual_stack])
def test_the_example_fabric_renders_and_frr_accepts_it(example):
    """The unperturbed examples: every router renders, and FRR's parser accepts every file."""
    rendered = render_all(example())
    assert sorted(rendered) == sorted(host for _tier, host in HOSTS)
    for name, conf in rendered.items():
        assert isinstance(conf, str), (name, conf)
        assert ("address-family ipv6 unicast" in conf) == (example is dual_stack), name
    verdicts = vtysh_check(list(rendered.values()))
    for name, conf in rendered.items():
        ok, output = verdicts[conf]
        assert ok, "%s: %s" % (name, output)


def rendered_or_refused(what, inv):
    """The rendered files (checked for injected lines), or None when build_fabric refused the input."""
    try:
        rendered = render_all(inv)
    except checks.InputError:
        event("refused by build_fabric")
        return None
    event("rendered")
    assert_no_injection(what, rendered)
    return rendered


@deterministic(800)
@given(case=ANY_CHANGE)
def test_a_perturbed_inventory_is_refused_or_renders_without_injection(case):
    """One scalar replaced anywhere: InputError (and nothing else), or files without an injected line."""
    what, inv = case
    rendered = rendered_or_refused(what, inv)
    if rendered is None:
        return


@deterministic(150)
@given(case=CLOSE_CHANGE)
def test_what_is_rendered_from_a_perturbed_inventory_passes_frr(case):
    """One scalar replaced anywhere: InputError, or FRR's parser (vtysh -C -f) accepts every rendered file."""
    what, inv = case
    rendered = rendered_or_refused(what, inv)
    if rendered is None:
        return
    confs = {name: conf for name, conf in rendered.items() if isinstance(conf, str)}
    verdicts = vtysh_check(list(confs.values()))
    for name, conf in sorted(confs.items()):
        ok, output = verdicts[conf]
        assert ok, "%s: FRR rejects %s.conf: %s" % (what, name, output)
