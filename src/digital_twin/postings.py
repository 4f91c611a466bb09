"""What a job posting asks: its requirements, each with its kind (must, nice, duty).

A posting is read line by line, whatever its layout (Markdown or plain text; headings with `#`,
in bold, in capitals or ending in a colon; bullets of any sign, numbered items, table rows,
labelled lines, or requirements written as sentences in paragraphs). Each heading sets the kind
of what lies under it, and an item's own words can change it ("… is a plus", "(D)").

The words come from general sources, not from any posting:
- the sections of schema.org's JobPosting type: `responsibilities`, `qualifications`,
  `skills`, `experienceRequirements`, `educationRequirements`, and what is not asked of the
  candidate (`jobBenefits`, `baseSalary`, `employerOverview`, how to apply);
- the person specification of UK public-sector posts: "essential" and "desirable" criteria,
  marked (E) and (D);
- the requirement levels of RFC 2119: must, required, shall (a requirement); should,
  recommended, may, optional (a preference);
- the headings English postings use for the three kinds: what you will do, what you bring,
  nice to have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .prompting import is_injection

Kind = Literal["must", "nice", "duty"]
Section = Literal["must", "nice", "duty", "other"]  # other: about the employer, pay, applying


@dataclass(frozen=True)
class Requirement:
    text: str
    kind: Kind
    section: str = ""  # the heading it stands under

    @property
    def question(self) -> str:
        """How an interviewer asks about it: "Do you have expert Python?", "Have you done
        this before: run incident reviews?"."""
        text = self.text.rstrip(".")
        first = text.split()[0] if text.split() else ""
        lowered = text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]
        if self.kind == "duty":
            return f"Have you done this before: {lowered}?"
        return f"Do you have {lowered}?"


def _words(*phrases: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.I)


# A heading's kind, tried in this order (a "preferred qualifications" heading is a preference).
_HEADINGS: tuple[tuple[Section, re.Pattern], ...] = (
    ("nice", _words(r"nice[ -]to[ -]haves?", r"desirable", r"preferred", r"preferable",
                    r"bonus(?: points)?", r"a plus", r"pluses", r"advantageous",
                    r"extra (?:credit|love|points)", r"ideally", r"optional")),
    ("other", _words(r"benefits?", r"perks?", r"what we offer", r"we offer", r"in it for you",
                     r"compensation", r"salary", r"pay", r"rewards?",
                     r"about (?:us|the (?!role|job|position|post)\w+)",
                     r"who we are", r"our (?:company|team|story|mission)", r"how to apply",
                     r"to apply", r"application", r"equal opportunit\w*", r"diversity")),
    ("duty", _words(r"responsibilit(?:y|ies)", r"duties", r"dut(?:y|ies)", r"the role",
                    r"role", r"what you(?:'ll| will) do", r"you(?:'ll| will)",
                    r"day[ -]to[ -]day", r"key tasks?", r"tasks", r"job description",
                    r"accountabilit(?:y|ies)", r"your impact", r"what you(?:'ll| will) own")),
    ("must", _words(r"requirements?", r"required", r"qualifications?", r"must[ -]haves?",
                    r"essential", r"minimum", r"skills?", r"experience",
                    r"education", r"knowledge", r"person specification", r"competenc\w+",
                    r"what you(?:'ll| will)? (?:bring|need|have)", r"you (?:have|bring|are)",
                    r"about you", r"who you are", r"what we(?:'re| are) looking for",
                    r"we(?:'re| are) looking for", r"criteria", r"eligibility")),
)

# An item's own words: a preference, a requirement, a duty (RFC 2119's levels, and the
# phrasing postings use for each).
_NICE = _words(r"a plus", r"an? (?:big |real )?(?:advantage|bonus|asset)", r"advantageous",
               r"preferred", r"preferably", r"desirable", r"desired", r"ideally",
               r"nice[ -]to[ -]have", r"would be (?:welcome[d]?|helpful|great|useful|beneficial)",
               r"is welcome[d]?", r"highly regarded", r"should", r"recommended", r"optional",
               r"bonus")
