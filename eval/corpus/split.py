"""Gather the per-profile case files into the development and held-out splits.

The held-out profiles were chosen before any case was read: the third, sixth and ninth of each
writer's list of nine. Nothing is fitted or tuned on them.

    python eval/corpus/split.py
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
HELD_OUT = {"plumber", "accountant", "city_planner", "physiotherapist", "social_worker",
            "airline_pilot", "civil_engineer", "police_detective", "wind_technician",
            "supply_chain_analyst", "hospital_administrator", "tax_inspector"}

splits: dict[str, list[str]] = {"dev": [], "heldout": []}
for path in sorted((HERE / "cases").glob("*.jsonl")):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        json.loads(line)  # each line must be a case
    splits["heldout" if path.stem in HELD_OUT else "dev"] += lines
for name, lines in splits.items():
    (HERE / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{name}: {len(lines)} cases")
