"""The words the tool knows for where work stands and whether it will land on time.

Status and RAG are different things (see the README's rules): status says where the
work is, RAG whether it will land on time.  Spelled here once; every module that
tests a status imports it from here.
"""

from __future__ import annotations

STATUSES = ("not-started", "in-progress", "on-hold", "awaiting-sign-off", "complete", "dropped")
CLOSED_STATUSES = frozenset({"complete", "dropped"})  # closed work is neither late nor stale
RAGS = ("red", "amber", "green")
