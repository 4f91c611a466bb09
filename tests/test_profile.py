"""Profiles in the shapes people write them, turned into meaningful, private-safe chunks."""

from __future__ import annotations

import pytest

from digital_twin.errors import ProfileError
from digital_twin.profile import load_profile

from .conftest import EXAMPLE, make_pdf, write_json

PRIVATE = ["salary_location.current_salary"]


def by_kind(profile, kind):
    return [c for c in profile.chunks if c.kind == kind]


def test_workshop_schema_is_chunked_by_meaning():
    profile = load_profile(EXAMPLE, PRIVATE)
    assert profile.owner.name == "Maya Okafor"
    assert profile.owner.title == "Senior Machine Learning Platform Engineer"
    jobs = by_kind(profile, "experience")
    assert len(jobs) == 3  # one per experience entry
    stars = by_kind(profile, "achievement")
    assert len(stars) == 3  # one per STAR achievement
    tidewater = next(c for c in stars if "Tidewater" in c.text)
    # readable sentences naming company and role, with all four STAR parts
    assert tidewater.text.startswith("At Tidewater Bank, as Data Engineer:")
    for part in ("The situation:", "My task:", "What I did:", "The result:"):
        assert part in tidewater.text
    skills = {c.title for c in by_kind(profile, "skills")}
    assert "Skills › Technical › Programming languages" in skills
    assert "Skills › Soft skills" in skills
    python = next(c for c in by_kind(profile, "skills") if "Programming" in c.title)
    assert "Python (9 years; Expert; with FastAPI, PySpark, pandas, PyTorch)" in python.text
    assert {c.title for c in by_kind(profile, "project")} == {"featherweight",
                                                             "Transit delay predictor"}
    assert all(c.source == "digitaltwin.json" and c.section for c in profile.chunks)
    assert len({c.id for c in profile.chunks}) == len(profile.chunks)
    about = next(c for c in profile.chunks if c.kind == "personal")
    assert "Currently I am a Senior Machine Learning Platform Engineer at Northwind Analytics " \
        "(March 2021 – present)." in about.text


def test_variant_shapes_and_unknown_sections(tmp_path):
    path = write_json(tmp_path / "twin.json", {
        "personalInfo": {"fullName": "Sam Rivera", "headline": "Product Designer"},
        "workExperience": [{"employer": "Globex", "role": "Lead Designer",
                            "start_date": "2020", "achievements": ["Redesigned checkout"]}],
        "projects": [{"title": "Open Palette", "summary": "A colour tool"}],
        "interview": [{"question": "Why design?", "answer": "I love solving problems for people."},
                      {"q": "Remote?", "a": "Yes, fully remote works for me."}],
        "volunteering": {"code_club": {"role": "Mentor", "since": 2019}},
        "hobbies": ["bouldering", "film photography"],
    })
    profile = load_profile(path, PRIVATE)
    assert profile.owner.name == "Sam Rivera" and profile.owner.title == "Product Designer"
    job = by_kind(profile, "experience")[0]
    assert job.text.startswith("At Globex I am a Lead Designer (2020 – present)")
    assert "Redesigned checkout" in job.text
    assert by_kind(profile, "project")[0].title == "Open Palette"
    qa = {c.title: c.text for c in by_kind(profile, "qa")}
    assert qa == {"Why design?": "I love solving problems for people.",
                  "Remote?": "Yes, fully remote works for me."}
    titles = {c.title: c for c in profile.chunks}
    assert "Volunteering" in titles and "Mentor" in titles["Volunteering"].text
    assert titles["Volunteering"].section == "volunteering"
    assert "bouldering" in titles["Hobbies"].text


def test_flat_profile_and_question_keyed_answers(tmp_path):
    path = write_json(tmp_path / "flat.json", {
        "name": "Ada Byrne", "title": "SRE", "summary": "I keep systems up.",
        "faq": {"What is your notice period?": "Two weeks."},
    })
    profile = load_profile(path, PRIVATE)
    assert profile.owner.name == "Ada Byrne"
    about = next(c for c in profile.chunks if c.kind == "personal")
    assert about.text.startswith("My name is Ada Byrne. I am a SRE.")
    assert [(c.title, c.text) for c in by_kind(profile, "qa")] == [
        ("What is your notice period?", "Two weeks.")]


def test_hand_written_content_chunks_are_used(tmp_path):
    path = write_json(tmp_path / "c.json", {
        "personal": {"name": "Kim"},
        "content_chunks": [{"id": "c1", "title": "Leadership style", "type": "soft",
                            "content": "I lead by writing things down."}],
    })
    chunk = next(c for c in load_profile(path, PRIVATE).chunks if c.title == "Leadership style")
    assert chunk.text == "I lead by writing things down." and chunk.kind == "soft"


