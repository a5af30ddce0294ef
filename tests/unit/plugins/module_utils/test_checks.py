# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of checks.py, the collection's one validation module: what each
check accepts (and normalises it to), what it refuses, and the one message
shape `<scope>: <field> of <host> is <value!r>: <why>`."""

from __future__ import annotations

import ipaddress

import pytest

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

SCOPE = "test inventory"
AT = checks.At(SCOPE, "node-1")
NO_HOST = checks.At(SCOPE)
NOT_ASN = "not an AS number (use asplain, 1..4294967295)"
NOT_WHOLE = "must be a whole number"
ZONE = "an IPv6 zone id ('%...') is not allowed here"


def refusal(func, value, *args, at=AT, field="f", **kwargs):
    """The InputError func raises for value."""
    with pytest.raises(checks.InputError) as err:
        func(value, field, at, *args, **kwargs)
    return err.value


def message(value, why, field="f", host="node-1"):
    """The message checks gives for value: the one shape."""
    where = field if host is None else "%s of %s" % (field, host)
    return "%s: %s is %r: %s" % (SCOPE, where, value, why)


def assert_refused(func, value, why, *args, field="f", **kwargs):
    """func refuses value with exactly the message of the one shape."""
    err = refusal(func, value, *args, field=field, **kwargs)
    assert str(err) == message(value, why, field=field)
    assert (err.scope, err.field, err.value, err.why, err.host) == (SCOPE, field, value, why, "node-1")


def line_break_why(char):
    """The why of no_line_breaks for char."""
    return "contains a line break or NUL (%r), which would add a line to the rendered file" % char


# -- InputError and At ------------------------------------------------------


def test_input_error_names_field_host_value_and_why():
    """InputError: a ValueError whose message is '<scope>: <field> of <host> is <value!r>: <why>'."""
    err = checks.InputError(SCOPE, "frr_asn", "x", "bad", host="tor-1")
    assert isinstance(err, ValueError)
    assert str(err) == "test inventory: frr_asn of tor-1 is 'x': bad"
    assert (err.scope, err.field, err.value, err.why, err.host) == (SCOPE, "frr_asn", "x", "bad", "tor-1")


def test_input_error_without_host_leaves_out_the_host():
    """A setting of the whole run has no host: '<scope>: <field> is <value!r>: <why>'."""
    err = checks.InputError(SCOPE, "frr_log", 5, "bad")
    assert str(err) == "test inventory: frr_log is 5: bad"
    assert err.host is None


def test_at_fail_raises_with_its_scope_and_host():
    """At.fail raises the InputError of its scope and host."""
    with pytest.raises(checks.InputError, match=r"^test inventory: f of node-1 is \[1\]: why$"):
        AT.fail("f", [1], "why")
    with pytest.raises(checks.InputError, match=r"^test inventory: f is None: why$"):
        NO_HOST.fail("f", None, "why")


def test_at_host_gives_a_new_at_for_another_host():
    """At.host_ keeps the scope, changes the host, leaves the original alone."""
    other = AT.host_("node-2")
    assert (other.scope, other.host) == (SCOPE, "node-2")
    assert (AT.scope, AT.host) == (SCOPE, "node-1")


def test_a_host_of_zero_or_empty_is_still_named():
    """Only host=None means 'no host': a falsy host is still part of the message."""
    err = refusal(checks.boolean, 1, at=checks.At(SCOPE, 0))
    assert str(err) == "test inventory: f of 0 is 1: must be true or false"


# -- missing, no_line_breaks, text, word, boolean ---------------------------


@pytest.mark.parametrize("value, expected", [
    (None, True), ("", True), (0, False), (False, False), ([], False), ({}, False), ("0", False), (" ", False),
])
def test_missing_is_none_or_empty_string_only(value, expected):
    """missing(): None and '' only; 0, False and empty containers are values."""
    assert checks.missing(value) is expected


@pytest.mark.parametrize("value", ["a", "", 5, None, 1.5, ["a", {"b": "c"}], {"k": ["v"]}, ("x",), "tab\there"])
def test_no_line_breaks_returns_the_value_itself(value):
    """no_line_breaks(): a value without CR/LF/NUL comes back unchanged (the same object)."""
    assert checks.no_line_breaks(value, "f", AT) is value


@pytest.mark.parametrize("char", ["\n", "\r", "\x00"])
@pytest.mark.parametrize("template", ["a%s", "%sa", "a%sb", "%s"])
def test_no_line_breaks_refuses_cr_lf_nul_anywhere_in_a_string(char, template):
    """CR, LF or NUL at the start, the end or inside a string is refused, naming the character."""
    value = template % char
    why = line_break_why(char)
    assert_refused(checks.no_line_breaks, value, why)


@pytest.mark.parametrize("value, field, bad", [
    (["ok", "x\n"], "f[1]", "x\n"),
    ({"k": "v\r"}, "f.k", "v\r"),
    ({"k": ["a", {"deep": "x\x00y"}]}, "f.k[1].deep", "x\x00y"),
    ({"k\n": "v"}, "f", "k\n"),
    (("t", "u\n"), "f[1]", "u\n"),
])
def test_no_line_breaks_walks_lists_and_dicts_and_names_the_path(value, field, bad):
    """Lists, tuples and dicts are walked (keys too): the message names the path to the string."""
    err = refusal(checks.no_line_breaks, value)
    assert (err.field, err.value) == (field, bad)
    assert str(err) == message(bad, line_break_why(bad.strip("tuvxyk")[0]), field=field)


@pytest.mark.parametrize("value, expected", [("a b", "a b"), (5, "5"), (-3, "-3"), (1.5, "1.5"), ("é", "é")])
def test_text_accepts_strings_and_numbers_as_their_text(value, expected):
    """text(): a one-line string; numbers are taken as their text."""
    assert checks.text(value, "f", AT) == expected


@pytest.mark.parametrize("value", [True, False, None, [], {}, ["a"], b"bytes"])
def test_text_refuses_bools_containers_and_none(value):
    """text(): a bool is not text (YAML 'yes' would become 'True'), nor is None or a container."""
    assert_refused(checks.text, value, "must be a string")


def test_text_refuses_empty_unless_allowed():
    """text(): '' is refused, unless allow_empty."""
    assert_refused(checks.text, "", "must not be empty")
    assert checks.text("", "f", AT, allow_empty=True) == ""


@pytest.mark.parametrize("value", ["8.4", "a_b./:=,@+-", "x", 10, 8.4])
def test_word_accepts_one_command_line_word(value):
    """word(): letters, digits and _./:=,@+-; numbers as their text."""
    assert checks.word(value, "f", AT) == str(value)


@pytest.mark.parametrize("value", ["a b", "a'b", 'a"b', "a;b", "$(x)", "a\tb", "`x`", "é"])
def test_word_refuses_spaces_quotes_and_shell_characters(value):
    """word(): no spaces, quotes or other characters a shell would act on."""
    assert_refused(checks.word, value, "one word of letters, digits and _./:=,@+- (no spaces or quotes)")


@pytest.mark.parametrize("value", [True, False])
def test_boolean_accepts_true_and_false(value):
    """boolean(): True and False only."""
    assert checks.boolean(value, "f", AT) is value


@pytest.mark.parametrize("value", [1, 0, "true", "yes", "false", None, 1.0, []])
def test_boolean_refuses_numbers_and_strings(value):
    """boolean(): 1, 'true' or 'yes' is not a bool (Ansible gives real bools for YAML booleans)."""
    assert_refused(checks.boolean, value, "must be true or false")


# -- integer, port, one_of: the bool-vs-int pitfalls --------------------------


@pytest.mark.parametrize("value, expected", [
    (16, 16), (0, 0), (-3, -3), (16.0, 16), ("16", 16), (" 16 ", 16), ("+5", 5), ("-5", -5), ("007", 7),
    (2 ** 70, 2 ** 70),
])
def test_integer_accepts_whole_numbers_and_their_decimal_text(value, expected):
    """integer(): an int, a float without fraction, or ASCII decimal digits -> an int."""
    result = checks.integer(value, "f", AT)
    assert result == expected and isinstance(result, int) and not isinstance(result, bool)


@pytest.mark.parametrize("value", [
    True, False, 1.5, float("inf"), float("-inf"), float("nan"), None, [], {}, "", "x", "1.0", "1_000", "0x10",
    "1e3", "\u0661", "\uff11", "1 6",
])
def test_integer_refuses_bools_fractions_and_odd_text(value):
    """integer(): no bools, fractions, inf/nan, underscores or non-ASCII digits."""
    assert_refused(checks.integer, value, NOT_WHOLE)


@pytest.mark.parametrize("value, char", [("16\n", "\n"), ("\n16", "\n"), ("16\r\n", "\r"), ("16\x00", "\x00")])
def test_integer_refuses_text_with_line_breaks(value, char):
    """integer(): '16\\n' is refused although int() would strip the newline."""
    assert_refused(checks.integer, value, line_break_why(char))


@pytest.mark.parametrize("value", [0, 65, -1, "65"])
def test_integer_refuses_values_out_of_range(value):
    """integer(minimum, maximum): both bounds inclusive; the message gives the range."""
    assert_refused(checks.integer, value, "out of range 1..64", 1, 64)


def test_integer_range_bounds_are_inclusive():
    """integer(): the bounds themselves are in range."""
    assert [checks.integer(v, "f", AT, 1, 64) for v in (1, 64, "64")] == [1, 64, 64]


@pytest.mark.parametrize("value, expected", [(1, 1), (179, 179), (65535, 65535), ("80", 80), (443.0, 443)])
def test_port_accepts_1_to_65535(value, expected):
    """port(): a whole number 1..65535."""
    assert checks.port(value, "f", AT) == expected


@pytest.mark.parametrize("value, why", [
    (0, "out of range 1..65535"), (65536, "out of range 1..65535"), (-1, "out of range 1..65535"),
    (True, NOT_WHOLE), ("80\n", line_break_why("\n")), ("http", NOT_WHOLE),
])
def test_port_refuses(value, why):
    """port(): 0, 65536, True (== 1 in Python) and text that is not a number are refused."""
    assert_refused(checks.port, value, why)


@pytest.mark.parametrize("value, choices", [("rack", ("unique", "rack")), (1, (1, 2)), (True, (True, "x"))])
def test_one_of_accepts_a_choice(value, choices):
    """one_of(): the value itself comes back."""
    assert checks.one_of(value, "f", AT, choices) is value


@pytest.mark.parametrize("value, choices, why", [
    ("Rack", ("unique", "rack"), "one of unique, rack"),
    ("rack\n", ("unique", "rack"), "one of unique, rack"),
    (True, (1, 2), "one of 1, 2"),
    (1, (True, False), "one of True, False"),
    (0, (False, "x"), "one of False, x"),
    (None, ("a",), "one of a"),
    ([], ("a",), "one of a"),
])
def test_one_of_refuses_other_values_and_bools_for_numbers(value, choices, why):
    """one_of(): exact choices only; True is not 1 and 0 is not False."""
    assert_refused(checks.one_of, value, why, choices)


# -- interface names ------------------------------------------------------------


@pytest.mark.parametrize("value", ["ens3", "eth0.100", "swp1", "a", "a" * 15, "\u00e9" * 7, "br-ex", "...", "lo"])
def test_ifname_accepts_linux_interface_names(value):
    """ifname(): 1-15 bytes without '/', ':' or white space (a VLAN's '.' is fine; 'é' is 2 bytes)."""
    assert checks.ifname(value, "f", AT) == value


@pytest.mark.parametrize("value, why", [
    ("a" * 16, "interface name longer than 15 characters"),
    ("\u00e9" * 8, "interface name longer than 15 characters"),
    ("eth0/1", "not a valid Linux interface name (no '/', ':' or spaces)"),
    ("eth0:1", "not a valid Linux interface name (no '/', ':' or spaces)"),
    ("eth 0", "not a valid Linux interface name (no '/', ':' or spaces)"),
    ("eth\t0", "not a valid Linux interface name (no '/', ':' or spaces)"),
    ("eth\u00a00", "not a valid Linux interface name (no '/', ':' or spaces)"),
    (".", "not a valid Linux interface name (no '/', ':' or spaces)"),
    ("..", "not a valid Linux interface name (no '/', ':' or spaces)"),
    ("", "not an interface name"),
    (None, "not an interface name"),
    (3, "not an interface name"),
    (["ens3"], "not an interface name"),
    ("\ud800", "not an interface name"),
    ("ens3\n", line_break_why("\n")),
    ("ens3\x00", line_break_why("\x00")),
])
def test_ifname_refuses(value, why):
    """ifname(): too long (in bytes), '/', ':', white space, '.', '..', not a string, line breaks."""
    assert_refused(checks.ifname, value, why)


# -- DNS labels and names ---------------------------------------------------------


@pytest.mark.parametrize("value", ["a", "0", "node-1", "a" * 63, "1a", "a-b-c"])
def test_dns_label_accepts_rfc1123_labels(value):
    """dns_label(): lower-case letters, digits and '-', 1-63, not starting or ending with '-'."""
    assert checks.dns_label(value, "f", AT) == value


@pytest.mark.parametrize("value", [
    "", "a" * 64, "-a", "a-", "A", "Node-1", "a.b", "a_b", "a b", "\u212a", "a\n", 1, None, True,
])
def test_dns_label_refuses(value):
    """dns_label(): upper case, dots, '_', a leading/trailing '-', > 63, non-ASCII, line breaks, non-strings."""
    assert_refused(checks.dns_label, value, "not a DNS label (lower-case letters, digits and '-', at most 63)")


@pytest.mark.parametrize("value, expected", [
    ("node-1", "node-1"), ("Node-1.Example.Local", "node-1.example.local"),
    ("node-1.example.local.", "node-1.example.local"), ("a.b.c", "a.b.c"),
    (".".join(["a" * 63] * 3 + ["a" * 61]), ".".join(["a" * 63] * 3 + ["a" * 61])),
])
def test_dns_name_accepts_and_returns_lower_case_without_the_dot(value, expected):
    """dns_name(): RFC 1123 labels; lower-cased, one trailing dot dropped; 253 characters at most."""
    assert checks.dns_name(value, "f", AT) == expected


@pytest.mark.parametrize("value, why", [
    ("", "missing"), (None, "missing"), (5, "missing"),
    (".", "not a DNS name (label '')"), ("a..", "not a DNS name (label '')"),
    ("a..b", "not a DNS name (label '')"), (".a", "not a DNS name (label '')"),
    ("a_b.c", "not a DNS name (label 'a_b')"), ("-a.b", "not a DNS name (label '-a')"),
    ("a." + "b" * 64, "not a DNS name (label '%s')" % ("b" * 64)),
    (".".join(["a" * 63] * 3 + ["a" * 62]), "longer than 253 characters"),
    ("\u212a", "not a DNS name (ASCII letters, digits, '-' and '.')"),
    ("node-1\n", line_break_why("\n")),
    ("node-1.\n", line_break_why("\n")),
])
def test_dns_name_refuses(value, why):
    """dns_name(): empty labels (also several trailing dots), bad labels, > 253, non-ASCII (the Kelvin
    sign lower-cases to 'k'), line breaks."""
    assert_refused(checks.dns_name, value, why)


# -- MACs -------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("52:54:00:7e:00:15", "52:54:00:7e:00:15"), ("52:54:00:7E:00:15", "52:54:00:7e:00:15"),
    ("52-54-00-7e-00-15", "52:54:00:7e:00:15"), (" 52:54:00:7e:00:15 ", "52:54:00:7e:00:15"),
    ("02:00:00:00:00:01", "02:00:00:00:00:01"), ("00:00:00:00:00:00", "00:00:00:00:00:00"),
])
def test_mac_accepts_unicast_and_normalises(value, expected):
    """mac(): six hex pairs (':' or '-'), returned lower case with ':' (locally administered is fine)."""
    assert checks.mac(value, "f", AT) == expected


