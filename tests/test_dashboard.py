"""The owner's dashboard: off without a token, closed to anyone without it, and in a real
headless Chromium its charts drawn with data, its lists filled, no console error."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from digital_twin.api import create_app
from digital_twin.config import Settings
from digital_twin.service import Twin

from .servers import serving
from .test_browser import DESKTOP, browse

TOKEN = "owner-secret-token-123"
CHARTS = ("chart-requests", "chart-cost", "chart-latency", "chart-cache", "chart-variants")


@pytest.fixture
def owner_twin(settings, embedder, example) -> Twin:
    twin = Twin(Settings(**{**settings.model_dump(), "admin_token": TOKEN, "rate_limit": 0}),
                embedder=embedder)
    twin.ingest([example])
    yield twin
    twin.close()


def visits(twin: Twin) -> None:
    """A few visitors: covered questions, one asked twice (cached), uncovered ones, a rating,
    a lead."""
    first = twin.ask("Where did you study?")
    twin.ask("Where did you study?")
    twin.ask("Which cloud platforms have you used?", first.session_id)
    twin.ask("Do you play the bagpipes?")
    twin.ask("Can you play the bagpipes <script>alert(1)</script>?")
    twin.record_feedback("Where did you study?", first.answer, 1, answer_id=first.answer_id)
    twin.leave_contact("Ada Lovelace", "ada@example.com", "Let's talk about a role.",
                       company="Analytical Engines", session_id=first.session_id)


def test_dashboard_is_off_without_a_token(twin, settings):
    client = TestClient(create_app(settings, twin))
    for path in ("/dashboard", "/dashboard/api/summary"):
        assert client.get(path).status_code == 404
    assert client.post("/dashboard/login", data={"token": "x"}).status_code in (404, 405)


# What a browser or a forger can put in a cookie's value: any bytes but the separators of the
# header itself, in the cookie's own shape (issued.signature) or not.
COOKIE_BYTES = st.binary(max_size=600).map(
    lambda raw: bytes(b for b in raw if b not in b"\r\n\x00;"))
COOKIES = st.one_of(COOKIE_BYTES,
                    st.builds(lambda a, b: a + b"." + b, COOKIE_BYTES, COOKIE_BYTES),
                    st.builds(lambda n, b: str(n).encode() + b"." + b,
                              st.integers(min_value=-10**30, max_value=10**400), COOKIE_BYTES))


@examples(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=COOKIES)
def test_any_cookie_is_refused_with_a_401_never_a_500(owner_twin, value):
    client = TestClient(create_app(owner_twin.settings, owner_twin))
    cookie = {"cookie": b"twin_admin=" + value}
    assert client.get("/dashboard/api/summary", headers=cookie).status_code == 401
    page = client.get("/dashboard", headers=cookie)
    assert page.status_code == 200 and 'name="token"' in page.text


@pytest.mark.parametrize("issued", ["1" * 400, "²", "١٢٣٤٥", "9" * 13, "-5", ""])
def test_a_forged_cookie_is_refused_not_a_crash(owner_twin, issued):
    """Digits Python's `isdigit` accepts but `int` or the clock cannot use: the dashboard
    refuses them like any wrong cookie."""
    client = TestClient(create_app(owner_twin.settings, owner_twin))
    cookie = {"cookie": f"twin_admin={issued}.deadbeef".encode()}  # sent as the bytes a browser would
    assert client.get("/dashboard/api/summary", headers=cookie).status_code == 401
    page = client.get("/dashboard", headers=cookie)
    assert page.status_code == 200 and 'name="token"' in page.text
    authorised = {"Authorization": f"Bearer {TOKEN}"}
    for hours in ("²", "1" * 400):
        assert client.get("/dashboard/api/summary", params={"hours": hours},
                          headers=authorised).status_code == 422


def test_dashboard_and_its_api_refuse_without_the_token(owner_twin):
    client = TestClient(create_app(owner_twin.settings, owner_twin))
    visits(owner_twin)
    refused = client.get("/dashboard/api/summary")
    assert refused.status_code == 401 and "TWIN_ADMIN_TOKEN" in refused.json()["hint"]
    assert client.get("/dashboard/api/summary",
                      headers={"Authorization": "Bearer wrong"}).status_code == 401
    login = client.get("/dashboard")
    assert login.status_code == 200 and 'name="token"' in login.text
    assert "bagpipes" not in login.text and "chart" not in login.text
    bad = client.post("/dashboard/login", data={"token": "wrong"}, follow_redirects=False)
    assert bad.status_code == 401 and "does not open the dashboard" in bad.text

    data = client.get("/dashboard/api/summary",
                      headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert data["totals"]["requests"] == 5
    assert sum(p["requests"] for p in data["timeline"]["points"]) == 5
    assert data["totals"]["cache_hit_rate"] == 0.2
    assert data["recent"][-1]["question"] == "Where did you study?"
    assert data["recent"][-1]["rating"] == 1 and data["recent"][-1]["answer"]
    assert sorted(g["question"] for g in data["gaps"])[0] == "Can you play the bagpipes <script>alert(1)</script>?"
    assert data["leads"][0]["questions"] == ["Where did you study?",
                                             "Which cloud platforms have you used?"]


def test_the_login_form_sets_an_httponly_cookie_that_is_not_the_token(owner_twin):
    client = TestClient(create_app(owner_twin.settings, owner_twin))
    done = client.post("/dashboard/login", data={"token": TOKEN}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/dashboard"
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/dashboard" in cookie
    assert TOKEN not in cookie
    assert client.get("/dashboard/api/summary").status_code == 200  # the cookie is sent back
    assert "chart-requests" in client.get("/dashboard").text
    client.post("/dashboard/logout")
    assert client.get("/dashboard/api/summary").status_code == 401


def test_cookies_expire_and_other_sites_cannot_post_the_forms(owner_twin):
    app = create_app(owner_twin.settings, owner_twin)
    client = TestClient(app)
    issued, _, mark = client.post("/dashboard/login", data={"token": TOKEN},
                                  follow_redirects=False).cookies["twin_admin"].partition(".")
    assert issued.isdigit() and mark
    stale = f"{int(issued) - 9 * 3600}.{mark}"  # an old time under a fresh mark: no entry
    assert TestClient(app, cookies={"twin_admin": stale}).get(
        "/dashboard/api/summary").status_code == 401
    cross = {"sec-fetch-site": "cross-site"}
    assert client.post("/dashboard/logout", headers=cross).status_code == 403
    assert client.get("/dashboard/api/summary").status_code == 200  # still logged in
    assert client.post("/dashboard/login", data={"token": TOKEN},
                       headers=cross).status_code == 403


def test_the_window_is_checked_only_for_the_owner(owner_twin):
    client = TestClient(create_app(owner_twin.settings, owner_twin))
    assert client.get("/dashboard/api/summary", params={"hours": "0"}).status_code == 401
    owner = {"Authorization": f"Bearer {TOKEN}"}
    for hours in ("0", "-1", "abc", "8785"):
        res = client.get("/dashboard/api/summary", params={"hours": hours}, headers=owner)
        assert res.status_code == 422 and "1 to 8784" in res.json()["hint"]
    assert client.get("/dashboard/api/summary", params={"hours": "24"},
                      headers=owner).status_code == 200


def test_stuffed_or_forged_ratings_count_once_or_not_at_all(owner_twin):
    answer = owner_twin.ask("Where did you study?")
    for _ in range(10):
        owner_twin.record_feedback("q", answer.answer, 1, answer_id=answer.answer_id)
    owner_twin.record_feedback("q", answer.answer, -1, answer_id=answer.answer_id)  # latest
    owner_twin.record_feedback("q", "a", 1, answer_id="forged-id")
    data = owner_twin.reports.dashboard(3600)
    assert data["totals"]["feedback"] == {"up": 0, "down": 1}
    assert data["recent"][0]["rating"] == -1
    for n in range(60):
        owner_twin.leave_contact(f"Visitor {n}", f"v{n}@example.com", "Hello")
    data = owner_twin.reports.dashboard(3600)
    assert data["leads_total"] == 60 and len(data["leads"]) == 50


def test_dashboard_draws_its_charts_with_data_in_a_real_browser(owner_twin):
    visits(owner_twin)
    app = create_app(owner_twin.settings, owner_twin)
    with serving(app) as url, browse(url + "/dashboard", DESKTOP) as page:
        page.fill("#token", TOKEN)
        page.click("button[type=submit]")
        page.locator("#status", has_text="Updated").wait_for(timeout=30_000)
        # Chart.js sizes every canvas it draws on: count the charts it drew.
        drawn = page.locator("canvas[style*='display: block']")
        assert drawn.count() == len(CHARTS)
        for chart in CHARTS:
            box = page.locator(f"#{chart}").bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50
        assert page.locator("#cards .card").count() >= 10
        assert page.locator("#recent tbody tr").count() == 5
        assert page.locator("#gaps tbody tr").count() == 2
        assert "Ada Lovelace" in page.inner_text("#leads")
        # A visitor's markup is shown as text, never run or rendered.
        assert "<script>alert(1)</script>" in page.inner_text("#recent")
        page.screenshot(path=str(owner_twin.settings.db.with_name("dashboard.png")),
                        full_page=True)
        assert not page.errors, page.errors
