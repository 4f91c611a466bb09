"""Answer quality on profiles nobody tuned for: clean passages, the relevance decision,
readable extractive answers and follow-ups."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digital_twin.conversation import answerable_part, is_follow_up, retrieval_query
from digital_twin.profile import load_profile
from digital_twin.profile.fields import is_placeholder, label
from digital_twin.ranking import PASSAGE_SIGNALS, QUESTION_SIGNALS, Decision, Models, fitted
from digital_twin.relevance import coverage, intents, missing_names
from digital_twin.service import Twin
from digital_twin.text import stem

from .conftest import ROOT, answer_of, write_json

PRIVATE = ["salary_location.current_salary"]


def texts(profile) -> str:
    return "\n".join(f"{c.title} :: {c.text}" for c in profile.chunks)


# ---- words -------------------------------------------------------------------------------------
def test_stemmer_joins_inflections_and_keeps_different_words_apart():
    assert stem("studies") == stem("studied") == stem("study")
    assert stem("located") == stem("location")
    assert stem("internship") != stem("interview")
    assert stem("python") == "python"


def test_labels_are_human():
    assert label("whatIDid") == "What I did"
    assert label("thesis_project") == "Thesis project"
    assert label("ai_ml") == "AI ML"


def test_placeholders_and_instructions_are_recognised():
    assert is_placeholder("I haven't worked with [specific technology] yet")
    assert is_placeholder("Your Full Name")
    assert is_placeholder("Brief introduction highlighting your unique value proposition")
    assert not is_placeholder("I led your team's favourite project")  # first person: a fact
    assert not is_placeholder("Reduced load time by 40% [1]")


# ---- passages ----------------------------------------------------------------------------------
def test_passages_leave_out_noise_and_keep_facts(tmp_path):
    path = write_json(tmp_path / "p.json", {
        "personal": {"name": "Your Full Name", "title": "Data Engineer", "location": "Oslo",
                     "elevator_pitch": "Brief 30-second introduction highlighting your value",
                     "languages": ["Norwegian", "English"],
                     "contact": {"email": "your.email@example.com",
                                 "linkedin": "linkedin.com/in/real-person"}},
        "salary_location": {"current_salary": "NOK 700,000",
                            "salary_expectations": "NOK 800,000"},
        "compensation_notes": {"currentSalaryRange": "NOK 690,000 - 710,000"},
        "skills": {"technical": {"programming_languages": [{"language": "Python", "years": 5}]},
                   "certifications": []},
        "education": {"university": "NTNU", "degree": "MSc Computer Science",
                      "thesis_project": "Streaming joins"},
        "interview_prep": {
            "common_questions": {"behavioral": ["Tell me about a time you failed"]},
            "out_of_scope": {"response_template": "My profile does not include [topic]."},
            "weakness_mitigation": [{"weakness": "Public speaking",
                                     "mitigation": "I joined Toastmasters"}]},
        "content_chunks": [{"id": "x-1", "title": "Note", "content": "I mentor two juniors.",
                            "metadata": {"tags": ["mentoring"]}}],
    })
    profile = load_profile(path, PRIVATE)
    body = texts(profile)
    for noise in ("Your Full Name", "your.email", "30-second", "[topic]", "x-1", "mentoring",
                  "Tell me about a time", "Certifications", "700,000", "690,000"):
        assert noise not in body, noise
    assert profile.owner.name is None and profile.owner.email is None
    assert profile.owner.linkedin == "linkedin.com/in/real-person"
    titles = {c.title: c.text for c in profile.chunks}
    assert titles["Languages I speak"] == "Languages I speak: Norwegian, English."
    assert titles["My salary expectations"] == "My salary expectations: NOK 800,000."
    assert "Thesis project: Streaming joins" in titles["MSc Computer Science"]
    assert "I studied MSc Computer Science at NTNU." in titles["MSc Computer Science"]
    weakness = next(c.text for c in profile.chunks if "Public speaking" in c.text)
    assert "Toastmasters" in weakness  # a weakness and what the owner does about it, together


def test_a_job_keeps_its_company_in_every_passage_and_roles_wanted_are_not_experience(tmp_path):
    path = write_json(tmp_path / "p.json", {
        "experience": [{"company": "Acme", "title": "Analyst", "duration": "2020 - Present",
                        "achievements_star": [{"situation": "Slow reports", "task": "Speed up",
                                               "action": "Cached them", "result": "10x faster"}]}],
        "career_goals": {"ideal_roles": ["Head of Data"], "not_ideal_roles": ["Pure sales"]},
        "target_role": {"company": "Globex", "title": "Staff Engineer",
                        "responsibilities": "You will own the platform."},
    })
    profile = load_profile(path, PRIVATE)
    star = next(c for c in profile.chunks if c.kind == "achievement")
    assert star.text.startswith("At Acme, as Analyst:") and "The result: 10x faster." in star.text
    job = next(c for c in profile.chunks if c.kind == "experience")
    assert "A result: 10x faster." in job.text
    assert profile.owner.current_job == "Currently I am an Analyst at Acme (2020 - Present)."
    body = texts(profile)
    assert "Head of Data" in body
    assert "A role I'm interested in: Staff Engineer at Globex." in body
    assert "interested in: Pure sales" not in body and "You will" not in body


def test_markdown_resume_feeds_the_owner_card_and_hides_private_sections(tmp_path):
    md = tmp_path / "cv.md"
    md.write_text("Ana Lima\n========\n\nSRE · Reliability\n\nana@example.org\n\n"
                  "## Experience\n\n### SRE, Foo (2021 – present)\n\n- Cut pages by 50%\n\n"
                  "References (private)\n---\n\nCall Bob.\n\n## Skills\n\n- Go, Terraform\n")
    profile = load_profile(md, PRIVATE)
    assert profile.owner.name == "Ana Lima" and profile.owner.title == "SRE · Reliability"
    assert profile.owner.email == "ana@example.org"
    about = profile.chunks[0]
    assert about.title == "About me" and "Currently I am a SRE, Foo (2021 – present)." in about.text
    body = texts(profile)
    assert "Bob" not in body and "Terraform" in body  # a setext private heading is a heading
    job = next(c for c in profile.chunks if "Cut pages" in c.text)
    assert job.text.startswith("SRE, Foo (2021 – present): ")


# ---- the relevance decision --------------------------------------------------------------------
VOCABULARY = {stem(w): 1 for w in "python kubernetes sydney university react acme c".split()}


@pytest.mark.parametrize(("question", "names"), [
    ("Did you ever work at NASA?", ["NASA"]),
    ("Have you used Vue.js?", ["Vue.js"]),
    ("What did you build at Acme? What was the impact?", []),
    ("How good is your C++?", []),
    ("Are you allowed to work in the US?", []),  # two letters: too short to decide alone
])
def test_missing_names(question, names):
    assert missing_names(question, VOCABULARY) == names


def test_coverage_weighs_rare_words():
    assert coverage("Do you know Python?", VOCABULARY, 10) == 1.0
    assert coverage("Have you built smartwatch apps with React?", VOCABULARY, 10) < 0.5


@pytest.mark.parametrize(("question", "first"), [
    ("Where did you study?", "education"),
    ("What do you do now?", "role"),
    ("What do you do outside of work?", "hobbies"),
    ("What salary are you after?", "salary"),
    ("How much notice do you need to give?", "availability"),
    ("Tell me about a time you led a team", "story"),
    ("Could you walk me through your professional background?", "about"),
    ("Give me a quick overview of your career.", "about"),
    ("Have you received any awards?", "achievements"),
    ("Could you start by introducing yourself?", "about"),
    ("When could you start with us?", "availability"),
])
def test_intents(question, first):
    assert intents(question)[0] == first


def test_relocating_to_a_place_the_profile_never_names_gets_the_owners_plans(
        tmp_path, settings, embedder):
    """The place a relocation question names is where to, not a fact the profile must hold;
    a profile with no plans still says it does not cover them."""
    lines = ["# Lena Vogt", "", "Site engineer in Hamburg, eight years on bridge projects.", "",
             "## Experience", "", "- Site engineer, Nordbau GmbH, 2017 - present: led the "
             "deck pour of the Elbe crossing."]
    plans = ["", "## What I'm looking for", "", "Open to relocating within Germany; I would "
             "not move abroad."]
    for name, text, said in (("plans.md", lines + plans, "within Germany"),
                             ("none.md", lines, "doesn't cover")):
        path = tmp_path / name
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        twin = Twin(settings.model_copy(update={"db": tmp_path / f"{name}.db"}),
                    embedder=embedder)
        twin.ingest([path])
        assert said in twin.ask("Would you relocate to Lisbon for the right job?").answer, name
        twin.close()


def test_a_career_summary_in_other_words_is_answered(twin):
    """The interview opener, however it is put, gets the owner's summary, not a decline."""
    for question in ("Give me a short summary of your career so far.",
                     "Could you walk me through your background?"):
        answer = twin.ask(question)
        assert "doesn't cover" not in answer.answer and answer.sources, question


