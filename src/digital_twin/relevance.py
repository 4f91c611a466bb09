"""Signals that say what a question asks and whether a profile knows its words; the fitted
decision (`ranking.py`) weighs them.

- **names**: a distinctive term of the question (a capitalised name, an acronym, `Vue.js`)
  that occurs nowhere in the profile means the profile is about something else ("Did you work
  at NASA?", "Are you PMP certified?");
- **term coverage**: the IDF-weighted share of the question's topic words (its words less stop
  words and the generic words of any recruiter question) that occur in the profile;
- **intent**: recruiters ask about a few things (role, education, location, salary…), and a
  passage may be of the kind one asks for.
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Literal

from .profile.fields import HEADINGS
from .profile.sensitive import states_wanted_pay
from .text import QUESTION_WORDS, STOPWORDS, stem, topic_terms, words
from .vocabulary import is_rare

Verdict = Literal["covered", "borderline", "uncovered"]

# intent: (what a question asking it says, what a passage answering it is labelled)
INTENTS: dict[str, tuple[str, str]] = {
    # work dated by English's adverbs of the present and the recent past (now, currently, these
    # days, at the moment, today, lately, recently, of late)
    "role": (r"\b(work|working|employed|job|role|position|doing|up to)\b.*\b(now|currently|these "
             r"days|at the moment|today|lately|recently|of late)\b|\b(current(ly)?|most recent|latest|present)\b.*\b(role|"
             r"job|position|title|employer|company|work\w*|doing)\b|"
             r"\bwhat do you do( now| currently| for a living| these days)?\W*$|"
             r"\bup to these days\b",
             r"\bcurrently i am\b|\brecently i was\b|\bi am (a|an)\b|about me|employment|"
             r"\b(current|present) (job|role|position|post|employer|employment)\b|"
             r"\b(19|20)\d\d\s*[-–—]\s*(present|now|current|today)\b"),
    "history": (r"\b(compan(y|ies)|employers?|worked (at|for|with)|work history|previous (jobs?|"
                r"roles?)|your time at|internships?)\b", r"^experience\b|\bexperience ›|employment|internship"),
    "skills": (r"\b(know|knowledge of|experience (with|in)|familiar|comfortable|proficien\w*|"
               r"how good|years of|skilled|tech stack|technolog\w*|tools?)\b", r"skill"),
    "story": (r"\b(a time|an example|a situation|describe a|tell me about a (time|project|situation)"
              r")\b", r"achievement|the situation:|star"),
    # Europass's "Education and training": a degree, or the training a trade is learnt by
    "education": (r"\b(stud(y|ied|ying|ies)|degrees?|universit\w*|college|school|graduat\w*|"
                  r"academic|education\w*|major|thesis|gpa|courses?|coursework|undergrad\w*|"
                  r"masters?|bachelor\w*|diplomas?|qualifications?|formal training|"
                  r"train(ed|ing)? (as|to be)|apprentice\w*)\b",
                  r"educat|degree|universit|studied|\bacademic|coursework|thesis|bachelor|"
                  r"\bmaster(s|'s|’s)?\b|"
                  r"qualification|training|diploma|college|school|apprentice"),
    "location": (r"\b(based|located|location|live|living|city|country|remote|"
                 r"hybrid|on-?site|where are you from)\b",
                 r"\blocat|based in|where i'd like|about me"),
    # relocating, or moving (abroad, to a city or country) for work, as one asks it in English
    "relocation": (r"\b(relocat\w*|mov(e|ing) (to|abroad|away|elsewhere|countr\w*|cit(y|ies)|"
                   r"for (a|the) (job|role))|willing to move)\b",
                   r"relocat|\bmov(e|ing)\b|\bopen to\b|would consider"),
    # "earn" of money, not of what else one earns: the objects of its sense "to get something
    # you deserve" in learners' dictionaries (a reputation, respect, trust, a place, a
    # promotion, an award, a title) and Europass's "Education and training" (a degree, a
    # diploma, a qualification, a certificate, a licence), or a pronoun standing for one.
    # "pay" of wages, not its phrasal verbs in the same dictionaries (pay for, pay off, pay
    # back, pay out, pay attention, pay tribute): "How did you pay for the library?"
    # Pay's other names are issue 20's: remuneration, the Indian CTC (cost to company).
    "salary": (r"\b(salary|salaries|(pay|paid)(?!\s+(for|off|back|out|attention|tribute)\b)|"
               r"earn(s|ing)?(?!\s+(them|it|this|that|these|those|"
               r"(a|an|the|my|your|their|his|her)\s+(\w+\s+)?(degrees?|diplomas?|qualifications?|"
               r"certificat\w*|licen[cs]es?|promotion|place|award|title|reputation|trust|"
               r"respect)))|earnings|compensation|remuneration|ctc|cost to company|take[- ]home|"
               r"wage|rate|package|expect\w* .*money)\b",
               r"salar|compensation|remunerat|\bctc\b|\bpay\b|\brate\b"),
    # "start" of a job, not of a reply ("Could you start by introducing yourself?")
    "availability": (r"\b(start(?! (?:by|off)\b)|notice|availab\w*|when can you|join)\b",
                     r"^(?!.*\btravel).*(availab|\bnotice\b|start date|\bcan start|"
                     r"\bstart (in|on|within|right))"),
    # human languages: "Do you speak Spanish?", never "spoken at a meetup" nor Python
    "languages": (r"\b(speak(?! (at|on|about|to|with)\b)|fluent|bilingual|mother tongue|native "
                  r"(language|speaker)|languages? (do|can) you (speak|read|write)|(spoken|human|"
                  r"foreign) languages?|languages? spoken)\b",
                  r"^(?!.*\b(programming|coding|scripting|query|markup|frameworks?)\b).*"
                  r"\blanguages?\b"),
    "talks": (r"\b(talks|(gave|give|given|giving) (a |any )?talks?|(spoke|spoken|speak|speaking|"
              r"present\w*) (at|on)|public speaking|speaking engagements?|conferences?|meetups?|"
              r"keynotes?|webinars?)\b",
              r"conferenc|\btalks?\b|\bspoke\b|speaking|presentations?\b|meetup|keynote"),
    "writing": (r"\b(have you (written|published)(?! (any |an? |some )?(apps?|code|software|"
                r"tests?|programs?|scripts?|packages?|libraries)\b)|wr(ote|itten|ite) (any |an? |"
                r"some )?(articles?|blogs?|posts?|papers?|books?)|publications?|blog( posts?)?|"
                r"articles?)\b",
                r"writing|publicat|\bblog|articles?\b|papers?\b|\bwrote\b|\bwritten\b"),
    "hobbies": (r"\b(hobb\w*|outside (of )?work|free time|spare time|weekends?|for fun|"
                r"interests?|passions?)\b",
                r"hobb|\binterests\b|outside (of )?work|free time|spare time|\bpassions?\b"),
    "authorization": (r"\b(visa|sponsor\w*|authori[sz]\w*|right to work|allowed to work|"
                      r"eligib\w*|citizen\w*|permit)\b",
                      r"authori|visa|citizen|eligib|right to work"),
    "strengths": (r"\b(strengths?|strongest|best at|good at|excel)\b", r"strength|skill"),
    "weaknesses": (r"\b(weakness\w*|weak|fail\w*|mistakes?|struggl\w*|improve on)\b",
                   r"weakness|improv|challenge|fail|mitigation"),
    # and how a story ended: the R of the STAR interview method (Situation, Task, Action, Result);
    # and the sections résumés list them in (JSON Resume's awards, LinkedIn's Honors & Awards)
    "achievements": (r"\b(achiev\w*|proud|accomplish\w*|impact|results?|outcomes?|findings?|"
                     r"turn(ed)? out|end(ed)? up|how did it end|what happened|awards?|"
                     r"honou?rs)\b",
                     r"achiev|accomplish|award|honou?r|result|outcome|finding|impact|star|"
                     r"\d\s?%"),
    # résumé sections: objective, career goals, job search, target role, next step
    "goals": (r"\b(goals?|five years|5 years|future|aspir\w*|ambitions?|long[- ]term|"
              r"short[- ]term|career plans?|hoping|looking for|next step|kind of (role|job))\b",
              r"goal|aspir|objective|career|looking for|interested in|job search|seeking|"
              r"target (role|job|position)|next (role|step|job|position)"),
    "certifications": (r"\b(certif\w*|(professional|software|industry) licen[cs]es?|"
                       r"accredit\w*|credentials?)\b",
                       r"certif|licen|credential|qualification"),
    # the interview opener "tell me about yourself", and its other standard form "walk me
    # through your résumé"; a summary of the career, in Wiktionary's synonyms of a brief
    # summary (summary, overview, outline, synopsis, abstract, recap)
    "about": (r"\b((about|introduc(e|ing)|describ(e|ing)) yourself|who are you|why should (we|i) hire you|"
              r"what makes you|stand out|walk(ing)? (me |us )?(\w+ )?through (your |the )?"
              r"(\w+ )?(background|career|cv|r[ée]sum[ée]|experience)|"
              r"(summary|summari[sz]e|overview|outline|synopsis|recap)\b.{0,40}\b"
              r"(career|background|experience|yourself))\b",
              r"\babout me\b|^personal about\b|\b(personal|professional) summary\b|^\w+ summary\b|"
              # a section named "Summary" under the owner's name, numbered or not
              r"› (\d{1,2}[.)]? )?summary\b|"
              r"elevator pitch|introduction|\bbio\b"),
    "contact": (r"\b(contact|e-?mail|reach you|in touch|linkedin|github)\b",
                r"contact|reach me|^\w+ (\w+ )?(e-?mail|linked ?in)\b|linkedin\.com|"
                r"[\w.+-]+@[\w-]+\.\w"),  # an e-mail address is a way to reach one
    "projects": (r"\bprojects?\b", r"project|portfolio"),
    # what others say of the owner: references (JSON Resume), recommendations (LinkedIn)
    "references": (r"\b(references?|referees?|recommendations?|recommend(ed)? you|testimonials?|"
                   r"endorse\w*|vouch|what (would|do|did) (your )?(others|colleagues|managers?|"
                   r"bosses|former employers?|people) (say|think))\b",
                   r"reference|recommendation|testimonial"),
    "teamwork": (r"\b(soft skills?|teamwork|team player|(led|lead|in) a team|leadership|"
                 r"mentor\w*|collaborat\w*|manag\w* (people|a team|teams|engineers|others)|"
                 r"direct reports)\b",
                 r"soft skill|leader|team|mentor|collaborat|manag|direct report"),
}
# The same sections' headings in the owner's language (`fields.HEADINGS`)
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
ABROAD = {intent: "|".join(re.escape(w) if _UNSPACED.search(w) else rf"\b{re.escape(w)}\b"
                           for w in HEADINGS[heading])
          for intent, heading in (("history", "experience"), ("education", "education"),
                                  ("skills", "skills"), ("languages", "languages"),
                                  ("availability", "availability"))}
_QUESTION = {name: re.compile(q, re.I) for name, (q, _) in INTENTS.items()}
_PASSAGE = {name: re.compile(f"{p}|{ABROAD[name]}" if name in ABROAD else p, re.I)
            for name, (_, p) in INTENTS.items()}
LABEL_CHARS = 50  # how much of a passage's opening counts as its label
_TOKEN = re.compile(r"[A-Za-z0-9][\w.+#-]*")


def intents(question: str) -> list[str]:
    """The recruiter intents a question shows, the one named first in it first."""
    found = [(m.start(), name) for name, pattern in _QUESTION.items()
             if (m := pattern.search(question))]
    return [name for _, name in sorted(found)]


def answers_intent(intent: str, title: str, kind: str, text: str, whole: bool = False) -> bool:
    """Whether a passage is of the kind an intent asks for, judged by its label (kind, title
    and the opening of its text, or all of it when `whole`); a prepared answer, by the
    question it answers."""
    if kind == "qa" and (asked := intents(title)):
        return intent in asked
    label = f"{kind} {title} {text if whole else text[:LABEL_CHARS]}"
    # the pay wanted, in the languages the privacy vocabularies know ("Lønnsforventning")
    return bool(_PASSAGE[intent].search(label)) or (intent == "salary"
                                                    and states_wanted_pay(label))


def labelled(intent: str, chunks: dict) -> list[str]:
    """Ids of the passages answering an intent: by their labels, or, in a profile of free
    text whose labels say nothing (notes, a résumé), by their whole text."""
    found = [cid for cid, c in chunks.items() if answers_intent(intent, c.title, c.kind, c.text)]
    return found or [cid for cid, c in chunks.items()
                     if answers_intent(intent, c.title, c.kind, c.text, whole=True)]


class Terms(dict):
    """The profile's word stems and how many passages hold each, sorted once so that a
    prefix is found by bisection (a 100,000-passage profile has tens of thousands)."""

    def __init__(self, counts: dict[str, int]):
        super().__init__(counts)
        self.ordered = sorted(counts)

    def has_prefix(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.ordered, prefix)
        return at < len(self.ordered) and self.ordered[at].startswith(prefix)


def _has_prefix(vocabulary: dict[str, int], prefix: str) -> bool:
    if isinstance(vocabulary, Terms):
        return vocabulary.has_prefix(prefix)
    return any(v.startswith(prefix) for v in vocabulary)


def known_term(term: str, vocabulary: dict[str, int]) -> bool:
    parts = [p for p in words(term) if len(p) > 1]
    return all(stem(p) in vocabulary or (len(p) >= 5 and _has_prefix(vocabulary, p))
               or _compound(p, vocabulary) for p in parts)


def _compound(word: str, vocabulary: dict[str, int]) -> bool:
    """A word the profile writes as two ("worldcheck": "World-Check", "timesheet": "time
    sheet"), each part three letters or more."""
    return len(word) >= 6 and any(
        stem(word[:i]) in vocabulary and stem(word[i:]) in vocabulary
        for i in range(3, len(word) - 2))


def named_terms(question: str, vocabulary: dict[str, int]) -> list[str]:
    """Names the question asks about: capitalised words, acronyms, dotted or versioned terms
    (`Vue.js`, `C++`), and rare words however written ("kotlin"), but not typos of everyday
    words nor the words that say what is asked."""
    tokens = _TOKEN.findall(question)
    asked = intent_words(question)  # "undergrad" says what is asked, not what about
    found = []
    for position, raw in enumerate(tokens):
        token = raw.rstrip(".-")
        name_like = (any(c.isupper() for c in token[1:]) or (position > 0 and token[:1].isupper())
                     or any(c in token for c in ".+#") or (any(c.isdigit() for c in token)
                                                          and any(c.isalpha() for c in token))
                     or is_rare(token, vocabulary.keys()))
        common = token.lower() in STOPWORDS | QUESTION_WORDS | asked
        if name_like and not common and len(token) > 2:
            found.append(token)
    return found


def missing_names(question: str, vocabulary: dict[str, int]) -> list[str]:
    """Names absent from the profile ("Did you work at NASA?")."""
    return [t for t in named_terms(question, vocabulary) if not known_term(t, vocabulary)]


def mentions(text: str, names: list[str]) -> bool:
    """Whether a passage names one of `names`, as a whole word ("C++" is not "C")."""
    return any(re.search(rf"(?<![\w+#.]){re.escape(n)}(?![\w+#])", text, re.I) for n in names)


def intent_words(question: str, asked: list[str] | None = None) -> set[str]:
    """The words of the phrases that showed the question's intents ("outside of work"), or
    only those of the intents `asked`."""
    spans = [m.group(0) for name, pattern in _QUESTION.items() if asked is None or name in asked
             for m in pattern.finditer(question)]
    return {w for span in spans for w in words(span)}


def coverage(question: str, vocabulary: dict[str, int], passages: int,
             skip: set[str] = frozenset()) -> float | None:
    """IDF-weighted share of the question's topic words found in the profile: a word in
    every passage ("design" in a designer's profile) counts little, and a word found nowhere
    ("smartwatches") counts as much as the rarest word there is."""
    terms = [t for t in topic_terms(question) if t not in skip]
    if not terms:
        return None if skip else 0.0
    rarest = math.log(passages + 1) + 1.0

    def weight(term: str) -> float:
        counts = [vocabulary.get(stem(p), 0) for p in words(term) if len(p) > 1]
        found = max(counts, default=0)
        return math.log((passages + 1) / (found + 1)) + 1.0 if found else rarest

    weights = {t: weight(t) for t in terms}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if known_term(t, vocabulary)) / total
