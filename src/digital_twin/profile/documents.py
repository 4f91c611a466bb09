"""Markdown, plain text and PDF (a résumé, blog posts): split by headings, then paragraphs.

Markdown is parsed with markdown-it (ATX and setext headings, fenced code), never with regexes:
a heading missed is a private section leaked. A résumé's name (its first heading), headline (the
line under it) and summary feed the owner card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from ..errors import ProfileError
from .chunk import MAX_CHUNK_CHARS, Chunk, make_chunks, pack
from .fields import sentence, with_article
from .owner import Owner
from .privacy import PRIVATE_BLOCK, strip_private_blocks
from .profile import Profile

_CURRENT = re.compile(r"(?i)\b(present|current|now|today)\b")
_SUMMARY = re.compile(r"(?i)^(summary|about|about me|profile|professional summary|overview)$")


@dataclass
class Section:
    trail: list[str]
    level: int
    blocks: list[str] = field(default_factory=list)


def _inline_text(token) -> str:
    parts, href = [], None
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "link_open":
            href = child.attrGet("href")
            start = len(parts)
        elif child.type == "link_close" and href:
            text = "".join(parts[start:])
            if href.rstrip("/") not in text and not href.startswith("#"):
                parts.append(f" ({href.removeprefix('mailto:')})")
            href = None
    return " ".join("".join(parts).split())


def parse_sections(text: str, private: list[str] | None = None) -> list[Section]:
    """Heading sections in order, each with its paragraphs, list items and code as blocks.

    A heading ending in `(private)` drops its section and every section under it; `private`
    collects what was left out (headings, and `<!-- private -->` blocks by number).
    """
    blocks = len(PRIVATE_BLOCK.findall(text))
    if private is not None and blocks:
        private.append(f"{blocks} <!-- private --> block{'s' if blocks > 1 else ''}")
    tokens = MarkdownIt("commonmark").parse(strip_private_blocks(text))
    sections = [Section([], 0)]
    open_headings: list[Section] = []  # the visible headings the next one may sit under
    hidden_below = 0  # level of the private heading being skipped, 0 when none
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level = int(token.tag[1])
            title = _inline_text(tokens[i + 1])
            if hidden_below and level <= hidden_below:
                hidden_below = 0
            if not hidden_below and title.lower().endswith("(private)"):
                hidden_below = level
                if private is not None:
                    private.append(f"section '{title}'")
            while open_headings and open_headings[-1].level >= level:
                open_headings.pop()
            trail = [*(open_headings[-1].trail if open_headings else []), title]
            sections.append(Section(trail, level) if not hidden_below else Section([], -1))
            if not hidden_below:
                open_headings.append(sections[-1])
            i += 3
            continue
        if token.type == "inline" and sections[-1].level >= 0:
            sections[-1].blocks.append(_inline_text(token))
        elif token.type in ("fence", "code_block") and sections[-1].level >= 0:
            sections[-1].blocks.append(" ".join(token.content.split()))
        i += 1
    return [s for s in sections if s.level >= 0 and (s.blocks or s.trail)]


_NOT_A_NAME = re.compile(r"(?i)\b(resume|résumé|cv|curriculum|vitae|profile|portfolio|about|"
                         r"notes?|blog|readme)\b")


def _looks_like_name(heading: str) -> bool:
    """'Jane Q. Doe' yes; 'Resume' or 'My notes 2024' no."""
    parts = heading.split()
    return (2 <= len(parts) <= 5 and all(p[:1].isupper() for p in parts)
            and not re.search(r"\d", heading) and not _NOT_A_NAME.search(heading))


def _owner(sections: list[Section], text: str) -> Owner:
    owner = Owner()
    first = next((s for s in sections if s.level == 1), None)
    if first and _looks_like_name(first.trail[-1]):
        owner.set("name", first.trail[-1])
        if first.blocks and len(first.blocks[0].split()) <= 14 and "@" not in first.blocks[0]:
            owner.set("title", first.blocks[0].split("|")[0].strip(" .·—-"))
    summary = next((s for s in sections if s.trail and _SUMMARY.match(s.trail[-1])), None)
    if summary and summary.blocks:
        owner.set("summary", " ".join(summary.blocks))
    owner.contact_from_text(text)
    job = next((s for s in sections if s.level >= 2 and _CURRENT.search(s.trail[-1])), None)
    if job:
        owner.current_job = f"Currently I am {with_article(job.trail[-1])}."
    return owner


def document_chunks(sections: list[Section], source: str, default_title: str) -> list[Chunk]:
    """One passage per heading section, its blocks packed up to the size limit; a section
    under a heading opens with that heading, so a job's bullets keep their job."""
    chunks: list[Chunk] = []
    for number, section in enumerate(sections):
        title = " › ".join(section.trail) or default_title
        blocks = [sentence(b) for b in section.blocks if b]
        if not blocks:
            continue
        lead = f"{section.trail[-1]}: " if section.level >= 2 else ""
        for part_no, part in enumerate(pack(blocks, MAX_CHUNK_CHARS - len(lead)), 1):
            chunks.extend(make_chunks(title, lead + part, source, f"{title}#{number}.{part_no}",
                                      "document"))
    return chunks


