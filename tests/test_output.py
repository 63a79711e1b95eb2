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


LONG_TITLE = ("Full refresh of the Commissioning Action Plan, with the provider market position statement "
              "and the sufficiency duty's annual report to the Corporate Parenting Board")


def _long_rows(count: int) -> list[dict]:
    return [{"ref": f"SUFF-1.{i}", "title": LONG_TITLE if i % 3 == 0 else f"Action {i}",
             "owner": "Specialist Commissioning & Procurement Senior Manager", "due": date(2022, 11, 30),
             "days_overdue": i, "derived_rag": "red", "rag": "green", "rag_mismatch": True, "kind": "action",
             "baseline_due": date(2022, 7, 31), "slippage_days": 120, "reschedules": 2, "stale": True,
             "milestones": []} for i in range(count)]


PAD = "\x00"  # the second column a wide character takes, as _in_columns spells it


def _in_columns(line: str) -> str:
    """`line` with each character that takes two terminal columns followed by PAD: then
    its index is its column, and a span of columns is a slice."""
    from rich.cells import cell_len

    return "".join(ch + PAD if cell_len(ch) == 2 else ch for ch in line)


def _cells_read_back(lines: list[str], headers: list[str]) -> list[dict[str, str]]:
    """A plain table's rows as a reader sees them: each column's words, read down its span
    (found from the rule under the headers) from a row's first line to the next row's.
    A line spelled _in_columns is read by the columns a terminal shows it in."""
    rule = next(n for n, line in enumerate(lines) if line and set(line) <= {"-", " "})
    spans, at = [], 0
    for dashes in lines[rule].split("  "):
        spans.append((at, at + len(dashes)))
        at += len(dashes) + 2
    rows: list[dict[str, list[str]]] = []
    for line in lines[rule + 1:]:
        if line.startswith("Not shown"):
            break
        if line[:spans[0][1]].strip():  # a ref in the first column: a new row
            rows.append({h: [] for h in headers})
        for h, (a, b) in zip(headers, spans, strict=True):
            rows[-1][h] += line[a:b].replace(PAD, "").split()
            assert line[b:b + 2].strip() == "" or b >= len(line), (line, h)  # nothing spills out of its span
    return [{h: " ".join(words) for h, words in row.items()} for row in rows]


@pytest.mark.parametrize("width", [60, 80, 100, 160, 200, 400])
def test_a_long_plain_table_fits_the_width_and_keeps_every_word(width):
    """Found looking at what was left: past PLAIN_FROM rows the table was plain text with
    every cell clipped at 60 characters ('…') and lines as wide as the widest cells, so an
    80-column terminal wrapped them into a jumble and a long title lost its end.  Now it is
    fitted as the drawn table is: free text wraps between words in its column, optional
    columns go (named under the table), and every word of every shown cell is there."""
    from actiontrack.commands.columns import OVERDUE_COLUMNS, display
    from actiontrack.commands.layout import plain_table

    rows = _long_rows(12)
    text = plain_table(rows, OVERDUE_COLUMNS, "Overdue as of 01 Dec 2022, most days overdue first", width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert "…" not in text
    def cell(c, row) -> str:
        return " ".join(display(c.show(row) if c.show else row.get(c.key)).split())

    if "Ref: " in text:  # too narrow for the required columns: a block of lines a row, each cell whole
        assert lines[1] == "" and lines[2].startswith("Ref: ")
        wanted = " ".join(f"{c.header}: {cell(c, row)}" for row in rows for c in OVERDUE_COLUMNS)
        assert " ".join(" ".join(lines[1:]).split()) == " ".join(wanted.split())
        return
    note = " ".join(line for line in lines[lines.index(next(x for x in lines if x.startswith("Not shown"))):]) \
        if "Not shown" in text else ""
    shown = [c for c in OVERDUE_COLUMNS if c.header not in note]
    assert len(shown) >= 4  # Ref, Action, Owner, Due at the least: the required ones
    assert _cells_read_back(lines, [c.header for c in shown]) == [{c.header: cell(c, row) for c in shown}
                                                                  for row in rows]
    if width == 400:  # room for every cell whole: a line a row, for greps
        assert len(lines) == 3 + len(rows) and not note
    if width == 80:
        assert note and "Reported RAG" in note


WIDE = [{**_long_rows(1)[0], "ref": "SUFF-1.7", "title": "児童養護施設の改善計画 🚸🏠 and 里親支援の強化と評価 🧒 review of "
          "placements with the Corporate Parenting Board 🎉🎉🎉", "owner": "児童福祉課長 👩 Head of Service"},
        {**_long_rows(1)[0], "ref": "SUFF-1.8", "title": "Réunion 🎉🎉🎉🎉🎉 placement sufficiency " + "📈" * 6,
         "owner": "Head of Service " + "😀" * 5}]


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_a_long_plain_table_counts_a_wide_character_as_two_columns(width):
    """A Japanese character or an emoji takes two columns of a terminal, as rich counts
    them in the drawn table: the plain table counted characters, so a row holding them ran
    past the width and its cells stood out of line with the header's."""
    from rich.cells import cell_len

    from actiontrack.commands.columns import display
    from actiontrack.commands.layout import plain_table

    rows = _long_rows(4) + WIDE
    text = plain_table(rows, OVERDUE_COLUMNS, "Overdue 🚸 as of 01 Dec 2022, most days overdue first", width)
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines), max(lines, key=cell_len)
    assert "里親支援の強化と評価" in text and "📈" * 6 in text
    if "Ref: " in text:  # blocks: nothing to line up
        return
    note = text[text.index("Not shown"):] if "Not shown" in text else ""
    shown = [c for c in OVERDUE_COLUMNS if c.header not in " ".join(note.split())]
    wanted = [{c.header: " ".join(display(c.show(row) if c.show else row.get(c.key)).split()) for c in shown}
              for row in rows]
    assert _cells_read_back([_in_columns(line) for line in lines], [c.header for c in shown]) == wanted


