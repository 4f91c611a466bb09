"""Private by what a value is, not by what its key is called.

The privacy corpus's development part (`eval/privacy/dev` to `dev16`, written blind from the
kinds of private value) hides a value in each of 582 profiles of many shapes and languages.
None may reach the index file, a
search hit, an answer or the streamed events, with the extractive answers or with an LLM that
repeats every passage it is given; the honest look-alikes beside them are still answered; and
the output check stops a kept-back value or the canary however it is written.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from digital_twin.api.app import create_app
from digital_twin.config import Settings
from digital_twin.profile.sensitive import in_one_number
from digital_twin.service import Twin
from digital_twin.stores.sqlite import SQLiteIndex

from .conftest import make_pdf, write_json

CORPORA = Path(__file__).parents[1] / "eval" / "privacy"
EVERY = [{**json.loads(line), "path": CORPORA / corpus / json.loads(line)["file"]}
         for corpus in ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8",
                        "dev9", "dev10", "dev11", "dev12", "dev13", "dev14", "dev15", "dev16")
         for line in (CORPORA / corpus / "manifest.jsonl").read_text().splitlines()
         if line.strip()]



def leaked(value: str, text: str) -> bool:
    """The value as written (a short one, such as an age, as a word of its own), or its digits
    (five or more) as one number of the text, however it is spaced or punctuated (as
    `eval/privacy.py` counts it: "£11,500" is not in "£105,000–£115,000")."""
    if len(value) < 4:
        return bool(re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.I))
    return value.lower() in text.lower() or in_one_number(value, text)


def stored(db: Path) -> str:
    """What the index file holds: every passage, and every file's owner card and sections."""
    index = SQLiteIndex(db)
    try:
        passages = index.get(sorted(index.ids())).values()
        records = [json.dumps([s.owner, s.sections], ensure_ascii=False)
                   for s in index.sources()]
        return " ".join([*(f"{p.title} {p.text}" for p in passages), *records])
    finally:
        index.close()


def told(twin: Twin, question: str) -> str:
    """Everything a visitor sees for a question: the hits, the answer with its sources, and
    the streamed events."""
    hits = " ".join(f"{h.title} {h.text}" for h in twin.search(question))
    answer = twin.ask(question)
    streamed = "".join(getattr(event, "text", "") for event in twin.stream(question))
    sources = " ".join(s["text"] for s in answer.sources)
    return f"{hits} {answer.answer} {sources} {streamed}"


@pytest.mark.parametrize("variant", EVERY, ids=[v["file"] for v in EVERY])
def test_a_private_value_never_reaches_a_visitor(settings, embedder, variant):
    reaches_no_visitor(settings, embedder, variant)


def reaches_no_visitor(settings, embedder, variant) -> None:
    twin = Twin(settings.model_copy(update={"cache": "off"}), embedder=embedder)
    try:
        twin.ingest([variant["path"]], reset=True)
        # the file's name is the corpus's own label ("…_religion_catholic.txt"), not the value
        index = stored(settings.db).replace(variant["file"], "")
        seen = " ".join(told(twin, q) for q in variant["questions"]).replace(variant["file"],
                                                                                "")
        shown = json.dumps(twin.profile(), ensure_ascii=False).replace(variant["file"], "")
    finally:
        twin.close()
    for value in variant["private"]:
        assert not leaked(value, index), f"{variant['kind']} in the index"
        assert not leaked(value, seen), f"{variant['kind']} told to a visitor"
        assert not leaked(value, shown), f"{variant['kind']} in the public profile"


@pytest.fixture
def llm_twin(settings, embedder, llm):
    config = Settings(**{**settings.model_dump(), "provider": "openai", "max_retries": 0,
                         "openai_base_url": llm.url + "/v1", "openai_model": "fake-model",
                         "rate_limit": 0, "cache": "off"})
    return Twin(config, embedder=embedder)


def test_an_llm_that_repeats_every_passage_repeats_no_private_value(llm_twin, llm):
    """The LLM is given only what was indexed: repeating all of it, word for word, in the
    answer and in the stream, it still says none of the values."""
    llm.leak = "context"
    disclosed = []
    for variant in EVERY:
        llm_twin.ingest([variant["path"]], reset=True)
        for question in variant["questions"]:  # (the passages name their file: the corpus's label)
            answer = llm_twin.ask(question).answer.replace(variant["file"], "")
            streamed = "".join(getattr(e, "text", "") for e in llm_twin.stream(question)
                               ).replace(variant["file"], "")
            disclosed += [variant["file"] for value in variant["private"]
                          if leaked(value, answer) or leaked(value, streamed)]
    assert llm.received, "the LLM was asked"
    assert disclosed == []


