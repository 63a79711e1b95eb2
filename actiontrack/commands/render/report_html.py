"""The highlight report as one self-contained HTML file: what Boards would rather look at.

Inline CSS and SVG only (no scripts, nothing fetched), A4 print rules, RAG always
written as a word beside its colour.  The timeline draws each open action from its
baseline to its current due date, so drift from the baseline shows at a glance; the
stretch past due is red, today is a line, milestones are diamonds.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from actiontrack.commands.columns import DERIVED, DUE, OVERDUE, OWNER, RAG, REF, SLIP, STATUS, Column, display
from actiontrack.commands.render import html as paper
from actiontrack.domain.vocabulary import CLOSED_STATUSES

RAG_ORDER = ("blue", "green", "amber", "red")
RAG_LABEL = {"blue": "Complete", "green": "Green", "amber": "Amber", "red": "Red"}
COLOURS = {"blue": "#1d70b8", "green": "#00703c", "amber": "#ffbf47", "red": "#b00020"}
TEXT_ON = {"blue": "#ffffff", "green": "#ffffff", "amber": "#1a1a1a", "red": "#ffffff"}
ACTION_COLUMNS = [REF, Column("title", "Action"), OWNER, STATUS, DUE, RAG, DERIVED, OVERDUE, SLIP]
EXCEPTION_COLUMNS = [REF, Column("title", "Action"), OWNER, DUE, OVERDUE, DERIVED, RAG,
                     Column("commentary", "Latest commentary")]

EXTRA_CSS = """
.cards { display: flex; gap: 8px; flex-wrap: wrap; margin: .6em 0 1em; }
.card { border: 1px solid #767676; padding: 6px 10px; min-width: 90px; }
.card b { display: block; font-size: 18pt; }
.officer { margin: 0 0 .4em; }
svg text { font-family: Arial, Helvetica, sans-serif; }
.timeline { width: 100%; height: auto; }
"""

LABEL_W, ROW_H, BAR_H, TOP, PLOT_W = 90, 22, 12, 34, 620


def render(result: dict, title: str, scorecard: list[dict] | None = None) -> str:
    """`scorecard`: its rows, for a section with a chart per indicator at the end."""
    from actiontrack.commands.render import scorecard_html

    meta = _meta(result)
    sections = [("Summary", _cards(result))]
    for theme in result["themes"]:
        body = (f'<p class="officer">Accountable officer: {paper.escape(theme["officer"])}</p>'
                + rag_bar_svg(theme["counts"], f'{theme["theme"]} RAG')
                + (paper.table(theme["items"], ACTION_COLUMNS) if theme["items"] else paper.none_line("No actions.")))
        if theme.get("indicators"):
            body += "<p>Indicators this theme's actions are meant to move:</p>" + paper.table(
                theme["indicators"], scorecard_html.THEME_COLUMNS)
        sections.append((f'{theme["theme"]} {theme["title"]}', body))
    sections.append(("Timeline: baseline to due date", timeline_svg(result)))
    exceptions = result["exceptions"]
    sections.append(("Exceptions: red and amber",
                     paper.table(exceptions, EXCEPTION_COLUMNS) if exceptions
                     else paper.none_line("No red or amber actions.")))
    if scorecard is not None:
        sections += scorecard_html.sections(scorecard)
    return paper.page(title, meta, sections, extra_css=EXTRA_CSS + scorecard_html.CSS)


def _meta(result: dict) -> str:
    boards = sorted({p["board"] for p in result["plans"] if p["board"]})
    t = result["totals"]
    return (f"{' / '.join(boards) or 'No board'}. As of {display(result['as_of'])}. "
            f"{t['blue']} complete, {t['green']} green, {t['amber']} amber, {t['red']} red; "
            f"{result['mismatches']} reported RAG rosier than the dates; {result['stale']} stale.")


def _cards(result: dict) -> str:
    t = result["totals"]
    cards: list[tuple[str, int, str | None]] = [(RAG_LABEL[k], t[k], k) for k in RAG_ORDER]
    cards += [("Rosier than dates", result["mismatches"], None), ("Stale", result["stale"], None)]
    out = []
    for label, count, rag in cards:
        style = f' style="border-left: 8px solid {COLOURS[rag]}"' if rag else ""
        out.append(f'<div class="card"{style}><b>{count}</b>{html.escape(label)}</div>')
    return '<div class="cards">' + "".join(out) + "</div>"


def rag_bar_svg(counts: dict, label: str, width: int = 600, height: int = 26) -> str:
    """A stacked bar of the theme's actions by derived RAG, each part labelled in words."""
    total = sum(counts.get(k, 0) for k in RAG_ORDER)
    summary = ", ".join(f"{counts.get(k, 0)} {RAG_LABEL[k].lower()}" for k in RAG_ORDER)
    parts = [f'<svg role="img" aria-label="{html.escape(label)}: {summary}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="ragbar"><title>{html.escape(label)}: {summary}</title>']
    if not total:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f2f1" stroke="#767676"/>'
                     f'<text x="6" y="17" font-size="12" fill="#1a1a1a">No actions</text>')
    x = 0.0
    for k in RAG_ORDER:
        n = counts.get(k, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(f'<rect class="rag-{k}" data-count="{n}" x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
                     f'fill="{COLOURS[k]}"/>')
        if w >= 60:
            parts.append(f'<text x="{x + 6:.1f}" y="17" font-size="12" fill="{TEXT_ON[k]}">'
                         f'{n} {RAG_LABEL[k].lower()}</text>')
        x += w
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(result: dict) -> str:
    as_of = result["as_of"]
    rows = [v for t in result["themes"] for v in t["items"]
            if v["status"] not in CLOSED_STATUSES and v["due"] is not None]
    if not rows:
        return paper.none_line("No open actions with a date.")
    dates = [as_of] + [d for v in rows for d in (v["baseline_due"], v["due"]) if d]
    dates += [m["due"] for v in rows for m in v["milestones"]]
    start = min(dates).replace(day=1)
    end = max(dates) + timedelta(days=15)
    per_day = PLOT_W / max((end - start).days, 1)

    def x(day: date) -> float:
        return round(LABEL_W + (day - start).days * per_day, 1)

    height = TOP + ROW_H * len(rows) + 10
    width = LABEL_W + PLOT_W + 10
    out = [f'<svg class="timeline" role="img" aria-label="Timeline of {len(rows)} open actions from baseline to due '
           f'date, as of {display(as_of)}" viewBox="0 0 {width} {height}" data-start="{start.isoformat()}" '
           f'data-px-per-day="{per_day!r}" data-left="{LABEL_W}">',
           "<title>Open actions: baseline to current due date</title>"]
    month = start
    while month <= end:  # month ticks along the top
        out.append(f'<line x1="{x(month)}" y1="{TOP - 8}" x2="{x(month)}" y2="{height - 6}" stroke="#d0d0d0"/>'
                   f'<text x="{x(month) + 2}" y="{TOP - 12}" font-size="9" fill="#505a5f">'
                   f'{month.strftime("%b %y")}</text>')
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    for i, v in enumerate(rows):
        y = TOP + i * ROW_H
        baseline = v["baseline_due"] or v["due"]
        first, last = min(baseline, v["due"]), max(baseline, v["due"])
        overdue = v["days_overdue"] > 0
        out.append(f'<g class="bar" data-ref="{html.escape(v["ref"])}" data-baseline="{baseline.isoformat()}" '
                   f'data-due="{v["due"].isoformat()}" data-overdue="{str(overdue).lower()}">')
        out.append(f'<text x="4" y="{y + BAR_H - 2}" font-size="10" fill="#1a1a1a">{html.escape(v["ref"])}</text>')
        out.append(f'<rect class="span" x="{x(first)}" y="{y}" width="{max(x(last) - x(first), 2)}" '
                   f'height="{BAR_H}" fill="#1d70b8" fill-opacity="0.35" stroke="#1d70b8">'
                   f'<title>{html.escape(v["ref"])}: baseline {display(baseline)}, due {display(v["due"])}'
                   f'{", moved " + str(v["reschedules"]) + " time(s)" if v["reschedules"] else ""}</title></rect>')
        out.append(f'<line class="baseline" x1="{x(baseline)}" y1="{y - 2}" x2="{x(baseline)}" y2="{y + BAR_H + 2}" '
                   f'stroke="#1a1a1a" stroke-width="2"/>')
        if overdue:
            out.append(f'<rect class="late" x="{x(v["due"])}" y="{y}" width="{max(x(as_of) - x(v["due"]), 2)}" '
                       f'height="{BAR_H}" fill="#b00020"><title>{html.escape(v["ref"])}: {v["days_overdue"]} '
                       f'days overdue</title></rect>')
        for m in v["milestones"]:
            cx, cy, r = x(m["due"]), y + BAR_H / 2, 5
            late = m["overdue"]
            fill = "#b00020" if late else ("#1a1a1a" if m["done_on"] else "#ffffff")
            out.append(f'<polygon class="milestone" data-due="{m["due"].isoformat()}" '
                       f'points="{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}" fill="{fill}" '
                       f'stroke="#1a1a1a"><title>Milestone {m["number"]}: {html.escape(m["title"])}, due '
                       f'{display(m["due"])}{" (late)" if late else ""}</title></polygon>')
        out.append("</g>")
    out.append(f'<line class="today" data-date="{as_of.isoformat()}" x1="{x(as_of)}" y1="{TOP - 8}" x2="{x(as_of)}" '
               f'y2="{height - 4}" stroke="#b00020" stroke-width="2" stroke-dasharray="4 2"/>'
               f'<text x="{x(as_of) + 3}" y="{height - 6}" font-size="10" fill="#b00020">as of '
               f'{display(as_of)}</text>')
    out.append("</svg>")
    key = ('<p>Bar: from the baseline date (black tick) to the current due date; red: past due up to the as-of date; '
           'diamonds: milestones (red when late, black when done).</p>')
    return "".join(out) + key
