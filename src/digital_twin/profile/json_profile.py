"""`digitaltwin.json` in whatever shape its owner wrote it, turned into passages.

Known sections (under their usual spellings) get a renderer of their own (`render.py`);
anything else is still indexed, small parts whole and big ones part by part.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import ProfileError
from .fields import HEADINGS, field, is_meta, label, norm, spellings, without
from .jsonresume import is_json_resume, nonconforming, resume_profile
from .owner import CARD, Owner, current_job, current_study, person_name
from .privacy import PRIVATE_KEY, PUBLIC_KEY, SETTING, strip_private
from .profile import Profile
from .render import Passages, jobs_listed

SECTION_ALIASES = {
    "personal": {"personal", "personalinfo", "personalinformation", "basics", "aboutme", "about",
                 "profile", "bio", "contact", "contactinfo", "personaldetails"},
    "facts": {"salarylocation", "salary", "compensation", "salaryandlocation",
              "locationpreferences", "careergoals", "goals", "objectives", "aspirations",
              "professionaldevelopment", "development", "learning", "availability",
              "preferences", "workpreferences"},
    "experience": {"experience", "workexperience", "work", "employment", "employmenthistory",
                   "jobs", "positions", "workhistory", "professionalexperience"},
    "skills": {"skills", "skillset", "technicalskills", "competencies"},
    "education": {"education", "academicbackground"},
    "projects": {"projectsportfolio", "projects", "portfolio", "sideprojects"},
    "interview_prep": {"interviewprep", "interview", "interviewpreparation", "faq", "faqs", "qa",
                       "questionsandanswers", "commonquestions"},
    "content_chunks": {"contentchunks"},
}
__all__ = ["canonical_section", "label", "load_json_profile", "parse_json"]

_CANONICAL = {alias: name for name, aliases in SECTION_ALIASES.items() for alias in aliases} | {
    spelling: name for name in ("experience", "education", "skills", "personal")
    for heading in HEADINGS[name] for spelling in spellings(heading)}


def canonical_section(key: str) -> str | None:
    return _CANONICAL.get(norm(key))


def _names_a_person(obj: Any) -> bool:
    name = field(obj, "name")
    return isinstance(name, str) and person_name(name) is not None


def parse_json(path: Path) -> Any:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(path, f"is not UTF-8 text ({exc.reason})",
                           hint="Save it as UTF-8 (in most editors: Save as… → Encoding: "
                                "UTF-8).") from exc
    if not raw.strip():
        raise ProfileError(path, "is empty", hint="Write your profile into it, then ingest again.")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            hint="Fix that spot (a validator such as `python -m json.tool FILE` helps).",
        ) from exc


def _check_content_chunks(path: Path, key: str, value: Any) -> None:
    if not isinstance(value, list):
        raise ProfileError(path, "must be a list of {title, content} objects", field=key)
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise ProfileError(path, "must be an object", field=f"{key}[{i}]")
        content = item.get("content") or item.get("text")
        if not isinstance(content, str) or not content.strip():
            raise ProfileError(path, "is missing or empty", field=f"{key}[{i}].content")


# A list of labelled values written as objects ([{"label": "City", "value": "Sydney"}, …], as
# form builders and key–value exports write them, or [{"heading": "Experience", "lines": […]}],
# as a document's sections are), or as pairs ([["City", "Sydney"], …]): the names of the
# pair's two parts.
_PAIR_LABEL = {"label", "key", "name", "field", "title", "attribute", "property", "heading",
               "header", "section", "caption",
               # and "label" in Wiktionary's translations (rótulo, etiqueta, libellé…)
               "rotulo", "rótulo", "etiqueta", "etichetta", "libelle", "libellé", "etiquette",
               "étiquette", "bezeichnung", "beschriftung", "etykieta", "etiket", "nimike",
               "kipengele",
               # a record of a document's kind and its number ({"type": "Passport", "number":
               # …}, Indonesian "jenis", "isi")
               "type", "kind", "tipo", "typ", "jenis"}
_PAIR_VALUE = {"value", "values", "detail", "details", "content", "text", "data", "lines",
               "body", "items", "entries", "bullets", "paragraphs",
               # and "value" in the same languages
               "valor", "valore", "valeur", "wert", "waarde", "wartosc", "wartość", "varde",
               "värde", "verdi", "vaerdi", "værdi", "deger", "değer", "nilai", "arvo", "hodnota",
               "thamani", "number", "numero", "número", "nummer", "nomor", "isi"}


def fields_of_pairs(value: Any) -> Any:
    """Such a list as the object it means ({"City": "Sydney", …}), wherever it stands, so each
    value is read under its own label (and its privacy judged by it)."""
    if isinstance(value, dict):
        return {key: fields_of_pairs(item) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    items = [fields_of_pairs(item) for item in value]
    if len(items) > 1 and all(isinstance(item, dict) and len(item) == 1 for item in items):
        # a record written one field to an item ([{"name": "Ana"}, {"city": "Porto"}])
        keys = [norm(next(iter(item))) for item in items]
        if len(set(keys)) == len(keys):
            return {key: item for one in items for key, item in one.items()}
    pairs = []
    for item in items:
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) \
                and len(item[0]) <= 60:  # ["City", "Sydney"], as a spreadsheet's rows are
            pairs.append((item[0], item[1]))
            continue
        if not isinstance(item, dict):
            return items
        names = {norm(key): key for key in item}
        label_key = next((names[k] for k in names if k in _PAIR_LABEL), None)
        value_key = next((names[k] for k in names if k in _PAIR_VALUE), None)
        if not (label_key and value_key and isinstance(item[label_key], str)):
            return items
        rest = {key: part for key, part in item.items() if key not in (label_key, value_key)}
        if any(norm(key) not in (*SETTING, PUBLIC_KEY, PRIVATE_KEY) for key in rest):
            return items
        # what the item says of its value's sharing ("visibility": "private") stays with it
        pairs.append((item[label_key], {value_key: item[value_key], **rest} if rest
                      else item[value_key]))
    labels = [label_ for label_, _ in pairs]
    if not pairs:
        return items
    if len(set(labels)) < len(labels):  # labels that repeat ("2024"): each pair its own record
        return [{label_: part} for label_, part in pairs]
    return dict(pairs)


_SECTION_NAME = ("section", "heading", "header", "title", "category", "part")


def _leading_name(items: list[dict]) -> str | None:
    """The key every section opens with, when its values name them (short and each its own):
    a section's name in a language of its own ({"섹션": "경력", "items": […]})."""
    keys = {next(iter(item), None) for item in items}
    key = keys.pop() if len(keys) == 1 else None
    values = [item.get(key) for item in items] if key is not None else []
    if len(items) > 1 and all(isinstance(v, str) and 0 < len(v) <= 60 for v in values) \
            and len(set(values)) == len(values):
        return key
    return None