@pytest.mark.parametrize("value", ["01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "03:00:00:00:00:00", "33:33:00:00:00:01"])
def test_mac_refuses_multicast(value):
    """mac(): the I/G bit set (multicast, broadcast) cannot be a NIC's address."""
    assert_refused(checks.mac, value, "a multicast MAC cannot be a NIC address")


@pytest.mark.parametrize("value, why", [
    (None, "missing"), ("", "missing"),
    ("5254007e0015", "not a MAC address (want six hex pairs, e.g. 52:54:00:7e:00:15)"),
    ("zz:54:00:7e:00:15", "not a MAC address (want six hex pairs, e.g. 52:54:00:7e:00:15)"),
    ("52:54:00:7e:00", "not a MAC address (want six hex pairs, e.g. 52:54:00:7e:00:15)"),
    ("52:54:00:7e:00:15:00", "not a MAC address (want six hex pairs, e.g. 52:54:00:7e:00:15)"),
    ("52:54:00:7e:0:15", "not a MAC address (want six hex pairs, e.g. 52:54:00:7e:00:15)"),
    (525400, "not a MAC address (want six hex pairs, e.g. 52:54:00:7e:00:15)"),
    (True, "must be a string"),
    ("52:54:00:7e:00:15\n", line_break_why("\n")),
])
def test_mac_refuses(value, why):
    """mac(): missing, malformed, not a string, line breaks."""
    assert_refused(checks.mac, value, why)


# -- IP addresses and networks: families -------------------------------------------


@pytest.mark.parametrize("value, version, expected", [
    ("192.168.1.1", None, ipaddress.IPv4Address("192.168.1.1")),
    ("2001:db8::1", None, ipaddress.IPv6Address("2001:db8::1")),
    ("10.0.0.1", 4, ipaddress.IPv4Address("10.0.0.1")),
    ("2001:DB8::1", 6, ipaddress.IPv6Address("2001:db8::1")),
    ("::ffff:10.0.0.1", 6, ipaddress.IPv6Address("::ffff:10.0.0.1")),
])
def test_ip_address_accepts_and_returns_the_address(value, version, expected):
    """ip_address(): either family, or the one asked for; an ipaddress object comes back."""
    assert checks.ip_address(value, "f", AT, version) == expected


@pytest.mark.parametrize("value, version, why", [
    ("2001:db8::1", 4, "not an IPv4 address"),
    ("::ffff:10.0.0.1", 4, "not an IPv4 address"),
    ("10.0.0.1", 6, "not an IPv6 address"),
    ("10.0.0.1/32", None, "not an IP address"),
    ("010.0.0.1", None, "not an IP address"),
    ("10.0.0.256", None, "not an IP address"),
    (" 10.0.0.1", None, "not an IP address"),
    ("host", None, "not an IP address"),
    (167772161, None, "not an IP address"),
    ("fe80::1%eth0", None, ZONE),
    (None, None, "missing"), ("", None, "missing"),
    (True, None, "must be a string"),
    ("10.0.0.1\n", None, line_break_why("\n")),
])
def test_ip_address_refuses(value, version, why):
    """ip_address(): the other family, a prefix, leading zeros, a zone id, a bare integer, line breaks."""
    assert_refused(checks.ip_address, value, why, version)


@pytest.mark.parametrize("value, version, expected", [
    ("10.0.0.1", 4, "10.0.0.1"), ("10.0.0.1/32", 4, "10.0.0.1"), ("10.0.0.1/255.255.255.255", 4, "10.0.0.1"),
    ("2001:db8::1", 6, "2001:db8::1"), ("2001:db8::1/128", 6, "2001:db8::1"),
])
def test_host_prefix_accepts_a_single_address(value, version, expected):
    """host_prefix(): an address with or without its full-length prefix -> the address."""
    assert checks.host_prefix(value, "f", AT, version) == ipaddress.ip_address(expected)


def test_host_prefix_defaults_to_ipv4():
    """host_prefix(): version 4 unless told otherwise."""
    assert_refused(checks.host_prefix, "2001:db8::1", "not an IPv4 address")


@pytest.mark.parametrize("value, version, why", [
    ("10.0.0.1/24", 4, "must be a single address (/32)"),
    ("10.0.0.0/31", 4, "must be a single address (/32)"),
    ("2001:db8::1/64", 6, "must be a single address (/128)"),
    ("10.0.0.1/32", 6, "not an IPv6 address"),
    ("2001:db8::1/128", 4, "not an IPv4 address"),
    ("10.0.0.1/33", 4, "not an IP address"),
    ("fe80::1%eth0/128", 6, ZONE),
    ("fe80::1%eth0", 6, ZONE),
    (None, 4, "missing"),
    ("10.0.0.1/32\n", 4, line_break_why("\n")),
])
def test_host_prefix_refuses(value, version, why):
    """host_prefix(): shorter prefixes, the other family, a zone id, line breaks."""
    assert_refused(checks.host_prefix, value, why, version)


@pytest.mark.parametrize("value, version, expected", [
    ("10.0.0.0/8", None, "10.0.0.0/8"), ("10.128.1.64/26", 4, "10.128.1.64/26"), ("0.0.0.0/0", 4, "0.0.0.0/0"),
    ("10.0.0.1", 4, "10.0.0.1/32"), ("2001:DB8::/32", 6, "2001:db8::/32"), ("::/0", None, "::/0"),
])
def test_network_accepts_cidr_with_host_bits_zero(value, version, expected):
    """network(): CIDR with the host bits zero (a bare address is its /32 or /128)."""
    assert checks.network(value, "f", AT, version) == ipaddress.ip_network(expected)


@pytest.mark.parametrize("value, version, why", [
    ("10.0.0.1/8", None, "has host bits set; the network is 10.0.0.0/8"),
    ("10.0.0.0/33", None, "not a network in CIDR form with its host bits zero "
                          "('10.0.0.0/33' does not appear to be an IPv4 or IPv6 network)"),
    ("2001:db8::/32", 4, "not an IPv4 address"),
    ("10.0.0.0/8", 6, "not an IPv6 address"),
    ("fe80::%eth0/64", None, ZONE),
    (None, None, "missing"),
    ("10.0.0.0/8\n", None, line_break_why("\n")),
])
def test_network_refuses(value, version, why):
    """network(): host bits set, a bad length, the other family, a zone id, line breaks."""
    assert_refused(checks.network, value, why, version)


# -- AS numbers -------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (1, 1), (65001, 65001), ("65001", 65001), (64512, 64512), (65534, 65534), (65536, 65536),
    (4200000000, 4200000000), (4294967294, 4294967294), ("4294967294", 4294967294),
])
def test_asn_accepts_asplain_1_to_4294967294(value, expected):
    """asn(): a 4-byte AS number in asplain, as a number or its digits."""
    result = checks.asn(value, "f", AT)
    assert result == expected and isinstance(result, int) and not isinstance(result, bool)


