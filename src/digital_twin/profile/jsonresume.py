"""A JSON Resume (the open standard of jsonresume.org, which many résumé builders and themes
write) read as the schema it is: every section to the twin's own kinds of passage, every field
in its place (a job's `name` is its employer, `position` the role, `highlights` what was done).

The schema itself (`jsonresume.schema.json`, from the `@jsonresume/schema` package, MIT) names
the sections and checks the file: what does not conform is reported, never refused. A field
outside the schema is still read, under its own name; references are the referee's words, so
they are quoted as such and never said in the owner's voice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ProfileError
from ..text import PRESENT
from .chunk import pack
from .fields import is_meta, is_placeholder, label, sentence, text_of, with_article
from .owner import Owner, current_job, current_study, job_head
from .privacy import strip_private
from .profile import Profile
from .render import Passages, trail

# What a JSON Resume holds that is private unless the owner makes it public: the street address
# and postcode of `basics.location`, and the phone (the meaning-based rules of `privacy.py`
# already cover the address and the phone; the postcode is part of the address).
PRIVATE_BY_DEFAULT = ("basics.location.address", "basics.location.postalCode", "basics.phone")
PASSAGE_CHARS = 500  # highlights of one job share a passage up to this size
_LINKS = ("linkedin", "github")  # profiles written as fields of `basics`, outside the schema
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def schema() -> dict:
    return json.loads(resources.files("digital_twin.profile").joinpath("jsonresume.schema.json")
                      .read_text(encoding="utf-8"))


def sections() -> frozenset[str]:
    return frozenset(schema()["properties"]) - {"$schema"}


def is_json_resume(data: Any) -> bool:
    """A file that says it follows the schema, or whose `basics` object sits among sections
    mostly of the schema's names."""
    if not isinstance(data, dict):
        return False
    if "jsonresume" in str(data.get("$schema", "")).replace("-", "").lower():
        return True
    keys = {k for k in data if not is_meta(k)} | ({"meta"} & set(data))
    known = keys & sections()
    return isinstance(data.get("basics"), dict) and len(known) >= 2 and \
        len(keys - known) < len(known)


def nonconforming(data: Any) -> list[str]:
    """Where the file departs from the schema, one line each (the file is read anyway)."""
    from jsonschema import Draft7Validator

    found = []
    for error in sorted(Draft7Validator(schema()).iter_errors(data), key=lambda e: list(
            map(str, e.absolute_path))):
        if isinstance(error.instance, str) and is_placeholder(error.instance):
            continue  # a template's value, not yet filled in
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                        for p in error.absolute_path).lstrip(".") or "the top level"
        if error.validator == "pattern":  # the schema's one pattern: its ISO 8601 date
            what = f"{error.instance!r} is not a date like 2021-04-30, 2021-04 or 2021"
        elif error.validator == "type":
            wanted = error.validator_value
            what = f"should be {'a list' if wanted == 'array' else 'an object' if wanted == 'object' else f'a {wanted}'}"
        else:
            what = error.message if len(error.message) < 120 else error.message[:117] + "…"
        found.append(f"{where}: {what}")
    return found


def private_by_default(raw: dict) -> list[str]:
    """`PRIVATE_BY_DEFAULT` less what the owner made public: a path in
    `privacy.public_fields`, or a field named in its object's `public` list."""
    privacy = raw.get("privacy")
    opened = set(privacy.get("public_fields") or []) if isinstance(privacy, dict) else set()
    kept = []
    for dotted in PRIVATE_BY_DEFAULT:
        *parents, name = dotted.split(".")
        holder: Any = raw
        for parent in parents:
            holder = holder.get(parent) if isinstance(holder, dict) else None
        named = holder.get("public") if isinstance(holder, dict) else None
        if dotted not in opened and not (isinstance(named, list) and name in named):
            kept.append(dotted)
    return kept


