# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frr_configs module's work: check many frr.conf texts with FRR's own parser,
one run per shape (render/frr_check.py), then write the changed ones."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.clusternet.fabric.plugins.module_utils import checks
from ansible_collections.clusternet.fabric.plugins.module_utils.render.frr_check import judge, representatives

AT = checks.At("frr_configs")


def run_check(command, path):
    """The reasons ``command`` (validate form: %s the file) refused ``path``; empty: it passed."""
    # Ansible runs shlex.split(validate % path); the path is quoted so a space cannot split it
    try:
        argv = shlex.split(command % shlex.quote(path))
    except TypeError:
        AT.fail("validate", command, "needs exactly one %s (the file)")
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        return ["cannot run %r: %s" % (argv[0], exc.strerror)]
    return judge(proc.returncode, proc.stdout + proc.stderr)


def check_all(configs, command, workers=None):
    """Check ``configs`` ({name: text}) -> (checker runs, {name: reasons} of the refused).

    One configuration per shape is checked; where one is refused, every other
    configuration of its shape is checked too, so each refused one is named."""
    if not configs:
        AT.fail("configs", configs, "no configuration to check")
    groups = representatives(configs)
    order = {name: index for index, name in enumerate(sorted(configs))}
    with tempfile.TemporaryDirectory(prefix="frr-configs-") as scratch:
        def check(name):
            path = os.path.join(scratch, "%d.conf" % order[name])
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(configs[name])
            return name, run_check(command, path)

        with ThreadPoolExecutor(max_workers=workers or max(2, os.cpu_count() or 2)) as pool:
            results = dict(pool.map(check, [first for first, _names in groups]))
            suspects = [name for first, names in groups if results[first] for name in names[1:]]
            results.update(pool.map(check, suspects))
    runs = len(results)
    return runs, {name: reasons for name, reasons in sorted(results.items()) if reasons}


def file_name(name, suffix):
    """The file a configuration is written to: a plain name, no directory part."""
    if not name:
        AT.fail("configs", name, "a configuration's name becomes a file name in dest: not empty")
    return checks.file_name(name + suffix, "configs", AT)


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def run_module(module):
    """Everything ``clusternet.fabric.frr_configs`` does, given its AnsibleModule."""
    p = module.params
    configs, dest, command = p["configs"], p["dest"], p["validate"]
    try:
        if not re.fullmatch(r"0?[0-7]{3}", p["mode"]):
            AT.fail("mode", p["mode"], "an octal file mode like 0644")
        names = {name: file_name(name, p["suffix"]) for name in configs} if dest else {}
        for name, text in configs.items():
            if not isinstance(text, str):
                AT.fail("configs", name, "its value must be the configuration's text")
        runs, refused = check_all(configs, command)
    except checks.InvalidInput as exc:
        module.fail_json(msg=str(exc))
    summary = dict(configs=len(configs), checker_runs=runs)
    if refused:
        module.fail_json(msg="frr_configs: %d of %d configuration(s) refused by %r, nothing written: %s" % (
            len(refused), len(configs), command,
            "; ".join("%s: %s" % (name, " / ".join(reasons)) for name, reasons in refused.items())),
            refused=refused, **summary)
    written, diffs = [], []
    if dest:
        if not os.path.isdir(dest):
            module.fail_json(msg="frr_configs: dest is %r: not a directory" % dest, **summary)
        for name in sorted(configs):
            path = os.path.join(dest, names[name])
            before = _read(path)
            if before == configs[name]:
                continue
            written.append(path)
            if module._diff:
                diffs.append({"before_header": path, "after_header": path, "before": before or "",
                              "after": configs[name]})
            if not module.check_mode:
                fd, tmp = tempfile.mkstemp(dir=dest, prefix=".%s." % names[name])
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(configs[name])
                os.chmod(tmp, int(p["mode"], 8))
                os.replace(tmp, path)
    result = dict(changed=bool(written), written=written, **summary)
    if module._diff:
        result["diff"] = diffs
    module.exit_json(**result)
