# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The one golden-file helper of every golden test (tests/golden/*/test_*.py).

    golden_files.check(path, text, checker=real_program_check)

compares ``text`` with the golden file at ``path``; with ``UPDATE_GOLDEN=1`` in the
environment it writes ``text`` there first (review the diff, commit it with its
reason). ``checker``, when given, is called with the golden file's path after the
compare: the hook that feeds the very file to its real consumer (haproxy -c,
dnsmasq --test, vtysh, ignition-validate), so a golden is never only a string.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def updating():
    return os.environ.get("UPDATE_GOLDEN") == "1"


def check(path, text, checker=None):
    """Assert ``text`` equals the golden file ``path``; then run ``checker(path)``."""
    path = Path(path)
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    assert path.is_file(), "%s: no golden file (UPDATE_GOLDEN=1 writes it)" % shown
    assert text == path.read_text(), "%s differs from its golden (UPDATE_GOLDEN=1 rewrites it)" % shown
    if checker is not None:
        checker(path)
