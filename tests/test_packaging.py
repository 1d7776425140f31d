"""What an installed (non-editable) copy carries besides the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*_cache", "*.db*")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pytest.importorskip("setuptools", reason="building the wheel needs setuptools")
    # Built from a copy: a build/ folder left in the checkout would be packed as it is.
    source = tmp_path_factory.mktemp("source") / "newsfacts"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    [wheel] = out.glob("newsfacts-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_the_schema_docs_serve_describes_tables_with(
    wheel_names: set[str],
) -> None:
    from ingest.serve import SCHEMA_DOC

    assert SCHEMA_DOC.relative_to(ROOT).as_posix() in wheel_names


def test_the_wheel_carries_the_data_the_code_reads(wheel_names: set[str]) -> None:
    for folder in ("nlp/kb/data", "ingest/datasette_templates", "ingest/datasette_plugins"):
        shipped = {path.relative_to(ROOT).as_posix() for path in (ROOT / folder).iterdir()}
        shipped = {name for name in shipped if not name.endswith(("__pycache__", ".pyc"))}
        assert shipped <= wheel_names, sorted(shipped - wheel_names)
    assert "migrations/env.py" in wheel_names
