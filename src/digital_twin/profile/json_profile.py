"""`digitaltwin.json` in whatever shape its owner wrote it, turned into chunks that mean something.

Known sections (under their usual spellings) get a renderer that writes readable first-person
text: one chunk per job, per STAR achievement, per project, per skill group, per Q&A pair.
Anything else is still indexed, as labelled text titled by its section path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ProfileError
from .chunk import MAX_CHUNK_CHARS, Chunk, make_chunks
from .privacy import strip_private


def norm(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(key).lower())


SECTION_ALIASES = {
    "personal": {"personal", "personalinfo", "personalinformation", "basics", "aboutme", "about",
                 "profile", "bio", "contact", "contactinfo"},
    "salary_location": {"salarylocation", "salary", "compensation", "salaryandlocation",
                        "locationpreferences"},
    "experience": {"experience", "workexperience", "work", "employment", "employmenthistory",
                   "jobs", "positions", "workhistory", "professionalexperience"},
    "skills": {"skills", "skillset", "technicalskills", "competencies"},
    "education": {"education", "academics", "academicbackground"},
    "projects_portfolio": {"projectsportfolio", "projects", "portfolio", "sideprojects"},
    "career_goals": {"careergoals", "goals", "objectives", "aspirations"},
    "interview_prep": {"interviewprep", "interview", "interviewpreparation", "faq", "faqs", "qa",
                       "questionsandanswers", "commonquestions"},
    "professional_development": {"professionaldevelopment", "development", "learning"},
    "content_chunks": {"contentchunks"},
}
_CANONICAL = {alias: name for name, aliases in SECTION_ALIASES.items() for alias in aliases}
OWNER_FIELDS = {
    "name": ("name", "full_name", "fullname"),
    "title": ("title", "headline", "current_role", "current_title", "role", "position"),
    "location": ("location", "city", "based_in"),
    "summary": ("summary", "bio", "about", "elevator_pitch", "tagline"),
    "email": ("email", "email_address"),
    "linkedin": ("linkedin", "linkedin_url"),
    "github": ("github", "github_url"),
    "website": ("website", "portfolio_url", "url"),
}


def canonical_section(key: str) -> str | None:
    return _CANONICAL.get(norm(key))


def label(key: str) -> str:
    """`current_role` / `currentRole` -> `Current role`."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(key)).replace("_", " ").replace("-", " ")
    words = " ".join(words.split()).lower()
    return words[:1].upper() + words[1:]


def pick(obj: Any, *names: str) -> Any:
    """The first present, non-empty field among `names`, matched ignoring case and separators."""
    if not isinstance(obj, dict):
        return None
    index = {norm(k): k for k in obj}
    for name in names:
        key = index.get(norm(name))
        if key is not None and obj[key] not in (None, "", [], {}):
            return obj[key]
    return None


def without(obj: dict, *names: str) -> dict:
    drop = {norm(n) for n in names}
    return {k: v for k, v in obj.items() if norm(k) not in drop}


def _sentence(text: str) -> str:
    text = str(text).strip()
    return text if not text or text[-1] in ".!?" else text + "."


