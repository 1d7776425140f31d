"""The packages import without circles: no module of ingest/, nlp/ or db/ imports, directly
or lazily (inside a function, or only for type checking), a module that imports it back."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "nlp", "db")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _imported(tree: ast.AST, known: dict[str, Path], package: str) -> set[str]:
    """Project modules a module's source imports anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known}


def import_graph() -> dict[str, set[str]]:
    """Each project module and the project modules it imports."""
    known = _modules()
    graph = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = _imported(tree, known, package) - {name}
    return graph


def test_the_graph_sees_lazy_and_type_checking_imports() -> None:
    graph = import_graph()
    assert "ingest.cli.research" in graph["ingest.cli.app"]
    assert "ingest.pipeline" in graph["ingest.cli.ingesting"]  # inside a function
    assert "nlp.relevance" in graph["ingest.cli.research"]  # only under TYPE_CHECKING
    assert "db.engine" in graph["db"]  # a package's __init__


def test_a_circle_would_be_found() -> None:
    graph = import_graph()
    graph["db.errors"] = graph["db.errors"] | {"ingest.cli.app"}
    with pytest.raises(CycleError):
        tuple(TopologicalSorter(graph).static_order())


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as exc:
        pytest.fail(f"import circle: {' -> '.join(exc.args[1])}")