def test_privacy_markers(tmp_path):
    path = write_json(tmp_path / "p.json", {
        "personal": {"name": "Lee", "phone": "555-0100", "private": ["phone"]},
        "salary_location": {"current_salary": "USD 999,999", "salary_expectations": "negotiable"},
        "experience": [{"company": "Initech", "title": "Dev", "manager": "Bill Lumbergh"},
                       {"company": "SecretCo", "title": "Spy", "private": True}],
        "privacy": {"private_fields": ["experience.*.manager"]},
    })
    profile = load_profile(path, PRIVATE)
    text = " ".join(c.title + " " + c.text for c in profile.chunks)
    for secret in ("555-0100", "999,999", "Lumbergh", "SecretCo", "private_fields"):
        assert secret not in text
    assert "negotiable" in text and "Initech" in text
    assert "current_salary" not in profile.sections["salary_location"]


def test_settings_add_private_fields(tmp_path):
    path = write_json(tmp_path / "p.json", {"personal": {"name": "Lee", "email": "lee@x.io"}})
    profile = load_profile(path, [*PRIVATE, "personal.email"])
    assert "lee@x.io" not in " ".join(c.text for c in profile.chunks)
    assert profile.owner.email is None


def test_markdown_split_by_headings_with_private_parts(tmp_path):
    md = tmp_path / "resume.md"
    md.write_text("# Resume\n\nIntro line.\n\n## Experience\n\nBuilt pipelines at Acme.\n\n"
                  "### Acme\n\nLed the migration.\n\n## References (private)\n\nCall Bob 555.\n\n"
                  "## Talks\n\nPyCon talk.<!-- private -->hidden note<!-- /private -->\n")
    chunks = load_profile(md, PRIVATE).chunks
    assert [c.title for c in chunks] == ["Resume", "Resume › Experience",
                                         "Resume › Experience › Acme", "Resume › Talks"]
    joined = " ".join(c.text for c in chunks)
    assert "Bob" not in joined and "hidden note" not in joined
    assert all(c.source == "resume.md" for c in chunks)


def test_text_and_pdf(tmp_path):
    txt = tmp_path / "blog.txt"
    txt.write_text("First paragraph about Rust.\n\nSecond paragraph about Go.\n")
    assert "Rust" in load_profile(txt, PRIVATE).chunks[0].text
    pdf = make_pdf(tmp_path / "cv.pdf", ["Jordan Lake", "Staff Engineer at Umbrella Corp"])
    chunks = load_profile(pdf, PRIVATE).chunks
    # the first line names the owner, the one below it is the headline
    assert chunks[0].text == "My name is Jordan Lake. I am a Staff Engineer at Umbrella Corp."
    assert "Umbrella Corp" in chunks[1].text and chunks[1].source == "cv.pdf"


def test_a_pdf_whose_fonts_set_headings_apart_is_read_by_its_fonts(tmp_path):
    """Bold or larger lines head sections, wherever the plain text would not show it: a
    heading over bullets, and one after a line that is not a finished sentence; a bold job
    line heads its bullets; a short line ends its paragraph (two degrees stay two)."""
    pdf = make_pdf(tmp_path / "cv.pdf", [
        ("Ana Ruiz", 20, True), ("Structural Engineer", 12, False),
        "Porto | ana@example.com", ("Experience", 13, True),
        ("Lead Engineer, Ponte Lda, Porto", 12, True), "2019 - present",
        "- Designed 14 footbridges in timber and steel",
        ("Engineer, Arco SA, Lisbon", 12, True), "2014 - 2019",
        "- Checked seismic retrofits of 30 schools",
        ("Education", 13, True), "MSc Civil Engineering, FEUP, 2014",
        "BSc Civil Engineering, IST, 2012",
        ("What I am looking for", 13, True), "- A chartered role in bridge design"])
    profile = load_profile(pdf, PRIVATE)
    by_title = {c.title: c.text for c in profile.chunks}
    assert profile.owner.name == "Ana Ruiz" and profile.owner.title == "Structural Engineer"
    footbridges = next(t for t, text in by_title.items() if "footbridges" in text)
    assert footbridges.endswith("Lead Engineer, Ponte Lda, Porto"), by_title
    assert "seismic" not in by_title[footbridges]
    wanted = next(t for t, text in by_title.items() if "bridge design" in text)
    assert wanted.endswith("What I am looking for"), by_title
    degrees = [text for t, text in by_title.items() if t.endswith("Education")]
    assert degrees and "FEUP, 2014. BSc" in degrees[0], degrees


def test_plain_text_lines_that_show_structure_become_sections(tmp_path):
    pdf = make_pdf(tmp_path / "talks.pdf", [
        "Jo Park - Talks and writing", "Talks", "PyData Oslo 2022: Testing pipelines.",
        "Berlin Rust Meetup, May 2023: Safe FFI.", "Writing",
        "Blog post, 2024: Why dashboards lie."])
    profile = load_profile(pdf, PRIVATE)
    assert profile.owner.name == "Jo Park"  # the name heads the document
    chunks = [c for c in profile.chunks if c.title != "About me"]
    assert [c.title for c in chunks] == ["Jo Park - Talks and writing › Talks",
                                         "Jo Park - Talks and writing › Writing"]
    assert chunks[0].text == ("Talks: PyData Oslo 2022: Testing pipelines. "
                              "Berlin Rust Meetup, May 2023: Safe FFI.")
    assert "Berlin" not in chunks[1].text and "dashboards" in chunks[1].text
    # one short line inside a wrapped paragraph is not a heading; a lone title is not structure
    txt = tmp_path / "note.txt"
    txt.write_text("I led the migration of billing to\nNorthwind Analytics\nin six weeks.\n"
                   "Skills\nPython and SQL.\n")
    (note,) = load_profile(txt, PRIVATE).chunks
    assert note.title == "note" and "billing to Northwind Analytics in six weeks" in note.text


