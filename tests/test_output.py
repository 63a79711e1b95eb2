"""Terminal tables fit the terminal: optional columns give way, required ones stay."""

import io
from datetime import date

import pytest
from rich.console import Console

from actiontrack.commands.columns import OVERDUE_COLUMNS
from actiontrack.commands.layout import rich_table

ROW = {
    "ref": "SUFF-2.1", "title": "Placement planning meetings to review local capacity against need",
    "owner": "Head of Resources and Placements", "due": date(2022, 9, 30), "days_overdue": 62, "milestones": [],
    "derived_rag": "red", "rag": "green", "rag_mismatch": True,
}


def render(width: int) -> str:
    out = Console(file=io.StringIO(), width=width, color_system=None)
    out.print(rich_table([ROW], OVERDUE_COLUMNS, "Overdue", out))
    return out.file.getvalue()


def test_wide_terminal_shows_every_column():
    text = render(200)
    assert "Reported RAG" in text and "Not shown" not in text
    assert {"rosier", "than", "dates"} <= set(text.split())  # a cell may wrap, between words


def test_narrow_terminal_drops_optional_columns_not_cells():
    text = render(80)
    table, note = text.split("Not shown")
    assert "Reported RAG" not in table and "Check" not in table
    assert "Reported RAG, Check" in " ".join(note.split())  # and says which went
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "SUFF-2.1" in text and "red" in text and "62" in text


def test_long_listings_are_plain_aligned_text(sufficiency, monkeypatch):
    from actiontrack.commands import output

    monkeypatch.setattr(output, "PLAIN_FROM", 1)
    sufficiency.ok("action", "add", "SUFF.2", "[bold]Second[/bold] action", "--owner", "Head of Placements",
                   "--due", "30/09/2022", as_of="20/07/2022")
    lines = sufficiency.ok("overdue").splitlines()
    assert lines[0] == "Overdue as of 01 Dec 2022, most days overdue first, then late milestones"
    assert lines[1].split()[:2] == ["Ref", "Action"] and set(lines[2]) <= {"-", " "}
    assert lines[3].startswith("SUFF-2.1  [bold]Second[/bold] action")
    assert lines[4].startswith("SUFF-1.1  Full refresh of the Commissioning Action Plan")
    starts = {line.index("Head") if "Head" in line else line.index("Spec") for line in lines[3:]}
    assert len(starts) == 1  # the owner column lines up


def test_plain_cells_are_clipped():
    from actiontrack.commands.columns import Column
    from actiontrack.commands.layout import PLAIN_CELL, plain_table


    text = plain_table([{"t": "x" * 100}], [Column("t", "T")])
    assert text.splitlines()[2] == "x" * (PLAIN_CELL - 1) + "…"


def test_required_columns_are_never_cropped_at_80_columns(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = demo.ok("slippage", as_of="01/12/2022")
    assert all(len(line.rstrip()) <= 80 for line in out.splitlines())
    # Too many required columns for 80: each row becomes a block of "Field: value" lines.
    refs = [row["ref"] for row in demo.json("slippage", as_of="01/12/2022")]
    assert [line.split()[1] for line in out.splitlines() if line.startswith("Ref: ")] == refs
    assert out.count("Dates say: ") == out.count("Baseline: ") == len(refs)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7])
def test_json_rows_written_in_batches_are_the_same_bytes_as_one_dump(count):
    """A big report is written a batch at a time; what a script reads must not change."""
    import click
    from click.testing import CliRunner

    from actiontrack.commands.output import json_bytes, json_element, write_json_elements

    rows = [{"ref": f"SUFF-1.{i}", "title": "Line\nbreak \"quoted\"", "due": date(2022, 11, 30),
             "milestones": [{"number": 1, "done_on": None}], "links": []} for i in range(count)]

    @click.command()
    def emit():
        write_json_elements(map(json_element, rows), batch=2)

    result = CliRunner().invoke(emit)
    assert result.stdout_bytes == json_bytes(rows) + b"\n"


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
@pytest.mark.parametrize("count", [1, 2, 500, 501, 2500])
def test_a_listing_kept_as_its_output_is_the_same_bytes_as_one_made_from_rows(fmt, count):
    """Sorted reports keep each row's JSON or CSV text, markdown line or plain table cells,
    not its dict (a 100k report would not fit in memory otherwise); scripts and clerks
    must read exactly what they read before: a drawn table up to PLAIN_FROM rows, plain
    aligned text past it."""
    import click
    from click.testing import CliRunner

    from actiontrack.commands.columns import OVERDUE_COLUMNS
    from actiontrack.commands.output import emit_rows, rendered_as

    keys = ["ref", "title", "due", "links"]
    rows = [{"ref": f"SUFF-1.{i}", "title": "=SUM(A1) \"quoted\", café ✓\nline | <b>" + "long " * (i % 20),
             "owner": "Head of Service", "due": date(2022, 11, 30), "days_overdue": i, "derived_rag": "red",
             "rag": "green", "rag_mismatch": True, "kind": "action", "links": ["R-1", "R-2"],
             "milestones": [{"number": 1, "title": "Draft", "due": date(2022, 10, 1), "done_on": None,
                             "overdue": True}]} for i in range(count)]
    keep = rendered_as(fmt, keys, OVERDUE_COLUMNS)
    assert keep is not None

    def emitter(kept: list):
        @click.command()
        def emit():
            emit_rows(kept, OVERDUE_COLUMNS, fmt, title="t", csv_keys=keys, empty="none")
        return emit

    whole = CliRunner().invoke(emitter(rows)).stdout_bytes
    kept = CliRunner().invoke(emitter([keep(r) for r in rows])).stdout_bytes
    assert kept == whole and whole.count(b"SUFF-1.") == count
    if fmt == "table":
        drawn = "┃" in whole.decode()  # rich's table, as short listings have always been
        assert drawn == (count <= 500)


@pytest.mark.parametrize("kept", [False, True])
def test_columns_choose_a_long_plain_table_too(kept):
    """--columns narrows every table, drawn or (past PLAIN_FROM rows) plain."""
    import click
    from click.testing import CliRunner

    from actiontrack.commands.columns import OVERDUE_COLUMNS, columns_option
    from actiontrack.commands.output import emit_rows, rendered_as

    rows = [{"ref": f"SUFF-1.{i}", "title": "A title", "due": date(2022, 11, 30), "milestones": []}
            for i in range(600)]

    @click.command()
    @columns_option
    def emit():
        keep = rendered_as("table", [], OVERDUE_COLUMNS)
        emit_rows([keep(r) for r in rows] if kept else rows, OVERDUE_COLUMNS, "table", title="t", csv_keys=[],
                  empty="none")

    lines = CliRunner().invoke(emit, ["--columns", "ref,due"]).stdout.splitlines()
    assert lines[1].split() == ["Ref", "Due"]
    assert lines[3].split() == ["SUFF-1.0", "30", "Nov", "2022"]
    assert len(lines) == 603
