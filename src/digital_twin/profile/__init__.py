"""Profile files in, passages out. `load_profile` is the one entry point, and `LOADERS` the one
place where a file's type picks how it is read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import ProfileError
from .chunk import Chunk, passage_text, sentences
from .documents import load_markdown, load_pdf
from .json_profile import load_json_profile
from .owner import Owner
from .privacy import private_sentence
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
        profile = loader(path, private_fields)
    except PermissionError as exc:
        raise ProfileError(path, "cannot be read (permission denied)") from exc
    return without_private_sentences(profile, path)


def without_private_sentences(profile: Profile, path: Path) -> Profile:
    """The profile less the sentences that give away a private value wherever they stand (a
    birth date in a summary, the current pay in a paragraph): in passages and the owner card."""
    dropped = 0
    chunks = []
    for chunk in profile.chunks:
        found = sentences(chunk.text)
        kept = [s for s in found if not private_sentence(s)]
        dropped += len(found) - len(kept)
        if kept:
            chunks.append(replace(chunk, text=" ".join(kept)))
    if profile.owner.summary:
        profile.owner.summary = " ".join(
            s for s in sentences(profile.owner.summary) if not private_sentence(s)) or None
    if dropped:
        profile.private.append(f"{dropped} sentence{'s' if dropped > 1 else ''} giving a birth "
                               "date, the current pay or something marked not to be shared")
    if not chunks:
        raise ProfileError(path, "has no content to index once private parts are removed")
    return replace(profile, chunks=chunks)
