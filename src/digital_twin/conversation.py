"""Follow-up resolution: which question to search for, given the conversation so far.

"What was the result?" or "Which tools did you use there?" only make sense against the previous
question, so they are searched together with it. A new question that names its own subject
("What's the best recipe for lasagna?") is searched alone, even right after another one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from anyascii import anyascii

from .profile.owner import DEGREE
from .profile.sensitive import names_current_pay
from .relevance import intents
from .retrieval import in_english
from .text import stems, topic_terms

# Words that point back at something said before.
_BACK_REFERENCE = re.compile(
    r"\b(that|this|it|its|there|they|them|those|these|he|she|the same|what else|anything else|"
    r"more|elaborate|expand|go on|why|how so|the result|the outcome|the impact)\b", re.I)


def is_follow_up(question: str) -> bool:
    """True when the question points back and names little of its own ("what was the result
    there?", "why?"). A question with no topic and no pointer back ("Tell me about yourself",
    "Where do you work now?") starts afresh, even in the middle of a conversation."""
    return bool(_BACK_REFERENCE.search(question)) and (len(topic_terms(question)) <= 2
                                                       or bool(_GOES_ON.search(question)))


# What marks a question as going on from the one before, whatever it names: an opening
# coordinating or linking word of English grammars' lists (and, so, also, plus, then: "And how
# large was the team?") or the place adverb "there" closing it ("…the client book there?")
_GOES_ON = re.compile(r"(?i)^\s*(and|so|also|plus|then)\b|\bthere\s*[?.!]*\s*$")


# "Leaving salary aside for now: which certifications do you hold?" asks the part after the
# aside: a clause, then a question that opens with a question word of its own.
_ASIDE = re.compile(r"^(?P<aside>.{3,80}?)\s*(?::|—|–|\s-\s|;|,)\s*(?P<asked>(what|which|who|where|when|"
                    r"why|how|do|does|did|have|has|are|is|can|could|would|will|tell|describe|"
                    r"walk|give)\b.*)$", re.I)


# What says a clause is put aside, English's markers of exclusion and dismissal ("leaving…
# aside", "apart from…", "besides", "regardless of", "never mind", "ignore", "forget").
_SETS_ASIDE = re.compile(r"(?i)\b(aside|ignor\w*|forget\w*|leav\w* out|leaving|setting|putting|"
                         r"apart from|besides|regardless|never mind|skip\w*|not counting)\b")


# "Any languages other than English?" is not about English: what follows one of English's
# markers of exclusion (as for asides above: apart from, other than, besides, except…)
_EXCLUDED = re.compile(r"(?i)\b(apart from|other than|aside from|besides|except( for)?|excluding|"
                       r"not counting|beyond)\s+[^?,.;:]+")


def without_exclusions(question: str) -> str:
    """The question less what it excludes ("apart from English")."""
    return _EXCLUDED.sub(" ", question)


def asked_part(question: str) -> str:
    """The question itself, without an aside that opens it ("Ignore the gap in my notes — where
    did you work before?"); a question with no aside is returned whole."""
    found = _ASIDE.match(question.strip())
    if found and _SETS_ASIDE.search(found["aside"]):
        return found["asked"]
    return question


# Pay now or in the past, by the words that date it (issue 20's pay vocabulary): the owner's
# current pay is private, and what the twin can say instead is the pay they expect.
_CURRENT_PAY = re.compile(r"\b(current(ly)?|now|earn\w*|making|present|at the moment|these days|"
                          r"today|last (year|financial year)|previous)\b", re.I)
EXPECTED_PAY = "What salary are you looking for?"


# The pay they expect, however it is dated ("your current salary expectation"), is not the
# current pay (issue 20's words for expected pay: expectation, target, desired).
_EXPECTED = re.compile(r"\b(expect\w*|target\w*|desired?|looking for|hoping for|asking)\b", re.I)


def asks_current_pay(question: str) -> bool:
    return ("salary" in intents(question) and bool(_CURRENT_PAY.search(question))
            and not _EXPECTED.search(question)) or (not in_english(question)
                                                    and names_current_pay(question))


# Asking for a value of a kind that stays private by default (issue 20's list: a personal
# phone, a home address, a birth date or age, an identity-document number), as English asks it.
# Where someone lives in a town or a city is not a home address; where they were born is not
# when.
PRIVATE_ASKS = {
    "phone number": re.compile(r"(?i)\b((your|ur)\s+(personal\s+|private\s+|home\s+|mobile\s+|"
                               r"cell\s+)?(phone|telephone|mobile|cell|whatsapp)(\s+number)?|"
                               r"phone\s+number)\b"),
    "home address": re.compile(r"(?i)\b((home|street|postal|residential|house|full)\s+address|"
                               r"your\s+address|post\s?code|zip\s?code|which\s+street|"
                               r"what\s+street)\b"),
    "date of birth": re.compile(r"(?i)\b(date\s+of\s+birth|birth\s?day|birth\s+date|"
                                r"when\s+were\s+you\s+born|how\s+old\s+are\s+you|"
                                r"(your|ur)\s+age|what\s+year\s+were\s+you\s+born)\b"),
    "identity number": re.compile(r"(?i)\b((passport|social\s+security|national\s+(id|"
                                  r"insurance)|identity(\s+card)?|id|tax)\s+(number|no\b|#)|"
                                  r"ssn|tax\s+id)"),
}


def asks_private(question: str) -> list[str]:
    """The kinds of private value a question asks for (["phone number"]), in their order."""
    asked = asked_part(question)
    return [kind for kind, ask in PRIVATE_ASKS.items() if ask.search(asked)]


def answerable_part(question: str) -> str:
    """What of the question the twin may answer: the question without its aside, and for the
    owner's current pay, which is private, the pay they expect."""
    question = asked_part(question)
    return EXPECTED_PAY if asks_current_pay(question) else question


SUBJECT_WORDS = 60  # of the last answer, enough to name its job or project and its setting
_CITATION = re.compile(r"\[\d{1,2}\]")


def retrieval_query(question: str, history: list[dict] | None) -> str:
    """The text to search for: the question, or for a follow-up the conversation's subject
    (the previous question and the opening of the answer it got, up to its first citation:
    what the first passage it drew on says, which names the job or project) followed by the
    question."""
    question = answerable_part(question)
    turns = [t for t in history or [] if t.get("content", "").strip()]
    asked = [t["content"] for t in turns if t.get("role") == "user"]
    if not asked or not is_follow_up(question):
        return question
    answer = next((t["content"] for t in reversed(turns) if t.get("role") == "assistant"), "")
    said = " ".join(_CITATION.split(answer, maxsplit=1)[0].split()[:SUBJECT_WORDS])
    return " ".join(part for part in (asked[-1], said, question) if part)


# A passage holding this share of what the best one holds of the subject's words is about the
# subject too (fitted on the development follow-ups: 0.3, 0.5, 0.75 and 1.0 tried)
SUBJECT_SHARE = 0.5


def focused(hits: list, question: str, history: list[dict] | None,
            closeness: Callable[[str, list[str]], Sequence[float]]) -> list:
    """A follow-up's passages, those about the conversation's subject first: of the passages
    that hold about as much as the most of the previous question's topic words (the job or
    project it named), the one closest in meaning to the follow-up itself leads ("What were
    your biggest results there?" after a job: that job's results, not its dates). Other
    questions' passages are as found."""
    asked = [t["content"] for t in history or []
             if t.get("role") == "user" and t.get("content", "").strip()]
    if not hits or not asked or not is_follow_up(question):
        return hits
    wanted = {stem for term in topic_terms(asked[-1]) for stem in stems(term)}
    holds = [wanted & stems(f"{h.title} {h.text}") for h in hits]
    # a word the fewer of these passages hold says more which one is the subject ("Arbenza"
    # more than "São Paulo")
    weight = {w: 1 / sum(w in held for held in holds) for w in set().union(*holds)}
    shares = [sum(weight[w] for w in held) for held in holds]
    if not max(shares):
        return hits
    about = [n for n, share in enumerate(shares) if share >= SUBJECT_SHARE * max(shares)]
    near = closeness(question, [hits[n].text for n in about])
    first = [about[i] for i in sorted(range(len(about)), key=lambda i: -float(near[i]))]
    return [hits[n] for n in first] + [h for n, h in enumerate(hits) if n not in about]


# A question after a story's result, in the words the STAR method ("Result") and a thesaurus
# give for it ("What was the outcome?", "How did it turn out?", "Did it pay off?").
_OUTCOME = re.compile(r"(?i)\b(results?|outcomes?|impact|effects?|consequences?|end(ed)? up|"
                      r"turn(ed)? out|pa(y|ys|id) off|c(a|o)me of it|what happened|how did it "
                      r"go|difference did it make|in the end)\b")


def asks_outcome(question: str) -> bool:
    return bool(_OUTCOME.search(question))


def tells_outcome(passage: str) -> bool:
    """Whether a passage opens with a story's outcome, after its lead ("A project I'm proud
    of: Result. The application went in…")."""
    return any(_OUTCOME.match(re.sub(r"(?i)^[\W_]*(the |my |our )?", "", text))
               for text in (passage, passage.partition(": ")[2]))


def subject(question: str, history: list[dict] | None) -> str:
    """What a question is about, in the visitor's words: the question, after the previous
    question when it follows up on it (the names a follow-up's answer must keep to)."""
    question = asked_part(question)
    asked = [t["content"] for t in history or []
             if t.get("role") == "user" and t.get("content", "").strip()]
    return f"{asked[-1]} {question}" if asked and is_follow_up(question) else question


# Titles written before a name ("Ms Okafor", "Dr. Thompson"): the English courtesy and
# academic titles.
_HONORIFIC = r"(?:(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame)\.?\s+)?"


# English's third-person singular pronouns, which a visitor uses of the owner ("Where did she
# get her MSc?"), and the second-person forms the twin is asked in. "Her" before a word is the
# possessive ("her MSc": "your"), at the end of a clause the object ("hire her": "you").
_THIRD_PERSON = re.compile(r"(?i)\b(she['’]s|he['’]s|she|he|him|his|hers|herself|himself|her)\b"
                           r"(\s*[\w(])?")
_SECOND = {"she": "you", "he": "you", "him": "you", "his": "your", "hers": "yours",
           "herself": "yourself", "himself": "yourself"}


def _second_person(match: re.Match) -> str:
    word, after = match.group(1), match.group(2) or ""
    lower = word.lower()
    second = ("you're" if lower[-2:] in ("'s", "’s") else _SECOND.get(lower)
              or ("your" if after.strip() else "you"))
    return (second.capitalize() if word[0].isupper() else second) + after


def addressed(question: str, name: str | None) -> str:
    """The question as asked of the owner when it names them ("What salary is Derek
    targeting?", "Which city does Ms Okafor live in?"): their name is "you", "your" when
    possessive, so it is not searched for as a word the profile must hold."""
    question = _THIRD_PERSON.sub(_second_person, question)
    # not a title, nor a doctorate's faculty ("Dr. med. vet.": "Are you a vet?" names no one)
    name = " ".join(w for w in (name or "").split() if not DEGREE.fullmatch(w))
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if len(w) > 1
             and not re.fullmatch(r"(?i)(mr|mrs|ms|miss|mx|dr|prof|phd|msc|mba|jr|sr)", w)]
    if not words:
        return question
    # and each word in Latin letters, as a visitor types a name written otherwise ("Νίκος":
    # "Nikos", "Kovács": "Kovacs"), a CJK name's syllables with or without spaces ("陈思远":
    # "Chen Siyuan"), and its given name alone, after the family name ("박지민": "Jimin")
    syllables = [re.findall(r"[A-Z][a-z]*|[a-z]+", anyascii(w)) for w in words if not w.isascii()]
    forms = [re.escape(w) for w in words] + [
        r"\s*".join(map(re.escape, run)) for found in syllables
        for run in (found, found[1:] if len(found) > 2 else []) if len("".join(run)) > 1]
    names = "|".join(sorted(set(forms), key=len, reverse=True))
    person = rf"(?i)\b{_HONORIFIC}(?:{names})(?:\s+(?:{names}))*"
    question = re.sub(rf"{person}(?:'s|’s|'|’)(?!\w)", "your", question)
    return re.sub(rf"{person}\b", "you", question)