def _named_sections(data: Any) -> Any:
    """A top-level list of sections, each an object naming itself ([{"section": "identity",
    "name": …}, {"section": "roles", "entries": […]}]), as the object of those sections; a
    section of one value besides its name is that value. Anything else as it is."""
    if not (isinstance(data, list) and data and all(isinstance(item, dict) for item in data)):
        return data
    sections: dict[str, Any] = {}
    first = _leading_name(data)
    for item in data:
        names = {norm(key): key for key in item}
        key = next((names[k] for k in _SECTION_NAME if k in names
                    and isinstance(item[names[k]], str)), first)
        if key is None:
            return data
        rest = {k: v for k, v in item.items() if k != key}
        value = next(iter(rest.values())) if len(rest) == 1 else rest
        name = item[key]
        while name in sections:  # a section named twice keeps both
            name = f"{name} "
        sections[name] = value
    return sections


def load_json_profile(path: Path, private_fields: Iterable[str]) -> Profile:
    raw = parse_json(path)
    if is_json_resume(raw):
        found = nonconforming(raw)
        return resume_profile(path, raw, private_fields, [
            f"differs from the JSON Resume schema in {len(found)} place"
            f"{'s' if len(found) > 1 else ''} (read anyway):", *found] if found else [])
    data = fields_of_pairs(raw)
    if isinstance(data, list) and data and all(
            isinstance(item, dict) and any(norm(key) in ("question", "q") for key in item)
            for item in data):
        data = {"questions and answers": data}  # a profile written as questions answered
    data = _named_sections(data)
    if not isinstance(data, dict):
        raise ProfileError(path, "the top level must be a JSON object of profile sections",
                           hint='Put the sections in one object, e.g. {"personal": {...}, '
                                '"experience": [...]}, or start from `twin init`.')
    data, private, opened = strip_private(data, private_fields, str(path))
    passages = Passages(path.name)
    owner = Owner()
    names = {key: canonical_section(key) for key in data}
    top_scalars = {k: v for k, v in data.items() if not isinstance(v, (dict, list))}
    if "personal" not in names.values() and not _names_a_person(top_scalars):
        # the owner's card under a key of its own ("identity", "researcher", "candidate"):
        # the first unknown section that names a person
        holder = next((k for k, v in data.items() if names[k] is None and _names_a_person(v)),
                      None)
        if holder is not None:
            names[holder] = "personal"
    jobs: list = []  # every job, from every section of jobs: the current one may stand alone
    for key, name in names.items():
        if name == "personal":
            owner.merge(data[key])
        items = data[key] if isinstance(data[key], list) else [data[key]]
        if name == "experience" or (name is None and jobs_listed(items)):  # "career_path"
            jobs += items
        if name == "education":
            owner.current_study = owner.current_study or current_study(data[key])
    owner.current_job = current_job(jobs) if jobs else None
    owner.merge(top_scalars)

    handlers: dict[str, Callable[[str, Any], None]] = {
        "personal": lambda k, v: passages.personal(k, v, owner),
        "facts": passages.facts,
        "experience": passages.experience,
        "skills": passages.skills,
        "education": passages.education,
        "projects": passages.projects,
        "interview_prep": passages.qa,
        "content_chunks": passages.content_chunks,
    }
    if top_scalars and "personal" not in names.values():
        passages.personal("personal", top_scalars, owner)
    elif top_scalars:  # facts written at the top beside a personal section
        passages.facts("profile", without(top_scalars, *CARD, "headline", "contact"))
    sections: dict[str, Any] = {"personal": top_scalars} if top_scalars and (
        "personal" not in names.values()) else {}
    for key, value in data.items():
        if is_meta(key) or key in top_scalars:
            continue
        name = names[key]
        if name == "content_chunks":
            _check_content_chunks(path, key, value)
        else:
            sections[key] = value
        handler = handlers.get(name or "")
        if handler:
            handler(key, value)
        else:
            passages.node(key, key, value, "text")
    if not passages.chunks:
        raise ProfileError(path, "has no content to index",
                           hint="Fill in at least one section ([bracketed] values are a "
                                "template's and never indexed).")
    owner.contact_from_text(" ".join(c.text for c in passages.chunks))
    return Profile(passages.chunks, owner, sections, private, opened=opened)
