# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one rule for judging FRR's syntax check (vtysh -C -f FILE).

FRR 8.4's vtysh -C can exit 0 and still print errors, e.g. after an
unbalanced top-level 'exit' every later line is refused with

    line 5: % Unknown command[3]: router bgp 65001

So a check passes only when it exits 0 AND prints no error line. vtysh's
error lines start with its marker '% ', alone or after 'line N: ' (from
vtysh 8.4: '% Unknown command', '% Ambiguous command', '% Command
incomplete', '% Can't open configuration file ...').

ERROR_ERE is that rule as a POSIX ERE: ERROR_LINE (Python) and the grep in
shell_command() (for Ansible's validate:) are both built from it.

A fabric's configurations differ from node to node in values only (names,
addresses, ASNs, descriptions), and the fabric model has validated every one
of them; what vtysh can still refuse is their structure. shape() is a
configuration with each such value replaced by its class (an IPv4 network of
length 26, a number below 65536, ...), and representatives() picks one real
configuration per shape: checking those is checking all of them, in a
number of vtysh runs that does not grow with the fabric (a 1,000-node pool
has a handful of shapes). A token that is not a well-formed value of its
class stays as it is, so such a configuration is a shape of its own and is
checked itself.

Commands are in Ansible's validate form: Ansible runs
shlex.split(validate % path), so %s is the file and %% a literal %.
"""

from __future__ import annotations

import ipaddress
import re
import shlex

# Written in the common subset of POSIX ERE and Python re: both must read it alike.
ERROR_ERE = "^(line [0-9]+: )?% "
ERROR_LINE = re.compile(ERROR_ERE)

# $1 is the file, $2 the pattern: passed as arguments, nothing is pasted into the script
# but the check command itself. $(...) keeps the output to print it and to grep it.
_SCRIPT = ('out=$(%s 2>&1); rc=$?; printf "%%s\\n" "$out"; [ "$rc" -eq 0 ] || exit "$rc"; '
           'if printf "%%s\\n" "$out" | grep -Eq -e "$2"; then exit 1; fi')
_MARK = "\0"  # stands for the file while the command is split: no real word holds a NUL


# the lines whose value is free text or a name: the value is masked whole
_HOSTNAME_LINE = re.compile(r"^( *hostname )[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
_DESCRIPTION_LINE = re.compile(r"^( *description ).*$")
_TOKEN = re.compile(r"[^ \t]+")
# number classes by width: vtysh's ranges end at 255, 65535 or 2**32-1 almost
# always, so a number beyond its range is (nearly always) of another class and
# its configuration a shape of its own
_NUMBER_CLASSES = ((1 << 8, "<u8>"), (1 << 16, "<u16>"), (1 << 32, "<u32>"))


def _token_class(token):
    """A value's class (the token itself when it is no value)."""
    if token.isdigit() and token.isascii() and (token == "0" or token[0] != "0"):
        for bound, name in _NUMBER_CLASSES:
            if int(token) < bound:
                return name
        return token
    address, slash, length = token.partition("/")
    try:
        version = ipaddress.ip_address(address).version
    except ValueError:
        return token
    if not slash:
        return "<ipv%d>" % version
    try:
        ipaddress.ip_network(token, strict=True)
        return "<ipv%d-net>/%s" % (version, length)
    except ValueError:
        pass
    try:
        ipaddress.ip_interface(token)
        return "<ipv%d-if>/%s" % (version, length)
    except ValueError:
        return token


def _line_shape(line):
    for pattern, mask in ((_HOSTNAME_LINE, "<hostname>"), (_DESCRIPTION_LINE, "<text>")):
        match = pattern.match(line)
        if match:
            return match.group(1) + mask
    return _TOKEN.sub(lambda m: _token_class(m.group()), line)


def shape(text):
    """The configuration with every value replaced by its class (see the module docstring)."""
    return "\n".join(_line_shape(line) for line in text.split("\n"))


def representatives(configs):
    """{name: text} -> [(name, [names of the same shape, itself first])], one entry per
    shape, in name order: the first name of each shape stands for the others."""
    groups = {}
    for name in sorted(configs):
        groups.setdefault(shape(configs[name]), []).append(name)
    return sorted(((names[0], names) for names in groups.values()), key=lambda item: item[0])


def judge(returncode, output):
    """The reasons a check failed (empty: it passed): its error lines, and, for
    a non-zero exit, the exit code (with the whole output when no line is an error line)."""
    lines = output.splitlines()
    errors = [line for line in lines if ERROR_LINE.match(line)]
    if returncode != 0:
        errors = (errors or [line for line in lines if line.strip()]) + ["exit code %d" % returncode]
    return errors


def shell_command(command):
    """A validate: command running COMMAND (validate form, one %s) through /bin/sh
    that fails when it exits non-zero or prints an error line (ERROR_ERE); it prints
    COMMAND's output. The result has one %s, as a word of its own."""
    try:
        # the same % formatting Ansible applies: %% becomes %, the one %s the mark
        words = shlex.split(command % _MARK)
    except TypeError as exc:
        raise ValueError("check command needs exactly one %%s (the file): %r" % command) from exc
    # each piece quoted for sh, the file as "$1" (quoted: a path with spaces stays one word)
    inner = " ".join('"$1"'.join(shlex.quote(piece) if piece else "" for piece in word.split(_MARK))
                     for word in words)
    argv = ["/bin/sh", "-c", _SCRIPT % inner, "frr-check", _MARK, ERROR_ERE]
    # every % but the file's is doubled, so Ansible's own % formatting gives them back
    return " ".join("%s" if word == _MARK else shlex.quote(word).replace("%", "%%") for word in argv)
