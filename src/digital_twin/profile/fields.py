"""JSON values as readable text, and the spellings of the fields the twin knows.

Every field the loader reads by meaning (a job's company, a degree's school) is spelled once
here, in `FIELDS`: the same names are read into a sentence and left out of the "rest" of an
object, so nothing is said twice or lost.
"""

from __future__ import annotations

import re
from typing import Any

from ..text import fold

FIELDS: dict[str, tuple[str, ...]] = {
    # "name" and "full name", with their translations (Wiktionary) into the languages the
    # privacy vocabularies list (`sensitive.py`)
    "name": ("name", "full_name", "fullname", "nombre", "nombre_completo", "nom", "nom_complet",
             "nome", "nome_completo", "naam", "volledige_naam", "voller_name", "vollname",
             "vorname_name", "navn", "fullt_navn", "namn", "fullständigt_namn", "nimi",
             "koko_nimi", "imię_i_nazwisko", "jméno", "meno", "nume", "nume_complet", "név",
             "teljes_név", "isim", "ad_soyad", "adı_soyadı", "nama", "nama_lengkap", "họ_và_tên",
             "họ_tên", "jina", "jina_kamili", "pangalan", "naam_en_van", "имя", "фио",
             "ім'я", "піб", "όνομα", "ονοματεπώνυμο", "الاسم", "الاسم_الكامل", "שם", "שם_מלא",
             "नाम", "姓名", "名前", "氏名", "이름", "성명", "ชื่อ", "ชื่อ_นามสกุล", "نام"),
    # a name given in two fields: "first name" ("given name", "forename") and "surname" ("family
    # name", "last name"), with their translations (Wiktionary) into the same languages
    "given_name": ("first_name", "firstname", "given_name", "givenname", "forename", "vorname",
                   "prénom", "prenom", "nombre_de_pila", "primer_nombre", "nome_proprio",
                   "primeiro_nome", "voornaam", "roepnaam", "imię", "imie", "förnamn",
                   "fornavn", "etunimi", "křestní_jméno", "krstné_meno", "prenume",
                   "keresztnév", "utónév", "nama_depan", "tên", "jina_la_kwanza", "שם_פרטי",
                   "الاسم_الأول", "पहला_नाम", "名"),
    "family_name": ("last_name", "lastname", "surname", "family_name", "familyname", "nachname",
                    "familienname", "zuname", "nom_de_famille", "apellido", "apellidos",
                    "cognome", "sobrenome", "apelido", "achternaam", "familienaam", "nazwisko",
                    "efternamn", "etternavn", "efternavn", "sukunimi", "příjmení", "priezvisko",
                    "nume_de_familie", "vezetéknév", "soyad", "soyadı", "soyadi",
                    "nama_belakang", "họ", "jina_la_ukoo", "фамилия", "прізвище", "επώνυμο",
                    "اسم_العائلة", "שם_משפחה", "उपनाम", "姓", "성"),
    # the name one goes by: schema.org Person's `alternateName` as forms label it (preferred
    # name, nickname, known as, also known as)
    "nickname": ("preferred_name", "goes_by", "nickname", "known_as", "aka", "also_known_as",
                 "called"),
    # and "occupation", "profession" and "job title" in the languages of the names above
    "headline": ("title", "headline", "current_title", "current_role", "role", "position",
                 "occupation", "profession", "job_title", "beruf", "berufsbezeichnung",
                 "métier", "profesión", "profesion", "professione", "profissão", "beroep",
                 "zawód", "stanowisko", "yrke", "stilling", "erhverv", "ammatti", "profese",
                 "povolání", "meserie", "foglalkozás", "meslek", "pekerjaan", "profesi",
                 "nghề_nghiệp", "chức_danh", "taaluma", "профессия", "должность", "професія",
                 "посада", "επάγγελμα", "المهنة", "المسمى_الوظيفي", "מקצוע", "पेशा", "职业",
                 "职位", "職業", "직업", "직함", "อาชีพ", "ตำแหน่ง", "شغل", "propesyon"),
    # "location", "city" and "place of residence", with their translations (Wiktionary) into
    # the languages of the names above
    "location": ("location", "city", "based_in", "based", "standort", "stadt", "ort", "lieu",
                 "ville", "localisation", "ubicación", "ciudad", "localización", "città",
                 "località", "sede", "cidade", "localização", "locatie", "stad", "plaats",
                 "woonplaats", "lokalizacja", "miasto", "plats", "sted", "bosted",
                 "bostad", "bopæl", "kaupunki", "sijainti", "asuinpaikka", "město", "mesto",
                 "oraș", "localitate", "város", "helység", "şehir", "sehir", "konum", "kota",
                 "lokasi", "thành_phố", "mji", "jiji", "город", "місто", "πόλη",
                 "τοποθεσία", "المدينة", "مدينة", "الموقع_الجغرافي", "עיר", "מיקום", "शहर",
                 "स्थान", "城市", "所在地", "居住地", "都市", "도시", "거주지", "위치", "เมือง",
                 "ที่ตั้ง", "شهر", "محل_سکونت", "lungsod"),
    "summary": ("summary", "bio", "about", "about_me", "elevator_pitch", "tagline", "intro"),
    "email": ("email", "email_address", "mail"),
    "linkedin": ("linkedin", "linkedin_url"),
    "github": ("github", "github_url"),
    "website": ("website", "portfolio", "portfolio_url", "url"),
    "contact": ("contact", "contacts", "contact_info", "links", "socials"),
    # and "employer" and a job's "role", with their translations into the same languages
    "company": ("company", "employer", "organization", "organisation", "client", "company_name",
                "arbeitgeber", "firma", "unternehmen", "employeur", "entreprise", "empleador",
                "empresa", "datore_di_lavoro", "azienda", "empregador", "werkgever", "bedrijf",
                "pracodawca", "arbetsgivare", "arbeidsgiver", "arbejdsgiver", "työnantaja",
                "zaměstnavatel", "angajator", "munkáltató", "işveren", "şirket", "perusahaan",
                "công_ty", "mwajiri", "работодатель", "компания", "роботодавець", "εργοδότης",
                "صاحب_العمل", "الشركة", "מעסיק", "नियोक्ता", "公司", "雇主", "会社", "勤務先",
                "회사", "직장", "บริษัท", "کارفرما", "شرکت",
                # and "organisation", "institution" and "entity"
                "ente", "entidad", "entidade", "entité", "organización", "organização",
                "organizzazione", "organisatie", "organizacja", "institución", "instituição",
                "istituzione", "institution", "instelling", "instytucja", "المؤسسة", "机构", "単位",
                "기관"),
    "role": ("title", "role", "position", "job_title", "rolle", "funktion", "rôle", "poste",
             "rol", "puesto", "cargo", "ruolo", "posizione", "função", "functie", "stanowisko",
             "roll", "befattning", "stilling", "tehtävä", "pozice", "funcție", "beosztás",
             "pozisyon", "görev", "jabatan", "posisi", "vị_trí", "chức_vụ", "cheo",
             "должность", "роль", "посада", "θέση", "ρόλος", "المنصب", "الدور", "תפקיד", "पद",
             "भूमिका", "职位", "职务", "角色", "役職", "職位", "직책", "직위", "역할",
             "ตำแหน่ง", "سمت", "نقش"),
    # with "period", "from" and "to" in the languages of the names above
    "dates": ("duration", "dates", "period", "timeline", "years", "when", "years_active",
              "periode", "période", "período", "periodo", "zeitraum", "dauer", "okres",
              "jakso", "období", "dönem", "thời_gian", "muda", "период", "період", "περίοδος",
              "الفترة", "תקופה", "अवधि", "期间", "期間", "기간", "ระยะเวลา", "دوره"),
    "start": ("start_date", "start", "from", "since", "von", "seit", "ab", "depuis", "début",
              "desde", "inicio", "dal", "inizio", "início", "vanaf", "van", "od", "från",
              "fra", "alkaen", "başlangıç", "mulai", "bắt_đầu", "начало", "початок", "έναρξη",
              "بداية", "התחלה", "开始", "開始", "시작"),
    "end": ("end_date", "end", "to", "until", "bis", "fin", "hasta", "al", "fine", "fim", "tot",
            "do", "till", "til", "asti", "bitiş", "selesai", "kết_thúc", "конец", "кінець",
            "λήξη", "نهاية", "סיום", "结束", "終了", "종료"),
    # a yes or no: LinkedIn's positions API `is-current`, the Europass CV's Period `Current`
    "current": ("is_current", "current"),
    "star": ("achievements_star", "star_achievements", "star", "achievements_star_format",
             "leadership_examples_star", "star_examples", "star_example"),
    "situation": ("situation", "s"),
    "task": ("task", "t"),
    "action": ("action", "actions", "a"),
    "result": ("result", "results", "r", "outcome"),
    "degree": ("degree", "qualification", "program", "programme", "course", "major_degree"),
    "school": ("institution", "school", "university", "college"),
    "item_name": ("name", "title", "project", "project_name", "skill", "language", "tool",
                  "technology", "platform", "category", "idioma", "sprache", "langue",
                  "lingua", "língua", "taal", "język", "språk", "sprog", "kieli", "jazyk",
                  "limbă", "nyelv", "dil", "bahasa", "ngôn_ngữ", "lugha", "язык", "мова",
                  "γλώσσα", "لغة", "שפה", "भाषा", "语言", "言語", "언어", "ภาษา", "زبان"),
    "question": ("question", "q", "prompt"),
    "answer": ("answer", "a", "response", "my_answer", "sample_answer",
               "model_answer"),
    "years": ("years", "years_experience", "experience_years"),
    "level": ("proficiency", "level", "nivel", "niveau", "livello", "nível", "poziom", "nivå",
              "taso", "úroveň", "szint", "seviye", "tingkat", "trình_độ", "уровень", "рівень",
              "επίπεδο", "المستوى", "רמה", "स्तर", "水平", "レベル", "수준"),
    "libraries": ("frameworks", "libraries", "tools"),
}

