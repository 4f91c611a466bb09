"""Search: dense and BM25 candidates, ranked by a fitted model over their signals, then a fitted
decision on whether the profile covers the question at all (`ranking.py`).

The ranker says what is *best*, not whether anything is relevant: the decision says whether the
profile covers the question. A clearly uncovered question gets no hits; a borderline one gets
its best passages only when an LLM will judge them (`keep_borderline`).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from .embeddings import Closeness, Embedder
from .hits import Hit
from .places import as_written
from .profile.chunk import sentences
from .ranking import PASSAGE_SIGNALS, QUESTION_SIGNALS, Models, fitted
from .relevance import (
    INTENTS,
    Terms,
    Verdict,
    coverage,
    intent_words,
    intents,
    known_term,
    mentions,
    missing_names,
    named_terms,
)
from .relevance import labelled as passages_for
from .stores.base import Index, Query
from .text import NOW, PRESENT, STOPWORDS, stem, stems, topic_terms, words

Mode = Literal["hybrid", "dense", "bm25"]
# A question put to the owner, not about the world ("What is the speed of light?").
_ADDRESSED = re.compile(r"(?i)\b(you|your|yours|yourself|u|ur|ya)\b")
# A question to be answered yes or no opens with an auxiliary verb ("Do you…", "Have you ever…").
_YES_NO = re.compile(r"(?i)^\W*((and|so|also|ok|okay|but)\W+)?(do|does|did|have|has|had|are|is|"
                     r"was|were|can|could|would|will|should|ever)\b"
                     # not a polite request about the owner, as English grammars call "Could
                     # you tell me about your …", "Can you walk me through your …"
                     r"(?!\s+(you|u)\s+(please\s+)?(\w+ly\s+)?((tell|walk|talk|take|run)\s+"
                     r"(me|us)\s+(\w+ly\s+)?(through|about)|describe|introduce|summari[sz]e|"
                     r"outline)\s+(your|yourself)\b)")
# English's own function words: pronouns, articles, question words and auxiliaries that no
# other language of Latin script writes as words ("is", "was", "in", "a", "me", "do", "to" and
# "de" are also Dutch, German, Hungarian, Spanish, Polish or Portuguese words). A question
# with none of them is asked in another language, whose grammar the English signals below
# (who is addressed, a yes-or-no question, a capitalised name) cannot read.
_ENGLISH = frozenset("""you your yours yourself u ur ya the what whats which how where when who
whom whose why did does have has had tell about been would could should ever any with for from
this that there were are and of at""".split())


def in_english(question: str) -> bool:
    return any(word in _ENGLISH for word in re.findall(r"[a-z']+", question.lower()))


# A name of capitalised words, with the small words that join them ("Master of Business
# Administration", "Chief Executive Officer").
_NAME_WORDS = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|&|for|in|the)\s+)?[A-Z][a-z]+)+")


def initialisms(text: str) -> set[str]:
    """The acronyms a text spells out ("Master of Business Administration": "mba"), so that a
    question asking about the MBA finds the profile's degree."""
    found = set()
    for name in _NAME_WORDS.finditer(text):  # the whole name, and each side of an "and"
        for part in [name.group(0), *re.split(r"\s+(?:and|&)\s+", name.group(0))]:
            capitals = [w[0] for w in part.split() if w[0].isupper()]
            if 2 <= len(capitals) <= 6:
                found.add("".join(capitals).lower())
    return found


# Words that join the parts of a name ("Bank of England", "Universidad de Chile").
_JOINERS = frozenset("of de del la le du des van von der da di".split())


def _coverage(question: str, vocabulary: Terms, passages: int, said: set[str]) -> float:
    """`coverage` less the words the profile lacks that only say what kind of passage is
    asked for ("get in touch") when the profile has such passages: no topic it must name. A
    question of those words alone is covered whole."""
    share = coverage(question, vocabulary, passages, said)
    if share is None:
        return 1.0 if any(term in said for term in topic_terms(question)) else 0.0
    return share


def _folded(text: str) -> str:
    return " ".join(words(text))


TYPO_VOCABULARY = 30_000  # beyond this many stems a close match costs more than it is worth
_LOWER_WORD = re.compile(r"\b[a-z]{5,}\b")


