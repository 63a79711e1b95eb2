"""Builders shared by the tests: a small store made through the real Tracker."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path

from actiontrack.changes.tracker import Tracker
from actiontrack.domain.storedata import StoreData
from actiontrack.store import open_repository

FIXED_CLOCK = "2026-01-01T09:00:00+00:00"


def tracker(data: StoreData | None = None, as_of: date = date(2022, 7, 20), user: str = "Clerk") -> Tracker:
    return Tracker(data if data is not None else StoreData(), user=user, as_of=as_of, clock=lambda: FIXED_CLOCK)


def small_store(as_of: date = date(2022, 7, 20)) -> StoreData:
    """SUFF with two themes, PERM with one; one action in SUFF.1."""
    t = tracker(as_of=as_of)
    t.add_plan("SUFF", "Sufficiency Action Plan", board="Corporate Parenting Board")
    t.add_plan("PERM", "Permanency Action Plan")
    t.add_theme("SUFF", 1, "Strengthening Commissioning", "Head of Commissioning")
    t.add_theme("SUFF", 2, "Placements Close to Home", "Head of Placements")
    t.add_theme("PERM", 1, "Prevention and Edge of Care", "Head of Early Help")
    return t.data


def at(data: StoreData, as_of: date) -> Tracker:
    return tracker(data, as_of=as_of)


BACKENDS = ("json", "sqlite")


@contextmanager
def file_store(folder, backend: str):
    """A new store file in `folder` of the given backend; its connections closed after."""
    repo = open_repository(str(Path(folder) / ("s.db" if backend == "sqlite" else "s.json")))
    try:
        yield repo
    finally:
        repo.close()
