"""Privacy by meaning: whatever the profile's shape or spelling, private data is never indexed,
never answered, never left in the index file, and the ingest says what it kept back."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from digital_twin.cli import app
from digital_twin.profile import load_profile
from digital_twin.profile.chunk import sentences
from digital_twin.profile.sensitive import kept_back
from digital_twin.service import Twin

from .conftest import indexed, write_json

SALARY = "NZD 165,000"
BASE = {"personal": {"name": "Aroha Ngata", "title": "Data Engineer",
                     "email": "aroha@example.com"},
        "experience": [{"company": "Kereru Payments", "role": "Data Engineer",
                        "duration": "2021 - present"}],
        "salary_expectations": "NZD 175,000 to 190,000"}
SALARY_SHAPES = {
    "compensation.current_salary": {"compensation": {"current_salary": SALARY}},
    "salary.current_salary": {"salary": {"current_salary": SALARY}},
    "salaryLocation.currentSalary": {"salaryLocation": {"currentSalary": SALARY}},
    "kebab": {"salary-location": {"current-salary": SALARY}},
    "nested": {"compensation": {"salary": {"current": SALARY, "expected": "NZD 180,000"}}},
    "top level": {"current_salary": SALARY},
    "suffixed": {"pay": {"current_salary_nzd": SALARY}},
}
SENSITIVE = {"date_of_birth": "14 March 1990", "gender": "Female",
             "maritalStatus": "Married", "religion": "Buddhist",
             "health": "Type 1 diabetes", "passport_number": "LA123456",
             "ssn": "078-05-1120", "home_address": "12 Kowhai Street, Wellington",
             "phone": "+64 21 555 0101", "Age": "34"}


def profile_with(tmp_path, extra: dict, name="me.json"):
    return write_json(tmp_path / name, {**json.loads(json.dumps(BASE)), **extra})


def all_text(settings) -> str:
    return " ".join(f"{c.title} {c.text}" for c in indexed(settings))


@pytest.mark.parametrize("shape", sorted(SALARY_SHAPES))
def test_current_salary_is_private_in_any_shape(twin, settings, tmp_path, shape):
    path = profile_with(tmp_path, SALARY_SHAPES[shape])
    twin.ingest([path], reset=True)
    assert SALARY not in all_text(settings)
    for question in ("What is your current salary?", "How much do you earn now?",
                     "What's your current compensation?"):
        answer = twin.ask(question)
        assert "165,000" not in answer.answer
        assert all("165,000" not in s["text"] for s in answer.sources)


def test_sensitive_personal_data_is_private_unless_made_public(settings, embedder, tmp_path):
    twin = Twin(settings, embedder=embedder)
    path = profile_with(tmp_path, {"personal": {**BASE["personal"], **SENSITIVE}})
    report = twin.ingest([path])
    text = all_text(settings)
    leaks = [value for value in SENSITIVE.values() if value in text]
    assert leaks == []
    left_out = report.private["me.json"]
    assert {f"personal.{key}" for key in SENSITIVE} <= set(left_out)
    assert not any(value in json.dumps(report.as_dict()) for value in SENSITIVE.values())
    for question in ("When were you born?", "Are you married?", "What is your phone number?",
                     "Where do you live exactly?", "What is your gender?"):
        answer = twin.ask(question).answer
        assert not [v for v in SENSITIVE.values() if v in answer], question

    opened = profile_with(tmp_path, {
        "personal": {**BASE["personal"], "phone": "+64 21 555 0101", "gender": "Female",
                     "public": ["gender"]},
        "privacy": {"public_fields": ["personal.phone"]}})
    twin.ingest([opened], reset=True)
    text = all_text(settings)
    assert "+64 21 555 0101" in text and "Female" in text


def test_explicit_markers_still_win(tmp_path):
    path = profile_with(tmp_path, {"personal": {**BASE["personal"], "github": "aroha-gh",
                                                "private": ["github"], "public": ["github"]}})
    profile = load_profile(path, [])
    assert "aroha-gh" not in " ".join(c.text for c in profile.chunks)
    assert "personal.github" in profile.private


MARKDOWN = """# Aroha Ngata

