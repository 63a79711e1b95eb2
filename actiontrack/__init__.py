"""actiontrack: keep council action plans and committee resolutions honest."""

__version__ = "0.1.0"
