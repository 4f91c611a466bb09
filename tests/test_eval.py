"""`twin eval` on the project's own case sets, with the thresholds `make test` holds it to."""

from __future__ import annotations

import json

import pytest

from digital_twin.evaluation import Case, load_cases, missed, score

from .conftest import ROOT
from .test_cli import env, run  # noqa: F401  (`env`: the CLI's settings, a fixture)

SETS = sorted((ROOT / "examples" / "eval").glob("*.jsonl"))
pytestmark = pytest.mark.usefixtures("env")


def test_every_set_has_answerable_and_uncovered_cases_in_its_profile():
    assert len(SETS) >= 4
    for path in SETS:
        cases = load_cases(path)
        assert sum(c.expect_decline for c in cases) >= 3
        for case in cases:
            if case.expect_decline:
                continue
            text = case.profile.read_text(encoding="utf-8").lower()
            assert any(s.lower() in text for s in case.expect_any), (path, case.question)


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_own_sets_meet_their_thresholds(path):
    # the figures the fitted models reach on these small sets (see eval/fit.py for the corpus)
    result = run("eval", str(path), "--json", "--min-recall", "0.9", "--min-pass", "0.85",
                 "--max-false-decline", "0.1", "--min-decline", "0.75", "--max-leaks", "0")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall"]["cases"] == len(load_cases(path))
    assert set(data["profiles"]) == {load_cases(path)[0].profile.name}


def test_a_missed_threshold_exits_non_zero_and_says_which():
    result = run("eval", str(SETS[0]), "--min-recall", "1.5")
    assert result.exit_code == 1
    assert "recall_at_k" in result.output


def test_scoring_rules():
    case = Case(ROOT, "q", expect_any=["Acme"], expect_none=["Globex"])
    assert score(case, "I work at Acme. [1]", 1, ["Acme Corp"]) == (True, True, False, False)
    assert score(case, "I work at Acme and Globex.", 1, []) == (False, False, False, True)
    declined = "My profile doesn't cover that."
    assert score(case, declined, 0, ["Acme"])[1:3] == (False, True)
    uncovered = Case(ROOT, "q", expect_decline=True)
    assert score(uncovered, declined, 0, [])[1] is True
    assert score(uncovered, declined, 2, [])[1] is False  # a decline cites nothing
    assert missed({"pass_rate": 0.8, "leaks": 1}, {"min_pass": 0.9, "max_leaks": 0}) == [
        "pass_rate is 0.8, expected ≥ 0.9", "leaks is 1, expected ≤ 0"]


def test_bad_case_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "cases.jsonl"
    bad.write_text('{"question": "no profile"}\n')
    result = run("eval", str(bad))
    assert result.exit_code == 1 and "line 1" in result.output