def test_a_note_to_self_on_a_line_of_its_own_drops_only_that_line(tmp_path):
    """A TODO line among a section's lines used to take the whole section with it, as they were
    read as one sentence."""
    txt = tmp_path / "cv.txt"
    txt.write_text("Rui Costa\n\nEDUCATION\n\n  BA Cinema (Editing), University of Art - 2012\n"
                   "  TODO: check the certificate's exact name\n"
                   "  Post-Production Certificate, Humber College - 2018\n\nABOUT\n\n"
                   "  I train every new assistant and\n  make sure each one cuts a scene.\n")
    text = " ".join(c.text for c in load_profile(txt, PRIVATE).chunks)
    assert "University of Art" in text and "Humber College" in text
    assert "TODO" not in text and "certificate's exact name" not in text
    # the rest of a sentence is not a note, whatever its words
    assert "assistant and make sure each one cuts a scene" in text


def test_zero_counts_are_not_facts(tmp_path):
    path = write_json(tmp_path / "p.json", {"experience": [
        {"company": "Acme", "title": "Analyst", "team_size_managed": 0, "budget": "0",
         "remote": False, "projects_shipped": 3}]})
    job = " ".join(c.text for c in load_profile(path, PRIVATE).chunks)
    assert "Team size managed" not in job and "Budget" not in job
    assert "Remote: no" in job and "Projects shipped: 3" in job


@pytest.mark.parametrize(("content", "expected"), [
    ('{\n  "personal": {\n    "name": "X",\n  }\n}', "line 4, column 3"),
    ("", "is empty"),
    ("   \n", "is empty"),
    ('["not", "an", "object"]', "top level must be a JSON object"),
    ('{"content_chunks": [{"title": "t"}]}', "field 'content_chunks[0].content'"),
    ('{"personal": {"name": "X", "private": 3}}', "field 'personal.private'"),
])
def test_malformed_json_names_file_and_place(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ProfileError) as info:
        load_profile(path, PRIVATE)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_a_resume_saved_by_a_windows_editor_is_read(tmp_path):
    text = "# Zoë Müller\n\nPâtissière\n\n## Experience\n\n- Head pastry chef at Café Crème\n"
    for encoding in ("cp1252", "utf-16"):
        path = tmp_path / f"{encoding}.md"
        path.write_bytes(text.encode(encoding))
        profile = load_profile(path, PRIVATE)
        assert profile.owner.name == "Zoë Müller"
        assert any("Café Crème" in c.text for c in profile.chunks)


def test_unreadable_files(tmp_path):
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage\x80")
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(binary, PRIVATE)
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile(tmp_path / "missing.json", PRIVATE)
    with pytest.raises(ProfileError, match="unsupported type '.odt'"):
        (tmp_path / "cv.odt").write_text("x")
        load_profile(tmp_path / "cv.odt", PRIVATE)
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(ProfileError, match="broken.pdf"):
        load_profile(broken_pdf, PRIVATE)


def test_bare_practice_questions_are_not_facts(tmp_path):
    path = write_json(tmp_path / "q.json", {
        "personal": {"name": "Kim"},
        "interview_prep": {"common_questions": {"behavioral": ["Tell me about a conflict"]},
                           "why_leaving": "I want a larger scope."}})
    chunks = load_profile(path, PRIVATE).chunks
    assert not any("conflict" in c.text for c in chunks)
    assert any("larger scope" in c.text for c in chunks)


def test_markdown_headings_keep_their_parents_whatever_the_levels(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\n### Early\n\nOne.\n\n## Work\n\n### Acme\n\nTwo.\n\n"
                    "## Hidden (private)\n\n### Secret\n\nThree.\n\n### Beta\n\nFour.\n\n"
                    "# Other\n\n### Late\n\nFive.\n")
    titles = [chunk.title for chunk in load_profile(path, []).chunks]
    assert titles == ["Notes › Early", "Notes › Work › Acme", "Other › Late"]


