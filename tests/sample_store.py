"""A small store written row by row, for tests of the views and the read commands.

Acme Holding (group) -> Acme (company) -> Zeta (brand); the Acme Works plant is operated by
Acme; Other Motors stands alone. Acme's exports for October 2026 are reported by four
articles: 126,400 in Dutch and French, 126,700 in German (0.24 % higher: the same claim) and
140,000 in English (a conflict).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from db import open_database
from db.models import Article, Entity, EntityAlias, Fact, Figure, Mention

TEXTS = {
    "nl": "Acme exporteerde in oktober 126.400 auto's, meldt de fabrikant uit Utrecht.",
    "fr": "Acme a exporté 126 400 voitures en octobre, un record pour le constructeur.",
    "de": "Acme exportierte im Oktober 126.700 Fahrzeuge aus dem Werk in Zwickau.",
    "en": "Acme exported 140,000 cars in October, its sales office said on Monday.",
}


_OFFSETS = itertools.count(5, 10)  # figure offsets only need to be distinct


@dataclass(frozen=True)
class SampleStore:
    """Ids of the rows tests refer to."""

    url: str
    articles: dict[str, int]
    entities: dict[str, int]


def _entity(session: Session, name: str, kind: str, **links: int) -> Entity:
    entity = Entity(key=f"{kind}:{name.casefold()}", kb_id=None, name=name, kind=kind, **links)
    session.add(entity)
    session.flush()
    return entity


def _stored_article(
    session: Session, url: str, title: str, site: str, when: datetime, text: str, key: str
) -> Article:
    """An article as the pipeline stores it, in language `key`'s first part."""
    lang = key.split("-")[0]
    article = Article(
        canonical_url=url,
        url=url,
        title=title,
        site_name=site,
        published_at=when,
        text=text,
        text_hash=key,
        language=lang,
        language_confidence=0.99,
        extractor="test",
        nlp_version="test",
        created_at=when,
        updated_at=when,
    )
    session.add(article)
    session.flush()
    return article


def _article(session: Session, lang: str, day: int, mentioned: Entity) -> Article:
    article = _stored_article(
        session, f"https://news.example/{lang}/acme-exports", f"Acme exports ({lang})",
        f"News {lang}", datetime(2026, 11, day, 9, 0, tzinfo=UTC), TEXTS[lang], lang,
    )  # fmt: skip
    session.add(Mention(article_id=article.id, entity_id=mentioned.id, text="Acme", label="COMPANY",
                        start=0, end=4))  # fmt: skip
    return article


def _fact(
    session: Session,
    article: Article,
    subject: Entity | None,
    metric: str,
    value: float,
    unit: str,
    period: tuple[date, date, str],
    confidence: float = 0.9,
    qualifier: str = "actual",
    location: str | None = None,
) -> None:
    start = next(_OFFSETS)
    figure = Figure(article_id=article.id, text=str(value), value=value, unit=unit,
                    start=start, end=start + 3)  # fmt: skip
    session.add(figure)
    session.flush()
    session.add(
        Fact(
            article_id=article.id,
            figure_id=figure.id,
            subject_entity_id=subject.id if subject else None,
            subject_text=subject.name if subject else None,
            metric=metric,
            value=value,
            unit=unit,
            period_start=period[0],
            period_end=period[1],
            period_label=period[2],
            location=location,
            qualifier=qualifier,
            evidence=article.text,
            evidence_start=0,
            evidence_end=len(article.text),
            confidence=confidence,
        )
    )


OCTOBER = (date(2026, 10, 1), date(2026, 10, 31), "2026-10")
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31), "2025")


def seed(url: str) -> SampleStore:
    """Migrate the database at `url` and write the sample rows."""
    engine = open_database(url)
    with Session(engine) as session, session.begin():
        holding = _entity(session, "Acme Holding", "group")
        acme = _entity(session, "Acme", "company", parent_id=holding.id)
        zeta = _entity(session, "Zeta", "brand", parent_id=acme.id)
        works = _entity(session, "Acme Works", "plant", operator_id=acme.id)
        other = _entity(session, "Other Motors", "company")
        person = _entity(session, "Jan Smit", "person")
        session.add(EntityAlias(entity_id=acme.id, alias="Acme Motor Corp", lang="*"))
        articles = {lang: _article(session, lang, day, acme) for day, lang in enumerate(TEXTS, 1)}
        session.flush()
        for lang in ("nl", "fr"):
            _fact(session, articles[lang], acme, "exports", 126400, "vehicles", OCTOBER)
        _fact(session, articles["de"], acme, "exports", 126700, "vehicles", OCTOBER, 0.6)
        _fact(session, articles["en"], acme, "exports", 140000, "vehicles", OCTOBER)
        _fact(session, articles["nl"], zeta, "sales", 500, "vehicles", YEAR_2025)
        _fact(session, articles["de"], works, "production", 9000, "vehicles", OCTOBER)
        _fact(session, articles["en"], other, "sales", 700, "vehicles", YEAR_2025)
        _fact(session, articles["fr"], None, "registrations", 1000, "vehicles", OCTOBER)
        ids = {e.name: e.id for e in (holding, acme, zeta, works, other, person)}
        article_ids = {lang: article.id for lang, article in articles.items()}
    engine.dispose()
    return SampleStore(url, article_ids, ids)