def spelled(question: str, vocabulary: Terms) -> str:
    """The question with its lower-case words that the profile does not hold, but holds a word
    one or two letters away from ("emergancy", "recieved"), spelled as the profile spells that
    word (its stem). Capitalised words are names and stay as they are: a profile that does not
    name "Cerner" does not hold it under another spelling."""
    if len(vocabulary) > TYPO_VOCABULARY:
        return question

    def fix(found: re.Match) -> str:
        word = found.group(0)
        if known_term(word, vocabulary) or word in STOPWORDS:
            return word
        close = difflib.get_close_matches(stem(word), vocabulary.ordered, n=1, cutoff=0.8)
        return close[0] if close and len(close[0]) >= 4 else word

    return _LOWER_WORD.sub(fix, question)


def _listed_names(phrase: str, vocabulary: Terms) -> bool:
    """Capitalised words in a row that the profile holds each, with nothing joining them
    ("Python Kubernetes Spark"), read as a list of names rather than as one name."""
    parts = phrase.split()
    return not any(p in _JOINERS for p in parts) and all(known_term(p, vocabulary) for p in parts)


def _missing_phrase(question: str, chunks: dict, vocabulary: Terms) -> bool:
    """Whether the question names something of several words that no candidate holds (the
    candidates' text folded once, and only when there is such a name)."""
    phrases = [p for p in name_phrases(question) if not _listed_names(p, vocabulary)]
    if not phrases:
        return False
    texts = [_folded(f"{c.title} {c.text}") for c in chunks.values()]
    return any(not any(phrase in text for text in texts) for phrase in phrases)


def _writes(text: str, name: str) -> bool:
    """Whether a text names `name` as a word of its own; a code in capitals ("US") only in
    capitals, not as the word "us"."""
    flags = 0 if name.replace(".", "").isupper() else re.I
    return bool(re.search(rf"(?<![\w+#.]){re.escape(name)}(?![\w+#])", text, flags))


def name_phrases(question: str) -> list[str]:
    """Names of two words or more in a question ("Health Sciences Centre", "Bank of England"),
    as folded text: a profile holding each word apart does not hold the name."""
    phrases, run = [], []
    for token in [*question.replace("?", " ").split(), ""]:
        bare = token.strip(".,;:!?\"'()")
        joiner = bare.lower() in _JOINERS
        if (bare[:1].isupper() and not joiner) or (run and joiner):
            run.append(bare)
        else:
            while run and run[-1].lower() in _JOINERS:
                run.pop()
            if len(run) >= 2:
                phrases.append(_folded(" ".join(run)))
            run = [bare] if bare[:1].isupper() else []
    return phrases
SENTENCES_WEIGHED = 8  # a passage's first sentences, each compared with the question
CANDIDATES = 30  # from each of dense and keyword search: MiniLM's top 20 holds the answer


@dataclass
class Candidates:
    """The passages worth ranking for one question, and the signals of each and of the question."""

    ids: list[str]
    chunks: dict
    rows: np.ndarray  # one row of PASSAGE_SIGNALS per passage
    similarity: dict[str, float]
    question: dict[str, float]
    asked: list[str]  # the question's intents

    def evidence(self, best_scores: np.ndarray) -> np.ndarray:
        """The question's signals in QUESTION_SIGNALS order, given its two best passages'
        scores."""
        scores = [float(s) for s in best_scores] + [0.0, 0.0]
        values = {**self.question, "best_score": scores[0], "second_score": scores[1]}
        return np.asarray([values[name] for name in QUESTION_SIGNALS], dtype=np.float64)


_PART = re.compile(r"\((\d+)/\d+\)$")
_OVERFLOW = ".more"  # the rest of a STAR story too long for one passage (profile/render.py)


def _part(chunk) -> tuple[str, int]:
    """Which passage a chunk belongs to, and its place in it: a long passage's numbered parts
    ("Title (2/3)"), and a story's overflow after the story."""
    if found := _PART.search(chunk.title):
        return chunk.section.rsplit("#", 1)[0], int(found.group(1))
    if chunk.section.endswith(_OVERFLOW):
        return chunk.section.removesuffix(_OVERFLOW), 1_000
    return chunk.section, 0