Data engineer in Wellington.

Compensation (private)
----------------------

Current base is NZD 165,000.

## Notice

Four weeks.

## Negotiation (private)

```bash
# export WALKAWAY=158000
echo "not a heading"
```

Walk-away number is NZD 158,000.

## Hobbies

Sea kayaking. <!-- private -->My therapist is on Tuesdays.<!-- /private -->
"""


def test_markdown_privacy_knows_setext_headings_and_code(settings, embedder, tmp_path):
    resume = tmp_path / "resume.md"
    resume.write_text(MARKDOWN)
    report = Twin(settings, embedder=embedder).ingest([resume])
    text = all_text(settings)
    for secret in ("165,000", "158,000", "WALKAWAY", "therapist"):
        assert secret not in text
    assert "Four weeks" in text and "Sea kayaking" in text
    assert report.private["resume.md"] == ["1 <!-- private --> block",
                                           "section 'Compensation (private)'",
                                           "section 'Negotiation (private)'"]


def test_text_made_private_later_leaves_the_file(settings, embedder, tmp_path):
    twin = Twin(settings, embedder=embedder)
    path = profile_with(tmp_path, {"notes": {"side_gig": "Moonlighting at Tui Analytics"}})
    twin.ingest([path])
    assert b"Tui Analytics" in on_disk(settings.db)
    profile_with(tmp_path, {"notes": {"side_gig": "Moonlighting at Tui Analytics",
                                      "private": True}})
    twin.ingest([path])
    twin.close()
    assert b"Tui Analytics" not in on_disk(settings.db)


def on_disk(db) -> bytes:
    """The index file and its write-ahead log, as bytes."""
    files = [db, db.with_name(db.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_ingest_prints_what_it_kept_private(settings, embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("TWIN_DB", str(settings.db))
    path = profile_with(tmp_path, {"personal": {**BASE["personal"], "phone": "+64 21 555 0101"},
                                   **SALARY_SHAPES["compensation.current_salary"]})
    result = CliRunner().invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert "Kept private in me.json" in result.stdout
    assert "personal.phone" in result.stdout and "compensation.current_salary" in result.stdout
    assert "555 0101" not in result.stdout and "165,000" not in result.stdout


# ---- what a key, a heading or a sentence says ------------------------------------------------
def passages(profile) -> str:
    return "\n".join(f"{c.title}\n{c.text}" for c in profile.chunks)


@pytest.mark.parametrize("shape", [
    {"privateDetails": {"dateOfBirth": "1988-09-17", "note": "NZD 165,000"}},
    {"confidential": {"pay_now": SALARY}},
    {"private_current_salary": SALARY},
    {"meta": {"x": 1}, "extra": {"private": {"pay": SALARY}}},
    {"extra": {"doNotShare": True, "pay": SALARY}},
    {"extra": {"visibility": "private", "pay": SALARY}},
    {"extra": {"private": "yes", "pay": SALARY}},
], ids=["privateDetails", "confidential", "private_ prefix", "private object", "doNotShare",
        "visibility", "private yes"])
def test_keys_and_flags_that_say_private_hide_their_values(tmp_path, shape):
    path = write_json(tmp_path / "p.json", {**BASE, **shape})
    text = passages(load_profile(path, []))
    assert "165,000" not in text and "1988" not in text and "Kereru Payments" in text


@pytest.mark.parametrize("heading", [
    "## Private — not for sharing", "## Salary (private)", "PRIVATE - NOT FOR SHARING",
    "[PRIVATE]", "--- Confidential (do not share) ---", "7. PRIVATE (do not share please)",
    "Personal details (CONFIDENTIAL – please do not forward)", "Private - do not share:",
])
def test_a_heading_that_says_private_hides_its_section_in_any_style(tmp_path, heading):
    path = tmp_path / "cv.txt"
    path.write_text(f"ANA LIMA\n\nEXPERIENCE\n\nSite engineer at Ponte Nova since 2019.\n\n"
                    f"{heading}\n\nCurrent salary: EUR 58.400 a year.\nHome: Rua Augusta 12.\n\n"
                    "LANGUAGES\n\nPortuguese and English.\n")
    if heading.startswith("##"):
        path = path.rename(tmp_path / "cv.md")
    profile = load_profile(path, [])
    text = passages(profile)
    assert "58.400" not in text and "Rua Augusta" not in text, text
    assert "Ponte Nova" in text and any("section" in p for p in profile.private)


@pytest.mark.parametrize("heading", ["Private practice", "Nordhafen GmbH (private-equity owned)",
                                     "Confidential informant handling"])
def test_private_in_a_name_is_not_a_private_heading(tmp_path, heading):
    path = tmp_path / "cv.md"
    path.write_text(f"# Ana Lima\n\n## {heading}\n\nRan a caseload of 40 clients.\n")
    assert "caseload of 40" in passages(load_profile(path, []))


def test_sentences_giving_a_birth_date_or_the_current_pay_are_kept_back(tmp_path):
    path = tmp_path / "cv.md"
    path.write_text(
        "# Ana Lima\n\nSite engineer\n\n## Summary\n\nI was born on 3 May 1988 in Porto. "
        "I build bridges.\n\n## Pay\n\nI currently earn EUR 58,400 a year. I am looking for "
        "EUR 65,000 to 70,000. My base is $118,000, so please don't pass that on.\n\n"
        "## Job ad I'm applying to (pasted, not mine)\n\nSalary up to EUR 90,000.\n")
    profile = load_profile(path, [])
    text = passages(profile)
    assert "1988" not in text and "58,400" not in text and "118,000" not in text
    assert "90,000" not in text  # a pasted job advert is not the owner's
    assert "65,000" in text and "I build bridges" in text
    assert "1988" not in (profile.owner.summary or "")
    # the report names where and what kind, never the value
    assert "Ana Lima › Summary: birth date or age" in profile.private
    assert "Ana Lima › Pay: current or past pay" in profile.private
    assert not any(value in " ".join(profile.private) for value in ("1988", "58,400", "118"))


@pytest.mark.parametrize("question,kind", [
    ("What is your phone number?", "phone number"),
    ("Can I have your mobile?", "phone number"),
    ("What's your home address?", "home address"),
    ("When were you born?", "date of birth"),
    ("What is your passport number?", "identity number"),
])
def test_asked_for_a_private_kind_of_value_the_twin_says_it_is_private(twin, question, kind):
    """Not the bio, nor "my profile doesn't cover that": the value exists and is kept back."""
    answer = twin.ask(question)
    assert answer.answer.startswith(f"My {kind} is private"), answer.answer
    assert "maya.okafor@example.com" in answer.answer and not answer.sources


def test_a_phone_the_owner_published_is_given_when_asked(settings, embedder, tmp_path):
    resume = tmp_path / "me.md"
    resume.write_text("# Rui Costa\n\nNaval architect in Sines.\n\n## Contact\n\n"
                      "<!-- public -->\nPhone: +351 912 345 678\n<!-- /public -->\n"
                      "Email: rui@example.com\n", encoding="utf-8")
    twin = Twin(settings, embedder=embedder)
    twin.ingest([resume])
    answer = twin.ask("What is your phone number?")
    assert "912 345 678" in answer.answer, answer.answer
    # an honest question that only mentions a phone is answered as any other
    assert "is private" not in twin.ask("Do you do phone screenings with candidates?").answer


def test_a_request_not_to_share_in_any_language_keeps_back_what_it_stands_by(tmp_path):
    """A request alone in brackets asks it of its whole sentence; a heading whose marker
    stands before a bracket is private; an object whose note reads as such a heading is kept
    back whole; a value with its own request beside it goes, the rest of the sentence stays."""
    md = tmp_path / "cv.md"
    md.write_text(
        "# Grace Mwangi\n\n## Kazi\n\nMhandisi wa maji, Nairobi.\n\n## Taarifa binafsi\n\n"
        "- Nina kisukari cha aina ya 1 (usishiriki taarifa hii na mtu yeyote)\n\n"
        "## Dane poufne (tylko do mojej wiadomości)\n\nul. Mokotowska 48 m. 7, 00-543 Warszawa\n\n"
        "## Pay\n\nMy base is something I keep to myself (it's $118,000, so please don't pass "
        "that on), and I'd be looking for $135,000.\n", encoding="utf-8")
    text = passages(load_profile(md, []))
    assert "kisukari" not in text and "Mokotowska" not in text and "118,000" not in text
    assert "Mhandisi wa maji" in text and "$135,000" in text
    path = write_json(tmp_path / "p.json", {
        "nome": "Giulia Rinaldi", "ruolo": "Avvocata, Milano",
        "dati": [{"etichetta": "Città", "valore": "Milano"},
                 {"etichetta": "Data di nascita", "valore": "09/11/1987",
                  "visibilita": "riservato – non condividere"}]})
    text = passages(load_profile(path, []))
    assert "1987" not in text and "Milano" in text


@pytest.mark.parametrize("line, context", [
    ("Office: 950 W Bannock Street, Suite 1100, Boise, ID 83702", ""),
    ("Level 7, 201 Kent Street, Sydney NSW 2000", "Office address"),
    ("Office phone | (617) 555-0148", ""),
    ("Telefon służbowy: +48 22 578 30 10", ""),
    ("Dispatch line (public): (404) 555-0147", ""),
    ("+90 212 355 40 00 (dahili 214)", "Iş telefonu"),
    ("03-6712-4480", "会社電話"),
])
def test_the_employers_phone_and_address_stay(line, context):
    """A work number or address (so labelled, in any language, given with an extension, or
    marked public beside it) is no home's: it stays."""
    assert kept_back(line, context) == (line, [])