@pytest.mark.parametrize("value, why", [
    (0, "out of range 1..4294967295"),
    ("0", "out of range 1..4294967295"),
    (4294967296, "out of range 1..4294967295"),
    (23456, "reserved AS number (AS_TRANS 23456, 65535, 4294967295)"),
    (65535, "reserved AS number (AS_TRANS 23456, 65535, 4294967295)"),
    (4294967295, "reserved AS number (AS_TRANS 23456, 65535, 4294967295)"),
    ("23456", "reserved AS number (AS_TRANS 23456, 65535, 4294967295)"),
    (True, NOT_ASN), (False, NOT_ASN), (1.5, NOT_ASN), (65001.0, NOT_ASN),
    ("1.10", NOT_ASN), ("-1", NOT_ASN), (" 65001", NOT_ASN), ("65001 ", NOT_ASN), ("", NOT_ASN),
    ("\u0661\u0662", NOT_ASN), (None, NOT_ASN), ([65001], NOT_ASN),
    ("65001\n", line_break_why("\n")),
])
def test_asn_refuses(value, why):
    """asn(): 0, too big, AS_TRANS and the last ASNs, bools (True == 1), floats, asdot, odd text."""
    assert_refused(checks.asn, value, why)


@pytest.mark.parametrize("number, expected", [
    (64511, False), (64512, True), (65001, True), (65534, True), (65535, False), (13335, False),
    (4199999999, False), (4200000000, True), (4294967294, True), (4294967295, False),
])
def test_is_private_asn_knows_the_rfc6996_ranges(number, expected):
    """is_private_asn(): 64512-65534 and 4200000000-4294967294."""
    assert checks.is_private_asn(number) is expected