def in_part_order(ranked: list[str], chunks: dict) -> list[str]:
    """Parts of one passage in reading order, in the places they hold: a later part alone
    does not say whose it is ("Successfully deployed the system…", "Lesson learned: …")."""
    parts = {cid: _part(chunks[cid]) for cid in ranked if cid in chunks}
    groups: dict[str, list[str]] = {}
    for cid in ranked:
        if cid in parts:
            groups.setdefault(parts[cid][0], []).append(cid)
    order = {base: iter(sorted(ids, key=lambda c: parts[c][1])) for base, ids in groups.items()}
    return [next(order[parts[cid][0]]) if cid in parts else cid for cid in ranked]


@dataclass
class _Derived:
    version: str  # the index version these were worked out from
    terms: Terms  # word stems and how many passages hold each
    passages: int  # how many passages the index holds
    labelled: dict[str, tuple[list[str], frozenset[str]]] = field(default_factory=dict)
    sections: dict[tuple[str, str], str] | None = None  # (file, section): its passage's id
    places: dict[str, float] | None = None  # each passage's place in its file, 0 to 1

    def place(self, store: Index) -> dict[str, float]:
        """Where each passage stands in its file (0 the first, 1 the last): a résumé opens with
        who the owner is and what they do now."""
        if self.places is None:
            by_source: dict[str, list[str]] = {}
            for cid, chunk in store.get(sorted(store.ids())).items():
                by_source.setdefault(chunk.source, []).append(cid)
            self.places = {cid: n / max(1, len(ids) - 1)
                           for ids in by_source.values() for n, cid in enumerate(ids)}
        return self.places

    def of_kind(self, intent: str, store: Index,
                chunks: dict | None = None) -> tuple[list[str], frozenset[str]]:
        """The passages of the kind an intent asks for, in the files' order and as a set:
        found once per index version (reading every passage), not on every question."""
        if intent not in self.labelled:
            found = passages_for(intent, store.get(sorted(store.ids())) if chunks is None
                                 else chunks)
            self.labelled[intent] = (found, frozenset(found))
        return self.labelled[intent]