@pytest.mark.parametrize("line", [
    "Home phone: 0161 496 0000",
    "Personal mobile (not public): 07700 900 412",
    "I live near our office at 120 George Street",
    "办公电话 — 021-6288 4500 转 316 个人手机 — +86 138 2046 7315",
    "Direct line after hours: 082-417-9063",
])
def test_a_home_phone_or_address_goes_even_beside_work_words(line):
    assert kept_back(line)[1], line


@pytest.mark.parametrize("line, context", [
    ("Očekivana plata: 220.000 RSD neto mesečno.", ""),
    ("Mshahara unaotarajiwa: KSh 450,000 – 520,000 kwa mwezi", ""),
    ("Aylık net 150.000 – 170.000 TL", "Maaş beklentisi"),
    ("NIS 24,000 per month", "ציפיות שכר"),
    ("CHF 135'000 p.a.", "Zielgehalt"),
    ("38.000 € lordi annui", "Compenso richiesto"),
    ("£120,000–£135,000 + bonus", "Desired salary"),
])
def test_pay_asked_for_in_any_language_stays(line, context):
    assert kept_back(line, context) == (line, [])


def test_a_pay_or_an_age_told_in_passing_takes_only_its_clause():
    rest, found = kept_back("I'm 41 and have spent 15 years working with smallholder farmers.")
    assert rest == "Have spent 15 years working with smallholder farmers." and found
    rest, found = kept_back("I'm on 48k at the moment and my take-home is £2,950 a month, so "
                            "for my next move I'm looking for £58,000–£65,000.")
    assert rest == "So for my next move I'm looking for £58,000–£65,000." and len(found) == 2
    # a clause that would keep an amount of the pay goes with it: the whole sentence goes
    assert kept_back("Op dit moment verdien ik tussen € 5.100 en € 5.400 bruto per maand.")[0] \
        == ""