# -- unit names and paths ------------------------------------------------------


@pytest.mark.parametrize("value", [
    "frr.service", "getty@tty1.service", "sys-devices-x.mount", "a\\x2db.service", "kubelet.socket", "x.timer",
    "machine.slice", "-.mount", "a:b_c.d.target",
])
def test_unit_name_accepts_systemd_unit_names(value):
    """unit_name(): systemd's characters and one of the unit type suffixes."""
    assert checks.unit_name(value, "f", AT) == value


@pytest.mark.parametrize("value", [
    "frr", "frr.conf", "frr.service.bak", "frr service.service", "", ".service", "frr.Service", "x" * 248 + ".service",
    "frr.service\n", "frr.service\x00", "\nfrr.service", None, 1, ["frr.service"],
])
def test_unit_name_refuses(value):
    """unit_name(): no suffix, an unknown suffix, spaces, > 255 characters, line breaks, not a string."""
    assert_refused(checks.unit_name, value, "not a systemd unit name (e.g. frr.service)")


@pytest.mark.parametrize("value", ["/", "/etc/frr/frr.conf", "/etc", "/a b/c", "/a.b/.c"])
def test_abs_path_accepts_clean_absolute_paths(value):
    """abs_path(): absolute and clean (dot files are fine)."""
    assert checks.abs_path(value, "f", AT) == value