def test_the_decision_weighs_what_separates_covered_from_not():
    """The fitted decision: a name the profile never mentions, or a yes-or-no question about
    words it does not hold, makes "covered" less likely; a recruiter question with no topic of
    its own ("What's your background?") and the profile's words make it more likely."""
    models = fitted()
    base = dict.fromkeys(QUESTION_SIGNALS, 0.0)
    base.update(best_score=0.8, second_score=0.6, best_cosine=0.35, coverage=0.6,
                addressed=1.0, best_overlap=0.5)

    def chance(**changes):
        values = {**base, **changes}
        return models.decision.chance(np.asarray([values[n] for n in QUESTION_SIGNALS]))

    assert chance(missing_name=1.0) < chance()
    assert chance(missing_phrase=1.0) < chance()
    assert chance(coverage=0.0, best_overlap=0.0) < chance()
    assert chance(topicless=1.0, coverage=0.0) > chance(coverage=0.0)
    assert chance(addressed=0.0) < chance()
    assert 0.0 < models.decision.borderline <= models.decision.covered < 1.0


def test_the_ranker_weighs_similarity_words_and_kind():
    weights = dict(zip(PASSAGE_SIGNALS, fitted().ranker.weights, strict=True))
    assert weights["cosine_gap"] > 0 and weights["bm25"] > 0 and weights["intent"] > 0


