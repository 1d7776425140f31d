"""Draw a metric's values over their periods: one series per subject, one marker per article.

Each subject (a group, each of its brands) is a series with its own colour and marker; a
subject reported for more than one place is one series per place, the place in its label.
Each fact is a marker at the middle of its period with a line across the period: filled and
solid for what happened, hollow and dashed for a target, hollow and dotted for a forecast.
Markers of one period stand side by side, so every article stays visible. Values of one
statement that articles dispute are ringed in red and joined by a dashed red line. Units that
mean the same are drawn as one (`units` as `vehicles`, MWh in GWh). Needs matplotlib
(`newsfacts[plot]`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from ingest.errors import MissingExtra
from nlp.units import canonical_unit, common_unit, convert, unit_kind

PLOT_SUFFIXES = (".png", ".svg")
SERIES_STYLES = (
    ("o", "#1f77b4"),
    ("s", "#ff7f0e"),
    ("^", "#2ca02c"),
    ("D", "#9467bd"),
    ("v", "#8c564b"),
    ("P", "#e377c2"),
    ("X", "#17becf"),
    ("h", "#bcbd22"),
)
CONFLICT_COLOUR = "#d62728"
LineStyle = Literal["solid", "dashed", "dotted", "dashdot"]
# How each qualifier is drawn: (marker filled, line style, legend label).
QUALIFIER_STYLES: dict[str, tuple[bool, LineStyle, str]] = {
    "actual": (True, "solid", "reported (filled, solid)"),
    "target": (False, "dashed", "target (hollow, dashed)"),
    "forecast": (False, "dotted", "forecast (hollow, dotted)"),
}
OTHER_QUALIFIER: tuple[bool, LineStyle, str] = (True, "dashdot", "{} (filled, dash-dot)")


@dataclass
class PlotSummary:
    """What went into a plot and what was left out."""

    unit: str | None
    points: int = 0
    conflicts: int = 0
    series: list[str] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    qualifiers: Counter[str] = field(default_factory=Counter)
    converted: Counter[str] = field(default_factory=Counter)
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


def _qualifier_style(qualifier: str | None) -> tuple[bool, LineStyle, str]:
    name = qualifier or "actual"
    if name in QUALIFIER_STYLES:
        return QUALIFIER_STYLES[name]
    filled, line, label = OTHER_QUALIFIER
    return filled, line, label.format(name)


def _chosen_unit(facts: list[dict[str, Any]], unit: str | None) -> tuple[str | None, str | None]:
    """(kind, unit to draw in): `unit`'s kind, or the most common kind among the facts."""
    if unit is not None:
        return unit_kind(unit), canonical_unit(unit)
    kinds = Counter(unit_kind(fact["unit"]) for fact in facts)
    kind = min(kinds, key=lambda k: (-kinds[k], k or ""))
    return kind, common_unit(fact["unit"] for fact in facts if unit_kind(fact["unit"]) == kind)


def _series_labels(facts: list[dict[str, Any]]) -> dict[tuple[Any, Any], str]:
    """A label per (subject, location): the subject's name, with the place when that subject
    is reported for more than one place ("no place named" for facts that name none)."""
    places: dict[Any, set[Any]] = {}
    for fact in facts:
        places.setdefault(fact["subject"], set()).add(fact["location"])
    labels = {}
    for fact in facts:
        subject, location = fact["subject"], fact["location"]
        name = subject or "?"
        if len(places[subject]) > 1:
            name = f"{name} ({location or 'no place named'})"
        labels[(subject, location)] = name
    return labels


def _span(first: date, last: date) -> str:
    return str(first.year) if first.year == last.year else f"{first.year}-{last.year}"


def _unit_name(unit: str | None) -> str:
    return (unit or "no unit").replace("_", " ")


