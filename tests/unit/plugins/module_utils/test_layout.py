# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: (c) 2026, clusternet.fabric maintainers
"""The module_utils rooms and their one-way imports (docs/DEVELOPING.md, Layout)."""

from __future__ import annotations

import ast
import pathlib

import pytest

MODULE_UTILS = pathlib.Path(__file__).resolve().parents[4] / "plugins" / "module_utils"
PREFIX = "ansible_collections.clusternet.fabric.plugins.module_utils"
# room -> the rooms it may import from (itself included)
ALLOWED = {
    "checks": {"checks"},
    "model": {"checks", "model"},
    "render": {"checks", "model", "render"},
    "k8s": {"k8s"},
    "runners": {"checks", "model", "render", "k8s", "runners"},
}


def room(path):
    rel = path.relative_to(MODULE_UTILS)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imported_rooms(path):
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            rest = node.module[len(PREFIX):].lstrip(".")
            if rest:
                rooms.add(rest.split(".")[0])
            else:  # from ...module_utils import checks
                rooms.update(alias.name for alias in node.names)
    return rooms


SOURCES = sorted(p for p in MODULE_UTILS.rglob("*.py") if p.name != "__init__.py")


def test_every_file_lives_in_a_room():
    """No flat module besides checks.py: a newcomer finds a change's room from the layout."""
    assert {room(p) for p in SOURCES} == set(ALLOWED)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(MODULE_UTILS)))
def test_imports_go_one_way(path):
    """checks at the bottom, model above, render above both, k8s beside, runners on top."""
    assert imported_rooms(path) <= ALLOWED[room(path)], path