@pytest.mark.parametrize("style", ["caps", "underlined", "framed", "numbered", "colon", "title"])
def test_a_plain_text_resume_has_sections_in_any_heading_style(tmp_path, style):
    heads = {"caps": ("EXPERIENCE", "EDUCATION"),
             "underlined": ("Experience\n----------", "Education\n---------"),
             "framed": ("[EXPERIENCE]", "--- EDUCATION ---"),
             "numbered": ("1. EXPERIENCE", "2. EDUCATION"),
             "colon": ("Experience:", "Education:"),
             "title": ("Work Experience", "Education")}[style]
    path = tmp_path / "cv.txt"
    path.write_text(f"Ana Lima\nSite engineer\n\n{heads[0]}\nSite Engineer, Ponte Nova, 2019 - present\n"
                    "- Led the deck replacement of a 4-span bridge.\n- Cut rework by 30%.\n\n"
                    f"{heads[1]}\nMSc Civil Engineering, Universidade do Porto, 2018\n")
    chunks = load_profile(path, PRIVATE).chunks
    bullet = next(c for c in chunks if "rework" in c.text)
    assert "Experience" in bullet.title.title() and "Ponte Nova" in bullet.text  # keeps its job
    degree = next(c for c in chunks if "Universidade do Porto" in c.text)
    assert "Education" in degree.title.title() and "rework" not in degree.text


def test_headings_numbered_in_sequence_are_sections_however_their_titles_read(tmp_path):
    """"1. Summary" alone between blank lines could be a list's item; numbers counting up
    through the text make them its sections, the private one by what it says after its
    number."""
    path = tmp_path / "cv.txt"
    path.write_text("Ana Lima\nSite engineer\n\n1. Summary\n\nI build bridges in Porto.\n\n"
                    "2. A project I'm proud of\n\nThe deck replacement of a 4-span bridge, "
                    "on time.\n\n3. Education, licences and languages\n\nMSc Civil "
                    "Engineering, Universidade do Porto, 2018.\n\n4. Private — only for me, "
                    "please do not pass any of this on\n\nManaged by diet since 2019.\n")
    profile = load_profile(path, PRIVATE)
    titles = {c.title.split(" › ")[-1] for c in profile.chunks}
    assert {"1. Summary", "2. A project I'm proud of",
            "3. Education, licences and languages"} <= titles
    assert not any("diet" in c.text for c in profile.chunks)
    assert any("4. Private" in kept for kept in profile.private)
    # two numbered lines are a list, not sections
    path.write_text("Ana Lima\n\nI like two things:\n\n1. Bridges\n\n2. Tunnels\n\nThat is all.\n")
    assert all(c.title.split(" › ")[-1] not in ("1. Bridges", "2. Tunnels")
               for c in load_profile(path, PRIVATE).chunks)


def test_markdown_tables_become_sentences_and_bare_headings_are_facts(tmp_path):
    path = tmp_path / "cv.md"
    path.write_text("# Ana Lima\n\n## Ratings\n\n| Type | Issued |\n|---|---|\n| A320 | 2012 |\n"
                    "| ATR 72 | 2009 |\n\n## Education\n\n### BSc Mathematics, University of "
                    "Coimbra\n")
    texts = [c.text for c in load_profile(path, PRIVATE).chunks]
    assert any("Type: A320; Issued: 2012" in t for t in texts)
    assert not any("|" in t for t in texts)
    assert any("University of Coimbra" in t for t in texts)


def test_a_header_block_of_labelled_lines_is_one_fact_a_field(tmp_path):
    """The card under the name: each labelled line a passage of its own, as a JSON profile's
    fields are, so "What's your notice period?" finds the one that says it."""
    path = tmp_path / "cv.md"
    path.write_text("# Ana Lima\n\n**Role:** Pilot\n**Notice period:** 60 days\n"
                    "**Based in:** Porto\n\n## About\n\nI fly short-haul routes\nout of Porto.\n")
    texts = [c.text for c in load_profile(path, PRIVATE).chunks]
    for fact in ("Role: Pilot.", "Notice period: 60 days.", "Based in: Porto."):
        assert fact in texts
    assert any("I fly short-haul routes out of Porto." in t for t in texts)  # one paragraph


def test_labelled_lines_with_an_equals_sign_or_an_arrow_and_pairs_are_fields(tmp_path):
    """"Role = Pilot" and "Faith → …" lines, and a JSON list of ["label", "value"] pairs, are
    fields as "Role: Pilot" is: one fact each, and a private one goes alone."""
    text = tmp_path / "cv.txt"
    text.write_text("Name = Ana Lima\nRole = Pilot\nEmployer → Azul Airlines\n"
                    "Date of birth = 3 May 1991\n", encoding="utf-8")
    texts = [c.text for c in load_profile(text, PRIVATE).chunks]
    assert any("Role: Pilot." in t for t in texts) and any("Employer: Azul" in t for t in texts)
    assert not any("1991" in t for t in texts)
    pairs = write_json(tmp_path / "cv.json", {"profile": [["Role", "Pilot"],
                                                          ["Employer", "Azul Airlines"],
                                                          ["Date of birth", "3 May 1991"]]})
    texts = [c.text for c in load_profile(pairs, PRIVATE).chunks]
    assert any("Pilot" in t for t in texts) and any("Employer: Azul" in t for t in texts)
    assert not any("1991" in t for t in texts)


