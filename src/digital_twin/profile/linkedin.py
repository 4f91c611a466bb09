"""A LinkedIn data export ("Get a copy of your data"), as its zip or its unpacked folder.

Only the files that hold the profile are read, each by the column names LinkedIn writes, into
the sections of a JSON Resume (`jsonresume.py`), which gives them passages. The rest of the
archive (messages, connections, invitations, ads data, job applications) is not the owner's
profile and is never opened. The birth date, the address and its postcode, the maiden name and
the phone numbers stay private.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ProfileError
from .jsonresume import resume_profile
from .profile import Profile

Row = dict[str, str]
MAX_FILE_BYTES = 20 * 1024 * 1024  # a profile file of LinkedIn's is kilobytes; refuse a bomb
# Columns of Profile.csv that are private, whatever the owner's privacy settings say.
PRIVATE_COLUMNS = ("Birth Date", "Address", "Zip Code", "Maiden Name")
_TYPED_URL = re.compile(r"(?:([A-Za-z]+):)?(https?://[^\s,\]\[]+)")


def _col(row: Row, *names: str) -> str:
    for name in names:
        value = row.get(name.lower())
        if value and value.strip():
            return " ".join(value.split()) if "\n" not in value else value.strip()
    return ""


def _name(row: Row) -> str:
    return " ".join(x for x in (_col(row, "First Name"), _col(row, "Last Name")) if x)


def _basics(rows: list[Row]) -> dict[str, Any]:
    row = rows[0] if rows else {}
    # "[PERSONAL:https://…,COMPANY:https://…]": the owner's sites, and their employer's
    typed = [(kind.upper(), url) for kind, url in _TYPED_URL.findall(_col(row, "Websites"))]
    own = [url for kind, url in typed if kind != "COMPANY"]
    basics = {"name": _name(row), "label": _col(row, "Headline"),
              "summary": _col(row, "Summary"), "url": own[0] if own else "",
              "location": {"city": _col(row, "Geo Location", "Location")},
              "industry": _col(row, "Industry"),
              "employerWebsite": ", ".join(url for kind, url in typed if kind == "COMPANY")}
    profiles = [{"network": "Website", "url": url} for url in own[1:]]
    profiles += [{"network": "Twitter", "username": handle}
                 for handle in re.findall(r"[\w@]+", _col(row, "Twitter Handles").strip("[]"))]
    if profiles:
        basics["profiles"] = profiles
    return {k: v for k, v in basics.items() if v}


def _dated(row: Row, start: str = "Started On", end: str = "Finished On") -> dict[str, str]:
    return {k: v for k, v in (("startDate", _col(row, start)), ("endDate", _col(row, end))) if v}


def _described(text: str) -> dict[str, Any]:
    """A description written in lines (bullets): its first line the summary, the others what
    was done."""
    lines = [" ".join(line.strip(" •·*-–").split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > 1:
        return {"summary": lines[0], "highlights": lines[1:]}
    return {"summary": lines[0]} if lines else {}


# file (lower case, without .csv) -> (section of the JSON Resume, what one row becomes)
SECTIONS: dict[str, tuple[str, Callable[[Row], dict[str, Any]]]] = {
    "positions": ("work", lambda r: {
        "name": _col(r, "Company Name"), "position": _col(r, "Title"),
        "location": _col(r, "Location"), **_described(_col(r, "Description")), **_dated(r)}),
    "education": ("education", lambda r: {
        "institution": _col(r, "School Name"), "studyType": _col(r, "Degree Name"),
        **_dated(r, "Start Date", "End Date"), "notes": _col(r, "Notes"),
        "activities": _col(r, "Activities")}),
    "skills": ("skills", lambda r: {"name": _col(r, "Name")}),
    "languages": ("languages", lambda r: {"language": _col(r, "Name"),
                                          "fluency": _col(r, "Proficiency")}),
    "certifications": ("certificates", lambda r: {
        "name": _col(r, "Name"), "issuer": _col(r, "Authority"),
        "date": _col(r, "Started On"), "url": _col(r, "Url")}),
    "projects": ("projects", lambda r: {
        "name": _col(r, "Title"), "description": _col(r, "Description"),
        "url": _col(r, "Url"), **_dated(r)}),
    "honors": ("awards", lambda r: {
        "title": _col(r, "Title"), "summary": _col(r, "Description"),
        "date": _col(r, "Issued On")}),
    "volunteering": ("volunteer", lambda r: {
        "organization": _col(r, "Company Name"), "position": _col(r, "Role"),
        "cause": _col(r, "Cause"), "summary": _col(r, "Description"), **_dated(r)}),
    "publications": ("publications", lambda r: {
        "name": _col(r, "Name"), "publisher": _col(r, "Publisher"),
        "releaseDate": _col(r, "Published On"), "summary": _col(r, "Description"),
        "url": _col(r, "Url")}),
    "recommendationsreceived": ("references", lambda r: {
        "name": ", ".join(x for x in (_name(r), _col(r, "Job Title"), _col(r, "Company")) if x),
        "reference": _col(r, "Text")} if _col(r, "Status").upper() in ("", "VISIBLE") else {}),
    "courses": ("courses", lambda r: {"name": _col(r, "Name")}),
    "organizations": ("organizations", lambda r: {
        "name": _col(r, "Name"), "position": _col(r, "Position"),
        "description": _col(r, "Description"), **_dated(r)}),
    "patents": ("patents", lambda r: {
        "title": _col(r, "Title"), "number": _col(r, "Number"),
        "description": _col(r, "Description"), "issued": _col(r, "Issued On")}),
}
PROFILE_FILES = ("profile", "emailaddresses", "phonenumbers", *SECTIONS)


def _key(name: str) -> str:
    """A file of the export by its name alone, as LinkedIn spells it in one archive or another
    ("Email Addresses.csv", "Recommendations_Received.csv"): lower case, no separators."""
    return re.sub(r"[\s_]", "", PurePosixPath(name).name.lower().removesuffix(".csv"))


def _rows(raw: bytes, where: str, path: Path) -> list[Row]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(path, f"{where} is not UTF-8 text ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [{(k or "").strip().lower(): v or "" for k, v in row.items()} for row in reader]


def is_export(path: Path) -> bool:
    """A folder holding LinkedIn's Profile.csv or Positions.csv."""
    return path.is_dir() and any((path / f"{name}.csv").is_file()
                                 for name in ("Profile", "Positions"))


