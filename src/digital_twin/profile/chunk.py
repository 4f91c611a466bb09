"""The unit the twin indexes and cites: a passage with its file and section path."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MAX_CHUNK_CHARS = 1200


@dataclass(frozen=True)
class Chunk:
    title: str
    text: str
    source: str  # file name shown in citations
    section: str  # dot path inside the file, e.g. "experience.0.achievements_star.1"
    kind: str = "text"

    @property
    def id(self) -> str:
        """Stable content-hash id: the same passage in the same place keeps its id."""
        digest = hashlib.sha256(
            "\x1f".join((self.source, self.section, self.title, self.text)).encode()
        ).hexdigest()
        return digest[:16]


def passage_text(chunk: Chunk) -> str:
    """What is embedded for a passage: its label, then its text."""
    return f"{chunk.title}\n{chunk.text}"


# A sentence ends at ".", "!" or "?" before a capital, a digit, a quote or a bracket, or a
# letter of a script other than Latin that is not a small Cyrillic or Greek letter (a capital
# of those, or a letter of a script without capitals: Arabic, Chinese…).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(]|[^\x00-\u024f\sа-яёіїєґα-ωάέήίόύώ])")


# A period after these ends an abbreviation, not a sentence ("MSc. Business Analytics", "b. 1985";
# the abbreviated street words of the Universal Postal Union's address formats: ul., al., os.
# (Poland), str. (Germany, Romania), nr (house number), bl., sc., ap., et. (Romania's block,
# stair, flat and floor); a flat's or suite's abbreviations (apt., app., appt., ste., dpto.,
# esc., bte.) and the Cyrillic scripts' street, flat and town words (ул., бул., вул., пр., ап.,
# кв., бл., вх., ет., гр., г., д., обл.); tel. and ca. (circa)); "born" before a date (geb.,
# ur., nar.: German and Dutch, Polish, Czech); and a number's "no."
# ("passport no. X1234567"); and a word of consonants only, which no language writes as a word
# but as its abbreviation (German's zzgl., bzw., ggf., vgl.; English's Mr., Mrs.), not a web
# address's end ("….gr.").
_ABBREVIATION = re.compile(
    r"(?:(?<![\w.@/-])[A-Z]?[b-df-hj-np-tv-xz]{2,5}|"
    r"\b(?:[A-Z][a-z]{0,2}|[a-z]|[A-Z]{1,2}[a-z][A-Za-z]?|e\.g|i\.e|etc|vs|approx|incl|Ltd|Inc|"
    r"Jr|Sr|Dr|St|No|no|Co|ul|al|os|str|nr|bl|sc|ap|et|tel|ca|apt|app|appt|ste|dpto|esc|bte|"
    r"geb|ur|nar|"
    r"ул|бул|вул|пр|ап|кв|бл|вх|ет|гр|г|д|обл)|"
    r"\b[A-Za-z]\.[A-Za-z])\.$")


def sentences(text: str) -> list[str]:
    pieces = [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and _ABBREVIATION.search(merged[-1]):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def pack(pieces: list[str], limit: int, joiner: str = " ") -> list[str]:
    """Consecutive pieces joined into groups of at most `limit` characters (a longer piece
    stands alone)."""
    groups, current = [], ""
    for piece in pieces:
        if current and len(current) + len(joiner) + len(piece) > limit:
            groups.append(current)
            current = piece
        else:
            current = f"{current}{joiner}{piece}" if current else piece
    if current:
        groups.append(current)
    return groups


def split_long(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Text over `limit` characters split at sentence boundaries."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    return pack(sentences(text), limit)


def make_chunks(
    title: str, text: str, source: str, section: str, kind: str = "text"
) -> list[Chunk]:
    """One chunk, or several numbered parts when the text is long."""
    parts = split_long(text)
    if len(parts) == 1:
        return [Chunk(title, parts[0], source, section, kind)]
    return [
        Chunk(f"{title} ({i}/{len(parts)})", part, source, f"{section}#{i}", kind)
        for i, part in enumerate(parts, 1)
    ]