# ---- answers and conversations -----------------------------------------------------------------
def test_extractive_answers_one_job_and_cites_what_it_lists(twin):
    answer = twin.ask("Tell me about your time at Tidewater Bank")
    assert "Tidewater Bank" in answer.answer and "Northwind" not in answer.answer
    assert "[1]" in answer.answer and "[3]" not in answer.answer
    cited = {int(n) for n in __import__("re").findall(r"\[(\d)\]", answer.answer)}
    assert len(answer.sources) == max(cited)  # the n-th source listed is [n]


@pytest.mark.parametrize("question", ["What is your current salary?",
                                      "What are you paid in your current job?",
                                      "What did you earn last year?",
                                      "What's your current CTC, fixed and variable?",
                                      "What is your remuneration at the moment?"])
def test_private_current_salary_is_said_to_be_private(twin, question):
    # what the owner expects is what the twin can say instead, however the pay is asked
    answer = twin.ask(question)
    assert "private" in answer.answer and "182,000" not in answer.answer
    assert "190,000" in answer.answer


def test_the_expected_pay_asked_now_is_not_said_to_be_private(twin):
    answer = twin.ask("What is your current salary expectation?")
    assert "private" not in answer.answer and "190,000" in answer.answer


def test_uncovered_questions_are_declined_with_contact_and_no_sources(twin):
    for question in ("Have you worked at NASA?", "What is your experience with SAP ABAP?",
                     "What's the best recipe for lasagna?"):
        answer = twin.ask(question)
        assert "doesn't cover" in answer.answer and answer.sources == []
        assert "maya.okafor@example.com" in answer.answer


