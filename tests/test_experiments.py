"""A/B experiments: sessions split by weight and kept on their variant; each variant answers
with its own model, temperature and prompt style; figures per variant with their intervals."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter

import pytest
from typer.testing import CliRunner

from digital_twin.cli import app
from digital_twin.config import Settings
from digital_twin.experiments import Experiment, assign
from digital_twin.prompting import STYLES
from digital_twin.service import Twin

QUESTION = "Which cloud platforms have you used?"


def sessions(count: int, seed: int = 2026) -> list[str]:
    """Session ids as the server makes them (random UUIDs), from a seeded generator so a
    statistical test gives the same verdict on every run."""
    rng = random.Random(seed)
    return [uuid.UUID(int=rng.getrandbits(128), version=4).hex for _ in range(count)]


def experiment(**weights: float) -> Experiment:
    return Experiment(name="models", variants=[
        {"name": name, "weight": weight} for name, weight in weights.items()])


@pytest.mark.parametrize("weights", [{"a": 1, "b": 1}, {"a": 7, "b": 2, "c": 1}])
def test_assignment_matches_the_weights_over_ten_thousand_sessions(weights):
    running = experiment(**weights)
    counts = Counter(assign(running, session).name for session in sessions(10_000))
    total = sum(weights.values())
    for name, weight in weights.items():
        # 10,000 sessions: one standard deviation of a share is at most 0.5 point; 2 points
        # is four of them.
        assert abs(counts[name] / 10_000 - weight / total) < 0.02, counts


def test_assignment_is_sticky_and_depends_on_the_experiment():
    running = experiment(a=1, b=1)
    ids = sessions(200)
    first = [assign(running, s).name for s in ids]
    again = [assign(Experiment.model_validate(running.model_dump()), s).name for s in ids]
    assert first == again
    renamed = Experiment(name="other", variants=running.variants)
    assert [assign(renamed, s).name for s in ids] != first  # a new experiment reshuffles


@pytest.fixture
def split_twin(settings, embedder, example, llm):
    """Variant `small` answers with the loopback LLM's model `small-model` in the concise
    style at temperature 0; `large` with `large-model`, detailed, at 0.9."""
    config = Settings(**{
        **settings.model_dump(), "provider": "openai", "openai_base_url": llm.url + "/v1",
        "openai_model": "fake-model", "openai_api_key": "sk-test", "max_retries": 0,
        "experiment": {"name": "size", "variants": [
            {"name": "small", "model": "small-model", "temperature": 0.0,
             "prompt_style": "concise", "weight": 1},
            {"name": "large", "model": "large-model", "temperature": 0.9,
             "prompt_style": "detailed", "weight": 1}]}})
    twin = Twin(config, embedder=embedder)
    twin.ingest([example])
    yield twin
    twin.close()


def test_each_variant_answers_with_its_model_temperature_and_style(split_twin, llm):
    seen: dict[str, set] = {}
    for _ in range(12):
        session = uuid.uuid4().hex
        first = split_twin.ask(QUESTION, session)
        follow_up = split_twin.ask("And which one do you prefer?", session)
        assert first.model == follow_up.model  # sticky within the conversation
        seen.setdefault(first.model, set()).add(session)
    assert set(seen) == {"small-model", "large-model"}
    for body in (r.body for r in llm.received):
        style = "concise" if body["model"] == "small-model" else "detailed"
        assert body["temperature"] == (0.0 if style == "concise" else 0.9)
        assert STYLES[style] in body["messages"][0]["content"]
    assert split_twin.status()["experiment"]["variants"][0]["share"] == 0.5


def test_usage_reports_each_variant_with_sample_sizes_and_intervals(split_twin, monkeypatch):
    answers = [split_twin.ask(QUESTION, session) for session in sessions(30)]
    for answer in answers:  # thumbs up for the large model, down for the small one
        split_twin.record_feedback(QUESTION, answer.answer, 1 if answer.model == "large-model"
                                   else -1, answer_id=answer.answer_id)
    data = split_twin.reports.usage(3600)
    variants = data["variants"]
    assert set(variants) == {"size:small", "size:large"}
    by_model = Counter(a.model for a in answers)
    small, large = variants["size:small"], variants["size:large"]
    assert small["requests"] == by_model["small-model"]
    assert large["requests"] == by_model["large-model"]
    assert (large["feedback"], small["feedback"]) == (
        {"up": by_model["large-model"], "down": 0}, {"up": 0, "down": by_model["small-model"]})
    low, high = large["thumbs_up_ci95"]
    assert 0.5 < low < high == 1.0  # all up, yet the interval says how sure that is
    lo, hi = small["latency_mean_ci95"]
    assert lo <= small["latency_mean_ms"] <= hi

    monkeypatch.setenv("TWIN_DB", str(split_twin.settings.db))
    split_twin.flush()
    result = CliRunner().invoke(app, ["usage", "--since", "1h", "--json"])
    assert json.loads(result.stdout)["variants"]["size:large"]["rated"] == by_model["large-model"]
    table = CliRunner().invoke(app, ["usage", "--since", "1h"], env={"COLUMNS": "160"})
    assert "Experiment variants" in table.stdout and "size:small" in table.stdout


def test_each_variant_keeps_its_own_cached_answers(split_twin, llm):
    answers = [split_twin.ask(QUESTION, session) for session in sessions(10, seed=7)]
    assert {a.model for a in answers} == {"small-model", "large-model"}
    assert len(llm.received) == 2  # one LLM call per variant; every other answer was kept
    for model in ("small-model", "large-model"):
        mine = [a for a in answers if a.model == model]
        assert [a.cached for a in mine] == [False] + [True] * (len(mine) - 1)
