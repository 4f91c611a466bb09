"""Markdown, plain text, PDF and Word (a résumé, blog posts): split by headings, then
paragraphs.

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
from ..places import is_place
from ..text import decoded, words
from .chunk import Chunk, make_chunks, pack, sentences, split_long
from .facts import note_to_self, owner_sentences
from .fields import FIELDS
from .fields import field as field_of
from .fields import is_placeholder, sentence, text_of, with_article
from .owner import HEADLINE_PARTS, Owner, current_job, job_facts, person_name
from .privacy import PRIVATE_BLOCK, private_heading, public_block_lines, strip_private_blocks
from .profile import Profile

_CURRENT = re.compile(r"(?i)\b(present|current|now|today)\b")
_SUMMARY = re.compile(r"(?i)^(summary|about|about me|profile|professional summary|overview)$")


@dataclass
class Section:
    trail: list[str]
    level: int
    blocks: list[str] = field(default_factory=list)
    items: set[int] = field(default_factory=set)  # which blocks are list items
    depth: dict[int, int] = field(default_factory=dict)  # how deep each item's list is nested


# A heading over text that is not the owner's: a job advert kept for reference (the job ads the
# project's guide names among what a twin never voices).
_NOT_OWNERS = re.compile(r"(?i)\b(job (ad|advert|advertisement|posting|listing)s?|vacanc(y|ies))\b")


def not_owners_heading(title: str) -> bool:
    """Whether a heading says the text under it is not about the owner."""
    return bool(_NOT_OWNERS.search(title))




# Column names that say only that a table holds labelled values ("| Field | Detail |"), in the
# words of a key–value pair and their translations: its rows are "label: value".
_KEY_VALUE = frozenset("""field fields detail details item items value values key label attribute
    info information description property particulars data entry category campo valor feld wert
    champ valeur veld waarde dato detalle поле значение сведения данные значення дані відомості
    πεδίο τιμή στοιχεία البند القيمة التفاصيل שדה ערך פרטים 项目 内容 字段 值 項目 値 항목 내용 값
    หัวข้อ รายละเอียด ข้อมูล विवरण adat érték tétel dada camp impormasyon halaga butiran
    maklumat nilai perkara مورد مقدار عنوان جزئیات údaj hodnota pole tieto arvo kenttä
    informație valoare câmp""".split())


def _row_sentence(header: list[str], cells: list[str]) -> str:
    """A table row as one sentence: "Type rating: A320; Issued: 2012" (the header names each
    cell); a row of a table without a header is its cells joined; a row of a table of labelled
    values is "label: value"."""
    if len(header) == 2 and len(cells) == 2 and all(
            h.strip().lower() in _KEY_VALUE for h in header) and cells[0] and cells[1]:
        return f"{cells[0]}: {cells[1]}"
    pairs = [f"{h}: {c}" if h and h.lower() != c.lower() else c
             for h, c in zip(header, cells, strict=False) if c]
    return "; ".join(pairs)


# A line that is a field of its own ("**Notice period:** 60 days"): a short label and a value
_FIELD_LINE = re.compile(r"^[^\s:][^:]{0,40}:\s+\S")
# The same written with an equals sign, an arrow or a dot leader ("Role = Pharmacist", "Faith →
# Sikh", "Based in ........ Osaka")
_FIELD_OTHERWISE = re.compile(r"^([^\s:=→.][^:=→\t]{0,40}?)(?:\s+(?:=|→|->|=>)|\s*(?:\.{3,}|…+))"
                              r"\s+(?=\S)|^([^\s:=→.][^:=→\t]{0,40}?)\t+(?=\S)")


def _inline_lines(token) -> list[str]:
    """A paragraph's lines: one per field when every line is a labelled field (a résumé's
    header block, with a colon after each label, an equals sign or an arrow), else the
    paragraph as one line."""
    lines = [" ".join(_FIELD_OTHERWISE.sub(lambda m: f"{m.group(1) or m.group(2)}: ",
                                           line.strip()).split())
             for line in _inline_text(token, "\n").split("\n")]
    lines = [line for line in lines if line and not note_to_self(line)]
    if len(lines) >= 2 and all(_FIELD_LINE.match(line) for line in lines):
        return lines
    return [" ".join(" ".join(lines).split())]


def _inline_text(token, line_break: str = " ") -> str:
    parts, href = [], None
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(line_break)
        elif child.type == "link_open":
            href = child.attrGet("href")
            start = len(parts)
        elif child.type == "link_close" and href:
            text = "".join(parts[start:])
            if href.rstrip("/") not in text and not href.startswith("#"):
                parts.append(f" ({href.removeprefix('mailto:')})")
            href = None
    text = "".join(parts)
    return text if line_break != " " else " ".join(text.split())


def parse_sections(text: str, private: list[str] | None = None) -> list[Section]:
    """Heading sections in order, each with its paragraphs, list items, table rows (one
    sentence each) and code as blocks.

    A heading that says private, confidential or not for sharing drops its section and every
    section under it; `private` collects what was left out (headings, and `<!-- private -->`
    blocks by number).
    """
    blocks = len(PRIVATE_BLOCK.findall(text))
    if private is not None and blocks:
        private.append(f"{blocks} <!-- private --> block{'s' if blocks > 1 else ''}")
    tokens = MarkdownIt("commonmark").enable("table").parse(strip_private_blocks(text))
    sections = [Section([], 0)]
    open_headings: list[Section] = []  # the visible headings the next one may sit under
    hidden_below = 0  # level of the private heading being skipped, 0 when none
    in_item = 0  # depth of list items around the current token
    row: list[str] | None = None  # the cells of the table row being read
    header: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        visible = sections[-1].level >= 0
        if token.type == "heading_open":
            level = int(token.tag[1])
            title = _inline_text(tokens[i + 1])
            if hidden_below and level <= hidden_below:
                hidden_below = 0
            if not hidden_below and (private_heading(title) or not_owners_heading(title)):
                hidden_below = level
                if private is not None:
                    private.append(f"section '{title}'" if private_heading(title) else
                                   f"section '{title}' (not about you)")
            while open_headings and open_headings[-1].level >= level:
                open_headings.pop()
            trail = [*(open_headings[-1].trail if open_headings else []), title]
            sections.append(Section(trail, level) if not hidden_below else Section([], -1))
            if not hidden_below:
                open_headings.append(sections[-1])
            i += 3
            continue
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if tokens[i - 1].type == "th_close":  # the header row names the columns
                header = row
            elif visible and any(row):
                sections[-1].items.add(len(sections[-1].blocks))
                sections[-1].blocks.append(_row_sentence(header, row))
            row = None
        elif token.type == "table_open":
            header = []
        elif token.type == "inline" and row is not None:
            row.append(_inline_text(token))
        elif token.type == "inline" and visible:
            if in_item:
                sections[-1].items.add(len(sections[-1].blocks))
                sections[-1].depth[len(sections[-1].blocks)] = in_item
                sections[-1].blocks.append(_inline_text(token))
            else:
                sections[-1].blocks.extend(_inline_lines(token))
        elif token.type in ("fence", "code_block") and visible:
            sections[-1].blocks.append(" ".join(token.content.split()))
        i += 1
    return [s for s in sections if s.level >= 0 and (s.blocks or s.trail)]


# The labels a résumé's contact lines give where one lives: JSON Resume's `basics.location`
# (its `city`) and LinkedIn's profile field "Location" with their translations (the JSON
# loader's `fields.FIELDS`), and the phrases "based in", "lives in".
_LOCATION = re.compile(r"^\s*(?:(?:" + "|".join(re.escape(w.replace("_", " "))
                                              for w in (*FIELDS["location"], "lives in", "live in"))
                       + r")\s*[:–-]|(?:based|living|lives?) in)\s*([^:\n]{2,80}?)\.?$", re.I)


# The cells of a résumé's contact line ("Calgary, Alberta · me@example.ca · +1 403 …").
_CONTACT_CELLS = re.compile(r"\s+[·|•]\s+|\s*\|\s*")
_CONTACT = re.compile(r"@|https?://|www\.|linkedin|github|\d{3}")
_LINK = re.compile(r"@|https?://|www\.|linkedin\.com|github\.com", re.I)  # a contact, not a number
_MARKUP = re.compile(r"[*_`#>]+")


def _lines_of(block: str, text: str) -> list[str]:
    """The lines of the text a block was joined from (a paragraph's lines): the longest run of
    consecutive lines, as written, that it starts with; the rest of the block, past a line
    written otherwise (a link's markup), as one."""
    target = " ".join(block.split())
    plain = [" ".join(_MARKUP.sub("", line).split()) for line in text.splitlines()]
    best: list[str] = []
    for start, line in enumerate(plain):
        if not line or not target.startswith(line):
            continue
        rest, found = target, []
        for following in plain[start:]:
            if not following or not rest.startswith(following):
                break
            found.append(following)
            rest = rest[len(following):].lstrip()
            if not rest:
                return found
        best = max(best, found, key=lambda run: len(" ".join(run)))
    told = " ".join(best)
    return [*best, target[len(told):].lstrip()] if best else [target]


def _place_of(line: str) -> str | None:
    """Where a line near the name says the owner is: a cell that names a town or a country,
    alone or after a headline and a dash ("Nairobi, Kenya | me@…", "Producer – Tampere")."""
    for cell in _CONTACT_CELLS.split(line):
        last = re.sub(r"^\W+", "", HEADLINE_PARTS.split(cell.strip())[-1]).strip(" .")  # "📍 İzmir"
        if is_place(last):
            return last
    return None


def _place_in_contacts(line: str, title: str | None) -> str | None:
    """The place a contact line names: the one cell, beside an e-mail address or a link, that
    is neither a contact nor the headline, a few words of letters with a capital."""
    cells = [cell.strip(" .") for cell in _CONTACT_CELLS.split(line) if cell.strip(" .")]
    if len(cells) < 2 or not any(_CONTACT.search(cell) for cell in cells):
        return None
    places = [cell for cell in cells if not _CONTACT.search(cell) and not re.search(r"[\d:]", cell)
              and len(cell.split()) <= 5 and cell[:1].isupper() and cell != (title or "")]
    return places[0] if len(places) == 1 else None


def _labelled(blocks: list[str]) -> dict[str, str]:
    """Lines that are each a labelled field ("Employer: Acme", "Dates: 2021 – present") as a
    record keyed by their labels (read by meaning with `fields.field`)."""
    record = {}
    for block in blocks:
        if not _FIELD_LINE.match(block):
            break
        key, value = block.split(":", 1)
        record[key.strip()] = value.strip()
    return record


def _row(block: str) -> dict[str, str]:
    """A table's row as its cells render ("Years: 2019–present; Employer: Acme; Role: …"),
    keyed by their labels; empty unless every cell is labelled."""
    cells = [cell.split(":", 1) for cell in re.split(r";\s+", block.rstrip(". "))]
    if len(cells) < 2 or any(len(c) < 2 or not _FIELD_LINE.match(f"{c[0]}: {c[1].strip()}")
                             for c in cells):
        return {}
    return {key.strip(): value.strip() for key, value in cells}


def _entry(record: dict[str, str]) -> str:
    """A job's labelled fields as the line that names it: "Nurse, St Mary's, 2019 – present"."""
    company, role, when, _ = job_facts(record)
    return ", ".join(x for x in (role, company, when) if x) if role or company else ""


def _headline(told: str, under: str, text: str, first: Section | None
              ) -> tuple[str | None, str | None]:
    """The headline the name's line or the line under it gives ("Senior Speech Pathologist,
    Bayside Collective. Based in Melbourne. Work email: …": its first sentence), and the place
    it ends with ("Game producer – Tampere"), or the place a contact line opens with."""
    line = _lines_of(under, text)[0] if under else ""
    headline = told or (line if HEADLINE_PARTS.search(line) else next(iter(sentences(line)), line))
    if _FIELD_LINE.match(headline) and first:  # "Role: Oncology Sales Representative"
        headline = text_of(field_of(_labelled(first.blocks), "headline"))
    # the first cell of a contact line ("Structural Engineer · Manchester · me@…"), unless it
    # is a place ("Memphis, TN 38118 | (901) 555-0126 | me@…")
    cells = _CONTACT_CELLS.split(headline or "")
    if len(cells) > 1 and any(_CONTACT.search(cell) for cell in cells):
        if is_place(cells[0]):
            return None, cells[0]
        headline = cells[0]
    parts, place = HEADLINE_PARTS.split(headline or ""), None
    if len(parts) > 1 and is_place(parts[-1]) and not is_place(parts[0]):
        headline, place = " · ".join(parts[:-1]), parts[-1].strip(" .")
    elif len(parts) > 1 and len(headline.split()) > 14:
        headline = parts[0]  # a long line of facets: its first
    if headline and len(headline.split()) <= 14 and "@" not in headline:
        return headline.split("|")[0].strip(" .·—-"), place
    return None, place


def _owner(sections: list[Section], text: str) -> Owner:
    owner, place = Owner(), None
    # the name heads the document: its first top-level heading, or its first line
    first = next((s for s in sections if s.level == 1), None)
    opening = next((s for s in sections if s.trail and s.trail[-1] or s.blocks), None)
    named = person_name(first.trail[-1]) if first else None
    under = first.blocks[0] if first and first.blocks else ""
    if not named and opening:
        if opening.trail and opening.trail[-1]:
            named, under = person_name(opening.trail[-1]), next(iter(opening.blocks), "")
        else:  # a plain first line, the headline on the line below it
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            named, under = person_name(lines[0]), (lines[1:2] or [""])[0].lstrip("# ")
        first = opening
    if not named and first:  # under a document's title, a labelled name ("Name: Katharina …")
        fields = _labelled([line for block in first.blocks[:2] for line in _lines_of(block, text)])
        if (found := person_name(text_of(field_of(fields, "name")))):
            named, under = (found[0], text_of(field_of(fields, "headline"))), first.blocks[0]
    header = list(first.blocks[:3]) if first else []  # the lines under the name
    below = sections[sections.index(first) + 1:][:1] if named and not under else []
    if below and below[0].trail[:-1] == first.trail and below[0].blocks and (
            _LINK.search(below[0].blocks[0]) or _place_of(below[0].trail[-1])):
        under = below[0].trail[-1]  # "## Name", "### Headline — City" over the contact line
        header += below[0].blocks[:3]
    if named:
        owner.set("name", named[0])
        headline, place = _headline(named[1], under, text, first)
        owner.set("title", headline)
    summary = next((s for s in sections if s.trail and _SUMMARY.match(s.trail[-1])), None)
    if summary and summary.blocks:
        owner.set("summary", " ".join(summary.blocks))
    owner.contact_from_text(text)
    # where the owner is: the headline's place, a place among the lines under the name, a
    # labelled place ("Location: Porto, Portugal") anywhere, a cell of the contact line
    owner.set("location", place or next((found for block in header
                                         for line in _lines_of(block, text)
                                         if (found := _place_of(line))), None))
    if not owner.location:
        owner.set("location", next((found.group(1).strip(" .") for s in sections
                                    for block in s.blocks
                                    for line in (block, *_CONTACT_CELLS.split(block),
                                                 *sentences(block))
                                    if (found := _LOCATION.match(line))), None))
    if not owner.location:  # "Calgary, Alberta · me@example.ca · linkedin.com/in/me"
        owner.set("location", next((place for block in header
                                    if (place := _place_in_contacts(block, owner.title))), None))
    job = next((s for s in sections if s.level >= 2 and _CURRENT.search(s.trail[-1])), None)
    if job:
        # "### Nurse, St Mary's (2019 – present)" names the job; "## Current role" heads it
        company, role, when, _ = job_facts(_labelled(job.blocks))
        named = job.trail[-1] if re.search(r"\d", job.trail[-1]) else \
            (f"{role} at {company}" if company else role) if role else \
            next((b for b in job.blocks[:1] if len(b) <= ENTRY_CHARS), "")
        if _DATES_ONLY.match(named) and job.blocks:  # "Mar 2019 – present" over the job's line
            named = f"{_lines_of(job.blocks[0], text)[0]} ({named})"
        if named:
            owner.current_job = f"Currently I am {with_article(named.rstrip(' .:'))}."
    for section in sections:  # "### Nurse, St Mary's" over "2019 – present"
        dated = section.blocks[0] if section.blocks and section.level >= 2 else ""
        found = _CURRENT.search(dated) if len(dated) <= ENTRY_CHARS else None
        tabled = found and _row(dated)
        if tabled and not owner.current_job:  # a table of jobs, a row each
            told = current_job([row for block in section.blocks if (row := _row(block))])
            owner.current_job = told if told and told.startswith("Currently") else None
        if found and not tabled and not owner.current_job \
                and len(dated[:found.start()].split()) <= 3 and re.search(r"\d", dated[:found.start()]):
            owner.current_job = (f"Currently I am {with_article(section.trail[-1])} "
                                 f"({dated[:found.end()]}).")
    # an entry's line that ends with the dates up to now ("Sales Agent, Acme   Jul 2021 -
    # present"): the first such line, the latest job as résumés list them
    dated = next((found for s in sections for block in s.blocks
                  if len(block) <= ENTRY_CHARS and (found := _TO_NOW.search(block))), None)
    if dated and not owner.current_job and dated.start() > 0:
        entry = dated.string[:dated.start()].strip(" ,·|–—-(")
        owner.current_job = f"My current job: {entry} ({dated.group(0).strip(' ()')})."
    if not owner.current_job:  # "Since February 2021 I have been Senior Pathologist at …"
        owner.current_job = next((line for s in sections for block in s.blocks
                                  for line in sentences(block) if _SINCE.match(line)), None)
    return owner


# dates from a month or a year up to now, closing a line
_TO_NOW = re.compile(r"\(?\b(?:[A-Za-z]{3,9}\.? )?(?:19|20)\d\d\s*(?:-|–|—|to)\s*"
                     r"(?:present|current|now|today)\)?\s*$", re.I)


# a job held up to now, in the first person's present perfect
_SINCE = re.compile(r"(?i)^since (?:[a-z]{3,9}\.? )?(?:19|20)\d\d,? (?:i have been|i've been|"
                    r"i have worked|i've worked|i work|i am|i'm) (?:as |at |an? |the )?[A-Z]")


# a line of dates alone ("Mar 2019 – present", "2015/06–2018/09"): month names and numbers
_DATES_ONLY = re.compile(r"(?i)^(?:[\s\d/.,()–—-]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|"
                         r"nov|dec)[a-z]*\.?|\b(?:to|until|since|present|current|now|today)\b)+$")
_SEPARATOR = re.compile(r"\s+[·|•]\s+")  # between the parts of an entry's line
PASSAGE_CHARS = 500  # consecutive short blocks under one lead share a passage up to this size
ENTRY_CHARS = 160  # a line this short, right above list items, heads them (a job, a degree)


def _grouped(section: Section) -> list[tuple[str, list[str]]]:
    """A section's blocks, each under its lead: list items under the short line just above
    them ("Senior Nurse, St Mary's, 2019 – present"), anything else under the heading. The
    one such line opening a section is said with its heading, which names what it dates
    ("### Nurse, St Mary's" then "2019 – present")."""
    groups = _leads(section)
    heading = section.trail[-1] if section.level >= 2 else ""
    leads = {lead for lead, _ in groups if lead != heading}
    if not heading or len(leads) != 1:
        return groups
    entry = leads.pop()
    if set(words(heading)) <= set(words(entry)):
        return groups
    # "March 2020 to present · 212 rooms · owned by …": the dates lead, the rest is a fact
    dates, rest = (_SEPARATOR.split(entry, maxsplit=1) + [""])[:2]
    said = []
    for lead, blocks in groups:
        if lead == entry:
            said.append((f"{heading}, {dates}", blocks))
        elif kept := [b if b.rstrip(" :") != entry else rest for b in blocks
                      if b.rstrip(" :") != entry or rest]:
            said.append((lead, kept))
    return said


def _nested(section: Section, n: int) -> int:
    """How many list items stand nested right under item `n`."""
    depth, count = section.depth.get(n, 0), 0
    for m in range(n + 1, len(section.blocks)):
        if m not in section.items or section.depth.get(m, 0) <= depth:
            break
        count += section.depth[m] == depth + 1
    return count


def _leads(section: Section) -> list[tuple[str, list[str]]]:
    heading = section.trail[-1] if section.level >= 2 else ""
    groups: list[tuple[str, list[str]]] = []
    entry = ""
    outer = (0, "")  # a list item over a nested list ("- **Ecologist — Tay & Forth** (2016 –
    # 2020)" over its duties): its depth and its text, which leads the items nested in it
    for n, block in enumerate(section.blocks):
        item = n in section.items
        depth = section.depth.get(n, 0)
        if not item:
            heads_items = (n + 1) in section.items and len(block) <= ENTRY_CHARS
            # the labelled lines ending here ("Employer: …", "Dates: …") name the entry
            entry = (_entry(_labelled(section.blocks[n::-1])) or block.rstrip(" :")) \
                if heads_items else ""
            outer = (0, "")
        elif depth <= outer[0]:
            outer = (0, "")
        if item and not entry and len(block) <= ENTRY_CHARS and _nested(section, n) >= 2:
            outer = (depth, block.rstrip(" :"))
            continue  # said as the lead of every item under it
        lead = outer[1] if item and outer[1] else entry if item and entry else heading
        if section.level <= 1 and not item and not heads_items and _FIELD_LINE.match(block):
            # the card under the name ("**Notice period:** 60 days"): each field a fact of
            # its own, as a JSON profile's are
            lead, block = (part.strip() for part in block.split(":", 1))
        if groups and groups[-1][0] == lead:
            groups[-1][1].append(block)
        else:
            groups.append((lead, [block]))
    return groups


def document_chunks(sections: list[Section], source: str, default_title: str) -> list[Chunk]:
    """Passages by structure: a section's paragraphs, list items and table rows, a few short
    ones together, each opening with its lead (the heading, or the job or degree line above
    a list), so a bullet keeps its job. A heading with nothing under it is a fact itself
    ("BSc Mathematics, University of Coimbra")."""
    chunks: list[Chunk] = []
    for number, section in enumerate(sections):
        title = " › ".join(section.trail) or default_title
        if not section.blocks:
            nested = number + 1 < len(sections) and sections[number + 1].level > section.level
            if section.level >= 2 and not nested and not is_placeholder(section.trail[-1]):
                chunks.extend(make_chunks(title, sentence(section.trail[-1]), source,
                                          f"{title}#{number}.1", "document"))
            continue
        part_no = 0
        for lead, blocks in _grouped(section):
            if not (blocks := [kept for b in blocks if (kept := owner_sentences(b))]):
                continue
            prefix = f"{lead}: " if lead else ""
            pieces = [piece for b in blocks for piece in split_long(sentence(b), PASSAGE_CHARS)]
            for part in pack(pieces, PASSAGE_CHARS - len(prefix)):
                part_no += 1
                chunks.extend(make_chunks(title, prefix + part, source,
                                          f"{title}#{number}.{part_no}", "document"))
    return chunks


def read_pdf(path: Path) -> tuple[str, bool]:
    """A PDF's text, and whether it is Markdown: when its fonts set headings apart (a larger
    size, or bold lines standing alone), they become headings, as a Word document's styles do
    (`styled_lines`); otherwise the plain text, for `outline` to read its layout."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        runs: list[tuple[str, float, bool]] = []
        last_y: list[float] = []

        def seen(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
            if not text:
                return
            name = str((font or {}).get("/BaseFont", ""))
            y = tm[5] * cm[3] + cm[5]
            if last_y and abs(y - last_y[0]) > 1 and not text.startswith("\n"):
                text = "\n" + text  # moved down to another line: a line of its own
            last_y[:] = [y]
            runs.append((text, round(abs(size * tm[3] * cm[3]), 1),
                         bool(_BOLD_FONT.search(name))))

        pages = []
        for page in reader.pages:
            pages.append(page.extract_text(visitor_text=seen) or "")
            runs.append(("\n", 0.0, False))
            last_y.clear()
    except (PdfReadError, ValueError, OSError) as exc:
        raise ProfileError(path, f"is not a readable PDF ({exc})") from exc
    styled = styled_lines(runs)
    return (styled, True) if styled else ("\n\n".join(pages), False)


# Font names of a bold face, by the weight names of OpenType's usWeightClass (SemiBold or
# DemiBold, Bold, ExtraBold, Black or Heavy) as font files spell them ("Helvetica-Bold",
# "Calibri,Bold", "ArialMT-Black"), and TeX's Computer Modern bold extended ("CMBX10").
_BOLD_FONT = re.compile(r"(?i)bold|black|heavy|semibold|demi|\+?CMBX|[-,]BX")
_WRAPPED = 0.8  # a line this long, against the longest at its size, runs on to the next one
# A line that stops mid-phrase: on a joining mark, or on an English closed-class word that
# cannot end a phrase (an article, a coordinating conjunction, a preposition).
_UNFINISHED = re.compile(r"[,;&(/–—-]$|\b(and|or|of|the|in|at|for|to|with|a|an)$")
HEADING_WORDS = 12


def styled_lines(runs: list[tuple[str, float, bool]]) -> str:
    """Text runs (text, size in points, bold) as Markdown, or "" when the fonts do not set
    headings apart. The body's size is the one most characters have; a short line that is not
    a sentence, in a larger size or bold throughout, is a heading, the larger the size the
    higher its level, and a heading wrapped over two lines is one; the first line, in the
    largest size, is the title (a name), and a line styled as a heading right under it is the
    headline. A line that stops short ends its paragraph (a degree, a date)."""
    rows = _pdf_rows(runs)
    if not rows:
        return ""
    weight: dict[float, int] = {}
    widest: dict[tuple[float, bool], int] = {}  # the longest line of each style
    lines_of: dict[tuple[float, bool], int] = {}
    for text, size, bold in rows:
        weight[size] = weight.get(size, 0) + len(text)
        widest[size, bold] = max(widest.get((size, bold), 0), len(text))
        lines_of[size, bold] = lines_of.get((size, bold), 0) + 1
    body = max(weight, key=weight.__getitem__)

    def styled(size: float, bold: bool) -> bool:
        return size >= body + 1 or (bold and size >= body - 0.5)

    lines: list[tuple[str, float, bool, bool]] = []  # text, size, bold, runs on to the next
    for n, (text, size, bold) in enumerate(rows):
        wide = lines_of[size, bold] >= 3 and len(text) >= _WRAPPED * widest[size, bold]
        runs_on = (wide or bool(_UNFINISHED.search(text))
                   or (n + 1 < len(rows) and rows[n + 1][0][:1].islower()))
        if lines and lines[-1][3] and styled(size, bold) and lines[-1][1:3] == (size, bold):
            lines[-1] = (f"{lines[-1][0]} {text}", size, bold, runs_on)
        else:
            lines.append((text, size, bold, runs_on))

    def heading(text: str, size: float, bold: bool) -> bool:
        return (styled(size, bold) and len(text.split()) <= HEADING_WORDS
                and not _BULLET.match(text) and not _SENTENCE_END.search(text)
                and any(c.isalpha() for c in text))

    heads = {i for i, line in enumerate(lines) if heading(*line[:3])}
    if len(heads) < 2 or len(heads) > 0.4 * len(lines):
        return ""
    styles = sorted({lines[i][1:3] for i in heads}, reverse=True)
    level = {style: min(2 + n, 6) for n, style in enumerate(styles)}
    title = 0 in heads and lines[0][1] == max(size for _, size, _ in rows)
    out: list[str] = []
    for i, (text, size, bold, runs_on) in enumerate(lines):
        if i == 0 and title:
            out += [f"# {_escaped(text)}", ""]
        elif i in heads and not (title and i == 1):
            out += ["", f"{'#' * level[(size, bold)]} {_escaped(text)}", ""]
        else:
            item = _BULLET.match(text)
            out.append(f"- {_escaped(_BULLET.sub('', text, count=1))}" if item
                       else _escaped(text))
            if not runs_on:
                out.append("")
    return "\n".join(out)


def _pdf_rows(runs: list[tuple[str, float, bool]]) -> list[tuple[str, float, bool]]:
    """Text runs as lines: (text, the size most of its characters have, bold throughout)."""
    lines: list[list[tuple[str, float, bool]]] = [[]]
    for text, size, bold in runs:
        for n, piece in enumerate(text.split("\n")):
            if n:
                lines.append([])
            if piece:
                lines[-1].append((piece, size, bold))
    rows = []
    for parts in lines:
        text = " ".join("".join(p[0] for p in parts).split())
        if text:
            sizes: dict[float, int] = {}
            for piece, size, _ in parts:
                sizes[size] = sizes.get(size, 0) + len(piece.strip())
            rows.append((text, max(sizes, key=sizes.__getitem__),
                         all(bold for piece, _, bold in parts if piece.strip())))
    return rows


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d{1,9}[.)])(\s)")


def _escaped(text: str) -> str:
    """Plain text as Markdown that reads as the same text."""
    text = " ".join(_MARKDOWN_SPECIAL.sub(r"\\\1", text).split())
    return _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", text)


def _docx_heading(paragraph) -> int:
    """The level of a paragraph that heads a section: its heading style ("Title" is the
    document's own, level 1), else 0."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return 1
    found = re.fullmatch(r"Heading (\d)", style)
    return int(found.group(1)) if found else 0


def _bold_alone(paragraph) -> bool:
    """A short paragraph whose every word is bold: a heading written by hand."""
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold)
                              for r in runs) and len(paragraph.text.split()) <= 14 \
        and not paragraph.text.strip().endswith((".", ","))


def _docx_list(paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    props = paragraph._p.pPr  # a list item is numbered by its own properties or by its style
    return style.startswith("List") or (props is not None and props.numPr is not None)


def _header_row(row) -> bool:
    """Whether a Word table's first row names its columns: marked to repeat as a header, or
    bold throughout."""
    from docx.oxml.ns import qn

    properties = row._tr.trPr
    if properties is not None and properties.find(qn("w:tblHeader")) is not None:
        return True
    runs = [run for cell in row.cells for p in cell.paragraphs for run in p.runs
            if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def read_docx(path: Path) -> str:
    """A Word document as Markdown: its heading styles (or bold lines standing alone) as
    headings, list paragraphs as bullets, tables as tables (the first row names the columns),
    in the document's order; the page header's lines (a name, a contact line) first."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ProfileError(path, "is not a readable Word document (not a .docx, or damaged)",
                           hint="Save it again as .docx (Word, LibreOffice or Google Docs).") \
            from exc
    styled = [_docx_heading(p) for p in document.paragraphs]
    # documents whose sections are "Heading 1" under a "Title" name: sections one level below
    shift = 1 if 1 in styled and any(p.style is not None and p.style.name == "Title"
                                     for p in document.paragraphs) else 0
    top = (min(level for level in styled if level) + shift) if any(styled) else 1
    lines: list[str] = []
    header = document.sections[0].header if document.sections else None
    if header is not None and not header.is_linked_to_previous:
        lines += [_escaped(p.text) for p in header.paragraphs if p.text.strip()] + [""]
    # without heading styles, bold lines in capitals head sections and the others entries
    capitals = not any(styled) and any(_bold_alone(p) and _capitals(p.text)
                                       for p in document.paragraphs)
    first, deepest = True, top
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = []
            for row in block.rows:
                cells = []
                for cell in row.cells:  # a merged cell repeats in every column it spans
                    text = _escaped(cell.text)
                    if not cells or text != cells[-1]:
                        cells.append(text)
                rows.append(cells)
            width = max((len(r) for r in rows), default=0)
            if width == 2 and not _header_row(block.rows[0]):  # labelled values, no header
                lines += ["", *(f"- {a}: {b}" if a and b else f"- {a or b}"
                                for a, b in (r + [""] * (2 - len(r)) for r in rows)
                                if a or b), ""]
            elif width:
                rows = [r + [""] * (width - len(r)) for r in rows]
                lines += ["", "| " + " | ".join(rows[0]) + " |",
                          "|" + "---|" * width, *("| " + " | ".join(r) + " |" for r in rows[1:]),
                          ""]
            first = False
            continue
        text = _escaped(block.text)
        if not text:
            continue
        level = _docx_heading(block)
        if level:
            level = 1 if level == 1 and block.style.name == "Title" else min(level + shift, 6)
            deepest = level
            lines += ["", f"{'#' * level} {text}", ""]
        elif _bold_alone(block):
            level = 1 if first else min(deepest + 1, 6) if any(styled) else \
                3 if capitals and not _capitals(block.text) else 2
            lines += ["", f"{'#' * level} {text}", ""]
        elif _docx_list(block):
            lines.append(f"- {text}")
        else:
            lines += ["", text, ""]
        first = False
    return "\n".join(lines)


def read_text(path: Path) -> str:
    """A text or Markdown résumé, however its editor saved it (`text.decoded`); a binary file
    is refused."""
    text = decoded(path.read_bytes())
    if text is None:
        raise ProfileError(path, "is not text (it holds NUL bytes)",
                           hint="Save it as UTF-8 text or Markdown.")
    return text


_TITLE_LINE = re.compile(r"^[A-Z0-9][^.!?;,:]{0,58}[^.!?;,:\s]:?$")
_SENTENCE_DONE = re.compile(r"[.!?:)]$")
_MARKDOWN_HEADING = re.compile(r"(?m)^#{1,6} \S")
_RULE = re.compile(r"^\s*([=\-_~*#])\1{2,}\s*$")  # a line under (or between) headings
_FRAMED = re.compile(r"^\s*(?:\[\s*(?P<a>[^\]]+?)\s*\]|(?P<m>[-=*~#_]{2,})\s*(?P<b>.+?)\s*"
                     r"(?P=m))\s*$")  # "[EXPERIENCE]", "--- EXPERIENCE ---"
_NUMBERED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<t>\S.{0,70})$")
_BULLET = re.compile(r"^\s*[•*·▪◦‣–-]\s+")
_SENTENCE_END = re.compile(r"[.!?;,]$")


def _title_like(line: str) -> bool:
    """A short line that names what follows ("Talks", "Work Experience"), not a sentence, a
    bullet nor a wrapped line of a paragraph ("I led the migration of billing to")."""
    named = [w for w in line.split() if w[:1].isalpha()]
    capitalised = sum(w[:1].isupper() for w in named)
    return (bool(_TITLE_LINE.match(line)) and len(line.split()) <= 8 and line[:1] not in "-•*"
            and (len(named) <= 3 or 2 * capitalised >= len(named)))


def _capitals(line: str) -> bool:
    """A line in capitals ("WORK EXPERIENCE", "PERSONAL DETAILS (PRIVATE)")."""
    letters = [c for c in line if c.isalpha()]
    return (len(letters) >= 4 and line.count("(") >= line.count(")") and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
            and len(line.split()) <= 10 and not _SENTENCE_END.search(line))


def _heading(lines: list[str], i: int) -> tuple[int, str] | None:
    """(level, text) when line `i` of a plain-text résumé heads a section, in any of the
    styles people write: underlined, framed, numbered, in capitals, "Heading:" alone on its
    line, or a short title between a finished sentence (or a blank line) and its text."""
    line = lines[i].strip()
    before = lines[i - 1].strip() if i else ""
    under = lines[i + 1].strip() if i + 1 < len(lines) else ""
    after = next((n.strip() for n in lines[i + 1:] if n.strip()), "")  # the next text
    if not line or _BULLET.match(lines[i]) or _RULE.match(line) or len(line) > 90:
        return None
    if _RULE.match(under) and not _SENTENCE_END.search(line):
        return 2, line
    if (framed := _FRAMED.match(line)) and (text := framed.group("a") or framed.group("b")):
        return 2, text.strip()
    if (private_heading(line) or not_owners_heading(line)) and len(line.split()) <= 12 \
            and not _SENTENCE_END.search(line):
        return 2, line  # a section not for sharing is a section, however it is written
    if (numbered := _NUMBERED.match(line)) and not before and not _SENTENCE_END.search(line) \
            and (_capitals(numbered.group("t")) or "." in numbered.group("n")):
        return 2 + numbered.group("n").count("."), line
    if not after or _RULE.match(after):
        return None
    if _capitals(line):  # a PDF's text has no blank lines around its headings
        return 2, line
    if line.endswith(":") and len(line.split()) <= 6 and not before:
        return 2, line.rstrip(":")
    if _title_like(line) and (not before or _SENTENCE_DONE.search(before) or _title_like(before)) \
            and under and not _title_like(after) and not _BULLET.match(after) and i > 0:
        return 2, line
    return None


def _numbered_sections(lines: list[str]) -> dict[int, tuple[int, str]]:
    """Headings numbered in sequence ("1. Summary", "2. Work history", … "10. Private — …"),
    each on a line of its own between blank lines: the numbers counting up through the text
    say they are its sections, however their titles are written, where one numbered line
    alone could be an item of a list."""
    found = {}
    for i, line in enumerate(lines):
        numbered = _NUMBERED.match(line.strip())
        if numbered and "." not in numbered.group("n") and not _SENTENCE_END.search(line) \
                and not (i and lines[i - 1].strip()) \
                and not (i + 1 < len(lines) and lines[i + 1].strip()):
            found[i] = int(numbered.group("n"))
    numbers = list(found.values())
    if len(numbers) < 3 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return {}
    return {i: (2, lines[i].strip()) for i in found}


def outline(text: str) -> str:
    """Plain text (a PDF's, a .txt's) whose lines show structure, as Markdown: its headings
    (whatever their style) as headings, its bullets as list items, and the first line, when
    it stands alone as a name or title, as the document's title. Text with fewer than two
    headings, or already Markdown, is left as it is: one wrapped paragraph must not break at a
    short line."""
    if _MARKDOWN_HEADING.search(text):
        return text
    lines = [line.rstrip() for line in text.splitlines()]
    heads = {i: found for i in range(len(lines)) if (found := _heading(lines, i))}
    heads.update(_numbered_sections(lines))
    if len(heads) < 2:
        return text
    out: list[str] = []
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first in heads and (_title_like(lines[first].strip()) or _RULE.match(lines[first + 1])):
        heads[first] = (1, lines[first])  # the name atop a résumé
    if first is not None and first + 1 in heads and not _capitals(lines[first + 1]) and (
            HEADLINE_PARTS.search(lines[first + 1])
            or _LINK.search(next(iter(lines[first + 2:first + 3]), ""))):
        del heads[first + 1]  # the line under the name is its headline ("Producer – Tampere")
    for i, line in enumerate(lines):
        if i in heads:
            level, title = heads[i]
            out += ["", f"{'#' * level} {title.strip().rstrip(':')}", ""]
        elif i == first and _title_like(line.strip()):
            out += [f"# {line.strip()}", ""]
        elif _RULE.match(line):
            out.append("")
        elif _BULLET.match(line):
            out.append(_BULLET.sub("- ", line, count=1).strip())
        else:
            out.append(line.strip())
    return "\n".join(out)


def load_document(path: Path, text: str, markdown: bool = False) -> Profile:
    """Markdown, or text read as Markdown (a plain file is paragraphs under no heading)."""
    if not text.strip():
        if path.suffix.lower() == ".pdf":
            raise ProfileError(path, "has no extractable text",
                               hint="A scanned PDF needs OCR first (for example `ocrmypdf`).")
        raise ProfileError(path, "is empty", hint="Write your profile into it, then ingest again.")
    private: list[str] = []
    if not markdown and path.suffix.lower() not in (".md", ".markdown"):
        text = outline(text)
    sections = parse_sections(text, private)
    owner = _owner(sections, text)
    chunks = document_chunks(sections, path.name, path.stem)
    if owner.name:
        about = " ".join(x for x in (f"My name is {owner.name}.",
                                     sentence(f"I am {with_article(owner.title)}")
                                     if owner.title else "",
                                     f"I am based in {owner.location}." if owner.location
                                     else "", owner.current_job or "") if x)
        chunks[:0] = make_chunks("About me", about, path.name, "about", "personal")
    if not chunks:
        raise ProfileError(path, "has no content to index once private parts are removed",
                           hint="Fill in at least one section ([bracketed] values are a "
                                "template's and never indexed).")
    return Profile(chunks, owner, {}, private, opened=public_block_lines(text))


def load_markdown(path: Path, private_fields: object = ()) -> Profile:
    return load_document(path, read_text(path))


def load_pdf(path: Path, private_fields: object = ()) -> Profile:
    text, markdown = read_pdf(path)
    return load_document(path, text, markdown=markdown)


def load_docx(path: Path, private_fields: object = ()) -> Profile:
    return load_document(path, read_docx(path), markdown=True)
