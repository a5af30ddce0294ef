# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The file_set module's work: a directory holds exactly a set of files (name ->
content), written in one module run whatever their number; with ``exclusive`` the
files matching ``pattern`` that are not in the set are removed."""

from __future__ import annotations

import fnmatch
import grp
import os
import pwd
import re
import tempfile

from ansible_collections.clusternet.fabric.plugins.module_utils import checks

AT = checks.At("file_set")


def _ids(owner, group):
    try:
        uid = pwd.getpwnam(owner).pw_uid if owner else -1
    except KeyError:
        AT.fail("owner", owner, "no such user on the target")
    try:
        gid = grp.getgrnam(group).gr_gid if group else -1
    except KeyError:
        AT.fail("group", group, "no such group on the target")
    return uid, gid


def _state(path):
    """(content or None, mode, uid, gid) of ``path``."""
    try:
        st = os.lstat(path)
        with open(path, encoding="utf-8") as handle:
            return handle.read(), st.st_mode & 0o7777, st.st_uid, st.st_gid
    except FileNotFoundError:
        return None, None, None, None
    except UnicodeDecodeError:
        return b"", st.st_mode & 0o7777, st.st_uid, st.st_gid  # binary: never equal to a text


def plan(directory, files, mode, uid, gid, exclusive, pattern):
    """(to write [(name, before)], to fix the attributes of [name], to remove [name])."""
    write, fix = [], []
    for name in sorted(files):
        if os.path.isdir(os.path.join(directory, name)):
            AT.fail("files.%s" % name, os.path.join(directory, name), "a file, not a directory")
        before, cur_mode, cur_uid, cur_gid = _state(os.path.join(directory, name))
        if before != files[name]:
            write.append((name, before))
        elif cur_mode != mode or uid not in (-1, cur_uid) or gid not in (-1, cur_gid):
            fix.append(name)
    remove = []
    if exclusive:
        remove = sorted(entry for entry in os.listdir(directory)
                        if entry not in files and fnmatch.fnmatchcase(entry, pattern)
                        and os.path.isfile(os.path.join(directory, entry)))
    return write, fix, remove


def _write_temp(directory, name, text, mode, uid, gid):
    """A temporary file holding ``text`` in ``directory`` (where it is renamed into place)."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".%s." % name)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, mode)
    os.chown(tmp, uid, gid)
    return tmp


def _refusal(module, checks_by_name, temps):
    """The message for the first file of ``temps`` ({name: its new text's file}) whose
    check refuses it, or None when every check passes."""
    for name in sorted(temps):
        if name not in checks_by_name:
            continue
        command = checks_by_name[name]
        rc, out, err = module.run_command(command % temps[name])
        if rc != 0:
            return "file_set: %s failed to validate with %s (rc %d): %s; no file of the set was written" % (
                name, command, rc, " ".join((err or out).split()) or "no output")
    return None


def _remove(paths):
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def run_module(module):
    """Everything ``clusternet.fabric.file_set`` does, given its AnsibleModule."""
    p = module.params
    directory, files = p["path"], p["files"]
    try:
        for name, content in files.items():
            checks.file_name(name, "files", AT)
            if not isinstance(content, str):
                AT.fail("files.%s" % name, content, "the file's text")
        if not re.fullmatch(r"0?[0-7]{3,4}", p["mode"]):
            AT.fail("mode", p["mode"], "an octal file mode like 0644")
        if not os.path.isdir(directory):
            AT.fail("path", directory, "not a directory on the target")
        for name, command in p["validate"].items():
            if name not in files:
                AT.fail("validate.%s" % name, command, "a check for a file that is not in files")
            if not isinstance(command, str) or "%s" not in command:
                AT.fail("validate.%s" % name, command, "a command with %s for the file to check")
        mode = int(p["mode"], 8)
        uid, gid = _ids(p["owner"], p["group"])
        write, fix, remove = plan(directory, files, mode, uid, gid, p["exclusive"], p["pattern"])
    except checks.InvalidInput as exc:
        module.fail_json(msg=str(exc))
    result = {"changed": bool(write or fix or remove), "written": [n for n, _b in write], "attributes": fix,
              "removed": remove}
    if module._diff:
        result["diff"] = ([{"before_header": os.path.join(directory, n), "after_header": os.path.join(directory, n),
                            "before": before or "", "after": files[n]} for n, before in write]
                          + [{"before_header": os.path.join(directory, n), "after_header": "(removed)",
                              "before": "%s\n" % n, "after": ""} for n in remove])
    if module.check_mode:
        # the checks run on copies outside the directory: check mode writes nothing there
        with tempfile.TemporaryDirectory(prefix="file_set-") as scratch:
            temps = {n: _write_temp(scratch, n, files[n], 0o600, -1, -1) for n, _b in write if n in p["validate"]}
            refused = _refusal(module, p["validate"], temps)
        if refused:
            module.fail_json(msg=refused, **result)
        module.exit_json(**result)
    # created in the directory itself, so each has the label a file created there gets (SELinux)
    temps = {}
    try:
        for name, _before in write:
            temps[name] = _write_temp(directory, name, files[name], mode, uid, gid)
        refused = _refusal(module, p["validate"], temps)
    except BaseException:
        _remove(temps.values())
        raise
    if refused:
        _remove(temps.values())
        module.fail_json(msg=refused)
    for name, tmp in temps.items():
        os.replace(tmp, os.path.join(directory, name))
    for name in fix:
        os.chmod(os.path.join(directory, name), mode)
        os.chown(os.path.join(directory, name), uid, gid)
    for name in remove:
        os.unlink(os.path.join(directory, name))
    module.exit_json(**result)