UNSPACED = [{**_long_rows(1)[0], "ref": "SUFF-1.9", "title": "社会的養護を必要とする子どもたちのための里親委託推進および"
              "児童養護施設の小規模化と地域分散化に関する計画の見直し", "owner": "所長"},
            {**_long_rows(1)[0], "ref": "SUFF-1.10", "title": "See https://www.example.gov.uk/children/"
             "sufficiency-strategy-2022-2025/action-plan-document.pdf", "owner": "Web Team"}]


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_a_word_wider_than_the_terminal_is_folded_not_run_past_it(width):
    """Found by a new-user trial: past 500 rows, a title in Japanese (written without
    spaces) or a long URL is one word wider than the terminal; the plain table printed it
    whole, 112 columns on an 80-column terminal.  It is folded now, as the drawn table folds it."""
    from rich.cells import cell_len

    from actiontrack.commands.layout import plain_table

    text = plain_table(_long_rows(2) + UNSPACED, OVERDUE_COLUMNS, "Overdue as of 01 Dec 2022", width)
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines), max(lines, key=cell_len)
    joined = "".join(text.split())
    assert all("".join(row["title"].split()) in joined for row in UNSPACED)


def test_a_long_plain_table_wraps_free_text_in_its_column():
    from actiontrack.commands.columns import Column
    from actiontrack.commands.layout import plain_table

    columns = [Column("ref", "Ref"), Column("title", "Action", wrap=True), Column("due", "Due")]
    text = plain_table([{"ref": "SUFF-1.1", "title": "one two three four five six", "due": date(2022, 11, 30)},
                        {"ref": "SUFF-1.2", "title": "short", "due": date(2023, 3, 31)}], columns, width=34)
    assert text.splitlines() == [
        "Ref       Action       Due",
        "--------  -----------  -----------",
        "SUFF-1.1  one two      30 Nov 2022",
        "          three four",
        "          five six",
        "SUFF-1.2  short        31 Mar 2023",
    ]


def test_a_long_plain_table_too_narrow_for_its_required_columns_is_blocks():
    from actiontrack.commands.columns import Column
    from actiontrack.commands.layout import plain_table

    columns = [Column("ref", "Ref"), Column("title", "Action", wrap=True), Column("due", "Due")]
    text = plain_table([{"ref": "SUFF-1.1", "title": "Refresh the plan", "due": date(2022, 11, 30)}], columns,
                       "Overdue", width=20)
    assert text.splitlines() == ["Overdue", "", "Ref: SUFF-1.1", "Action: Refresh the", "plan",
                                 "Due: 30 Nov 2022"]


def test_a_drawn_listing_as_blocks_bolds_each_field_name_not_its_value():
    """Found at 80 columns on a terminal: every line of every block was bold, the values
    as much as the names, so nothing stood out.  The names are bold; a RAG value keeps
    its colour; the rest is plain."""
    out = Console(file=io.StringIO(), width=40, force_terminal=True, color_system="standard")
    out.print(rich_table([ROW], OVERDUE_COLUMNS, "Overdue", out))
    text = out.file.getvalue()
    assert "\x1b[1mRef: \x1b[0mSUFF-2.1" in text  # the name bold, then plain
    assert "\x1b[1mOwner: \x1b[0mHead of Resources and" in text
    assert "\x1b[1mDates say: \x1b[0m\x1b[1;31mred" in text  # the RAG in its own style, as in a table