_MUST = _words(r"must", r"required", r"requires?", r"essential", r"shall", r"minimum",
               r"at least", r"you (?:will )?(?:have|hold|bring|possess)", r"you(?:'ll| will) need",
               r"holds?", r"ideal candidate (?:has|holds|will have|brings)",
               r"looking for someone", r"\d+\+? years?", r"qualified", r"degree",
               r"licen[cs]e[d]?", r"certifi\w+", r"registered", r"registration")
_DUTY = _words(r"you(?:'ll| will)", r"will (?:be )?(?:responsible|lead|manage|own|work|plan|"
               r"teach|support|take|act|use|assess|maintain|write|train|deliver|develop)",
               r"responsible for", r"(?:post ?holder|successful candidate|the \w+) will",
               r"they will", r"duties include", r"responsibilities include")
_NOT_ASKED = _words(r"we offer", r"salary", r"per annum", r"holiday", r"pension", r"bonus scheme",
                    r"equal opportunit\w*", r"to apply", r"apply by", r"closing date",
                    r"benefits?", r"we are (?:a|an) ", r"committed to", r"welcomes? applica\w+")

_BULLET = re.compile(r"^\s*(?:[-*+•·→▪◦‣–—>✓✔☐]|\d{1,2}[.)]|[a-z][.)]|\(\w{1,3}\))\s+")
_MARKER = re.compile(r"\s*\((E|D|Essential|Desirable)\)\s*$", re.I)
_LABEL = re.compile(r"^\s*\**([A-Za-z][A-Za-z' /&-]{1,40}?)\**\s*:\**\s+(\S.*)$")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def _plain(line: str) -> str:
    """A line without Markdown emphasis, heading marks and emoji."""
    line = _EMOJI.sub("", line)
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
    return line.strip()


def _heading(raw: str, plain: str, next_line: str, alone: bool = False) -> bool:
    """Whether a line is a heading in any of the usual styles (`alone`: with a blank line
    before and after it)."""
    if not plain or len(plain.split()) > 9 or _BULLET.match(raw):
        return False
    if re.match(r"^\s*#{1,6}\s", raw) or re.fullmatch(r"\s*(\*\*|__)[^*_]+\1:?\s*", raw):
        return True
    if plain.endswith(":"):
        return True
    letters = [c for c in plain if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    # a short line with no end punctuation, over a list or another heading, or on its own
    return (not re.search(r"[.!?,;]$", plain) and len(plain.split()) <= 5
            and bool(next_line.strip()) and (alone or bool(_BULLET.match(next_line)
                                                           or next_line.rstrip().endswith(":"))))


def _section_kind(title: str) -> Section | None:
    for kind, words in _HEADINGS:
        if words.search(title):
            return kind
    return None


def _own_kind(text: str, section: Section | None) -> Kind | None:
    """An item's kind: its own words where they say it, else its section's; None when it is
    not something asked of the candidate."""
    marker = _MARKER.search(text)
    if marker:
        return "nice" if marker.group(1)[0].upper() == "D" else "must"
    if section == "other":
        return None
    if _NICE.search(re.sub(r"\([^()]*\)", "", text)):  # "OSHA 10 (OSHA 30 preferred)" is must
        return "nice"
    if section in ("must", "nice", "duty"):
        return section
    if _NOT_ASKED.search(text):
        return None
    if _MUST.search(text) and not re.match(r"\s*(?:you(?:'ll| will)|the \w+ will|they will)"
                                           r"\s+(?!have|hold|need|bring)", text, re.I):
        return "must"
    if _DUTY.search(text):
        return "duty"
    return None


def _clean(text: str) -> str:
    text = _MARKER.sub("", _BULLET.sub("", text)).strip()
    return text.strip(" ;").rstrip(".").strip()


def _parts(text: str) -> list[str]:
    """An item, or the clauses of one that lists several requirements with semicolons."""
    if text.count(";") >= 1 and len(text) > 120:
        return [p for p in (x.strip() for x in text.split(";")) if len(p.split()) >= 3]
    return [text]


def _table_row(line: str) -> list[str] | None:
    """A table row's cells ([] for the line under the header), None for any other line."""
    if line.count("|") < 2:
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return [] if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells) else cells


