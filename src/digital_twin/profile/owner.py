"""Who the profile belongs to: the owner card shown on the page and used in the persona."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from ..text import PRESENT
from .fields import field, is_placeholder, sentence, text_of, with_article, without

# Words that name a document, not a person: "résumé", "CV", "curriculum vitae", "profile",
# "portfolio", "about", "notes", with their translations (Wiktionary) into the languages the
# privacy vocabularies list (`sensitive.py`).
_NOT_A_NAME = re.compile(r"(?i)\b(resume|résumé|cv|curriculum|vitae|profile|portfolio|about|"
                         r"notes?|blog|readme|lebenslauf|werdegang|currículo|currículum|"
                         r"curriculo|profil|profilo|perfil|życiorys|levnadsbeskrivning|"
                         r"meritförteckning|ansøgning|ansioluettelo|özgeçmiş|riwayat hidup|"
                         r"hồ sơ|sơ yếu lý lịch|wasifu|резюме|биография|פרופיל|קורות חיים|"
                         r"السيرة الذاتية|سيرة ذاتية)\b|履歴書|简历|簡歷|이력서")
# Name particles written in lower case ("Sietske van der Meer", "Martina Ferrer i Roca"): the
# nobiliary particles Wikipedia lists, Spanish and Catalan "y"/"i", Arabic and Malay "bin",
# "binti", "ibn", "al", "el", Scandinavian "af"/"av".
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "do", "dos",
              "du", "la", "le", "ter", "ten", "zu", "y", "i", "e", "bin", "binti", "ibn", "al",
              "el", "af", "av"}
# What follows a name on its line: a headline after a dash or a bar, post-nominal letters
# after a comma ("Bronwen Hale, RM — Midwife").
# A doctorate's abbreviated faculty after "Dr." ("Dr. med. vet.", "Dr. rer. nat.")
DEGREE = re.compile(r"[a-zäöü]{2,5}\.")
HEADLINE_PARTS = re.compile(r"\s+[·|•–—-]\s+")  # "Aoife Brennan — Paramedic", "… · Tampere"
_ASIDE = re.compile(r"\s*[(\[（][^()\[\]（）]*[)\]）]")  # "(Wendy Lin)", "(西村 遥)"
_NICKNAME = re.compile(r"\s+[\"“‘][^\"“”‘’]{1,24}[\"”’](?=\s)")  # Selamawit "Selam" Gebremedhin
_UNSPACED = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{2,5}$")  # 李建华, 김서연
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def person_name(line: str) -> tuple[str, str] | None:
    """The person a line names, and what follows the name ("Aoife Brennan — Advanced
    Paramedic": the name and "Advanced Paramedic"), or None when it names no one: 2 to 5 words
    each capitalised or a particle, no digits, no document word; or one unspaced CJK name.
    The name is told as written, with the nickname or the other spelling beside it
    ('Tomasz "Tom" Zieliński', visitors may ask after Tom), less post-nominal letters."""
    line = " ".join(line.split()).strip(" .:*#")
    text = _NICKNAME.sub("", _ASIDE.sub("", line)).strip(" .:*#")
    parts = HEADLINE_PARTS.split(text, maxsplit=1)
    name, rest = parts[0].split(",")[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    words = name.split()
    if _UNSPACED.match(name):
        return name, rest
    if not 2 <= len(words) <= 5 or re.search(r"[\d@:]", name) or _NOT_A_NAME.search(name):
        return None
    if not all(w.lower() in _PARTICLES or not w[:1].islower() or DEGREE.fullmatch(w)
               for w in words) \
            or sum(w.lower() not in _PARTICLES and not DEGREE.fullmatch(w) for w in words) < 2 \
            or not all(re.match(r"\w", w) for w in words):
        return None
    told = HEADLINE_PARTS.split(line, maxsplit=1)[0].split(", ")[0]
    told = " ".join(w for w in told.split() if not DEGREE.fullmatch(w))  # "Dr. Lena Brückner"
    told = told.title() if name.isupper() else told
    # "Layla Haddad | ليلى حداد": one name in two scripts, as many words in each (or one
    # unspaced CJK name), not a headline ("ফারহানা আক্তার — Quality Assurance Manager")
    if rest and bool(_LATIN.search(name)) != bool(_LATIN.search(rest)) \
            and not re.search(r"[\d@:]", rest) and (
                len(rest.split()) == len(name.split())
                or (_UNSPACED.match(rest) or _UNSPACED.match(name)) and len(rest.split()) <= 3):
        return f"{told} ({rest})", ""
    return told, rest


_HONORIFIC = re.compile(r"(?i)(mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame)\.?")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a name one goes by: one to three words ("Gosia", "Anna", "Mary Jo")
_GOES_BY = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?: [^\W\d_][^\W\d_'’-]*){0,2}")
_LINKEDIN = re.compile(r"(?:https?://)?(?:www\.)?linkedin\.com/in/[\w%-]+/?", re.I)
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
    current_study: str | None = None

    def set(self, attr: str, value: Any) -> None:
        """Fill `attr` unless it is already known; placeholders never count."""
        if getattr(self, attr) is not None or isinstance(value, (dict, list, bool)):
            return
        text = text_of(value)
        if attr == "title" and _HONORIFIC.fullmatch(text or ""):  # "title": "Dr" is no headline
            return
        if text and not is_placeholder(text):
            setattr(self, attr, text)

    def merge(self, obj: Any) -> None:
        """Read the card's fields from an object and from its `contact` block."""
        if not isinstance(obj, dict):
            return
        for meaning in CARD:
            value = field(obj, meaning)
            if meaning == "headline" and _HONORIFIC.fullmatch(text_of(value)):
                value = field(without(obj, "title"), meaning)  # "title": "Dr", "position": …
            self.set("title" if meaning == "headline" else meaning, value)
        given, family = (text_of(field(obj, part)).strip() for part in ("given_name",
                                                                         "family_name"))
        # a name in two fields; a form's "Nom" beside "Prénom" is the family name only
        if given and (self.name is None or " " not in self.name.strip()):
            family = family or (self.name or "").strip()
            self.name = None
            self.set("name", f"{family}{given}" if _UNSPACED.match(family + given)
                     else f"{given} {family}".strip())
        nickname = text_of(field(obj, "nickname")).strip()
        if self.name and _GOES_BY.fullmatch(nickname) and nickname not in self.name:
            self.name = f"{self.name} ({nickname})"  # told as written: 'Małgorzata … (Gosia)'
        contact = field(obj, "contact")
        if isinstance(contact, dict):
            for meaning in ("email", "linkedin", "github", "website"):
                self.set(meaning, field(contact, meaning))

    def contact_from_text(self, text: str) -> None:
        """An email address or LinkedIn URL written in free text, when no field gave one."""
        email, linkedin = _EMAIL.search(text), _LINKEDIN.search(text)
        self.set("email", email.group(0) if email else None)
        self.set("linkedin", linkedin.group(0) if linkedin else None)

    def introduction(self) -> list[str]:
        """'My name is …', 'I am a … based in …', the current job and the current study."""
        lines = [f"My name is {self.name}." if self.name else ""]
        # a headline that only names the current job ("Head of Maths at Ashfield") is said once
        told = bool(self.title and self.current_job and
                    self.title.lower().rstrip(". ") in self.current_job.lower())
        if self.title and not told:
            lines.append(sentence(f"I am {with_article(self.title)}" +
                                  (f" based in {self.location}" if self.location else "")))
        elif self.location:
            lines.append(f"I am based in {self.location}.")
        return [line for line in (*lines, self.current_job, self.current_study) if line]

    def public(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _named(value: Any) -> str:
    """An employer or a role as one name: an object's name ("employer": {"name": …, "city":
    …}), else its text."""
    if isinstance(value, dict):
        return text_of(field(value, "item_name")) or text_of(value)
    return text_of(value)


# How a job's dates end when it goes on: English's words of the present (`text.PRESENT`) and
# their translations (Wiktionary) into the languages of the field names (`fields.py`)
_UP_TO_NOW = re.compile(
    PRESENT.pattern + r"|\b(heute|jetzt|aktuell|présent|"
    r"aujourd'hui|actuel\w*|actualidad|actualmente|presente|hoy|actual|attuale|oggi|atual|"
    r"atualmente|hoje|heden|nu|huidig|obecnie|teraz|nå|i dag|idag|nyt|nykyään|dosud|"
    r"současnost|prezent|azi|jelenleg|günümüz|halen|sekarang|kini|nay|hiện tại|sasa|сейчас|"
    r"настоящее время|н\.\s?в\.|теперь|тепер|досі|σήμερα|τώρα|الآن|حتى الآن|היום|עכשיו|"
    r"वर्तमान|अब|kasalukuyan)\b|至今|现在|目前|現在|현재|ปัจจุบัน|اکنون|تاکنون")


def job_head(company: str, role: str, current: bool) -> str:
    """'At <company> I am <role>', as a job's passage opens ('I was <role>' with no company)."""
    return ((f"At {company} I" if company else "I") + (" am " if current else " was ")
            + (with_article(role) if role else "on the team"))


def job_facts(job: dict) -> tuple[str, str, str, bool]:
    """Company, role, dates, and whether it is the current job."""
    company = _named(field(job, "company"))
    role = _named(field(job, "role"))
    dates, flag = field(job, "dates"), field(job, "current")
    when = "" if isinstance(dates, dict) else text_of(dates)
    if isinstance(dates, dict):  # "dates": {"start": …, "end": …}
        job = {**job, **dates}
    if not when:
        start, end = text_of(field(job, "start")), text_of(field(job, "end"))
        if flag is False and not end:
            end = "?"
        when = f"{start} – {end or 'present'}" if start else ""
    if flag is True and not when:
        when = "present"
    current = flag is True or bool(_UP_TO_NOW.search(when))
    return company, role, when, current


def current_job(jobs: Any) -> str | None:
    """'Currently I am <role> at <company> (<dates>).' for the first current job, else
    'Most recently I was …' for the first job listed (profiles list the latest first)."""
    listed = [job_facts(job) for job in (jobs if isinstance(jobs, list) else [jobs])
              if isinstance(job, dict)]
    listed = [facts for facts in listed if facts[1]]
    if not listed:
        return None
    company, role, when, current = next((f for f in listed if f[3]), listed[0])
    where = f" at {company}" if company else ""
    lead = "Currently I am" if current else "Most recently I was"
    return f"{lead} {with_article(role)}{where}" + (f" ({when})." if when else ".")


def current_study(education: Any) -> str | None:
    """'Currently I am studying <degree> at <school> (<dates>).' for a degree in progress."""
    items = education if isinstance(education, list) else [education]
    if isinstance(education, dict) and not field(education, "degree"):
        items = [v for value in education.values() if isinstance(value, list) for v in value]
    for item in items:
        if not isinstance(item, dict):
            continue
        when = text_of(field(item, "dates")) or text_of(field(item, "end"))
        degree, school = text_of(field(item, "degree")), text_of(field(item, "school"))
        if degree and re.search(r"(?i)present|current|expected|ongoing|in progress", when):
            where = f" at {school}" if school else ""
            return f"Currently I am studying {degree}{where} ({when})."
    return None
