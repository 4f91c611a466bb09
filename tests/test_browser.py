"""The web page in a real headless Chromium against the app on a real loopback server."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

# required, as Chromium is: `make test` installs both, and a missing one fails the tests
import playwright.sync_api as playwright_api
import pytest

from digital_twin.api import create_app

from .conftest import ROOT, logs, usage_rows
from .servers import free_port, serving, wait_ready

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


def finished(answer) -> str:
    """Wait for the answer `answer` (an `article.msg.twin`) to end: rated (its feedback shown)
    or failed (the page's error). Fails with what the page says, not a bare timeout; gives
    the answer's text."""
    ended = answer.and_(answer.page.locator("article.error")).or_(answer.locator(".feedback"))
    try:
        ended.first.wait_for(state="visible", timeout=30_000)
    except playwright_api.TimeoutError:
        pytest.fail("no answer within 30 s; the page shows: "
                    f"{answer.inner_text()!r}, status {answer.page.inner_text('#status')!r}")
    text = answer.locator(".body").inner_text()
    if "error" in (answer.get_attribute("class") or "").split():
        pytest.fail(f"the page failed to answer: {text!r}")
    return text


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
    finished(answer)
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
    finished(page.locator("article.msg.twin").first)
    assert "Machine Learning Platform Engineer" in page.locator("article.msg.twin .body").first.inner_text()


def test_script_in_question_renders_as_text(page):
    attack = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"
    page.fill("#question", attack)
    page.click("#send")
    finished(page.locator("article.msg.twin").first)
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
        finished(page.locator("article.msg.twin").first)
        assert asked and "token" in asked[0]
        assert "University of Waterloo" in page.locator("article.msg.twin .body").inner_text()
        browser.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_last_answer_is_fully_visible_above_the_input(twin, settings, viewport):
    with serving(create_app(settings, twin)) as url, browse(url + "/", viewport) as page:
        for number, question in enumerate(("Where did you study?",
                                           "Tell me about your time at Tidewater Bank",
                                           "Which cloud platforms do you use?")):
            page.fill("#question", question)
            page.keyboard.press("Enter")
            finished(page.locator("article.msg.twin").nth(number))
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
        finished(answer)
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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_pasted_job_posting_gets_its_fit_table(twin, settings, viewport):
    posting = (ROOT / "examples" / "posting.md").read_text()
    with serving(create_app(settings, twin)) as url, browse(url + "/", viewport) as page:
        page.locator("#owner-name", has_text="Maya").wait_for()
        page.click("#fit summary")
        page.fill("#posting", posting)
        page.click("#fit-send")
        page.locator("#fit-result").wait_for(state="visible", timeout=30_000)
        assert "must-haves met" in page.inner_text("#fit-summary")
        rows = page.locator("#fit-rows tr")
        assert rows.count() == 10
        mlflow = rows.filter(has_text="MLflow, Kubeflow")
        assert mlflow.locator(".verdict").inner_text().endswith("meets")
        assert "digitaltwin.json" in mlflow.locator(".evidence").inner_text()
        rust = rows.filter(has_text="Experience with Rust")
        assert rust.locator(".verdict").inner_text().endswith("not in profile")
        for label in ("td.kind", "td.verdict"):  # short labels never broken inside a word
            for n in range(rows.count()):
                lines = rows.nth(n).locator(label).evaluate(
                    "e => { const r = document.createRange(); r.selectNodeContents(e); "
                    "return new Set(Array.from(r.getClientRects(), x => Math.round(x.top))).size; }")
                assert lines == 1, (label, n, lines)
        assert "555 0199" not in page.inner_text("#fit")  # the owner's private phone
        name = "phone" if viewport is PHONE else "desktop"
        page.locator("#fit-summary").scroll_into_view_if_needed()
        page.screenshot(path=str(settings.db.with_name(f"fit-{name}.png")))
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
    for number, question in enumerate(("Where did you study?",
                                       "Which cloud platforms do you use?")):
        page.fill("#question", question)
        page.keyboard.press("Enter")
        finished(page.locator("article.msg.twin").nth(number))
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


def test_make_it_yours_then_make_run_serves_only_the_owner(tmp_path):
    """The README's path: `twin init`, fill it in, `twin ingest --reset`, then `make run`,
    which must serve the owner's index as it is, without the bundled example joining it."""
    venv = Path(sys.prefix)
    twin, db = str(venv / "bin" / "twin"), tmp_path / "twin.db"
    env = {**os.environ, "TWIN_DB": str(db), "TWIN_PROVIDER": "extractive"}
    make_it = lambda *args: subprocess.run([twin, *args], env=env, cwd=tmp_path,  # noqa: E731
                                           capture_output=True, text=True, timeout=300)
    assert make_it("ingest", str(ROOT / "examples" / "digitaltwin.json")).returncode == 0
    assert make_it("init", "me.json").returncode == 0
    profile = json.loads((tmp_path / "me.json").read_text())
    profile["personal"].update(name="Rui Costa", title="Harbour Pilot",
                               location="Sines, Portugal", email="rui.costa@example.org",
                               summary="I bring container ships safely into Sines.")
    profile["education"] = [{"degree": "MSc Naval Architecture",
                             "school": "University of Lisbon", "dates": "2008 - 2010"}]
    (tmp_path / "me.json").write_text(json.dumps(profile))
    assert make_it("ingest", "--reset", "me.json").returncode == 0

    port = free_port()
    stamps = [str(venv / ".installed"),  # installed already: `make run` need not reinstall
              str(venv / "share/digital-twin/models/all-MiniLM-L6-v2/model.onnx")]
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        run = subprocess.Popen(["make", "-C", str(ROOT), f"VENV={venv}", f"PORT={port}",
                                *(f"--old-file={stamp}" for stamp in stamps), "run"],
                               env=env, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, run, log=log)
        with browse(url + "/", DESKTOP) as page:
            page.locator("#owner-name", has_text="Rui Costa").wait_for()
            said = []
            for question in ("Where are you based?", "What is your degree?",
                             "What is your email?"):
                page.fill("#question", question)
                page.keyboard.press("Enter")
                answer = page.locator("article.msg.twin").nth(len(said))
                said.append(finished(answer))
            page.screenshot(path=str(tmp_path / "made-yours.png"))
            assert not page.errors
        assert "Sines" in said[0] and "Naval Architecture" in said[1]
        assert "rui.costa@example.org" in said[2]
        for answer in said:  # nothing of the example person
            assert not {"Toronto", "Waterloo", "Maya", "okafor"} & set(
                answer.replace(".", " ").replace("@", " ").split()), answer
        assert "left as it is" in log.read_text()  # make run kept the owner's index
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=30)