@pytest.mark.parametrize("value, why", [
    ("etc/frr", "not an absolute path"), ("", "not an absolute path"), ("./x", "not an absolute path"),
    (None, "not an absolute path"), (1, "not an absolute path"),
    ("/etc/", "not a clean path (no '.', '..', '//' or trailing '/')"),
    ("//etc", "not a clean path (no '.', '..', '//' or trailing '/')"),
    ("/etc//frr", "not a clean path (no '.', '..', '//' or trailing '/')"),
    ("/etc/./frr", "not a clean path (no '.', '..', '//' or trailing '/')"),
    ("/etc/../root", "not a clean path (no '.', '..', '//' or trailing '/')"),
    ("/etc/frr\n", line_break_why("\n")),
    ("/etc/frr\r", line_break_why("\r")),
])
def test_abs_path_refuses(value, why):
    """abs_path(): relative, '//', '.', '..', a trailing '/', line breaks."""
    assert_refused(checks.abs_path, value, why)


# -- listing and mapping ------------------------------------------------------


@pytest.mark.parametrize("value, expected", [(None, []), ([], []), ([1, "a"], [1, "a"]), ((1, 2), [1, 2])])
def test_listing_accepts_lists_tuples_and_none(value, expected):
    """listing(): a list or tuple (None means empty) -> a new list."""
    result = checks.listing(value, "f", AT)
    assert result == expected and isinstance(result, list)
    assert result is not value


