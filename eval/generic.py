"""The questions every recruiter asks, on every profile of the case files given: how many the
twin declines (the target is at most 1 in 20 on any profile).

    python eval/generic.py eval/corpus/dev.jsonl eval/formats/cases.jsonl
    python eval/generic.py eval/corpus/heldout.jsonl

The questions are the interview's openers and the ones recruiters' guides list first; none is
taken from a profile.
"""

import json
import sys
import tempfile
from pathlib import Path

from digital_twin.config import Settings
from digital_twin.embeddings import load_embedder
from digital_twin.evaluation import DECLINE_MARK
from digital_twin.service import Twin

QUESTIONS = [
    "Tell me about yourself.", "What's your background?", "What is your experience?",
    "Tell me about your last job.", "Give me a quick summary of your career.",
    "What are your strengths?", "Why should we hire you?", "What are you looking for next?",
    "What's your biggest achievement?", "Where do you work now?", "What skills do you have?",
    "How can I contact you?", "Walk me through your CV.", "What have you been doing lately?",
]


def profiles(case_files: list[str]) -> list[Path]:
    """Each profile the case files name, once."""
    found: dict[Path, None] = {}
    for cases in case_files:
        base = Path(cases).parent
        for line in Path(cases).read_text(encoding="utf-8").splitlines():
            if line.strip():
                name = json.loads(line)["profile"]
                found.update({p: None for p in (base / name, base / "profiles" / name)
                              if p.exists()})
    return list(found)


def main(case_files: list[str]) -> dict:
    settings = Settings()
    embedder = load_embedder(settings.embedding_model, settings.embed_threads)
    declined, asked, paths = [], 0, profiles(case_files)
    with tempfile.TemporaryDirectory() as tmp:
        for number, path in enumerate(paths):
            twin = Twin(settings.model_copy(update={"db": Path(tmp) / f"{number}.db",
                                                    "database_url": None, "upstash_url": None,
                                                    "cache": "off"}), embedder=embedder)
            try:
                twin.ingest([path], reset=True)
                for question in QUESTIONS:
                    asked += 1
                    if DECLINE_MARK in twin.ask(question).answer:
                        declined.append([path.name, question])
            finally:
                twin.close()
    return {"profiles": len(paths), "asked": asked, "declined": len(declined),
            "which": declined}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:] or ["eval/corpus/dev.jsonl"]), indent=1,
                     ensure_ascii=False))