def resume_profile(path: Path, raw: dict, private_fields: Iterable[str],
                   notes: Iterable[str] = (), private: Iterable[str] = ()) -> Profile:
    """A JSON Resume's passages: the schema's sections by the schema, any other section as any
    profile's facts. `notes` are what the owner should know of the file, `private` what was
    already left out of it."""
    data, dropped, opened = strip_private(
        raw, [*private_fields, *private_by_default(raw)], str(path))
    passages = Passages(path.name)
    resume = Resume(passages, Owner())
    resume.card(data)
    sections: dict[str, Any] = {}
    for key, value in [*data.items(), *_owners_meta(data.get("meta")).items()]:
        if is_meta(key) or key == "meta":
            continue
        sections[key] = value
        if handler := resume.handlers.get(key):
            handler(key, value)
        elif isinstance(value, dict):
            passages.facts(key, value)
        else:
            passages.node(key, key, value, "text")
    if not passages.chunks:
        raise ProfileError(path, "has no content to index",
                           hint="Fill in at least `basics` and `work` (jsonresume.org/schema).")
    return Profile(passages.chunks, resume.owner, sections, [*private, *dropped],
                   opened=opened, notes=list(notes))


def _owners_meta(meta: Any) -> dict[str, Any]:
    """What the owner wrote under `meta` beside the schema's own fields (canonical, version,
    lastModified): an object or a list there ("jobSearch": {"relocation": …}) is read as a
    section; a single value is the tooling configuration the schema keeps there (a theme)."""
    if not isinstance(meta, dict):
        return {}
    own = set(schema()["properties"]["meta"]["properties"])
    return {k: v for k, v in meta.items() if k not in own and isinstance(v, dict | list)}


def when(item: dict, start: str = "startDate", end: str = "endDate") -> tuple[str, bool]:
    """'Mar 2019 – present' and whether it is ongoing (no end, or an end still to come)."""
    begun, ended = _date(item.get(start)), _date(item.get(end))
    if PRESENT.fullmatch(ended):  # "present", written where the schema wants no end date
        ended = ""
    if not begun:
        return (f"until {ended}" if ended else ""), False
    if not ended:
        return f"{begun} – present", True
    if begun == ended:
        return begun, False
    if _future(item.get(end)):
        return f"{begun} – {ended} (expected)", True
    return f"{begun} – {ended}", False


def _date(value: Any) -> str:
    """An ISO 8601 date as a reader writes it ('2019-03-01' -> 'Mar 2019'); anything else as
    written."""
    text = text_of(value)
    found = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", text)
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{_MONTHS[int(found.group(2)) - 1]} {found.group(1)}"
    return text


def _future(value: Any) -> bool:
    found = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-\d{2})?", text_of(value))
    if not found:
        return False
    return (int(found.group(1)), int(found.group(2) or 12)) > (date.today().year,
                                                              date.today().month)


def _rest(item: dict, *known: str) -> str:
    """The fields outside the schema, each under its own label."""
    return text_of({k: v for k, v in item.items() if k not in known and not is_meta(k)})


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value] if value not in (None, "", {}) else []


