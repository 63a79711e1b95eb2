"""The scorecard as a paper: a row of figures and a line chart per indicator.

Each chart is an inline SVG: the values joined period by period, each point a circle,
the target a dashed line, everything placed by the numbers (the SVG carries its scale
as data- attributes so a test can check each point sits where its value says).  No
scripts and no fetches: the page is self-contained, like the highlight report.
"""

from __future__ import annotations

import html
from datetime import date

from actiontrack.commands.columns import Column, display
from actiontrack.commands.render import html as paper
from actiontrack.domain.periods import parse_period
from actiontrack.reports.scorecard import figure

WIDTH, HEIGHT = 420, 140
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 26  # room for the value axis, and the period labels below
CSS = """
svg.chart { max-width: 100%; height: auto; border: 1px solid #d0d0d0; margin: .2em 0 1em; }
svg text { font-family: Arial, Helvetica, sans-serif; }
"""


COLUMNS = [
    Column("period", "Period", show=lambda r: parse_period(r["period"]).label if r["period"] else ""),
    Column("value", "Value", show=lambda r: figure(r["value"])), Column("target", "Target", show=lambda r: figure(r["target"])),
    Column("rag", "RAG", rag=True), Column("direction", "Since last"),
    Column("year_ago", "A year before", show=lambda r: figure(r["year_ago"])),
    Column("england", "England", show=lambda r: figure(r["england"])),
    Column("neighbours", "Neighbours", show=lambda r: figure(r["neighbours"])),
    Column("actions", "Open actions"),
]


def chart_svg(row: dict) -> str:
    """The indicator's last values and its target line, scaled to fit with a margin."""
    trend = row["trend"]
    if not trend:
        return paper.none_line("No values recorded yet.")
    values = [t["value"] for t in trend]
    lowest, highest = min([*values, row["target"]]), max([*values, row["target"]])
    # Worked out at a quarter of the size (exactly: a power of two): the span between two
    # huge values (1e308 and -1e308, typed in before values were bounded) overflows a float,
    # and drew every point at y="nan"; a point's place between them is all the chart needs.
    low, high = lowest / 4, highest / 4
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 0.25)
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(trend) - 1, 1)

    def y(value: float) -> float:
        return round(TOP + (high - value / 4) / (high - low) * plot_h, 2)

    def x(i: int) -> float:
        return round(LEFT + i * step, 2)

    code = html.escape(row["code"])
    out = [f'<svg class="chart" data-code="{code}" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'data-low="{low * 4!r}" data-high="{high * 4!r}" data-top="{TOP}" data-height="{plot_h}" data-left="{LEFT}" '
           f'data-step="{step!r}" aria-label="{code}: {html.escape(row["title"])}, last {len(trend)} values '
           f'against a target of {figure(row["target"])}">',
           f"<title>{code}: {html.escape(row['title'])}</title>"]
    for value in (lowest, highest):  # the axis: the lowest and highest figure shown
        out.append(f'<text x="{LEFT - 4}" y="{y(value) + 3}" font-size="9" text-anchor="end" fill="#505a5f">'
                   f"{figure(round(value, 2))}</text>")
    out.append(f'<line class="target" data-code="{code}" data-target="{row["target"]!r}" x1="{LEFT}" y1="{y(row["target"])}" '
               f'x2="{WIDTH - RIGHT}" y2="{y(row["target"])}" stroke="#1a1a1a" stroke-width="1.5" '
               f'stroke-dasharray="5 3"><title>Target {figure(row["target"])}</title></line>')
    points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
    out.append(f'<polyline class="values" points="{points}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
    for i, t in enumerate(trend):
        label = parse_period(t["period"]).label
        out.append(f'<circle class="point" data-code="{code}" data-period="{t["period"]}" data-value="{t["value"]!r}" '
                   f'cx="{x(i)}" cy="{y(t["value"])}" r="3" fill="#1d70b8"><title>{html.escape(label)}: {figure(t["value"])}'
                   "</title></circle>")
    for i in (0, len(trend) - 1):  # first and last period under the line
        out.append(f'<text x="{x(i)}" y="{HEIGHT - 8}" font-size="9" text-anchor="middle" fill="#505a5f">'
                   f"{html.escape(parse_period(trend[i]['period']).label)}</text>")
    out.append("</svg>")
    return "".join(out)


THEME_COLUMNS = [Column("code", "Code"), Column("title", "Indicator"), *COLUMNS[:5]]


def sections(rows: list[dict]) -> list[tuple[str, str]]:
    """A section per indicator: its figures and its chart (the scorecard page, or the
    scorecard part of the highlight report)."""
    out = []
    for row in rows:
        better = "higher is better" if row["better"] == "higher" else "lower is better"
        heading = f"{row['code']}: {row['title']} ({row['unit']}, {better})"
        out.append((heading, paper.table([row], COLUMNS) + chart_svg(row)))
    return out or [("Indicators", paper.none_line("No indicators yet."))]


def render(rows: list[dict], as_of: date) -> str:
    title = f"Scorecard as of {display(as_of)}"
    meta = (f"{len(rows)} indicator{'s' if len(rows) != 1 else ''}; each chart shows the last values recorded "
            "by the as-of date, and the target as a dashed line. RAG: green on target or better, amber within "
            "the tolerance, red beyond it.")
    return paper.page(title, meta, sections(rows), CSS)
