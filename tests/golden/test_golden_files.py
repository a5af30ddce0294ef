# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The golden helper itself: compare, UPDATE_GOLDEN=1, the checker hook."""

from __future__ import annotations

import pytest

import golden_files


def test_equal_text_passes_and_the_checker_sees_the_golden_file(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    golden = tmp_path / "expected.cfg"
    golden.write_text("a\n")
    seen = []
    golden_files.check(golden, "a\n", seen.append)
    assert seen == [golden]


def test_a_difference_fails_and_names_the_way_to_accept_it(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    golden = tmp_path / "expected.cfg"
    golden.write_text("a\n")
    with pytest.raises(AssertionError, match="differs from its golden \\(UPDATE_GOLDEN=1 rewrites it\\)"):
        golden_files.check(golden, "b\n", lambda path: pytest.fail("checker ran on a mismatch"))
    with pytest.raises(AssertionError, match="no golden file"):
        golden_files.check(tmp_path / "missing.cfg", "a\n")


def test_update_golden_writes_then_checks(tmp_path, monkeypatch):
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    golden = tmp_path / "new" / "expected.cfg"
    seen = []
    golden_files.check(golden, "b\n", seen.append)
    assert golden.read_text() == "b\n" and seen == [golden]
