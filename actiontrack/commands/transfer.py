"""`import` and `export`: plans in from spreadsheets, deadlines out to Excel and calendars."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from actiontrack.commands.columns import Column
from actiontrack.commands.common import App, formats, pass_app
from actiontrack.commands.output import FORMATS, emit_rows, output_option, say, to_csv
from actiontrack.errors import BadInput

OUTCOME_COLUMNS = [Column("sheet", "Sheet"), Column("row", "Row"), Column("ref", "Ref"), Column("op", "What"),
                   Column("changes", "Changed", wrap=True)]
PROGRESS_FROM = 300


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--plan", help="The plan to import into (created if new) [default: from the refs or sheet names].")
@click.option("--plan-title", help="Title for a new plan [default: the sheet's title row, or the title it is printed under].")
@click.option("--map", "mapping", multiple=True, metavar="HEADER=FIELD",
              help="Read a column as a field, e.g. \"Lead Officer=owner\" or \"Notes=ignore\" (repeatable).")
@click.option("--dry-run", is_flag=True, help="Show what would be created or updated; write nothing.")
@formats(FORMATS, "How to show what was done.")
@output_option
@pass_app
def import_(app: App, file, plan, plan_title, mapping, dry_run, fmt, output):
    """Bring in an action plan from a .csv or .xlsx sheet, or a JSON export.

    Headers such as Ref, Action, Lead Officer, Theme, Target Date, Revised Date, RAG,
    Progress Update, Success Criteria and Financial Implications are recognised. All
    or nothing: one bad row and nothing is imported, with every bad row listed.
    Importing the same sheet again updates the same actions.

    \b
    Example:
      actiontrack import sufficiency-plan.xlsx --plan SUFF --dry-run
    """
    if file.lower().endswith(".json"):
        _import_json(app, file, dry_run)
        return
    from actiontrack.interchange import importer, sheet_rows
    from actiontrack.interchange.sheet_layout import parse_mapping, unmapped
    from actiontrack.interchange.sheets import read_sheets

    sheets = read_sheets(file)
    parsed = sheet_rows.parse_sheets(sheets, app.as_of, parse_mapping(list(mapping)))
    unmapped(list(mapping), parsed.headers)
    if not parsed.rows and not parsed.problems:
        headed = [s.name for s in sheets if s.name not in parsed.skipped_sheets]
        if headed:  # a header and nothing under it (an empty template sent back)
            raise BadInput(f"found no action rows in {file}: the header is there (sheet {', '.join(headed)}) "
                           "but no row under it has an action")
        raise BadInput(f"found no action rows in {file}: no sheet has a header with an Action column "
                       f"(sheets: {', '.join(s.name for s in sheets)})")
    with app.change() as tracker:
        importer.assign_plans(tracker.data, parsed, plan)
        before = set(tracker.data.themes)
        with _progress(len(parsed.rows)) as progress:
            outcomes = importer.apply(tracker, parsed, plan_title=plan_title, progress=progress)
        # Said, as the ones that differ are: a second trial's "Theme 7: Workforce" made a theme unsaid.
        new_themes = [f"{t.key} '{t.title}' ({t.officer})" for k, t in tracker.data.themes.items() if k not in before]
        if parsed.problems:  # the sheet's and the changes': raised inside the change, so nothing is saved
            raise sheet_rows.ImportProblems(parsed.summary(file), parsed.in_row_order())
        if dry_run:
            tracker.discard()  # look, don't touch
    rows = [{"sheet": o.sheet, "row": o.row, "ref": o.ref, "op": o.op, "changes": ", ".join(o.changes)}
            for o in outcomes]
    counts = {op: sum(1 for o in outcomes if o.op == op) for op in ("create", "update", "unchanged")}
    if fmt == "json":
        click.echo(json.dumps({"dry_run": dry_run, "counts": counts, "rows": rows,
                               "skipped_sheets": parsed.skipped_sheets, "ignored_columns": parsed.ignored_columns,
                               "undated": [f"{r.sheet} row {r.number}: {r.undated or 'blank'}" for r in parsed.rows
                                           if r.undated is not None],
                               "carried_down": parsed.carried, "totals_rows": parsed.totals_rows,
                               "completed_on_taken": [f"{o.sheet} row {o.row}: {o.ref} on {o.completed_on_taken}"
                                                      for o in outcomes if o.completed_on_taken],
                               "numbers_taken": [f"{o.sheet} row {o.row}: {o.number_taken} is {o.ref}"
                                                 for o in outcomes if o.number_taken],
                               "refs_not_kept": [f"{o.sheet} row {o.row}: {o.ref_not_kept} is {o.ref}"
                                                 for o in outcomes if o.ref_not_kept],
                               "baselines_differ": [f"{o.sheet} row {o.row}: {o.baseline_differs}"
                                                    for o in outcomes if o.baseline_differs],
                               "theme_headings": parsed.sections, "new_themes": new_themes}, indent=2))
        return
    emit_rows(rows, OUTCOME_COLUMNS, fmt, title=f"Import of {os.path.basename(file)}",
              csv_keys=["sheet", "row", "ref", "op", "changes"], empty="Nothing to import.")
    if fmt == "csv":
        return
    summary = (f"{'Would import' if dry_run else 'Imported'} {len(outcomes)} row(s): {counts['create']} new, "
               f"{counts['update']} updated, {counts['unchanged']} unchanged.")
    notes = [summary + (" Dry run: nothing was written." if dry_run else "")]
    for r in parsed.rows:
        if r.undated is not None:
            says = f"says '{r.undated}'" if r.undated else "has a blank date"
            notes.append(f"No date: sheet '{r.sheet}', row {r.number} {says}; kept with no due date.")
    for o in outcomes:
        if o.completed_on_taken:
            notes.append(f"No completion date: sheet '{o.sheet}', row {o.row} says complete; {o.ref} recorded as "
                         f"completed on {o.completed_on_taken} (give the day in a Date Completed column).")
    taken = [f"sheet '{o.sheet}', row {o.row}: {o.number_taken} is {o.ref}" for o in outcomes if o.number_taken]
    if taken:
        notes.append(f"Refs given before (a ref is never given twice, even after an undo): {'; '.join(taken)}.")
    unkept = [f"sheet '{o.sheet}', row {o.row}: '{o.ref_not_kept}' is {o.ref}" for o in outcomes if o.ref_not_kept]
    if unkept:
        notes.append(f"Sheet refs that are not a number in this plan's theme: {'; '.join(unkept)}.")
    moved = [f"sheet '{o.sheet}', row {o.row}: {o.baseline_differs}" for o in outcomes if o.baseline_differs]
    if moved:
        notes.append(f"Target dates that are not the baseline, not changed (a baseline stays as first agreed; a new "
                     f"date goes in Revised Date): {'; '.join(moved)}.")
    if parsed.sections:
        notes.append(f"Read as theme headings (with no number of their own): {'; '.join(parsed.sections)}.")
    officers = list(dict.fromkeys(o.officer_differs for o in outcomes if o.officer_differs))
    if officers:
        notes.append(f"Accountable officers the sheet names, not changed ('actiontrack theme update KEY --officer "
                     f"NAME' changes one): {'; '.join(officers)}.")
    if new_themes:
        notes.append(f"{'New themes, each' if len(new_themes) > 1 else 'A new theme'} with its accountable officer: "
                     f"{'; '.join(new_themes)}.")
    titles = list(dict.fromkeys(o.title_differs for o in outcomes if o.title_differs))
    if titles:
        notes.append(f"Theme titles the sheet gives, not changed ('actiontrack theme update KEY --title TEXT' "
                     f"changes one): {'; '.join(titles)}.")
    for carried in parsed.carried:
        # What a merged cell reads as: the rows below its first are blank.
        notes.append(f"Blank cells read as the cell above (merged cells): {carried}.")
    if parsed.totals_rows:
        notes.append(f"Skipped totals rows: {'; '.join(parsed.totals_rows)}.")
    if parsed.skipped_sheets:
        notes.append(f"Skipped sheets with no action header: {', '.join(parsed.skipped_sheets)}.")
    if parsed.ignored_columns:
        notes.append(f"Ignored columns: {'; '.join(parsed.ignored_columns)}.")
    say(notes)


def _import_json(app: App, file: str, dry_run: bool) -> None:
    from actiontrack.interchange.exporter import import_tables

    try:
        with open(file, "rb") as f:
            payload = json.loads(f.read())
    except FileNotFoundError:
        raise BadInput(f"no file '{file}'") from None
    except (OSError, ValueError) as e:
        raise BadInput(f"'{file}' is not readable JSON ({type(e).__name__})") from None
    incoming = import_tables(payload, file)
    with app.change() as tracker:
        tracker.load_export(incoming)
        if dry_run:
            tracker.discard()  # the same checks, then nothing saved
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {len(incoming.plans)} plan(s), {len(incoming.actions)} action(s), "
               f"{len(incoming.resolutions)} resolution(s) and {len(incoming.meetings)} meeting(s) from {file}.")


class _progress:
    """A rich progress bar on a terminal, for imports big enough to wait on."""

    def __init__(self, total: int):
        self.total = total
        self.bar: Any = None  # a rich Progress while a long import runs

    def __enter__(self):
        if self.total < PROGRESS_FROM or not sys.stderr.isatty():
            return None
        from rich.progress import Progress

        from actiontrack.commands.output import console

        self.bar = bar = Progress(console=console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("Importing", total=self.total)
        return lambda done, total: bar.update(task, completed=done)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()
        return False


EXPORT_FORMATS = ("csv", "xlsx", "json", "ics")


@click.command()
@formats(EXPORT_FORMATS, "csv or xlsx for spreadsheets, ics for calendars, json for a full lossless copy.",
         required=True)
@click.option("--plan", help="Only this plan (csv, xlsx, ics).")
@output_option
@pass_app
def export(app: App, fmt, plan, output):
    """Export plans to Excel or CSV, deadlines to a calendar, or the whole store as JSON.

    \b
    Example:
      actiontrack export --format ics --output deadlines.ics
    """
    from actiontrack.interchange import exporter

    data = app.read()
    key = data.plan(plan).key if plan else None
    if fmt == "xlsx":
        if not output:
            raise BadInput("an .xlsx export needs --output FILE")
        if not data.plans and not len(data.resolutions):
            # A workbook needs a sheet; an empty store has none to give it.
            raise BadInput("nothing to export: the store has no plans or resolutions yet")
        from actiontrack.commands.render.xlsx import to_xlsx

        payload = to_xlsx(data, app.as_of, key)
    elif fmt == "ics":
        from actiontrack.commands.render.ics import to_ics

        payload = to_ics(data, app.as_of, key)
    elif fmt == "json":
        if key:
            raise BadInput("the JSON export is the whole store: leave out --plan")
        data.check_copied()  # the export is what a restore brings back: never with damage in it
        payload = (json.dumps(exporter.export_tables(data), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    else:
        from actiontrack.commands.columns import CSV_ITEM_KEYS

        rows = exporter.rows_for_export(data, app.as_of, key)
        keys = CSV_ITEM_KEYS + ["success", "finance", "source", "external_ref", "commentary"]
        payload = to_csv(rows, keys).encode("utf-8-sig")  # the BOM tells Excel it is UTF-8
    sys.stdout.flush()  # text already written goes first
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()
