"""Usage figures from the usage log: totals, then per model, with cost and latency percentiles;
and the gaps, the questions the profile did not cover, near-duplicates grouped.

Figures are computed here from typed records, so every store engine gives the same report.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable
from typing import Any

from ..stores import FeedbackRecord, UsageRecord


def cost(prices: dict[str, tuple[float, float]], model: str, prompt: int,
         completion: int) -> float:
    """US dollars for one answer, from prices per million input and output tokens (models
    with no price, local and extractive ones, cost nothing)."""
    price_in, price_out = prices.get(model, (0.0, 0.0))
    return round((prompt * price_in + completion * price_out) / 1_000_000, 8)


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def figures(rows: list[UsageRecord]) -> dict[str, Any]:
    """Requests, tokens, cost, latency and time-to-first-token percentiles, and rates."""
    latencies = [r.latency_ms for r in rows if r.outcome != "abandoned"]
    first = [r.ttft_ms for r in rows if r.ttft_ms is not None]
    return {
        "requests": len(rows),
        "prompt_tokens": sum(r.prompt_tokens for r in rows),
        "completion_tokens": sum(r.completion_tokens for r in rows),
        "cost_usd": round(sum(r.cost_usd for r in rows), 6),
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
        "ttft_p50_ms": _percentile(first, 0.5),
        "ttft_p95_ms": _percentile(first, 0.95),
        "cache_hit_rate": _rate(sum(1 for r in rows if r.cached), len(rows)),
        "fallback_rate": _rate(sum(1 for r in rows if r.fallback_reason), len(rows)),
        "error_rate": _rate(sum(1 for r in rows if r.error), len(rows)),
        "abandoned": sum(1 for r in rows if r.outcome == "abandoned"),
        "declines": sum(1 for r in rows if r.outcome == "declined"),
    }


def _thumbs(feedback: Iterable[FeedbackRecord]) -> dict[str, int]:
    ratings = [f.rating for f in feedback]
    return {"up": sum(1 for r in ratings if r > 0), "down": sum(1 for r in ratings if r < 0)}


def wilson(part: int, whole: int, z: float = 1.96) -> list[float] | None:
    """The 95% Wilson score interval of a proportion (sound for small samples and rates near
    0 or 1, unlike the normal approximation)."""
    if not whole:
        return None
    p = part / whole
    centre = (p + z * z / (2 * whole)) / (1 + z * z / whole)
    half = z * math.sqrt(p * (1 - p) / whole + z * z / (4 * whole * whole)) / (1 + z * z / whole)
    return [round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)]


def mean_interval(values: list[float], z: float = 1.96) -> list[float] | None:
    """The mean's 95% interval (normal approximation; it needs a few dozen samples)."""
    if len(values) < 2:
        return None
    mean, spread = statistics.fmean(values), statistics.stdev(values) / math.sqrt(len(values))
    return [round(mean - z * spread, 1), round(mean + z * spread, 1)]


def variant_figures(rows: list[UsageRecord], feedback: list[FeedbackRecord]) -> dict[str, Any]:
    """A variant's figures, with the sample sizes and 95% intervals that say whether a
    difference between variants is more than chance."""
    latencies = [r.latency_ms for r in rows if r.outcome != "abandoned"]
    thumbs = _thumbs(feedback)
    rated = thumbs["up"] + thumbs["down"]
    declines = sum(1 for r in rows if r.outcome == "declined")
    return {**figures(rows), "feedback": thumbs,
            "latency_mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
            "latency_mean_ci95": mean_interval(latencies),
            "tokens_per_answer": round(sum(r.prompt_tokens + r.completion_tokens for r in rows)
                                       / len(rows), 1) if rows else None,
            "cost_per_answer_usd": round(sum(r.cost_usd for r in rows) / len(rows), 8)
            if rows else None,
            "decline_rate_ci95": wilson(declines, len(rows)),
            "rated": rated, "thumbs_up_rate": _rate(thumbs["up"], rated),
            "thumbs_up_ci95": wilson(thumbs["up"], rated)}


def counted(feedback: list[FeedbackRecord], rows: list[UsageRecord]) -> list[FeedbackRecord]:
    """The ratings that count: one per answer, the latest (`feedback` is newest first), and
    none for an answer id the log does not hold (forged, or older than the window). Ratings
    that name no answer (older clients) count as given."""
    answered = {r.answer_id for r in rows if r.answer_id}
    seen: set[str] = set()
    kept = []
    for rating in feedback:
        if rating.answer_id is not None:
            if rating.answer_id in seen or rating.answer_id not in answered:
                continue
            seen.add(rating.answer_id)
        kept.append(rating)
    return kept


