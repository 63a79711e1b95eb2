"""Every change to a store: checked, applied with who, when and why, and reversible.

tracker (the changes), checks (what typed text and choices must be), undo and revert
(taking a command back, as a new history entry).
"""
