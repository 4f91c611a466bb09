"""What the owner marked private never reaches the index.

Ways to mark something private in `digitaltwin.json` (all documented in the README):

- `"private": true` inside any object drops that whole object, and so does a flag that says so
  (`"doNotShare": true`, `"confidential": "yes"`, `"visibility": "private"`);
- `"private": ["field", ...]` inside an object drops those fields of it, and `"private": {…}`
  is a private section of its own;
- a key whose name says private (`privateDetails`, `confidential`, `private_current_salary`);
- a top-level `"privacy": {"private_fields": ["dot.path", "experience.*.manager", ...]}`.

Settings add more dot paths (`TWIN_PRIVATE_FIELDS`); `salary_location.current_salary` is private
by default. Whatever the owner wrote, fields that mean sensitive personal data are private too,
by their meaning rather than their place: the current salary or compensation in any section and
spelling, date of birth or age, gender, marital status, religion, health, national ID, passport
and social-security numbers, home address and phone. The owner can make one public with
`"privacy": {"public_fields": ["personal.phone"]}` or `"public": ["phone"]` in its object.
In Markdown and text, a heading that says private, confidential or not for sharing drops its
section (`documents.py`), and `<!-- private -->` ... `<!-- /private -->` drops what lies between.
In every format, the part of a text that holds a private value by what the value is (a phone
number, the current pay, a birth date, an identity number...) is kept back (`sensitive.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import ProfileError
from .fields import label

PRIVATE_KEY = "private"
PUBLIC_KEY = "public"
PRIVACY_SECTION = "privacy"
# Field names (lower case, separators removed) that mean sensitive personal data.
SENSITIVE = frozenset("""
    dob dateofbirth birthdate birthday birthdayandyear age agegroup
    gender sex maritalstatus marital relationshipstatus familystatus spouse
    religion religiousbeliefs faith health healthconditions medical medicalconditions
    medicalhistory disability disabilities ethnicity race
    nationalid nationalidnumber idnumber identitynumber ssn socialsecurity socialsecuritynumber
    sin taxid taxnumber tfn nino passport passportnumber drivinglicence driverslicense
    homeaddress address streetaddress postaladdress residentialaddress
    phone phonenumber mobile mobilenumber mobilephone cellphone cell telephone tel
    personalphone whatsapp
    currentsalary currentcompensation currentpay currentbase currentctc salaryhistory
    previoussalary pastsalary currentwage""".split())
# What a key is called when its value is not for sharing: the classification labels "private"
# and "confidential" at either end of its name ("privateDetails", "private_current_salary") and
# the plain requests of `_DO_NOT_SHARE` run together ("doNotShare"); and what a flag or a
# visibility field says, in the words sharing settings use (private, hidden, internal).
_PRIVATE_NAME = re.compile(r"^(private|confidential)|(private|confidential)$|donotshare|"
                           r"dontshare|notforsharing|donotdisclose|donotpublish|notpublic")
_PRIVATE_VALUE = frozenset({"private", "confidential", "secret", "hidden", "internal",
                            "donotshare", "notforsharing"})
# What a visibility field says when its object may be shown (sharing settings' words).
_PUBLIC_VALUE = frozenset({"public", "shared", "visible", "open", "everyone", "anyone"})
SETTING = ("visibility", "privacy", "sharing", "access")  # a field that says who may see
_MONEY = ("salary", "compensation", "pay", "remuneration", "wage", "ctc")
_NOW = ("current", "currentbase", "now", "present", "today", "existing")


def _norm(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _matches(pattern: list[str], path: list[str]) -> bool:
    """Each part equal ignoring case and separators; the last may be followed by more
    (`current_salary` also hides `currentSalary` and `current_salary_range`)."""
    if len(pattern) != len(path):
        return False
    for i, (p, q) in enumerate(zip(pattern, path, strict=True)):
        if p == "*":
            continue
        if not (_norm(q) == _norm(p) or (i == len(path) - 1 and _norm(q).startswith(_norm(p)))):
            return False
    return True


def sensitive(path: list[str]) -> bool:
    """Does this field, by its name, hold sensitive personal data?"""
    key = _norm(path[-1])
    if key in SENSITIVE or any(key.startswith(word) for word in (
            "currentsalary", "currentcompensation", "salaryhistory", "dateofbirth")):
        return True
    parent = _norm(path[-2]) if len(path) > 1 else ""
    return key in _NOW and any(word in parent for word in _MONEY)


# A heading that marks its section as not for sharing, in the words document classification
# labels use ("Private", "Confidential", "Strictly confidential") and plain requests not to pass
# it on: "(private)", "Private — not for sharing", "PERSONAL DATA (CONFIDENTIAL – do not
# forward)". Not "Private practice" nor "Confidential informant work". The labels' translations
# into German, French, Spanish, Catalan, Italian, Portuguese, Dutch, Polish, Swedish, Norwegian,
# Danish, Finnish, Czech, Slovak, Romanian, Hungarian, Turkish, Indonesian and Malay, Tagalog,
# Vietnamese, Afrikaans, Persian, Estonian and Yoruba (àṣírí, "secret"),
# and (below) Russian, Ukrainian, Greek, Arabic, Hebrew, Chinese, Japanese, Korean, Thai and
# Hindi; with "internal use only", "not for publication" and "for HR only".
_MARKED = (r"private|confidential|strictly confidential|privat|vertraulich(e[nrs]?)?|"
           r"privée?s?|confidentiel(le)?s?|privad[oa]s?|confidencial(es)?|privat[oiae]|"
           r"riservat[oiae]|confidenzial[ei]|vertrouwelijke?|prywatne|poufn[eya]|"
           r"konfidentiell[at]?|konfidensiel(l|t|lt|le)?|"
           r"fortrolig(t)?|yksityinen|luottamuksellinen|soukromé|důvěrné|súkromné|dôverné|"
           r"confiden[tț]ial|bizalmas|gizli|pribadi|rahasia|riêng tư|bảo mật|privaat|vertroulik|"
           r"privada|no publicar|ús intern|sulit|rahsia|sulit dan peribadi|pribado|kumpidensyal|"
           r"privaatne|àṣírí|asiri|"
           r"محرمانه|خصوصی|"
           # and in the South Slavic and Baltic languages, Albanian, Icelandic, Irish, Welsh,
           # Maltese, Hausa, Afrikaans, Arabic, Bengali, Urdu, Amharic, Georgian and Armenian (the words for
           # "private" and "confidential", not those for "personal")
           r"privatno|povjerljivo|poverljivo|zasebno|zaupno|поверително|поверљиво|приватно|"
           r"privatu|konfidencialu|privāti|konfidenciāli|konfidenciale|einkamál|trúnaðarmál|"
           r"príobháideach|rúnda|preifat|cyfrinachol|kunfidenzjali|sirri|vertroulik|خاص|سري للغاية|"
           r"গোপনীয়|نجی|خفیہ|ሚስጥራዊ|კონფიდენციალური|գաղտնի")
# A plain request not to pass something on, as a heading or a sentence says it ("do not share",
# "not for publication"), in the same languages as `_MARKED` (Wiktionary's translations of
# "do not share" and "not to be shared"), Swahili's, Greek's, Estonian's and Romanian's with
# them, and "do not pass on" in French, Italian, Spanish and Portuguese.
_REQUEST = (
    r"\b(do not|don't|dont|please don't|please do not|never)\s+(share|forward|disclose|"
    r"publish|pass on)\b|\bnot (for|to be) (shar|publi|disclos|distribut)\w*|"
    r"\b(nicht (zur )?weiter(gabe|geben)|nicht teilen|ne pas (diffuser|partager|transmettre|"
    r"communiquer|divulguer)|no (compartir|difundir|divulgar|transmitir)|"
    r"non (condividere|divulgare|diffondere|comunicare)|"
    r"não (partilhar|compartilhar|divulgar|transmitir)|niet delen|niet doorgeven|"
    r"nie udostępniać|nie przekazywać|delas ej|får ej delas|ikke del(es)?|må ikke deles|"
    r"ei jaettava|mitte jagada|ärge jagage|nesdílet|nezdieľať|a nu se (distribui|partaja)|"
    r"să nu (transmiteți|distribuiți|partajați|divulgați)|nu (transmiteți|divulgați)|"
    r"nem nyilvános|paylaşılmaz|"
    r"paylaşmayın|jangan dibagikan|không chia sẻ|moenie deel nie|usishiriki|"
    r"να μην κοινοποιη\w*|"
    # and "not for publication", "do not share" or "do not pass on" in the languages added to
    # `_MARKED` (nije za objavu, ne dijeliti, ni za objavo, не за публикуване, neskelbti,
    # nepublicēt, mos e ndani, ekki til birtingar), Hebrew's and Arabic's
    r"nije za objav\w*|ne dijeliti|ne deliti|ni za objavo|не за публикуване|"
    r"не споделяйте|не за објавување|не за објављивање|neskelbti|nesidalinti|nepublicēt|"
    r"nedalīties|mos e (ndani|publikoni)|ekki til birtingar|לא להעביר|לא לשתף|לא להפצה|"
    r"לשימוש פנימי|لا يشارك|لا تشارك|لا يشارك مع|عدم المشاركة|لا للنشر|"
    # Luxembourgish's and Persian's; English's idiom "keep this to yourself" (as learners'
    # dictionaries give it), and "not for" the audiences of the "for … only" below
    r"net weiderginn|net weidergi|نباید در اختیار|منتشر نشود|keep (this|it) to yourself|"
    r"not for (recruiters|employers|the employer|hiring managers))\b")
NOT_TO_SHARE = re.compile(rf"(?i){_REQUEST}")
_PRIVATE_HEADING = re.compile(
    rf"(?i)^\W*({_MARKED}|personal\s*(and|&)\s*confidential)\W*($|[-—–:(/,|\]])|"
    rf"[(\[\-—–:/,|]\s*({_MARKED})(\s*($|[)\]:/,|])|\s+[-—–])|"
    rf"\b({_MARKED})(\W*$|\s*[(\[])|"  # "Dane poufne (tylko do mojej wiadomości)"
    rf"{_REQUEST}|"
    r"\b(internal (use )?only|not for (publication|distribution)|(for|to) (the )?(hr|human "
    r"resources|recruiter|employer|hiring manager|[\w-]+ (panel|team|department|office)) only|"
    r"конфиденциально|не для публикации|не распространять|только для|конфіденційно|"
    r"не поширювати|не для публікації|тільки для|лише для|εμπιστευτικ[όο]|απόρρητ\w*|"
    r"[όο]χι για δημοσ[ίι]ευση|μ[όο]νο για|سري|سرّي|للاستخدام الداخلي|ليس للنشر|"
    r"غير مخصص للنشر|חסוי|סודי|לא לפרסום|गोपनीय)\b|"
    r"保密|机密|機密|请勿外传|請勿外傳|不公开|不公開|非公開|社外秘|部外秘|비공개|기밀|대외비|"
    r"ข้อมูลลับ|เป็นความลับ|ไม่เปิดเผย|ห้ามเผยแพร่|ห้ามเปิดเผย|"
    # and in Khmer, Lao and Burmese, written without spaces between words
    r"សម្ងាត់|មិនត្រូវចែករំលែក|ຄວາມລັບ|လျှို့ဝှက်")


_SECTION_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2})*[.)]?\s+")


# Arabic's short vowels and other marks, which a text may write or leave out ("لا يُشارك")
HARAKAT = re.compile(r"[\u064B-\u065F\u0670]")


def private_heading(title: str) -> bool:
    """Whether a heading says its section is not for sharing (after its number, if any:
    "10. Private — only for me")."""
    return bool(_PRIVATE_HEADING.search(_SECTION_NUMBER.sub("", HARAKAT.sub("", title.strip()))))


def private_name(key: str) -> bool:
    """Whether a key's name says its value is not for sharing, run together ("doNotShare") or
    read as a heading ("not_for_disclosure", "internal_only", "vertraulich")."""
    return bool(_PRIVATE_NAME.search(_norm(key))) or private_heading(label(key))


def _marked_private(value: dict, notes: bool = True) -> bool:
    """An object that says of itself that it is private: `"private": true`, a flag such as
    `"doNotShare": true` or `"confidential": "yes"`, `"visibility": "private"`, or (with
    `notes`, below the top) a note that reads as a private heading."""
    for key, item in value.items():
        if key == PUBLIC_KEY:
            continue
        flag = item is True or (isinstance(item, str) and _norm(item) in ("yes", "true"))
        if flag and (key == PRIVATE_KEY or private_name(key)):
            return True
        if isinstance(item, str) and _norm(key) in SETTING and _norm(item) in _PRIVATE_VALUE:
            return True
        # a note that only marks it, as a private heading would, in any language the
        # headings are read in: "visibilita": "riservato – non condividere", "_note":
        # "Internal only" (not a value that carries its own request: "Z734… - do not share")
        if notes and isinstance(item, str) and len(item.split()) <= 10 \
                and not re.search(r"\d", item) and private_heading(item):
            return True
    return False


def strip_private(data: Any, private_paths: Iterable[str], source: str
                  ) -> tuple[Any, list[str], list[str]]:
    """A copy of `data` without anything private, the dot paths it left out, and the values
    the owner made public (which the value detectors of `sensitive.py` then leave alone).

    A setting `section.field` (such as the default `salary_location.current_salary`) also
    hides that field in any other top-level section and at the top: profiles name their
    sections differently, and the current salary is private wherever it is written."""
    patterns = [p.split(".") for p in private_paths if p]
    patterns += [["*", p[-1]] for p in patterns if len(p) == 2 and p[0] != "*"]
    patterns += [[p[-1]] for p in patterns if len(p) == 2]
    if isinstance(data, dict):
        privacy = data.get(PRIVACY_SECTION) or {}
        if not isinstance(privacy, dict):
            raise ProfileError(
                source, "must be an object like {\"private_fields\": [...]}", field=PRIVACY_SECTION
            )
        extra = privacy.get("private_fields", [])
        if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
            raise ProfileError(
                source, "must be a list of dot paths", field=f"{PRIVACY_SECTION}.private_fields"
            )
        patterns += [p.split(".") for p in extra]
        public = privacy.get("public_fields", [])
        if not isinstance(public, list) or not all(isinstance(x, str) for x in public):
            raise ProfileError(
                source, "must be a list of dot paths", field=f"{PRIVACY_SECTION}.public_fields"
            )
    else:
        public = []
    rules = _Rules(patterns, [p.split(".") for p in public], source, [])
    kept = _strip(data, [], rules)
    return kept, rules.removed, rules.opened


class _Rules:
    def __init__(self, patterns: list[list[str]], public: list[list[str]], source: str,
                 removed: list[str]):
        self.patterns, self.public, self.source, self.removed = patterns, public, source, removed
        self.opened: list[str] = []  # values of fields the owner made public

    def hides(self, path: list[str], hidden: set[str], shown: set[str]) -> bool:
        key = path[-1].lower()
        if key in hidden or any(_matches(p, path) for p in self.patterns):
            return True
        opened = key in shown or any(_matches(p, path) for p in self.public)
        return sensitive(path) and not opened

    def explicit(self, path: list[str], hidden: set[str]) -> bool:
        """Whether the owner named this field private (not only a default kind)."""
        return path[-1].lower() in hidden or any(_matches(p, path) for p in self.patterns)

    def opens(self, path: list[str], shown: set[str]) -> bool:
        return path[-1].lower() in shown or any(_matches(p, path) for p in self.public)


def _names(marker: Any, path: list[str], source: str, what: str) -> set[str]:
    if marker in (None, False):
        return set()
    if not isinstance(marker, list) or not all(isinstance(x, str) for x in marker):
        raise ProfileError(source, f"must be {what}a list of field names",
                           field=".".join([*path, PRIVATE_KEY if what else PUBLIC_KEY]))
    return {x.lower() for x in marker}


def _strip(value: Any, path: list[str], rules: _Rules) -> Any:
    if isinstance(value, dict):
        marker = value.get(PRIVATE_KEY)
        if _marked_private(value, notes=bool(path)):  # a whole profile is not hidden by a note
            rules.removed.append(".".join(path) or "(everything)")
            return None
        # a list names the private fields; an object under "private" is a private section
        hidden = set() if isinstance(marker, dict) else _names(marker, path, rules.source,
                                                               "true or ")
        # "public": true, or a visibility field that says public, opens all its fields
        setting = [key for key, item in value.items() if _norm(str(key)) in SETTING
                   and isinstance(item, str) and _norm(item) in _PUBLIC_VALUE]
        opening = value.get(PUBLIC_KEY)
        shown = {str(key).lower() for key in value} if setting or opening is True else \
            _names(opening, path, rules.source, "")
        out = {}
        for key, item in value.items():
            child = [*path, str(key)]
            if key in (PRIVATE_KEY, PUBLIC_KEY, *setting) or (not path and key == PRIVACY_SECTION):
                continue
            if rules.hides(child, hidden, shown) or (private_name(str(key)) and key not in shown):
                if item not in (None, "", [], {}):
                    rules.removed.append(".".join(child))
                if area := _area(item) if not rules.explicit(child, hidden) else "":
                    out.setdefault("location", area)  # the town of a home address is public
                continue
            kept = _strip(item, child, rules)
            if kept is not None:
                out[key] = kept
                if rules.opens(child, shown):
                    rules.opened.extend(_texts(kept))
        if setting and len(out) == 1:  # {"value": …, "visibility": "public"}: the value
            return next(iter(out.values()))
        return out
    if isinstance(value, list):
        kept_items = []
        for i, item in enumerate(value):
            child = [*path, str(i)]
            if any(_matches(p, child) for p in rules.patterns):
                rules.removed.append(".".join(child))
                continue
            kept = _strip(item, child, rules)
            if kept is not None:
                kept_items.append(kept)
        return kept_items
    return value


# The parts of an address that name a place, not a home: schema.org PostalAddress's
# addressLocality, addressRegion and addressCountry, and their usual spellings.
_AREA = ("city", "town", "locality", "addresslocality", "region", "state", "province",
         "addressregion", "country", "addresscountry")


def _area(value: Any) -> str:
    """The town, region and country of an address object ("Columbus, OH"), or ""."""
    if not isinstance(value, dict):
        return ""
    parts = {str(k).lower().replace("_", ""): v for k, v in value.items()}
    return ", ".join(str(parts[k]).strip() for k in _AREA
                     if isinstance(parts.get(k), str) and parts[k].strip())


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for item in value.values() for t in _texts(item)]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return [] if value is None or isinstance(value, bool) else [str(value)]


PRIVATE_BLOCK = re.compile(r"<!--\s*private\s*-->.*?(<!--\s*/private\s*-->|\Z)", re.S | re.I)


PUBLIC_BLOCK = re.compile(r"<!--\s*public\s*-->(.*?)(?:<!--\s*/public\s*-->|\Z)", re.S | re.I)


def public_block_lines(text: str) -> list[str]:
    """The lines between `<!-- public -->` and `<!-- /public -->`: values the owner publishes
    though they are private by default (a phone for recruiters), one per line."""
    return [line.strip(" -*\t") for block in PUBLIC_BLOCK.findall(text)
            for line in block.splitlines() if line.strip(" -*\t")]


def strip_private_blocks(text: str) -> str:
    """Drop `<!-- private -->` ... `<!-- /private -->` blocks (headings that say private are
    dropped where the Markdown is parsed, in `documents.py`)."""
    return PRIVATE_BLOCK.sub("", text)
