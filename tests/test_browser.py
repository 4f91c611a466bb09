"""The web page in a real headless Chromium against the app on a real loopback server."""

from __future__ import annotations

import shutil

import pytest

from digital_twin.api import create_app

from .conftest import logs
from .servers import serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(twin, settings, tmp_path):
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get).")
    with serving(create_app(settings, twin)) as url, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic",
                  "--no-first-run"])
        context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url + "/")
        page.url_base = url
        page.errors = errors
        yield page
        browser.close()


def test_ask_stream_sources_feedback(page, twin):
    page.wait_for_function("document.getElementById('owner-name').textContent.includes('Maya')")
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
        page.wait_for_function("document.getElementById('owner-name').textContent.includes('Maya')")
        page.fill("#question", "Where did you study?")
        page.click("#send")
        page.locator("article.msg.twin .feedback").first.wait_for(state="visible",
                                                                  timeout=30_000)
        assert asked and "token" in asked[0]
        assert "University of Waterloo" in page.locator("article.msg.twin .body").inner_text()
        browser.close()