def test_jobs_are_read_as_jobs_whatever_their_key_and_shape(tmp_path):
    """A list of jobs under a key of the owner's own ("career" › "roles"), with a yes-or-no
    "is_current", an employer given as an object and dates as an object, is said as jobs: role,
    employer and dates open the job, and each long list of it keeps the job's name."""
    path = write_json(tmp_path / "p.json", {
        "person": {"full_name": "Aoife Byrne", "headline": "Senior Midwife"},
        "career": {"births_attended": "more than 900", "roles": [
            {"job_title": "Senior Midwife", "organisation": {"name": "Northgate Hospital",
                                                              "city": "Leeds"},
             "dates": {"start": "2021-05"}, "is_current": True,
             "duties": [f"Coordinated the delivery suite on shift pattern {n} across 16 rooms"
                        for n in range(12)]},
            {"job_title": "Staff Midwife", "organisation": "St Brigid's",
             "from": "2013-09", "to": "2016-02", "is_current": False}]}})
    texts = [c.text for c in load_profile(path, PRIVATE).chunks]
    assert any(t.startswith("At Northgate Hospital I am a Senior Midwife (2021-05 – present), "
                            "in Leeds.") for t in texts), texts
    assert any(t.startswith("At St Brigid's I was a Staff Midwife (2013-09 – 2016-02).")
               for t in texts), texts
    duties = [t for t in texts if "shift pattern" in t]
    assert duties and all(t.startswith("At Northgate Hospital, as Senior Midwife:")
                          for t in duties), duties
    assert not any("Is current" in t or "Name: Northgate" in t for t in texts), texts


def test_a_profile_keyed_in_its_own_language_reads_as_one_in_english(tmp_path):
    """The card's fields and a job's employer, role and dates under keys in the owner's
    language (Danish here) are read by meaning, as their English names are."""
    path = write_json(tmp_path / "p.json", {
        "Person": {"Navn": "Mette Holm", "Stilling": "Jordemoder", "Ort": "Aarhus"},
        "Erfaring": [{"Arbejdsgiver": "Aarhus Universitetshospital", "Rolle": "Jordemoder",
                      "Fra": "2016", "Til": "2023"}]})
    profile = load_profile(path, PRIVATE)
    assert (profile.owner.title, profile.owner.location) == ("Jordemoder", "Aarhus")
    assert any(c.text.startswith("At Aarhus Universitetshospital I was a Jordemoder "
                                 "(2016 – 2023).") for c in profile.chunks), profile.chunks


def test_the_current_job_alone_beside_a_list_of_earlier_ones_is_the_current_one(tmp_path):
    """A current job in a section of its own, dated up to now in the owner's language
    ("actualidad"), is what the owner does now, not the first of the earlier jobs listed."""
    path = write_json(tmp_path / "p.json", {
        "nombre": "Lucía Ortega",
        "anteriores": [{"empresa": "Hotel Sol", "cargo": "Recepcionista", "periodo": "2012-2018"}],
        "actual": {"empresa": "Viajes Norte", "cargo": "Jefa de ventas",
                   "periodo": "2018 – actualidad"}})
    profile = load_profile(path, PRIVATE)
    assert profile.owner.current_job == ("Currently I am a Jefa de ventas at Viajes Norte "
                                         "(2018 – actualidad).")


def test_a_list_of_statements_is_sentences_and_a_list_of_names_one_list(tmp_path):
    """A job's achievements written as a list are said one sentence each, so the one that
    answers can be quoted alone; a list of tools stays one comma list."""
    path = write_json(tmp_path / "p.json", {
        "name": "Zanele Khumalo",
        "experience": [{"company": "Veritas", "role": "Court Reporter", "dates": "2019-present",
                        "achievements": ["Cut the turnaround for appeal records from 15 days to 6",
                                         "Trained and mentored 9 junior transcribers"],
                        "tools": ["Eclipse", "Case CATalyst", "Word"]}]})
    text = " ".join(c.text for c in load_profile(path, PRIVATE).chunks)
    assert "from 15 days to 6. Trained and mentored 9 junior transcribers" in text, text
    assert "Eclipse, Case CATalyst, Word" in text, text


def test_a_name_in_two_fields_under_a_heading_in_the_owner_s_language(tmp_path):
    """A first name and a surname in fields of their own, under "persönliche Daten" typed
    without its umlaut, are the owner's name, said once."""
    path = write_json(tmp_path / "p.json", {
        "persoenlicheDaten": {"vorname": "Lena", "nachname": "Köhler", "beruf": "Mechatronikerin",
                              "fuehrerschein": "Klasse B"}})
    profile = load_profile(path, PRIVATE)
    assert profile.owner.name == "Lena Köhler"
    text = " ".join(c.text for c in profile.chunks)
    assert "My name is Lena Köhler." in text and "Vorname" not in text, text


def test_a_certificate_under_education_is_not_a_degree(tmp_path):
    path = write_json(tmp_path / "p.json", {
        "name": "Ximena Ortiz", "education": {
            "degrees": [{"degree": "Licenciatura en Turismo", "institution": "UdeG"}],
            "certifications": [{"name": "Cvent Event Management Certification", "year": 2024}]}})
    texts = [c.text for c in load_profile(path, PRIVATE).chunks]
    assert "Certifications: Name: Cvent Event Management Certification. Year: 2024." in texts
    assert not any(t.startswith("I studied.") for t in texts), texts