@pytest.mark.parametrize("value", ["ens3", "", {}, {"a": 1}, 5, True])
def test_listing_refuses_strings_and_mappings(value):
    """listing(): a single string is not a list (nor a dict, number or bool)."""
    assert_refused(checks.listing, value, "must be a list")


@pytest.mark.parametrize("value", [None, [], ()])
def test_listing_refuses_empty_unless_allowed(value):
    """listing(allow_empty=False): None, [] and () are refused (None is reported as [])."""
    err = refusal(checks.listing, value, allow_empty=False)
    assert str(err) == message([] if value is None else value, "must not be empty")


@pytest.mark.parametrize("value, expected", [(None, {}), ({}, {}), ({"a": 1}, {"a": 1}), ({1: "x"}, {1: "x"})])
def test_mapping_accepts_dicts_and_none(value, expected):
    """mapping(): a dict (None means empty) -> a new dict."""
    result = checks.mapping(value, "f", AT)
    assert result == expected and result is not value


@pytest.mark.parametrize("value", [[], ["a"], "a", 1, True, (("a", 1),)])
def test_mapping_refuses_other_types(value):
    """mapping(): a list, string, number or pairs are not a mapping."""
    assert_refused(checks.mapping, value, "must be a mapping")


def test_mapping_with_known_keys_accepts_a_subset():
    """mapping(known): any subset of the known keys."""
    assert checks.mapping({"a": 1}, "f", AT, known=("a", "b")) == {"a": 1}
    empty = checks.mapping(None, "f", AT, known=("a", "b"))
    assert isinstance(empty, dict) and not empty


