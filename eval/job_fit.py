"""How well `twin fit` reads job postings and judges a profile against them, on labelled pairs
(`eval/fit/`: postings, their requirements copied verbatim with their kind, and posting-profile
pairs labelled meets / partly / not with quoted evidence, each written by someone who did not see
the code). Prints JSON, the development and held-out postings side by side.

    python eval/job_fit.py [--details]       # the figures
    python eval/job_fit.py --fit             # fit the two verdict models on development

The held-out postings are never used to choose anything.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from digital_twin import fit as fitting  # noqa: E402
from digital_twin.config import Settings  # noqa: E402
from digital_twin.embeddings import load_embedder  # noqa: E402
from digital_twin.postings import requirements  # noqa: E402
from digital_twin.service import Twin  # noqa: E402

FIT = ROOT / "eval" / "fit"
PROFILES = ROOT / "eval" / "corpus" / "profiles"
HELD_OUT = {"staff_accountant", "social_worker_child_protection", "fleet_operations_manager",
            "pipe_welder", "sports_physiotherapist", "urban_planner", "hr_manager"}
GOLD = {"meets": "meets", "partly": "partly", "not": "not in profile"}


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def same(gold: str, found: str) -> bool:
    """Whether an extracted requirement is the labelled one (its words, in any cut)."""
    a, b = words(gold), words(found)
    return (len(a & b) / max(1, len(a | b)) >= 0.6 or gold.lower().rstrip(".") in found.lower()
            or found.lower() in gold.lower())


def flat(text: str) -> str:
    """Text compared as words: no case, punctuation or line breaks."""
    return " ".join(re.findall(r"\w+", text.lower()))


def posting(stem: str) -> Path:
    return next((FIT / "postings").glob(f"{stem}.*"))


def matched(gold: list[dict], found: list) -> list[tuple[dict, int | None]]:
    used: set[int] = set()
    pairs = []
    for item in gold:
        at = next((i for i, r in enumerate(found) if i not in used and same(item["text"], r.text)),
                  None)
        if at is not None:
            used.add(at)
        pairs.append((item, at))
    return pairs


def extraction(stems: list[str]) -> dict:
    gold = found = kinds = extracted = 0
    for stem in stems:
        wanted = json.loads((FIT / "requirements" / f"{stem}.json").read_text())["requirements"]
        got = requirements(posting(stem).read_text())
        extracted += len(got)
        for item, at in matched(wanted, got):
            gold += 1
            if at is not None:
                found += 1
                kinds += got[at].kind == item["kind"]
    return {"postings": len(stems), "labelled": gold, "found": round(found / gold, 3),
            "kind_right": round(kinds / max(1, found), 3),
            "precision": round(found / max(1, extracted), 3)}


def judged(pairs: list[Path]) -> list[tuple[str, str, str, float, int, bool]]:
    """(posting, kind, gold verdict, chance, evidence count, evidence echoes the posting) for
    each labelled requirement the reader found."""
    settings = Settings(_env_file=None)
    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    rows = []
    with tempfile.TemporaryDirectory(prefix="twin-fit-") as tmp:
        by_profile: dict[str, list[dict]] = {}
        for path in pairs:
            label = json.loads(path.read_text())
            by_profile.setdefault(label["profile"], []).append(label)
        for number, (profile, labels) in enumerate(sorted(by_profile.items())):
            twin = Twin(settings.model_copy(update={
                "db": Path(tmp) / f"fit{number}.db", "database_url": None, "upstash_url": None,
                "cache": "off", "provider": "extractive"}), embedder=embedder)
            try:
                twin.ingest([PROFILES / profile], reset=True)
                for label in labels:
                    stem = Path(label["posting"]).stem
                    text = posting(stem).read_text()
                    result = twin.fit(text)
                    found = [a.requirement for a in result.items]
                    for item, at in matched(label["labels"], found):
                        if at is None:
                            continue
                        got = result.items[at]
                        echoes = any(len(e.text.split()) >= 8 and flat(e.text) in flat(text)
                                     for e in got.shown)
                        rows.append((stem, item["kind"], GOLD[item["verdict"]], got.signals,
                                     bool(got.evidence), echoes, got.years, label["profile"],
                                     got.verdict))
            finally:
                twin.close()
    return rows


def accuracy(rows, said: list[str] | None = None) -> dict:
    """How many verdicts are right (`said`: other verdicts than the twin's own, to compare)."""
    said = said or [r[8] for r in rows]
    right = sum(s == r[2] for s, r in zip(said, rows, strict=True))
    return {"judged": len(rows), "verdicts_right": round(right / max(1, len(rows)), 3),
            "said_meets_when_not_in_profile": sum(
                s == "meets" and r[2] == "not in profile" for s, r in zip(said, rows, strict=True)),
            "evidence_echoing_the_posting": sum(r[5] for r in rows)}


def matrix(rows, names: list[str]) -> np.ndarray:
    return np.asarray([[r[3].get(n, 0.0) for n in names] for r in rows])


def predicted(rows, model: fitting.Model) -> list[str]:
    return [fitting.judge(model.chances(r[3]) if r[4] else (0.0, 0.0), r[6]) for r in rows]


def train(rows, strength: float) -> fitting.Model:
    """The two logistic models on `rows` (those with evidence; the others are never met)."""
    from sklearn.linear_model import LogisticRegression

    rows = [r for r in rows if r[4]]
    names = list(fitting.FEATURES)
    x = matrix(rows, names)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    x = (x - mean) / scale
    models = []
    for target in ({"partly", "meets"}, {"meets"}):
        y = np.asarray([r[2] in target for r in rows])
        fitted = LogisticRegression(C=strength, max_iter=2000).fit(x, y)
        models.append((fitted.coef_[0], float(fitted.intercept_[0])))
    return fitting.Model(tuple(names), mean, scale, models[0], models[1])


def fit_model(rows) -> tuple[fitting.Model, float, float]:
    """The regularization that judges best across postings left out one at a time, then the
    model on every development row with it."""
    postings = sorted({r[0] for r in rows})
    scores = {}
    for strength in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0):
        said, gold = [], []
        for left_out in postings:
            model = train([r for r in rows if r[0] != left_out], strength)
            kept = [r for r in rows if r[0] == left_out]
            said += predicted(kept, model)
            gold += [r[2] for r in kept]
        scores[strength] = sum(s == g for s, g in zip(said, gold, strict=True)) / len(gold)
    strength = max(scores, key=lambda c: (scores[c], -c))
    return train(rows, strength), strength, round(scores[strength], 3)


