"""The words the tool knows for where work stands and whether it will land on time.

Status and RAG are different things (see the README's rules): status says where the
work is, RAG whether it will land on time.  Spelled here once; every module that
tests a status imports it from here.
"""

from __future__ import annotations

STATUSES = ("not-started", "in-progress", "on-hold", "awaiting-sign-off", "complete", "dropped")
CLOSED_STATUSES = frozenset({"complete", "dropped"})  # closed work is neither late nor stale
RAGS = ("red", "amber", "green")
STATUS_WORDS = frozenset(STATUSES)
RAG_WORDS = frozenset((*RAGS, None))  # a stored RAG: one of these, or none given

# The fields whose changes hold days (ISO text), checked when a history is read: an
# item's (changes/revert) and the journal's records' (changes/journal); a milestone's are
# "milestone 2 due" and "milestone 2 done_on".
ITEM_DATE_FIELDS = frozenset({"due", "baseline_due", "completed_on", "meeting"})
RECORD_DATE_FIELDS = frozenset({"start", "end", "created", "made_on", "reply_by", "sent_on", "chased_on",
                                "returned_on"})
DATED_CHANGES = ITEM_DATE_FIELDS | RECORD_DATE_FIELDS
MILESTONE_DAYS = (" due", " done_on")
