"""The house rules of the code, checked on the source so they stay true as it grows.

Imports point down: commands -> the core -> the store interface.  The core imports
neither click, rich nor tinydb; store/ imports nothing from the core's behaviour
(changes, reports); no two modules import each other, at module level or inside a
function, except a package's own lazy loader of its submodules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "actiontrack"
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every actiontrack module `path` imports, anywhere in it (functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from actiontrack.domain import rules` imports the submodule rules
            names.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
    return {n for n in names if n.split(".")[0] in ("actiontrack", "click", "rich", "tinydb")}


IMPORTS = {name: _imports(path) for name, path in MODULES.items()}
CORE = [n for n in MODULES if n.split(".")[1:2] and n.split(".")[1] not in ("commands", "store", "__main__")]


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_neither_click_rich_nor_tinydb(module):
    outside = {n for n in IMPORTS[module] if n.split(".")[0] in ("click", "rich", "tinydb")}
    assert not outside, f"{module} imports {sorted(outside)}"


@pytest.mark.parametrize("module", [n for n in MODULES if n.startswith("actiontrack.store")])
def test_the_store_imports_nothing_of_the_cores_behaviour(module):
    above = {n for n in IMPORTS[module]
             if n.startswith(("actiontrack.changes", "actiontrack.reports", "actiontrack.interchange",
                              "actiontrack.commands"))}
    assert not above, f"{module} imports {sorted(above)}"


BELOW_COMMANDS = [n for n in MODULES if not n.startswith("actiontrack.commands") and n != "actiontrack.__main__"]


@pytest.mark.parametrize("module", BELOW_COMMANDS)
def test_nothing_below_the_commands_imports_them(module):
    assert not {n for n in IMPORTS[module] if n.startswith("actiontrack.commands")}, module


def test_no_import_cycles():
    """A package's __init__ may load its own submodules lazily (store's backends, the
    commands' subcommands); any other cycle is a layer leak."""
    graph = {name: {n for n in deps if n in MODULES and n != name and not (
        MODULES[name].name == "__init__.py" and n.startswith(name + "."))} for name, deps in IMPORTS.items()}
    # A module imports its package's __init__ implicitly; only explicit edges count here.
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            if nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for name in sorted(graph):
        if name not in seen:
            visit(name)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_400_lines(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module}: {lines} lines"


def test_the_readme_layout_names_every_module():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    missing = [name for name, path in MODULES.items()
               if path.name != "__init__.py" and path.stem != "__main__" and f"{path.stem}" not in layout]
    assert not missing, f"README's Layout does not name: {missing}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_class_says_what_it_is(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    bare = [node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and not ast.get_docstring(node)]
    assert not bare, f"{module}: classes without a docstring: {bare}"
