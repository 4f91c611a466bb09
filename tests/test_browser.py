"""The web page in a real headless Chromium against the app on a real loopback server."""

from __future__ import annotations

import contextlib
import shutil

# required, as Chromium is: `make test` installs both, and a missing one fails the tests
import playwright.sync_api as playwright_api
import pytest

from digital_twin.api import create_app

from .conftest import logs, usage_rows
from .servers import serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser



ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


@contextlib.contextmanager
def browse(url: str, viewport: dict = PHONE):
    """A page of a real headless Chromium at `url`, its console errors in `page.errors`."""
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get).")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(viewport=viewport).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.errors = errors
        try:
            yield page
        finally:
            browser.close()


@pytest.fixture
def page(twin, settings):
    with serving(create_app(settings, twin)) as url, browse(url + "/") as page:
        page.url_base = url
        yield page


def test_ask_stream_sources_feedback(page, twin):
    page.locator("#owner-name", has_text="Maya").wait_for()
    assert "Senior Machine Learning Platform Engineer" in page.inner_text("#owner-title")
    assert page.locator("#suggestions button").count() == 4

    page.fill("#question", "Where did you study?")
    page.keyboard.press("Enter")
    answer = page.locator("article.msg.twin").last
    answer.locator(".feedback").wait_for(state="visible", timeout=30_000)
    assert "University of Waterloo" in answer.locator(".body").inner_text()

    answer.locator("summary").click()  # expandable sources
    first_source = answer.locator(".sources li").first
    assert "Systems Design Engineering" in first_source.inner_text()

    answer.locator("button.up").click()
    answer.locator(".thanks").wait_for(state="visible")
    rows = logs(twin.settings).feedback()
    assert rows and rows[0].rating == 1 and rows[0].question == "Where did you study?"
    assert rows[0].answer_id in {row.answer_id for row in usage_rows(twin)}  # joins its answer
    page.screenshot(path=str(twin.settings.db.with_name("page.png")))
    assert not page.errors


def test_suggested_question_and_keyboard(page):
    page.wait_for_selector("#suggestions button")
    page.keyboard.press("Tab")  # keyboard reaches the suggestions first
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "What do you do now?"
    page.keyboard.press("Enter")
    page.locator("article.msg.twin .feedback").first.wait_for(state="visible", timeout=30_000)
    assert "Machine Learning Platform Engineer" in page.locator("article.msg.twin .body").first.inner_text()


def test_script_in_question_renders_as_text(page):
    attack = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"
    page.fill("#question", attack)
    page.click("#send")
    page.locator("article.msg.twin .feedback").first.wait_for(state="visible", timeout=30_000)
    assert page.locator(".msg.you").first.inner_text() == attack
    assert page.evaluate("window.pwned") is None
    assert page.locator("#log script, #log img").count() == 0