def test_borderline_passages_go_to_an_llm_never_to_the_extractive_composer(twin, settings,
                                                                             embedder):
    from digital_twin.composing import compose
    from digital_twin.providers.base import Request
    from digital_twin.retrieval import Retriever
    from digital_twin.stores.sqlite import SQLiteIndex

    index = SQLiteIndex(settings.db)
    shipped = fitted()
    unsure = Models(shipped.ranker, Decision(shipped.decision.model, 1.01, 0.0),
                    shipped.sentences)
    question = "Tell me about feature stores"
    kept = Retriever(index, embedder, models=unsure, keep_borderline=True).search(question)
    assert kept and all(hit.verdict == "borderline" for hit in kept)
    assert Retriever(index, embedder, models=unsure).search(question) == []
    text, cited = compose(Request(question, kept, [], twin.persona))
    assert "doesn't cover" in text and cited == []
    # with the shipped thresholds this one is borderline: an LLM twin sees passages, ours none
    borderline = "Do you play chess?"
    assert Retriever(index, embedder).decide(borderline)[1] == "borderline"
    llm = settings.model_copy(update={"provider": "openai", "openai_model": "m",
                                      "openai_base_url": "http://127.0.0.1:9/v1"})
    assert Twin(llm, embedder=embedder).search(borderline)
    assert twin.search(borderline) == []
    assert "doesn't cover" in twin.ask(borderline).answer


def test_parts_of_one_passage_are_read_in_order():
    from digital_twin.profile.chunk import Chunk
    from digital_twin.retrieval import in_part_order

    chunks = {"late": Chunk("Story (2/2)", "Successfully deployed.", "p.json", "exp.0.star#2"),
              "other": Chunk("Skills", "Python.", "p.json", "skills"),
              "early": Chunk("Story (1/2)", "At Acme, as Analyst: …", "p.json", "exp.0.star#1"),
              "more": Chunk("Q › More", "Lesson learned: test.", "p.json", "qa.2.star.more"),
              "story": Chunk("Q", "The situation: …", "p.json", "qa.2.star")}
    assert in_part_order(list(chunks), chunks) == ["early", "other", "late", "story", "more"]
    assert in_part_order(["other", "more"], chunks) == ["other", "more"]


def test_what_was_built_is_answered_with_what_was_done():
    from digital_twin.composing import compose
    from digital_twin.prompting import Persona
    from digital_twin.providers.base import Request
    from digital_twin.retrieval import Hit

    situation = "The situation: " + "teams waited days for answers about the data " * 6 + "."
    text = (f"At the Acme Hackathon, as Developer: {situation} My task: build a tool for the "
            "Acme Hackathon judges to use in the hackathon final. What I did: I wrote a "
            "search service on Postgres and FastAPI. The result: it won second place.")
    hit = Hit("1", "Acme Hackathon › Story", text, 1.0, "p.json", "exp.0.star", "achievement")
    answer, cited = compose(Request("What did you build during the Acme Hackathon?", [hit],
                                    [], Persona()))
    assert "Postgres and FastAPI" in answer and answer.startswith("At the Acme Hackathon")
    assert cited == [0]


def test_a_question_about_one_item_of_a_list_gets_that_item():
    from digital_twin.composing import compose
    from digital_twin.prompting import Persona
    from digital_twin.providers.base import Request
    from digital_twin.retrieval import Hit

    text = ("Programming languages: Python (3 years; Advanced; with NumPy); C (2 years); "
            "C++ (1 year; Basic; Gaps identified: limited production C++); Go (1 year).")
    hit = Hit("1", "Skills › Programming languages", text, 1.0, "p.json", "skills.languages",
              "skills")
    answer, _ = compose(Request("Half the role is C++. How good is your C++?", [hit], [],
                                Persona()))
    assert answer == ("Programming languages: C++ (1 year; Basic; Gaps identified: limited "
                      "production C++). [1]")
    whole, _ = compose(Request("Which programming languages do you know?", [hit], [],
                               Persona()))
    assert "Python" in whole and "Go (1 year)" in whole


