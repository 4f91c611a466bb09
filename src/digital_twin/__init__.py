"""A professional's AI digital twin."""

__version__ = "0.1.0"
