"""Answer quality: `twin eval --json` on the real-profile development set and the project's own
sets, with the extractive provider. Prints one JSON object keyed by case file.

    python bench/quality.py [--details]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from digital_twin.config import Settings
from digital_twin.evaluation import load_cases, report, run

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).parents[1].parent / "shared/eval/cases.jsonl"
OWN = sorted((ROOT / "examples" / "eval").glob("*.jsonl"))


def main() -> None:
    details = "--details" in sys.argv[1:]
    settings = Settings(provider="extractive")
    results = {}
    for path in ([SHARED] if SHARED.is_file() else []) + OWN:
        results[path.name] = report(run(load_cases(path), settings), details=details)
    if not SHARED.is_file():
        results["skipped"] = f"{SHARED} is absent"
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
