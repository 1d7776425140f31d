"""Near-duplicate lookup: an article's simhash and its bands, and the first original whose
text is within a few bits of a new one (syndicated copies are stored, not analysed again)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select, update

from db.models import Base
from ingest.fingerprint import BANDS, NEAR_DUPLICATE_BITS, bands, distance, to_signed, to_unsigned

_ARTICLES = Base.metadata.tables["articles"]
_BANDS = Base.metadata.tables["simhash_bands"]
# Originals sharing at least one band with a fingerprint (its bands bound as v0..v3).
_BAND_CANDIDATES = (
    select(
        _ARTICLES.c.id,
        _ARTICLES.c.simhash,
        _ARTICLES.c.language,
        _ARTICLES.c.language_confidence,
        _ARTICLES.c.relevance,
    )
    .join(_BANDS, _BANDS.c.article_id == _ARTICLES.c.id)
    .where(_ARTICLES.c.duplicate_of_id.is_(None))
    .where(
        or_(
            *(
                and_(_BANDS.c.band == band, _BANDS.c.value == bindparam(f"v{band}"))
                for band in range(BANDS)
            )
        )
    )
    .distinct()
    .order_by(_ARTICLES.c.id)
)
_SET_SIMHASH = (
    update(_ARTICLES).where(_ARTICLES.c.id == bindparam("a_id")).values(simhash=bindparam("hash"))
)
_DELETE_BANDS = delete(_BANDS).where(_BANDS.c.article_id == bindparam("a_id"))
_INSERT_BANDS = insert(_BANDS)


def near_duplicate(conn: Connection, fingerprint: int) -> Any:
    """The first original article whose text is within a few bits of this fingerprint
    (its id, simhash, language, language confidence and relevance), or None."""
    values = {f"v{band}": value for band, value in enumerate(bands(fingerprint))}
    for row in conn.execute(_BAND_CANDIDATES, values).all():
        if (
            row.simhash is not None
            and distance(to_unsigned(row.simhash), fingerprint) <= NEAR_DUPLICATE_BITS
        ):
            return row
    return None


def store_fingerprint(
    conn: Connection, article_id: int, fingerprint: int, replace: bool = True
) -> None:
    """The article's simhash and its bands; `replace` drops those of an earlier text (a new
    article has none, and its simhash went in with its row)."""
    if replace:
        conn.execute(_SET_SIMHASH, {"a_id": article_id, "hash": to_signed(fingerprint)})
        conn.execute(_DELETE_BANDS, {"a_id": article_id})
    conn.execute(
        _INSERT_BANDS,
        [
            {"article_id": article_id, "band": band, "value": value}
            for band, value in enumerate(bands(fingerprint))
        ],
    )
