"""Regular expressions compiled when first used, not when their module is imported.

A command imports some twenty module-level patterns and uses one or two: compiling them
all cost about 4 ms of every command's start (an update takes about 150 ms in all).
"""

from __future__ import annotations

import re
from typing import Any


class Pattern:
    """Stands for `re.compile(source, flags)`: compiled by the first call of any of its
    methods (match, fullmatch, search, sub, ...), which then go straight to the compiled one."""

    def __init__(self, source: str, flags: int = 0):
        self.source, self.flags = source, flags

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(self.source, self.flags)
        for method in ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