def plot_facts(
    facts: list[dict[str, Any]],
    out: Path,
    subject: str,
    metric: str,
    unit: str | None = None,
) -> PlotSummary:
    """Draw `facts` (v_facts rows with claim_id and conflict) into a PNG or SVG file.

    Only facts of one unit are drawn, units of its kind converted into it: `unit`, or the
    most common. The title names `subject`, `metric`, the unit and the years shown.
    """
    if out.suffix.lower() not in PLOT_SUFFIXES:
        raise ValueError(f"a plot is written as .png or .svg, not {out.name!r}")
    figure_class = _figure_class()
    kind, chosen = _chosen_unit(facts, unit) if facts else (None, unit)
    summary = PlotSummary(chosen)
    placed = []
    for fact in facts:
        if unit_kind(fact["unit"]) != kind:
            summary.other_units[canonical_unit(fact["unit"]) or "no unit"] += 1
            continue
        if fact["period_start"] is None or fact["period_end"] is None:
            summary.without_period += 1
            continue
        if canonical_unit(fact["unit"]) != chosen:
            summary.converted[fact["unit"]] += 1
        placed.append({**fact, "value": convert(fact["value"], fact["unit"], chosen)})
    if not placed:
        return summary

    labels = _series_labels(placed)
    order = sorted(set(labels.values()))
    styles = {label: SERIES_STYLES[i % len(SERIES_STYLES)] for i, label in enumerate(order)}
    summary.series = order
    first = min(fact["period_start"] for fact in placed)
    last = max(fact["period_end"] for fact in placed)
    step = timedelta(days=max((last - first).days, 30) * 0.03)
    # Markers of one period side by side: by series, qualifier, value and article.
    periods: dict[tuple[date, date], list[dict[str, Any]]] = {}
    for fact in sorted(
        placed,
        key=lambda f: (
            order.index(labels[(f["subject"], f["location"])]),
            f["qualifier"] or "",
            f["value"],
            f["article_id"],
            f["fact_id"],
        ),
    ):
        periods.setdefault((fact["period_start"], fact["period_end"]), []).append(fact)

    from matplotlib import rc_context
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    with rc_context({"svg.fonttype": "none"}):
        figure = figure_class(figsize=(10, 5.5), layout="constrained")
        axes = figure.add_subplot()
        trend: dict[tuple[str, bool], dict[date, list[tuple[date, float, Any]]]] = {}
        disputed: dict[tuple[str, str | None, date, date], list[tuple[date, float]]] = {}
        for (start, end), members in sorted(periods.items()):
            for index, fact in enumerate(members):
                value, label = fact["value"], labels[(fact["subject"], fact["location"])]
                marker, colour = styles[label]
                filled, line, _ = _qualifier_style(fact["qualifier"])
                x = _middle(start, end) + step * (index - (len(members) - 1) / 2)
                conflict = bool(fact["conflict"])
                axes.hlines(
                    value, start, end, colors=colour, linestyles=line, linewidth=1.6,
                    alpha=0.55, zorder=1,
                )  # fmt: skip
                axes.scatter(
                    [x],
                    [value],
                    marker=marker,
                    s=70,
                    facecolors=colour if filled else "white",
                    edgecolors=CONFLICT_COLOUR if conflict else colour,
                    linewidths=2.5 if conflict else 1.5,
                    zorder=3,
                )
                summary.points += 1
                summary.languages[fact["language"]] += 1
                summary.qualifiers[fact["qualifier"] or "actual"] += 1
                plain = (fact["qualifier"] or "actual") not in {"target", "forecast"}
                claim = fact["claim_id"] or -fact["fact_id"]
                trend.setdefault((label, plain), {}).setdefault(start, []).append((x, value, claim))
                if conflict:
                    key = (label, fact["qualifier"], start, end)
                    disputed.setdefault(key, []).append((x, value))
        for (label, plain), points in trend.items():
            if len(points) > 1 and plain:  # what happened, joined period to period
                means = [_joint(points[start]) for start in sorted(points)]
                axes.plot(
                    [x for x, _ in means],
                    [y for _, y in means],
                    color=styles[label][1],
                    linewidth=1,
                    alpha=0.6,
                    zorder=2,
                )
        for (_label, _qualifier, _start, _end), values in disputed.items():
            xs = [x for x, _ in values]
            middle = min(xs) + (max(xs) - min(xs)) / 2
            low, high = min(v for _, v in values), max(v for _, v in values)
            axes.vlines(
                middle, low, high, colors=CONFLICT_COLOUR, linestyles="dashed", linewidth=1.2,
                zorder=2,
            )  # fmt: skip
        summary.conflicts = len(disputed)

        handles = []
        for label in order:
            marker, colour = styles[label]
            handles.append(Line2D([], [], marker=marker, color=colour, label=label))
        for qualifier in sorted(summary.qualifiers, key=_qualifier_order):
            filled, line, text = _qualifier_style(qualifier)
            handles.append(
                Line2D(
                    [], [], marker="o", color="#555555", linestyle=line,
                    markerfacecolor="#555555" if filled else "white", label=text,
                )
            )  # fmt: skip
        if summary.conflicts:
            handles.append(
                Line2D(
                    [], [], marker="o", color="white", markeredgecolor=CONFLICT_COLOUR,
                    markeredgewidth=2.5, linestyle="", label="articles disagree",
                )
            )  # fmt: skip
        axes.legend(
            handles=handles, title="series and kind of figure", loc="upper left",
            bbox_to_anchor=(1.01, 1), fontsize=9,
        )  # fmt: skip
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        axes.yaxis.set_major_formatter(FuncFormatter(_number))
        axes.set_ylabel(f"{metric} ({_unit_name(chosen)})")
        axes.set_xlabel("period reported (marker at its middle, line across it)")
        places = {fact["location"] for fact in placed}
        where = f" in {next(iter(places))}" if len(places) == 1 and None not in places else ""
        axes.set_title(
            f"{subject}: {metric} in {_unit_name(chosen)}{where}, {_span(first, last)}\n"
            f"{summary.points} facts from {len({f['article_id'] for f in placed})} articles",
            fontsize=11,
        )
        low = min(fact["value"] for fact in placed)
        high = max(fact["value"] for fact in placed)
        if low >= 0 and high > 0:  # counts and amounts from zero, so sizes compare
            axes.set_ylim(0, high * 1.08)
        axes.grid(True, axis="y", alpha=0.3)
        figure.savefig(out, format=out.suffix.lower().lstrip("."), dpi=120)
    return summary


def _joint(points: list[tuple[date, float, Any]]) -> tuple[date, float]:
    """Where a series' line passes in one period: the middle of its markers at their mean
    value when they are one claim; nowhere (a gap) when articles give different values."""
    xs = sorted(x for x, _, _ in points)
    if len({claim for _, _, claim in points}) > 1:
        return xs[0], math.nan
    return xs[0] + (xs[-1] - xs[0]) / 2, sum(y for _, y, _ in points) / len(points)


def _qualifier_order(qualifier: str) -> tuple[int, str]:
    return (
        list(QUALIFIER_STYLES).index(qualifier) if qualifier in QUALIFIER_STYLES else 9,
        qualifier,
    )