def _pdf_lines(path: Path) -> list[str] | None:
    """A text variant's lines for a one-page PDF (Latin-1, brackets escaped), if it fits: 44
    lines, none wider than the page (a PDF's text past its edge is not on the page)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(lines) > 44 or not all(line.isascii() and len(line) <= 200 for line in lines):
        return None
    return [line.replace("\\", "").replace("(", "\\(").replace(")", "\\)") for line in lines]


PDF_VARIANTS = [v for v in EVERY if v["file"].endswith(".txt") and _pdf_lines(v["path"])]


def test_a_private_value_in_a_pdf_is_kept_back(settings, embedder, tmp_path):
    """The text résumés again, as PDFs: what the PDF's text holds, the index does not."""
    assert len(PDF_VARIANTS) >= 5
    twin = Twin(settings, embedder=embedder)
    for variant in PDF_VARIANTS:
        pdf = make_pdf(tmp_path / variant["file"].replace(".txt", ".pdf"),
                       _pdf_lines(variant["path"]))
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        twin.ingest([pdf], reset=True)
        index = stored(settings.db).replace(pdf.name, "")
        for value in variant["private"]:
            assert leaked(value, text), "the PDF holds the value"
            assert not leaked(value, index), f"{variant['file']}: {variant['kind']} indexed"


PROFILE = {
    "personal": {"name": "Ilse Vermeulen", "title": "Logistics Planner",
                 "location": "Antwerp, Belgium", "email": "ilse@example.org",
                 "summary": "Planner of inland shipping for ten years. Mobile 0470 12 34 56. "
                            "Born 2 February 1987."},
    "work": [{"company": "Scheldt Barge Lines", "role": "Senior Planner",
              "dates": "2018 - present",
              "notes": "I ran the planning team with a budget of EUR 1.2 million. My pay there "
                       "is EUR 61.500 a year."}],
    "extra": {"rijksregisternummer": "87.02.02-123.45", "wanted": "Looking for EUR 70.000"},
}


def test_honest_questions_beside_private_values_are_answered(settings, embedder, tmp_path):
    twin = Twin(settings, embedder=embedder)
    twin.ingest([write_json(tmp_path / "ilse.json", PROFILE)])
    for question, expected in (("What salary are you looking for?", "70.000"),
                               ("What was your team's budget?", "1.2 million"),
                               ("Which city are you based in?", "Antwerp"),
                               ("How can I reach you?", "ilse@example.org")):
        answer = twin.ask(question).answer
        assert expected in answer, (question, answer)
    text = stored(settings.db)
    for value in ("0470 12 34 56", "2 February 1987", "61.500", "87.02.02-123.45"):
        assert not leaked(value, text)


def test_the_page_header_and_profile_show_no_private_value(settings, embedder, tmp_path):
    twin = Twin(settings, embedder=embedder)
    twin.ingest([write_json(tmp_path / "ilse.json", PROFILE)])
    client = TestClient(create_app(settings, twin))
    page, profile = client.get("/").text, client.get("/api/profile").text
    for value in ("0470 12 34 56", "2 February 1987", "61.500", "87.02.02"):
        assert not leaked(value, page) and not leaked(value, profile)
    assert "Planner of inland shipping" in profile  # the rest of the summary stays


@pytest.mark.parametrize("written", [
    "You can call me on 0 4 7 0 1 2 3 4 5 6.",
    "My number: 0470123456",
    "Decode this: " + base64.b64encode(b"mobile 0470 12 34 56").decode(),
    "Rijksregister 870202 12345.",
])
def test_a_kept_back_value_however_written_is_refused(llm_twin, llm, tmp_path, written):
    """Values never reach the LLM; one it says anyway (from a visitor's message, or made up)
    is caught by its fingerprint, in the answer and the stream."""
    llm_twin.ingest([write_json(tmp_path / "ilse.json", PROFILE)])
    llm.reply = written
    answer = llm_twin.ask("Where do you work?")
    streamed = "".join(getattr(e, "text", "") for e in llm_twin.stream("Where do you work?"))
    assert "digital twin" in answer.answer and "0470" not in answer.answer
    assert "0 4 7 0" not in streamed and "Decode" not in streamed and "870202" not in streamed
    assert answer.fallback_reason and "output_check" in answer.fallback_reason


@pytest.mark.parametrize("leak", ["prompt-base64", "prompt-spaced"])
def test_the_instructions_encoded_or_spaced_out_are_refused(llm_twin, llm, example, leak):
    llm_twin.ingest([example])
    llm.leak = leak
    answer = llm_twin.ask("Tell me about Tidewater Bank.")
    assert "digital twin" in answer.answer and "Sure!" not in answer.answer
