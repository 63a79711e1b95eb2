"""`indicator add | update | target | record | list` and `scorecard`: the Board's measures."""

from __future__ import annotations

import click

from actiontrack.commands.columns import Column, columns_option, display
from actiontrack.commands.common import UK_DATE, App, format_option, formats, pass_app
from actiontrack.commands.output import emit_rows, output_option, say
from actiontrack.domain.indicator_rules import BETTER
from actiontrack.domain.indicators import UNITS, parse_value
from actiontrack.domain.periods import FREQUENCIES, parse_period
from actiontrack.errors import ActionTrackError
from actiontrack.reports.scorecard import figure

INDICATOR_KEYS = ["code", "title", "unit", "better", "target", "tolerance", "frequency", "owner", "plan", "theme",
                  "values", "actions"]
INDICATOR_COLUMNS = [
    Column("code", "Code"), Column("title", "Indicator", wrap=True), Column("unit", "Unit"),
    Column("better", "Better"), Column("target", "Target", show=lambda r: f"{r['target']:g}"),
    Column("tolerance", "Tolerance", optional=True), Column("frequency", "Frequency", optional=True),
    Column("values", "Values"), Column("owner", "Owner", wrap=True, optional=True),
]
SCORECARD_KEYS = ["code", "title", "unit", "better", "period", "value", "target", "rag", "previous", "direction",
                  "year_ago", "trend", "england", "neighbours", "actions"]


SCORECARD_COLUMNS = [
    Column("code", "Code"), Column("title", "Indicator", wrap=True),
    Column("period", "Period", show=lambda r: parse_period(r["period"]).label if r["period"] else ""),
    Column("value", "Value", show=lambda r: figure(r["value"])), Column("target", "Target", show=lambda r: figure(r["target"])),
    Column("rag", "RAG", rag=True), Column("direction", "Since last", wrap=True),
    Column("trend", "Last 12", show=lambda r: _spark(r)),
    Column("england", "England", show=lambda r: figure(r["england"]), optional=True),
    Column("neighbours", "Neighbours", show=lambda r: figure(r["neighbours"]), optional=True),
    Column("actions", "Open actions", wrap=True, optional=True),
]


def _spark(row: dict) -> str:
    from actiontrack.reports.scorecard import sparkline

    return sparkline([t["value"] for t in row["trend"]])


def _number(value, what: str):
    if value is None:
        return None
    try:
        return parse_value(value, what)
    except ActionTrackError as e:
        raise click.BadParameter(e.message) from None


@click.group()
def indicator():
    """The Board's performance indicators: targets, polarity, values by period.

    \b
    Example:
      actiontrack indicator add CP1 "Children in care" --unit number \\
          --better lower --target 520 --tolerance 5%
      actiontrack indicator record CP1 2022-11 534
    """


@indicator.command("add")
@click.argument("code")
@click.argument("title")
@click.option("--unit", required=True, type=click.Choice(UNITS, case_sensitive=False))
@click.option("--better", required=True, type=click.Choice(BETTER, case_sensitive=False),
              help="Whether a higher or a lower value is better.")
@click.option("--target", required=True, help="The target value.")
@click.option("--tolerance", help="How far worse than target is still amber: 2 (in the unit) or 5% (of the target).")
@click.option("--frequency", type=click.Choice(list(FREQUENCIES), case_sensitive=False), default="monthly",
              show_default=True)
@click.option("--owner", help="Who reports it (a role title).")
@click.option("--plan", help="The plan it belongs beside.")
@click.option("--theme", help="The theme (PLAN.N) it belongs beside.")
@pass_app
def indicator_add(app: App, code, title, unit, better, target, tolerance, frequency, owner, plan, theme):
    """Add indicator CODE to the scorecard.

    \b
    Example:
      actiontrack indicator add CP3 "Children in care in foster placements" \\
          --unit percent --better higher --target 75
    """
    from actiontrack.changes.indicators import add_indicator

    with app.change() as tracker:
        added = add_indicator(tracker, code, title, unit=unit, better=better, target=_number(target, "the target"),
                              tolerance=tolerance, frequency=frequency, owner=owner, plan=plan, theme=theme)
    click.echo(added.code)


@indicator.command("update")
@click.argument("code")
@click.option("--title")
@click.option("--tolerance")
@click.option("--owner")
@click.option("--plan")
@click.option("--theme")
@pass_app
def indicator_update(app: App, code, title, tolerance, owner, plan, theme):
    """Change an indicator's title, tolerance, owner, plan or theme (targets: 'indicator target').

    \b
    Example:
      actiontrack indicator update CP1 --tolerance 3%
    """
    from actiontrack.changes.indicators import update_indicator

    with app.change() as tracker:
        changes = update_indicator(tracker, code, title=title, tolerance=tolerance, owner=owner, plan=plan, theme=theme)
    # "-" for none, as history shows it: a trial read "Updated theme None -> SUFF.4".
    said = "; ".join(f"{c.field} {'-' if c.old is None else c.old} -> {'-' if c.new is None else c.new}"
                     for c in changes)
    click.echo(f"Updated {code.strip().upper()}: {said}")


@indicator.command("target")
@click.argument("code")
@click.argument("value")
@click.option("--from", "start", required=True, metavar="PERIOD", help="The first period the new target applies to.")
@click.option("--note", help="Why: kept in the history.")
@pass_app
def indicator_target(app: App, code, value, start, note):
    """Set CODE's target to VALUE from a period on; earlier periods keep their target.

    \b
    Example:
      actiontrack indicator target CP1 500 --from 2023-04 \\
          --note "Sufficiency Strategy 2023-26"
    """
    from actiontrack.changes.indicators import set_target

    with app.change() as tracker:
        changed = set_target(tracker, code, _number(value, "the target"), start, note)
        period = changed.period(start)
    click.echo(f"{changed.code}: target {_number(value, 'the target'):g} from {period.label}")