def text_of(value: Any) -> str:
    """Readable text for any JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, str)):
        return str(value).strip()
    if isinstance(value, list):
        parts = [text_of(v) for v in value]
        parts = [p for p in parts if p]
        joiner = "; " if any(isinstance(v, (dict, list)) for v in value) else ", "
        return joiner.join(parts)
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            rendered = text_of(v)
            if rendered and not str(k).startswith(("$", "_")):
                parts.append(f"{label(k)}: {rendered.rstrip('.')}")
        return ". ".join(parts)
    return str(value)


@dataclass
class Owner:
    name: str | None = None
    title: str | None = None
    location: str | None = None
    summary: str | None = None
    email: str | None = None
    linkedin: str | None = None
    github: str | None = None
    website: str | None = None
    current_job: str | None = None

    def merge(self, obj: Any) -> None:
        for attr, names in OWNER_FIELDS.items():
            found = pick(obj, *names)
            if getattr(self, attr) is None and isinstance(found, (str, int, float)):
                setattr(self, attr, str(found).strip())


@dataclass
class Profile:
    """What one file yields: chunks to index, who the owner is, and its public sections."""

    chunks: list[Chunk]
    owner: Owner = field(default_factory=Owner)
    sections: dict[str, Any] = field(default_factory=dict)


class _Builder:
    def __init__(self, path: Path):
        self.path = path
        self.source = path.name
        self.chunks: list[Chunk] = []

    def add(self, title: str, text: str, section: str, kind: str) -> None:
        if text and text.strip():
            self.chunks.extend(make_chunks(title, _sentence(text), self.source, section, kind))

    # ---- known sections -------------------------------------------------------------------
    def personal(self, key: str, value: Any, owner: Owner) -> None:
        if not isinstance(value, dict):
            self.add("About me", text_of(value), key, "personal")
            return
        lines = []
        if owner.name:
            lines.append(f"My name is {owner.name}.")
        if owner.title:
            lines.append(_sentence(f"I am a {owner.title}" + (
                f" based in {owner.location}" if owner.location else "")))
        if owner.current_job:
            lines.append(owner.current_job)
        rest = without(value, "name", "full_name", "fullname", "title", "headline",
                       "current_title", "location")
        lines.append(text_of(rest))
        self.add("About me", " ".join(x for x in lines if x), key, "personal")

    def experience(self, key: str, value: Any) -> None:
        for i, job in enumerate(value if isinstance(value, list) else [value]):
            path = f"{key}.{i}" if isinstance(value, list) else key
            if not isinstance(job, dict):
                self.add(f"Experience {i + 1}", text_of(job), path, "experience")
                continue
            company, role, when, current = job_facts(job)
            head = f"At {company} I {'am' if current else 'was'} {role or 'on the team'}"
            head += f" ({when})" if when else ""
            where = text_of(pick(job, "location"))
            head += f", in {where}." if where else "."
            stars = pick(job, *STAR_KEYS)
            rest = without(job, *COMPANY_KEYS, *ROLE_KEYS, *DATE_KEYS, *START_KEYS, *END_KEYS,
                           "location", *STAR_KEYS)
            self.add(f"{role or 'Role'} at {company}".strip(), f"{head} {text_of(rest)}",
                     path, "experience")
            for j, star in enumerate(stars if isinstance(stars, list) else []):
                self.star(star, company, role, f"{path}.achievements_star.{j}")

    def star(self, star: Any, company: str, role: str, path: str) -> None:
        if not isinstance(star, dict):
            self.add(f"Achievement at {company}", text_of(star), path, "achievement")
            return
        parts = [f"At {company}" + (f", as {role}" if role else "") + ":"]
        for names, lead in ((("situation", "s"), "The situation:"), (("task", "t"), "My task:"),
                            (("action", "actions", "a"), "What I did:"),
                            (("result", "results", "r", "outcome"), "The result:")):
            found = pick(star, *names)
            if found:
                parts.append(f"{lead} {_sentence(text_of(found))}")
        rest = without(star, "situation", "s", "task", "t", "action", "actions", "a", "result",
                       "results", "r", "outcome", "title", "name")
        if rest:
            parts.append(_sentence(text_of(rest)))
        name = text_of(pick(star, "title", "name")) or _short(text_of(
            pick(star, "result", "results", "outcome") or star))
        self.add(f"{company}: {name}", " ".join(parts), path, "achievement")

    def skills(self, key: str, value: Any, path_labels: list[str] | None = None) -> None:
        labels = path_labels or ["Skills"]
        if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
            for sub, item in value.items():
                self.skills(f"{key}.{sub}", item, [*labels, label(sub)])
            return
        items = value if isinstance(value, list) else [value]
        rendered = "; ".join(filter(None, (_skill(item) for item in items)))
        group = labels[-1] if len(labels) > 1 else "Skills"
        self.add(" › ".join(labels), f"{group} I bring: {rendered}.", key, "skills")

    def qa(self, key: str, value: Any) -> None:
        """Interview prep: every question/answer pair is its own chunk; the rest by group."""
        if isinstance(value, dict):
            question = pick(value, "question", "q", "prompt")
            answer = pick(value, "answer", "a", "response", "my_answer")
            if question and answer:
                self.add(text_of(question), text_of(answer), key, "qa")
                return
            if all(not isinstance(v, (dict, list)) for v in value.values()) and not any(
                    str(k).strip().endswith("?") for k in value):
                self.add(_section_title(key), text_of(value), key, "qa")
                return
            for sub, item in value.items():
                if str(sub).strip().endswith("?") and isinstance(item, (str, int, float)):
                    self.add(str(sub).strip(), text_of(item), f"{key}.{sub}", "qa")
                else:
                    self.qa(f"{key}.{sub}", item)
            return
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                self.qa(f"{key}.{i}", item)
            return
        if _practice_questions(key, value):
            return  # questions with no answers state no fact about the owner
        self.add(_section_title(key), text_of(value), key, "qa")

    def items(self, key: str, value: Any, kind: str, names: Iterable[str] = ()) -> None:
        """One chunk per list item (a project, a degree), titled by its name field."""
        if isinstance(value, list):
            for i, item in enumerate(value):
                name = text_of(pick(item, *names, "name", "title")) if names else ""
                title = name or f"{_section_title(key)} {i + 1}"
                self.add(title, _lead(kind, name, item), f"{key}.{i}", kind)
        else:
            self.generic(key, value, kind)

    def generic(self, key: str, value: Any, kind: str = "text") -> None:
        """Unknown or free-form sections: small ones whole, big ones split by sub-section."""
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                name = text_of(pick(item, "name", "title", "question"))
                title = f"{_section_title(key)} › {name or i + 1}"
                self.add(title, text_of(item), f"{key}.{i}", kind)
            return
        text = text_of(value)
        if isinstance(value, dict) and len(text) > MAX_CHUNK_CHARS:
            for sub, item in value.items():
                self.generic(f"{key}.{sub}", item, kind)
            return
        self.add(_section_title(key), text, key, kind)

    def content_chunks(self, key: str, value: Any) -> None:
        if not isinstance(value, list):
            raise ProfileError(self.path, "must be a list of {title, content} objects", field=key)
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise ProfileError(self.path, "must be an object", field=f"{key}[{i}]")
            content = pick(item, "content", "text")
            if not isinstance(content, str) or not content.strip():
                raise ProfileError(self.path, "is missing or empty",
                                   field=f"{key}[{i}].content")
            title = text_of(pick(item, "title", "id")) or f"Note {i + 1}"
            self.add(title, content, f"{key}.{i}", text_of(pick(item, "type")) or "note")


def _practice_questions(key: str, value: Any) -> bool:
    """A bare list of questions, such as `common_questions.behavioral: ["Tell me about…"]`."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return False
    return "question" in key.lower() or all(v.strip().endswith("?") for v in value)