# A résumé's sections as headed in other languages: the Europass CV's headings (work
# experience, education and training, skills, languages) and "availability" and "notice
# period", in Wiktionary's translations into the languages of the names above.
HEADINGS: dict[str, tuple[str, ...]] = {
    "experience": (
        "experiencia", "experiencia laboral", "experiencia profesional", "berufserfahrung",
        "erfahrung", "werdegang", "expérience", "expériences", "expérience professionnelle",
        "esperienza", "esperienze", "esperienza lavorativa", "experiência",
        "experiência profissional", "werkervaring", "ervaring", "doświadczenie",
        "doświadczenie zawodowe", "erfarenhet", "arbetslivserfarenhet", "erfaring",
        "arbeidserfaring", "erhvervserfaring", "työkokemus", "pracovní zkušenosti", "praxe",
        "experiență", "experiență profesională", "szakmai tapasztalat", "tapasztalat",
        "deneyim", "iş deneyimi", "pengalaman", "pengalaman kerja", "kinh nghiệm",
        "kinh nghiệm làm việc", "uzoefu", "опыт работы", "досвід роботи",
        "επαγγελματική εμπειρία", "εμπειρία", "الخبرة", "الخبرات", "ניסיון", "अनुभव",
        "工作经历", "工作經歷", "職歴", "経歴", "경력", "ประสบการณ์", "سوابق کاری"),
    "education": (
        "formación", "formación académica", "estudios", "educación", "ausbildung", "bildung",
        "studium", "formation", "études", "formazione", "istruzione", "formação",
        "educação", "opleiding", "wykształcenie", "utbildning", "utdanning", "uddannelse",
        "koulutus", "vzdělání", "educație", "studii", "tanulmányok", "végzettség", "eğitim",
        "pendidikan", "học vấn", "elimu", "образование", "освіта", "εκπαίδευση", "σπουδές",
        "التعليم", "השכלה", "शिक्षा", "教育", "教育背景", "学歴", "학력", "การศึกษา", "تحصیلات"),
    "skills": (
        "habilidades", "competencias", "kenntnisse", "fähigkeiten", "kompetenzen",
        "compétences", "competenze", "competências", "vaardigheden", "umiejętności",
        "kompetenser", "färdigheter", "ferdigheter", "kompetencer", "taidot", "osaaminen",
        "dovednosti", "abilități", "competențe", "készségek", "beceriler", "yetenekler",
        "keterampilan", "keahlian", "kỹ năng", "ujuzi", "навыки", "навички", "δεξιότητες",
        "المهارات", "כישורים", "कौशल", "技能", "スキル", "역량", "기술", "ทักษะ", "مهارت‌ها"),
    "languages": (
        "idiomas", "lenguas", "sprachen", "sprachkenntnisse", "langues", "lingue", "línguas",
        "talen", "talenkennis", "języki", "språk", "språkkunskaper", "sprog", "kielet",
        "kielitaito", "jazyky", "limbi", "nyelvek", "nyelvtudás", "diller", "yabancı dil",
        "bahasa", "ngôn ngữ", "lugha", "языки", "мови", "γλώσσες", "اللغات", "שפות",
        "भाषाएँ", "语言", "語言", "言語", "語学", "언어", "외국어", "ภาษา", "زبان‌ها", "wika"),
    "availability": (
        "disponibilidad", "disponibilidade", "disponibilité", "disponibilità",
        "verfügbarkeit", "beschikbaarheid", "dostępność", "tillgänglighet",
        "tilgjengelighet", "tilgængelighed", "saatavuus", "dostupnost", "preaviso",
        "aviso prévio", "préavis", "preavviso", "kündigungsfrist", "opzegtermijn",
        "okres wypowiedzenia", "uppsägningstid", "oppsigelsestid", "opsigelsesvarsel",
        "irtisanomisaika", "výpovědní lhůta", "ihbar süresi", "thời gian báo trước",
        "срок уведомления", "προειδοποίηση", "فترة الإشعار", "הודעה מוקדמת", "到岗", "入社可能",
        "입사 가능"),
    # Europass's "personal information", with "personal data" and "personal details"
    "personal": (
        "datos personales", "información personal", "persönliche daten", "persönliche angaben",
        "angaben zur person", "informations personnelles", "données personnelles",
        "dati personali", "informazioni personali", "dados pessoais", "informações pessoais",
        "persoonlijke gegevens", "personalia", "dane osobowe", "informacje osobiste",
        "personuppgifter", "personlige oplysninger", "henkilötiedot", "osobní údaje",
        "date personale", "informații personale", "személyes adatok", "kişisel bilgiler",
        "data pribadi", "informasi pribadi", "thông tin cá nhân", "taarifa binafsi",
        "личные данные", "особисті дані", "προσωπικά στοιχεία", "المعلومات الشخصية",
        "פרטים אישיים", "व्यक्तिगत जानकारी", "个人信息", "個人資料", "個人情報", "인적 사항",
        "개인 정보", "ข้อมูลส่วนตัว", "اطلاعات شخصی"),
}


