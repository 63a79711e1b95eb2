"""Listings grouped by plan, theme or meeting make one pass over the items, whatever the
number of groups.

Found when timing `plan list` at 100,000 items: 14.7 s, because it asked every action
again for each plan; `theme list` and `report` did so for each theme, `meeting list` for
each meeting, and `import` for each row of the sheet.  Counted here as passes over the
items (never timed), on every backend.
"""

from __future__ import annotations

import csv

import pytest

from actiontrack.domain.item_map import ItemMap

THEMES = 12


def _every_map_class(cls=ItemMap):
    yield cls
    for sub in cls.__subclasses__():
        yield from _every_map_class(sub)


@pytest.fixture
def passes(monkeypatch):
    """How many times any store's items were gone through (values() or heads() of any item map)."""
    count = [0]
    for cls in set(_every_map_class()):
        for name in ("values", "heads"):
            if name in vars(cls):
                real = vars(cls)[name]

                def counted(self, real=real):
                    count[0] += 1
                    return real(self)

                monkeypatch.setattr(cls, name, counted)
    return count


@pytest.fixture
def many_themes(run):
    run.ok("init")
    run.ok("plan", "add", "SUFF", "Sufficiency Action Plan", "--board", "Corporate Parenting Board")
    for n in range(1, THEMES + 1):
        run.ok("theme", "add", "SUFF", str(n), f"Theme {n}", "--officer", "Head of Service")
        run.ok("action", "add", f"SUFF.{n}", f"Action in theme {n}", "--owner", "Head of Service",
               "--due", "30/11/2022")
    run.ok("action", "complete", "SUFF-3.1")
    for key in ("PERM", "EDU", "SEND"):
        run.ok("plan", "add", key, f"{key} plan")
        run.ok("theme", "add", key, "1", "The one theme", "--officer", "Head of Service")
        run.ok("action", "add", f"{key}.1", "The one action", "--owner", "Head of Service", "--due", "31/12/2022")
    for day in range(1, THEMES + 1):
        run.ok("meeting", "add", "CPB", f"{day:02d}/11/2022")
    run.ok("resolution", "add", "CPB", "05/11/2022", "22/1", "Report back", "--owner", "Head of Service",
           "--due", "31/01/2023")
    return run


@pytest.mark.parametrize("listing", [("plan", "list", "--format", "json"), ("theme", "list", "--format", "json"),
                                     ("report", "--format", "json"), ("meeting", "list", "--format", "json")])
def test_a_grouped_listing_goes_through_the_items_once(many_themes, passes, listing):
    passes[0] = 0
    many_themes.ok(*listing)
    assert 1 <= passes[0] <= 3, (listing, passes[0])  # at most actions, resolutions and links; never per group


def test_the_grouped_listings_still_count_right(many_themes):
    plans = many_themes.json("plan", "list")
    assert [(p["key"], p["themes"], p["actions"], p["open"]) for p in plans] == [
        ("EDU", 1, 1, 1), ("PERM", 1, 1, 1), ("SEND", 1, 1, 1), ("SUFF", THEMES, THEMES, THEMES - 1)]
    themes = {t["theme"]: t for t in many_themes.json("theme", "list", "SUFF")}
    assert len(themes) == THEMES and (themes["SUFF.3"]["actions"], themes["SUFF.3"]["open"]) == (1, 0)
    assert all((t["actions"], t["open"]) == (1, 1) for key, t in themes.items() if key != "SUFF.3")
    report = many_themes.json("report")
    assert [t["actions"] for t in report["themes"]] == [1] * (THEMES + 3)
    assert [t["theme"] for t in report["themes"]][:4] == ["EDU.1", "PERM.1", "SEND.1", "SUFF.1"]
    assert report["themes"][4]["items"][0]["ref"] == "SUFF-2.1"
    meetings = {m["date"]: m for m in many_themes.json("meeting", "list")}
    assert (meetings["2022-11-05"]["resolutions"], meetings["2022-11-05"]["open"]) == (1, 1)
    assert sum(m["resolutions"] for m in meetings.values()) == 1


def test_an_import_goes_through_the_items_once_not_once_a_row(many_themes, passes, tmp_path):
    """A sheet with no Ref column is matched by wording; one with refs by the sheet's own ref."""
    sheet = tmp_path / "returns.csv"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Theme", "Action", "Owner", "Due"])
        for n in range(1, THEMES + 1):
            writer.writerow([n, f"Action in theme {n}", "Service Manager", "31/12/2022"])
        writer.writerow([1, "A new action", "Service Manager", "31/01/2023"])
        writer.writerow([1, "A new action", "Service Manager", "28/02/2023"])  # worded alike: two actions
    passes[0] = 0
    outcome = many_themes.json("import", str(sheet), "--plan", "SUFF")
    assert passes[0] <= 3, passes[0]
    ops = [(r["ref"], r["op"]) for r in outcome["rows"]]
    assert ops[:THEMES] == [(f"SUFF-{n}.1", "update") for n in range(1, THEMES + 1)]
    assert [op for _, op in ops[THEMES:]] == ["create", "create"] and ops[THEMES][0] != ops[THEMES + 1][0]
    assert many_themes.json("action", "show", "SUFF-5.1")["owner"] == "Service Manager"


@pytest.mark.parametrize("listing", [("action", "list", "--theme", "SUFF.2", "--format", "json"),
                                     ("action", "list", "--format", "csv"), ("plan", "list"), ("theme", "list"),
                                     ("resolution", "list", "--format", "json")])
def test_a_listing_reads_the_items_fields_never_their_histories(many_themes, monkeypatch, listing):
    """`action list --theme` at 100,000 items decoded every action whole, history and all,
    to show one theme's (10 s); a listing reads each item's fields and saved summary only."""
    from actiontrack.domain import models

    decoded = []
    real = models.HistoryEntry.from_record
    def spy(record):  # an item's entry; the store's own journal (plans, themes: a "target") is small
        if "target" not in record:
            decoded.append(record)
        return real(record)

    monkeypatch.setattr(models.HistoryEntry, "from_record", staticmethod(spy))
    many_themes.ok("action", "update", "SUFF-2.1", "--note", "A change in the history", as_of="01/12/2022")
    decoded.clear()
    out = many_themes.ok(*listing)
    assert out.strip() and decoded == [], (listing, len(decoded))
    if "--theme" in listing:
        import json

        assert [r["ref"] for r in json.loads(out)] == ["SUFF-2.1"]


@pytest.mark.json_store
@pytest.mark.parametrize("listing", [("action", "list", "--theme", "SUFF.2"), ("plan", "list"), ("theme", "list")])
def test_a_json_listing_decodes_no_item_whole(many_themes, monkeypatch, listing):
    """On the JSON store a listing reads each record's fields as a head (store/file_items),
    a block at a time: no action is decoded whole, so none is held.  (The resolutions are,
    once, for the links an action's row shows.)"""
    from actiontrack.domain import models

    whole = []
    real = models.Item._decoded.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(models.Item, "_decoded", classmethod(
        lambda cls, r, *args, **kw: (cls.kind == "action" and whole.append(r["ref"])) or real(cls, r, *args, **kw)))
    many_themes.ok("action", "update", "SUFF-2.1", "--note", "Writes the index", as_of="01/12/2022")
    whole.clear()
    assert many_themes.ok(*listing).strip()
    assert whole == [], (listing, whole)
