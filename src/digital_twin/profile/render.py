"""Profile sections as passages a person would write: one coherent thing each, under a label.

- Owner facts (location, languages, salary expectations, goals…) get one passage each.
- A job's or project's details and achievements keep its company and role in every passage.
- Ids, tags, metadata, empty values, placeholders, practice questions and answer templates are
  left out: they are not facts about the owner.
"""

from __future__ import annotations

from typing import Any

from .chunk import MAX_CHUNK_CHARS, Chunk, make_chunks
from .facts import STAR, WANTED_ROLE, is_star, not_facts, owner_sentences, practice_questions
from .fields import (
    field,
    is_empty,
    label,
    norm,
    sentence,
    text_of,
    with_article,
    without,
)
from .owner import Owner, job_facts, job_head

SMALL = 420  # characters: an object this short reads best as one passage
_STAR_LEADS = {"situation": "The situation:", "task": "My task:", "action": "What I did:",
               "result": "The result:"}
def trail(*parts: str) -> str:
    return " › ".join(p for p in parts if p)


class Passages:
    """Collects the passages of one file."""

    def __init__(self, source: str):
        self.source = source
        self.chunks: list[Chunk] = []
        self.summarised = False  # whether "About me" has said the owner's summary

    def add(self, title: str, text: str, section: str, kind: str) -> None:
        text = owner_sentences(" ".join(text.split()))
        if len(text.split()) < 2 and not any(ch.isdigit() for ch in text):
            return  # a lone word is a fragment, not a fact
        self.chunks.extend(make_chunks(title, sentence(text), self.source, section, kind))

    # ---- anything ----------------------------------------------------------------------------
    def node(self, path: str, key: str, value: Any, kind: str, lead: str = "",
             title: str = "", split: bool = False) -> None:
        """Render any value: small things whole, big ones part by part, STAR blocks as stories.

        `lead` opens every passage (e.g. "At Acme, as Analyst:") so a detail never loses its
        job; `split` gives every field of an object its own passage (owner facts).
        """
        if not_facts(key) or is_empty(value) or practice_questions(key, value):
            return
        title = title or label(key)
        if WANTED_ROLE.search(norm(key)) and isinstance(value, (dict, list)):
            self.wanted_roles(path, value)
        elif is_star(value):
            self.star(path, value, kind, lead, title)
        elif isinstance(value, list) and jobs_listed(value):
            self.experience(path, value)  # "roles", "posts", "career": jobs by their fields
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                name = text_of(field(item, "item_name")) if isinstance(item, dict) else ""
                self.node(f"{path}.{i}", name or key, item, kind, lead,
                          trail(title, name or str(i + 1)))
        elif isinstance(value, dict) and not split and jobs_listed([value]):
            self.experience(path, value)
        elif isinstance(value, dict) and split:
            for sub, item in value.items():
                self.node(f"{path}.{sub}", sub, item, kind, lead, trail(title, label(sub)))
        elif isinstance(value, dict) and (len(text_of(value)) > MAX_CHUNK_CHARS or any(
                is_star(v) or isinstance(v, (dict, list)) and len(text_of(v)) > SMALL
                for v in value.values())):
            # its short fields together, as one passage; each long one apart, opening with
            # what the object is, so a detail keeps its subject
            small = {k: v for k, v in value.items()
                     if not isinstance(v, (dict, list)) and len(text_of(v)) <= SMALL // 2}
            name = text_of(field(value, "item_name"))
            if small and text_of(small):
                self.add(title, f"{lead} {text_of(small)}".strip(), path, kind)
            inner = (f"{lead.rstrip(':')} — {name}:" if lead else f"{name}:") \
                if name and name not in lead else lead
            for sub, item in value.items():
                if sub not in small:
                    self.node(f"{path}.{sub}", sub, item, kind, inner, trail(title, label(sub)))
        elif isinstance(value, dict):
            self.add(title, f"{lead} {text_of(value)}".strip(), path, kind)
        else:
            text = text_of(value)
            if text:
                self.add(title, f"{lead} {label(key)}: {text}".strip(), path, kind)

    def wanted_roles(self, path: str, value: Any) -> None:
        """Roles the owner aims for or kept a posting of: said as such, never as experience."""
        if isinstance(value, list) and not any(isinstance(v, dict) for v in value):
            self.add("Roles I'm interested in", f"Roles I'm interested in: {text_of(value)}",
                     path, "goals")
            return
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(item, dict):
                self.add("A role I'm interested in", f"A role I'm interested in: {text_of(item)}",
                         f"{path}.{i}", "goals")
                continue
            company, role, _, _ = job_facts(item)
            what = " at ".join(x for x in (role, company) if x) or text_of(item)
            self.add("A role I'm interested in", f"A role I'm interested in: {what}",
                     f"{path}.{i}", "goals")

    def star(self, path: str, star: dict, kind: str, lead: str, title: str) -> None:
        parts = [lead] if lead else []
        for meaning in STAR:
            found = text_of(field(star, meaning))
            if found:
                parts.append(f"{_STAR_LEADS[meaning]} {sentence(found)}")
        rest = text_of({k: v for k, v in without(star, *STAR).items() if not not_facts(k)})
        kind = "achievement" if kind != "project" else kind
        if rest and len(" ".join(parts)) + len(rest) > MAX_CHUNK_CHARS:
            self.add(trail(title, "More"), f"{lead} {rest}".strip(), f"{path}.more", kind)
        elif rest:
            parts.append(sentence(rest))
        self.add(title, " ".join(parts), path, kind)

    # ---- known sections ----------------------------------------------------------------------
    def facts(self, key: str, value: Any, kind: str = "") -> None:
        """Salary, location, goals…: each field its own passage, under its own label."""
        kind = kind or norm(key)
        if not isinstance(value, dict):
            self.node(key, key, value, kind)
            return
        for sub, item in value.items():
            self.node(f"{key}.{sub}", sub, item, kind, split=isinstance(item, dict)
                      and len(text_of(item)) > MAX_CHUNK_CHARS)

    def personal(self, key: str, value: Any, owner: Owner) -> None:
        """'About me' (who, what, where, now), then every other fact on its own."""
        if not isinstance(value, dict):
            self.add("About me", text_of(value), key, "personal")
            return
        lines = owner.introduction()
        summaries = {norm(n) for n in _SUMMARY_KEYS}
        told = [sentence(text_of(item)) for name, item in value.items()
                if norm(name) in summaries and isinstance(item, str) and text_of(item)]
        if not told and owner.summary and not self.summarised:  # a summary at the top level
            told = [sentence(owner.summary)]
        self.summarised = self.summarised or bool(told)
        self.add("About me", " ".join(x for x in lines + told if x), key, "personal")
        rest = without(value, "name", "given_name", "family_name", "headline", "location",
                       *_SUMMARY_KEYS)
        contact = field(rest, "contact")
        if isinstance(contact, dict) and text_of(contact):
            self.add("How to reach me", f"How to reach me: {text_of(contact)}",
                     f"{key}.contact", "contact")
        self.facts(key, without(rest, "contact"), "personal")

    def experience(self, key: str, value: Any) -> None:
        for i, job in enumerate(value if isinstance(value, list) else [value]):
            path = f"{key}.{i}" if isinstance(value, list) else key
            if not isinstance(job, dict):
                self.add(f"Experience {i + 1}", text_of(job), path, "experience")
                continue
            company, role, when, current = job_facts(job)
            employer = field(job, "company")
            where = text_of(field(job, "location")) or (
                text_of(field(employer, "location")) if isinstance(employer, dict) else "")
            head = (job_head(company, role, current) + (f" ({when})" if when else "")
                    + (f", in {where}." if where else "."))
            lead = (f"At {company}" + (f", as {role}" if role else "") + ":" if company
                    else f"As {role}:" if role else "")
            title = f"{role or 'Role'} at {company}" if company else role or "Experience"
            rest = without(job, "company", "role", "dates", "start", "end", "location",
                           *(("current",) if isinstance(field(job, "current"), bool) else ()))
            small = {k: v for k, v in rest.items()
                     if not isinstance(v, (dict, list)) or len(text_of(v)) <= SMALL // 2}
            small = {k: v for k, v in small.items() if not is_star(v) and not not_facts(k)
                     and not (isinstance(v, list) and any(isinstance(x, dict) for x in v))}
            results = [text_of(field(star, "result")) for item in rest.values() if isinstance(
                item, list) for star in item if is_star(star)]
            results = [r.rstrip(".") for r in results if r]
            proud = sentence(f"{'Results' if len(results) > 1 else 'A result'}: "
                             f"{'; '.join(results)}") if results else ""
            text = sentence(f"{head} {text_of(small)}")
            if len(text) + len(proud) < MAX_CHUNK_CHARS:
                text = f"{text} {proud}"
            if company or role or when or text_of(small) or proud:  # not a template left empty
                self.add(title, text, path, "experience")
            for sub, item in rest.items():
                if sub not in small:
                    self.node(f"{path}.{sub}", sub, item, "experience", lead,
                              trail(company or title, label(sub)))

    def skills(self, key: str, value: Any, labels: tuple[str, ...] = ()) -> None:
        """One passage per skill group: 'Programming languages: Python (5 years; Expert)…'."""
        if isinstance(value, dict) and not is_star(value) and (
                any(isinstance(v, (dict, list)) for v in value.values())):
            for sub, item in value.items():
                if not not_facts(sub):
                    self.skills(f"{key}.{sub}", item, (*labels, label(sub)))
            return
        items = value if isinstance(value, list) else [value]
        rendered = "; ".join(filter(None, (_skill(item) for item in items)))
        group = labels[-1] if labels else "Skills"
        if rendered:
            self.add(trail("Skills", *labels), f"{group}: {rendered}", key, "skills")

    def qa(self, key: str, value: Any) -> None:
        """Interview prep: a question/answer pair or weakness is one passage; drills are not."""
        if not_facts(key) or practice_questions(key, value):
            return
        if isinstance(value, dict):
            question = text_of(field(value, "question"))
            if question:
                rest = {k: v for k, v in without(value, "question").items() if not not_facts(k)}
                stars = [v for v in rest.values() if is_star(v)]
                answer = text_of(field(rest, "answer"))
                if answer or not stars:
                    self.add(question, answer or text_of(rest), key, "qa")
                if stars:
                    self.star(f"{key}.star", stars[0], "qa", "", question)
                return
            if not any(isinstance(v, (dict, list)) or str(k).strip().endswith("?")
                       for k, v in value.items()):
                self.node(key, key.rsplit(".", 1)[-1], value, "qa", title=_qa_title(key))
                return
            for sub, item in value.items():
                if str(sub).strip().endswith("?") and isinstance(item, str):
                    self.add(str(sub).strip(), text_of(item), f"{key}.{sub}", "qa")
                elif isinstance(item, (dict, list)):
                    self.qa(f"{key}.{sub}", item)
                else:
                    self.node(f"{key}.{sub}", sub, item, "qa")
            return
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                self.qa(f"{key}.{i}", item)
            return
        self.node(key, key.rsplit(".", 1)[-1], value, "qa")

    def education(self, key: str, value: Any) -> None:
        if isinstance(value, dict) and not field(value, "degree") and not field(value, "school"):
            for sub, item in value.items():  # {"degrees": [...], "certifications": [...]}
                self.education(f"{key}.{sub}", item) if isinstance(item, (list, dict)) \
                    else self.node(f"{key}.{sub}", sub, item, "education")
            return
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            path = f"{key}.{i}" if isinstance(value, list) else key
            if not isinstance(item, dict):
                self.add("Education", f"Education: {text_of(item)}", path, "education")
                continue
            degree = text_of(field(item, "degree"))
            school = text_of(field(item, "school"))
            rest = text_of({k: v for k, v in without(item, "degree", "school").items()
                            if not not_facts(k)})
            if rest and not degree and not school:  # a certificate, a course: not a degree
                group = label(key.rsplit(".", 1)[-1])
                self.add(group, f"{group}: {rest}", path, "education")
                continue
            lead = sentence(("I studied " + degree if degree else "I studied") +
                            (f" at {school}" if school else ""))
            if degree or school or rest:  # not a template left empty
                self.add(degree or school or "Education", f"{lead} {sentence(rest)}",
                         path, "education")

    def projects(self, key: str, value: Any) -> None:
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            path = f"{key}.{i}" if isinstance(value, list) else key
            name = text_of(field(item, "item_name")) if isinstance(item, dict) else ""
            if not isinstance(item, dict) or not name:
                self.node(path, key, item, "project")
                continue
            body = without(item, "item_name")
            if is_star(body):
                self.star(path, body, "project", f"My project {name}:", name)
            else:
                self.add(name, f"My project {name}: {text_of(body)}", path, "project")

    def content_chunks(self, key: str, value: list[dict]) -> None:
        for i, item in enumerate(value):
            content = text_of(item.get("content") or item.get("text"))
            title = text_of(item.get("title") or item.get("heading")) or f"Note {i + 1}"
            kind = norm(text_of(item.get("type"))) or "note"
            self.add(title, content, f"{key}.{i}", kind)


_SUMMARY_KEYS = ("summary", "bio", "about", "about_me", "elevator_pitch", "tagline", "intro")


def jobs_listed(items: list) -> bool:
    """A list of jobs, whatever its key: most items name both an employer and a role."""
    jobs = [item for item in items if isinstance(item, dict)]
    named = sum(bool(field(job, "company")) and bool(field(job, "role")) for job in jobs)
    return bool(jobs) and 2 * named > len(jobs)


def _qa_title(path: str) -> str:
    return trail(*(label(p) if not p.isdigit() else str(int(p) + 1) for p in path.split(".")))


def _skill(item: Any) -> str:
    if not isinstance(item, dict):
        return text_of(item)
    name = text_of(field(item, "item_name"))
    details = []
    years = field(item, "years")
    if years is not None:
        plural = "year" if years == 1 else "years"
        details.append(f"{years} {plural}" if isinstance(years, (int, float)) else text_of(years))
    level = field(item, "level")
    if level is not None:
        details.append(text_of(level))
    libs = field(item, "libraries")
    if libs:
        details.append("with " + text_of(libs))
    rest = text_of({k: v for k, v in without(item, "item_name", "years", "level",
                                              "libraries").items() if not not_facts(k)}, 1)
    if rest:
        details.append(rest)
    return f"{name} ({'; '.join(d for d in details if d)})" if details else name