def test_a_profile_written_as_a_list_of_labelled_values(tmp_path):
    """A JSON profile that is one list of {label, value} and {section, entries} objects is
    read; each item's visibility is its own: "public" opens its value, "private" hides it."""
    path = write_json(tmp_path / "p.json", [
        {"label": "Full name", "value": "Leïla Haddad"},
        {"label": "Work phone", "value": "+44 20 7946 0321", "visibility": "public"},
        {"label": "Mobile", "value": "+41 79 512 84 06", "visibility": "private"},
        {"section": "Selected assignments", "entries": [
            {"label": "2024", "value": "World Health Assembly, French booth, 9 days."},
            {"label": "2024", "value": "ICC arbitration hearing, Geneva, 6 days."}]}])
    profile = load_profile(path, [])
    text = passages(profile)
    assert profile.owner.name == "Leïla Haddad"
    assert "Work phone: +44 20 7946 0321" in text and "512 84 06" not in text
    assert "2024: ICC arbitration hearing" in text and "Value:" not in text


@pytest.mark.parametrize("line, context", [
    ("Check: Right to work; Status: British citizen; Reference: JT 48 22 91 C.", ""),
    ("Check: Driving (C1); Status: Full, clean; Reference: PATEL806150RK9YZ.", ""),
    ("Für die Personalakte: StID 47 036 892 816, RV-Nr. 65 170839 S 005", ""),
    ("Jeg er åpent homofil og gift med Tomas siden 2019.", ""),
    ("Socia de la FENPRUSS desde 2014 y delegada sindical del hospital.", ""),
    ("Contrato sem termo; 12,40 €/hora + subsídio de refeição.", ""),
    ("Chef de 33 anos, especializado em frutos do mar.", ""),
    ("Recife, 07 de setembro de 1991", "Natural de"),
])
def test_more_values_that_say_what_they_are(line, context):
    """A UK NI or driving licence number by its published format, a German tax or pension
    number by its abbreviation, orientation and marriage in Norwegian, union membership (the
    GDPR's Article 9), an hourly wage without "I", an age and a birthplace's date."""
    rest, found = kept_back(line, context)
    assert found, line
    assert not any(hit.value in rest for hit in found)