@indicator.command("record")
@click.argument("code")
@click.argument("period")
@click.argument("value")
@click.option("--england", help="England's figure for the period.")
@click.option("--neighbours", help="The statistical neighbours' average for the period.")
@click.option("--note", help="Where the figure comes from, or why it was corrected.")
@pass_app
def indicator_record(app: App, code, period, value, england, neighbours, note):
    """Record CODE's VALUE for PERIOD (2022-06, 'Q1 2022/23' or 2022/23); again to correct it.

    \b
    Example:
      actiontrack indicator record CP1 2022-11 534 --england 70 --neighbours 98
    """
    from actiontrack.changes.indicators import record_value

    with app.change() as tracker:
        changed, old = record_value(tracker, code, period, _number(value, "the value"),
                                    england=_number(england, "--england"), neighbours=_number(neighbours, "--neighbours"),
                                    note=note)
        label = changed.period(period).label
    was = f" (was {old['value']:g})" if old else ""
    click.echo(f"{changed.code} {label}: {_number(value, 'the value'):g}{was}")


@indicator.command("list")
@format_option
@pass_app
def indicator_list(app: App, fmt):
    """List the indicators with their targets and how many values each has.

    \b
    Example:
      actiontrack indicator list --format markdown
    """
    rows = []
    for ind in sorted(app.read().indicators.values(), key=lambda i: i.code):
        record = ind.to_record()
        # The target in force, as the scorecard has it: a trial's list said 520 beside its 500.
        record.update(target=ind.target_on(app.as_of), values=len(ind.values), actions=", ".join(ind.actions))
        rows.append(record)
    emit_rows(rows, INDICATOR_COLUMNS, fmt, title="Indicators", csv_keys=INDICATOR_KEYS,
              empty="No indicators yet: add one with 'actiontrack indicator add CODE TITLE ...'.")


@indicator.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would be recorded; record nothing.")
@pass_app
def indicator_import(app: App, file, dry_run):
    """Record values from a sheet: Code, Period and Value columns (England, Neighbours and
    Note if there), or a row per indicator with a column per period.  All or nothing.

    \b
    Example:
      actiontrack indicator import scorecard-2022.xlsx --dry-run
    """
    from actiontrack.changes.indicators import reading, record_value
    from actiontrack.interchange.indicator_sheets import read_values
    from actiontrack.interchange.sheet_rows import ImportProblems
    from actiontrack.interchange.sheets import read_sheets

    sheets = read_sheets(file)
    with app.change() as tracker:
        found = read_values(sheets, tracker.data, tracker.as_of)
        if found.problems:
            raise ImportProblems(f"{len(found.problems)} problem(s) in {file}; nothing was recorded:", found.problems)
        recorded = unchanged = 0
        corrected: list[str] = []
        for r in found.values:
            current = tracker.data.indicators[r.code].values.get(r.period.key)
            new = reading(current, r.value, r.england, r.neighbours, r.note)
            if current == new:
                unchanged += 1
                continue
            # A figure already reported, changed: said, each, so a wrong sheet shows before it
            # is taken (a new-user trial's 70.4 became 0.704 with only a count said).
            corrected += [f"{r.code} {r.period.label} {name} {figure(current.get(name)) or 'none'} -> "
                          f"{figure(new[name]) or 'none'}"
                          for name in ("value", "england", "neighbours") if current and current.get(name) != new[name]]
            record_value(tracker, r.code, r.period.key, r.value, england=r.england, neighbours=r.neighbours,
                         note=r.note)
            recorded += 1
        if dry_run:
            tracker.discard()
    codes = len({r.code for r in found.values})
    verb = "Would record" if dry_run else "Recorded"
    notes = [f"{verb} {recorded} value(s) for {codes} indicator(s); {unchanged} unchanged."]
    if corrected:
        notes.append(f"{'Would correct' if dry_run else 'Corrected'} {len(corrected)} figure(s) recorded before: "
                     + "; ".join(corrected) + ".")
    if found.ignored:
        notes.append("Ignored: " + "; ".join(found.ignored))
    say(notes)


SCORECARD_FORMATS = ("table", "json", "csv", "markdown", "html")


@click.command()
@click.option("--plan", help="Only this plan's indicators.")
@click.option("--as-of", "day", type=UK_DATE, help="As the Board saw it on this day (values recorded later left out).")
@formats(SCORECARD_FORMATS, "table for people; json, csv or markdown for scripts; html: a paper with a chart each.")
@columns_option
@output_option
@pass_app
def scorecard(app: App, plan, day, fmt, output):
    """The Board's scorecard: each indicator's latest value against target, RAG, direction, trend.

    Per indicator: the latest period, value, target, RAG, direction since the period
    before, the last 12 values, the comparators and the open actions meant to move it.

    \b
    Example:
      actiontrack scorecard --as-of 14/12/2022 --format markdown
    """
    from actiontrack.reports.scorecard import scorecard as card

    as_of = day or app.as_of
    rows = card(app.read(as_of), as_of, plan)
    if fmt == "html":
        from actiontrack.commands.render.scorecard_html import render

        click.echo(render(rows, as_of), nl=False)
        return
    if fmt == "csv":  # one cell for the trend: "2022-10 530;2022-11 534"
        rows = [{**r, "trend": ";".join(f"{t['period']} {t['value']:g}" for t in r["trend"])} for r in rows]
    emit_rows(rows, SCORECARD_COLUMNS, fmt, title=f"Scorecard as of {display(as_of)}", csv_keys=SCORECARD_KEYS,
              empty="No indicators yet: add one with 'actiontrack indicator add CODE TITLE ...'.")
