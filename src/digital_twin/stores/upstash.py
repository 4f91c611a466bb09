"""Upstash Vector, through its official SDK (`upstash-vector`): the index in a hosted service
every twin pointing at it shares. The logs stay where they are (SQLite, or PostgreSQL).

How the records are laid out is in `upstash_records.py`. Upstash has no transactions, so an
ingest is made atomic by a pointer: the whole new index is written into a fresh namespace
(unchanged passages copied over), then one manifest record is switched to it. A reader reads
the manifest first, so it sees the old index or the new one, never a mix; a failure before the
switch leaves the old one answering. The namespace before the current one is kept until the
next ingest, for readers that read the manifest just before the switch.

Vector search is the service's (by the question's vector, or by its text when the index embeds
text itself: `builtin`). Everything else (BM25, passages by id, word counts, files) is read from
a copy of the current version kept in memory, an SQLite index like the embedded engine's, loaded
once per version. The manifest is read again at most every `manifest_ttl` seconds, so a question
does not pay a round trip for it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import httpx
import numpy as np
import upstash_vector
from upstash_vector.errors import UpstashError

from ..errors import StorageError
from ..profile import Chunk
from ..redaction import redacted
from . import failures
from .base import Query, SourceChange, SourceRecord
from .sqlite import SQLiteIndex
from .upstash_records import (
    Manifest,
    Names,
    as_changes,
    cosine,
    generation,
    id_filter,
    passage_records,
    source_metadata,
)

log = logging.getLogger("digital_twin.stores")
PAGE = 1000  # records per `range` request
UPSERT_BATCH = 100  # records per `upsert` request
MAX_TOP_K = 1000  # the most results one query asks for
RETRY_INTERVAL = 0.5  # seconds between the SDK's retries of a request that got no reply
DIMENSION_HINT = ("For TWIN_UPSTASH_EMBEDDING=local the index must be 384-dimensional with "
                  "cosine similarity (the twin's all-MiniLM-L6-v2); for builtin it must be "
                  "created with an embedding model.")
BUILTIN_HINT = ("TWIN_UPSTASH_EMBEDDING=builtin needs an index created with an embedding model; "
                "otherwise set it to local (a 384-dimension cosine index).")


def _hint(exc: Exception) -> str:
    text = str(exc).lower()
    if isinstance(exc, httpx.TimeoutException):
        return ("Upstash Vector did not answer in TWIN_UPSTASH_TIMEOUT seconds: try again, or "
                "raise it.")
    if isinstance(exc, httpx.HTTPError):
        return "Check TWIN_UPSTASH_URL and that this machine can reach it."
    if isinstance(exc, json.JSONDecodeError):
        return ("The reply was not Upstash Vector's JSON: check that TWIN_UPSTASH_URL is the "
                "index's REST URL, then try again.")
    if any(word in text for word in ("unauthorized", "token", "forbidden")):
        return ("Check TWIN_UPSTASH_TOKEN: the index's REST token from the Upstash console "
                "(a read-only token cannot ingest).")
    if "dimension" in text:
        return DIMENSION_HINT
    if "embedding" in text:
        return BUILTIN_HINT
    return "Try again; `twin ingest --reset PATH...` rebuilds the index."


# The SDK's failures: the service's error replies, no reply, a reply that is not JSON. Every
# public method reports them as a `StorageError` naming the index and the fix.
SERVICE_ERRORS = (UpstashError, httpx.HTTPError, json.JSONDecodeError)
storage_errors = failures.storage_errors(SERVICE_ERRORS, _hint)


def connect(url: str, token: str, *, timeout: float, retries: int) -> upstash_vector.Index:
    """The SDK's client. It retries a request that got no reply `retries` times; it has no
    setting for how long to wait for one (ten minutes), so its httpx client (`_client` in
    SDK 0.8) is given ours."""
    client = upstash_vector.Index(url=url, token=token, retries=retries,
                                  retry_interval=RETRY_INTERVAL, allow_telemetry=False)
    client._client.timeout = httpx.Timeout(timeout, connect=min(timeout, 10.0))
    return client


@dataclass(frozen=True)
class _Shape:
    """What the index was created with (`info`): it never changes."""

    dimension: int
    similarity: str
    model: str  # the embedding model, "" when it has none


@dataclass(frozen=True)
class _State:
    manifest: Manifest
    mirror: SQLiteIndex  # the current version's passages and files, in memory
    read_at: float  # when the manifest was read (monotonic seconds)


@storage_errors
class UpstashIndex:
    unwritable = None  # a service that refuses writes says so on the write

    def __init__(self, url: str, token: str, *, namespace: str = "twin", builtin: bool = False,
                 timeout: float = 10.0, retries: int = 2, manifest_ttl: float = 1.0,
                 settle: float = 30.0):
        self.embeds_text = builtin
        self.where = (f"{redacted(url)} (Upstash Vector, namespace '{namespace}', "
                      f"{'builtin' if builtin else 'local'} embedding)")
        self.names = Names(namespace)
        self.manifest_ttl = manifest_ttl
        self.settle = settle  # seconds to wait for the service to index a new version
        self._sdk = connect(url, token, timeout=timeout, retries=retries)
        self._refreshing = threading.Lock()  # one thread reads the manifest at a time
        self._writing = threading.Lock()  # one ingest at a time in this process
        self._state: _State | None = None
        self._shape: _Shape | None = None

    def close(self) -> None:
        self._sdk._client.close()

    def location(self) -> str:
        return self.where

    # ---- the current version -------------------------------------------------------------
    def _current(self, *, fresh: bool = False) -> _State:
        state = self._state
        if state is not None and not fresh:
            if time.monotonic() - state.read_at < self.manifest_ttl:
                return state
            if not self._refreshing.acquire(blocking=False):
                return state  # another thread is reading the manifest: no need to wait for it
        else:
            self._refreshing.acquire()
        try:
            [found] = self._sdk.fetch([self.names.manifest], include_metadata=True)
            manifest, now = Manifest.read(found.metadata if found else None), time.monotonic()
            state = self._state
            if state is not None and state.manifest == manifest:
                self._state = replace(state, read_at=now)
            else:
                self._state = _State(manifest, self._load(manifest), now)
            return self._state
        finally:
            self._refreshing.release()

    def _load(self, manifest: Manifest) -> SQLiteIndex:
        mirror = SQLiteIndex(":memory:")
        if not manifest.generation:
            return mirror
        sources = [r.metadata for r in self._scan("", prefix=self.names.sources(manifest.version))]
        passages = list(self._scan(manifest.namespace, vectors=not manifest.builtin)
                        if manifest.passages else [])
        if len(passages) != manifest.passages:
            log.warning("%s: version %s should hold %d passages, %d were read", self.where,
                        manifest.version, manifest.passages, len(passages))
        mirror.apply(as_changes(sources, passages), embedder=manifest.embedder or "")
        return mirror

    def _scan(self, namespace: str, *, prefix: str | None = None, vectors: bool = False,
              contents: bool = True) -> Iterator[upstash_vector.types.FetchResult]:
        """Every record of a namespace (whose id starts with `prefix`), a page at a time."""
        cursor = ""
        while True:
            page = self._sdk.range(cursor=cursor, limit=PAGE, include_vectors=vectors,
                                   include_metadata=contents, include_data=contents,
                                   namespace=namespace, prefix=prefix)
            yield from page.vectors
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def _searchable(self) -> _State:
        """The current version, if its vectors are of the kind this twin searches with."""
        state = self._current()
        self._same_embedding(state.manifest)
        return state

    def _same_embedding(self, manifest: Manifest) -> None:
        if manifest.generation and manifest.builtin != self.embeds_text:
            built = "builtin" if manifest.builtin else "local"
            raise StorageError(f"{self.where}: the index was built with {built} embedding.",
                               hint=f"Set TWIN_UPSTASH_EMBEDDING={built}, or rebuild it with "
                                    "`twin ingest --reset PATH...`.")

    # ---- reading -------------------------------------------------------------------------
    def dense(self, query: Query, n: int) -> list[tuple[str, float]]:
        state = self._searchable()
        top_k = min(n, state.manifest.passages, MAX_TOP_K)
        if top_k <= 0:
            return []
        namespace = state.manifest.namespace
        if self.embeds_text:
            found = self._sdk.query(data=query.text, top_k=top_k, namespace=namespace)
        else:
            found = self._sdk.query(vector=np.asarray(query.vector, dtype=np.float32).tolist(),
                                    top_k=top_k, namespace=namespace)
        return [(hit.id, cosine(hit.score)) for hit in found]

    def similarity(self, query: Query, ids: Sequence[str]) -> dict[str, float]:
        state = self._searchable()
        if not self.embeds_text:  # the vectors are in memory: no round trip
            return state.mirror.similarity(query, ids)
        wanted = list(dict.fromkeys(ids))
        present = state.mirror.get(wanted)
        known = [cid for cid in wanted if cid in present]
        if not known:
            return {}
        # a filtered query: the service may return fewer than asked (its filtering budget)
        found = self._sdk.query(data=query.text, top_k=len(known),
                                filter=id_filter(known), namespace=state.manifest.namespace)
        return {hit.id: cosine(hit.score) for hit in found if hit.id in known}

    def keyword(self, query: str, n: int) -> list[tuple[str, float]]:
        return self._current().mirror.keyword(query, n)

    def ids(self, source_key: str | None = None) -> set[str]:
        return self._current().mirror.ids(source_key)

    def get(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return self._current().mirror.get(ids)

    def term_frequencies(self) -> dict[str, int]:
        return self._current().mirror.term_frequencies()

    def sources(self) -> list[SourceRecord]:
        return self._current().mirror.sources()

    def count(self) -> int:
        return self._current().mirror.count()

    def embedder(self) -> str | None:
        return self._current().manifest.embedder

    def version(self) -> str:
        return self._current().manifest.version

    # ---- writing -------------------------------------------------------------------------
    def apply(self, changes: Sequence[SourceChange], *, embedder: str,
              reset: bool = False) -> None:
        with self._writing:
            before = self._current(fresh=True)
            if not reset:  # its passages are copied over, vectors and all
                self._same_embedding(before.manifest)
            shape = self._check(changes)
            index = before.mirror.copy()  # the new version, worked out in memory first
            index.apply(changes, embedder=embedder, reset=reset)
            after = before.manifest.following(
                self.names.name, passages=index.count(), builtin=self.embeds_text,
                embedder=f"upstash:{shape.model}" if self.embeds_text else embedder)
            try:
                self._write(after, index.contents(), shape)
                self._wait_indexed(after)
                self._sdk.upsert([self._record(self.names.manifest, "manifest",
                                               after.metadata(), shape)])
            except BaseException:
                # A switch that timed out may still have been applied (the SDK sends again a
                # request that got no reply): what the manifest names is never removed.
                if not self._switched_to(after):
                    self._discard(after)
                raise
            with self._refreshing:  # not overwritten by a reader's older manifest
                self._state = _State(after, index, time.monotonic())
            self._collect(before.manifest)

    def _switched_to(self, after: Manifest) -> bool:
        """Whether the manifest names `after` (or may: when it cannot be read, say so)."""
        try:
            [found] = self._sdk.fetch([self.names.manifest], include_metadata=True)
        except SERVICE_ERRORS:
            return True
        return Manifest.read(found.metadata if found else None).version == after.version

    def _check(self, changes: Sequence[SourceChange]) -> _Shape:
        """The index can take what this ingest would write (asked once per process)."""
        if self._shape is None:
            info = self._sdk.info()
            model = info.dense_index.embedding_model if info.dense_index else ""
            self._shape = _Shape(info.dimension, info.similarity_function, model or "")
        shape = self._shape
        if shape.similarity.upper() != "COSINE":
            raise StorageError(f"{self.where}: the index compares vectors by "
                               f"{shape.similarity}, not cosine similarity.", hint=DIMENSION_HINT)
        if self.embeds_text and not shape.model:
            raise StorageError(f"{self.where}: the index has no embedding model.",
                               hint=BUILTIN_HINT)
        sizes = {len(v) for change in changes for v in change.vectors}
        if not self.embeds_text and sizes - {shape.dimension}:
            raise StorageError(f"{self.where}: the index holds {shape.dimension}-dimension "
                               f"vectors, the twin's model makes {max(sizes)}.",
                               hint=DIMENSION_HINT)
        return shape

    def _record(self, record_id: str, data: str, metadata: dict, shape: _Shape) -> dict:
        """A record of the twin's own in the default namespace: in a local-mode index it needs
        a vector, any will do (it is never searched)."""
        record = {"id": record_id, "data": data, "metadata": metadata}
        if not self.embeds_text:
            record["vector"] = [1.0] + [0.0] * (shape.dimension - 1)
        return record

    def _write(self, after: Manifest, contents: list[SourceChange], shape: _Shape) -> None:
        passages = passage_records(contents, builtin=self.embeds_text)
        files = [self._record(f"{self.names.sources(after.version)}{number}",
                              change.source.name, source_metadata(change.source), shape)
                 for number, change in enumerate(contents)]
        for namespace, records in ((after.namespace, passages), ("", files)):
            for start in range(0, len(records), UPSERT_BATCH):
                self._sdk.upsert(records[start:start + UPSERT_BATCH], namespace=namespace)

    def _wait_indexed(self, after: Manifest) -> None:
        """Upstash indexes what it is given a moment later; until then queries miss it. The
        switch waits for it (up to `settle` seconds), so the new version answers whole."""
        deadline = time.monotonic() + self.settle
        while after.passages:
            counts = self._sdk.info().namespaces.get(after.namespace)
            if counts and counts.vector_count >= after.passages \
                    and not counts.pending_vector_count:
                return
            if time.monotonic() > deadline:
                log.warning("%s: version %s is still being indexed; searches may miss some of "
                            "it for a moment", self.where, after.version)
                return
            time.sleep(0.2)

    def _discard(self, after: Manifest) -> None:
        """What a failed ingest wrote, as far as it can be removed now (the next ingest removes
        the rest): nothing points at it, so no reader sees it either way."""
        try:
            if after.namespace in self._sdk.list_namespaces():
                self._sdk.delete_namespace(after.namespace)
            self._sdk.delete(prefix=self.names.sources(after.version))
        except SERVICE_ERRORS as exc:  # the ingest's own failure is the one to report
            log.warning("%s: left version %s for the next ingest to remove (%s)", self.where,
                        after.version, exc)

    def _collect(self, before: Manifest) -> None:
        """Remove the versions older than the one this ingest replaced: not that one (a reader
        may still be on it), nor any of a later generation (another machine's ingest may be
        writing it now)."""

        def old(version: str | None) -> bool:
            return version is not None and generation(version) < before.generation

        try:
            for namespace in self._sdk.list_namespaces():
                if old(self.names.namespace_version(namespace)):
                    self._sdk.delete_namespace(namespace)
            stale = {self.names.record_version(record.id)
                     for record in self._scan("", prefix=self.names.records, contents=False)}
            for version in filter(old, stale):
                self._sdk.delete(prefix=self.names.sources(version))
        except SERVICE_ERRORS as exc:
            log.warning("%s: older versions are left for the next ingest to remove (%s)",
                        self.where, exc)
