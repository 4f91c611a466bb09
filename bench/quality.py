"""Answer quality: `twin eval --json` on the real-profile development set and the project's own
sets, with the extractive provider. Prints one JSON object keyed by case file.

    python bench/quality.py [--details] [--tradeoff]

`--tradeoff` adds, for several settings of the relevance decision, the share of uncovered
questions declined against the share of answerable ones wrongly declined, on all the sets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from digital_twin.config import Settings
from digital_twin.evaluation import load_cases, report, run, tradeoff
from digital_twin.relevance import Policy

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).parents[1].parent / "shared/eval/cases.jsonl"
OWN = sorted((ROOT / "examples" / "eval").glob("*.jsonl"))

POLICIES = {
    "names only": Policy(min_coverage=0.0, names_outweighed=1.01, dense_covered=2.0),
    "lenient": Policy(min_coverage=0.25, borderline_coverage=0.2, dense_covered=0.45),
    "default": Policy(),
    "strict": Policy(min_coverage=0.75, dense_covered=0.65),
    "strictest": Policy(min_coverage=1.0, names_outweighed=2.0, dense_covered=2.0),
    "no missing-name rule": Policy(names_outweighed=0.0),
    "no intents": Policy(use_intents=False),
    "dense only (cosine 0.4)": Policy(min_coverage=2.0, names_outweighed=0.0, use_intents=False,
                                      dense_covered=0.4),
}


def main() -> None:
    args = sys.argv[1:]
    settings = Settings(provider="extractive")
    sets = ([SHARED] if SHARED.is_file() else []) + OWN
    results: dict = {}
    for path in sets:
        results[path.name] = report(run(load_cases(path), settings),
                                    details="--details" in args)
    if not SHARED.is_file():
        results["skipped"] = f"{SHARED} is absent"
    if "--tradeoff" in args:
        results["tradeoff"] = {path.name: tradeoff(load_cases(path), settings, POLICIES)
                               for path in sets}
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
