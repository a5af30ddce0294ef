# -*- coding: utf-8 -*-
# Copyright (c) 2026 clusternet.fabric contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""python3 check_frr_configs.py CONFIGS.json 'vtysh -C -f %s'

Checks many frr.conf files in one task: CONFIGS.json maps a file path (its
base name is kept) to its contents; each is written beside CONFIGS.json and
given to the check command (%s: the file), a few at a time. Every failure is
printed with its file name and the checker's output; exits 1 when any failed.
"""

import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def check(command, path):
    argv = [path if word == "%s" else word for word in shlex.split(command)]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    return path, proc.returncode, (proc.stdout + proc.stderr).strip()


def main():
    configs_file, command = sys.argv[1], sys.argv[2]
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
    failed = [r for r in results if r[1] != 0]
    for path, code, output in failed:
        print("%s: rejected by '%s' (exit %d): %s" % (os.path.basename(path), command, code, output))
    print("%d of %d configurations passed '%s'" % (len(results) - len(failed), len(results), command))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
