"""Profile files in, chunks out. `load_profile` is the one entry point."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import ProfileError
from .chunk import Chunk
from .documents import load_document
from .json_profile import Owner, Profile, load_json_profile

SUPPORTED = {".json", ".md", ".markdown", ".txt", ".text", ".pdf"}

__all__ = ["Chunk", "Owner", "Profile", "SUPPORTED", "load_profile"]


def load_profile(path: Path, private_fields: Iterable[str]) -> Profile:
    """Read one profile file (JSON, Markdown, text or PDF) into chunks."""
    path = Path(path)
    if not path.exists():
        raise ProfileError(path, "does not exist", hint="Check the path.")
    if not path.is_file():
        raise ProfileError(path, "is not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ProfileError(path, f"has an unsupported type '{suffix or '(none)'}'",
                           hint=f"Use one of: {', '.join(sorted(SUPPORTED))}.")
    try:
        if suffix == ".json":
            return load_json_profile(path, private_fields)
        return Profile(load_document(path))
    except PermissionError as exc:
        raise ProfileError(path, "cannot be read (permission denied)") from exc
