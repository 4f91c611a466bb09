"""`twin`: the command line. Thin: every command builds Settings, calls the Twin, prints."""

from . import commands, evaluate, fit, reports, servers  # noqa: F401 - each registers its commands
from .base import app

__all__ = ["app"]
