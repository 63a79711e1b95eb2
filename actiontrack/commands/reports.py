"""`overdue`, `slippage` and `report`: what clerks table and cron jobs read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import click

from actiontrack.commands.columns import (
    CSV_ACTION_KEYS,
    CSV_NEW_KEYS,
    DUE,
    OVERDUE_COLUMNS,
    RAG_STYLES,
    SLIPPAGE_COLUMNS,
    Column,
    display,
)
from actiontrack.commands.common import UK_DATE, App, exit_code_option, finish, format_option, formats, pass_app
from actiontrack.commands.layout import rich_table
from actiontrack.commands.output import (
    console,
    emit_rows,
    output_option,
    rendered_as,
    to_csv,
    to_json,
    to_markdown,
)
from actiontrack.commands.wrapping import whole_dates
from actiontrack.reports import listings
from actiontrack.reports.views import KINDS, ItemFilter

SLIPPAGE_CSV_KEYS = CSV_ACTION_KEYS + ["reason", "reasons", "new", "latest_reason"] + CSV_NEW_KEYS
OVERDUE_CSV_KEYS = CSV_ACTION_KEYS + ["overdue_by"] + CSV_NEW_KEYS


def item_filters(func):
    """--plan, --theme, --owner, --kind, --body: shared by the clerk's reports."""
    for option in reversed([
        click.option("--plan", help="Only this plan (KEY)."),
        click.option("--theme", help="Only this theme (PLAN.N)."),
        click.option("--owner", help="Owner contains this text (any case)."),
        click.option("--kind", type=click.Choice(KINDS, case_sensitive=False), help="Only actions or only resolutions."),
        click.option("--body", help="Only this committee's resolutions and the actions of plans it oversees."),
    ]):
        func = option(func)
    return func


@click.command()
@item_filters
@format_option
@exit_code_option
@pass_app
def overdue(app: App, plan, theme, owner, kind, body, fmt, exit_code):
    """List open actions, resolutions and milestones past their due date, most overdue first.

    \b
    Example:
      actiontrack overdue --plan SUFF --format markdown > overdue.md
    """
    flt = ItemFilter(plan=plan, theme=theme, owner=owner, kind=kind, body=body)
    rows = listings.overdue(app.read(), flt, app.as_of, keep=rendered_as(fmt, OVERDUE_CSV_KEYS, OVERDUE_COLUMNS))
    # The order said in the title: items by their own days overdue, then those with only a milestone late.
    title = f"Overdue as of {display(app.as_of)}, most days overdue first, then late milestones"
    emit_rows(rows, OVERDUE_COLUMNS, fmt, title=title, csv_keys=OVERDUE_CSV_KEYS,
              empty=f"Nothing overdue as of {display(app.as_of)}.")
    finish(bool(rows), exit_code)


@click.command()
@item_filters
@click.option("--since", type=UK_DATE, help="Mark as new what slipped after this date [default: a week before as-of].")
@format_option
@exit_code_option
@pass_app
def slippage(app: App, plan, theme, owner, kind, body, since, fmt, exit_code):
    """The weekly slippage report: every action behind its baseline date, and why.

    \b
    Example (cron, every Monday):
      actiontrack slippage --format json --exit-code > slippage.json
    """
    if since and since > app.as_of:
        raise click.BadParameter(f"{display(since)} is after the as-of date {display(app.as_of)}",
                                 param_hint="'--since'")
    flt = ItemFilter(plan=plan, theme=theme, owner=owner, kind=kind, body=body)
    rows = listings.slippage(app.read(), flt, app.as_of, since, keep=rendered_as(fmt, SLIPPAGE_CSV_KEYS, SLIPPAGE_COLUMNS))
    emit_rows(rows, SLIPPAGE_COLUMNS, fmt, title=f"Slippage as of {display(app.as_of)}",
              csv_keys=SLIPPAGE_CSV_KEYS, empty=f"No slippage as of {display(app.as_of)}.")
    finish(bool(rows), exit_code)


THEME_COLUMNS = [
    Column("theme", "Theme"), Column("title", "Title", wrap=True), Column("officer", "Accountable officer", wrap=True),
    Column("blue", "Blue (done)", show=lambda t: t["counts"]["blue"]),
    Column("green", "Green", show=lambda t: t["counts"]["green"]),
    Column("amber", "Amber", show=lambda t: t["counts"]["amber"]),
    Column("red", "Red", show=lambda t: t["counts"]["red"]),
    Column("mismatches", "RAG rosier than dates", wrap=True), Column("stale", "Stale", wrap=True),
    Column("next", "Next deadlines", wrap=True, show=lambda t: "; ".join(
        f"{display(d['due'])} {d['ref']}" for d in t["next_deadlines"])),
]
REPORT_CSV_KEYS = ["plan", "theme", "title", "officer", "actions", "blue", "green", "amber", "red", "dropped",
                   "mismatches", "stale", "next_deadline"]


REPORT_FORMATS = ("table", "json", "csv", "markdown", "html")


@click.command()
@click.option("--plan", help="Only this plan (KEY).")
@click.option("--scorecard", "with_scorecard", is_flag=True,
              help="Add the scorecard: a chart per indicator (html), or its rows (json).")