def test_a_summary_at_the_top_beside_a_contact_block_is_said_about_me(tmp_path):
    path = write_json(tmp_path / "p.json", {
        "fullName": "Marcus Hill", "headline": "Data Engineer",
        "contact": {"workEmail": "marcus@example.org"},
        "summary": "Data engineer with eight years of hospital pipelines."})
    about = next(c.text for c in load_profile(path, PRIVATE).chunks if c.title == "About me")
    assert "eight years of hospital pipelines" in about


def test_the_town_of_a_home_address_stays_public_and_the_street_does_not(tmp_path):
    path = write_json(tmp_path / "p.json", {
        "fullName": "Marcus Hill", "headline": "Data Engineer",
        "homeAddress": {"street": "1418 Maple Ridge Dr", "city": "Columbus", "state": "OH",
                        "zip": "43215"}})
    profile = load_profile(path, PRIVATE)
    text = " ".join(c.text for c in profile.chunks)
    assert profile.owner.location == "Columbus, OH" and "based in Columbus, OH" in text
    assert "Maple" not in text and "43215" not in text


def test_a_job_written_as_labelled_lines_leads_its_bullets(tmp_path):
    path = tmp_path / "cv.md"
    path.write_text("# Larissa Monteiro\n\n**Role:** Oncology Sales Representative\n\n"
                    "## Current role\n\n**Employer:** Veridane Pharma\n**Title:** Key Account "
                    "Representative\n**Dates:** May 2021 – present\n\n"
                    "- Cover 14 public and private hospitals\n- Launched a PD-L1 inhibitor\n",
                    encoding="utf-8")
    profile = load_profile(path, PRIVATE)
    assert profile.owner.title == "Oncology Sales Representative"
    assert profile.owner.current_job == ("Currently I am a Key Account Representative at "
                                         "Veridane Pharma.")
    bullets = next(c.text for c in profile.chunks if "14 public" in c.text)
    assert "Key Account Representative, Veridane Pharma, May 2021 – present: Cover 14" in bullets


def test_a_dated_line_under_a_job_heading_leads_its_bullets_by_its_dates(tmp_path):
    """"### General Manager, Harbourline Hotel" over "March 2020 to present · 212 rooms":
    each bullet opens with the job and its dates; the rest of the line is a fact of its own."""
    path = tmp_path / "cv.md"
    path.write_text("# Rohan Mehta\n\n## Experience\n\n### General Manager, Harbourline Hotel\n\n"
                    "March 2020 to present · 212 rooms, 4.5-star\n\n"
                    "- Revenue: +18% RevPAR in FY2023\n- Team: 165 staff\n", encoding="utf-8")
    profile = load_profile(path, PRIVATE)
    texts = [c.text for c in profile.chunks]
    assert any(t.startswith("General Manager, Harbourline Hotel, March 2020 to present: "
                            "Revenue: +18% RevPAR") for t in texts), texts
    assert any("212 rooms, 4.5-star" in t and "RevPAR" not in t for t in texts), texts
    assert profile.owner.current_job == ("Currently I am a General Manager, Harbourline Hotel "
                                         "(March 2020 to present).")


def test_a_job_written_as_a_list_item_leads_the_items_nested_under_it(tmp_path):
    """"- **Ecologist — Tay & Forth** (2016 – 2020)" over its nested duties: each duty keeps
    its job, and the next job's duties never share a passage with them; an item with a single
    detail under it stays an item."""
    path = tmp_path / "cv.md"
    path.write_text(
        "# Aoife Brennan\n\n## Experience\n\n"
        "- **Senior Ecologist — Corrib Environmental, Galway** *(March 2020 – present)*\n"
        "  - Lead a team of 6 ecologists.\n  - Manage budgets of up to €420,000 per project.\n"
        "- **Ecologist — Tay & Forth Ecology, Perth** *(May 2016 – February 2020)*\n"
        "  - Ran the habitat mapping programme for a 2,300 ha estate.\n"
        "  - Promoted to Senior in 2018; supervised 3 assistant ecologists.\n\n"
        "## Education\n\n- **MSc Ecology** — University of Galway, 2013\n"
        "  - Thesis: bat activity along rivers.\n- **BSc Zoology** — UCD, 2011\n",
        encoding="utf-8")
    texts = [c.text for c in load_profile(path, PRIVATE).chunks]
    supervised = next(t for t in texts if "supervised 3" in t)
    assert supervised.startswith("Ecologist — Tay & Forth Ecology, Perth (May 2016 – February "
                                 "2020): ") and "€420,000" not in supervised
    assert next(t for t in texts if "€420,000" in t).startswith("Senior Ecologist — Corrib")
    degrees = next(t for t in texts if "MSc Ecology" in t)
    assert "Thesis" in degrees and "BSc Zoology" in degrees