# What an experience entry's fields are called: read by `job_facts`, left out of the rest.
COMPANY_KEYS = ("company", "employer", "organization", "organisation", "client")
ROLE_KEYS = ("title", "role", "position", "job_title")
DATE_KEYS = ("duration", "dates", "period")
START_KEYS = ("start_date", "start", "from")
END_KEYS = ("end_date", "end", "to")
STAR_KEYS = ("achievements_star", "star_achievements", "star", "achievements_star_format")


def job_facts(job: dict) -> tuple[str, str, str, bool]:
    """Company, role, dates, and whether it is the current job."""
    company = text_of(pick(job, *COMPANY_KEYS)) or "one employer"
    role = text_of(pick(job, *ROLE_KEYS))
    when = text_of(pick(job, *DATE_KEYS))
    if not when:
        start, end = pick(job, *START_KEYS), pick(job, *END_KEYS)
        when = f"{start} – {end or 'present'}" if start else ""
    current = "present" in when.lower() or "current" in when.lower()
    return company, role, when, current


def current_job(data: dict) -> str | None:
    """The sentence 'Currently I am <role> at <company> (<dates>).' for the first current job."""
    key = next((k for k in data if canonical_section(k) == "experience"), None)
    jobs = data.get(key) if key else None
    for job in jobs if isinstance(jobs, list) else []:
        if isinstance(job, dict):
            company, role, when, current = job_facts(job)
            if current and role:
                return f"Currently I am {role} at {company} ({when})."
    return None


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _section_title(path: str) -> str:
    return " › ".join(label(p) if not p.isdigit() else str(int(p) + 1) for p in path.split("."))