def _files(path: Path) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    """The profile files of the export by key, each as (its name in the export, its bytes);
    and the names of all the export's files."""
    if path.is_dir():
        names = sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())
        sizes = {name: (path / name).stat().st_size for name in names}
        read: Callable[[str], bytes] = lambda name: (path / name).read_bytes()  # noqa: E731
    else:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ProfileError(path, f"is not a readable zip ({exc})",
                               hint="Download the export again from LinkedIn.") from exc
        sizes = {i.filename: i.file_size for i in archive.infolist() if not i.is_dir()}
        names = sorted(sizes)
        read = archive.read
    wanted: dict[str, tuple[str, bytes]] = {}
    for name in names:
        key = _key(name)
        if name.lower().endswith(".csv") and key in PROFILE_FILES and key not in wanted:
            if sizes[name] > MAX_FILE_BYTES:
                raise ProfileError(path, f"{name} is larger than a profile file can be",
                                   hint="Export your data from LinkedIn again.")
            wanted[key] = (name, read(name))
    return wanted, names


def load_linkedin(path: Path, private_fields: Iterable[str] = ()) -> Profile:
    files, names = _files(path)
    if not ({"profile", "positions"} & set(files)):
        raise ProfileError(path, "is not a LinkedIn data export (it has no Profile.csv nor "
                                 "Positions.csv)",
                           hint="Use the archive LinkedIn sends from Settings › Data privacy › "
                                "Get a copy of your data.")
    rows = {key: _rows(raw, name, path) for key, (name, raw) in files.items()}
    data: dict[str, Any] = {"basics": _basics(rows.get("profile", []))}
    emails = rows.get("emailaddresses", [])
    primary = next((r for r in emails if _col(r, "Primary").lower() == "yes"),
                   emails[0] if emails else {})
    if email := _col(primary, "Email Address"):
        data["basics"]["email"] = email
    for key, (section, build) in SECTIONS.items():
        items = [{k: v for k, v in build(row).items() if v} for row in rows.get(key, [])]
        items = [item.get("name") if set(item) == {"name"} and section != "skills" else item
                 for item in items if item]  # a list of names (courses) reads as one line
        if items:
            data[section] = items
    private = [f"Profile.csv: {column}" for column in PRIVATE_COLUMNS
               if any(_col(row, column) for row in rows.get("profile", []))]
    private += ["PhoneNumbers.csv: phone numbers"] if any(
        _col(row, "Number") for row in rows.get("phonenumbers", [])) else []
    used = [files[key][0] for key in rows]
    ignored = len([n for n in names if n not in used])
    notes = [f"is a LinkedIn export: read {', '.join(PurePosixPath(n).name for n in used)}; "
             f"ignored {ignored} other file{'s' if ignored != 1 else ''} (messages, "
             f"connections, invitations, ads and the like are not your profile)"]
    return resume_profile(path, data, private_fields, notes, private)