@formats(REPORT_FORMATS, "table: a terminal dashboard; html: a paper with a slippage timeline.")
@output_option
@pass_app
def report(app: App, plan, with_scorecard, fmt, output):
    """Highlight report: per theme, RAG counts, rosy RAGs, stale actions, next deadlines.

    \b
    Example:
      actiontrack report --plan SUFF --format html --output highlight.html
    """
    if with_scorecard and fmt not in ("html", "json"):
        raise click.BadParameter("adds the scorecard to --format html or json", param_hint="'--scorecard'")
    from actiontrack.reports.highlight import highlight  # with the scorecard's rows: not for every listing

    data = app.read()
    result = highlight(data, app.as_of, plan)
    card = None
    if with_scorecard:
        from actiontrack.reports.scorecard import scorecard

        card = result["scorecard"] = scorecard(data, app.as_of, plan)
    title = _report_title(result)
    if fmt == "table":
        _dashboard(result, title)
        return
    if fmt == "json":
        text = to_json(result) + "\n"
    elif fmt == "csv":
        text = to_csv([_flat_theme(t) for t in result["themes"]], REPORT_CSV_KEYS)
    elif fmt == "markdown":
        text = to_markdown(result["themes"], THEME_COLUMNS, title) + "\n" + _totals_line(result) + "\n"
    else:
        from actiontrack.commands.render.report_html import render

        text = render(result, title, card)
    click.echo(text, nl=False)


def _dashboard(result: dict, title: str) -> None:
    """Per theme a RAG bar, then the exceptions: what a Board member scans first."""
    out = console()
    out.print(whole_dates(title), highlight=False)  # "as of 01 Dec / 2022" at 80 columns: a date whole
    out.print(_totals_text(result))
    out.print(rich_table(result["themes"], DASHBOARD_COLUMNS, "Themes", out))
    if result["exceptions"]:
        out.print(rich_table(result["exceptions"], EXCEPTION_COLUMNS, "Exceptions: red and amber", out))
    else:
        out.print("No red or amber actions.")


def _rag_words(counts: dict) -> list[str]:
    """A theme's RAG counts in words ("1 complete 2 amber"): letters like "BAA" meant
    nothing to a Board member reading without colour."""
    return [f"{counts[key]} {label}" for key, label in _RAG_LABELS if counts.get(key)]


_RAG_LABELS = (("blue", "complete"), ("green", "green"), ("amber", "amber"), ("red", "red"))


def _rag_lines(theme: dict):
    """The terminal's RAG cell: a count and its word to a line, in the word's colour, so a
    narrow column never parts "1" from "complete"."""
    from rich.text import Text

    counts = theme["counts"]
    shown = [(key, f"{counts[key]} {label}") for key, label in _RAG_LABELS if counts.get(key)]
    if not shown:
        return Text("none")
    return Text("\n").join(Text(words, style=RAG_STYLES[key]) for key, words in shown)


DASHBOARD_COLUMNS = [
    Column("theme", "Theme"), Column("title", "Title", wrap=True),
    Column("officer", "Accountable officer", wrap=True, optional=True),
    Column("counts", "RAG", show=lambda t: " ".join(_rag_words(t["counts"])) or "none", rich=_rag_lines),
    Column("mismatches", "Rosier than dates", wrap=True, optional=True, show=lambda t: _some(t["mismatches"])),
    Column("stale", "Stale", wrap=True, optional=True, show=lambda t: _some(t["stale"])),
    Column("next", "Next deadline", show=lambda t: _soonest(t, display), optional=True),
]
SHOWN_REFS = 8  # a dashboard cell's refs at most; the rest counted (every one is in the other formats)


def _some(refs: list[str]) -> str:
    """A theme's refs for a dashboard cell: a new-user trial's 20,000-action store put 18,250
    stale refs into the table's cells, 82,040 lines that rich took 58 s to lay out."""
    if len(refs) <= SHOWN_REFS:
        return ", ".join(refs)
    return f"{', '.join(refs[:SHOWN_REFS])} and {len(refs) - SHOWN_REFS:,} more"
EXCEPTION_COLUMNS = [
    Column("ref", "Ref"), Column("title", "Action", wrap=True), Column("owner", "Owner", wrap=True),
    DUE, Column("days_overdue", "Days overdue"), Column("derived_rag", "Dates say", rag=True),
    Column("rag", "Reported", rag=True, optional=True),
    Column("commentary", "Latest commentary", wrap=True),  # what the Board reads first: kept when narrow
]


def _report_title(result: dict) -> str:
    names = ", ".join(p["title"] for p in result["plans"]) or "No plans"
    return f"Highlight report: {names}, as of {display(result['as_of'])}"


def _flat_theme(t: dict) -> dict:
    row = {k: t[k] for k in ("plan", "theme", "title", "officer", "actions", "mismatches", "stale")}
    row.update(t["counts"])
    row["next_deadline"] = _soonest(t, date.isoformat)
    return row


def _soonest(theme: dict, shown: Callable[[date], str]) -> str:
    """The theme's next deadline as one cell: the day, then every ref due that day ("31 Mar
    2023 SUFF-2.2, SUFF-2.3"); giving only the first of two due the same day hid the other."""
    deadlines = theme["next_deadlines"]
    if not deadlines:
        return ""
    day = deadlines[0]["due"]
    refs = dict.fromkeys(d["ref"] for d in deadlines if d["due"] == day)  # an action and its milestone: once
    return f"{shown(day)} {', '.join(refs)}"


def _totals_line(result: dict) -> str:
    t = result["totals"]
    return (f"Totals, RAG by the dates: {t['blue']} complete, {t['green']} green, {t['amber']} amber, {t['red']} red, "
            f"{t['dropped']} dropped; {result['mismatches']} RAG rosier than dates; {result['stale']} stale.")


def _totals_text(result: dict):
    from rich.text import Text

    t = result["totals"]
    text = Text("Totals, RAG by the dates: ")  # not the owners' own RAG: "rosier than dates" names those that differ
    for key, label in _RAG_LABELS:
        text.append(f"{t[key]} {label}", style=RAG_STYLES[key])
        text.append(", ")
    text.append(f"{t['dropped']} dropped; {result['mismatches']} RAG rosier than dates; {result['stale']} stale.")
    return text