@pytest.mark.parametrize("line, context", [
    ("Negotiated the 2023 pay agreement with the trade union.", ""),
    ("Editing: EUR 65 per hour.", "Rates"),
    ("Cut costs by €500 per month.", ""),
    ("Delivered every report before the due date.", ""),
    ("Com 13 anos de cozinha profissional.", ""),
    ("minha pretensão salarial é de R$ 13.000 a R$ 14.500 mensais (CLT) ou R$ 95/hora.", ""),
])
def test_look_alikes_of_those_stay(line, context):
    assert kept_back(line, context) == (line, [])


def test_a_dot_leader_reads_as_a_label(tmp_path):
    resume = tmp_path / "cv.txt"
    resume.write_text("HIROSHI TANAKA\n\nPERSONAL DETAILS\n\nBased in ........... Osaka, Japan\n"
                      "Birthday ........... 5 Nov. 1983\nWork e-mail ........ h@example.jp\n\n"
                      "EXPERIENCE\n\nLogistics manager at Nishikaze since 2015.\n",
                      encoding="utf-8")
    text = passages(load_profile(resume, []))
    assert "Based in: Osaka, Japan" in text and "1983" not in text


@pytest.mark.parametrize("line", [
    "Night lift extra: ₦18,500 per shift.",
    "V Kampě mám teď 58 400 Kč hrubého měsíčně.",
    "Shore-side permanent contract in 2020 at JPY 8,900,000 a year incl. allowances.",
    "House 27, Mbaazi Avenue, Lavington.",
    "P.O. Box 51840-00100, Nairobi.",
    "Домашен адрес: ул. Цар Симеон 112, ап. 9, София 1202.",
    "Producers usually call the studio line, but crews just WhatsApp me on 082 554 1937.",
    "Telemóvel pessoal: 912 604 338.",
    "Os maestros já sabem que podem ligar para casa: 22 617 0943.",
    "Je suis enceinte de cinq mois (terme prévu fin avril).",
    "Alevi bir aileden geliyorum.",
    "BPJS kesehatan: 0001 2563 8841 7.",
])
def test_values_of_the_eleventh_set_are_kept_back(line):
    """A wage by the shift or in Czech, pay in an employment contract with its allowances,
    an East African or Cyrillic street, a post-office box, a phone by an app or a call home
    (however near a workplace word), a pregnancy, a faith one comes from, an insurance
    number."""
    rest, found = kept_back(line)
    assert found, line
    assert not any(hit.value in rest for hit in found), rest


