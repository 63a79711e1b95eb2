"""CLI output and edges (issue 11, items 9-12 and 17): markdown, output files, empty values,
damaged stores, odd numbers and odd terminals."""

from __future__ import annotations

import pytest

# -- 9: markdown shows HTML as text ------------------------------------------------

HOSTILE = "<script>alert(1)</script> & costs | <b>bold</b>"


def test_markdown_escapes_raw_html_and_pipes(sufficiency):
    sufficiency.ok("action", "add", "SUFF.2", HOSTILE, "--owner", "Head of <i>Placements</i>",
                   "--due", "30/09/2022", as_of="20/07/2022")
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; costs \\| &lt;b&gt;bold&lt;/b&gt;"
    outputs = [sufficiency.ok("overdue", "--format", "markdown"),
               sufficiency.ok("action", "list", "--format", "markdown"),
               sufficiency.ok("action", "show", "SUFF-2.1", "--format", "markdown"),
               sufficiency.ok("report", "--format", "markdown")]
    for md in outputs[:3]:
        assert escaped in md, md
    for md in outputs:
        assert "<script" not in md and "<i>" not in md and "<b>" not in md
    assert "Head of &lt;i&gt;Placements&lt;/i&gt;" in outputs[0]


def test_log_markdown_escapes_the_committee_name(run):
    run.ok("init")
    run.ok("meeting", "add", "Panel <b>&</b> Board", "05/03/2018", as_of="01/01/2018")
    md = run.ok("log", "Panel <b>&</b> Board", "05/03/2018", "--format", "markdown", as_of="05/03/2018")
    assert md.startswith("# Panel &lt;b&gt;&amp;&lt;/b&gt; Board: action log")
    assert "<b>" not in md
