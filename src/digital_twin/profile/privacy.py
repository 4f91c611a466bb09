"""What the owner marked private never reaches the index.

Three ways to mark something private in `digitaltwin.json` (all documented in the README):

- `"private": true` inside any object drops that whole object;
- `"private": ["field", ...]` inside an object drops those fields of it;
- a top-level `"privacy": {"private_fields": ["dot.path", "experience.*.manager", ...]}`.

Settings add more dot paths (`TWIN_PRIVATE_FIELDS`); `salary_location.current_salary` is private
by default. In Markdown and text, a heading ending in `(private)` drops its section and
`<!-- private -->` ... `<!-- /private -->` drops what lies between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import ProfileError

PRIVATE_KEY = "private"
PRIVACY_SECTION = "privacy"


def _norm(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _matches(pattern: list[str], path: list[str]) -> bool:
    """Each part equal ignoring case and separators; the last may be followed by more
    (`current_salary` also hides `currentSalary` and `current_salary_range`)."""
    if len(pattern) != len(path):
        return False
    for i, (p, q) in enumerate(zip(pattern, path, strict=True)):
        if p == "*":
            continue
        if not (_norm(q) == _norm(p) or (i == len(path) - 1 and _norm(q).startswith(_norm(p)))):
            return False
    return True


def strip_private(data: Any, private_paths: Iterable[str], source: str) -> Any:
    """Return a copy of `data` without anything marked private.

    A setting `section.field` (such as the default `salary_location.current_salary`) also
    hides that field in any other top-level section and at the top: profiles name their
    sections differently, and the current salary is private wherever it is written."""
    patterns = [p.split(".") for p in private_paths if p]
    patterns += [["*", p[-1]] for p in patterns if len(p) == 2 and p[0] != "*"]
    patterns += [[p[-1]] for p in patterns if len(p) == 2]
    if isinstance(data, dict):
        privacy = data.get(PRIVACY_SECTION) or {}
        if not isinstance(privacy, dict):
            raise ProfileError(
                source, "must be an object like {\"private_fields\": [...]}", field=PRIVACY_SECTION
            )
        extra = privacy.get("private_fields", [])
        if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
            raise ProfileError(
                source, "must be a list of dot paths", field=f"{PRIVACY_SECTION}.private_fields"
            )
        patterns += [p.split(".") for p in extra]
    return _strip(data, [], patterns, source)


def _strip(value: Any, path: list[str], patterns: list[list[str]], source: str) -> Any:
    if isinstance(value, dict):
        marker = value.get(PRIVATE_KEY)
        if marker is True:
            return None
        hidden: set[str] = set()
        if isinstance(marker, list):
            if not all(isinstance(x, str) for x in marker):
                raise ProfileError(
                    source, "must be true or a list of field names",
                    field=".".join([*path, PRIVATE_KEY]),
                )
            hidden = {x.lower() for x in marker}
        elif marker not in (None, False):
            raise ProfileError(
                source, "must be true or a list of field names",
                field=".".join([*path, PRIVATE_KEY]),
            )
        out = {}
        for key, item in value.items():
            child = [*path, str(key)]
            if key == PRIVATE_KEY or (not path and key == PRIVACY_SECTION):
                continue
            if str(key).lower() in hidden or any(_matches(p, child) for p in patterns):
                continue
            kept = _strip(item, child, patterns, source)
            if kept is not None:
                out[key] = kept
        return out
    if isinstance(value, list):
        kept_items = []
        for i, item in enumerate(value):
            child = [*path, str(i)]
            if any(_matches(p, child) for p in patterns):
                continue
            kept = _strip(item, child, patterns, source)
            if kept is not None:
                kept_items.append(kept)
        return kept_items
    return value


_PRIVATE_BLOCK = re.compile(r"<!--\s*private\s*-->.*?(<!--\s*/private\s*-->|\Z)", re.S | re.I)


def strip_private_blocks(text: str) -> str:
    """Drop `<!-- private -->` ... `<!-- /private -->` blocks (headings ending in `(private)` are
    dropped where the Markdown is parsed, in `documents.py`)."""
    return _PRIVATE_BLOCK.sub("", text)