def test_a_two_column_text_reads_as_labelled_fields(tmp_path):
    resume = tmp_path / "cv.txt"
    resume.write_text("DESISLAVA PETROVA\n\nCONTACT\n\nГрад\tСофия, България\n"
                      "Служебен имейл\td.petrova@example.bg\nДомашен адрес\tул. Цар Симеон 112, "
                      "ап. 9, София 1202\n\nEXPERIENCE\n\nConservator at the National Museum "
                      "since 2012.\n", encoding="utf-8")
    text = passages(load_profile(resume, []))
    assert "Град: София, България" in text and "Симеон" not in text and "1202" not in text


@pytest.mark.parametrize("line", [
    "Szegeden születtem 1987. március 14-én, egy gyógyszerész lányaként.",
    "ISIKLIK (privaatne, palun mitte jagada) Sünniaeg: 03.11.1995",
    "Op 22 februari vier ik elk jaar mijn verjaardag met het hele team.",
    "I work from my home office at House 14-B, Street 7, Gulberg III.",
    "استخدمتُ الرقم الوطني وجواز السفر رقم N 604 219.",
    "Sinds 2016 ben ik kaderlid van de FNV afdeling Havens.",
    "In 2014 ben ik veroordeeld voor rijden onder invloed.",
    "Sunt de etnie romă și am o deficiență de auz.",
])
def test_values_of_the_twelfth_set_are_kept_back(line):
    """A Hungarian and an Estonian birth date, a birthday told before its
    word, a South Asian house number, an Arabic passport number whose cue takes "and", a
    union cadre, a criminal conviction (the GDPR's Article 10), an ethnicity and a hearing
    impairment in Romanian."""
    rest, found = kept_back(line)
    assert found, line
    assert not any(hit.value in rest for hit in found), rest


def test_a_profile_written_as_a_list_of_named_sections(tmp_path):
    path = write_json(tmp_path / "p.json", [
        {"section": "identity", "name": "Kwame Mensah", "based_in": "Accra, Ghana"},
        {"section": "summary", "text": "Supply chain manager with 12 years in FMCG."},
        {"section": "roles", "entries": [{"employer": "Volta Agro Foods", "title": "Supply "
                                          "Chain Manager", "span": "2019 – present"}]}])
    profile = load_profile(path, [])
    assert profile.owner.name == "Kwame Mensah"
    assert "Supply chain manager with 12 years" in passages(profile)


@pytest.mark.parametrize("line", [
    "Narodila jsem se 3. května 1984 v Olomouci a vystudovala jsem farmacii.",
    "📍 Bursa · ✉️ deniz.kaya@example.com · 🔗 linkedin.com/in/denizkaya · D.T. 02.11.1990",
    "Địa chỉ tạm trú: 12/4 Lê Lợi, Phường 3, Quận 10",
    "דרכון זר: 31904577",
    "Κατοικία (προσωπικό, όχι για δημοσίευση) | Ερμού 12, 105 63 Αθήνα",
    "Στοιχείο: Κατοικία (όχι για δημοσίευση); Τιμή: Ερμού 12, 105 63 Αθήνα.",
    "Nicht weitergeben: aktueller Stundenlohn 24,10 € zzgl. Urlaubsgeld von 800 €.",
    "Sunt căsătorită și am doi copii.",
    "Din 2019 sunt membru de sindicat.",
    "Esu lesbietė ir gyvenu Kaune.",
    "خاص – لا يُشارك مع أحد: 0551234567",
])
def test_values_of_the_thirteenth_set_are_kept_back(line):
    """A birth told in Czech, a full date on the contact line under any label, a Vietnamese
    and a Hebrew label with a word after the noun, a label or a record's field that marks its
    row private, a request before an hourly wage whose "zzgl." ends no sentence, marriage and a
    union in Romanian, orientation in Lithuanian, an Arabic request written with its vowels."""
    rest, found = kept_back(" ".join(sentences(line)))
    assert found, line
    assert not any(hit.value in rest for hit in found), rest


