"""What the twin keeps in an Upstash Vector index, and how it is named there.

For a name N (`TWIN_UPSTASH_NAMESPACE`, "twin" by default):

- each ingest writes the whole index into a namespace of its own, `N-<generation>-<hex>`: one
  vector per passage, its id the passage's id, its `data` the text that is embedded (title,
  then text), its metadata the rest of the passage (file, section, kind, place in the file);
- the default namespace, which every index has, holds `N:manifest`, the one record that says
  which namespace is current, and `N:<version>:source:<i>`, the ingested files' records.

Everything a twin on another machine needs to answer is there: it rebuilds passages, files and
their order from these records alone.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..profile import Chunk, passage_text
from .base import SourceChange, SourceRecord
from .records import source_record, source_row, vector_matrix

# as `source_row` orders them
SOURCE_FIELDS = ("key", "name", "owner", "sections", "ingested_at", "withheld")


@dataclass(frozen=True)
class Manifest:
    """The current version of the index: where its passages are, and how they were embedded."""

    version: str = "0"  # "0": nothing ingested yet
    namespace: str = ""
    embedder: str | None = None
    passages: int = 0
    generation: int = 0
    builtin: bool = False  # embedded by the index's own model

    def following(self, name: str, *, passages: int, embedder: str,
                  builtin: bool) -> Manifest:
        """The next version: a new namespace, unique even when two ingests race."""
        generation = self.generation + 1
        version = f"{generation}-{secrets.token_hex(4)}"
        return Manifest(version, f"{name}-{version}", embedder, passages, generation, builtin)

    def metadata(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def read(cls, metadata: dict[str, Any] | None) -> Manifest:
        if not metadata:
            return cls()
        return cls(**{k: metadata[k] for k in cls.__dataclass_fields__ if k in metadata})


def generation(version: str) -> int:
    """The generation a version was written at (`<generation>-<hex>`)."""
    return int(version.split("-", 1)[0])


class Names:
    """Ids and namespaces of one twin's records, and which version each belongs to."""

    def __init__(self, name: str):
        self.name = name
        self.manifest = f"{name}:manifest"
        self.records = f"{name}:"
        self._namespace = re.compile(rf"{re.escape(name)}-(\d+-[0-9a-f]{{8}})")
        self._record = re.compile(rf"{re.escape(name)}:(\d+-[0-9a-f]{{8}}):")

    def sources(self, version: str) -> str:
        """The prefix of a version's file records."""
        return f"{self.name}:{version}:source:"

    def namespace_version(self, namespace: str) -> str | None:
        found = self._namespace.fullmatch(namespace)
        return found.group(1) if found else None

    def record_version(self, record_id: str) -> str | None:
        found = self._record.match(record_id)
        return found.group(1) if found else None


def passage_metadata(chunk: Chunk, source_key: str, position: int) -> dict[str, Any]:
    # `id` again, because a filter reads metadata only (`id IN (...)`, see `id_filter`)
    return {"id": chunk.id, "source_key": source_key, "source": chunk.source,
            "section": chunk.section, "title": chunk.title, "kind": chunk.kind,
            "position": position}


def passage_records(changes: Iterable[SourceChange], *,
                    builtin: bool) -> list[dict[str, Any]]:
    """One record per passage, in the shape the SDK's `upsert` takes; with its vector, unless
    the index embeds the `data` itself."""
    records = []
    for change in changes:
        for chunk, vector, position in zip(change.upserts, change.vectors, change.positions,
                                           strict=True):
            record = {"id": chunk.id, "data": passage_text(chunk),
                      "metadata": passage_metadata(chunk, change.source.key, position)}
            if not builtin:
                record["vector"] = np.asarray(vector, dtype=np.float32).tolist()
            records.append(record)
    return records


def source_metadata(source: SourceRecord) -> dict[str, Any]:
    """A file's record; its owner and sections as JSON text, so their order survives."""
    return dict(zip(SOURCE_FIELDS, source_row(source), strict=True))


def as_changes(sources: Sequence[dict[str, Any]], passages: Sequence[Any]) -> list[SourceChange]:
    """What `apply` takes to rebuild an index from the records read back (`range` results:
    `id`, `metadata`, `data` and, in local mode, `vector`)."""
    files = {meta["key"]: source_record([meta.get(f) for f in SOURCE_FIELDS]) for meta in sources}
    grouped: dict[str, list[Any]] = {key: [] for key in files}
    for record in passages:
        grouped.setdefault(record.metadata["source_key"], []).append(record)
    changes = []
    for key, records in grouped.items():
        source = files.get(key) or SourceRecord(key, records[0].metadata["source"])
        chunks = [_chunk(r.metadata, r.data or "") for r in records]
        changes.append(SourceChange(
            source, chunks, vector_matrix([r.vector or [] for r in records]),
            [r.metadata["position"] for r in records], []))
    return changes


def _chunk(meta: dict[str, Any], data: str) -> Chunk:
    title = meta["title"]
    text = data.removeprefix(f"{title}\n")  # `data` is the embedded text: title, then text
    return Chunk(title, text, meta["source"], meta["section"], meta["kind"])


def id_filter(ids: Iterable[str]) -> str:
    """Upstash's filter for passages among `ids` (its SQL-like syntax, on metadata)."""
    quoted = ", ".join("'" + cid.replace("\\", "\\\\").replace("'", "\\'") + "'" for cid in ids)
    return f"id IN ({quoted})"


def cosine(score: float) -> float:
    """Upstash reports a cosine index's scores as (1 + cosine) / 2, between 0 and 1; the twin's
    thresholds are cosine similarities."""
    return 2.0 * float(score) - 1.0