def spellings(word: str) -> set[str]:
    """`word` as compared (`norm`), also as typed without accents ("persönlich": "personlich")
    and with German's transliteration of its umlauts and ß (DIN 5007-2: "persoenlich")."""
    german = word.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return {norm(word), norm(german), norm(fold(word))}

# Keys that describe the file, not the owner: never rendered.
META_KEYS = {"id", "ids", "uuid", "tags", "metadata", "meta", "type", "category", "version",
             "last_updated", "updated_at", "created_at", "schema", "source",
             "embedding", "vector", "weight", "priority", "chunk_id"}

# Human labels for keys whose plain spelling reads badly as a sentence.
LABELS = {
    "salaryexpectations": "My salary expectations", "expectedsalary": "My salary expectations",
    "languages": "Languages I speak", "spokenlanguages": "Languages I speak",
    "workauthorization": "My work authorization", "visastatus": "My visa status",
    "relocationwilling": "Willing to relocate", "willingtorelocate": "Willing to relocate",
    "locationpreferences": "Where I'd like to work", "noticeperiod": "My notice period",
    "availability": "My availability", "remoteexperience": "Remote work experience",
    "travelavailability": "Travel availability", "softskills": "Soft skills",
    "certifications": "Certifications", "shortterm": "My short-term goal",
    "longterm": "My long-term goal", "learningfocus": "What I'm learning",
    "industriesinterested": "Industries I'm interested in", "linkedin": "LinkedIn",
    "github": "GitHub", "email": "Email",
}