# How a line its writer wrapped ends: inside a sentence (a comma, a word that cannot end one),
# or in prose (a sentence ended within it); the next line then goes on (an unmarked list's items
# do neither).
_MID_SENTENCE = re.compile(r"(?:,|\b(?:a|an|the|and|or|of|to|in|on|at|by|for|with|from|as|"
                           r"including|such|our|your|their|is|are|be|will|must|should))$", re.I)
_PROSE = re.compile(r"[a-z0-9)][.!?]\s+[A-Z]")


def logical_lines(posting: str) -> list[str]:
    """The posting's lines with the ones its writer wrapped joined again: a line goes on the
    one before when that one stops mid-sentence or is prose, ends with no full stop, colon or
    marker, and neither is a bullet, a table row, a heading or blank."""
    joined: list[str] = []
    for raw in posting.splitlines():
        before = joined[-1].rstrip() if joined else ""
        if (raw.strip() and before and not _BULLET.match(raw)
                and _table_row(raw) is None and _table_row(before) is None
                and not re.search(r"[.!?:;]$|\((?:E|D)\)$", before)
                and (_MID_SENTENCE.search(before) or _PROSE.search(before)
                     or raw.strip()[:1].islower())
                and not _heading(raw, _plain(raw), "")
                and not _heading(before, _plain(before), raw)):
            joined[-1] = f"{before} {raw.strip()}"
        else:
            joined.append(raw)
    return joined


def requirements(posting: str) -> list[Requirement]:
    """Every requirement and duty of a job posting, in its order."""
    lines = logical_lines(posting)
    found: list[Requirement] = []
    section: Section | None = None  # the kind of the heading above
    title = ""
    kinds_column: int | None = None
    in_table = False

    def add(text: str, within: Section | None, kind: Kind | None = None,
            where: str = "") -> None:
        for part in _parts(text):
            part_kind = kind or _own_kind(part, within)
            cleaned = _clean(part)
            # a line that tells its reader to drop their instructions asks nothing of a person
            if part_kind and len(cleaned.split()) >= 2 and not is_injection(cleaned):
                found.append(Requirement(cleaned, part_kind, where or title))

    for n, raw in enumerate(lines):
        plain = _plain(raw)
        if not plain:
            in_table = False
            continue
        cells = _table_row(raw)
        if cells == []:
            continue  # the line under a table's header
        if cells is not None:
            if not in_table:  # the header row: which column says required or preferred
                in_table = True
                kinds_column = next((i for i, c in enumerate(cells) if i and re.search(
                    r"required|preferred|essential|desirable|must|nice|priority|level", c,
                    re.I)), None)
            else:
                level = cells[kinds_column] if kinds_column is not None and kinds_column < len(
                    cells) else ""
                add(_plain(cells[0]), section, "nice" if _NICE.search(level) or _section_kind(
                    level) == "nice" else "must" if level else None)
            continue
        in_table = False
        next_line = next((x for x in lines[n + 1:] if x.strip()), "")
        alone = (n == 0 or not lines[n - 1].strip()) and n + 1 < len(lines) \
            and not lines[n + 1].strip()
        if _heading(raw, plain, next_line, alone):
            title = plain.rstrip(":").strip()
            kind_here = _section_kind(title)
            if kind_here is not None or section is None:
                section = kind_here
            continue
        item = _BULLET.sub("", plain) if _BULLET.match(raw) else plain
        label = _LABEL.match(item)
        if label and len(label.group(1).split()) <= 4:
            labelled = _section_kind(label.group(1))
            if labelled == "other":
                continue  # "Salary: …", "Benefits: …": not asked of the candidate
            if labelled is not None:
                add(label.group(2), labelled, where=label.group(1))
                continue
            if section in (None, "other"):
                continue  # "Location: Leeds", "Hours: 37": facts of the job
        if _BULLET.match(raw):
            add(item, section)
            continue
        if section is None and not re.search(r"[.!?]$", plain) and len(plain.split()) <= 10:
            continue  # a title line: "Litigation Associate (3-6 years) - Chicago, IL"
        for sentence in _SENTENCE.split(plain):
            if not sentence.rstrip().endswith(":"):  # "Responsibilities include:" opens a list
                add(sentence, section)
    return found
