"""What one profile file yields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .chunk import Chunk
from .owner import Owner


@dataclass
class Profile:
    """Passages to index, who the owner is, and the file's public sections."""

    chunks: list[Chunk]
    owner: Owner = field(default_factory=Owner)
    sections: dict[str, Any] = field(default_factory=dict)
    private: list[str] = field(default_factory=list)  # where private content was left out
    # fingerprints of the values kept back (`sensitive.fingerprints`, for the output check),
    # and each decision: where, what kind, what decided it (`twin ingest --explain-privacy`)
    withheld: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)  # values the owner made public
    decisions: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the owner should know of the file
