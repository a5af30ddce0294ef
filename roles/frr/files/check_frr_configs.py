# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""python3 check_frr_configs.py CONFIGS.json 'vtysh -C -f %s'

Checks many frr.conf files in one task: CONFIGS.json maps a file path (its
base name is kept) to its contents; each is written beside CONFIGS.json and
given to the check command (%s: the file), a few at a time. Every failure is
printed with its file name and the checker's output; exits 1 when any failed.

A check fails when the command exits non-zero or prints an error line: the
rule is the collection's plugins/module_utils/render/frr_check.py (vtysh -C
can exit 0 and still print errors), loaded from its file because this runs as
a plain script. The command is read as Ansible reads validate: (%% is a %), so
the same string, even frr_check.shell_command()'s, works in both places.
"""

import importlib.util
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

# roles/frr/files/ -> the collection's root, in a checkout and in an installed collection alike
FRR_CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                         "plugins", "module_utils", "render", "frr_check.py")


def load_frr_check():
    spec = importlib.util.spec_from_file_location("frr_check", FRR_CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(command, path):
    # Ansible runs shlex.split(validate % path); the path is quoted here so a space cannot split it
    argv = shlex.split(command % shlex.quote(path))
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    return path, proc.returncode, (proc.stdout + proc.stderr).strip()


def main():
    configs_file, command = sys.argv[1], sys.argv[2]
    judge = load_frr_check().judge
    with open(configs_file, encoding="utf-8") as handle:
        configs = json.load(handle)
    if not configs:
        print("no configuration to check in %s" % configs_file)
        return 1
    scratch = os.path.dirname(os.path.abspath(configs_file))
    paths = []
    for name, contents in sorted(configs.items()):
        path = os.path.join(scratch, os.path.basename(name))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(contents)
        paths.append(path)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda p: check(command, p), paths))
    failed = [r for r in results if judge(r[1], r[2])]  # the exit code and the output, by the one rule
    for path, code, output in failed:
        print("%s: rejected by '%s' (exit %d): %s" % (os.path.basename(path), command, code, output))
    print("%d of %d configurations passed '%s'" % (len(results) - len(failed), len(results), command))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