def test_page_asks_for_the_token_when_one_is_set(twin, settings):
    secured = type(settings)(**{**settings.model_dump(), "api_token": "open-sesame"})
    with serving(create_app(secured, twin)) as url, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page()
        asked = []
        page.on("dialog", lambda d: (asked.append(d.message), d.accept("open-sesame")))
        page.goto(url + "/")
        page.locator("#owner-name", has_text="Maya").wait_for()
        page.fill("#question", "Where did you study?")
        page.click("#send")
        page.locator("article.msg.twin .feedback").first.wait_for(state="visible",
                                                                  timeout=30_000)
        assert asked and "token" in asked[0]
        assert "University of Waterloo" in page.locator("article.msg.twin .body").inner_text()
        browser.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_last_answer_is_fully_visible_above_the_input(twin, settings, viewport):
    with serving(create_app(settings, twin)) as url, browse(url + "/", viewport) as page:
        for question in ("Where did you study?", "Tell me about your time at Tidewater Bank",
                         "Which cloud platforms do you use?"):
            page.fill("#question", question)
            page.keyboard.press("Enter")
            page.locator("article.msg.twin .feedback").nth(
                page.locator("article.msg.twin").count() - 1).wait_for(state="visible",
                                                                          timeout=30_000)
        page.wait_for_timeout(300)
        last = page.locator("article.msg.twin").last.bounding_box()
        form = page.locator("#ask-form").bounding_box()
        assert last["y"] >= 0 and last["y"] + last["height"] <= form["y"] + 1, (last, form)
        name = "phone" if viewport is PHONE else "desktop"
        page.screenshot(path=str(settings.db.with_name(f"answer-{name}.png")))
        assert not page.errors


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_page_is_tidy_after_a_rating(twin, settings, viewport):
    """No label broken inside a word, the thanks in the feedback line's own size, and no blank
    band between the introduction and the suggested questions."""
    with serving(create_app(settings, twin)) as url, browse(url + "/", viewport) as page:
        page.locator("#owner-name", has_text="Maya").wait_for()
        note = page.locator(".intro .note").bounding_box()
        first = page.locator("#suggestions button").first.bounding_box()
        assert 0 < first["y"] - (note["y"] + note["height"]) <= 40, (note, first)
        page.fill("#question", "Where did you study?")
        page.keyboard.press("Enter")
        answer = page.locator("article.msg.twin").last
        answer.locator(".feedback").wait_for(state="visible", timeout=30_000)
        answer.locator("button.up").click()
        answer.locator(".thanks").wait_for(state="visible")
        for label in ("button.up", "button.down", ".ask-feedback", ".thanks"):
            part = answer.locator(f".feedback {label}")
            lines = part.evaluate("e => { const r = document.createRange(); "
                                  "r.selectNodeContents(e); return new Set(Array.from("
                                  "r.getClientRects(), x => Math.round(x.top))).size; }")
            assert lines == 1, f"{label} wraps onto {lines} lines"
        sizes = {answer.locator(f".feedback {label}").evaluate(
            "e => getComputedStyle(e).fontSize") for label in ("button.up", ".thanks",
                                                                ".ask-feedback")}
        assert len(sizes) == 1, sizes
        name = "phone" if viewport is PHONE else "desktop"
        page.screenshot(path=str(settings.db.with_name(f"rated-{name}.png")))
        assert not page.errors


def test_title_and_link_preview_name_the_owner(twin, settings):
    with serving(create_app(settings, twin)) as url, browse(url + "/") as page:
        assert page.title() == "Maya Okafor · Digital Twin"  # before any script runs
        preview = page.locator('meta[property="og:title"]').get_attribute("content")
        assert preview == "Maya Okafor · Digital Twin"
        assert page.locator('meta[property="og:description"]').get_attribute("content")


def test_api_docs_render_offline(twin, settings):
    with serving(create_app(settings, twin)) as url, browse(url + "/docs", DESKTOP) as page:
        page.locator(".opblock").first.wait_for(state="visible", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/query" in paths and "/api/search" in paths
        assert not page.errors, page.errors


def test_a_visitor_leaves_their_details_after_a_few_answers(page, twin):
    assert page.locator("#contact-form").is_hidden()
    for question in ("Where did you study?", "Which cloud platforms do you use?"):
        page.fill("#question", question)
        page.keyboard.press("Enter")
        page.locator("article.msg.twin .feedback").nth(
            page.locator("article.msg.twin").count() - 1).wait_for(state="visible",
                                                                      timeout=30_000)
    page.locator("#contact-form").wait_for(state="visible")
    page.fill("#contact-name", "Ana Silva")
    page.fill("#contact-email", "ana@hiring.example")
    page.fill("#contact-message", "We have a platform role; can we talk?")
    page.click("#contact-send")
    page.locator("#contact-status", has_text="Thank you").wait_for()
    lead = logs(twin.settings).leads()[0]
    assert (lead.name, lead.email) == ("Ana Silva", "ana@hiring.example")
    assert lead.questions == ["Where did you study?", "Which cloud platforms do you use?"]
    assert not page.errors
