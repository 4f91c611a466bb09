"""What a twin is made of, built in one place from its settings.

`Twin` takes these parts and wires them to itself (its usage writer, its storage faults, its
reports). A test or a program that embeds the twin hands in its own stores, embedding model or
providers, and `build` makes the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import Settings
from .embeddings import Embedder, load_embedder
from .indexer import Indexer
from .leads import Leads
from .observability.cache import ResponseCache
from .observability.notify import Notifier
from .providers import Provider
from .providers.arms import Arms
from .providers.limits import Admission
from .retrieval import Retriever
from .stores import Stores, open_stores


@dataclass
class Parts:
    stores: Stores  # the index and the logs
    embedder: Embedder
    retriever: Retriever  # candidates, ranking and the relevance decision
    indexer: Indexer  # ingest: load, diff, embed what is new, apply
    notifier: Notifier  # the owner's notifications (a lead, a question not answered)
    leads: Leads
    cache: ResponseCache
    arms: Arms  # the provider chain of each experiment variant
    admission: Admission  # how many answers may wait on an LLM at once


def build(settings: Settings, *, stores: Stores | None = None, embedder: Embedder | None = None,
          providers: list[Provider] | None = None) -> Parts:
    """The parts `settings` name; `stores`, `embedder` and `providers` when given instead."""
    stores = stores or open_stores(settings)
    embedder = embedder or load_embedder(settings.embedding_model, settings.embed_threads)
    notifier = Notifier(settings.notify_url)
    return Parts(
        stores, embedder,
        Retriever(stores.index, embedder, top_k=settings.top_k, min_score=settings.min_score,
                  keep_borderline=settings.provider_name != "extractive"),
        Indexer(stores.index, embedder, settings.private_fields),
        notifier, Leads(stores.leads, notifier),
        ResponseCache(stores.cache, embedder, mode=settings.cache, ttl=settings.cache_ttl,
                      similarity=settings.cache_similarity),
        Arms(settings, providers),
        Admission(settings.provider_concurrency + settings.answer_queue))