class Resume:
    """Passages of one JSON Resume's sections, written to `passages`."""

    def __init__(self, passages: Passages, owner: Owner):
        self.passages = passages
        self.owner = owner
        self.handlers = {name: getattr(self, name) for name in sections()
                         if name not in ("meta",) and hasattr(self, name)}

    def card(self, data: dict) -> None:
        """The owner card: name, headline, city, summary, links, current job and study."""
        basics = data.get("basics") if isinstance(data.get("basics"), dict) else {}
        owner = self.owner
        owner.set("name", basics.get("name"))
        owner.set("title", basics.get("label"))
        owner.set("summary", basics.get("summary"))
        owner.set("email", basics.get("email"))
        owner.set("website", basics.get("url") or basics.get("website"))
        owner.set("location", self.place(basics.get("location")))
        for link in _LINKS:  # written beside the schema's `profiles`
            owner.set(link, basics.get(link))
        for profile in _list(basics.get("profiles")):
            if isinstance(profile, dict):
                network = text_of(profile.get("network")).lower().replace(" ", "")
                if network in ("linkedin", "github"):
                    owner.set(network, profile.get("url") or profile.get("username"))
        jobs = [{"company": job.get("name") or job.get("company"), "role": job.get("position"),
                 "dates": when(job)[0]} for job in _list(data.get("work")) if isinstance(job, dict)]
        owner.current_job = current_job(jobs) if jobs else None
        study = [{"degree": self.degree(item), "school": item.get("institution"),
                  "dates": when(item)[0]}
                 for item in _list(data.get("education")) if isinstance(item, dict)]
        owner.current_study = current_study(study) if study else None

    @staticmethod
    def place(location: Any) -> str:
        if not isinstance(location, dict):
            return text_of(location)
        return ", ".join(text_of(location.get(k)) for k in ("city", "region", "countryCode")
                         if text_of(location.get(k)))

    @staticmethod
    def degree(item: dict) -> str:
        study, area = text_of(item.get("studyType")), text_of(item.get("area"))
        return f"{study} in {area}" if study and area else study or area

    def entries(self, key: str, value: Any, named: str = ""):
        """Each entry of a section with its path; a bare string is the entry's `named` field
        (a language, a skill) when the section has one, else a passage of its own."""
        for i, item in enumerate(_list(value)):
            path = f"{key}.{i}" if isinstance(value, list) else key
            if named and isinstance(item, (str, int, float)) and text_of(item):
                item = {named: item}
            if isinstance(item, dict) and text_of(item):  # not a template left empty
                yield path, item
            elif text_of(item):
                self.passages.add(label(key), f"{label(key)}: {text_of(item)}", path, key)

    def highlights(self, path: str, lead: str, title: str, items: Any, kind: str) -> None:
        """What was done, a few bullets a passage, each passage opening with its job."""
        bullets = [sentence(text_of(h)) for h in _list(items) if text_of(h)]
        for n, part in enumerate(pack(bullets, PASSAGE_CHARS - len(lead)), 1):
            self.passages.add(trail(title, "Highlights"), f"{lead} {part}",
                              f"{path}.highlights#{n}", kind)

    # ---- the schema's sections ---------------------------------------------------------------
    def basics(self, key: str, basics: Any) -> None:
        if not isinstance(basics, dict):
            self.passages.node(key, key, basics, "personal")
            return
        about = [*self.owner.introduction(), sentence(text_of(basics.get("summary")))]
        self.passages.add("About me", " ".join(x for x in about if x), key, "personal")
        reach = [f"Email: {text_of(basics['email'])}" if text_of(basics.get("email")) else "",
                 f"Phone: {text_of(basics['phone'])}" if text_of(basics.get("phone")) else "",
                 f"Website: {text_of(basics['url'])}" if text_of(basics.get("url")) else ""]
        reach += [f"{label(k)}: {text_of(basics[k])}" for k in _LINKS if text_of(basics.get(k))]
        for profile in _list(basics.get("profiles")):
            if isinstance(profile, dict) and (where := text_of(profile.get("url")) or text_of(
                    profile.get("username"))):
                reach.append(f"{text_of(profile.get('network')) or 'Profile'}: {where}")
        if any(reach):
            self.passages.add("How to reach me", "How to reach me: " + "; ".join(
                x for x in reach if x), f"{key}.contact", "contact")
        location = basics.get("location")
        if isinstance(location, dict) and (rest := _rest(location, "city", "region",
                                                         "countryCode")):
            self.passages.add("Where I live", f"Where I live: {rest}", f"{key}.location",
                              "personal")
        rest = _rest(basics, "name", "label", "image", "email", "phone", "url", "summary",
                     "location", "profiles", *_LINKS)
        if rest:
            self.passages.add("About me › More", rest, f"{key}.more", "personal")

    def work(self, key: str, value: Any, volunteer: bool = False) -> None:
        for path, job in self.entries(key, value):
            employer = text_of(job.get("organization") if volunteer else
                               job.get("name") or job.get("company"))
            role = text_of(job.get("position"))
            dates, ongoing = when(job)
            where = text_of(job.get("location"))
            if volunteer:
                head = (f"I {'volunteer' if ongoing else 'volunteered'}"
                        + (f" at {employer}" if employer else "")
                        + (f" as {with_article(role)}" if role else ""))
                title = trail("Volunteering", " at ".join(x for x in (role, employer) if x))
                kind = "volunteering"
            else:
                head = job_head(employer, role, ongoing)
                title = " at ".join(x for x in (role or "Role", employer) if x) \
                    if employer else role or "Experience"
                kind = "experience"
            head += (f" ({dates})" if dates else "") + (f", in {where}" if where else "")
            about = text_of(job.get("description"))
            text = " ".join(x for x in (
                sentence(head), sentence(text_of(job.get("summary"))),
                sentence(f"About {employer}: {about}") if about and employer else sentence(about),
                sentence(f"Website: {text_of(job['url'])}") if text_of(job.get("url")) else "",
                sentence(_rest(job, "name", "company", "organization", "position", "startDate",
                               "endDate", "location", "summary", "description", "url",
                               "highlights")))
                if x)
            self.passages.add(title, text, path, kind)
            lead = (f"As a volunteer at {employer}" if volunteer else
                    f"At {employer}" + (f", as {role}" if role else "")) + ":" \
                if employer else (f"As {role}:" if role else "")
            self.highlights(path, lead, title, job.get("highlights"), kind)

    def volunteer(self, key: str, value: Any) -> None:
        self.work(key, value, volunteer=True)

    def education(self, key: str, value: Any) -> None:
        for path, item in self.entries(key, value):
            degree, school = self.degree(item), text_of(item.get("institution"))
            dates, ongoing = when(item)
            head = ("I am studying " if ongoing else "I studied ") + (degree or "") + (
                f" at {school}" if school else "") + (f" ({dates})" if dates else "")
            parts = [sentence(" ".join(head.split())),
                     sentence(f"My grade: {text_of(item['score'])}") if text_of(
                         item.get("score")) else "",
                     sentence(f"Courses: {text_of(item['courses'])}") if text_of(
                         item.get("courses")) else "",
                     sentence(f"Website: {text_of(item['url'])}") if text_of(item.get("url"))
                     else "",
                     sentence(_rest(item, "institution", "url", "area", "studyType", "startDate",
                                    "endDate", "score", "courses"))]
            self.passages.add(trail("Education", degree or school), " ".join(p for p in parts
                                                                              if p), path,
                              "education")

    def awards(self, key: str, value: Any) -> None:
        for path, item in self.entries(key, value, "title"):
            title = text_of(item.get("title"))
            head = f"I received {title or 'an award'}" + (
                f" from {text_of(item['awarder'])}" if text_of(item.get("awarder")) else "") + (
                f" ({_date(item['date'])})" if text_of(item.get("date")) else "")
            self.passages.add(trail("Awards", title), " ".join(x for x in (
                sentence(head), sentence(text_of(item.get("summary"))),
                sentence(_rest(item, "title", "date", "awarder", "summary"))) if x),
                path, "achievement")

    def certificates(self, key: str, value: Any) -> None:
        said = []
        for _, item in self.entries(key, value, "name"):
            details = ", ".join(x for x in (
                f"issued by {text_of(item['issuer'])}" if text_of(item.get("issuer")) else "",
                _date(item.get("date")), text_of(item.get("url")),
                _rest(item, "name", "date", "url", "issuer")) if x)
            name = text_of(item.get("name")) or "A certificate"
            said.append(f"{name} ({details})" if details else name)
        for n, part in enumerate(pack(said, PASSAGE_CHARS, "; "), 1):
            self.passages.add("Certifications", f"My certifications: {part}",
                              f"{key}#{n}", "certifications")

    def publications(self, key: str, value: Any) -> None:
        for path, item in self.entries(key, value, "name"):
            name = text_of(item.get("name"))
            head = (f"I published “{name}”" if name else "I published a piece") + (
                f" in {text_of(item['publisher'])}" if text_of(item.get("publisher")) else "") + (
                f" ({_date(item['releaseDate'])})" if text_of(item.get("releaseDate")) else "")
            self.passages.add(trail("Publications", name), " ".join(x for x in (
                sentence(head), sentence(text_of(item.get("summary"))),
                sentence(f"Link: {text_of(item['url'])}") if text_of(item.get("url")) else "",
                sentence(_rest(item, "name", "publisher", "releaseDate", "url", "summary")))
                if x), path, "publication")

    def skills(self, key: str, value: Any) -> None:
        bare = []
        for path, item in self.entries(key, value, "name"):
            name, level = text_of(item.get("name")), text_of(item.get("level"))
            keywords = text_of(item.get("keywords"))
            rest = _rest(item, "name", "level", "keywords")
            named = f"{name} ({level})" if name and level else name or level
            if keywords or rest:
                self.passages.add(trail("Skills", name), f"{named}: " + "; ".join(
                    x for x in (keywords, rest) if x), path, "skills")
            elif named:
                bare.append(named)
        if bare:
            self.passages.add("Skills", "My skills: " + ", ".join(bare), f"{key}.more", "skills")

    def languages(self, key: str, value: Any) -> None:
        spoken = []
        for _, item in self.entries(key, value, "language"):
            language, fluency = text_of(item.get("language") or item.get("name")), text_of(
                item.get("fluency") or item.get("level"))
            if language:
                spoken.append(f"{language} ({fluency})" if fluency else language)
        if spoken:
            self.passages.add("Languages I speak", "Languages I speak: " + ", ".join(spoken),
                              key, "languages")

    def interests(self, key: str, value: Any) -> None:
        said = []
        for _, item in self.entries(key, value, "name"):
            name, keywords = text_of(item.get("name")), text_of(item.get("keywords"))
            said.append(f"{name} ({keywords})" if name and keywords else name or keywords)
        if said := [x for x in said if x]:
            self.passages.add("Interests outside work", "My interests outside work: "
                              + "; ".join(said), key, "interests")

    def references(self, key: str, value: Any) -> None:
        """The referee's words, quoted whole under their name: never the owner's voice."""
        for path, item in self.entries(key, value):
            name = text_of(item.get("name")) or "A referee"
            words = (text_of(item.get("reference")) or " ".join(  # under another key
                text_of(v) for k, v in item.items() if k != "name")).strip('“”"')
            if words:
                self.passages.add(f"A reference from {name} (their words, not mine)",
                                  f"{name} wrote in a reference for me: “{words}”",
                                  path, "reference")

    def projects(self, key: str, value: Any) -> None:
        for path, item in self.entries(key, value):
            name = text_of(item.get("name")) or "A project"
            dates, _ = when(item)
            roles, entity = text_of(item.get("roles")), text_of(item.get("entity"))
            head = f"My project {name}" + (f" ({dates})" if dates else "") + (
                f", for {entity}" if entity else "") + (f", as {roles}" if roles else "")
            text = " ".join(x for x in (
                sentence(head), sentence(text_of(item.get("description"))),
                sentence(f"Keywords: {text_of(item['keywords'])}") if text_of(
                    item.get("keywords")) else "",
                sentence(f"Link: {text_of(item['url'])}") if text_of(item.get("url")) else "",
                sentence(_rest(item, "name", "description", "highlights", "keywords", "startDate",
                               "endDate", "url", "roles", "entity", "type"))) if x)
            self.passages.add(trail("Projects", name), text, path, "project")
            self.highlights(path, f"In my project {name}:", trail("Projects", name),
                            item.get("highlights"), "project")
