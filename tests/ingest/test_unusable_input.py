"""Unusable input gives one line that says what is wrong: a corrupt or read-only database,
a URL with an unknown driver (its password never shown), a directory given as a file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli.app import app

runner = CliRunner()


def _one_line_error(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    return lines[0]


@pytest.mark.parametrize("command", [["facts"], ["status"], ["run", "--feed", "http://x/f"]])
def test_a_corrupt_database_file(tmp_path: Path, command: list[str]) -> None:
    corrupt = tmp_path / "broken.db"
    corrupt.write_bytes(b"this is no database, only some bytes " * 200)
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{corrupt}"])
    assert result.exit_code == 1
    assert "not a database" in _one_line_error(result.output)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+nosuchdriver://reader:s3cret-pw@db.example/news",
        "nosuchdatabase://reader:s3cret-pw@db.example/news",
        "reader:s3cret-pw@db.example",
        "postgresql://reader:s3cret-pw@127.0.0.1:1/news",
    ],
)
def test_a_bad_database_url_never_shows_its_password(url: str) -> None:
    result = runner.invoke(app, ["facts", "--db", url])
    assert result.exit_code == 1
    line = _one_line_error(result.output)
    assert "s3cret-pw" not in line and "reader" in line


def test_a_directory_given_to_analyze(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == 1
    assert "is a directory" in _one_line_error(result.output)


def _as_another_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("needs setpriv to read as another user")
    as_nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*as_nobody, sys.executable, "-c", "import ingest"],
        capture_output=True,
        cwd="/",
        check=False,
    )
    if probe.returncode != 0:  # e.g. a checkout inside a folder only its owner may enter
        pytest.skip("another user cannot read this checkout")
    return as_nobody


def test_read_commands_work_on_a_database_nobody_may_write() -> None:
    base = Path(tempfile.mkdtemp(prefix="newsfacts-readonly-"))  # reachable by any user
    base.chmod(0o755)
    folder = base / "readonly"
    folder.mkdir()
    database = folder / "news.db"
    url = f"sqlite:///{database}"
    assert runner.invoke(app, ["db", "upgrade", "--db", url]).exit_code == 0
    database.chmod(0o444)
    folder.chmod(0o555)
    before = sorted(path.name for path in folder.iterdir())
    try:
        command = [
            *_as_another_user(), sys.executable, "-m", "ingest",
            "query", "select count(*) as n from facts", "--db", url, "--format", "csv",
        ]  # fmt: skip
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, cwd="/", check=False
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["n", "0"]
        facts = subprocess.run(
            [*command[: command.index("query")], "facts", "--db", url, "--format", "csv"],
            capture_output=True, text=True, timeout=120, cwd="/", check=False,
        )  # fmt: skip
        assert facts.returncode == 0, facts.stderr
        assert sorted(path.name for path in folder.iterdir()) == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base)