def test_follow_up_resolution():
    history = [{"role": "user", "content": "Tell me about your time at Tidewater Bank"},
               {"role": "assistant", "content": "At Tidewater Bank I was a Data Engineer."}]
    assert is_follow_up("What was the result?")
    assert is_follow_up("Which tools did you use there?")
    assert not is_follow_up("What's the best recipe for lasagna?")
    subject = retrieval_query("What was the result?", history)
    assert subject.startswith("Tell me about") and "Data Engineer" in subject
    assert subject.endswith("What was the result?")
    assert retrieval_query("Where did you study?", history) == "Where did you study?"
    assert retrieval_query("What was the result?", []) == "What was the result?"
    # a question that neither points back nor names a topic starts afresh mid-conversation
    for fresh in ("Tell me about yourself.", "Where do you work now?", "What's your background?"):
        assert not is_follow_up(fresh)
        assert retrieval_query(fresh, history) == fresh
    assert is_follow_up("Why?") and is_follow_up("Tell me more.")
    # an opening "And" or a closing "there" goes on from the question before, however much
    # the question names
    assert is_follow_up("And how large was the team and client book there?")
    assert is_follow_up("How big were the crews she led there?")
    assert not is_follow_up("And what are your salary expectations?")
    # the subject is what the answer's first passage said, not the passages cited after it
    cited = [history[0], {"role": "assistant", "content": "At Tidewater Bank I was a Data "
                          "Engineer. [1] I live in Halifax and like sailing. [2]"}]
    subject = retrieval_query("What was the result?", cited)
    assert "Data Engineer" in subject and "sailing" not in subject


@pytest.mark.parametrize("question", ["What do you do at the moment?",
                                      "What are you working on at present?"])
def test_a_time_of_speaking_is_not_read_as_a_misspelt_word(settings, embedder, question):
    """"At the moment" dates the question: "moment", which this profile does not hold, is not
    respelled as a stem it does hold ("ment"), so the question still asks for the current
    job (a profile of the corpus's development split)."""
    twin = Twin(settings, embedder=embedder)
    twin.ingest([ROOT / "eval/corpus/profiles/marketing_director.json"])
    answer = twin.ask(question)
    twin.close()
    assert "Harbourside Foods Group" in answer.answer


COUNTRY_PROFILE = """# Dana Kowalczyk

Electrical superintendent in Denver, Colorado.

## Experience
Electrical Superintendent, Summit Peak Electrical, Denver, 2019 - present: run field
operations for commercial and multifamily jobs, 40 electricians.

## Logistics
- Work Authorization: U.S. citizen; clean driving record, own truck
- Earlier: two years on a crew in the United Kingdom (2009 - 2011)
"""


@pytest.mark.parametrize(("question", "expected"), [
    ("Are you authorized to work in the United States?", "U.S. citizen"),
    ("Are you authorised to work in the USA?", "U.S. citizen"),
    ("Have you ever worked in the UK?", "United Kingdom"),
])
def test_a_country_written_another_way_is_one_the_profile_names(settings, embedder, tmp_path,
                                                                question, expected):
    """"The United States" in a question and "U.S." in the profile are one country (ISO
    3166-1's names and codes), so the question is answered, not declined as naming something
    the profile does not hold."""
    answer = answer_of(settings, embedder, tmp_path / "dana.md", COUNTRY_PROFILE, question)
    assert expected in answer.answer, answer.answer


@pytest.mark.parametrize("question", ["Give me a quick rundown of your career.",
                                      "Your career in a nutshell?",
                                      "What's the gist of your experience?"])
def test_a_summary_asked_in_other_words_is_answered(settings, embedder, tmp_path, question):
    """"A quick rundown", "in a nutshell" and "the gist" ask for a summary, as "summarize"
    does: they say how to answer, not what about, so the profile need not hold them."""
    answer = answer_of(settings, embedder, tmp_path / "dana.md", COUNTRY_PROFILE, question)
    assert "Summit Peak" in answer.answer or "superintendent" in answer.answer.lower(), \
        answer.answer


LANGUAGES_PROFILE = """# Élodie Bastarache

Park warden in Québec.

## Langues

- Français : langue maternelle
- English: C1, four years working in English in the Yukon
- Deutsch: A2
"""


@pytest.mark.parametrize(("question", "expected"), [
    ("Is Élodie comfortable working in English as well as French?", "Français"),
    ("How good is your German?", "Deutsch"),
])
def test_a_language_written_in_the_profile_s_own_language_is_one_it_names(
        settings, embedder, tmp_path, question, expected):
    """"French" in a question and "Français" in the profile are one language (the names of
    ISO 639 languages in their translations, as pycountry ships them), so the question is
    answered, not declined as naming a language the profile does not hold."""
    answer = answer_of(settings, embedder, tmp_path / "elodie.md", LANGUAGES_PROFILE, question)
    assert expected in answer.answer, answer.answer