DATED = {**ROW, "milestones": [
    {"number": 1, "title": "Edge-of-care offer live in all localities", "due": date(2022, 9, 30), "done_on": None,
     "overdue": True},
    {"number": 2, "title": "Conversations held with all three new providers", "due": date(2022, 10, 31),
     "done_on": None, "overdue": True}],
    "title": "Report to the Board on 14 Dec 2022 and again by 31 Mar 2023 with the refreshed plan; as clerks type "
             "them: on 1 Dec 2022, minute of 20 July 2022, since August 2021, 14 Dec 2022-15 Jan 2023"}


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160])
@pytest.mark.parametrize("how", ["drawn", "plain", "plain, not ASCII"])
def test_a_date_in_wrapped_text_stays_on_one_line(width, how):
    """Dates in free text wrapped as any three words: "(due 30 Sep" on one line and "2022)"
    on the next, in a milestone or a title, at 80 columns and others, in the drawn table,
    its blocks and the plain one.  Every date is whole on a line, and nothing is wider
    than the terminal."""
    from rich.cells import cell_len

    from actiontrack.commands.layout import plain_table

    row = dict(DATED)
    if how == "plain, not ASCII":
        row["title"] = "Réunion 🎉 " + row["title"].replace("2022-15", "2022\u201415")  # an em dash from Word
    title = "Overdue as of 01 Dec 2022, most days overdue first, then late milestones"
    if how == "drawn":
        out = Console(file=io.StringIO(), width=width, color_system=None)
        out.print(rich_table([row], OVERDUE_COLUMNS, title, out))
        text = out.file.getvalue()
    else:
        text = plain_table([row] * 3, OVERDUE_COLUMNS, title, width)
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines), max(lines, key=cell_len)
    for day in ("30 Sep 2022", "31 Oct 2022", "14 Dec 2022", "31 Mar 2023", "01 Dec 2022", "1 Dec 2022",
                "20 July 2022", "August 2021", "15 Jan 2023"):
        shown = sum(day in line for line in lines)
        assert shown >= 1 or "Not shown" in text and day in ("30 Sep 2022", "31 Oct 2022"), (day, text)
    assert not any("\x1a" in line or "\ue000" in line for line in lines)  # the joining character never shows


def test_required_columns_are_never_cropped_at_80_columns(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = demo.ok("slippage", as_of="01/12/2022")
    assert all(len(line.rstrip()) <= 80 for line in out.splitlines())
    # Too many required columns for 80: each row becomes a block of "Field: value" lines.
    refs = [row["ref"] for row in demo.json("slippage", as_of="01/12/2022")]
    assert [line.split()[1] for line in out.splitlines() if line.startswith("Ref: ")] == refs
    assert out.count("Dates say: ") == out.count("Baseline: ") == len(refs)


def test_a_records_history_at_80_columns_wraps_a_long_name_not_only_the_changes(demo, monkeypatch):
    """From a trial at 80 columns: "Democratic Services Officer" kept whole in Who squeezed
    Changes to 17 columns, a first entry 20 lines long.  A name wraps between its words too."""
    monkeypatch.setenv("COLUMNS", "80")
    out = demo.ok("action", "show", "SUFF-1.1", as_of="01/12/2022")
    history = out[out.index("History"):].splitlines()
    assert max(len(line) for line in history) <= 80
    assert "Democratic Services Officer" not in out and any("Democratic" in line for line in history)
    assert "title: - -> Weekly" in out  # Changes wide enough for a change's first words


@pytest.mark.parametrize("columns", ["80", "160", None])
def test_piped_tables_end_no_line_with_spaces(demo, monkeypatch, columns):
    """rich pads every cell to its column's width: text pasted into committee papers or an
    e-mail carried runs of trailing spaces (a record's show had them on 51 lines)."""
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    for command in (["overdue"], ["slippage"], ["action", "list"], ["action", "show", "SUFF-2.2"],
                    ["resolution", "list"], ["report"], ["scorecard"], ["plan", "list"], ["theme", "list"],
                    ["changes", "--since", "30d"], ["search", "home"]):
        out = demo.ok(*command, as_of="01/12/2022")
        padded = [line for line in out.splitlines() if line.endswith(" ")]
        assert out.count("\n") > 3 and not padded, (command, padded[:3])


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


@pytest.mark.parametrize("columns, width", [(None, 200), ("80", 80), ("123", 123), ("", 200), ("wide", 80), ("0", 80)])
def test_a_long_plain_table_takes_the_width_rich_would(monkeypatch, columns, width):
    """A long table is laid out without loading rich, at the width console() gives rich:
    COLUMNS, else (piped, as here) PIPE_WIDTH, room for a committee-paper table."""
    from actiontrack.commands import output

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(output.sys, "stdout", io.StringIO())
    assert output.output_width() == width
    if columns and columns.isdigit() and int(columns) > 0:
        assert output.console().width == width  # the same as rich's


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", " "])
def test_a_long_plain_table_keeps_words_joined_by_any_space(space):
    """Found by a new-user trial: a title whose words were joined by no-break spaces (as
    text pasted from Word is) lost its start in a long listing: the wrap broke only at
    ordinary spaces, and passed over the 'word' it could not place."""
    from actiontrack.commands.columns import Column
    from actiontrack.commands.layout import plain_table

    title = space.join(["Review", "placement", "sufficiency", "for", "children", "and", "young", "people", "in", "care"])
    columns = [Column("ref", "Ref"), Column("title", "Action", wrap=True)]
    text = plain_table([{"ref": "P1-1.1", "title": title}], columns, width=30)
    assert all(len(line) <= 30 for line in text.splitlines())
    words = [w for w in text.split() if w not in ("Ref", "Action") and set(w) != {"-"}]
    assert words == ["P1-1.1", *title.split()]  # every word, in order (a one-line cell reads left to right)
