"""What the records say, as of a date: the rows every listing and paper is made of.

views (one item as a row), listings (overdue, slippage, the highlight report),
actionlog (the clerk's log for a meeting) and point_in_time (the store as it stood).
"""
