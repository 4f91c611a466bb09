"""Fit the ranker and the coverage decision (`digital_twin/ranking.py`) on the development split,
then measure both splits. Nothing is fitted or chosen on the held-out split.

    .venv/bin/python eval/fit.py            # fit, write src/digital_twin/ranking.json, report
    .venv/bin/python eval/fit.py --check    # report the shipped models only

The development split is the corpus's dev cases, the bundled examples' sets (`examples/eval`),
the shared professions set and the shared workshop set (when `../shared` is beside the
repository); the held-out split is
`eval/corpus/heldout.jsonl`. The report is one JSON object: for each split, recall@5 of plain
cosine top 5, of BM25 alone and of the fitted ranker, and the decision's trade-off.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from digital_twin.composing import choose, compose, sentence_signals
from digital_twin.config import Settings
from digital_twin.conversation import answerable_part, retrieval_query, subject
from digital_twin.embeddings import Closeness, load_embedder
from digital_twin.evaluation import Case, load_cases
from digital_twin.indexer import Indexer
from digital_twin.prompting import Persona
from digital_twin.providers import Request
from digital_twin.ranking import (
    MODEL_FILE,
    PASSAGE_SIGNALS,
    QUESTION_SIGNALS,
    SENTENCE_SIGNALS,
    Decision,
    Linear,
    Models,
    fitted,
)
from digital_twin.retrieval import Hit, Retriever
from digital_twin.stores import open_stores

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
DEV = [ROOT / "eval/corpus/dev.jsonl", *sorted((ROOT / "examples/eval").glob("*.jsonl")),
       SHARED / "professions/cases.jsonl", SHARED / "cases.jsonl"]
HELDOUT = [ROOT / "eval/corpus/heldout.jsonl"]
TARGET_FALSE_DECLINES = 0.03  # honest questions declined, at most (leave-one-profile-out)
K = 5


def _has(text: str, needles: list[str]) -> bool:
    return any(n.lower() in text.lower() for n in needles)


def gather(paths: list[Path], settings: Settings, embedder) -> list[dict]:
    """For every case: its profile, its candidates' signals and which candidates answer."""
    by_profile: dict[Path, list[Case]] = defaultdict(list)
    for path in paths:
        if path.is_file():
            for case in load_cases(path):
                by_profile[case.profile].append(case)
    seen = []
    with tempfile.TemporaryDirectory(prefix="twin-fit-") as tmp:
        for number, (profile, cases) in enumerate(by_profile.items()):
            stores = open_stores(settings.model_copy(update={
                "db": Path(tmp) / f"{number}.db", "database_url": None, "upstash_url": None}))
            try:
                Indexer(stores.index, embedder, settings.private_fields).ingest([profile])
                retriever = Retriever(stores.index, embedder)
                for case in cases:
                    turns = conversation(case.history, retriever)
                    found = retriever.candidates(retrieval_query(case.question, turns))
                    labels = np.asarray([_has(found.chunks[c].text, case.expect_any)
                                         for c in found.ids], dtype=bool)
                    seen.append({"profile": profile.name, "case": case, "found": found,
                                 "labels": labels, "subject": subject(case.question, turns)})
            finally:
                stores.close()
    return seen


def conversation(history: list[str], retriever: Retriever) -> list[dict]:
    """The turns before a follow-up as the twin has them: each earlier question and the
    extractive answer the shipped models give it."""
    turns: list[dict] = []
    for question in history:
        hits = retriever.search(retrieval_query(question, turns))
        answer, _ = compose(Request(question, hits, [], Persona(), subject=subject(question, turns),
                                    closeness=retriever.closeness))
        turns += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return turns


def fit_linear(rows: np.ndarray, labels: np.ndarray, names: tuple[str, ...],
               c: float = 1.0) -> Linear:
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit((rows - mean) / scale, labels)
    return Linear(names, model.coef_[0].astype(np.float64), float(model.intercept_[0]), mean,
                  scale)


def recall(seen: list[dict], score) -> float | None:
    """Share of answerable cases with an answering passage among the top K by `score`."""
    hits = []
    for item in seen:
        if not item["case"].answerable:
            continue
        scores = score(item["found"].rows)
        top = np.argsort(-scores, kind="stable")[:K]
        hits.append(bool(item["labels"][top].any()) if len(top) else False)
    return round(sum(hits) / len(hits), 3) if hits else None


def top_hits(item: dict, ranker: Linear) -> list[Hit]:
    """The K best passages as the retriever would return them (scores as probabilities)."""
    found = item["found"]
    if not found.ids:
        return []
    scores = 1 / (1 + np.exp(-ranker.logits(found.rows)))
    hits = []
    for i in np.argsort(-scores, kind="stable")[:K]:
        chunk = found.chunks[found.ids[i]]
        hits.append(Hit(found.ids[i], chunk.title, chunk.text, float(scores[i]), chunk.source,
                        chunk.section, chunk.kind))
    return hits


def sentence_data(seen: list[dict], ranker: Linear,
                  closeness: Closeness) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for item in seen:
        case = item["case"]
        if not case.answerable:
            continue
        found, signals = sentence_signals(answerable_part(case.question), top_hits(item, ranker),
                                          closeness)  # as `choose` weighs them
        rows.append(signals)
        labels += [_has(text, case.expect_any) for _, _, text in found]
    return np.vstack(rows), np.asarray(labels, dtype=bool)


def answered(seen: list[dict], models: Models, closeness: Closeness) -> float:
    """Share of answerable cases whose chosen sentences hold an expected string (the
    extractive answer, before the decision and the special cases)."""
    good = []
    for item in seen:
        case = item["case"]
        if case.answerable:
            chosen = choose(answerable_part(case.question), top_hits(item, models.ranker),
                            subject=item["subject"], models=models, closeness=closeness)
            good.append(_has(" ".join(t for _, t in chosen), case.expect_any))
    return round(sum(good) / len(good), 3) if good else None