def report(rows: list[UsageRecord], feedback: list[FeedbackRecord]) -> dict[str, Any]:
    """Totals, then figures per provider and model and per experiment variant (feedback joins
    its answer's variant by answer id), and the visitors' thumbs."""
    feedback = counted(feedback, rows)
    models: dict[str, list[UsageRecord]] = {}
    variants: dict[str, list[UsageRecord]] = {}
    for row in rows:
        models.setdefault(f"{row.provider}:{row.model}", []).append(row)
        if row.variant:
            variants.setdefault(f"{row.experiment}:{row.variant}", []).append(row)
    arm = {r.answer_id: f"{r.experiment}:{r.variant}" for r in rows if r.variant}
    model = {r.answer_id: f"{r.provider}:{r.model}" for r in rows if r.answer_id}
    return {**figures(rows), "feedback": _thumbs(feedback),
            "models": {name: {**figures(group), "feedback": _thumbs(
                f for f in feedback if model.get(f.answer_id) == name)}
                for name, group in sorted(models.items())},
            "variants": {name: variant_figures(group, [f for f in feedback
                                                      if arm.get(f.answer_id) == name])
                         for name, group in sorted(variants.items())}}


def _words(question: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", question.lower()) if len(w) > 2)


def gaps(rows: Iterable[UsageRecord], similar: float = 0.6,
         compared: int = 300) -> list[dict[str, Any]]:
    """The questions the profile did not cover, near-duplicates together (word overlap), most
    asked first: what the owner could add to the profile. Questions with the same words are
    counted together in one pass; near-duplicates are merged among the `compared` most asked
    of those (a pairwise step, bounded so that a flood of distinct questions stays cheap)."""
    same: dict[frozenset[str], dict[str, Any]] = {}
    for row in rows:
        if row.covered or not row.question:
            continue
        words = _words(row.question)
        group = same.setdefault(words, {"question": row.question, "words": words, "count": 0,
                                        "examples": []})
        group["count"] += 1
        if row.question not in group["examples"] and len(group["examples"]) < 5:
            group["examples"].append(row.question)
    distinct = sorted(same.values(), key=lambda g: -g["count"])
    groups: list[dict[str, Any]] = []
    for candidate in distinct[:compared]:
        for group in groups:
            shared = len(candidate["words"] & group["words"]) / max(
                1, len(candidate["words"] | group["words"]))
            if shared >= similar:
                group["count"] += candidate["count"]
                group["examples"] = list(dict.fromkeys(
                    group["examples"] + candidate["examples"]))[:5]
                break
        else:
            groups.append(candidate)
    groups = sorted(groups + distinct[compared:], key=lambda g: -g["count"])
    return [{"question": g["question"], "count": g["count"], "examples": g["examples"]}
            for g in groups]


def timeline(rows: list[UsageRecord], since: float, now: float) -> dict[str, Any]:
    """Figures per hour (a window up to two days) or per day, oldest first, every bucket of
    the window present (empty ones with zero requests), for the dashboard's charts."""
    step = 3600 if since <= 2 * 86400 else 86400
    first = int((now - since) // step * step)
    buckets: dict[int, list[UsageRecord]] = {t: [] for t in range(first, int(now) + 1, step)}
    for row in rows:
        start = int(row.created_at // step * step)
        if start in buckets:
            buckets[start].append(row)
    points = []
    for start, group in buckets.items():
        shown = figures(group)
        points.append({"t": start, **{k: shown[k] for k in (
            "requests", "cost_usd", "latency_p50_ms", "latency_p95_ms", "cache_hit_rate")},
            "tokens": shown["prompt_tokens"] + shown["completion_tokens"]})
    return {"step_seconds": step, "points": points}


def recent(rows: list[UsageRecord], feedback: list[FeedbackRecord],
           limit: int = 50) -> list[dict[str, Any]]:
    """The newest answers with their question, answer and the visitor's rating, if any."""
    rated = {f.answer_id: f.rating for f in counted(feedback, rows) if f.answer_id}
    return [{"created_at": r.created_at, "question": r.question, "answer": r.answer,
             "outcome": r.outcome, "provider": r.provider, "model": r.model,
             "variant": r.variant, "cached": r.cached, "covered": r.covered,
             "latency_ms": r.latency_ms, "rating": rated.get(r.answer_id)}
            for r in rows[:limit]]
