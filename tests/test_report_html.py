"""The HTML highlight report: structure, timeline geometry, and a real browser render."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from datetime import date
from html.parser import HTMLParser

import pytest


class Page(HTMLParser):
    """Collects text, elements with their attributes, and anything that would fetch."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]




@pytest.fixture
def report(demo, tmp_path):
    out = tmp_path / "highlight.html"
    demo.ok("report", "--format", "html", "--output", str(out), as_of="01/12/2022")
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    return out, page


def test_self_contained_and_printable(report):
    path, page = report
    raw = path.read_text(encoding="utf-8")
    assert not page.find("script") and not page.find("link") and not page.find("img")
    assert "http://" not in raw.replace("http://www.w3.org", "") and "https://" not in raw
    assert "@page { size: A4" in raw and "@media print" in raw
    text = " ".join(page.text)
    assert "Highlight report: Permanency Action Plan, Sufficiency Action Plan, as of 01 Dec 2022" in text
    assert "Corporate Parenting Board. As of 01 Dec 2022. 5 complete, 4 green, 4 amber, 3 red" in text


def test_every_open_action_appears_with_its_theme_and_officer(report, demo):
    _, page = report
    text = " ".join(page.text)
    open_refs = [r["ref"] for r in demo.json("action", "list", "--open", as_of="01/12/2022")]
    assert len(open_refs) == 11
    for ref in open_refs:
        assert ref in text
    assert "Accountable officer: Specialist Commissioning & Procurement Senior Manager" in text
    assert [a["data-ref"] for a in page.find("g", **{"class": "bar"})] == sorted(open_refs)


def test_rag_is_never_colour_alone(report):
    _, page = report
    bars = page.find("svg", **{"class": "ragbar"})
    assert bars and all("aria-label" in b for b in bars)
    assert "SUFF.2 RAG: 0 complete, 0 green, 1 amber, 1 red" in [b["aria-label"] for b in bars]
    for td in page.find("td"):
        if "rag" in (td.get("class") or ""):
            assert td["class"].split()[-1].removeprefix("rag-") in ("red", "amber", "green", "blue")
    text = " ".join(page.text)
    assert "red" in text and "amber" in text  # the words are in the cells


def test_timeline_bars_match_the_dates(report, demo):
    _, page = report
    (svg,) = page.find("svg", **{"class": "timeline"})
    start = date.fromisoformat(svg["data-start"])
    per_day, left = float(svg["data-px-per-day"]), float(svg["data-left"])

    def x(day: str) -> float:
        return round(left + (date.fromisoformat(day) - start).days * per_day, 1)

    rows = {r["ref"]: r for r in demo.json("action", "list", "--open", as_of="01/12/2022")}
    bars = {g["data-ref"]: g for g in page.find("g", **{"class": "bar"})}
    for ref, g in bars.items():
        assert (g["data-baseline"], g["data-due"]) == (rows[ref]["baseline_due"], rows[ref]["due"])
        assert g["data-overdue"] == str(rows[ref]["days_overdue"] > 0).lower()
    spans = page.find("rect", **{"class": "span"})
    baselines = page.find("line", **{"class": "baseline"})
    ordered = sorted(bars)
    for ref, rect, tick in zip(ordered, spans, baselines, strict=True):
        row = rows[ref]
        first, last = sorted([row["baseline_due"], row["due"]])
        assert float(rect["x"]) == x(first)
        assert float(rect["width"]) == pytest.approx(max(x(last) - x(first), 2), abs=0.11)
        assert float(tick["x1"]) == x(row["baseline_due"])
    late = page.find("rect", **{"class": "late"})
    assert len(late) == sum(1 for r in rows.values() if r["days_overdue"] > 0) == 4
    (today,) = page.find("line", **{"class": "today"})
    assert today["data-date"] == "2022-12-01" and float(today["x1"]) == x("2022-12-01")
    milestones = page.find("polygon", **{"class": "milestone"})
    assert sorted(m["data-due"] for m in milestones) == sorted(
        m["due"] for r in rows.values() for m in r["milestones"])


def test_exceptions_only_red_and_amber_with_commentary(report):
    path, _ = report
    raw = path.read_text(encoding="utf-8")
    exceptions = raw.split("Exceptions: red and amber", 1)[1]
    assert "Pilot with two GP practices" in exceptions
    assert "PERM-3.1" not in exceptions and "SUFF-1.1" not in exceptions  # green, complete


def test_dashboard_in_the_terminal(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = demo.ok("report", as_of="01/12/2022")
    assert "RAG" in out and "Exceptions: red and amber" in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "SUFF.2" in line)
    # Words, not letters ("AR"): a count and its word to a line.
    assert "│ 1 amber " in lines[at] and "│ 1 red " in lines[at + 1]
    assert "Pilot with two GP practices" in out


# -- a real browser ------------------------------------------------------------------------
def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def png_pixels(path) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG, with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (.ci/run installs Debian's chromium; "
                                                  "it could not be installed on this machine)")
def test_real_browser_renders_the_report(report, tmp_path):
    path, _ = report
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    base = [chromium(), *HEADLESS, f"--user-data-dir={profile}"]
    subprocess.run([*base, "--window-size=1100,1600", f"--screenshot={shot}", path.as_uri()],
                   capture_output=True, timeout=120, check=True)
    width, height, raw = png_pixels(shot)
    assert (width, height) == (1100, 1600)
    distinct = len(set(raw))
    not_white = sum(1 for b in raw if b != 0xFF) / len(raw)
    assert distinct > 50 and not_white > 0.02, "the screenshot is blank"
    dom = subprocess.run([*base, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    assert "Highlight report: Permanency Action Plan" in dom
    assert "Full refresh of the Commissioning Action Plan" in dom and 'class="timeline"' in dom