SERIES_TEXTS = {
    "nl-2024": "Nordvik Group verkocht in 2024 310.000 auto's, het merk Nordvik 41.250 in België.",
    "fr-2025": "Nordvik a vendu 52 000 voitures en France et 39 800 en Belgique en 2025.",
    "de-2025": "Nordvik setzte 2025 in Belgien 36.100 Fahrzeuge ab; die Gruppe erwartet 320.000.",
    "en-2025": "Nordvik Group sold 298,000 cars in 2025 and aims for 330,000 next year. "
    "Lumo, its small-car brand, sold 21,000, or 24,500 counting vans.",
    "en-2024": "Lumo delivered 18,400 units in 2024, a first full year for the brand.",
}
YEARS = {year: (date(year, 1, 1), date(year, 12, 31), str(year)) for year in (2024, 2025, 2026)}


def _story(session: Session, key: str, day: int) -> Article:
    return _stored_article(
        session, f"https://cars.example/{key}", f"Nordvik ({key})", f"Cars {key.split('-')[0]}",
        datetime(2026, 2, day, 8, 0, tzinfo=UTC), SERIES_TEXTS[key], key,
    )  # fmt: skip


def seed_series(url: str) -> SampleStore:
    """A group and two brands over three years: Nordvik Group (group) with brands Nordvik and
    Lumo. The group's sales are actual for 2024-2025, a target (330,000) and a forecast
    (320,000) for 2026. Nordvik's sales are in Belgium and France; for Belgium in 2025 a French
    and a German article disagree (39,800 and 36,100). Lumo's 2025 sales come as two values
    from one English article (21,000 and 24,500: no dispute), its 2024 sales as 18,400 `units`,
    a name older releases stored for vehicles."""
    engine = open_database(url)
    with Session(engine) as session, session.begin():
        group = _entity(session, "Nordvik Group", "group")
        nordvik = _entity(session, "Nordvik", "brand", parent_id=group.id)
        lumo = _entity(session, "Lumo", "brand", parent_id=group.id)
        story = {key: _story(session, key, day) for day, key in enumerate(SERIES_TEXTS, 1)}
        sales = "sales"
        _fact(session, story["nl-2024"], group, sales, 310000, "vehicles", YEARS[2024])
        _fact(session, story["en-2025"], group, sales, 298000, "vehicles", YEARS[2025])
        _fact(session, story["en-2025"], group, sales, 330000, "vehicles", YEARS[2026],
              qualifier="target")  # fmt: skip
        _fact(session, story["de-2025"], group, sales, 320000, "vehicles", YEARS[2026],
              qualifier="forecast")  # fmt: skip
        _fact(session, story["nl-2024"], nordvik, sales, 41250, "vehicles", YEARS[2024],
              location="BE")  # fmt: skip
        _fact(session, story["fr-2025"], nordvik, sales, 39800, "vehicles", YEARS[2025],
              location="BE")  # fmt: skip
        _fact(session, story["de-2025"], nordvik, sales, 36100, "vehicles", YEARS[2025],
              location="BE")  # fmt: skip
        _fact(session, story["fr-2025"], nordvik, sales, 52000, "vehicles", YEARS[2025],
              location="FR")  # fmt: skip
        _fact(session, story["en-2025"], lumo, sales, 21000, "vehicles", YEARS[2025])
        _fact(session, story["en-2025"], lumo, sales, 24500, "vehicles", YEARS[2025])
        _fact(session, story["en-2024"], lumo, sales, 18400, "units", YEARS[2024])
        ids = {e.name: e.id for e in (group, nordvik, lumo)}
        article_ids = {key: article.id for key, article in story.items()}
    engine.dispose()
    return SampleStore(url, article_ids, ids)
