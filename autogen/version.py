"""Package version."""

__version__ = "0.2.35.post1"