_ACRONYMS = {"ai", "ml", "ui", "ux", "qa", "hr", "bi", "api", "apis", "gpa", "sql", "aws", "nlp",
             "rag", "llm", "cv", "url", "mcp", "ci", "cd"}


def norm(key: Any) -> str:
    """A key as compared: lower case, letters and digits of any script only."""
    return re.sub(r"[\W_]", "", str(key).lower())


def label(key: Any) -> str:
    """`thesis_project` / `whatIDid` -> `Thesis project` / `What I did`."""
    known = LABELS.get(norm(key))
    if known:
        return known
    written = str(key).strip()
    if " " in written and "_" not in written:  # a heading written as words: as written
        return written[:1].upper() + written[1:]
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(key))
    words = re.sub(r"([A-Z])([A-Z][a-z])", r"\1 \2", words).replace("_", " ").replace("-", " ")
    words = " ".join(words.split())
    out = " ".join(w.upper() if w.lower() in _ACRONYMS else w if w.isupper() and len(w) > 1
                   else w.lower() for w in words.split())
    out = re.sub(r"\bi\b", "I", out)
    return out[:1].upper() + out[1:]


def pick(obj: Any, *names: str) -> Any:
    """The first present, non-empty field among `names`, matched ignoring case and separators."""
    if not isinstance(obj, dict):
        return None
    index = {norm(k): k for k in obj}
    for name in names:
        key = index.get(norm(name))
        if key is not None and not is_empty(obj[key]):
            return obj[key]
    return None


