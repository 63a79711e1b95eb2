"""Terminal tables fit the terminal: optional columns give way, required ones stay."""

import io
from datetime import date

from rich.console import Console

from actiontrack.commands.columns import OVERDUE_COLUMNS
from actiontrack.commands.output import rich_table

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
    assert "Reported RAG" in text and "rosier than dates" in text


def test_narrow_terminal_drops_optional_columns_not_cells():
    text = render(80)
    assert "Reported RAG" not in text and "Check" not in text
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "SUFF-2.1" in text and "red" in text and "62" in text
