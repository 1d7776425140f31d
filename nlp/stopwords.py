"""spaCy's stop-word lists, read without importing spaCy's language packages.

`spacy.lang.XX.stop_words` imports the package `spacy.lang.XX` first, with its tokenizer
exceptions and punctuation rules, whose regular expressions take seconds to compile for
all the languages language identification screens. The stop-word modules themselves are
plain sets, so they are executed on their own.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path


@cache
def _lang_directory() -> Path:
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise ImportError("spaCy is not installed")
    return Path(spec.origin).parent / "lang"


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for `lang`; ImportError when spaCy has no list for it."""
    path = _lang_directory() / lang / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_newsfacts_stop_words_{lang}", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ImportError(f"spaCy has no stop words for {lang!r}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)
