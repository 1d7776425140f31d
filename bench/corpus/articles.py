"""One deterministic article page per index: text from templates, names from the KB."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from html import escape

from bench.corpus.templates import LANGUAGES, Language
from nlp.kb import KBEntity, load_kb

LANG_ORDER = ("nl", "fr", "de", "en")
MIN_WORDS = 400
MAX_WORDS = 900
EPOCH = datetime(2025, 1, 6, 7, 0, tzinfo=UTC)


@dataclass(frozen=True)
class CorpusArticle:
    """A generated article page."""

    index: int
    slug: str
    lang: str
    title: str
    published: datetime
    words: int
    html: str


@lru_cache(maxsize=1)
def _cast() -> tuple[tuple[KBEntity, ...], tuple[tuple[KBEntity, KBEntity], ...]]:
    """Companies and brands, and active plants with their operators, from the KB."""
    kb = load_kb()
    companies = tuple(
        e for e in kb.entities.values() if e.kind in ("company", "brand") and not e.case_sensitive
    )
    plants = tuple(
        (plant, kb.entities[plant.operator])
        for plant in kb.entities.values()
        if plant.is_plant and plant.operator in kb.entities and plant.city
    )
    return companies, plants


def _number(value: float, lang: Language, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", lang.decimal).replace("\0", lang.thousands)


class _Writer:
    """Fills templates for one article with one cast of names and fresh figures."""

    def __init__(self, rng: random.Random, lang: Language) -> None:
        companies, plants = _cast()
        plant, operator = rng.choice(plants)
        self.rng = rng
        self.lang = lang
        self.slots = {
            "company": operator.name,
            "plant": plant.name,
            "city": plant.city or "",
            "other": rng.choice(companies).name,
        }

    def fill(self, template: str) -> str:
        rng, lang = self.rng, self.lang
        return template.format(
            **self.slots,
            n=_number(rng.randint(800, 160_000), lang),
            pct=lang.percent.format(v=_number(rng.uniform(0.5, 35), lang, 1)),
            money=lang.money.format(v=_number(rng.randint(40, 2_500), lang)),
            emp=_number(rng.randint(300, 12_000), lang),
            month=rng.choice(lang.months),
            year=rng.choice((2024, 2025, 2026)),
            k=rng.randint(3, 10),
        )

    def sentence(self) -> str:
        lang = self.lang
        if self.rng.random() < 0.45:
            return self.fill(self.rng.choice(lang.facts))
        text = self.fill(self.rng.choice(lang.context))
        if self.rng.random() < 0.3:
            opener = self.rng.choice(lang.openers)
            separator = ":" if lang.code in ("nl", "de") else ","
            text = f"{opener}{separator} {text[0].lower()}{text[1:]}"
        return text


def build_article(
    index: int, total: int, base_url: str = "", words: tuple[int, int] = (MIN_WORDS, MAX_WORDS)
) -> CorpusArticle:
    """Article number `index` of a corpus of `total` served at `base_url`, its length
    drawn from `words` (the last paragraph may overshoot a little)."""
    rng = random.Random(index)
    lang = LANGUAGES[LANG_ORDER[index % len(LANG_ORDER)]]
    writer = _Writer(rng, lang)
    title = writer.fill(rng.choice(lang.titles))
    target = rng.randint(words[0] + 40, max(words[0] + 40, words[1] - 60))
    paragraphs: list[str] = []
    count = len(title.split())
    while count < target:
        sentences = [writer.sentence() for _ in range(rng.randint(3, 5))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    published = EPOCH + timedelta(hours=7 * index + rng.randint(0, 6))
    slug = f"{lang.code}-{index:05d}"
    author = rng.choice(lang.authors)
    related = [rng.randrange(total) for _ in range(4)]
    html = _page(lang, base_url, slug, title, author, published, paragraphs, related)
    return CorpusArticle(index, slug, lang.code, title, published, count, html)


def article_path(index: int) -> str:
    """The URL path of article `index`."""
    return f"/news/{LANG_ORDER[index % len(LANG_ORDER)]}-{index:05d}.html"


def _page(
    lang: Language,
    base_url: str,
    slug: str,
    title: str,
    author: str,
    published: datetime,
    paragraphs: list[str],
    related: list[int],
) -> str:
    stamp = published.isoformat()
    nav = "".join(f'<a href="/#{escape(item.lower())}">{escape(item)}</a>' for item in lang.nav)
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    links = "".join(
        f'<li><a href="{article_path(i)}">{escape(lang.related)} {i}</a></li>' for i in related
    )
    return f"""<!DOCTYPE html>
<html lang="{lang.code}">
<head>
<meta charset="utf-8">
<title>{escape(title)} | {escape(lang.site)}</title>
<meta name="author" content="{escape(author)}">
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{escape(lang.site)}">
<meta property="article:published_time" content="{stamp}">
<link rel="canonical" href="{base_url}/news/{slug}.html">
</head>
<body>
<div id="cookie-banner"><strong>{escape(lang.cookie_title)}</strong>
<p>{escape(lang.cookie_text)}</p><a href="/#cookies">{escape(lang.cookie_accept)}</a></div>
<header><div class="brand"><a href="/">{escape(lang.site)}</a>
<span>{escape(lang.tagline)}</span></div><nav>{nav}</nav></header>
<main><article>
<header><h1>{escape(title)}</h1>
<div class="byline"><span class="author">{escape(author)}</span>
<time datetime="{stamp}">{published:%Y-%m-%d %H:%M}</time></div></header>
{body}
</article>
<section class="related"><h2>{escape(lang.related)}</h2><ul>{links}</ul></section>
<section class="comments"><h2>{escape(lang.comments)}</h2>
<p>{escape(lang.comments_text)}</p></section>
</main>
<aside><h2>{escape(lang.most_read)}</h2><ul>{links}</ul></aside>
<footer><p>{escape(lang.footer)}</p></footer>
</body>
</html>
"""