@pytest.mark.parametrize("value, field, bad", [
    ({"a": 1, "c": 2}, "f.c", 2),
    ({"z": 1, "c": 2}, "f.c", 2),
    ({5: "x"}, "f.5", "x"),
    ({1: "x", "b2": "y"}, "f.1", "x"),
    ({None: "n"}, "f.None", "n"),
    ({("t",): "tuple"}, "f.('t',)", "tuple"),
])
def test_mapping_with_known_keys_names_the_first_unknown_key(value, field, bad):
    """mapping(known): the first unknown key by its text names the field; keys that are no strings (a
    YAML number key) are reported, not a KeyError."""
    err = refusal(checks.mapping, value, known=("b", "a"))
    assert str(err) == message(bad, "unknown key (known: a, b)", field=field)


# -- the old '^...$' bug: a trailing newline is refused everywhere ---------------------


TRAILING = [
    (checks.no_line_breaks, "x", ()), (checks.text, "x", ()), (checks.word, "8.4", ()),
    (checks.boolean, "true", ()), (checks.integer, "16", ()), (checks.port, "179", ()),
    (checks.one_of, "rack", (("unique", "rack"),)), (checks.ifname, "ens3", ()), (checks.dns_label, "node-1", ()),
    (checks.dns_name, "node-1.example.local", ()), (checks.mac, "52:54:00:7e:00:15", ()),
    (checks.ip_address, "10.0.0.1", ()), (checks.host_prefix, "10.0.0.1/32", ()),
    (checks.network, "10.0.0.0/8", ()), (checks.asn, "65001", ()), (checks.unit_name, "frr.service", ()),
    (checks.abs_path, "/etc/frr/frr.conf", ()),
]