@pytest.mark.parametrize("line", [
    "✉️ ana.lima@example.com · Available from 01.03.2026",
    "Private practice | 2015 – 2020",
    "Στοιχείο: Email; Τιμή: m.kosta@example.gr.",
    "Criminal record checks for 40 new staff: all cleared.",
    "Action: Address the backlog - 40 files cleared.",
    # the fifteenth set's
    "Managed a £2m bonus pool for 300 sales staff.",
    "European Union: co-funded two of my projects.",
    "Published in Acta Forestalia, s. 12–18 (2019).",
    "Expected package: £95,000 base plus bonus.",
])
def test_look_alikes_of_the_thirteenth_set_stay(line):
    assert kept_back(line) == (line, [])


def test_a_word_of_consonants_ends_no_sentence_but_a_web_address_does():
    assert sentences("Lohn 20 € zzgl. Zulagen. Mail: a@b.gr. Next.") == [
        "Lohn 20 € zzgl. Zulagen.", "Mail: a@b.gr.", "Next."]


def test_a_birth_date_after_its_abbreviation_stays_on_its_contact_line(tmp_path):
    path = tmp_path / "cv.md"
    path.write_text("# Katrin Vogel\n\n📍 Dresden · ✉️ k.vogel@example.de · geb. 07.05.1986\n\n"
                    "## Über mich\n\nFachkrankenschwester für Intensivpflege.\n",
                    encoding="utf-8")
    text = passages(load_profile(path, []))
    assert "1986" not in text and "k.vogel@example.de" in text


def test_a_list_of_sections_named_in_any_language(tmp_path):
    path = write_json(tmp_path / "p.json", [
        {"섹션": "기본정보", "이름": "김민지", "영문이름": "Minji Kim"},
        {"섹션": "경력", "items": [{"회사": "Hanbit Logistics", "직책": "Planner"}]}])
    assert "Hanbit Logistics" in passages(load_profile(path, []))


@pytest.mark.parametrize("line", [
    "Би 41 настай, 15 жилийн туршлагатай инженер.",
    "زادروز: ۳ مهر ۱۳۶۵",
    "1979ko maiatzaren 2an jaio nintzen Bilbon, eta ingeniaria naiz.",
    "¹ Perséinlech, net weiderginn: gebuer den 4. Mäerz 1985 zu Diekirch.",
    "ข้อมูลส่วนตัว (ห้ามเผยแพร่) | ฿95,000 ต่อเดือน",
    "Criminal record / Rikodin laifi: a conviction for dangerous driving (2015).",
    "Marital status (please keep this to yourself): divorced",
    # the fifteenth set
    "Gewerkschaft: ver.di, Mitglied seit 2016.",
    "Head of Sales, Clyde Freight, Glasgow (base £84,000 + £21,500 commission)",
    "邮箱 chen@example.cn ／ 手机 138 2466 0915",
    "Took a career break in 2022 (after being diagnosed with type 1 diabetes) and came back.",
    "Desde 2019 vivo con esclerosis múltiple y sigo coordinando el quirófano.",
    "Olen metsäinsinööri (s. 8.11.1982 Kuopiossa).",
])
def test_values_of_the_fourteenth_and_fifteenth_sets_are_kept_back(line):
    """An age in Mongolian, a Persian birthday, a birth told in Basque after a year with its
    suffix, Luxembourgish's birth and request, a Thai request not to publish, a criminal
    record's label with its translation, an English request to keep it to oneself; a union
    as a field's label, a past job's base pay and commission beside their amounts, a phone
    after its Chinese cue, a diagnosis said as "being diagnosed", a condition one lives with
    in Spanish, a birth date after Finnish's "s." (syntynyt)."""
    rest, found = kept_back(line)
    assert found, line
    assert not any(hit.value in rest for hit in found), rest

