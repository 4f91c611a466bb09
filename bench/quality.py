"""Answer quality: `twin eval` with the extractive provider on every set the project has, the
development sets and the held-out one reported apart. Prints one JSON object keyed by set.

    python bench/quality.py [--details]

The sets: the corpus's development and held-out splits (`eval/corpus/`), the bundled examples'
sets (`examples/eval/`), and, when `../shared` is beside the repository, the shared workshop and
professions sets. `python eval/fit.py --check` adds the search's recall against plain cosine
and BM25 and the coverage decision's trade-off on both splits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from digital_twin.config import Settings
from digital_twin.evaluation import load_cases, report, run

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "held_out": ROOT / "eval/corpus/heldout.jsonl",
    "development": ROOT / "eval/corpus/dev.jsonl",
    **{f"examples/{p.stem}": p for p in sorted((ROOT / "examples/eval").glob("*.jsonl"))},
    "shared": SHARED / "cases.jsonl",
    "shared_professions": SHARED / "professions/cases.jsonl",
}


def main() -> None:
    settings = Settings(provider="extractive")
    results: dict = {}
    for name, path in SETS.items():
        if not path.is_file():
            results[name] = f"skipped: {path} is absent"
            continue
        data = report(run(load_cases(path), settings), details="--details" in sys.argv)
        results[name] = {key: data[key] for key in ("overall", "kinds", "failures") if key in data}
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