@pytest.mark.parametrize("func, valid, args", TRAILING, ids=[t[0].__name__ for t in TRAILING])
@pytest.mark.parametrize("suffix", ["\n", "\r\n", "\r", "\x00", "\ninjected line"])
def test_a_trailing_line_break_is_refused_by_every_check(func, valid, args, suffix):
    """Every scalar check refuses its valid example with a line break after it (re.fullmatch, not '^...$')."""
    if func is not checks.boolean:
        func(valid, "f", AT, *args)  # the example itself is valid
    err = refusal(func, valid + suffix, *args)
    assert err.value == valid + suffix and err.field == "f" and err.host == "node-1"
    assert str(err).startswith("test inventory: f of node-1 is %r: " % (valid + suffix))


@pytest.mark.parametrize("func, valid, args", TRAILING, ids=[t[0].__name__ for t in TRAILING])
def test_a_leading_line_break_is_refused_by_every_check(func, valid, args):
    """Every scalar check refuses its valid example after a line break too."""
    assert refusal(func, "\n" + valid, *args).value == "\n" + valid


def test_refusals_without_host_leave_the_host_out():
    """With At(scope) only, the message has no 'of <host>'."""
    err = refusal(checks.asn, 0, at=NO_HOST, field="frr_asn_base")
    assert str(err) == "test inventory: frr_asn_base is 0: out of range 1..4294967295"
    assert err.host is None


# -- Kubernetes names and labels, interface addresses ------------------------------

NOT_OBJECT_NAME = "not a Kubernetes object name (DNS-1123 subdomain: lower-case letters, digits, '-' and '.')"
NOT_LABEL_VALUE = ("not a label value (a string of at most 63 letters, digits, '-', '_' and '.', "
                   "alphanumeric at both ends)")


@pytest.mark.parametrize("value", ["a", "99-worker-routes", "a.b-c.d", "x" * 253])
def test_object_name_accepts_dns1123_subdomains(value):
    """object_name(): what the API server takes as metadata.name of most kinds."""
    assert checks.object_name(value, "f", AT) == value


@pytest.mark.parametrize("value, why", [
    ("", "missing"), (None, "missing"), ("A", NOT_OBJECT_NAME), ("a_b", NOT_OBJECT_NAME),
    ("-a", NOT_OBJECT_NAME), ("a.", NOT_OBJECT_NAME), ("x" * 254, NOT_OBJECT_NAME),
    ("a\n", NOT_OBJECT_NAME),
])
def test_object_name_refuses(value, why):
    """object_name(): upper case, '_', edges, length, a trailing newline (fullmatch)."""
    assert_refused(checks.object_name, value, why)


@pytest.mark.parametrize("value", ["", "worker", "a.b_c-d", "x" * 63])
def test_label_value_accepts(value):
    assert checks.label_value(value, "f", AT) == value


@pytest.mark.parametrize("value", ["-a", "a-", "x" * 64, "a b", "a\n", None, 1])
def test_label_value_refuses(value):
    assert_refused(checks.label_value, value, NOT_LABEL_VALUE)


def test_labels_checks_prefix_name_and_value():
    """labels(): prefix a DNS subdomain, name and value the label rules; the field names the key."""
    good = {"machineconfiguration.openshift.io/role": "worker", "app": ""}
    assert checks.labels(good, "labels", AT) == good
    assert str(refusal(checks.labels, {"Bad_Prefix/x": "y"}, field="labels")).endswith(
        "the label prefix must be a DNS subdomain")
    assert refusal(checks.labels, {"a/-x": "y"}, field="labels").field == "labels key"
    assert refusal(checks.labels, {"app": "a b"}, field="labels").field == "labels[app]"
    assert refusal(checks.labels, ["app"], field="labels").why == "must be a mapping"


@pytest.mark.parametrize("value, version, expected", [
    ("10.0.0.5/24", None, "10.0.0.5/24"), ("fd00::5/64", 6, "fd00::5/64"), ("10.0.0.0/8", 4, "10.0.0.0/8"),
])
def test_interface_address_accepts_an_address_with_its_prefix(value, version, expected):
    assert checks.interface_address(value, "f", AT, version) == ipaddress.ip_interface(expected)


@pytest.mark.parametrize("value, version, why", [
    ("10.0.0.5", None, "not an address with its prefix length (e.g. 10.0.0.5/24)"),
    ("10.0.0.290/24", None, "not an address with its prefix length (e.g. 10.0.0.5/24)"),
    ("10.0.0.5/24", 6, "not an IPv6 address"),
    ("fe80::1%eth0/64", None, ZONE),
    ("10.0.0.5/24\n", None, line_break_why("\n")),
])
def test_interface_address_refuses(value, version, why):
    assert_refused(checks.interface_address, value, why, version)
