"""A stand-in for Upstash Vector on a loopback port: the REST API the `upstash-vector` SDK
speaks, as Upstash documents it, for testing the twin's engine without the service.

Every command is a POST to `/<command>` (the default namespace) or `/<command>/<namespace>`,
with a bearer token; a reply is `{"result": ...}`, or `{"error": "...", "status": N}` with that
HTTP status. It keeps vectors in memory, scores a cosine index as the service documents it
((1 + cosine) / 2, exactly, where the service searches approximately), knows the part of the
filter language the twin uses (`=`, `!=`, `IN`, `NOT IN`, joined by AND and OR) and pages
`range` with a cursor. An index "created with an embedding model" embeds `data` with the
function it is given: the tests give it the twin's own MiniLM, where the service would use the
model the index was created with.

It records every request, can report vectors as still being indexed for a few `info` calls,
can delay replies, and can fail chosen requests, as the service might.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: object


@dataclass
class Failure:
    path: str  # fail requests whose path starts with this
    skip: int  # after letting this many through
    status: int = 500


class ServiceError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class StandIn:
    token: str = "test-token"
    dimension: int = 384
    embed: Callable[[list[str]], np.ndarray] | None = None  # None: no embedding model
    model: str = ""
    namespaces: dict[str, dict[str, dict]] = field(default_factory=lambda: {"": {}})
    requests: list[Seen] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    pending_infos: int = 0  # `info` calls that still report every vector as being indexed
    delay: float = 0.0  # seconds before each reply
    url: str = ""  # where it listens, once started

    def __post_init__(self):
        self.app = Starlette(routes=[
            Route("/{command}", self._handle, methods=["POST", "GET"]),
            Route("/{command}/{namespace:path}", self._handle, methods=["POST", "GET"])])

    def fail(self, path: str, *, skip: int = 0, status: int = 500) -> None:
        """Fail the next request to `path` (after `skip` more go through) with `status`."""
        self.failures.append(Failure(path, skip, status))

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    # ---- HTTP ----------------------------------------------------------------------------
    async def _handle(self, request: Request) -> JSONResponse:
        raw = await request.body()
        body = json.loads(raw) if raw.strip() else None
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        self.requests.append(Seen(path, dict(request.headers), body))
        if self.delay:
            await asyncio.sleep(self.delay)
        try:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                raise ServiceError(401, "Unauthorized: Invalid auth token")
            self._injected(request.url.path)
            command = request.path_params["command"]
            namespace = request.path_params.get("namespace", "")
            handler = getattr(self, "_" + command.replace("-", "_"), None)
            if handler is None:
                raise ServiceError(404, f"Unknown command: {command}")
            return JSONResponse({"result": handler(namespace, body, request.url.query)})
        except ServiceError as exc:
            return JSONResponse({"error": exc.message, "status": exc.status},
                                status_code=exc.status)

    def _injected(self, path: str) -> None:
        for failure in self.failures:
            if path.startswith(failure.path):
                if failure.skip:
                    failure.skip -= 1
                    return
                self.failures.remove(failure)
                raise ServiceError(failure.status, "Internal server error")

    # ---- commands ------------------------------------------------------------------------
    def _space(self, namespace: str) -> dict[str, dict]:
        if namespace not in self.namespaces:
            raise ServiceError(404, f"Namespace {namespace} does not exist")
        return self.namespaces[namespace]

    def _upsert(self, namespace, body, query):
        for item in body if isinstance(body, list) else [body]:
            vector = self._checked(item.get("vector"))
            self.namespaces.setdefault(namespace, {})[str(item["id"])] = {
                "id": str(item["id"]), "vector": vector, "metadata": item.get("metadata"),
                "data": item.get("data")}
        return "Success"

    def _upsert_data(self, namespace, body, query):
        items = body if isinstance(body, list) else [body]
        vectors = self._embedded([item["data"] for item in items])
        for item, vector in zip(items, vectors, strict=True):
            self.namespaces.setdefault(namespace, {})[str(item["id"])] = {
                "id": str(item["id"]), "vector": vector.tolist(),
                "metadata": item.get("metadata"), "data": item["data"]}
        return "Success"

    def _query(self, namespace, body, query):
        return self._search(namespace, body, np.asarray(self._checked(body.get("vector"))))

    def _query_data(self, namespace, body, query):
        return self._search(namespace, body, self._embedded([body["data"]])[0])

    def _search(self, namespace, body, vector):
        matches = compile_filter(body.get("filter") or "")
        space = self._space(namespace)
        records = [r for r in space.values() if matches(r.get("metadata") or {})]
        if not records:
            return []
        matrix = np.array([r["vector"] for r in records], dtype=np.float64)
        cosines = (matrix @ vector) / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(vector))
        order = np.argsort(-cosines, kind="stable")[:int(body.get("topK", 10))]
        return [{"score": (1 + float(cosines[i])) / 2,
                 **self._shown(records[i], body)} for i in order]

    def _fetch(self, namespace, body, query):
        space = self._space(namespace)
        if body.get("prefix") is not None:
            return [self._shown(r, body) for i, r in sorted(space.items())
                    if i.startswith(body["prefix"])]
        return [self._shown(space[i], body) if i in space else None for i in body["ids"]]

    def _range(self, namespace, body, query):
        space = self._space(namespace)
        ids = sorted(i for i in space if i.startswith(body.get("prefix") or ""))
        start = int(body["cursor"] or 0)
        end = start + int(body["limit"])
        return {"nextCursor": str(end) if end < len(ids) else "",
                "vectors": [self._shown(space[i], body) for i in ids[start:end]]}

    def _delete(self, namespace, body, query):
        space = self._space(namespace)
        if "ids" in body:
            gone = [i for i in body["ids"] if i in space]
        elif "prefix" in body:
            gone = [i for i in space if i.startswith(body["prefix"])]
        else:
            matches = compile_filter(body["filter"])
            gone = [i for i, r in space.items() if matches(r.get("metadata") or {})]
        for i in gone:
            del space[i]
        return {"deleted": len(gone)}

    def _reset(self, namespace, body, query):
        for name in list(self.namespaces) if query == "all" else [namespace]:
            self._space(name).clear()
        return "Success"

    def _info(self, namespace, body, query):
        pending = self.pending_infos > 0
        self.pending_infos -= pending
        counts = {name: {"vectorCount": 0 if pending else len(space),
                         "pendingVectorCount": len(space) if pending else 0}
                  for name, space in self.namespaces.items()}
        return {"vectorCount": sum(c["vectorCount"] for c in counts.values()),
                "pendingVectorCount": sum(c["pendingVectorCount"] for c in counts.values()),
                "indexSize": 0, "dimension": self.dimension, "similarityFunction": "COSINE",
                "denseIndex": {"dimension": self.dimension, "similarityFunction": "COSINE",
                               "embeddingModel": self.model},
                "namespaces": counts}

    def _list_namespaces(self, namespace, body, query):
        return list(self.namespaces)

    def _delete_namespace(self, namespace, body, query):
        if namespace == "":
            raise ServiceError(400, "The default namespace cannot be deleted")
        self._space(namespace)
        del self.namespaces[namespace]
        return "Success"

    # ---- parts ---------------------------------------------------------------------------
    def _checked(self, vector) -> list[float]:
        if vector is None:
            raise ServiceError(400, "A dense index needs a vector")
        if len(vector) != self.dimension:
            raise ServiceError(400, f"Invalid vector dimension: {len(vector)}, expected: "
                                    f"{self.dimension}")
        return vector

    def _embedded(self, texts: list[str]) -> np.ndarray:
        if self.embed is None:
            raise ServiceError(400, "Embedding data for this index is not allowed. The index "
                                    "must be created with an embedding model to use it.")
        return np.asarray(self.embed(texts), dtype=np.float64)

    @staticmethod
    def _shown(record: dict, body: dict) -> dict:
        shown = {"id": record["id"]}
        for flag, key in (("includeVectors", "vector"), ("includeMetadata", "metadata"),
                          ("includeData", "data")):
            if body.get(flag) and record.get(key) is not None:
                shown[key] = record[key]
        return shown


# ---- the filter language, the part the twin uses -------------------------------------------
_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\")|(?P<num>-?\d+(?:\.\d+)?)"
                    r"|(?P<op>!=|=|\(|\)|,)|(?P<word>[A-Za-z_][A-Za-z_0-9.]*))")


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens, at = [], 0
    while at < len(text.rstrip()):
        found = _TOKEN.match(text, at)
        if not found or found.end() == at:
            raise ServiceError(400, f"Invalid filter: {text!r}")
        kind = found.lastgroup
        value = found.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "num":
            value = float(value)
        elif kind == "word" and value.upper() in ("AND", "OR", "NOT", "IN"):
            kind, value = "op", value.upper()
        tokens.append((kind, value))
        at = found.end()
    return tokens


def compile_filter(text: str) -> Callable[[dict], bool]:
    """`a = 'x' AND b IN ('y', 'z') OR c != 1`: AND binds tighter than OR; no parentheses
    around conditions. Anything else is refused, as the service refuses what it cannot parse."""
    if not text.strip():
        return lambda metadata: True
    tokens = _tokens(text)
    alternatives, conditions, at = [], [], 0

    def take(kind, value=None):
        nonlocal at
        if at >= len(tokens) or tokens[at][0] != kind or value not in (None, tokens[at][1]):
            raise ServiceError(400, f"Invalid filter: {text!r}")
        at += 1
        return tokens[at - 1][1]

    while True:
        name = take("word")
        if at < len(tokens) and tokens[at][1] in ("NOT", "IN"):
            negated = tokens[at][1] == "NOT" and take("op", "NOT") == "NOT"
            take("op", "IN")
            take("op", "(")
            values = [tokens[at][1]]
            at += 1
            while tokens[at][1] == ",":
                values.append(tokens[at + 1][1])
                at += 2
            take("op", ")")
            conditions.append(lambda m, n=name, v=values, neg=negated: (m.get(n) in v) != neg)
        else:
            op = take("op")
            if op not in ("=", "!="):
                raise ServiceError(400, f"Invalid filter: {text!r}")
            value = tokens[at][1]
            at += 1
            conditions.append(lambda m, n=name, v=value, o=op: (m.get(n) == v) == (o == "="))
        if at == len(tokens):
            alternatives.append(conditions)
            break
        joiner = take("op")
        if joiner == "OR":
            alternatives.append(conditions)
            conditions = []
        elif joiner != "AND":
            raise ServiceError(400, f"Invalid filter: {text!r}")
    return lambda metadata: any(all(c(metadata) for c in conds) for conds in alternatives)
