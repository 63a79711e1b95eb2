"""Self-contained HTML papers: inline CSS, no scripts, A4 print rules.

Every value goes through html.escape; RAG is always written as a word as well as a
colour, so the paper reads in black and white and to a screen reader.
"""

from __future__ import annotations

import html

from actiontrack.commands.columns import Column, display

CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #1a1a1a; margin: 2em; }
h1 { font-size: 16pt; margin: 0 0 .2em; }
h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 2px solid #1a1a1a; }
p.meta { margin: 0 0 1em; color: #333; }
table { border-collapse: collapse; width: 100%; margin-bottom: .8em; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #767676; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td.rag { font-weight: bold; white-space: nowrap; }
.rag-red { background: #b00020; color: #fff; }
.rag-amber { background: #ffbf47; color: #1a1a1a; }
.rag-green { background: #00703c; color: #fff; }
.rag-blue { background: #1d70b8; color: #fff; }
p.none { font-style: italic; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } }
"""


def escape(value) -> str:
    return html.escape(display(value))


def table(rows: list[dict], columns: list[Column]) -> str:
    head = "".join(f"<th scope=\"col\">{html.escape(c.header)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = c.value(row)
            if c.rag and value:
                cells.append(f'<td class="rag rag-{html.escape(str(value))}">{escape(value)}</td>')
            else:
                cells.append(f"<td>{escape(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, meta: str, sections: list[tuple[str, str]], extra_css: str = "") -> str:
    parts = [f"<h2>{html.escape(heading)}</h2>\n{content}" for heading, content in sections]
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{CSS}{extra_css}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p class=\"meta\">{html.escape(meta)}</p>\n"
        + "\n".join(parts) + "\n</body>\n</html>\n"
    )


def none_line(text: str) -> str:
    return f'<p class="none">{html.escape(text)}</p>'
