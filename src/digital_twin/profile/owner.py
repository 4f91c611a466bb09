"""Who the profile belongs to: the owner card shown on the page and used in the persona."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .fields import field, is_placeholder, text_of

CARD = ("name", "headline", "location", "summary", "email", "linkedin", "github", "website")


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

    def set(self, attr: str, value: Any) -> None:
        """Fill `attr` unless it is already known; placeholders never count."""
        if getattr(self, attr) is not None or isinstance(value, (dict, list, bool)):
            return
        text = text_of(value)
        if text and not is_placeholder(text):
            setattr(self, attr, text)

    def merge(self, obj: Any) -> None:
        """Read the card's fields from an object and from its `contact` block."""
        if not isinstance(obj, dict):
            return
        for meaning in CARD:
            self.set("title" if meaning == "headline" else meaning, field(obj, meaning))
        contact = field(obj, "contact")
        if isinstance(contact, dict):
            for meaning in ("email", "linkedin", "github", "website"):
                self.set(meaning, field(contact, meaning))

    def public(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def job_facts(job: dict) -> tuple[str, str, str, bool]:
    """Company, role, dates, and whether it is the current job."""
    company = text_of(field(job, "company"))
    role = text_of(field(job, "role"))
    when = text_of(field(job, "dates"))
    if not when:
        start, end = text_of(field(job, "start")), text_of(field(job, "end"))
        when = f"{start} – {end or 'present'}" if start else ""
    current = any(word in when.lower() for word in ("present", "current", "now", "ongoing"))
    return company, role, when, current


def current_job(jobs: Any) -> str | None:
    """'Currently I am <role> at <company> (<dates>).' for the first current job."""
    for job in jobs if isinstance(jobs, list) else [jobs]:
        if isinstance(job, dict):
            company, role, when, current = job_facts(job)
            if current and role:
                where = f" at {company}" if company else ""
                return f"Currently I am {role}{where}" + (f" ({when})." if when else ".")
    return None
