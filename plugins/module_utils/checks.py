# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one way to check input in clusternet.fabric.

Every model, renderer and module checks its input with these functions, so a
rule (what an interface name is, what an ASN is) is written once and every
error has one shape:

    <scope>: <field> of <host> is <value>: <why>
    <scope>: <field> is <value>: <why>            (no host: a setting of the whole run)

All raise InputError, the collection's one error type. Patterns match the
whole string (re.fullmatch): '^...$' would accept a trailing newline.

no_line_breaks() is the guard for line-oriented files (frr.conf, daemons,
dnsmasq.conf, haproxy.cfg, systemd units, the routes file): a scalar that
carries CR, LF or NUL could add a line of its own to the rendered file, and
the file would still pass its checker.
"""

from __future__ import annotations

import ipaddress
import re

IFNAMSIZ = 15  # Linux IFNAMSIZ 16 minus the terminating NUL
ASN_MAX = 4294967295
# RFC 6793 AS_TRANS and the RFC 7300 last ASNs: never valid on a session.
ASN_RESERVED = frozenset((23456, 65535, 4294967295))
# RFC 6996 private ranges.
ASN_PRIVATE = ((64512, 65534), (4200000000, 4294967294))

LINE_BREAKS = ("\r", "\n", "\x00")
_IFNAME_BAD = re.compile(r"[\s/:]")
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
_UNIT = re.compile(r"[A-Za-z0-9:_.\\@-]+\.(service|socket|device|mount|automount|swap|target|path|timer|snapshot|slice|scope)")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_LABEL_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_WORD = re.compile(r"[A-Za-z0-9_./:=,@+-]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class InvalidInput(ValueError):
    """The root of every input error of the collection: a model, a renderer or a
    module refusing what it was given raises one of these, and nothing else."""


class InputError(InvalidInput):
    """Bad input: names the field, the host (when there is one), the value and why."""

    def __init__(self, scope, field, value, why, host=None):
        self.scope, self.field, self.value, self.why, self.host = scope, field, value, why, host
        where = "%s of %s" % (field, host) if host is not None else field
        super().__init__("%s: %s is %r: %s" % (scope, where, value, why))


class At:
    """Where a value comes from: the scope of the message and the host, if any."""

    __slots__ = ("scope", "host")

    def __init__(self, scope, host=None):
        self.scope, self.host = scope, host

    def host_(self, host):
        return At(self.scope, host)

    def fail(self, field, value, why):
        raise InputError(self.scope, field, value, why, self.host)


def missing(value):
    return value is None or value == ""


def no_line_breaks(value, field, at):
    """The guard: no CR, LF or NUL in any string inside value (lists and dicts
    are walked, keys too). Returns value unchanged."""
    if isinstance(value, str):
        for char in LINE_BREAKS:
            if char in value:
                at.fail(field, value, "contains a line break or NUL (%r), which would add a line "
                                      "to the rendered file" % char)
    elif isinstance(value, dict):
        for key, item in value.items():
            no_line_breaks(key, field, at)
            no_line_breaks(item, "%s.%s" % (field, key), at)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            no_line_breaks(item, "%s[%d]" % (field, index), at)
    return value


def text(value, field, at, allow_empty=False):
    """A one-line string (numbers are taken as their text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        at.fail(field, value, "must be a string")
    value = str(value)
    if not value and not allow_empty:
        at.fail(field, value, "must not be empty")
    return no_line_breaks(value, field, at)


def word(value, field, at):
    """One shell/command-line word: no spaces, quotes or line breaks."""
    value = text(value, field, at)
    if not _WORD.fullmatch(value):
        at.fail(field, value, "one word of letters, digits and _./:=,@+- (no spaces or quotes)")
    return value


def boolean(value, field, at):
    if not isinstance(value, bool):
        at.fail(field, value, "must be true or false")
    return value


def integer(value, field, at, minimum=None, maximum=None):
    """A whole number: an int, a float without a fraction, or ASCII decimal digits."""
    if isinstance(value, bool):
        at.fail(field, value, "must be a whole number")
    if isinstance(value, str):
        no_line_breaks(value, field, at)
        if not _INTEGER.fullmatch(value.strip()):
            at.fail(field, value, "must be a whole number")
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        at.fail(field, value, "must be a whole number")
    if isinstance(value, float) and number != value:
        at.fail(field, value, "must be a whole number")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        at.fail(field, value, "out of range %s..%s" % (minimum, maximum))
    return number


def one_of(value, field, at, choices):
    # True == 1 in Python: a bool only matches a bool, a number only a number
    if not any(value == c and isinstance(value, bool) == isinstance(c, bool) for c in choices):
        at.fail(field, value, "one of %s" % ", ".join(str(c) for c in choices))
    return value


def ifname(value, field, at):
    """A Linux interface name: 1-15 bytes, no '/', ':' or white space, not '.' or '..'."""
    if not isinstance(value, str) or not value:
        at.fail(field, value, "not an interface name")
    no_line_breaks(value, field, at)
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        at.fail(field, value, "not an interface name")
    if size > IFNAMSIZ:
        at.fail(field, value, "interface name longer than %d characters" % IFNAMSIZ)
    if value in (".", "..") or _IFNAME_BAD.search(value):
        at.fail(field, value, "not a valid Linux interface name (no '/', ':' or spaces)")
    return value


def dns_label(value, field, at):
    """An RFC 1123 label, lower case (host names, DNS-1123 object names)."""
    if not isinstance(value, str) or not _DNS_LABEL.fullmatch(value):
        at.fail(field, value, "not a DNS label (lower-case letters, digits and '-', at most 63)")
    return value


def object_name(value, field, at):
    """A Kubernetes object name: a DNS-1123 subdomain, lower case, at most 253."""
    if not isinstance(value, str) or not value:
        at.fail(field, value, "missing")
    if len(value) > 253 or not _DNS_SUBDOMAIN.fullmatch(value):
        at.fail(field, value, "not a Kubernetes object name (DNS-1123 subdomain: lower-case "
                              "letters, digits, '-' and '.')")
    return value


def label_value(value, field, at):
    """A Kubernetes label value: at most 63, letters and digits at both ends, -_. inside."""
    if not isinstance(value, str) or len(value) > 63 or not (
            value == "" or _LABEL_NAME.fullmatch(value)):
        at.fail(field, value, "not a label value (a string of at most 63 letters, digits, "
                              "'-', '_' and '.', alphanumeric at both ends)")
    return value


def labels(value, field, at):
    """Kubernetes labels: [prefix/]name keys (prefix a DNS subdomain) to label values."""
    value = mapping(value, field, at)
    for key, item in value.items():
        prefix, _sep, name = str(key).rpartition("/")
        if prefix and (len(prefix) > 253 or not _DNS_SUBDOMAIN.fullmatch(prefix)):
            at.fail("%s key" % field, key, "the label prefix must be a DNS subdomain")
        if not isinstance(key, str) or len(name) > 63 or not _LABEL_NAME.fullmatch(name):
            at.fail("%s key" % field, key, "not a label name")
        label_value(item, "%s[%s]" % (field, key), at)
    return value


def dns_name(value, field, at):
    """A DNS name of RFC 1123 labels; returned lower case without a trailing dot."""
    if not isinstance(value, str) or not value:
        at.fail(field, value, "missing")
    no_line_breaks(value, field, at)
    if not value.isascii():
        at.fail(field, value, "not a DNS name (ASCII letters, digits, '-' and '.')")
    labels = (value[:-1] if value.endswith(".") else value).lower().split(".")
    for label in labels:
        if not _DNS_LABEL.fullmatch(label):
            at.fail(field, value, "not a DNS name (label %r)" % label)
    name = ".".join(labels)
    if len(name) > 253:
        at.fail(field, value, "longer than 253 characters")
    return name


def mac(value, field, at):
    """A unicast MAC; returned as lower-case colon pairs."""
    if missing(value):
        at.fail(field, value, "missing")
    text(value, field, at)
    norm = str(value).strip().lower().replace("-", ":")
    if not _MAC.fullmatch(norm):
        at.fail(field, value, "not a MAC address (want six hex pairs, e.g. 52:54:00:7e:00:15)")
    if int(norm[:2], 16) & 1:
        at.fail(field, value, "a multicast MAC cannot be a NIC address")
    return norm


def _family(obj, field, value, at, version):
    if version is not None and obj.version != version:
        at.fail(field, value, "not an IPv%d address" % version)
    return obj


def _address_text(value, field, at):
    """What every IP parser checks first: present, one line, no zone id."""
    if missing(value):
        at.fail(field, value, "missing")
    text(value, field, at)
    # ipaddress takes 'fe80::1%eth0' (Python 3.9+) and keeps the zone in str()
    if "%" in str(value):
        at.fail(field, value, "an IPv6 zone id ('%...') is not allowed here")
    return str(value)


def ip_address(value, field, at, version=None):
    """An IP address (no zone id, no prefix)."""
    _address_text(value, field, at)
    try:
        addr = ipaddress.ip_address(str(value))
    except ValueError:
        at.fail(field, value, "not an IP address")
    return _family(addr, field, value, at, version)


def host_prefix(value, field, at, version=4):
    """A single address as 'A.B.C.D' or 'A.B.C.D/32' (IPv6: '/128'); returns the address."""
    _address_text(value, field, at)
    try:
        iface = ipaddress.ip_interface(str(value))
    except ValueError:
        at.fail(field, value, "not an IP address")
    _family(iface, field, value, at, version)
    if iface.network.prefixlen != iface.max_prefixlen:
        at.fail(field, value, "must be a single address (/%d)" % iface.max_prefixlen)
    return iface.ip


def interface_address(value, field, at, version=None):
    """An interface address in CIDR form, e.g. 10.0.0.5/24; returns the ip_interface."""
    _address_text(value, field, at)
    if "/" not in str(value):
        at.fail(field, value, "not an address with its prefix length (e.g. 10.0.0.5/24)")
    try:
        iface = ipaddress.ip_interface(str(value))
    except ValueError:
        at.fail(field, value, "not an address with its prefix length (e.g. 10.0.0.5/24)")
    return _family(iface, field, value, at, version)


def network(value, field, at, version=None):
    """A network in CIDR form with its host bits zero."""
    _address_text(value, field, at)
    try:
        net = ipaddress.ip_network(str(value), strict=True)
    except ValueError as exc:
        if "host bits set" in str(exc):
            at.fail(field, value, "has host bits set; the network is %s"
                    % ipaddress.ip_network(str(value), strict=False))
        at.fail(field, value, "not a network in CIDR form with its host bits zero (%s)" % exc)
    return _family(net, field, value, at, version)


def asn(value, field, at):
    """A 4-byte AS number in asplain, not reserved."""
    if isinstance(value, bool) or isinstance(value, float):
        at.fail(field, value, "not an AS number (use asplain, 1..4294967295)")
    if isinstance(value, str):
        no_line_breaks(value, field, at)
        if not (value.isascii() and value.isdigit()):
            at.fail(field, value, "not an AS number (use asplain, 1..4294967295)")
    try:
        number = int(value)
    except (TypeError, ValueError):
        at.fail(field, value, "not an AS number (use asplain, 1..4294967295)")
    if not 1 <= number <= ASN_MAX:
        at.fail(field, value, "out of range 1..4294967295")
    if number in ASN_RESERVED:
        at.fail(field, value, "reserved AS number (AS_TRANS 23456, 65535, 4294967295)")
    return number


def is_private_asn(number):
    return any(lo <= number <= hi for lo, hi in ASN_PRIVATE)


def port(value, field, at):
    """A TCP/UDP port."""
    return integer(value, field, at, 1, 65535)


def unit_name(value, field, at):
    """A systemd unit name with its type suffix."""
    if not isinstance(value, str) or not _UNIT.fullmatch(value) or len(value) > 255 \
            or value.startswith("."):
        at.fail(field, value, "not a systemd unit name (e.g. frr.service)")
    return value


def abs_path(value, field, at):
    """An absolute, clean path: no '.', '..', '//' or trailing '/'."""
    if not isinstance(value, str) or not value.startswith("/"):
        at.fail(field, value, "not an absolute path")
    no_line_breaks(value, field, at)
    parts = value.split("/")[1:]
    if value != "/" and any(p in ("", ".", "..") for p in parts):
        at.fail(field, value, "not a clean path (no '.', '..', '//' or trailing '/')")
    return value


def file_name(value, field, at):
    """A plain file name (it becomes a file in a directory): no '/', not '.' or '..', not empty."""
    if not isinstance(value, str) or not value or "/" in value or value in (".", ".."):
        at.fail(field, value, "a plain file name: no '/', not empty, not '.' or '..'")
    no_line_breaks(value, field, at)
    return value


def listing(value, field, at, allow_empty=True):
    """A list (None means empty); a single string is not a list."""
    if value is None:
        value = []
    if not isinstance(value, (list, tuple)):
        at.fail(field, value, "must be a list")
    if not value and not allow_empty:
        at.fail(field, value, "must not be empty")
    return list(value)


def mapping(value, field, at, known=None):
    """A dict (None means empty); with known, no other keys."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        at.fail(field, value, "must be a mapping")
    if known is not None:
        # keys as given (a YAML key may be a number): sorted by their text
        unknown = sorted(set(value) - set(known), key=lambda k: (str(k), type(k).__name__))
        if unknown:
            at.fail("%s.%s" % (field, unknown[0]), value[unknown[0]],
                    "unknown key (known: %s)" % ", ".join(sorted(known)))
    return dict(value)