def field(obj: Any, meaning: str) -> Any:
    return pick(obj, *FIELDS[meaning])


def without(obj: dict, *meanings_or_names: str) -> dict:
    """`obj` less the fields named (a meaning from FIELDS stands for all its spellings)."""
    drop: set[str] = set()
    for name in meanings_or_names:
        drop.update(norm(n) for n in FIELDS.get(name, (name,)))
    return {k: v for k, v in obj.items() if norm(k) not in drop}


_PLACEHOLDER = re.compile(
    r"\[[a-z][^\]]{2,60}\]"  # [requested information], [specific technology]
    r"|^\s*\[[^\]]+\]\s*$"  # a whole value in brackets: an instruction left to fill in
    r"|\bX{3,}\b|\bto_?add\b|\btodo\b|\btbd\b|lorem ipsum"
    r"|\byour[ ._-]?(?:full[ _-]?name|name|email|profile|username|company)\b"
    r"|/(?:your)?username\b|\byour(?:username|profile|portfolio)\b",
    re.I,
)
_SECOND_PERSON = re.compile(r"\b(your|you'll|you will|you should|you must)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|my|me|we|our)\b")
_EMPTY = {"", "n/a", "na", "none", "null", "nil", "-", "--", "not applicable", "unknown"}


# A line whose every word is in brackets, after an optional label: a starter's line left as it
# was ("[Degree], [School] ([2014 – 2018])", "Technical: [Skill], [Skill]").
_BRACKETED = re.compile(r"\[[^\]]*\]")
_LABEL = re.compile(r"^[^\W\d][\w ./&-]{0,40}:\s*")


def is_placeholder(text: str) -> bool:
    """Template text left unfilled, or an instruction to the owner ("highlighting your …")."""
    if _PLACEHOLDER.search(text):
        return True
    if "[" in text and not re.search(r"\w", _BRACKETED.sub("", _LABEL.sub("", text.strip()))):
        return True
    return bool(_SECOND_PERSON.search(text)) and not _FIRST_PERSON.search(text)


def is_empty(value: Any) -> bool:
    """Nothing said: no value, an empty one, or a zero count ("Team size managed: 0")."""
    if value is None or value == [] or value == {}:
        return True
    if isinstance(value, str):
        return value.strip().lower() in _EMPTY or value.strip() == "0"
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


def sentence(text: str) -> str:
    text = str(text).strip()
    return text if not text or text.rstrip("”’\"')")[-1:] in (".", "!", "?", "") \
        else text + "."


# A list whose items run this many words on average holds statements (achievements, duties, a
# summary's lines), each said as a sentence of its own; shorter items are names (skills, tools)
# and stay one comma list. On the development corpus, 5 or 8 give the same answers
# (0.879 -> 0.886 right).
STATEMENT_WORDS = 6


def text_of(value: Any, depth: int = 0) -> str:
    """Readable text for any JSON value, without empty values, placeholders or metadata.

    Fields of an object are sentences at the top, and a comma list inside a list, so one
    item never breaks into sentences of its own. A list of statements is sentences."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        value = " ".join(value.split())
        return "" if is_placeholder(value) else value
    if isinstance(value, list):
        parts = [p for p in (text_of(v, depth + 1) for v in value) if p]
        if any(isinstance(v, (dict, list)) for v in value):
            return "; ".join(parts)
        if parts and sum(len(p.split()) for p in parts) / len(parts) >= STATEMENT_WORDS:
            return ". ".join(p.rstrip(".") for p in parts)
        return ", ".join(parts)
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            if is_meta(k):
                continue
            rendered = text_of(v, depth + 1)
            if rendered:
                parts.append(f"{label(k)}: {rendered.rstrip('.')}")
        return (". " if depth == 0 else ", ").join(parts)
    return str(value)


def is_meta(key: Any) -> bool:
    return str(key).startswith(("$", "_")) or norm(key) in {norm(k) for k in META_KEYS}


def with_article(phrase: str) -> str:
    """'a Senior Engineer' / 'an AI Developer'; phrases that already read whole are kept."""
    if re.match(r"(?i)(a|an|the|my)\b", phrase):
        return phrase
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase
