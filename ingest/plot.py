"""Draw a metric's values over their periods: one marker per source article and language.

Each fact is a marker at the middle of its period, with a line across the period; markers of
one claim sit side by side, so every article stays visible. Conflicting values of one period
are joined by a dashed red line and ringed in red. Needs matplotlib (`newsfacts[plot]`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ingest.errors import MissingExtra

PLOT_SUFFIXES = (".png", ".svg")
LANGUAGE_STYLES = {
    "nl": ("o", "#1f77b4"),
    "fr": ("s", "#2ca02c"),
    "de": ("^", "#ff7f0e"),
    "en": ("D", "#9467bd"),
}
OTHER_STYLE = ("v", "#7f7f7f")
CONFLICT_COLOUR = "#d62728"


@dataclass
class PlotSummary:
    """What went into a plot and what was left out."""

    unit: str | None
    points: int = 0
    conflicts: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    other_units: Counter[str] = field(default_factory=Counter)
    without_period: int = 0


def _figure_class() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingExtra("plots need matplotlib: pip install 'newsfacts[plot]'") from exc
    return Figure


def _middle(start: date, end: date) -> date:
    return start + (end - start) / 2


def _number(value: float, _position: object = None) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def plot_facts(
    facts: list[dict[str, Any]], out: Path, title: str, unit: str | None = None
) -> PlotSummary:
    """Draw `facts` (v_facts rows with claim_id and conflict) into a PNG or SVG file.

    Only facts in one unit are drawn: `unit`, or the most common one.
    """
    if out.suffix.lower() not in PLOT_SUFFIXES:
        raise ValueError(f"a plot is written as .png or .svg, not {out.name!r}")
    figure_class = _figure_class()
    units = Counter(fact["unit"] for fact in facts)
    chosen = unit if unit is not None else min(units, key=lambda u: (-units[u], u or ""))
    summary = PlotSummary(
        chosen, other_units=Counter({u: n for u, n in units.items() if u != chosen})
    )
    placed = []
    for fact in facts:
        if fact["unit"] != chosen:
            continue
        if fact["period_start"] is None or fact["period_end"] is None:
            summary.without_period += 1
            continue
        placed.append(fact)
    if not placed:
        return summary

    first = min(fact["period_start"] for fact in placed)
    last = max(fact["period_end"] for fact in placed)
    step = timedelta(days=max((last - first).days, 30) * 0.03)
    claims: dict[Any, list[dict[str, Any]]] = {}
    for fact in sorted(placed, key=lambda f: (f["article_id"], f["fact_id"])):
        claims.setdefault(fact["claim_id"] or -fact["fact_id"], []).append(fact)

    from matplotlib import rc_context
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    with rc_context({"svg.fonttype": "none"}):
        figure = figure_class(figsize=(10, 5.5), layout="constrained")
        axes = figure.add_subplot()
        conflict_periods: dict[tuple[date, date], list[float]] = {}
        for members in claims.values():
            for index, fact in enumerate(members):
                start, end, value = fact["period_start"], fact["period_end"], fact["value"]
                x = _middle(start, end) + step * (index - (len(members) - 1) / 2)
                marker, colour = LANGUAGE_STYLES.get(fact["language"], OTHER_STYLE)
                conflict = bool(fact["conflict"])
                axes.hlines(value, start, end, colors="#b0b0b0", linewidth=1.5, zorder=1)
                axes.scatter(
                    [x],
                    [value],
                    marker=marker,
                    s=70,
                    color=colour,
                    zorder=3,
                    edgecolors=CONFLICT_COLOUR if conflict else "white",
                    linewidths=2.5 if conflict else 0.8,
                )
                summary.points += 1
                summary.languages[fact["language"]] += 1
                if conflict:
                    conflict_periods.setdefault((start, end), []).append(value)
        for (start, end), values in conflict_periods.items():
            middle = _middle(start, end)
            axes.vlines(
                middle,
                min(values),
                max(values),
                colors=CONFLICT_COLOUR,
                linestyles="dashed",
                linewidth=1.2,
                zorder=2,
            )
            axes.annotate(
                "conflict",
                (middle, max(values)),
                textcoords="offset points",
                xytext=(6, 6),
                color=CONFLICT_COLOUR,
                fontsize=9,
            )
        summary.conflicts = len(conflict_periods)

        handles = []
        for language, count in sorted(summary.languages.items()):
            marker, colour = LANGUAGE_STYLES.get(language, OTHER_STYLE)
            label = f"{language} ({count} {'fact' if count == 1 else 'facts'})"
            handles.append(Line2D([], [], marker=marker, color=colour, linestyle="", label=label))
        if summary.conflicts:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    color="white",
                    markeredgecolor=CONFLICT_COLOUR,
                    markeredgewidth=2.5,
                    linestyle="",
                    label="conflicting values",
                )
            )
        axes.legend(
            handles=handles, title="article language", loc="upper left", bbox_to_anchor=(1.01, 1)
        )
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        axes.yaxis.set_major_formatter(FuncFormatter(_number))
        axes.set_ylabel(chosen or "value")
        axes.set_title(title)
        axes.grid(True, axis="y", alpha=0.3)
        figure.savefig(out, format=out.suffix.lower().lstrip("."), dpi=120)
    return summary
