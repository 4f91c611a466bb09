"""Ingest for any store: read every file, diff against the index, embed only what is new.

Every file is read and every new passage embedded before the index is touched, and the index
applies all of it in one step: a bad file or a crash leaves the previous index as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .embeddings import Embedder
from .errors import IndexNotReadyError
from .profile import Chunk, Profile, load_profile, passage_text
from .stores import Index, SourceChange, SourceRecord

Progress = Callable[[int, int], None]  # (done, total)
EMBED_BATCH = 256  # texts per progress step; the model batches them its own way


@dataclass
class IngestReport:
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    sources: int = 0
    total: int = 0
    # what each file kept private (field paths or headings, never their values)
    private: dict[str, list[str]] = field(default_factory=dict)
    # each value kept back by what it is: where, what kind, what decided it (never the value)
    decisions: dict[str, list[list[str]]] = field(default_factory=dict)
    # what the owner should know of a file (a JSON Resume that does not conform, which files
    # of a LinkedIn export were read)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


class Indexer:
    def __init__(self, index: Index, embedder: Embedder, private_fields: Iterable[str]):
        self.index = index
        self.embedder = embedder
        self.private_fields = list(private_fields)

    def ingest(self, paths: Iterable[Path], *, reset: bool = False,
               progress: Progress | None = None) -> IngestReport:
        # an index that embeds text itself needs no vectors, and no model of ours to match
        ours = not self.index.embeds_text
        built_with = self.index.embedder()
        if ours and built_with and built_with != self.embedder.name and not reset:
            raise IndexNotReadyError(
                f"The index at {self.index.location()} was built with '{built_with}', not "
                f"'{self.embedder.name}'.", hint="Run `twin ingest --reset PATH...` to rebuild it.")
        profiles = [(Path(p), load_profile(Path(p), self.private_fields)) for p in paths]
        report = IngestReport(sources=len(profiles))
        plans = [self._plan(path, profile, reset, report) for path, profile in profiles]
        fresh = [chunk for _, chunks, _ in plans for chunk, _ in chunks]
        vectors = (self._embed(fresh, progress) if ours
                   else np.zeros((len(fresh), 0), dtype=np.float32))
        changes, start = [], 0
        for source, chunks, deletes in plans:
            end = start + len(chunks)
            changes.append(SourceChange(source, [c for c, _ in chunks], vectors[start:end],
                                        [p for _, p in chunks], deletes))
            start = end
        self.index.apply(changes, embedder=self.embedder.name, reset=reset)
        report.added = len(fresh)
        report.total = self.index.count()
        return report

    def _plan(self, path: Path, profile: Profile, reset: bool,
              report: IngestReport) -> tuple[SourceRecord, list[tuple[Chunk, int]], list[str]]:
        """This file's record, its new passages with their places, and its stale ids."""
        key = str(path.resolve())
        existing = set() if reset else self.index.ids(key)
        order = {chunk.id: (chunk, i) for i, chunk in enumerate(profile.chunks)}
        fresh = [(chunk, i) for cid, (chunk, i) in order.items() if cid not in existing]
        report.unchanged += len(order) - len(fresh)
        if profile.private:
            report.private[path.name] = profile.private
        if profile.notes:
            report.notes[path.name] = profile.notes
        if profile.decisions:
            report.decisions[path.name] = [list(d) for d in profile.decisions]
        stale = sorted(existing - set(order))
        report.removed += len(stale)
        record = SourceRecord(key, path.name, asdict(profile.owner), profile.sections,
                              withheld=profile.withheld)
        return record, fresh, stale

    def _embed(self, chunks: list[Chunk], progress: Progress | None) -> np.ndarray:
        texts = [passage_text(c) for c in chunks]
        if progress:
            progress(0, len(texts))
        out = []
        for start in range(0, len(texts), EMBED_BATCH):
            out.append(self.embedder.embed(texts[start:start + EMBED_BATCH]))
            if progress:
                progress(min(start + EMBED_BATCH, len(texts)), len(texts))
        return np.concatenate(out) if out else np.zeros((0, self.embedder.dim), np.float32)
