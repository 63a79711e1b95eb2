"""Renderers for the files people open: xlsx, ics (calendars) and html (papers)."""
