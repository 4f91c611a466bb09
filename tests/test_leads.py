"""Leads: a visitor leaves their details through the API or MCP; the owner lists them and is
told through a webhook (a loopback receiver that fails once, then accepts)."""

from __future__ import annotations

import json
import time

import anyio
import pytest
from mcp.client.client import Client
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from typer.testing import CliRunner

from digital_twin.api import create_app
from digital_twin.cli import app
from digital_twin.mcp_server import create_mcp
from digital_twin.service import Twin

from .servers import serving


class Receiver:
    """A webhook receiver on loopback whose first `failures` deliveries get a 503."""

    def __init__(self, failures: int = 1):
        self.failures, self.received = failures, []

    @property
    def app(self) -> Starlette:
        async def hook(request: Request):
            body = await request.json()
            if self.failures:
                self.failures -= 1
                return JSONResponse({"error": "busy"}, status_code=503)
            self.received.append(body)
            return JSONResponse({"ok": True})
        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])

    def wait(self, count: int, seconds: float = 15) -> list[dict]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received


@pytest.fixture
def hooked(settings, embedder, example):
    receiver = Receiver()
    with serving(receiver.app) as url:
        config = settings.model_copy(update={"notify_url": url + "/hook", "notify_gaps": True,
                                             "rate_limit": 0})
        twin = Twin(config, embedder=embedder)
        twin.ingest([example])
        yield twin, receiver


def test_a_lead_through_the_api_is_kept_listed_and_delivered(hooked, monkeypatch):
    from fastapi.testclient import TestClient

    twin, receiver = hooked
    client = TestClient(create_app(twin.settings, twin))
    first = client.post("/api/query", json={"question": "Where did you study?"}).json()
    res = client.post("/api/contact", json={
        "name": "Ana Silva", "email": "ana@hiring.example", "company": "Kestrel",
        "message": "We have a staff ML platform role; can we talk?",
        "session_id": first["session_id"]})
    assert res.status_code == 201
    delivered = receiver.wait(1)
    assert delivered and "Ana Silva (Kestrel)" in delivered[0]["text"]  # after one 503
    assert delivered[0]["lead"]["questions"] == ["Where did you study?"]
    monkeypatch.setenv("TWIN_DB", str(twin.settings.db))
    listed = json.loads(CliRunner().invoke(app, ["leads", "--json"]).stdout)
    assert listed[0]["email"] == "ana@hiring.example"
    assert listed[0]["questions"] == ["Where did you study?"]
    text = CliRunner().invoke(app, ["leads"]).stdout
    assert "Ana Silva" in text and "asked: Where did you study?" in text


@pytest.mark.parametrize(("body", "reason"), [
    ({"name": "A", "email": "not-an-email", "message": "hi"}, "email"),
    ({"name": " ", "email": "a@b.example", "message": "hi"}, "name"),
    ({"name": "A", "email": "a@b.example", "message": "x" * 5000}, "message"),
])
def test_bad_leads_get_a_reason(hooked, body, reason):
    from fastapi.testclient import TestClient

    twin, _ = hooked
    res = TestClient(create_app(twin.settings, twin)).post("/api/contact", json=body)
    assert res.status_code == 422 and reason in res.json()["error"]


def test_a_lead_through_mcp_and_gap_notices(hooked):
    twin, receiver = hooked

    async def main():
        async with Client(create_mcp(twin)) as client:
            result = await client.call_tool("leave_contact", {
                "name": "Kai Tanaka", "email": "kai@recruit.example",
                "message": "Interested in your feature store work."})
            assert not result.is_error
            bad = await client.call_tool("leave_contact", {
                "name": "Kai", "email": "nope", "message": "hi"})
            assert bad.is_error and "email" in bad.content[0].text
    anyio.run(main)
    twin.ask("Do you play the bagpipes?")  # a gap, told to the owner too
    delivered = receiver.wait(2)
    kinds = {d["kind"] for d in delivered}
    assert kinds == {"lead", "gap"}
    assert any("Kai Tanaka" in d["text"] for d in delivered)
