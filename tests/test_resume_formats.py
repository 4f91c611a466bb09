"""The résumés people already have: a JSON Resume (the schema's own published sample), a
LinkedIn data export (zip and folder, LinkedIn's column names) and a Word document, each
answered right on ten recruiter questions with its private values kept back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

from digital_twin.errors import ProfileError
from digital_twin.profile import load_profile
from digital_twin.profile.jsonresume import is_json_resume, nonconforming
from digital_twin.service import Twin

from .conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "jsonresume" / "sample.resume.json"
PRIVATE = ["salary_location.current_salary"]


def _answers(twin: Twin, cases: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The cases whose answer lacks what it should hold: (question, answer)."""
    wrong = []
    for question, expected in cases:
        answer = twin.ask(question).answer
        if expected.lower() not in answer.lower():
            wrong.append((question, answer))
    return wrong


def _leaks(twin: Twin, questions: list[str], values: list[str]) -> list[tuple[str, str]]:
    found = []
    for question in questions:
        answer = twin.ask(question).answer
        found += [(question, value) for value in values if value.lower() in answer.lower()]
    return found


def _everything(path: Path) -> str:
    profile = load_profile(path, PRIVATE)
    return " ".join(f"{c.title} {c.text}" for c in profile.chunks) + json.dumps(
        profile.sections, ensure_ascii=False) + json.dumps(profile.owner.public())


# ---- JSON Resume ---------------------------------------------------------------------------
def test_the_published_sample_reads_as_the_schema_says(tmp_path):
    profile = load_profile(SAMPLE, PRIVATE)
    by_kind = {}
    for chunk in profile.chunks:
        by_kind.setdefault(chunk.kind, []).append(chunk.text)
    job = " ".join(by_kind["experience"])
    assert "At Pied Piper I was a CEO/President (Dec 2013 – Dec 2014)" in job
    assert "Name: Pied Piper" not in job  # the employer is no "name" field
    assert any("Digital Compression Pioneer Award" in t for t in by_kind["achievement"])
    assert any("CoderDojo" in t for t in by_kind["volunteering"])
    assert not any("CoderDojo" in t for t in by_kind["achievement"])
    assert any("Wildlife (Ferrets, Unicorns)" in t for t in by_kind["interests"])
    assert profile.owner.name == "Richard Hendriks" and profile.owner.title == "Programmer"
    assert profile.notes == []  # the sample conforms
    text = _everything(SAMPLE)
    for private in ("912) 555-4321", "2712 Broadway St", "CA 94115"):
        assert private not in text
    assert {"basics.phone", "basics.location.address"} <= set(profile.private)


def test_the_owner_may_publish_what_is_private_by_default(tmp_path):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["privacy"] = {"public_fields": ["basics.phone"]}
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    text = _everything(path)
    assert "(912) 555-4321" in text and "2712 Broadway St" not in text
    data["privacy"] = {}
    data["basics"]["location"]["public"] = ["postalCode"]
    path.write_text(json.dumps(data), encoding="utf-8")
    text = _everything(path)
    assert "CA 94115" in text and "2712 Broadway St" not in text and "555-4321" not in text


def test_references_are_quoted_as_the_referees_never_as_the_owners(settings, embedder):
    twin = Twin(settings, embedder=embedder)
    twin.ingest([SAMPLE])
    words = "It is my pleasure to recommend Richard"
    for question in ("Describe yourself.", "What are your strengths?",
                     "Why should we hire you?", "Tell me about your work as a consultant."):
        assert words not in twin.ask(question).answer, question
    said = twin.ask("What do your references say about you?").answer
    assert "Erlich Bachman wrote in a reference for me: “It is my pleasure" in said


