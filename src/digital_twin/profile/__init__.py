"""Profile files in, passages out. `load_profile` is the one entry point, and `LOADERS` the one
place where a file's type picks how it is read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ProfileError
from .chunk import Chunk, passage_text
from .documents import load_markdown, load_pdf
from .json_profile import load_json_profile
from .owner import Owner
from .profile import Profile

LOADERS: dict[str, Callable[[Path, Iterable[str]], Profile]] = {
    ".json": load_json_profile,
    ".md": load_markdown, ".markdown": load_markdown, ".txt": load_markdown,
    ".text": load_markdown,
    ".pdf": load_pdf,
}
SUPPORTED = set(LOADERS)

__all__ = ["Chunk", "LOADERS", "Owner", "Profile", "SUPPORTED", "load_profile",
           "passage_text"]


def load_profile(path: Path, private_fields: Iterable[str]) -> Profile:
    """Read one profile file (JSON, Markdown, text or PDF) into passages."""
    path = Path(path)
    if not path.exists():
        raise ProfileError(path, "does not exist", hint="Check the path.")
    if not path.is_file():
        raise ProfileError(path, "is not a file")
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise ProfileError(path, f"has an unsupported type '{path.suffix.lower() or '(none)'}'",
                           hint=f"Use one of: {', '.join(sorted(SUPPORTED))}.")
    try:
        return loader(path, private_fields)
    except PermissionError as exc:
        raise ProfileError(path, "cannot be read (permission denied)") from exc
