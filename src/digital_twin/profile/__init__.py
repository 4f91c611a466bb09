"""Profile files in, passages out. `load_profile` is the one entry point, and `LOADERS` the one
place where a file's type picks how it is read."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ProfileError
from .chunk import Chunk, passage_text, sentences
from .documents import load_docx, load_markdown, load_pdf
from .json_profile import load_json_profile
from .linkedin import is_export, load_linkedin
from .owner import Owner
from .profile import Profile
from .sensitive import POSTCODE_LABEL, Finding, fingerprints, kept_back, withheld_in

LOADERS: dict[str, Callable[[Path, Iterable[str]], Profile]] = {
    ".json": load_json_profile,
    ".md": load_markdown, ".markdown": load_markdown, ".txt": load_markdown,
    ".text": load_markdown,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".zip": load_linkedin,  # a LinkedIn data export (its unpacked folder is read too)
}
SUPPORTED = set(LOADERS)

__all__ = ["Chunk", "LOADERS", "Owner", "Profile", "SUPPORTED", "load_profile",
           "passage_text"]


def load_profile(path: Path, private_fields: Iterable[str]) -> Profile:
    """Read one profile file (JSON or JSON Resume, Markdown, text, PDF, Word, a LinkedIn
    export) into passages."""
    path = Path(path)
    if not path.exists():
        raise ProfileError(path, "does not exist", hint="Check the path.")
    if is_export(path):
        return without_sensitive(load_linkedin(path, private_fields), path)
    if path.is_dir():
        raise ProfileError(path, "is a folder", hint="Name the profile files in it (a folder is "
                                                     "read whole only when it is a LinkedIn "
                                                     "export).")
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
    return without_sensitive(profile, path)


# A Markdown footnote's call ("[^1]", as CommonMark's footnote extension writes it) and its
# text ("[^1]: Plus …")
_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NOTE = re.compile(r"\s*\[\^([^\]\s]+)\]:")
_NOTE_START = re.compile(r"\s+(?=\[\^[^\]\s]+\]:)")  # a footnote's text within a sentence


def without_sensitive(profile: Profile, path: Path) -> Profile:
    """The profile less every part that holds a private value (`sensitive.py`): in passages,
    the owner card and the public sections, the smallest part that holds it (a cell, an aside,
    a clause, else the sentence). A value found once is then kept back wherever else it
    stands, however it is written there. What was kept back is listed by place and kind."""
    found: list[tuple[str, str, str]] = []  # (where, kind, what decided it)
    findings: list[Finding] = []
    values: list[str] = []
    notes: set[str] = set()  # the labels of footnotes called from what was kept back
    opened = {value.strip().lower() for value in profile.opened}

    def clean(text: str, context: str, where: str) -> str:
        kept = []
        for sentence in sentences(text):
            rest, hits = kept_back(sentence, context)
            if hits and all(withheld_in(hit.value, profile.opened)
                            or hit.value.strip().lower() in opened for hit in hits):
                rest, hits = sentence, []  # what the owner made public
            for hit in hits:
                found.append((where, hit.kind, hit.cue))
                findings.append(hit)
                values.append(hit.value)
            if hits:  # a footnote the kept-back part calls goes with it ("£47,810[^1]")
                notes.update(_NOTE_CALL.findall(sentence))
            if rest and values and withheld_in(rest, values):
                found.append((where, "a value kept back elsewhere", "the same value"))
                rest = ""
            if rest:
                kept.append(rest)
        return " ".join(kept)

    def withheld_elsewhere(text: str, where: str) -> str:
        """The text less its sentences that hold a value kept back elsewhere (the detectors
        already ran on it)."""
        kept = []
        for sentence in (part for s in sentences(text) for part in _NOTE_START.split(s)):
            if withheld_in(sentence, values):
                found.append((where, "a value kept back elsewhere", "the same value"))
            elif (note := _NOTE.match(sentence)) and note.group(1) in notes:
                found.append((where, "a footnote to a part kept back", "its call"))
            else:
                kept.append(sentence)
        return " ".join(kept)

    chunks = []
    for chunk in profile.chunks:
        title = clean(chunk.title, "", chunk.section) or chunk.section
        text = clean(chunk.text, chunk.title, chunk.title or chunk.section)
        if text:
            chunks.append(replace(chunk, title=title, text=text))
    # a second pass, now that every value is known: one seen in a later passage goes from
    # the earlier ones too
    chunks = [replace(c, text=withheld_elsewhere(c.text, c.title)) for c in chunks] \
        if values or notes else chunks
    chunks = [c for c in chunks if c.text]
    owner = profile.owner
    for attr, value in vars(owner).items():
        if isinstance(value, str):
            setattr(owner, attr, clean(value, attr, f"owner's {attr}") or None)
    sections = _clean_tree(profile.sections, [], clean)
    for where, kind, _ in found:
        line = f"{where}: {kind}"
        if line not in profile.private:
            profile.private.append(line)
    if not chunks:
        raise ProfileError(path, "has no content to index once private parts are removed")
    return replace(profile, chunks=chunks, sections=sections,
                   withheld=fingerprints(findings), decisions=found)


def _clean_tree(value: Any, path: list[str], clean: Callable[[str, str, str], str]) -> Any:
    """The public sections, each text less what holds a private value (its key the context)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            kept = _clean_tree(item, [*path, str(key)], clean)
            if kept not in (None, "", [], {}):
                out[key] = kept
        if any(isinstance(item, str) and item.strip() and key not in out
               for key, item in value.items()):  # a value kept back: its postcode goes too
            out = {key: item for key, item in out.items()
                   if not POSTCODE_LABEL.match(re.sub(r"[_\-.]+", " ", str(key)))}
        return out
    if isinstance(value, list):
        items = [_clean_tree(item, [*path, str(i)], clean) for i, item in enumerate(value)]
        return [item for item in items if item not in (None, "", [], {})]
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        words = [re.sub(r"[_\-.]+|(?<=[a-z])(?=[A-Z])", " ", key) for key in path[-3:]
                 if not key.isdigit()]
        kept = clean(str(value), ": ".join(words), ".".join(path)) or None
        return value if kept is not None and not isinstance(value, str) else kept
    return value