def save(model: fitting.Model, path: Path = fitting.MODEL) -> None:
    path.write_text(json.dumps({
        "names": list(model.names), "mean": [round(float(v), 6) for v in model.mean],
        "scale": [round(float(v), 6) for v in model.scale],
        **{name: {"weights": [round(float(v), 6) for v in w], "bias": round(b, 6)}
           for name, (w, b) in (("partly", model.partly), ("meets", model.meets))}},
        indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit the thresholds on development")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    stems = sorted(p.stem for p in (FIT / "requirements").glob("*.json"))
    dev = [s for s in stems if s not in HELD_OUT]
    held = [s for s in stems if s in HELD_OUT]
    labels = sorted((FIT / "labels").glob("*.json"))
    rows = judged(labels)
    dev_rows = [r for r in rows if r[0] not in HELD_OUT]
    held_rows = [r for r in rows if r[0] in HELD_OUT]
    out: dict = {}
    if args.fit:
        model, strength, cross_validated = fit_model(dev_rows)
        save(model)
        fitting.model.cache_clear()
        out["fitted"] = {"C": strength, "development_left_one_posting_out": cross_validated}
        dev_said, held_said = predicted(dev_rows, model), predicted(held_rows, model)
    else:
        dev_said = held_said = None
    out["development"] = {**extraction(dev), **accuracy(dev_rows, dev_said)}
    out["held_out"] = {**extraction(held), **accuracy(held_rows, held_said)}
    if args.details:
        out["rows"] = [[r[0], r[7], r[1], r[2], r[8]] for r in dev_rows]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