class Retriever:
    def __init__(self, store: Index, embedder: Embedder, *, top_k: int = 5,
                 min_score: float = 0.25, models: Models | None = None,
                 keep_borderline: bool = False):
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.min_score = min_score  # in dense mode, a passage less similar is never a hit
        self.models = models or fitted()
        self.keep_borderline = keep_borderline
        self.closeness = Closeness(embedder)
        self._index_facts: _Derived | None = None

    def _derived(self) -> _Derived:
        """What is worked out from the whole index, kept until the index changes."""
        version = self.store.version()
        if self._index_facts is None or self._index_facts.version != version:
            counts = dict(self.store.term_frequencies())
            for chunk in self.store.get(sorted(self.store.ids())).values():
                for initials in initialisms(f"{chunk.title}\n{chunk.text}"):
                    counts.setdefault(initials, 1)
            self._index_facts = _Derived(version, Terms(counts), self.store.count())
        return self._index_facts

    def warm(self, *, every_intent: bool = False) -> None:
        """Read now what questions would read first: the vectors and the words, and with
        `every_intent` the passages of every intent's kind (seconds at 100,000 passages, a
        millisecond for a profile: worth it before a server's first visitor, not for one
        question)."""
        self.rank("warm up")
        if not every_intent:
            return
        derived, chunks = self._derived(), self.store.get(sorted(self.store.ids()))
        for intent in INTENTS:
            derived.of_kind(intent, self.store, chunks)

    def continuation(self, hit: Hit) -> Hit | None:
        """The passage that goes on with `hit`'s text, where a story runs on (its result,
        often): a story's overflow, the next part of a long passage ("Title (2/3)"), or the
        next passage under a document's heading that opens with the same lead ("STAR example
        — …: Situation … Task …", then "STAR example — …: Action … Result …")."""
        derived = self._derived()
        if derived.sections is None:
            chunks = self.store.get(sorted(self.store.ids()))
            derived.sections = {(c.source, c.section): cid for cid, c in chunks.items()}
        base, _, place = hit.section.rpartition("#")
        head, _, last = place.rpartition(".")
        after = [f"{hit.section}{_OVERFLOW}"]
        part = _PART.search(hit.title)
        if base and last.isdigit():
            after.append(f"{base}#{head + '.' if head else ''}{int(last) + 1}")
        lead = hit.text.partition(": ")[0]
        for section in after:
            cid = derived.sections.get((hit.source, section))
            if not cid or cid == hit.id:
                continue
            chunk = self.store.get([cid]).get(cid)
            if chunk and (section.endswith(_OVERFLOW) or part or (
                    chunk.title == hit.title and len(lead) < len(hit.text)
                    and chunk.text.startswith(f"{lead}: "))):
                return Hit(cid, chunk.title, chunk.text, hit.score, chunk.source,
                           chunk.section, chunk.kind, hit.similarity, hit.verdict)
        return None

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        hits, verdict = self.decide(query, k, mode)
        if verdict == "uncovered" or (verdict == "borderline" and not self.keep_borderline):
            return []
        return hits

    def decide(self, query: str, k: int | None = None,
               mode: Mode = "hybrid") -> tuple[list[Hit], Verdict]:
        """The best passages and whether the profile covers the question."""
        hits, chance = self.rank(query, k, mode)
        decision = self.models.decision
        verdict: Verdict = ("covered" if chance >= decision.covered else
                            "borderline" if chance >= decision.borderline else "uncovered")
        return [replace(hit, verdict=verdict) for hit in hits], verdict

    def candidates(self, query: str, mode: Mode = "hybrid") -> Candidates:
        """The passages worth ranking for a question and each one's signals (`ranking.py`)."""
        probe = Query(query, self.closeness.vectors([query])[0])
        dense = self.store.dense(probe, CANDIDATES) if mode != "bm25" else []
        derived = self._derived()
        vocabulary = derived.terms
        # the words read as the profile spells them, a time of speaking as "now" ("at the
        # moment" is no misspelt "ment")
        query = spelled(" ".join(NOW.sub(" now ", query).split()), vocabulary)
        keyword = self.store.keyword(query, CANDIDATES) if mode != "dense" else []
        names = [n for n in named_terms(query, vocabulary) if known_term(n, vocabulary)]
        asked = intents(query)
        kinds = [derived.of_kind(intent, self.store)[1] for intent in asked]
        ids = list(dict.fromkeys([cid for cid, _ in dense] + [cid for cid, _ in keyword]))
        similarity = dict(dense)
        similarity.update(self.store.similarity(
            probe, [cid for cid in ids if cid not in similarity]))
        chunks = self.store.get(ids)
        ids = [cid for cid in ids if cid in chunks]
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense)}
        keyword_rank = {cid: r for r, (cid, _) in enumerate(keyword)}
        keyword_score = dict(keyword)
        top_keyword = max(keyword_score.values(), default=0.0) or 1.0
        best = max(similarity.values(), default=0.0)
        topic = topic_terms(query)
        asked_stems = {s for term in topic for s in stems(term)}
        places = derived.place(self.store)
        role = "role" in asked or "history" in asked
        # a long passage is as close as its closest sentence: one fact among several
        told = {cid: sentences(chunks[cid].text)[:SENTENCES_WEIGHED] or [chunks[cid].text]
                for cid in ids}
        near = iter(self.closeness(query, [t for cid in ids for t in told[cid]]).tolist())
        closest = {cid: max(next(near) for _ in told[cid]) for cid in ids}
        nearest = max(closest.values(), default=0.0)
        rows = np.zeros((len(ids), len(PASSAGE_SIGNALS)))
        overlaps = []
        for row, cid in enumerate(ids):
            chunk = chunks[cid]
            held = stems(f"{chunk.title} {chunk.text}")
            early = 1.0 - places.get(cid, 1.0)
            overlaps.append(len(asked_stems & held) / len(asked_stems) if asked_stems else 0.0)
            rows[row] = (
                similarity.get(cid, 0.0), similarity.get(cid, 0.0) - best,
                1.0 / (1 + dense_rank.get(cid, CANDIDATES)),
                keyword_score.get(cid, 0.0) / top_keyword,
                1.0 / (1 + keyword_rank[cid]) if cid in keyword_rank else 0.0,
                len(asked_stems & held) / len(asked_stems) if asked_stems else 0.0,
                len(asked_stems & stems(chunk.title)) / len(asked_stems) if asked_stems else 0.0,
                float(any(cid in kind for kind in kinds)),
                float(bool(names) and mentions(f"{chunk.title} {chunk.text}", names)),
                math.log1p(len(chunk.text)) / 8.0, early, early * (not topic),
                float(role and bool(PRESENT.search(f"{chunk.title} {chunk.text}"))),
                closest[cid], closest[cid] - nearest)
        # a country the profile writes another way ("U.S." for "the United States") is one it
        # names
        named = as_written(query, lambda name: any(_writes(f"{c.title} {c.text}", name)
                                                   for c in chunks.values()))
        unknown = [t for t in topic_terms(named) if not known_term(t, vocabulary)]
        question = {
            "best_cosine": best,
            "coverage": _coverage(named, vocabulary, derived.passages, {
                word for word in intent_words(
                    query, [i for i, kind in zip(asked, kinds, strict=True) if kind])
                if not known_term(word, vocabulary)}),
            "topicless": float(not topic),
            # where a relocation question would take the owner ("to Denver?") is asked about,
            # not presumed in the profile: the owner's relocation plans answer it
            "missing_name": float(bool(missing_names(named, vocabulary))
                                  and "relocation" not in asked),
            "intent_passages": float(any(kinds)),
            "addressed": float(bool(_ADDRESSED.search(query))),
            "best_overlap": max(overlaps, default=0.0),
            "missing_phrase": float(_missing_phrase(named, chunks, vocabulary)),
            "unknown_term": float(bool(unknown)),
        }
        # "Do you play chess?" asks whether the profile says something: when it holds none of
        # the words, the answer is not in it (a yes-or-no question, by its first word)
        yes_no = float(bool(_YES_NO.search(query)))
        question.update(yes_no=yes_no, yes_no_coverage=yes_no * question["coverage"],
                        yes_no_overlap=yes_no * question["best_overlap"])
        if not in_english(query):  # asked of the owner, and its capitals name nothing missing
            question.update(addressed=1.0, missing_name=0.0, missing_phrase=0.0, yes_no=0.0,
                            yes_no_coverage=0.0, yes_no_overlap=0.0)
        return Candidates(ids, chunks, rows, similarity, question, asked)

    def rank(self, query: str, k: int | None = None,
             mode: Mode = "hybrid") -> tuple[list[Hit], float]:
        """The best `k` passages by the fitted ranker, and the chance the profile covers the
        question (the fitted decision over the question's evidence)."""
        hits, chance, _ = self.weigh(query, k, mode)
        return hits, chance

    def weigh(self, query: str, k: int | None = None, mode: Mode = "hybrid"
              ) -> tuple[list[Hit], float, dict[str, float]]:
        """`rank`, and the question's signals by name (QUESTION_SIGNALS, and the best
        passage's), for a decision of one's own (`fit.py`)."""
        k = k or self.top_k
        found = self.candidates(query, mode)
        if not found.ids:
            return [], 0.0, {}
        if mode == "hybrid":
            scores = 1.0 / (1.0 + np.exp(-self.models.ranker.logits(found.rows)))
        else:  # one signal alone, for comparison: cosine or BM25
            scores = found.rows[:, 0 if mode == "dense" else 3]
        order = [int(i) for i in np.argsort(-scores, kind="stable")]
        # the fitted ranker weighs similarity itself; cosine alone keeps its floor
        # someone else's words (a reference) answer only a question about what others say
        theirs = "references" in found.asked
        kept = [i for i in order if (mode != "dense"
                or found.similarity.get(found.ids[i], -1.0) >= self.min_score)
                and (theirs or found.chunks[found.ids[i]].kind != "reference")][:k]
        ranked = in_part_order([found.ids[i] for i in kept], found.chunks)
        score = {found.ids[i]: float(scores[i]) for i in kept}
        hits = [Hit(cid, found.chunks[cid].title, found.chunks[cid].text, score[cid],
                    found.chunks[cid].source, found.chunks[cid].section, found.chunks[cid].kind,
                    found.similarity.get(cid, 0.0)) for cid in ranked]
        evidence = found.evidence(scores[order[:2]])
        chance = self.models.decision.chance(evidence)
        named = dict(zip(QUESTION_SIGNALS, (float(x) for x in evidence), strict=True))
        named.update({f"top_{name}": float(found.rows[order[0]][n])
                      for n, name in enumerate(PASSAGE_SIGNALS)})
        return hits, chance, named
