"""Texts longer than spaCy takes at once are read in pieces, with document offsets."""

from __future__ import annotations

import json
import time
from pathlib import Path

from typer.testing import CliRunner

from ingest.cli.app import app
from nlp.analysis import Analysis, Analyzer, pieces

# Paragraphs that stand alone: each names its own company, place and figures.
PARAGRAPHS = [
    "Volvo Cars bouwde vorig jaar 206.000 auto's in de fabriek van Gent.",
    "Toyota verkocht in 2025 in Nederland 31.200 auto's, meldt de importeur.",
    "Kia verkocht in 2025 in Nederland 28.232 auto's, een stijging van 12 procent.",
    "Renault investeert 300 miljoen euro in zijn fabriek in Douai.",
    "BMW produceerde in Regensburg 250.000 auto's in 2024.",
    "De vakbond vraagt meer personeel voor de nieuwe lijn in Born.",
]
TEXT = "\n".join(PARAGRAPHS)


def filler_paragraph(number: int) -> str:
    """A plain Dutch paragraph of about 500 characters, different for every number."""
    return (
        f"Dit is alinea {number} van een heel lang verslag over het verkeer in de stad. "
        "De gemeente wil dat er meer mensen met de fiets naar het werk gaan, en daarom "
        "komen er nieuwe paden langs het water en door het park. Volgens de wethouder is "
        "het de bedoeling dat de drukte in het centrum zo afneemt. Bewoners van de wijk "
        "zijn er niet allemaal blij mee, want zij vrezen dat er minder plaats overblijft "
        "voor hun auto's. Er komt na de zomer een avond waarop iedereen zijn mening kan "
        "geven over het plan."
    )


def spans(analysis: Analysis) -> tuple[list[object], list[object], list[object]]:
    """What an analysis found, by offsets: comparable between two ways of reading."""
    return (
        [(m.start, m.end, m.label, m.kb_id) for m in analysis.entities],
        [(f.start, f.end, f.value, f.unit) for f in analysis.figures],
        [
            (f.figure.start, f.metric, f.value, f.evidence_start, f.evidence_end)
            for f in analysis.facts
        ],
    )


def test_pieces_end_between_paragraphs_else_sentences_else_words() -> None:
    text = "aaaa bbbb.\ncccc dddd eeee. ffff gggg hhhh iiii jjjj kkkk" + "x" * 30
    found = pieces(text, 20)
    assert text[slice(*found[0])] == "aaaa bbbb.\n"  # after the line break
    assert text[slice(*found[1])] == "cccc dddd eeee. "  # after the sentence
    assert text[slice(*found[2])] == "ffff gggg hhhh iiii "  # after a word
    assert all(end - start <= 20 for start, end in found)
    assert [start for start, _ in found[1:]] == [end for _, end in found[:-1]]  # contiguous
    assert found[-1][1] == len(text)
    assert "".join(text[start:end] for start, end in found) == text
    assert pieces("short", 20) == [(0, 5)]
    assert pieces("y" * 45, 20) == [(0, 20), (20, 40), (40, 45)]  # no space: cut at the limit


def test_a_text_read_in_pieces_keeps_document_offsets() -> None:
    whole = Analyzer().analyze(TEXT, lang="nl")
    in_pieces = Analyzer(max_piece_chars=120).analyze(TEXT, lang="nl")
    assert len(pieces(TEXT, 120)) > 2
    assert whole.facts and whole.figures and whole.entities
    for mention in in_pieces.entities:
        assert TEXT[mention.start : mention.end] == mention.text
    for figure in in_pieces.figures:
        assert TEXT[figure.start : figure.end] == figure.text
    for fact in in_pieces.facts:
        assert TEXT[fact.evidence_start : fact.evidence_end] == fact.evidence
    # Paragraphs that stand alone read the same whole or in pieces.
    assert spans(in_pieces) == spans(whole)


def test_analyze_many_reads_long_texts_in_pieces_too() -> None:
    analyzer = Analyzer(max_piece_chars=120)
    short, long = PARAGRAPHS[0], TEXT
    many = analyzer.analyze_many([short, long], declared=["nl", "nl"])
    assert spans(many[1]) == spans(analyzer.analyze(long, declared="nl"))
    assert spans(many[0]) == spans(analyzer.analyze(short, declared="nl"))


def test_analyze_reads_a_file_longer_than_spacy_takes(tmp_path: Path) -> None:
    """`newsfacts analyze` on a text over spaCy's 1,000,000 characters (error E088 before)."""
    body = "\n".join(filler_paragraph(number) for number in range(2_100))
    text = f"{body}\n{PARAGRAPHS[0]}"
    assert len(text) > 1_000_000
    path = tmp_path / "long.txt"
    path.write_text(text, "utf-8")
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["analyze", "--lang", "nl", str(path)])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["language"] == "nl"
    assert {"Volvo Cars", "fabriek van Gent"} <= {entity["text"] for entity in found["entities"]}
    assert any(fact["value"] == 206_000 for fact in found["facts"])
    assert seconds < 120, f"{seconds:.0f} s for {len(text):,} characters"