def _skill(item: Any) -> str:
    if not isinstance(item, dict):
        return text_of(item)
    name = text_of(pick(item, "language", "name", "skill", "tool", "technology", "platform"))
    details = []
    years = pick(item, "years", "years_experience", "experience_years")
    if years not in (None, ""):
        details.append(f"{years} years" if isinstance(years, (int, float)) else text_of(years))
    level = pick(item, "proficiency", "level")
    if level:
        details.append(text_of(level))
    libs = pick(item, "frameworks", "libraries", "tools")
    if libs:
        details.append("with " + text_of(libs))
    rest = without(item, "language", "name", "skill", "tool", "technology", "platform", "years",
                   "years_experience", "experience_years", "proficiency", "level", "frameworks",
                   "libraries", "tools")
    if rest:
        details.append(text_of(rest))
    return f"{name} ({'; '.join(details)})" if details else name


def _lead(kind: str, name: str, item: Any) -> str:
    body = text_of(without(item, "name", "title") if isinstance(item, dict) else item)
    if kind == "project" and name:
        return f"My project {name}: {body}"
    if kind == "education" and isinstance(item, dict):
        degree = text_of(pick(item, "degree", "qualification", "program", "name", "title"))
        school = text_of(pick(item, "institution", "school", "university", "college"))
        rest = text_of(without(item, "degree", "qualification", "program", "name", "title",
                               "institution", "school", "university", "college"))
        lead = f"I studied {degree}" if degree else "I studied"
        return _sentence(lead + (f" at {school}" if school else "")) + (f" {rest}" if rest else "")
    return f"{name}: {body}" if name else body


def parse_json(path: Path) -> Any:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(path, f"is not UTF-8 text ({exc.reason})") from exc
    if not raw.strip():
        raise ProfileError(path, "is empty", hint="Write your profile into it, then ingest again.")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            hint="Fix that spot (a validator such as `python -m json.tool FILE` helps).",
        ) from exc


def load_json_profile(path: Path, private_fields: Iterable[str]) -> Profile:
    data = parse_json(path)
    if not isinstance(data, dict):
        raise ProfileError(path, "the top level must be a JSON object of profile sections")
    data = strip_private(data, private_fields, str(path))
    builder = _Builder(path)
    owner = Owner()

    personal_key = next((k for k in data if canonical_section(k) == "personal"), None)
    if personal_key is not None:
        owner.merge(data[personal_key])
    top_scalars = {k: v for k, v in data.items() if not isinstance(v, (dict, list))}
    owner.merge(top_scalars)
    owner.current_job = current_job(data)

    handlers: dict[str, Callable[[str, Any], None]] = {
        "personal": lambda k, v: builder.personal(k, v, owner),
        "experience": builder.experience,
        "skills": builder.skills,
        "interview_prep": builder.qa,
        "projects_portfolio": lambda k, v: builder.items(k, v, "project",
                                                         ("name", "title", "project")),
        "education": lambda k, v: builder.items(k, v, "education",
                                                ("degree", "institution", "school")),
        "content_chunks": builder.content_chunks,
    }
    if top_scalars and personal_key is None:
        builder.personal("personal", top_scalars, owner)
    sections: dict[str, Any] = {}
    for key, value in data.items():
        if str(key).startswith(("$", "_")) or key in top_scalars:
            continue
        name = canonical_section(key)
        if name != "content_chunks":
            sections[key] = value
        handler = handlers.get(name or "")
        kind = name or "text"
        if handler:
            handler(key, value)
        else:
            builder.generic(key, value, kind)
    if top_scalars and personal_key is None:
        sections = {"personal": top_scalars, **sections}
    if not builder.chunks:
        raise ProfileError(path, "has no content to index", hint="Add at least one section.")
    return Profile(builder.chunks, owner, sections)
