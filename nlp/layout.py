"""Where things are in a text: sentences, paragraphs, blocks (a paragraph with the
heading above it) and clauses."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass


def distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two spans; 0 when they touch or overlap."""
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


@dataclass(frozen=True)
class Sentence:
    """A sentence's span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


def sentences_with_paragraphs(text: str, spans: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Attach a paragraph number (blank-line or newline separated) to each sentence span."""
    return [Sentence(start, end, text.count("\n", 0, start)) for start, end in spans]


# A clause ends at a semicolon, a colon, a spaced dash, or a comma before "but", "while".
_CLAUSE_BREAK = re.compile(
    r";|\s[–—]\s|:\s|,\s*(?:maar|mais|aber|but|while|whereas|terwijl|alors\s+que|tandis\s+que|"
    r"während|whilst|doch|however)\b",
    re.I,
)


class Layout:
    """The sentences of one text, their blocks, and the clauses within them."""

    def __init__(self, text: str, sentences: Sequence[Sentence]) -> None:
        self.text = text
        self.sentences = list(sentences)
        self.starts = [sentence.start for sentence in self.sentences]
        self.blocks = blocks(text, self.sentences)

    def index_of(self, offset: int) -> int | None:
        """The index of the sentence holding `offset`, if any."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return index
        return None

    def previous_in_block(self, index: int) -> int | None:
        """The sentence before `index`, when it is in the same block."""
        if index > 0 and self.blocks[index - 1] == self.blocks[index]:
            return index - 1
        return None

    def contains(self, index: int, start: int, end: int) -> bool:
        """Whether [start, end) lies within sentence `index`."""
        sentence = self.sentences[index]
        return sentence.start <= start and end <= sentence.end

    def clause_start(self, position: int, sentence: Sentence) -> int:
        """Where the clause holding `position` starts: after the last strong break."""
        start = sentence.start
        for match in _CLAUSE_BREAK.finditer(self.text, sentence.start, position):
            start = match.end()
        return start


def blocks(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """A block number per sentence: its paragraph, where a heading (a short line with no
    full stop) joins the paragraph after it."""
    paragraph_lines: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        paragraph_lines.setdefault(sentence.paragraph, []).append(sentence)
    order = sorted(paragraph_lines)
    block_of: dict[int, int] = {}
    for position in range(len(order) - 1, -1, -1):
        paragraph = order[position]
        lines = paragraph_lines[paragraph]
        body = text[lines[0].start : lines[-1].end].strip()
        heading = len(lines) == 1 and len(body.split()) <= 12 and body[-1:] not in '.!?:;»"”'
        if heading and position + 1 < len(order):
            block_of[paragraph] = block_of[order[position + 1]]
        else:
            block_of[paragraph] = paragraph
    return [block_of[sentence.paragraph] for sentence in sentences]
