"""Clause subjects from a dependency parse: which noun phrase a figure's clause is about."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from nlp.figures import Figure

# Dependency labels that open a clause of their own (Universal Dependencies and the
# English ClearNLP scheme).
CLAUSE_LABELS = frozenset(
    {"ROOT", "conj", "ccomp", "xcomp", "advcl", "acl", "acl:relcl", "relcl", "parataxis"}
)
SUBJECT_LABELS = ("nsubj", "nsubj:pass", "nsubjpass", "sb", "csubj")
MAX_CLIMB = 8


def figure_subjects(doc: Doc, figures: Iterable[Figure]) -> list[tuple[int, int, int]]:
    """(figure start, subject start, subject end) for each figure whose clause has a
    subject in the parse; nothing when the pipeline has no parser."""
    # Dependency labels from the token array: `Doc.has_annotation` walks every token.
    if not len(doc) or not doc.to_array("DEP").any():
        return []
    found = []
    for figure in figures:
        token = doc.char_span(figure.start, figure.end, alignment_mode="expand")
        if token is None or not len(token):
            continue
        subject = _clause_subject(token.root)
        if subject is not None:
            start = subject.left_edge.idx
            end = subject.right_edge.idx + len(subject.right_edge)
            found.append((figure.start, start, end))
    return found


def _clause_subject(token: Token) -> Token | None:
    """The subject of the nearest clause above `token` that has one."""
    current = token
    for _ in range(MAX_CLIMB):
        for child in current.children:
            if child.dep_ in SUBJECT_LABELS and child.i != token.i:
                return child
        if current.head.i == current.i:
            return None
        current = current.head
    return None