def test_a_headline_location_and_current_job_written_as_prose(tmp_path):
    """Under a setext name, a paragraph whose first sentence is the headline and whose next
    says where the owner is based; the current job told as "Since 2021 I have been …"."""
    path = tmp_path / "cv.md"
    path.write_text("Catalina Fuentes\n================\n\nSenior Speech Pathologist, Bayside "
                    "Therapy.\nBased in Melbourne, Australia.\nWork email: cf@bayside.example\n"
                    "\nWhere I have worked\n-------------------\n\nSince February 2021 I have "
                    "been Senior Speech Pathologist at Bayside Therapy in Brighton. From 2017 to "
                    "2021 I was a Speech Pathologist at Maribyrnong Health.\n", encoding="utf-8")
    owner = load_profile(path, PRIVATE).owner
    assert (owner.name, owner.title, owner.location) == (
        "Catalina Fuentes", "Senior Speech Pathologist, Bayside Therapy", "Melbourne, Australia")
    assert owner.current_job == ("Since February 2021 I have been Senior Speech Pathologist at "
                                 "Bayside Therapy in Brighton.")


def test_a_line_of_dates_over_the_job_s_line_dates_the_current_job(tmp_path):
    """In a text résumé whose dates stand on a line of their own above each job, the job
    dated up to now is the line under its dates, not the dates."""
    path = tmp_path / "cv.txt"
    path.write_text("ÉLODIE BASTARACHE\nPark Warden\n\n1. PROFILE\n\nWarden of 13 seasons.\n\n"
                    "2. EXPERIENCE\n\nMar 2019 – present\nPark Warden, Parc national de la "
                    "Haute-Matawin\n  - Patrols over 540 km².\n\n2015/06–2018/09\nBackcountry "
                    "Ranger, Kluane Ridge\n  - Solo patrols.\n\n3. LANGUAGES\n\nFrench, English\n",
                    encoding="utf-8")
    assert load_profile(path, PRIVATE).owner.current_job == (
        "Currently I am a Park Warden, Parc national de la Haute-Matawin (Mar 2019 – present).")


@pytest.mark.parametrize(("text", "suffix", "card"), [
    # a line of cells ("headline · place") running on into a labelled contact line; a table
    # of jobs, a row each: the job held up to now, not the table's heading
    ("Chinedu Okonkwo\n===============\n\nChartered Structural Engineer · Manchester, UK\n"
     "Website: okonkwo.example · Work e-mail: c@okonkwo.example\n\nCareer\n------\n\n"
     "| Years | Employer | Role |\n|---|---|---|\n| 2019–present | Harland Pike | Associate "
     "Engineer |\n| 2014–2019 | Mersey Frame | Senior Engineer |\n", ".md",
     ("Chinedu Okonkwo", "Chartered Structural Engineer", "Manchester, UK",
      "Currently I am an Associate Engineer at Harland Pike (2019–present).")),
    # a plain-text résumé: the headline ends with the town, the contact line below it
    ("AINO VIRTANEN\nPelituottaja (game producer) – Tampere\naino@pelipaja.example\n\n"
     "PROFIILI\nOlen pelituottaja.\n\nTYÖKOKEMUS\n2019– Pelipaja Oy, tuottaja\n", ".txt",
     ("Aino Virtanen", "Pelituottaja (game producer)", "Tampere")),
    # the name, then the headline as a heading of its own over the contact line
    ("## Elif Yılmaz\n### Mali Müşavir — İzmir\n\n📧 elif@ege.example · 🌐 ege.example\n\n"
     "#### Hakkımda\n\nBir mali müşavirim.\n", ".md", ("Elif Yılmaz", "Mali Müşavir", "İzmir")),
    # the name in two scripts, the headline and place in bold over the contact cells
    ("# Layla Haddad | ليلى حداد\n\n**Marketing Director — Dubai, UAE**\nlayla@hm.example · "
     "hm.example\n\n## Experience\n\nBrand work.\n", ".md",
     ("Layla Haddad (ليلى حداد)", "Marketing Director", "Dubai, UAE")),
    # a labelled place in the owner's language
    ("# Dmitry Sokolov\n\nГород: Екатеринбург\n\n## Опыт работы\n\nЛогистика.\n", ".md",
     ("Dmitry Sokolov", None, "Екатеринбург")),
    # a labelled name and headline under the document's title
    ("LEBENSLAUF\n\nName: Katharina Becker\nPosition: Steuerberaterin\nStandort: Hamburg\n\n"
     "BERUFSERFAHRUNG\n2016 – heute: Steuerberaterin, Nordkontor\n\nSPRACHEN\nDeutsch\n",
     ".txt", ("Katharina Becker", "Steuerberaterin", "Hamburg")),
])
def test_where_the_owner_is_from_the_lines_under_the_name(tmp_path, text, suffix, card):
    """The town a headline ends with ("– Tampere"), known as a town of the world (GeoNames),
    is where the owner is, not part of the headline; so is a place labelled in the owner's
    language ("Город:"); a name followed by the same name in another script is one name; the
    row of a table of jobs dated up to now is the current job."""
    path = tmp_path / f"cv{suffix}"
    path.write_text(text, encoding="utf-8")
    owner = load_profile(path, PRIVATE).owner
    assert (owner.name, owner.title, owner.location, owner.current_job)[:len(card)] == card


