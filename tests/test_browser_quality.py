"""The page's suggested questions, asked in a real headless Chromium, are answered for a
profile other than the bundled example: the Markdown résumé in `examples/`."""

from __future__ import annotations

import shutil

# required, as Chromium is: `make test` installs both, and a missing one fails the tests
import playwright.sync_api as playwright_api
import pytest

from digital_twin.api import create_app
from digital_twin.api.app import SUGGESTED
from digital_twin.evaluation import DECLINE_MARK
from digital_twin.service import Twin

from .conftest import ROOT
from .servers import serving
from .test_browser import CHROMIUM, finished

pytestmark = pytest.mark.browser

RESUME = ROOT / "examples" / "resume.md"
EXPECTED = {  # what each suggested question's answer must say, from the résumé
    "What do you do now?": "Quayside Payments",
    "Tell me about an achievement you're proud of.": "%",
    "What are your strongest skills?": "Go (6 years)",
    "What are you looking for in your next role?": "payments or fintech",
}


@pytest.fixture
def resume_twin(settings, embedder, tmp_path) -> Twin:
    target = tmp_path / "resume.md"
    shutil.copy(RESUME, target)
    twin = Twin(settings, embedder=embedder)
    twin.ingest([target])
    return twin


def test_suggested_questions_are_answered_for_a_resume(resume_twin, settings):
    assert set(EXPECTED) == set(SUGGESTED)
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get).")
    with serving(create_app(settings, resume_twin)) as url, \
            playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic",
                  "--no-first-run"])
        page = browser.new_page()
        page.goto(url + "/")
        page.locator("#owner-name", has_text="Priya Raman").wait_for()
        buttons = page.locator("#suggestions button")
        assert buttons.count() == len(SUGGESTED)
        for index in range(len(SUGGESTED)):
            button = buttons.nth(index)
            question = button.inner_text()
            button.click()
            answers = page.locator("article.msg.twin")
            body = finished(answers.nth(index))
            assert DECLINE_MARK not in body, (question, body)
            assert EXPECTED[question] in body, (question, body)
        browser.close()