def test_a_country_the_profile_does_not_name_is_still_missing():
    from digital_twin.places import as_written

    def holds(name: str) -> bool:
        return name in ("U.S.", "United Kingdom")

    assert as_written("Can you work in the United States?", holds) == "Can you work in the U.S.?"
    assert as_written("Did you live in the UK?", holds) == "Did you live in the United Kingdom?"
    assert as_written("Did you work in Germany?", holds) == "Did you work in Germany?"
    assert as_written("Do you speak Spanish?", holds) == "Do you speak Spanish?"
    # capitalised words that are codes in lower case ("Are" is the Emirates' ARE) are not
    assert as_written("Are you free?", holds) == "Are you free?"


def test_a_follow_up_is_answered_from_its_subjects_passages(embedder):
    """After "Tell me about your time at Andes Cargo", "What were your biggest results
    there?" leads with that job's results: not its dates, nor another passage that shares a
    word or two with the first question."""
    from digital_twin.conversation import focused
    from digital_twin.embeddings import Closeness
    from digital_twin.hits import Hit

    hits = [Hit("a", "Previous roles", "Employer: Andes Cargo S.A. Title: Logistics Analyst. "
                "Location: Santiago, Chile. Dates: 2016 – 2021.", 0.9, "cv.md"),
            Hit("b", "About me", "I am a transport planner in Valencia. I moved from Santiago "
                "to Spain in 2021.", 0.8, "cv.md"),
            Hit("c", "Current role", "Cut empty kilometres by 14% in 2023 by pooling return "
                "loads.", 0.7, "cv.md"),
            Hit("d", "Previous roles", "Logistics Analyst, Andes Cargo S.A.: picking time fell "
                "from 11 to 7 minutes per order; won the Analyst of the Year award.", 0.6,
                "cv.md")]
    history = [{"role": "user", "content": "Tell me about your time at Andes Cargo in "
                "Santiago."}, {"role": "assistant", "content": "Employer: Andes Cargo S.A. [1]"}]
    closeness = Closeness(embedder)
    ordered = focused(hits, "What were your biggest results there?", history, closeness)
    assert [h.id for h in ordered] == ["d", "a", "b", "c"]
    # a question that is not a follow-up keeps the order it was found in
    assert focused(hits, "Where did you study?", history, closeness) == hits


def test_a_new_question_after_salary_is_not_answered_with_salary(twin):
    first = twin.ask("What are your salary expectations?")
    assert "190,000" in first.answer
    answer = twin.ask("What's the best recipe for lasagna?", first.session_id)
    assert "doesn't cover" in answer.answer and "190,000" not in answer.answer
    job = twin.ask("Tell me about your time at Tidewater Bank")
    follow = twin.ask("What was the result?", job.session_id)
    assert "70 minutes" in follow.answer


@pytest.mark.parametrize(("question", "expected"), [
    ("Have you spoken at any meetups?", "Toronto MLOps Meetup"),
    ("Which conferences have you spoken at?", "PyCon Canada"),
    ("Have you given any talks?", "PyCon Canada"),
    ("What have you written?", "Blog post, 2024"),
])
def test_talks_and_writing_from_a_pdf_without_headings(twin, example, question, expected):
    twin.ingest([example, ROOT / "examples" / "talks.pdf"])
    answer = twin.ask(question)
    assert expected in answer.answer and answer.sources
    assert "Programming languages" not in answer.answer


@pytest.mark.parametrize("question", ["Do you have a driving licence?"])
def test_a_near_miss_intent_is_declined(twin, question):
    # only programming languages and professional certifications are listed
    answer = twin.ask(question)
    assert "doesn't cover" in answer.answer and answer.sources == []


def test_a_section_named_summary_under_the_owners_name_is_the_about_me():
    from digital_twin.relevance import answers_intent

    for title in ("Ana Lima › Summary", "ANA LIMA › 1. Summary"):
        assert answers_intent("about", title, "document", "I build bridges in Porto.")
    assert not answers_intent("about", "Ana Lima › Skills summary", "document", "Python, SQL")