def read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, OSError) as exc:
        raise ProfileError(path, f"is not a readable PDF ({exc})") from exc
    return "\n\n".join(pages)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(path, f"is not UTF-8 text ({exc.reason})") from exc


_TITLE_LINE = re.compile(r"^[A-Z0-9][^.!?;,:]{0,58}[^.!?;,:\s]:?$")
_SENTENCE_DONE = re.compile(r"[.!?:)]$")
_MARKDOWN_HEADING = re.compile(r"(?m)^(#{1,6} \S|(=+|-+)\s*$)")


def _title_like(line: str) -> bool:
    """A short line that names what follows ("Talks", "Work Experience"), not a sentence, a
    bullet nor a wrapped line of a paragraph ("I led the migration of billing to")."""
    named = [w for w in line.split() if w[:1].isalpha()]
    capitalised = sum(w[:1].isupper() for w in named)
    return (bool(_TITLE_LINE.match(line)) and len(line.split()) <= 8 and line[:1] not in "-•*"
            and (len(named) <= 3 or 2 * capitalised >= len(named)))


def outline(text: str) -> str:
    """Plain text (a PDF's, a .txt's) whose lines show structure, as Markdown headings.

    A title-like line that follows the end of a sentence (or another title) and is followed
    by an entry heads a section; the first line, when it is such a line above another title,
    is the document's title. Text with fewer than two such sections, or already Markdown, is
    left as it is: one wrapped paragraph must not break at a short line."""
    if _MARKDOWN_HEADING.search(text):
        return text
    lines = [line.strip() for line in text.splitlines()]
    body = [i for i, line in enumerate(lines) if line]
    heads: dict[int, str] = {}
    for n, i in enumerate(body):
        after = body[n + 1] if n + 1 < len(body) else None
        before = lines[body[n - 1]] if n else ""
        opens = not before or _SENTENCE_DONE.search(before) or _title_like(before)
        if after is not None and opens and _title_like(lines[i]) and not _title_like(lines[after]):
            heads[i] = "##"
    if len(heads) < 2:
        return text
    if body[0] not in heads and _title_like(lines[body[0]]) and body[1] in heads:
        heads[body[0]] = "#"
    return "\n".join(f"\n{heads[i]} {line.rstrip(':')}\n" if i in heads else line
                     for i, line in enumerate(lines))


def load_document(path: Path, text: str) -> Profile:
    """Markdown, or text read as Markdown (a plain file is paragraphs under no heading)."""
    if not text.strip():
        raise ProfileError(path, "is empty" if path.suffix.lower() != ".pdf" else
                           "has no extractable text",
                           hint="Add content (a scanned PDF needs OCR first).")
    private: list[str] = []
    if path.suffix.lower() not in (".md", ".markdown"):
        text = outline(text)
    sections = parse_sections(text, private)
    owner = _owner(sections, text)
    chunks = document_chunks(sections, path.name, path.stem)
    if owner.name:
        about = " ".join(x for x in (f"My name is {owner.name}.",
                                     sentence(f"I am {with_article(owner.title)}")
                                     if owner.title else "", owner.current_job or "",
                                     owner.summary or "") if x)
        chunks[:0] = make_chunks("About me", about, path.name, "about", "personal")
    if not chunks:
        raise ProfileError(path, "has no content to index once private parts are removed")
    return Profile(chunks, owner, {}, private)


def load_markdown(path: Path, private_fields: object = ()) -> Profile:
    return load_document(path, read_text(path))


def load_pdf(path: Path, private_fields: object = ()) -> Profile:
    return load_document(path, read_pdf(path))
