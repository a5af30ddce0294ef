# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""clusternet.fabric.file_set through ansible-playbook: a directory holds exactly a set of
files - written once (check mode and --diff first), a rerun changes nothing, a changed text
or mode is put right, exclusive removes only the stale files its pattern matches, and a
name that is no file name is refused before anything is written."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from inline_playbook import module_tasks  # noqa: E402

MODULE = "clusternet.fabric.file_set"


def test_set_written_once_then_kept(tmp_path):
    directory = tmp_path / "ipxe"
    directory.mkdir()
    (directory / "old.ipxe").write_text("#!ipxe\nexit\n")
    (directory / "keep.txt").write_text("not matched by the pattern\n")
    files = {"boot.ipxe": "#!ipxe\nchain ${mac}.ipxe\n"}
    files.update({"52-54-00-00-00-%02x.ipxe" % i: "#!ipxe\nkernel k%d\n" % i for i in range(300)})
    args = {"path": str(directory), "files": files, "mode": "0640", "exclusive": True, "pattern": "*.ipxe"}
    check, first, second = module_tasks(tmp_path, MODULE, [
        {MODULE: args, "check_mode": True, "diff": True}, args, args])
    assert check["changed"] and len(check["written"]) == 301 and check["removed"] == ["old.ipxe"], check
    assert any(d["after"] == files["boot.ipxe"] for d in check["diff"])
    assert first["changed"] and len(first["written"]) == 301 and first["removed"] == ["old.ipxe"], first
    assert not second["changed"] and second["written"] == second["removed"] == second["attributes"] == [], second
    assert sorted(os.listdir(directory)) == sorted(list(files) + ["keep.txt"])
    assert (directory / "52-54-00-00-00-07.ipxe").read_text() == files["52-54-00-00-00-07.ipxe"]
    assert oct((directory / "boot.ipxe").stat().st_mode & 0o777) == "0o640"

    (directory / "boot.ipxe").write_text("edited by hand\n")
    os.chmod(directory / "52-54-00-00-00-01.ipxe", 0o666)
    (third,) = module_tasks(tmp_path, MODULE, [args])
    assert third["written"] == ["boot.ipxe"] and third["attributes"] == ["52-54-00-00-00-01.ipxe"], third
    assert (directory / "boot.ipxe").read_text() == files["boot.ipxe"]
    assert oct((directory / "52-54-00-00-00-01.ipxe").stat().st_mode & 0o777) == "0o640"


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "x\ny"])
def test_a_name_that_is_no_file_name_is_refused(tmp_path, name):
    (result,) = module_tasks(tmp_path, MODULE, [{"path": str(tmp_path), "files": {name: "x\n", "ok": "y\n"}}])
    assert result.get("failed") and "file_set: files is %r" % name in result["msg"], result
    assert not (tmp_path / "ok").exists()


def test_a_name_that_is_a_directory_is_refused(tmp_path):
    (tmp_path / "conf.d").mkdir()
    (result,) = module_tasks(tmp_path, MODULE, [{"path": str(tmp_path), "files": {"conf.d": "x\n", "ok": "y\n"}}])
    assert result.get("failed") and "file_set: files.conf.d is %r: a file, not a directory" % str(tmp_path / "conf.d") in result["msg"], result
    assert (tmp_path / "conf.d").is_dir() and not (tmp_path / "ok").exists()


# a check with teeth: grep refuses a file without the line "ok"
CHECK = "grep -qx ok %s"


def test_every_file_is_checked_before_any_is_written(tmp_path):
    directory = tmp_path / "conf"
    directory.mkdir()
    (directory / "a.conf").write_text("old\n")
    files = {"a.conf": "ok\n", "b.conf": "not ok\n", "c.conf": "unchecked\n"}
    args = {"path": str(directory), "files": files, "validate": {"a.conf": CHECK, "b.conf": CHECK}}
    check, real = module_tasks(tmp_path, MODULE, [{MODULE: args, "check_mode": True, "ignore_errors": True},
                                                  {MODULE: args, "ignore_errors": True}])
    for result in (check, real):
        assert result.get("failed"), result
        assert result["msg"].startswith("file_set: b.conf failed to validate with grep -qx ok "), result["msg"]
        assert result["msg"].endswith("no file of the set was written"), result["msg"]
    # nothing written, not even the files that passed or had no check, and no temporary file left
    assert sorted(os.listdir(directory)) == ["a.conf"] and (directory / "a.conf").read_text() == "old\n"

    files["b.conf"] = "ok\n"
    first, again = module_tasks(tmp_path, MODULE, [args, dict(args, validate={"a.conf": "false %s"})])
    assert first["changed"] and first["written"] == ["a.conf", "b.conf", "c.conf"], first
    assert sorted(os.listdir(directory)) == ["a.conf", "b.conf", "c.conf"]
    # a file whose text is right is not checked again (the failing check is never run)
    assert not again.get("failed") and not again["changed"], again


@pytest.mark.parametrize("validate, why", [({"nope.conf": CHECK}, "a check for a file that is not in files"),
                                           ({"a.conf": "grep -qx ok"}, "a command with %s for the file to check")])
def test_a_check_that_cannot_run_is_refused(tmp_path, validate, why):
    (result,) = module_tasks(tmp_path, MODULE, [{"path": str(tmp_path), "files": {"a.conf": "ok\n"},
                                                 "validate": validate}])
    assert result.get("failed") and why in result["msg"] and "validate." in result["msg"], result
    assert not (tmp_path / "a.conf").exists()
