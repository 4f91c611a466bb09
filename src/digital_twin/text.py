"""Words: tokenizing, stop words and a light English stemmer, shared by search and answers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .errors import QuestionError

_WORD = re.compile(r"\w+", re.UNICODE)
_MARKS = re.compile("[\u0300-\u036f]")  # combining accents, once decomposed (NFKD)
# English stop words: function words and pronouns (NLTK's English list, its reflexive and
# possessive pronouns included), and the verbs of a request ("tell me", "please describe").
STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves ourselves himself herself themselves theirs tell please describe
    describing give list explain share talk know introduce introducing""".split()
)

# Words any recruiter question may use whatever it asks about: they say nothing about whether
# a profile covers the question ("Have you ever worked with X?" is about X). The next to last
# line is how one asks for a summary of a career ("summarize your career", and the words of
# Roget's Thesaurus's "compendium" class that a question uses: "a quick rundown", "an
# overview", "in a nutshell"); the last
# holds the words of the questions every interview has ("Why should we hire you?", "What are your
# strengths?", "Tell me about your last job").
QUESTION_WORDS = frozenset(
    """ever also really actually honestly roughly exactly currently recently much many
    experience experienced work worked working works job jobs role roles position company
    companies used use using built build building done doing made make did get got go going
    good well strong solid comfortable familiar confident level proficient background thing
    things anything something kind sort type way time times like would could want wants
    hands real substantial example examples give walk through bit little quick briefly
    professional professionally abilities ability knowledge know knew skill skills
    any yes yeah okay ok hi hello thanks thank able since years year long
    career careers summary summarise summarize outline overview rundown recap synopsis gist
    nutshell precis
    hire hired hiring strengths last""".split()
)

# A job held now, as résumés date it ("2021 – present", "current role").
PRESENT = re.compile(r"(?i)\b(present|current(ly)?|now|today|to date|ongoing)\b")
# English's adverbials of present time ("What do you do these days?"): they date a question,
# they do not say what it is about.
NOW = re.compile(r"(?i)\b(these days|nowadays|at (the )?(moment|present)|right now|as of now|"
                 r"for now|of late|lately|today)\b")

_SUFFIXES = (  # (suffix, replacement, shortest stem kept), tried in order
    ("ies", "y", 2), ("sses", "ss", 2), ("ness", "", 3), ("ments", "", 3), ("ment", "", 3),
    ("ations", "at", 2), ("ation", "at", 2), ("ions", "", 3), ("ion", "", 3), ("ings", "", 3),
    ("ing", "", 3), ("ied", "y", 2), ("ed", "", 3), ("ers", "", 3), ("er", "", 3),
    ("ly", "", 3), ("es", "", 3), ("s", "", 3),
)


@lru_cache(maxsize=1 << 16)  # a profile's words repeat: each is stemmed once
def stem(word: str) -> str:
    """A light stemmer: `studies`/`studied`/`study` -> `study`, `located`/`location` -> `locat`.

    Conservative on purpose: it only strips common inflections, so `internship` and
    `interview` never meet.
    """
    word = word.lower()
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, shortest in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: len(word) - len(suffix)] + replacement
            return base[:-1] if base.endswith("e") and len(base) > 4 else base
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def fold(text: str) -> str:
    """`text` without its accents ("Zürich" -> "Zurich", "ersättning" -> "ersattning")."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFKD", text)))


def words(text: str) -> list[str]:
    """Lower-cased words, accents folded: "Zürich" and "Zurich" are one word."""
    return _WORD.findall(fold(text.lower()))


def keyword_terms(text: str) -> list[str]:
    """Lower-cased words worth searching for: no stop words, no single letters."""
    return searchable(words(text))


def searchable(tokens: list[str]) -> list[str]:
    """The `words` of a text worth searching for (for a caller that has them already)."""
    return [w for w in tokens if w not in STOPWORDS and len(w) > 1]


def stems(text: str) -> set[str]:
    return {stem(w) for w in keyword_terms(text)}


def topic_terms(question: str) -> list[str]:
    """The words that say what a question is about (its keyword terms less generic ones)."""
    return list(dict.fromkeys(w for w in keyword_terms(NOW.sub(" ", question))
                              if w not in QUESTION_WORDS and not w.isdigit()))


def decoded(raw: bytes) -> str | None:
    """A file's text as editors save it: UTF-16 with its byte-order mark, UTF-8 (with or
    without one), else Windows-1252; None for a binary file (not UTF-8, and a NUL byte in it)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None if b"\x00" in raw else raw.decode("cp1252", errors="replace")


def valid_text(text: str, what: str) -> str:
    """Text that can be stored and tokenised: a lone surrogate (`\\ud800` in JSON) cannot."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QuestionError(f"The {what} is not valid Unicode text (at character {exc.start}).",
                            hint="Send it as plain UTF-8 text.") from None
    return text


def word_pieces(text: str) -> Iterator[str]:
    """A finished text streamed as pieces, a word at a time (spaces kept with the words)."""
    for i, word in enumerate(text.split(" ")):
        yield word if i == 0 else " " + word
