"""Gather the per-profile case files into the development and held-out splits.

The held-out profiles were chosen before any case was read: the third, sixth and ninth of each
writer's list of nine, in the second round (nine more profiles, three writers) the third of
each writer's three, and in the third to ninth rounds (six profiles each, one writer)
the third and the sixth.
Nothing is fitted or tuned on them.

Each split also gets a midway set (`dev_midway.jsonl`, `heldout_midway.jsonl`): every honest
question that opens a conversation in the split, asked instead after another question about
the same profile (one about a detail or a figure), as a visitor asks it in the middle of a
chat. Its answer must not lean on the question before.

    python eval/corpus/split.py
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
HELD_OUT = {"plumber", "accountant", "city_planner", "physiotherapist", "social_worker",
            "airline_pilot", "civil_engineer", "police_detective", "wind_technician",
            "supply_chain_analyst", "hospital_administrator", "tax_inspector",
            # the second round's writers wrote three profiles each; the third of each is held out
            "electrician_apprentice", "hotel_general_manager", "firefighter",
            # the third round's writer wrote six profiles; the third and the sixth are held out
            "hvac_technician", "wedding_photographer",
            # and so did the fourth round's
            "truck_driver", "salon_owner",
            # and the fifth's
            "game_developer", "fundraiser",
            # and the sixth's
            "air_traffic_controller", "winemaker",
            # and the seventh's
            "marine_engineer", "occupational_therapist",
            # and the eighth's
            "railway_signalling_technician", "choreographer",
            # and the ninth's
            "investment_banker", "barista_trainer"}

splits: dict[str, list[str]] = {"dev": [], "heldout": []}
for path in sorted((HERE / "cases").glob("*.jsonl")):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        json.loads(line)  # each line must be a case
    splits["heldout" if path.stem in HELD_OUT else "dev"] += lines


def midway(lines: list[str]) -> list[str]:
    """The split's honest opening questions, each after another question of its profile."""
    cases = [json.loads(line) for line in lines]
    openers: dict[str, list[str]] = {}
    for case in cases:
        if case.get("kind") in ("detail", "number") and not case.get("history"):
            openers.setdefault(case["profile"], []).append(case["question"])
    asked = []
    for number, case in enumerate(cases):
        before = [q for q in openers.get(case["profile"], []) if q != case["question"]]
        if case.get("history") or not case.get("expect_any") or not before \
                or case.get("kind") in ("injection", "private", "uncovered"):
            continue
        asked.append(json.dumps({**case, "history": [before[number % len(before)]]},
                                ensure_ascii=False))
    return asked


for name, lines in splits.items():
    for file, kept in ((name, lines), (f"{name}_midway", midway(lines))):
        (HERE / f"{file}.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
        print(f"{file}: {len(kept)} cases")
