"""Import: a merged cell means "the same for every row it spans".

Councils merge a Target Date, a RAG, a Lead Officer or a Resources cell down the rows of
the actions it is shared by.  Only the merged cell's first row holds the value; the rows
below read as blank, and a merged Target Date read so made those actions undated (a new-
user trial, left alone on 3 Dec 2026).
"""

from __future__ import annotations

from datetime import datetime

from openpyxl import Workbook


def plan_sheet(tmp_path, merges: list[str], rows: list[list]) -> str:
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Sufficiency Action Plan 2022-2025"])
    ws.append(["Ref", "Theme", "Action", "Lead Officer", "Target Date", "RAG", "Resources"])
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return str(path)


NOV = datetime(2022, 11, 30)
ROWS = [
    ["1.1", "Placements", "Open a children's home", "Head of Placements", NOV, "Amber", "Within budget"],
    ["1.2", None, "Recruit foster carers", None, None, None, None],
    [None, None, "Review fees", None, None, None, None],  # its text alone: the rest merged from row 3
]


def test_a_merged_target_date_rag_owner_and_resources_are_every_spanned_rows(run, tmp_path):
    path = plan_sheet(tmp_path, ["B3:B5", "D3:D5", "E3:E5", "F3:F5", "G3:G4"], ROWS)
    run.ok("init")
    out = run.json("import", path, "--plan", "SUFF", "--dry-run")
    assert out["carried_down"] == [
        "Theme: sheet 'Plan', rows 4-5", "Lead Officer: sheet 'Plan', rows 4-5",
        "Target Date: sheet 'Plan', rows 4-5", "RAG: sheet 'Plan', rows 4-5", "Resources: sheet 'Plan', row 4"]
    run.ok("import", path, "--plan", "SUFF")
    shown = {ref: run.json("action", "show", ref) for ref in ("SUFF-1.1", "SUFF-1.2", "SUFF-1.3")}
    assert [(a["title"], a["due"], a["rag"], a["owner"], a["finance"]) for a in shown.values()] == [
        ("Open a children's home", "2022-11-30", "amber", "Head of Placements", "Within budget"),
        ("Recruit foster carers", "2022-11-30", "amber", "Head of Placements", "Within budget"),
        ("Review fees", "2022-11-30", "amber", "Head of Placements", None),  # Resources merged over two rows only
    ]


def test_the_import_notes_say_which_rows_read_a_merged_cell(run, tmp_path):
    path = plan_sheet(tmp_path, ["D3:D5", "E3:E5"], [r[:3] + [None] * 4 if i else r for i, r in enumerate(ROWS)])
    run.ok("init")
    said = " ".join(run.ok("import", path, "--plan", "SUFF").split())  # as one line, however wrapped
    assert "Blank cells read as the cell above (merged cells): Target Date: sheet 'Plan', rows 4-5." in said


def test_a_row_with_only_its_text_under_merged_cells_is_an_action_not_a_theme_heading(run, tmp_path):
    """Row 5 holds "Review fees" alone: without its merged cells it reads as a section row."""
    path = plan_sheet(tmp_path, ["B3:B5", "D3:D5", "E3:E5", "F3:F5"], ROWS)
    run.ok("init")
    run.ok("import", path, "--plan", "SUFF")
    assert [(t["theme"], t["title"]) for t in run.json("theme", "list")] == [("SUFF.1", "Placements")]
    assert [a["title"] for a in run.json("action", "list")] == [
        "Open a children's home", "Recruit foster carers", "Review fees"]


def test_a_cell_beside_a_merged_cell_is_not_read_as_it(run, tmp_path):
    """Target Date merged across the RAG column: the RAG is blank, not "30 Nov 2022" refused as a RAG."""
    rows = [["1.1", "Placements", "Open a children's home", "Head of Placements", NOV, None, None]]
    path = plan_sheet(tmp_path, ["E3:F3"], rows)
    run.ok("init")
    run.ok("import", path, "--plan", "SUFF")
    action = run.json("action", "show", "SUFF-1.1")
    assert (action["due"], action["rag"]) == ("2022-11-30", None)


def test_a_merged_cell_over_a_blank_row_leaves_it_blank(run, tmp_path):
    """A Theme cell merged one row too far, over an empty row: that row is not a theme heading."""
    rows = [ROWS[0], [None] * 7, ["1.2", "Placements", "Recruit foster carers", "Head of Placements", NOV, None, None]]
    path = plan_sheet(tmp_path, ["B3:B4"], rows)
    run.ok("init")
    run.ok("import", path, "--plan", "SUFF")
    assert [t["title"] for t in run.json("theme", "list")] == ["Placements"]
    assert len(run.json("action", "list")) == 2


def test_a_blank_date_outside_a_merged_cell_is_still_no_date(run, tmp_path):
    """Only a merged cell is shared: a Target Date simply left blank is not the one above."""
    rows = [ROWS[0], ["1.2", "Placements", "Recruit foster carers", "Head of Placements", None, "Green", None]]
    path = plan_sheet(tmp_path, [], rows)
    run.ok("init")
    run.ok("import", path, "--plan", "SUFF")
    assert run.json("action", "show", "SUFF-1.2")["due"] is None


def test_a_heading_merged_down_into_the_first_row_is_not_its_value(run, tmp_path):
    """A Target Date heading merged one row too far: the first action's date is blank, not
    the words "Target Date" refused as a date."""
    rows = [["1.1", "Placements", "Open a children's home", "Head of Placements", None, None, None],
            ["1.2", "Placements", "Recruit foster carers", "Head of Placements", NOV, None, None]]
    path = plan_sheet(tmp_path, ["E2:E3"], rows)
    run.ok("init")
    out = run.json("import", path, "--plan", "SUFF", "--dry-run")
    assert out["carried_down"] == [] and len(out["rows"]) == 2


def test_a_theme_heading_beside_a_merged_date_stays_a_heading(run, tmp_path):
    """A Target Date merged down past a theme's heading row: the heading, in the Ref
    column, is still the next theme's heading, not an action named after it."""
    rows = [ROWS[0], ["Theme 2: Edge of care", None, None, None, None, None, None],
            ["2.1", None, "Family hubs", "Head of Early Help", None, None, None]]
    path = plan_sheet(tmp_path, ["E3:E5"], rows)
    run.ok("init")
    run.ok("import", path, "--plan", "SUFF")
    assert [t["title"] for t in run.json("theme", "list")] == ["Placements", "Edge of care"]
    assert [(a["ref"], a["title"], a["due"]) for a in run.json("action", "list")] == [
        ("SUFF-1.1", "Open a children's home", "2022-11-30"), ("SUFF-2.1", "Family hubs", "2022-11-30")]
