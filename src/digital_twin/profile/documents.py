"""Markdown, plain text and PDF (a résumé, blog posts): split by headings, then paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ProfileError
from .chunk import MAX_CHUNK_CHARS, Chunk, make_chunks, pack
from .privacy import strip_private_text

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _paragraph_groups(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Consecutive paragraphs packed together up to `limit` characters."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return pack([p for p in paragraphs if p], limit, "\n\n")


def split_markdown(text: str, source: str, default_title: str) -> list[Chunk]:
    """One chunk per heading section (packed paragraphs when a section is long)."""
    text = strip_private_text(text)
    chunks: list[Chunk] = []
    trail: list[str] = []
    body: list[str] = []
    counter = 0

    def flush() -> None:
        nonlocal counter
        title = " › ".join(trail) or default_title
        for part in _paragraph_groups("\n".join(body)):
            counter += 1
            chunks.extend(make_chunks(title, part, source, f"{title}#{counter}", "document"))
        body.clear()

    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            trail[:] = [*trail[: level - 1], heading.group(2).strip()]
        else:
            body.append(line)
    flush()
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


def load_document(path: Path) -> list[Chunk]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        text = read_pdf(path)
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProfileError(path, f"is not UTF-8 text ({exc.reason})") from exc
    if not text.strip():
        raise ProfileError(path, "is empty" if suffix != ".pdf" else "has no extractable text",
                           hint="Add content (a scanned PDF needs OCR first).")
    if suffix in (".md", ".markdown"):
        chunks = split_markdown(text, path.name, path.stem)
    else:
        text = strip_private_text(text)
        chunks = [c for i, part in enumerate(_paragraph_groups(text), 1)
                  for c in make_chunks(f"{path.stem} (part {i})", part, path.name,
                                       f"part{i}", "document")]
    if not chunks:
        raise ProfileError(path, "has no content to index once private parts are removed")
    return chunks