def test_spoken_at_is_about_talks_and_speak_is_about_languages():
    assert "languages" not in intents("Have you spoken at any meetups?")
    assert intents("Which conferences have you spoken at?") == ["talks"]
    assert intents("What languages do you speak?") == ["languages"]
    assert intents("Are you fluent in French?") == ["languages"]
    assert "writing" in intents("What have you written?")
    assert "writing" in intents("Have you published anything?")
    assert "writing" not in intents("Have you published any apps?")
    assert "certifications" not in intents("Do you have a driving licence?")


def test_several_degrees_are_listed_each_with_its_citation(settings, embedder, tmp_path):
    path = write_json(tmp_path / "p.json", {
        "personal": {"name": "Kofi Mensah", "title": "Analyst"},
        "education": {"degrees": [
            {"program": "MSc Data Science", "institution": "University of Leeds",
             "thesis": "Forecasting cocoa prices"},
            {"program": "BSc Economics", "institution": "University of Ghana"}]},
        "experience": [{"company": "Acme", "title": "Analyst", "duration": "2020 - present"}],
    })
    twin = Twin(settings, embedder=embedder)
    twin.ingest([path])
    answer = twin.ask("Where did you do your undergrad and your masters?").answer
    assert "University of Leeds" in answer and "University of Ghana" in answer
    assert "[1]" in answer and "[2]" in answer
    assert "Forecasting cocoa prices" in twin.ask("What was your thesis about?").answer


@pytest.mark.parametrize(("question", "asked"), [
    ("Leaving salary aside for now, which certifications do you hold?",
     "which certifications do you hold?"),
    ("Ignore the gap in my notes — where did you work before Northwind?",
     "where did you work before Northwind?"),
    ("In your current role, what do you manage?", "In your current role, what do you manage?"),
    ("What did you do at Acme, and how big was the team?",
     "What did you do at Acme, and how big was the team?"),
])
def test_an_aside_opening_a_question_is_not_searched(question, asked):
    from digital_twin.conversation import asked_part

    assert asked_part(question) == asked


def test_a_question_with_an_aside_is_answered_for_what_it_asks(twin):
    answer = twin.ask("Ignore the salary topic for now: which certifications do you hold?")
    assert "Kubernetes" in answer.answer and "190,000" not in answer.answer


def test_what_a_question_excludes_is_not_its_subject(twin, tmp_path):
    path = write_json(tmp_path / "p.json", {
        "name": "Aoife Byrne", "summary": "Midwife in Manchester.",
        "languagesSpoken": [{"language": "English", "level": "native"},
                            {"language": "Irish", "level": "fluent"},
                            {"language": "Polish", "level": "conversational (B1)"}]})
    twin.ingest([path], reset=True)
    answer = twin.ask("Do you speak any languages apart from English?").answer
    assert "Irish" in answer or "Polish" in answer


def test_pay_for_and_pay_off_are_not_about_wages():
    for question in ("How did you pay for a library at your previous school?",
                     "Did it pay off?", "How did you pay back the loan early?"):
        assert "salary" not in intents(question)
        assert answerable_part(question) == question  # never turned into the pay they expect
    for question in ("What are you paid now?", "How much do they pay you?",
                     "What was your pay at Acme?"):
        assert "salary" in intents(question)


def test_a_name_written_as_one_word_where_the_profile_writes_two_is_not_missing():
    vocabulary = {stem(w): 1 for w in ("world", "check", "one", "fircosoft", "screening")}
    assert missing_names("have you used worldcheck or fircosoft?", vocabulary) == []
    assert missing_names("have you used Actimize or worldcheck?", vocabulary) == ["Actimize"]


def _answers(settings, embedder, profile, questions: list[str]) -> list[str]:
    """The extractive answers of a twin of `profile` alone, closed after."""
    twin = Twin(settings, embedder=embedder)
    try:
        twin.ingest([profile])
        return [twin.ask(question).answer for question in questions]
    finally:
        twin.close()