def test_json_resume_answers_ten_recruiter_questions(settings, embedder):
    twin = Twin(settings, embedder=embedder)
    twin.ingest([SAMPLE])
    assert _answers(twin, [
        ("What did you do at Pied Piper?", "CEO/President"),
        ("What's your background?", "Pied Piper"),
        ("What awards have you won?", "Digital Compression Pioneer Award"),
        ("Have you done any volunteering?", "CoderDojo"),
        ("What do you do for fun outside work?", "Ferrets"),
        ("Where did you study?", "University of Oklahoma"),
        ("What languages do you speak?", "English"),
        ("Which compression formats do you know?", "Mpeg"),
        ("Have you published anything?", "Video compression for 3d media"),
        ("Tell me about the Miss Direction project.", "mapping engine"),
    ]) == []
    assert _leaks(twin, ["What's your phone number?", "What is your home address?",
                         "Where exactly do you live?"],
                  ["555-4321", "2712 Broadway", "94115"]) == []


def test_a_json_resume_that_does_not_conform_is_read_and_reported(tmp_path):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["work"][0]["startDate"] = "Spring 2013"
    data["work"][0]["highlights"] = "Won Techcrunch Disrupt; built a compression engine"
    data["languages"] = ["English", "Spanish"]
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    profile = load_profile(path, PRIVATE)
    notes = "\n".join(profile.notes)
    assert profile.notes[0] == "differs from the JSON Resume schema in 4 places (read anyway):"
    assert "work[0].startDate: 'Spring 2013' is not a date" in notes
    assert "work[0].highlights: should be a list" in notes
    assert "languages[0]: should be an object" in notes
    text = " ".join(c.text for c in profile.chunks)
    assert "Spring 2013" in text and "Won Techcrunch Disrupt" in text and "Spanish" in text


