"""`newsfacts analyze --jsonl`: one output line per record, its id as the source and its
publication date as the anchor of relative periods."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli.app import app

runner = CliRunner()

DUTCH = "Vorig jaar exporteerde Chery 18.600 auto's naar Europa, meldt de fabrikant."
FRENCH_PAGE = (
    '<html lang="fr"><head><title>Acme</title></head><body><article><h1>Acme</h1>'
    "<p>Le constructeur Acme a vendu 5 000 voitures en France en mars, selon ses chiffres "
    "publiés lundi. La marque vise une croissance plus forte cette année avec trois "
    "nouveaux modèles électriques et un réseau de concessionnaires élargi.</p>"
    "</article></body></html>"
)


def _lines(*records: object) -> str:
    return "\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n"


def _analyze(args: list[str], stdin: str | None = None) -> list[dict[str, object]]:
    result = runner.invoke(app, ["analyze", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_each_record_is_one_line_with_its_id_and_its_own_anchor(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        _lines(
            {"id": "a1", "text": "Acme bouwde 1.200 auto's in Gent.", "lang": "nl"},
            {"id": "a2", "text": DUTCH, "lang": "nl", "published": "2026-03-10"},
        )
        + "\n",  # a blank line is skipped
        "utf-8",
    )
    first, second = _analyze(["--jsonl", str(path)])
    assert (first["source"], second["source"]) == ("a1", "a2")
    [fact] = second["facts"]  # type: ignore[misc]
    assert (fact["value"], fact["period"]) == (18600, "2025")
    # Another record's date anchors its own text: published in 2031, last year is 2030.
    [later] = _analyze(
        ["--jsonl", "-"],
        _lines({"id": 7, "text": DUTCH, "published": "2031-01-05T09:00:00+01:00"}),
    )
    assert later["source"] == "7" and later["language"] == "nl"
    assert [f["period"] for f in later["facts"]] == ["2030"]  # type: ignore[union-attr]


def test_records_fall_back_on_the_options_and_html_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_lines({"text": DUTCH}, {"html": FRENCH_PAGE, "id": "page"}), "utf-8")
    dutch, page = _analyze(["--jsonl", str(path), "--published", "2027-06-01"])
    assert dutch["source"] == f"{path}:1"  # no id: the file and line
    assert [f["period"] for f in dutch["facts"]] == ["2026"]  # type: ignore[union-attr]
    assert page["source"] == "page" and page["language"] == "fr"
    assert "5 000 voitures" in json.dumps(page, ensure_ascii=False)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "text": "x"}\nnot json\n', "line 2: not JSON"),
        ('["text"]\n', "line 1: a record must be a JSON object"),
        ('{"id": "a"}\n', "line 1: a record needs `text` or `html`"),
        ('{"text": "x", "html": "<p>x</p>"}\n', "line 1: a record needs `text` or `html`"),
        ('{"text": 5}\n', "line 1: `text` must be a string"),
        ('{"text": "x", "id": [1]}\n', "line 1: `id` must be a string or an integer"),
        ('{"text": "x", "lang": "klingon"}\n', "line 1: `lang` must be a language code"),
        ('{"text": "x", "published": "yesterday"}\n', "line 1: `published` must be"),
        ('{"html": "<p></p>"}\n', "line 1: "),
    ],
)
def test_a_bad_line_is_a_one_line_error_naming_it(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, "utf-8")
    result = runner.invoke(app, ["analyze", "--jsonl", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing analysed before the bad line was found
    assert result.output.startswith(f"error: {path} {message}")
    assert result.output.count("\n") == 1


def test_files_and_jsonl_exclude_each_other(tmp_path: Path) -> None:
    both = runner.invoke(app, ["analyze", "a.txt", "--jsonl", "b.jsonl"])
    assert both.exit_code == 1 and "not both" in both.output
    neither = runner.invoke(app, ["analyze"])
    assert neither.exit_code == 1 and "--jsonl FILE" in neither.output
    missing = runner.invoke(app, ["analyze", "--jsonl", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 1 and "no such file" in missing.output