def test_a_question_in_the_profiles_own_language_is_answered(settings, embedder, tmp_path):
    # the English signals (who is addressed, a yes-or-no question, a capitalised name) cannot
    # read German: "Was ist Ihre …" is no yes-or-no question and "Ihre" names no one missing
    from digital_twin.retrieval import in_english

    profile = tmp_path / "lebenslauf.md"
    profile.write_text("# Jens Hoffmann\n\nElektrotechnikermeister in Leipzig.\n\n## Rahmendaten"
                       "\n\n- Gehaltsvorstellung: 62.000 € brutto im Jahr\n"
                       "- Kündigungsfrist: 3 Monate zum Monatsende\n\n## Berufserfahrung\n\n"
                       "Bauleiter bei Elektro Krause GmbH seit 2017: Projekte bis 1,4 Mio. €.\n",
                       encoding="utf-8")
    pay, notice, nasa = _answers(settings, embedder, profile, [
        "Was ist Ihre Gehaltsvorstellung?", "Wie lang ist Ihre Kündigungsfrist?",
        "Have you worked at NASA?"])
    assert "62.000 €" in pay and "3 Monate" in notice and "doesn't cover" in nasa
    assert in_english("wats ur salery expectashun") and not in_english("Wat is haar salaris?")


def test_an_acronym_the_profile_spells_out_is_covered(settings, embedder, tmp_path):
    from digital_twin.retrieval import initialisms

    profile = tmp_path / "cv.md"
    profile.write_text("# Grace Mwangi\n\nBanker in Nairobi.\n\n## Education\n\n"
                       "2005 Master of Business Administration - Strathmore Business School\n",
                       encoding="utf-8")
    [answer] = _answers(settings, embedder, profile, ["Where did you do your MBA?"])
    assert "Strathmore" in answer
    assert {"ceo", "md"} <= initialisms("Chief Executive Officer & Managing Director")


def test_an_english_question_on_a_profile_in_another_language(settings, embedder, tmp_path):
    # the pay wanted and the city, read by meaning in the profile's language: a word of
    # wanting beside a pay word ("Lønnsforventning"), a translation of "city" as a key
    profile = tmp_path / "cv.json"
    profile.write_text(json.dumps({
        "Person": {"Navn": "Sigrid Dahl", "Stilling": "Sykepleier", "Bosted": "Tromsø"},
        "Kontakt": {"Epost": "sigrid.dahl@unn.example.no"},
        "Sammendrag": "Intensivsykepleier med ansvar for opplæring av 40 nyansatte.",
        "Erfaring": [{"Arbeidsgiver": "Universitetssykehuset", "Rolle": "Fagsykepleier",
                      "Periode": "2018–"}],
        "Lønnsforventning": "690 000 kr i året"}, ensure_ascii=False), encoding="utf-8")
    pay, city = _answers(settings, embedder, profile, ["What salary does she expect?",
                                                       "Which city is Sigrid based in?"])
    assert "690 000 kr" in pay and "Tromsø" in city


def test_sections_headed_in_the_owners_language(settings, embedder, tmp_path):
    # the Europass headings and "notice period" in Spanish, and the current pay asked in
    # Spanish: private, and the pay wanted said instead
    profile = tmp_path / "perfil.json"
    profile.write_text(json.dumps({
        "nombre": "Marta Gil Soler", "profesión": "Arquitecta técnica", "ciudad": "Zaragoza",
        "experiencia": [{"empresa": "Obras Ebro", "cargo": "Jefa de obra", "desde": "2017",
                         "hasta": "actualidad"}],
        "formación": [{"título": "Grado en Arquitectura Técnica",
                       "centro": "Universidad de Zaragoza", "año": 2012}],
        "disponibilidad": "Preaviso de dos meses",
        "expectativa_salarial": "48.000 EUR brutos anuales",
        "privado": {"salario_actual": "41.200 EUR"}}, ensure_ascii=False), encoding="utf-8")
    notice, study, pay = _answers(settings, embedder, profile, [
        "What is your notice period?", "Where did you study?", "¿Cuál es tu salario actual?"])
    assert "Preaviso de dos meses" in notice and "Universidad de Zaragoza" in study
    assert "private" in pay and "48.000 EUR" in pay and "41.200" not in pay