def evidence(seen: list[dict], ranker: Linear) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The decision's rows: one per case that is answerable or uncovered."""
    rows, labels, profiles = [], [], []
    kept = []
    for item in seen:
        case = item["case"]
        if not (case.answerable or case.expect_decline):
            continue
        found = item["found"]
        scores = (1 / (1 + np.exp(-ranker.logits(found.rows)))) if found.ids else np.zeros(0)
        rows.append(found.evidence(np.sort(scores)[::-1][:2]))
        labels.append(case.answerable)
        profiles.append(item["profile"])
        kept.append(item)
    evidence.items = kept  # the cases in row order, for --errors
    return (np.asarray(rows).reshape(-1, len(QUESTION_SIGNALS)), np.asarray(labels, dtype=bool),
            profiles)


def out_of_fold(rows: np.ndarray, labels: np.ndarray, profiles: list[str]) -> np.ndarray:
    """Each case's chance of being covered from a model fitted without its profile."""
    chances = np.zeros(len(labels))
    for profile in sorted(set(profiles)):
        held = np.asarray([p == profile for p in profiles])
        model = fit_linear(rows[~held], labels[~held], QUESTION_SIGNALS)
        chances[held] = 1 / (1 + np.exp(-model.logits(rows[held])))
    return chances


def threshold(chances: np.ndarray, labels: np.ndarray, false_declines: float) -> float:
    """The highest threshold declining at most `false_declines` of the answerable cases."""
    answerable = np.sort(chances[labels])
    allowed = int(np.floor(false_declines * len(answerable)))
    return float(answerable[allowed]) - 1e-6 if len(answerable) else 0.5


def tradeoff(chances: np.ndarray, labels: np.ndarray, thresholds: list[float]) -> list[dict]:
    rows = []
    for t in thresholds:
        declined = chances < t
        rows.append({"threshold": round(t, 3),
                     "uncovered_declined": round(float(declined[~labels].mean()), 3)
                     if (~labels).any() else None,
                     "honest_declined": round(float(declined[labels].mean()), 3)
                     if labels.any() else None})
    return rows


def main() -> None:
    check = "--check" in sys.argv
    settings = Settings(provider="extractive")
    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    closeness = Closeness(embedder)
    dev, held = gather(DEV, settings, embedder), gather(HELDOUT, settings, embedder)
    if check:
        models = fitted()
    else:
        rows = np.vstack([i["found"].rows for i in dev if i["case"].answerable
                          and len(i["found"].ids)])
        labels = np.concatenate([i["labels"] for i in dev if i["case"].answerable
                                 and len(i["found"].ids)])
        ranker = fit_linear(rows, labels, PASSAGE_SIGNALS)
        erows, elabels, profiles = evidence(dev, ranker)
        oof = out_of_fold(erows, elabels, profiles)
        covered = threshold(oof, elabels, TARGET_FALSE_DECLINES)
        borderline = threshold(oof, elabels, 0.0)
        decision = Decision(fit_linear(erows, elabels, QUESTION_SIGNALS), covered,
                            min(borderline, covered))
        srows, slabels = sentence_data(dev, ranker, closeness)
        models = Models(ranker, decision, fit_linear(srows, slabels, SENTENCE_SIGNALS))
        path = ROOT / "src/digital_twin" / MODEL_FILE
        path.write_text(json.dumps({"ranker": ranker.to_dict(), "decision": {
            "model": decision.model.to_dict(), "covered": round(covered, 4),
            "borderline": round(decision.borderline, 4)},
            "sentences": models.sentences.to_dict()}, indent=1) + "\n")
    report = {}
    for name, seen in (("development", dev), ("held_out", held)):
        erows, elabels, _ = evidence(seen, models.ranker)
        chances = (1 / (1 + np.exp(-models.decision.model.logits(erows)))
                   if len(erows) else np.zeros(0))
        report[name] = {
            "profiles": len({i["profile"] for i in seen}),
            "answerable": sum(i["case"].answerable for i in seen),
            "uncovered": sum(i["case"].expect_decline for i in seen),
            "recall_at_5": {"cosine": recall(seen, lambda r: r[:, 0]),
                            "bm25": recall(seen, lambda r: r[:, 3]),
                            "fitted": recall(seen, models.ranker.logits)},
            "sentences_answer": answered(seen, models, closeness),
            "decision": tradeoff(chances, elabels, sorted({models.decision.borderline,
                                                           models.decision.covered,
                                                           0.3, 0.4, 0.5, 0.6})),
        }
    if "--errors" in sys.argv:
        erows, elabels, _ = evidence(dev, models.ranker)
        chances = 1 / (1 + np.exp(-models.decision.model.logits(erows)))
        wrong = [(float(c), bool(lab), i["profile"], i["case"].question, list(np.round(r, 2)))
                 for c, lab, i, r in zip(chances, elabels, evidence.items, erows, strict=True)
                 if (c >= models.decision.covered) != lab]
        for row in sorted(wrong):
            print(row, file=sys.stderr)
        for item in dev:
            if item["case"].answerable and len(item["found"].ids):
                top = np.argsort(-models.ranker.logits(item["found"].rows))[:K]
                if not item["labels"][top].any():
                    print("MISS", item["profile"], item["case"].question,
                          item["case"].expect_any, file=sys.stderr)
    report["weights"] = {"ranker": models.ranker.to_dict()["weights"],
                         "decision": models.decision.model.to_dict()["weights"],
                         "sentences": models.sentences.to_dict()["weights"],
                         "covered": models.decision.covered,
                         "borderline": models.decision.borderline}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
