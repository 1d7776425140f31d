"""Knowledge base of automotive groups, companies, brands, organisations and plants.

The data lives in `data/companies.toml` and `data/plants.toml`; `load_kb()` reads
and validates it.
"""

from nlp.kb.loader import load_kb
from nlp.kb.model import KB_LANGS, KBEntity, KBError, KnowledgeBase
from nlp.kb.validate import validate

__all__ = ["KB_LANGS", "KBEntity", "KBError", "KnowledgeBase", "load_kb", "validate"]
