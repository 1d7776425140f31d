"""The researchers' commands: facts, entities, claims, search, export, plot, serve and
query read the store (never writing to it); analyze (ingest.cli.analyzing) needs none."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from db.errors import DatabaseError
from db.readers import (
    ClaimFilter,
    CompanyFilter,
    FactFilter,
    read_claims,
    read_entities,
    read_facts,
    read_facts_with_claims,
)
from db.search import SEARCH_COLUMNS, SearchHit, search_articles
from ingest.cli.common import (
    DbOption,
    FormatOption,
    at_least_one,
    err,
    fail,
    language,
    open_for_reading,
    reading,
    settings_for,
)
from ingest.errors import MissingExtra
from ingest.export import ExportFormat, exportable
from ingest.export import export as export_files
from ingest.output import OutputFormat, write_rows
from ingest.plot import PLOT_SUFFIXES, plot_facts

HIGHLIGHT = "bold reverse"  # matching words of a search snippet in a table
LimitOption = Annotated[
    int | None, typer.Option("--limit", callback=at_least_one, help="At most this many rows.")
]
CompanyOption = Annotated[
    str | None,
    typer.Option("--company", help="Company, brand or group: name, kb id or alias."),
]
BrandsOption = Annotated[
    bool,
    typer.Option(
        "--include-brands",
        help="With --company: also its brands, subsidiaries and plants, all the way down.",
    ),
]
ArticleLangOption = Annotated[
    str | None,
    typer.Option("--lang", callback=language, help="Only articles in this language (nl, fr, ...)."),
]
MetricOption = Annotated[str | None, typer.Option("--metric", help="e.g. sales, exports.")]
MinRelevanceOption = Annotated[
    float | None,
    typer.Option(
        "--min-relevance",
        help="Only from articles at least this relevant to the vehicle industry (0-1).",
    ),
]
RelevantOption = Annotated[
    bool,
    typer.Option(
        "--relevant", help="Only from articles on the vehicle industry (relevance 0.5 or more)."
    ),
]

FACT_TABLE_COLUMNS = [
    "fact_id", "subject", "group_name", "metric", "value", "unit", "period_label",
    "qualifier", "location", "confidence", "language", "site",
]  # fmt: skip
CLAIM_TABLE_COLUMNS = [
    "subject", "metric", "value_min", "value_max", "unit", "period_label", "qualifier",
    "location", "n_articles", "languages", "first_seen", "last_seen", "conflict",
]  # fmt: skip
ENTITY_TABLE_COLUMNS = [
    "entity_id", "name", "kind", "parent", "group_name", "country",
    "n_mentions", "n_articles", "n_facts",
]  # fmt: skip


def _print(
    columns: list[str],
    rows: list[tuple[Any, ...]],
    fmt: OutputFormat,
    table_columns: list[str] | None = None,
    empty: str | None = None,
) -> None:
    """Every column in csv and JSON; the main ones in a table, which must fit a screen;
    `empty` on stderr when there are no rows."""
    if fmt is OutputFormat.table and table_columns:
        index = [columns.index(name) for name in table_columns]
        rows = [tuple(_day(row[i]) for i in index) for row in rows]
        columns = table_columns
    write_rows(columns, rows, fmt, empty=empty)


def _day(value: Any) -> Any:
    """Times shown as their day in tables; csv and JSON keep the full time."""
    return value.date() if isinstance(value, datetime) else value


def period_bound(value: str, *, end: bool) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD as the first day (or, with `end`, the last day) it covers."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if day is not None and month is not None:
            return date(year, month, day)
        if not end:
            return date(year, month or 1, 1)
        month = month or 12
        return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        fail(f"a date must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")


def relevance_floor(value: float | None, relevant: bool) -> float | None:
    """The lowest article relevance asked for: `--min-relevance` (0-1) or, with `--relevant`,
    the threshold of on-topic articles; None for every article."""
    if relevant and value is not None:
        fail("--relevant and --min-relevance exclude each other")
    if relevant:
        from nlp.relevance import RELEVANT  # loads the knowledge base: only when asked

        return RELEVANT
    if value is not None and not 0 <= value <= 1:
        fail(f"--min-relevance must be between 0 and 1, not {value:g}")
    return value


def _company(name: str | None, include_brands: bool) -> CompanyFilter | None:
    if name is None:
        if include_brands:
            fail("--include-brands needs --company")
        return None
    return CompanyFilter(name, include_brands)


def facts(
    company: CompanyOption = None,
    include_brands: BrandsOption = False,
    metric: MetricOption = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Periods ending on or after YYYY[-MM[-DD]].")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Periods starting on or before YYYY[-MM[-DD]].")
    ] = None,
    lang: ArticleLangOption = None,
    min_confidence: Annotated[
        float | None, typer.Option("--min-confidence", min=0, max=1, help="Lowest confidence.")
    ] = None,
    min_relevance: MinRelevanceOption = None,
    relevant: RelevantOption = False,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """List facts (v_facts): subject, metric, value, unit, period, evidence and source."""
    where = FactFilter(
        company=_company(company, include_brands),
        metric=metric,
        since=period_bound(since, end=False) if since else None,
        until=period_bound(until, end=True) if until else None,
        lang=lang,
        min_confidence=min_confidence,
        min_relevance=relevance_floor(min_relevance, relevant),
    )
    engine = reading(db)
    try:
        columns, rows = read_facts(engine, where, limit)
    except DatabaseError as exc:
        fail(str(exc))
    _print(columns, rows, fmt, FACT_TABLE_COLUMNS, "no facts match")


def entities(
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="company, brand, group, plant, person, location or org."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Part of the name.")] = None,
    min_relevance: MinRelevanceOption = None,
    relevant: RelevantOption = False,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """List entities (v_entities) with their parent, group and counts, most mentioned first."""
    lowest = relevance_floor(min_relevance, relevant)
    engine = reading(db)
    columns, rows = read_entities(engine, kind, name, limit, lowest)
    _print(columns, rows, fmt, ENTITY_TABLE_COLUMNS, "no entities match")


def claims(
    company: CompanyOption = None,
    include_brands: BrandsOption = False,
    metric: MetricOption = None,
    conflicts: Annotated[
        bool, typer.Option("--conflicts", help="Only claims that other articles contradict.")
    ] = False,
    min_articles: Annotated[
        int, typer.Option("--min-articles", min=1, help="Reported by at least this many.")
    ] = 1,
    min_relevance: MinRelevanceOption = None,
    relevant: RelevantOption = False,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
) -> None:
    """List claims: one row per value of a statement (subject, metric, unit, qualifier,
    location, period), with its articles and languages; a conflict lists the other values."""
    where = ClaimFilter(
        _company(company, include_brands),
        metric,
        conflicts,
        min_articles,
        relevance_floor(min_relevance, relevant),
    )
    engine = reading(db)
    try:
        columns, rows = read_claims(engine, where, limit)
    except DatabaseError as exc:
        fail(str(exc))
    shown = CLAIM_TABLE_COLUMNS
    if conflicts:  # both sides instead of when they were seen
        shown = [name for name in shown if name not in {"first_seen", "last_seen", "conflict"}]
        shown = [*shown, "articles", "against"]
    _print(columns, rows, fmt, shown, "no claims match")


def search(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", OR, -excluded.')],
    lang: ArticleLangOption = None,
    min_relevance: MinRelevanceOption = None,
    relevant: RelevantOption = False,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = 20,
) -> None:
    """Full-text search over article titles and text, best matches first."""
    lowest = relevance_floor(min_relevance, relevant)
    engine = reading(db)
    try:
        hits = search_articles(engine, query, lang, limit, lowest)
    except DatabaseError as exc:
        fail(str(exc))
    rows = [
        tuple(
            _highlighted(hit) if col == "snippet" else getattr(hit, col) for col in SEARCH_COLUMNS
        )
        for hit in hits
    ]
    write_rows(SEARCH_COLUMNS, rows, fmt, empty="no articles match")


def _highlighted(hit: SearchHit) -> Text:
    """The snippet with its matching words in bold reverse (csv and JSON get plain text)."""
    snippet = Text(hit.snippet)
    for start, end in hit.highlights:
        snippet.stylize(HIGHLIGHT, start, end)
    return snippet


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the files.")],
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Export only this table or view (repeatable)."),
    ] = None,
    min_relevance: MinRelevanceOption = None,
    relevant: RelevantOption = False,
    db: DbOption = None,
) -> None:
    """Write every table and view (raw pages aside) to DIR, one file each."""
    known = exportable()
    unknown = sorted(set(only or ()) - set(known))
    if unknown:
        fail(f"cannot export {', '.join(unknown)}; choose from {', '.join(known)}")
    lowest = relevance_floor(min_relevance, relevant)
    engine = reading(db)
    try:
        for path, count in export_files(engine, out, fmt, only or (), lowest):
            err.print(f"{count:>8} rows  {path}", highlight=False)
    except (MissingExtra, OSError) as exc:
        fail(str(exc))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "plot"


def plot(
    company: Annotated[str, typer.Option("--company", help="Company, brand or group.")],
    metric: Annotated[str, typer.Option("--metric", help="e.g. sales, exports.")],
    include_brands: BrandsOption = False,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Unit to draw (default: the most common).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="FILE.png or FILE.svg (default COMPANY-METRIC.png)."),
    ] = None,
    min_relevance: MinRelevanceOption = None,
    relevant: RelevantOption = False,
    db: DbOption = None,
) -> None:
    """Draw a metric's values over their periods: a series per subject (and place), one
    marker per article, actual figures filled, targets and forecasts hollow."""
    path = out or Path(f"{_slug(company)}-{_slug(metric)}.png")
    if path.suffix.lower() not in PLOT_SUFFIXES:
        fail(f"--out must end in .png or .svg, not {path.name!r}")
    where = FactFilter(
        company=CompanyFilter(company, include_brands),
        metric=metric,
        min_relevance=relevance_floor(min_relevance, relevant),
    )
    engine = reading(db)
    try:
        columns, rows = read_facts_with_claims(engine, where)
    except DatabaseError as exc:
        fail(str(exc))
    facts = [dict(zip(columns, row, strict=True)) for row in rows]
    if not facts:
        fail(f"no {metric} facts about {company}")
    subject = f"{company}{' and its brands' if include_brands else ''}"
    try:
        summary = plot_facts(facts, path, subject, metric, unit)
    except (MissingExtra, OSError, ValueError) as exc:
        fail(str(exc))
    if not summary.points:
        fail(f"no {metric} facts about {company} in {unit or summary.unit} with a period")
    err.print(
        f"{path}: {summary.points} facts in {summary.unit}, {len(summary.series)} series "
        f"({', '.join(summary.series)}); statements that articles dispute: {summary.conflicts}",
        highlight=False,
    )
    for other, count in sorted(summary.converted.items()):
        err.print(f"  converted {count} from {other} into {summary.unit}", highlight=False)
    for other, count in sorted(summary.other_units.items()):
        err.print(f"  left out {count} in {other} (choose with --unit)", highlight=False)
    if summary.without_period:
        err.print(f"  left out {summary.without_period} without a period", highlight=False)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8001,
) -> None:
    """Browse the SQLite store in Datasette, read-only, with descriptions and canned queries."""
    from sqlalchemy.engine import make_url

    from ingest.serve import require_datasette
    from ingest.serve import serve as serve_datasette

    settings = settings_for(database_url=db)
    url = make_url(settings.database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        fail("serve works on an SQLite file; on PostgreSQL, connect with any SQL client")
    try:
        require_datasette()
    except MissingExtra as exc:
        fail(str(exc))
    engine = open_for_reading(settings)
    path = Path(engine.url.database or "")
    engine.dispose()
    try:
        code = serve_datasette(path, host, port)
    except MissingExtra as exc:
        fail(str(exc))
    raise typer.Exit(code)


def query(
    sql: Annotated[
        str,
        typer.Argument(help="One SELECT, VALUES, WITH ... SELECT, EXPLAIN or SHOW statement."),
    ],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    limit: LimitOption = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout", min=0.001, help="Stop the query after this many seconds (default 60)."
        ),
    ] = None,
) -> None:
    """Run a read-only SQL query and print the rows.

    Only statements that read are run, on a connection that cannot write; the database
    server itself stops the query at the timeout (setting `query_timeout`).
    """
    from db.readonly import is_superuser, read_only_query  # loads the PostgreSQL driver
    from db.statements import check_read_only

    settings = settings_for(database_url=db, query_timeout=timeout)
    engine = open_for_reading(settings)
    try:
        check_read_only(sql)
        superuser = is_superuser(engine)
        columns, rows = read_only_query(engine, sql, limit, settings.query_timeout)
    except DatabaseError as exc:
        fail(str(exc))  # a refused statement is one line, without the warning below
    if superuser:
        err.print(
            "warning: this PostgreSQL role is a superuser; connect as the read-only "
            "researcher role (db/schema.md) for queries"
        )
    write_rows(columns, rows, fmt, empty="the query returned no rows")