@pytest.mark.parametrize(("first_line", "name", "title"), [
    ("# Aoife Brennan — Advanced Paramedic", "Aoife Brennan", "Advanced Paramedic"),
    ('# Selamawit "Selam" Gebremedhin', 'Selamawit "Selam" Gebremedhin', None),
    ("# Nguyễn Thị Thu Hà (Hà Nguyen)", "Nguyễn Thị Thu Hà (Hà Nguyen)", None),
    ("# SHIRIN BAHRAMI, CCE (Associate)", "Shirin Bahrami", None),
    ("# Sietske van der Meer", "Sietske van der Meer", None),
    ("# 李建华", "李建华", None),
    ("# Dr. med. vet. Lena Brückner", "Dr. Lena Brückner", None),
    ("# Curriculum Vitae", None, None),
])
def test_the_owner_s_name_heads_the_document(tmp_path, first_line, name, title):
    """The name is read from the line that heads a résumé however it is dressed: a nickname in
    quotes, an aside in brackets, post-nominal letters, a headline after a dash."""
    path = tmp_path / "cv.md"
    path.write_text(f"{first_line}\n\n## Experience\n\nNurse at St Mary's, 2019 – present.\n",
                    encoding="utf-8")
    owner = load_profile(path, PRIVATE).owner
    assert (owner.name, owner.title) == (name, title)


def test_the_owner_s_card_under_a_key_of_its_own(tmp_path):
    """A JSON profile's card under a key no list names ("identity") is the owner's, as it
    names a person; "title": "Dr" is an honorific, not the headline."""
    path = write_json(tmp_path / "p.json", {
        "identity": {"full_name": "Lerato Nkosi", "title": "Dr",
                     "position": "HR Business Partner", "city": "Johannesburg"},
        "experience": [{"company": "Umoya Mining", "role": "HRBP", "dates": "2022 – present"}]})
    owner = load_profile(path, PRIVATE).owner
    assert (owner.name, owner.title, owner.location) == (
        "Lerato Nkosi", "HR Business Partner", "Johannesburg")
    # the name the owner goes by is told beside it, so a visitor may ask after it
    path = write_json(tmp_path / "q.json", {"profile_owner": {
        "full_name": "Małgorzata Wójcik-Hartmann", "goes_by": "Gosia"}})
    assert load_profile(path, PRIVATE).owner.name == "Małgorzata Wójcik-Hartmann (Gosia)"


def test_sections_as_a_list_a_card_one_field_to_an_item_and_a_section_not_for_disclosure(
        tmp_path):
    """A profile written as a list of sections, its card as one-field items, its jobs under a
    key no list names with an open end ("to": null), and a section whose key says it is not for
    disclosure: every value under that key is kept back, whatever it is."""
    path = write_json(tmp_path / "p.json", [
        {"section": "about", "items": [{"name": "Minh Anh Tran"}, {"city": "Da Nang"},
                                       {"current_role": "QA Engineer"}]},
        {"section": "career_path", "items": [
            {"organisation": "VietPay", "role": "QA Engineer",
             "period": {"from": "2023-03", "to": None}},
            {"organisation": "Lotus Bridge", "role": "Tester",
             "period": {"from": "2021-08", "to": "2023-02"}}]},
        {"section": "not_for_disclosure", "items": [
            {"reason_for_leaving": "I was passed over for promotion."}]}])
    profile = load_profile(path, PRIVATE)
    assert (profile.owner.name, profile.owner.location) == ("Minh Anh Tran", "Da Nang")
    assert profile.owner.current_job == "Currently I am a QA Engineer at VietPay (2023-03 – present)."
    assert not any("passed over" in c.text or "disclosure" in c.title.lower()
                   for c in profile.chunks)
    assert "not_for_disclosure" in profile.private


def test_text_copied_from_a_job_advert_is_not_the_owner_s(tmp_path):
    """A job advertisement kept in a profile says what an employer wants, not what the owner
    did: never indexed, in JSON or in Markdown."""
    path = write_json(tmp_path / "p.json", {
        "name": "Esi Mensah", "summary": "Headteacher of two primary schools in Accra.",
        "notes": ["Copied from the Brookfield advert: The ideal candidate has 10 years of "
                  "headship and a doctorate."]})
    texts = " ".join(c.text for c in load_profile(path, PRIVATE).chunks)
    assert "Headteacher" in texts and "doctorate" not in texts
    md = tmp_path / "cv.md"
    md.write_text("# Esi Mensah\n\n## Goals\n\nI want to lead a larger school.\n\n"
                  "> Requirements (copied from the Azul ad): Minimum 5 years as purser. Valid "
                  "EASA CCA.\n", encoding="utf-8")
    texts = " ".join(c.text for c in load_profile(md, PRIVATE).chunks)
    assert "larger school" in texts and "EASA" not in texts and "purser" not in texts