def test_what_the_owner_writes_under_meta_is_read_but_not_its_settings(tmp_path):
    """`meta` holds the schema's version and tooling settings; an object the owner adds there
    (their job search) is part of the profile, and a private one stays out."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["meta"] = {"version": "v1.0.0", "theme": "elegant",
                    "jobSearch": {"relocation": "Open to moving to Lisbon"},
                    "private": {"currentSalary": "USD 181,000"}}
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    text = " ".join(c.text for c in load_profile(path, PRIVATE).chunks)
    assert "Open to moving to Lisbon" in text
    assert "elegant" not in text and "v1.0.0" not in text and "181,000" not in text


def test_starter_json_resume_conforms_and_indexes_nothing_until_filled(tmp_path):
    from typer.testing import CliRunner

    from digital_twin.cli import app

    path = tmp_path / "me.json"
    result = CliRunner().invoke(app, ["init", str(path), "--format", "jsonresume"])
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text(encoding="utf-8"))
    assert is_json_resume(data) and nonconforming(data) == []
    with pytest.raises(ProfileError, match="no content to index"):
        load_profile(path, PRIVATE)
    data["basics"]["name"] = "Ada Byron"
    data["work"][0].update(name="Analytical Engines Ltd", position="Analyst",
                           startDate="2020-01")
    path.write_text(json.dumps(data), encoding="utf-8")
    texts = [c.text for c in load_profile(path, PRIVATE).chunks]
    assert any("At Analytical Engines Ltd I am an Analyst (Jan 2020 – present)" in t
               for t in texts)
    assert not any("[" in t for t in texts)


# ---- LinkedIn data export ------------------------------------------------------------------
def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


EXPORT = {
    "Profile.csv": _csv(
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline",
         "Summary", "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites",
         "Instant Messengers"],
        [["Lucía", "Ferreira Gómez", "Vidal", "Calle de Atocha 27, 3º B", "Apr 14, 1988",
          "Hospital Pharmacist | Oncology and antimicrobial stewardship",
          "I am a hospital pharmacist with nine years in oncology and infectious diseases.\n"
          "I like building safer medication processes.", "Hospitals and Health Care", "28012",
          "Madrid, Community of Madrid, Spain", "", "[PORTFOLIO:https://lucia.example.es]",
          ""]]),
    "Positions.csv": _csv(
        ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
        [["Hospital Universitario La Paz", "Clinical Pharmacist - Oncology",
          "Lead pharmacist for the oncology day unit.\n• Verified around 140 chemotherapy "
          "prescriptions a day\n• Cut dosing errors reaching patients by 38% with a "
          "double-check protocol", "Madrid, Spain", "Feb 2019", ""],
         ["Farmacia Central Sevilla", "Community Pharmacist",
          "Dispensing and patient counselling in a city-centre pharmacy; ran a smoking "
          "cessation clinic for 60 patients a year.", "Seville, Spain", "Sep 2015",
          "Jan 2019"]]),
    "Education.csv": _csv(
        ["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"],
        [["Universidad de Sevilla", "2009", "2014", "Final project on antibiotic resistance",
          "Degree in Pharmacy", ""]]),
    "Skills.csv": _csv(["Name"], [["Oncology pharmacy"], ["Antimicrobial stewardship"],
                                  ["Aseptic compounding"]]),
    "Languages.csv": _csv(["Name", "Proficiency"],
                          [["Spanish", "Native or bilingual proficiency"],
                           ["English", "Full professional proficiency"],
                           ["Portuguese", "Limited working proficiency"]]),
    "Certifications.csv": _csv(
        ["Name", "Url", "Authority", "Started On", "Finished On", "License Number"],
        [["Board Certified Oncology Pharmacist (BCOP)", "", "Board of Pharmacy Specialties",
          "Jun 2021", "", ""]]),
    "Honors.csv": _csv(["Title", "Description", "Issued On"],
                       [["Best Clinical Poster", "At the national hospital pharmacy congress",
                         "Oct 2022"]]),
    "Volunteering.csv": _csv(
        ["Company Name", "Role", "Cause", "Started On", "Finished On", "Description"],
        [["Farmacéuticos Mundi", "Volunteer Pharmacist", "Health", "Jul 2016", "Aug 2016",
          "Set up a medicines store for a rural clinic in Guatemala."]]),
    "Recommendations_Received.csv": _csv(
        ["First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"],
        [["Javier", "Morales", "Hospital Universitario La Paz", "Head of Oncology",
          "Lucía is the most meticulous pharmacist I have worked with.", "03/01/22, 10:00 AM",
          "VISIBLE"]]),
    "PhoneNumbers.csv": _csv(["Extension", "Number", "Type"], [["", "+34 612 345 678",
                                                                "Mobile"]]),
    "Email Addresses.csv": _csv(["Email Address", "Confirmed", "Primary", "Updated On"],
                                [["lucia.ferreira@example.es", "Yes", "Yes", ""]]),
    "messages.csv": _csv(
        ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
         "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"],
        [["1", "", "Pablo Ruiz", "", "Lucía Ferreira Gómez", "", "2024-05-02 10:00:00 UTC",
          "Offer", "Our offer is EUR 71,500 plus relocation to Bilbao.", "INBOX"]]),
    "Connections.csv": "Notes:\r\n\"When exporting your connection data, you may notice...\"\r\n"
                       "\r\n" + _csv(["First Name", "Last Name", "URL", "Email Address",
                                      "Company", "Position", "Connected On"],
                                     [["Pablo", "Ruiz", "", "", "Talentia", "Recruiter",
                                       "02 May 2024"]]),
    "Ad_Targeting.csv": _csv(["Member Age", "Company Names"], [["25 to 34", "Talentia"]]),
}
EXPORT_PRIVATE = ["1988", "Apr 14", "Atocha", "28012", "612 345 678", "Vidal", "71,500",
                  "Bilbao", "Pablo Ruiz"]


def _export_folder(root: Path) -> Path:
    folder = root / "Basic_LinkedInDataExport_12-06-2026"
    folder.mkdir()
    for name, text in EXPORT.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _export_zip(root: Path) -> Path:
    path = root / "Basic_LinkedInDataExport_12-06-2026.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in EXPORT.items():
            archive.writestr(name if name != "Ad_Targeting.csv" else f"Ads/{name}", text)
    return path


@pytest.mark.parametrize("make", [_export_folder, _export_zip], ids=["folder", "zip"])
def test_linkedin_export_reads_the_profile_files_only(tmp_path, make):
    path = make(tmp_path)
    profile = load_profile(path, PRIVATE)
    text = _everything(path)
    for value in EXPORT_PRIVATE:
        assert value not in text, value
    assert "At Hospital Universitario La Paz I am a Clinical Pharmacist - Oncology " \
           "(Feb 2019 – present)" in text
    assert profile.owner.name == "Lucía Ferreira Gómez"
    [note] = profile.notes
    assert note.startswith("is a LinkedIn export: read ") and "Positions.csv" in note \
        and "messages.csv" not in note and "ignored 3 other files" in note
    assert {"Profile.csv: Birth Date", "Profile.csv: Address", "PhoneNumbers.csv: phone numbers"
            } <= set(profile.private)


def test_linkedin_export_answers_ten_recruiter_questions(tmp_path, settings, embedder):
    twin = Twin(settings, embedder=embedder)
    twin.ingest([_export_zip(tmp_path)])
    assert _answers(twin, [
        ("Where do you work now?", "La Paz"),
        ("How many chemo prescriptions do you verify in a day?", "140"),
        ("Have you worked in a community pharmacy?", "Farmacia Central Sevilla"),
        ("Where did you study pharmacy?", "Universidad de Sevilla"),
        ("What languages do you speak?", "Portuguese"),
        ("Are you board certified?", "BCOP"),
        ("Have you won any awards?", "Best Clinical Poster"),
        ("Have you done any volunteer work?", "Guatemala"),
        ("What are your main skills?", "Antimicrobial stewardship"),
        ("Tell me about yourself.", "pharmacist"),
    ]) == []
    assert _leaks(twin, ["When were you born?", "What's your home address?",
                         "What's your mobile number?", "What offer did Pablo make you?",
                         "What was your maiden name?"], EXPORT_PRIVATE) == []


def test_a_zip_that_is_no_linkedin_export_is_a_clear_error(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.txt", "sun")
    with pytest.raises(ProfileError, match="not a LinkedIn data export"):
        load_profile(path, PRIVATE)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ProfileError, match="not a readable zip"):
        load_profile(tmp_path / "broken.zip", PRIVATE)
    with pytest.raises(ProfileError, match="is a folder"):
        load_profile(tmp_path, PRIVATE)


# ---- Word ----------------------------------------------------------------------------------
def _word_styled(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Amara Okafor", style="Title")
    document.add_paragraph("Structural Engineer · Lagos, Nigeria · amara.okafor@example.ng")
    document.add_heading("Summary", level=1)
    document.add_paragraph("Chartered structural engineer with eleven years designing "
                           "high-rise concrete frames and bridges in West Africa.")
    document.add_heading("Experience", level=1)
    document.add_heading("Senior Structural Engineer — Arup, Lagos (2018 – present)", level=2)
    for line in ("Designed the frame of a 14-storey mixed-use tower on Victoria Island.",
                 "Cut reinforcement steel by 11% through a value-engineering review.",
                 "Lead a team of 6 engineers and 3 technicians."):
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("Graduate Engineer — Julius Berger, Abuja (2013 – 2018)", level=2)
    document.add_paragraph("Site engineer on the Second Niger Bridge approach viaducts.",
                           style="List Bullet")
    document.add_heading("Certifications", level=1)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Certificate", "Issuer", "Year"), strict=True):
        cell.text = text
    for row in (("Chartered Engineer (CEng)", "Institution of Structural Engineers", "2019"),
                ("COREN registration", "Council for the Regulation of Engineering", "2015")):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.add_heading("Education", level=1)
    document.add_paragraph("MSc Structural Engineering, Imperial College London, 2012")
    document.add_heading("Languages", level=1)
    document.add_paragraph("English (fluent), Yoruba (native), French (intermediate)")
    document.add_heading("Personal details (private)", level=1)
    document.add_paragraph("Home address: 12 Admiralty Way, Lekki Phase 1")
    document.add_paragraph("Date of birth: 3 May 1987")
    document.add_heading("Availability", level=1)
    document.add_paragraph("Notice period of two months; open to relocating to Accra.")
    document.save(path)
    return path


def _word_bold(path: Path) -> Path:
    """The same résumé as most people write one: no heading styles, bold lines instead."""
    document = docx.Document()
    document.add_paragraph().add_run("Amara Okafor").bold = True
    document.add_paragraph("Structural Engineer · ul. Długa 15/4, 80-827 Gdańsk · "
                           "amara.okafor@example.ng")
    for text in ("EXPERIENCE", "Senior Structural Engineer — Arup, Lagos (2018 – present)"):
        document.add_paragraph().add_run(text).bold = True
    document.add_paragraph("Designed the frame of a 14-storey mixed-use tower on Victoria "
                           "Island.", style="List Bullet")
    document.add_paragraph().add_run("CONFIDENTIAL — NOT FOR SHARING").bold = True
    document.add_paragraph("Home address: 12 Admiralty Way, Lekki Phase 1")
    document.add_paragraph().add_run("LANGUAGES").bold = True
    document.add_paragraph("English (fluent), Yoruba (native), French (intermediate)")
    document.add_paragraph().add_run("DETAILS").bold = True
    table = document.add_table(rows=0, cols=2)  # labelled values: no header row
    for label, value in (("Nationality", "Nigerian"), ("Driving licence", "B")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.save(path)
    return path


WORD_PRIVATE = ["Admiralty", "Lekki", "1987", "3 May", "Długa", "80-827"]


def test_word_keeps_headings_bullets_and_tables_and_hides_a_private_section(tmp_path):
    for path in (_word_styled(tmp_path / "cv.docx"), _word_bold(tmp_path / "plain.docx")):
        profile = load_profile(path, PRIVATE)
        titles = {c.title for c in profile.chunks}
        text = _everything(path)
        for value in WORD_PRIVATE:
            assert value not in text, (path.name, value)
        assert any("14-storey" in c.text and c.text.startswith(
            "Senior Structural Engineer — Arup, Lagos (2018 – present):")
                   for c in profile.chunks), path.name
        assert profile.owner.name == "Amara Okafor"
        assert any("rivate" in p or "CONFIDENTIAL" in p for p in profile.private), path.name
        if path.name == "cv.docx":
            assert "Amara Okafor › Experience › Senior Structural Engineer — Arup, Lagos " \
                   "(2018 – present)" in titles
            assert "Certificate: Chartered Engineer (CEng); Issuer: Institution of Structural " \
                   "Engineers; Year: 2019" in text
        else:
            assert "Amara Okafor › EXPERIENCE › Senior Structural Engineer — Arup, Lagos " \
                   "(2018 – present)" in titles
            assert "Nationality: Nigerian. Driving licence: B." in text


def test_word_answers_ten_recruiter_questions(tmp_path, settings, embedder):
    twin = Twin(settings, embedder=embedder)
    twin.ingest([_word_styled(tmp_path / "cv.docx")])
    assert _answers(twin, [
        ("Where do you work at the moment?", "Arup"),
        ("What is the tallest building you have designed?", "14-storey"),
        ("How much steel did the value-engineering review save?", "11%"),
        ("How big is your team?", "6 engineers"),
        ("Are you a chartered engineer?", "CEng"),
        ("Where did you do your master's?", "Imperial College"),
        ("What languages do you speak?", "Yoruba"),
        ("What's your notice period?", "two months"),
        ("Did you work on any bridges?", "Niger Bridge"),
        ("What's your background?", "structural"),
    ]) == []
    assert _leaks(twin, ["What's your home address?", "When were you born?",
                         "How old are you?"], WORD_PRIVATE) == []


def test_a_broken_word_file_is_a_clear_error(tmp_path):
    path = tmp_path / "cv.docx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(ProfileError, match="not a readable Word document"):
        load_profile(path, PRIVATE)
