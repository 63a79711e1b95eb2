"""The store as it stood on a given day, rebuilt from the history.

"What did the Board see on 20 July 2022?"  Every change carries the date it counts
from (`effective`); rewinding, newest first, every change that counts from a later
day gives the data as it was (reports/rewind).  Most reports are for today and have
nothing to rewind: that is found from the stored summaries, without decoding an item
or importing the machinery of undo.
"""

from __future__ import annotations

from datetime import date

from actiontrack.domain.storedata import StoreData


def as_at(data: StoreData, day: date) -> StoreData:
    if not _anything_after(data, day):
        return data
    from actiontrack.reports.rewind import rewound

    return rewound(data, day)


def _anything_after(data: StoreData, day: date) -> bool:
    # On the stored records' summaries: nothing needs decoding.
    cut = day.isoformat()
    return (data.actions.changed_after(cut) or data.resolutions.changed_after(cut)
            or any(h.effective > day for h in data.journal))
