"""What a value is: the personal data nobody asked to publish, found by the value and its
context (the field's label, the sentence around it, the heading above it), in any format.

`finding(span, context)` says whether one span (a sentence, a table row, a labelled field as
"Label: value") holds such a value and of which kind. The kinds are those nobody publishes
unasked: the owner's current or past pay, a birth date or age, a home address, a personal phone,
an identity-document number, and the special categories of data of the GDPR's Article 9
(health, religion, sexual orientation, ethnic origin, trade-union membership) with marital
status, and a criminal record (Article 10). Business figures
(revenue, budgets, savings) and the pay the owner asks for are not private.

Values are read by well-kept libraries where one exists: `phonenumbers` (Google's libphonenumber)
for phone numbers, `python-stdnum` for the checksums of national identity and tax numbers, and
`price-parser` for money amounts (`24,50,000`, `72.400`, `CHF 140'000`, `€85k`).

The vocabularies are the English words with their translations, as Wiktionary lists them, into
the languages résumés are most often written in here (German, French, Spanish, Italian,
Portuguese, Dutch, Polish, Swedish, Danish, Norwegian, Turkish); each list names its headwords.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from price_parser import Price

from ..text import fold
from .privacy import HARAKAT, NOT_TO_SHARE, private_heading

# Kinds, as the ingest report names them.
PAY, BIRTH, ADDRESS, PHONE, ID = ("current or past pay", "birth date or age", "home address",
                                  "personal phone", "identity-document number")
HEALTH, RELIGION, SEXUALITY, MARITAL, ETHNICITY, UNION, CRIMINAL = (
    "health", "religion", "sexual orientation", "marital or family status", "ethnic origin",
    "trade-union membership", "criminal record")
ASKED = "something marked not to be shared"


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str  # the span of the value itself: for the output check, never shown or stored
    cue: str  # what decided it (a label, a validator; never the value): `--explain-privacy`


def _words(*groups: str) -> str:
    """An alternation of the words of `groups` (whitespace separated; `_` stands for a space),
    each also without its accents where that leaves five letters or more."""
    given = {w.replace("_", " ") for g in groups for w in g.split()}
    words = sorted(given | {fold(w) for w in given if len(fold(w)) >= 5}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


# Translations (Wiktionary) of "salary", "wage", "pay", "remuneration", "compensation", "income",
# "earnings", "bonus" and "payslip", and the Indian "CTC" (cost to company); German and
# Scandinavian compounds end with the word (Jahresgehalt, Stundenlohn, månadslön, timelønn).
_PAY_WORDS = _words(
    "salary salaries wage wages compensation remuneration ctc cost_to_company take-home "
    "take_home stipend",
    "gehalt lohn vergütung verdienst einkommen bezüge",
    "salaire rémunération paie paye revenu", "salario sueldo remuneración ingresos retribución",
    "sou_actual sou_brut sou_net sou_anual sou_mensual salari retribució",
    "sahod suweldo", "حقوق دستمزد",
    "compensación compensacion compensação compensacao compensazione bonus bonuses",
    "stipendio retribuzione compenso reddito ral", "salário remuneração ordenado vencimento",
    "salaris loon inkomen bezoldiging", "wynagrodzenie pensja płaca zarobki",
    "lön løn lønn inkomst indkomst inntekt ersättning", "maaş ücret",
    "зарплата зарплату оклад заработок доход доходы дохід зарабатываю получаю заробітна заробляю отримую",
    "μισθός μισθό αμοιβή", "راتب راتبي الراتب", "משכורת שכר", "वेतन तनख्वाह",
    "gaji pendapatan", "lương thu nhập", "mshahara",
    "bér bérezés fizetés jövedelem prémium", "plat mzda mzdu výplata odměna",
    # and what is paid beside a wage: an allowance (Zulage, indemnité, subsídio, toelage…)
    "allowance allowances zulage zulagen indemnité indemnités subsidio subsídio indennità "
    "toelage dodatek tillägg tillæg ödenek tunjangan posho",
    "palkka palkkio tulospalkkio kuukausipalkka "
    "vuosipalkka", "plaća plata placa dohodak", "atlyginimas alga", "laun launa", "gaji_pokok "
    "upah", "tuarastal", "cyflog", "تنخواہ", "বেতন", "ደሞዝ",
    # and "payslip", one's own pay record, in the same languages
    "payslip payslips pay_slip pay_stub paystub salary_slip wage_slip gehaltsabrechnung "
    "lohnabrechnung fiche_de_paie bulletin_de_paie bulletin_de_salaire nómina nomina "
    "busta_paga cedolino holerite contracheque loonstrook salarisstrook pasek_wypłaty "
    "lönespecifikation lönebesked lønseddel lønnsslipp palkkakuitti palkkalaskelma bordro")
# Pay words in the scripts written without spaces between words (Chinese, Japanese, Thai),
# and Korean's: salary, monthly and yearly pay.
_PAY_UNSPACED = re.compile(r"薪资|薪水|工资|月薪|年薪|薪酬|給与|給料|年収|月給|연봉|월급|급여|เงินเดือน")
_PAY = re.compile(rf"(?i)(\b|\w(?=gehalt|lohn|lön|løn))({_PAY_WORDS})\b|"
                  rf"{_PAY_UNSPACED.pattern}")
# "I earn", "I make", "I am paid", "I receive" and "I'm on" (British: "I'm on 48k") in the first
# person, with their translations: pay said of oneself, whatever noun names it.
_EARNING = re.compile(
    r"(?i)\b(i (earn|make|am paid|get paid|receive|take home|am on|'m on)|i'm on|"
    r"(he|she|they) (earns?|makes?|is paid|are paid|receives?|takes home|is on|are on)|"
    r"(his|her|their) (salary|pay|package|wage|compensation|ctc|income|earnings|base)|"
    r"ich verdiene|verdiene ich|bekomme ich|ich bekomme|je gagne|je touche|"
    r"je perçois|cobro|gano|percibo|guadagno|percepisco|recebo|ganho|verdien ik|ik verdien|"
    r"zarabiam|otrzymuję|jag tjänar|tjänar jag|jeg tjener|tjener jeg|"
    # and the same verbs in the past ("I earned", "I was paid": Wiktionary's conjugations)
    r"ich verdiente|verdiente ich|je gagnais|je touchais|cobraba|ganaba|percibía|guadagnavo|"
    r"percepivo|recebia|ganhava|ik verdiende|verdiende ik|zarabiałem|zarabiałam|jag tjänade|"
    r"tjänade jag|jeg tjente|tjente jeg)\b")
# Words that name pay only when the owner says it is theirs ("I earn", "my current package").
_PAY_WEAK = re.compile(r"(?i)\b(pay|pays|paid|earn|earns|earned|earning|earnings|income|package|"
                       r"rate|base|bonus|day rate|hourly|lpa|gross|net|brutto|netto|bruto|neto|"
                       r"netos|brut|bruts|nets)\b")
# Translations of "current", "now", "previous", "former", and first-person statements of pay.
_EARNED = re.compile(r"(?i)\b(current(ly)?|now|present(ly)?|at the moment|today|this year|"
                     r"last year|previous(ly)?|past|former|prior|old|i (earn|earned|make|made|"
                     r"am paid|was paid|get paid|take home|took home|receive)|my (base|salary|"
                     r"pay|package|wage|compensation|ctc|income|earnings|rate)|my (last|previous|"
                     r"former) (contract|job|role|position|employer|engagement)|"
                     r"jelenlegi|nyt|nykyinen|semasa|sekarang|trenutn\w*|sadašnj\w*|"
                     r"aktuell\w*|derzeit\w*|jetzig\w*|momentan\w*|bisherig\w*|"
                     r"actuel\w*|précédent\w*|actual(es|mente)?|anterior\w*|"
                     r"attual\w*|precedent\w*|atual\w*|huidig\w*|momenteel|vorig\w*|"
                     r"obecn\w*|aktualn\w*|nuvarande|nuværende|nåværende|şu an\w*|mevcut)\b")
# Translations of "expected", "desired", "target", "asking", "hoped for", "requested" and
# "expectation" (Wiktionary), in the languages of the pay words above, and how one states an
# expectation.
_WANTED = re.compile(r"(?i)\b(expect\w*|target\w*|looking for|desired?|seek\w*|asking|"
                     r"sought|hop(e|es|ed|ing)|wish\w*|request\w*|richiest\w*|"
                     r"ziel\w*|\w*toive\w*|toivottu|\w*forventning\w*|\w*anspråk|"
                     r"diharapkan|harapan|dijangka|diinginkan|\w*tarajiw\w*|\w*tarajia|"
                     r"matarajio|beklenti\w*|talep\w*|\w*igény\w*|očekivan\w*|željen\w*|"
                     r"pričakovan\w*|očekávan\w*|očakávan\w*|požadovan\w*|așteptat\w*|"
                     r"dorit\w*|pageidaujam\w*|ожидаем\w*|желаем\w*|очікуван\w*|бажан\w*|"
                     r"αναμενόμεν\w*|επιθυμητ\w*|προσδοκ\w*|المتوقع|المطلوب|متوقع|ציפיות|"
                     r"מצופה|רצוי|প্রত্যাশিত|अपेक्षित|mong muốn|kỳ vọng|"
                     r"disgwyliedig|"
                     r"would (like|want|need)|minimum|range|open to|negotiable|aim\w*|require\w*|"
                     r"ideal(ly)?|preferred|erwart\w*|wunsch\w*|gewünscht\w*|\w*vorstellung\w*|"
                     r"souhait\w*|attendu\w*|prétention\w*|attente\w*|esperad\w*|desead\w*|"
                     r"pretensi\w*|expectativ\w*|aspiraci\w*|desiderat\w*|attes[oa]|"
                     r"aspettativ\w*|pretendid\w*|pretens\w*|desejad\w*|gewenst\w*|verwacht\w*|"
                     r"oczekiw\w*|önskad\w*|förväntad\w*|ønsket|forventet|beklenen|istenen|"
                     r"pretensions?|desitjat|gusto|nais|inaasahan\w*|مورد انتظار|درخواستی|"
                     # and "aim at" ("je vise un salaire de …")
                     r"vise|visons|viser|anstreb\w*|strebe|ambisco|almej\w*|streef|dąż\w*|"
                     r"tavoittel\w*)\b|期望|希望|희망|ที่คาดหวัง")


def _wanted(text: str) -> re.Match | None:
    """Whether `text` says what the owner wants (a key's words run together by underscores
    read as words: "retribuzione_attesa")."""
    return _WANTED.search(text.replace("_", " "))


def names_current_pay(text: str) -> bool:
    """Whether `text` (a question) asks for the owner's pay now or before, in any language of
    the vocabularies above: a pay word and a word dating it, and no word of wanting
    ("¿Cuál es tu salario actual?", "Wie hoch ist Ihr aktuelles Gehalt?")."""
    return bool(_PAY.search(text) and _EARNED.search(text) and not _wanted(text))


def states_wanted_pay(text: str) -> bool:
    """Whether `text` (a passage's label) says what pay the owner wants, in any language of the
    vocabularies above: a word of wanting beside a pay word or an amount that is not the
    business's ("Lønnsforventning: 750 000 kr i året", "期望薪资", "PRÉTENTIONS : 48 000 €")."""
    return bool(_wanted(text) and (_PAY.search(text) or (
        _amounts(text) and not _BUSINESS.search(text))))


# What a freelancer publishes as their prices: a heading of rates or fees (Wiktionary's
# translations of "rates", "fees", "price list").
_OFFER = re.compile(r"(?i)\b(rates|fees|price list|pricing|tarif\w*|tariff\w*|honorar\w*|"
                    r"honoraires|tarifas?|tariffe|prijzen|stawki|cennik|priser|hinnasto|ücretler)\b")
# Figures of the business, not of the owner's pay: the line items of an income statement and
# of a budget (revenue, sales, costs, profit, savings, funding), with their translations.
_BUSINESS = re.compile(r"(?i)\b(budgets?|revenue|sales|savings?|saved|saving|costs?|spend\w*|"
                       r"funding|funds?|grants?|raised|turnover|profits?|portfolio|assets|aum|"
                       r"(?<!permanent )(?<!employment )(?<!fixed-term )(?<!temporary )"
                       r"contracts?|deals?|payroll|pipeline|bookings|arr|mrr|gmv|valuation|"
                       r"umsatz|budżet|presupuesto|budget\w*|chiffre d'affaires|fatturato|"
                       r"faturamento|omzet|omsättning)\b")
_CURRENCY = (r"R\$|[$€£¥₹₩₽₺₪฿₫₱₦]|\b(?:USD|EUR|GBP|CHF|INR|CAD|AUD|NZD|JPY|CNY|SEK|NOK|DKK|PLN|"
             r"BRL|MXN|ZAR|SGD|HKD|AED|SAR|TRY|CZK|HUF|ILS|KRW|RUB|ARS|CLP|COP|PEN|NGN|KES|"
             r"PHP|THB|IDR|MYR|VND|PKR|BDT|EGP|MAD|RON|BGN|ISK|Rs\.?|kr|zł|R\$|Fr\.?|RM|Ft|Kč|"
             r"lei|Rp|ETB|Br)(?![^\W\d_])"
             r"|\b(?:euros?|dollars?|pounds?|francs?|rupees?|lakhs?|crores?|złotych|zloty|"
             r"kronor|kroner|reais|pesos?|yen|yuan|rand|dirhams?|lira)\b")
_AMOUNT = re.compile(rf"(?i)(?:{_CURRENCY})\s?\d[\d.,'’ \u00a0\u202f]*\d?\s?(?:k|m|mn|lakhs?|"
                     rf"crores?|cr|lpa)?\b|\d[\d.,'’ \u00a0\u202f]*\s?(?:k|m|mn|lakhs?|crores?|cr)?"
                     rf"\s?(?:{_CURRENCY})|\b\d{{1,3}}(?:[.,'’ \u00a0\u202f]\d{{2,3}})+\b|"
                     # an amount with its scale in words ("2,4 millió Ft", "1,2 millones de €")
                     rf"\b\d+(?:[.,]\d+)?\s?(?:million\w*|millió\w*|mil[jl]?i?on\w*|mln|mio|mrd|"
                     rf"milliard\w*|juta|triệu)\s?(?:de\s)?(?:{_CURRENCY})|"
                     rf"\b\d+(?:[.,]\d+)?\s?(?:k|K|LPA|lpa)\b|\b\d{{4,}}\b")
_YEAR = re.compile(r"^(19|20)\d\d$")
# An amount in words ("sixty thousand pounds", "eighty grand").
_WORDS_AMOUNT = re.compile(r"(?i)\b(?:[a-z]+[- ]){0,3}(?:thousand|grand|hundred thousand|million)"
                           r"(?:\s+(?:pounds|dollars|euros|francs|rupees|quid|a year))?\b")


_JOINED = re.compile(r"[-/]\d")


def _amounts(span: str) -> list[re.Match]:
    """The money amounts in `span` (`price-parser` must read an amount in each; a bare year is
    not one)."""
    found = []
    for match in _AMOUNT.finditer(span):
        text = match.group(0).strip()
        if _YEAR.match(text) or (re.fullmatch(r"\d+", text) and (
                _JOINED.match(span, match.end()) or span[:match.start()].endswith(("-", "/")))):
            continue  # a year; a number joined to another (ISO 9606-1, 2019/20): not money
        price = Price.fromstring(text)
        if price.amount is not None and (price.currency or price.amount >= 100
                                         or re.search(r"(?i)\d\s?(k|lakhs?|crores?|lpa)\b", text)):
            found.append(match)
    return found + list(_WORDS_AMOUNT.finditer(span))


# The owner speaking of themself.
_FIRST_PERSON = re.compile(r"(?i)\b(i|i'm|i've|i'd|my|me|mine|ich|mein\w*|je|j'|mon|yo|mis|"
                           r"io|eu|meu|minha|ik|mijn|mój|moja|jag|mitt|jeg)\b")
# An amount given per hour, day, month or year: a rate of pay.
# An amount given per hour, day, week or month (`_SHORT_RATE`), in English and in Wiktionary's
# translations of "per hour", "per day", "per shift", "per month" and "monthly" into the
# languages of the pay words: a wage or a fee, not a business figure.
_PERIOD = (r"hour|hr|h|day|week|month|shift|schicht|turno|dienst|zmian\w*|vardiya|směn\w*|"
           r"hora|heure|ora|stunde|std|uur|godz\w*|timme|time|saat|jam|"
           r"dia|día|jour|giorno|tag|dag|dzień|gün|hari|mês|mes|mois|mese|monat|maand|miesiąc|"
           r"månad|måned|ay|bulan|mo")
_SHORT_RATE = re.compile(
    rf"(?i)\s*(gross |net |brutto |netto |bruto |neto |hrub\w* |čist\w* )?"
    rf"((/\s?|per |an? |each )({_PERIOD})\b|"
    r"hourly|monthly|weekly|daily|por (hora|mes|día|dia)|à l'heure|par (heure|jour|mois)|"
    r"pro (stunde|tag|monat)|all'ora|al (mese|giorno|mes)|per (uur|dag|maand)|"
    r"na godzinę|miesięcznie|měsíčně|mesačne|i timmen|om måneden|i månaden|saatlik|aylık|"
    r"sebulan|kwa mwezi|"
    r"mensual(es)?|mensuel(le)?|mensile|monatlich|maandelijks|mensalmente|mensal)")
_RATE = re.compile(r"(?i)\s*(gross |net |before tax |after tax |brutto |netto |bruto |neto )?"
                   rf"((/\s?|per |an? |each )(year|annum|{_PERIOD})\b|p\.?a\.?\b|"
                   r"annually|monthly|yearly|hourly)|" + _SHORT_RATE.pattern[4:])
# An amount a word of pay stands right beside: "base £84,000", "£21,500 commission", a
# package or a bonus (Wiktionary's translations of "commission" as pay: Provision, provision,
# comisión, commissione, comissão).
_PAY_BEFORE = re.compile(r"(?i)\b(base|package|bonus|commission|provision|comisión|commissione|"
                         r"comissão)\s*(of\s*)?$")
_PAY_AFTER = re.compile(r"(?i)\s*(base|bonus|commission|provision|comisión|commissione|"
                        r"comissão)\b(?!\s+(pools?|schemes?|plans?|budgets?|funds?|structures?|"
                        r"programmes?|programs?))")  # not the business's bonus pool
# Where the words that qualify an amount stop: a clause's end.
_CLAUSE_END = re.compile(r"[;(]|,(?!\d)|\s(and|but|while|whereas|though|although|und|et|y|e|en|i)\s")


def _pay(span: str) -> Finding | None:
    """An amount that is the owner's pay: named pay by a pay word in the span, and not said
    in its own clause to be what they want. Weak pay words count only with the owner's or a
    time's word ("I earn", "my current package"); business figures are not pay."""
    strong = _PAY.search(span) or _EARNING.search(span)
    word = strong or _PAY_WEAK.search(span)
    if not word:  # deny by default: a rate of money (a year, a month…) said of oneself, in a
        # clause that says nothing of the business or of what they want
        for money in _amounts(span):
            if not (re.search(_CURRENCY, money.group(0)) and _RATE.match(span, money.end())):
                continue
            ends = [m.end() for m in _CLAUSE_END.finditer(span, 0, money.start())]
            after = _CLAUSE_END.search(span, money.end())
            clause = span[(ends[-1] if ends else 0):(after.start() if after else len(span))]
            # a wage or a fee by the hour, day or month is one's own pay with or without "I",
            # unless the sentence says before it that it is what they want
            if (_FIRST_PERSON.search(clause) or _SHORT_RATE.match(span, money.end())) \
                    and not _BUSINESS.search(clause) and not _wanted(clause) \
                    and not (_wanted(span[:money.start()]) and not _EARNED.search(clause)):
                return Finding(PAY, money.group(0).strip(" ,.;"), "an amount said of oneself")
    if not word:
        return None
    for amount in _amounts(span):
        ends = [m.end() for m in _CLAUSE_END.finditer(span, 0, amount.start())]
        clause = span[(ends[-1] if ends else 0):amount.end()]
        here = _EARNED.search(clause)
        if _wanted(clause) or (not here and _wanted(span[:amount.start()])):
            continue
        earned = here or _EARNED.search(span[:amount.start()]) or _EARNING.search(clause)
        value = amount.group(0).strip(" ,.;")
        if strong and (earned or not _BUSINESS.search(span)):
            return Finding(PAY, value, word.group(0))
        beside = _PAY_BEFORE.search(clause[:-len(amount.group(0))]) or _PAY_AFTER.match(
            span, amount.end())
        if beside and not _BUSINESS.search(clause) and not _wanted(span):
            return Finding(PAY, value, beside.group(1))
        rate = _RATE.match(span, amount.end())
        if earned and (re.match(r"(?i)my|i ", earned.group(0)) or rate
                       or not _BUSINESS.search(span)):
            return Finding(PAY, value, f"{word.group(0)} {earned.group(0)}")
    return None


# Translations of "born", "date of birth", "birthday"; and "I was born" in the Slavic and Baltic
# languages, Albanian, Icelandic and the Iberian ones (narodil jsem se, urodziłam się, rođen,
# rojen, gimiau, dzimis, роден, lindur, fæddur, nací, nasci); Luxembourgish "gebuer", Mongolian
# "төрсөн огноо" and Persian "زادروز" (birthday); and the abbreviations of "born" before a
# whole date that dictionaries give: English "b.", Finnish "s." (syntynyt), the Scandinavian
# "f." (født, född).
_BORN = re.compile(r"(?i)(?<!\w)b\.(?=\s*(?:19|20)\d\d)|(?<!\w)[sf]\.(?=\s*\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d\d)|\b(born|birth\s?(day|date)|date of birth|d\.?o\.?b\.?|"
                   r"geboren|geburts\w*|née?|naissance|nacid[oa]|nacimiento|nat[oa] (il|a|nel)|"
                   r"nascit\w*|nascid[oa]|nascimento|geboortedatum|geb\.|urodzon[ya]|"
                   r"urodzenia|född|födelse\w*|født|fødsels\w*|doğum\w*|syntymäaika|syntynyt|"
                   r"datum narození|narozen[aá]?|dátum narodenia|narodená|narodený|"
                   r"data na[sș]terii|n[aă]scut[aă]?|születési (dátum|idő)|született|"
                   r"tanggal lahir|tarikh lahir|lahir|ngày sinh|sinh ngày|"
                   r"tarehe ya kuzaliwa|alizaliwa|nilizaliwa|gebore|janm tithi|дата рождения|"
                   r"родил(ся|ась)|дата народження|народи(вся|лася)|ημερομηνία γέννησης|"
                   r"γεννήθηκα|تاريخ الميلاد|تاريخ الولادة|תאריך לידה|נולדתי|जन्म तिथि|"
                   r"出生日期|生年月日|생년월일|วันเกิด|umare|seinengappi|تاریخ تولد|متولد|"
                   r"kaarawan|petsa ng kapanganakan|ipinanganak|data de naixement|nascut|"
                   r"nascuda|natural de|naturale di|originaire de|születtem|sünniaeg|sündinud|"
                   r"verjaardag|anniversaire|cumpleaños|compleanno|aniversário|urodziny|"
                   r"födelsedag|fødselsdag|syntymäpäivä|doğum günü|narodil[a]?|urodził\w*|"
                   r"rođen[a]?|rodio sam|rodila sam|rojen[a]?|gimiau|gimęs|gimusi|dzimis|"
                   r"dzimusi|роден[а]?|рођен[а]?|gebuer|төрсөн огноо|төрсөн|زادروز|lindur|fædd(ur)?|nací|nasci)\b|🎂")  # and the birthday cake a résumé writes as the label
# Translations of "age" (as a label) and "N years old".
_AGE = re.compile(r"(?i)\b(age|âge|alter|edad|età|idade|leeftijd|wiek|ålder|alder|yaş)\s*[:=]\s*"
                  r"\d{1,2}\b|(^|[|;,(:]\s*)(age|aged|âge|alter|edad|età|idade|leeftijd|wiek|ålder|"
                  r"alder|yaş)\s*[:=\-]?\s*\d{1,2}\b|\b(i am|i'm|im)\s+\d{2}(?=\s*(years? old|"
                  r"yo\b|y/o|[.,;(]|and\b|$))|"
                  r"\b\d{2}\s*(years?|yrs?|jahre|ans|años|anni|anos|jaar|lat)\s*(old|alt)\b|"
                  r"\b(ich bin|j'ai|tengo|ho|tenho|ik ben|mam)\s+\d{2}\s*(jahre|ans|años|anni|"
                  r"anos|jaar|lat)\b|\b(âgée?|agée?|aged|de edad|di età) (de )?\d{2}\b|"
                  # a person "of N years" (Portuguese, Spanish: "chef de 33 anos,"), not a span
                  # of years of something ("de 13 anos de cozinha", "de 10 años en")
                  r"\b(de|di) \d{2} (anos|años|anni)\b(?!\s+(de|di|en|em|na|no|nel|como|come)\b)|"
                  r"\b(i|i've|i have) (just )?turned \d{2}\b|\bi('ll| will) (be|turn) \d{2}\b|"
                  # "I turned N" in Swedish, Norwegian, Danish, Dutch, Finnish
                  r"\b(jag fyllde|jeg fylte|jeg fyldte|ik werd|täytin) \d{2}\b|"
                  r"\bmy \d{2}(st|nd|rd|th) birthday\b|"
                  r"(^|\bi am an? |\bi'm an? )\d{2}[- ]years?[- ]old\b|"
                  # one's full age as Japanese and Chinese state it (満N歳, N周岁)
                  r"満\s?\d{1,3}\s?歳|\d{1,3}\s?周岁|(年齢|年龄|年紀|나이)\s*[:：]?\s*\d{1,3}|"
                  # and in Thai, Persian, Hungarian, Tagalog and Mongolian ("อายุ 46 ปี", "سن: ۳۹",
                  # "45 éves", "36 настай")
                  r"อายุ\s*\d{1,3}|(^|[\s:=])سن\s*[:=]?\s*\d{1,3}|\b\d{2}\s?éves\b|"
                  r"\b\d{2}\s?taong gulang\b|\b\d{2}\s?настай\b")


# A date or a year: what a birth cue must be followed by (within a few words). Months are
# the names' first letters in the Unicode CLDR calendars of the languages above.
_MONTH = (r"(jan|feb|fév|fev|mar|mär|apr|avr|abr|may|mai|mag|maj|mei|jun|jui|giu|cze|jul|lug|"
          r"lip|aug|aoû|ago|sie|sep|set|wrz|oct|okt|ott|out|paź|noi|nov|lis|dec|dez|déc|dic|"
          r"gru|ene|gen|sty|lut|kwi|mrt|haz|tem|ağu|eyl|eki|kas|ara|şub|nis|oca)[a-zà-ÿ]*\.?")
_DATE = re.compile(rf"(?i)\b(19|20)\d\d[./-]\d{{1,2}}[./-]\d{{1,2}}\b|"
                   rf"\b(19|20)\d\d\.?\s+{_MONTH}\s+\d{{1,2}}\b|"
                   rf"\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|"
                   rf"\b\d{{1,2}}(\.|st|nd|rd|th|er|º)?\s+(de\s+)?{_MONTH}(,?\s+(de\s+)?\d{{4}})?|"
                   rf"\b{_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?(,?\s+\d{{4}})?\b|\b(19|20)\d\d\b|"
                   # Japan's era years (Shōwa 59 is 1984)
                   rf"(\b(meiji|taish[oō]|sh[oō]wa|heisei|reiwa)|明治|大正|昭和|平成|令和)\s?\d{{1,2}}"
                   rf"\s?(-?nen\b|年)")
# "Born" where the language puts it after the date (Japanese, Korean, Turkish, Hindi, Basque:
# the verb ends the clause).
_BORN_AFTER = re.compile(r"(?i)\bumare\w*|生まれ|태어났|doğdum|doğdu\b|पैदा हु|\bjaio\b|"
                         # a birthday, its date before it ("on 22 February I celebrate my
                         # birthday")
                         r"\b(birthday|verjaardag|anniversaire|cumpleaños|compleanno|"
                         r"aniversário|urodziny|geburtstag|födelsedag|fødselsdag|"
                         r"syntymäpäivä)\b")


_LABELLED_DATE = re.compile(r"\s*(?:[:=\-–—→]|\bis\b|\bon\b)?\s*([^\s,;|]*\d[^,;|]{0,30})")


# A whole date (day, month and year) and a line of contacts (an e-mail address or a profile's
# link): on a résumé's contact line, a day of a year when the owner was a child or not yet
# born is their birth date, under any label or none ("✉ a@b.c · D.T. 14.03.1988").
_FULL_DATE = re.compile(rf"(?i)\b\d{{1,2}}[./-]\d{{1,2}}[./-]((?:19|20)\d\d)\b|"
                        rf"\b((?:19|20)\d\d)[./-]\d{{1,2}}[./-]\d{{1,2}}\b|"
                        rf"\b\d{{1,2}}(?:\.|st|nd|rd|th)?\s+{_MONTH},?\s+((?:19|20)\d\d)\b|"
                        rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b")
_CONTACTS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\blinkedin\.com/|\bxing\.com/")
CHILDHOOD = 16  # the years before which a date is from the owner's childhood, at the least


def _dated_contacts(span: str) -> Finding | None:
    if not _CONTACTS.search(span):
        return None
    this_year = time.gmtime().tm_year
    for date in _FULL_DATE.finditer(span):
        year = int(next(g for g in date.groups() if g and g.isdigit() and len(g) == 4))
        if this_year - 100 < year <= this_year - CHILDHOOD:
            return Finding(BIRTH, date.group(0), "a date on the contact line")
    return None


def _birth(span: str) -> Finding | None:
    if dated := _dated_contacts(span):
        return dated
    born = _BORN.search(span)
    date = _DATE.search(span[born.end():born.end() + 40]) if born else None
    if born and date:
        return Finding(BIRTH, date.group(0), born.group(0))
    # a birth label followed by a date of another calendar or layout ("12 มี.ค. 2521",
    # "3rd of May '91", "۱۵ اردیبهشت ۱۳۶۴"): a number right after it
    given = _LABELLED_DATE.match(span[born.end():]) if born else None
    if given:
        return Finding(BIRTH, given.group(1).strip(), born.group(0))
    after = _BORN_AFTER.search(span)
    told = span[max(0, after.start() - 60):after.start()] if after else ""
    # a year a suffix is joined to, as Basque and Hungarian write it ("1981eko", "1987-ben")
    before = list(_DATE.finditer(told)) or list(re.finditer(r"(?<!\d)(19|20)\d\d(?!\d)", told))
    if before:
        return Finding(BIRTH, before[-1].group(0), after.group(0))
    for age in _AGE.finditer(span):
        if not _RANGE.match(span, age.end()):  # "aged 18–25": a group's ages, not one's own
            return Finding(BIRTH, age.group(0).strip(" |;,("), "age")
    return None


# a range of ages: a dash, or "to"/"and"/"or" in the languages of `_AGE` (bis, à, a, y, e,
# tot, do)
_RANGE = re.compile(r"(?i)\s*([-–—]|to|and|or|bis|à|a|y|e|tot|do)\s*\d")


# Street words: USPS Publication 28, Appendix C1 (the common suffixes and their abbreviations),
# and the generic street words of the address formats of the Universal Postal Union's members
# (Straße, rue, calle, via, rua, straat, ulica, gatan, vej, sokak).
_SUFFIX = (r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
           r"Terrace|Ter|Way|Crescent|Cres|Close|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir|"
           r"Grove|Gardens|Gdns|Mews|Row|Parade|Esplanade|Quay|Wharf|Walk|Rise|Hill|Trail|Loop")
_STREET = re.compile(
    rf"\b(?!(?:19|20)\d\d\b)\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?\s+(?:[A-Z][\w'’.-]*\s+){{1,4}}"
    rf"(?:{_SUFFIX})\b\.?|"
    r"\b[A-ZÄÖÜ][\wäöüß'.-]*(?:\s(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Damm|Ufer)|"
    r"straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|"
    r"straat|laan|gracht|plein|steeg|gatan|vägen|gata|gade|vej|veien|vei|sokak|sokağı|"
    r"caddesi)\s+\d{1,4}[a-zA-Z]?\b|"
    r"\b[A-ZÇĞİÖŞÜ][\wçğıöşü'.-]*\s+(?:Caddesi|Cad\.|Sokak|Sokağı|Sk\.|Bulvarı|Blv\.)\s+"
    r"(?:No\s?[:.]?\s*)?\d{1,4}[a-zA-Z]?\b|"
    r"(?:\b(?i:rue|calle|c/|avenida|avda\.?|paseo|carrer|viale|piazza|vicolo|rua|travessa|"
    r"praça|ulica|ul\.|chemin|allée|impasse|quai|strada|str\.|calea|aleea|bulevardul|"
    r"șoseaua|soseaua)|\b(?:Avenue|Boulevard|Bd|Plaza|Camino|Ronda|"
    r"Via|Corso|Largo|Alameda|Estrada|Aleja|Al\.|Plac|Osiedle|Os\.))\s+(?:(?:de|del|des|"
    r"du|la|le|les|da|do|dos|das|di|della|delle|dei|van|von|der|den|het|l')\s*)*[A-ZÀ-ÝŁŚŻŹ]"
    r"[\w'’.-]*(?:\s+[\w'’.-]+){0,4}?,?\s+(?:n[º°o.]\s*)?\d{1,4}[a-zA-Z]?\b|"
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|chemin|allée|impasse|quai|"
    r"place)\s+[\w'’ -]{2,40}|"
    # the house before the street, as East and West African addresses write it ("House 27,
    # Mbaazi Avenue", "H/No. 14 Abavana Close"), and a post-office box
    rf"\b(?:House|Plot|Hse|H/No\.?|Flat|Apt\.?|Apartment|Unit)\s*(?:No\.?\s*)?\d{{1,5}}[A-Z]?,?\s+"
    rf"(?:[A-Z][\w'’.-]*\s+){{1,4}}(?:{_SUFFIX})\b|\b(?i:P\.?\s?O\.?\s?Box|Postfach|Apartado|"
    r"Caixa Postal|Casilla|Boîte postale|BP)\s+\d{2,6}(?:-\d{3,5})?\b|"
    r"\b(?:House|H\.?\s?No\.?|Flat|Plot)\s*(?:No\.?\s*)?\d+[\w-]*,?\s+(?:Street|St\.?|Road|Rd\.?|"
    r"Lane|Gali|Block|Sector)\s*(?:No\.?\s*)?\d+\b|مکان نمبر\s*\S+|"
    # a digital address by its published format (GhanaPostGPS: region, district, place)
    r"(?i:digital address|gps address|ghanapost gps|\bgps)\s*[:=]?\s*[A-Z]{2}-\d{3,4}-\d{4}\b|"
    # and the street words of the Cyrillic scripts (ул., улица, бул., вул., проспект)
    r"(?:\b|(?<=\s))(?:ул\.|улица|бул\.|булевард|бульвар|вул\.|вулиця|пр\.|проспект|пр-т)\s*"
    r"[А-ЯЁІЇЄҐ][\w'’.-]*(?:\s+[\w'’.-]+){0,3}?,?\s+(?:№\s*)?\d{1,4}")
# A word or two that qualify a label before its colon, where a language puts them after the
# noun ("דרכון ישראלי:", "Địa chỉ thường trú:", "dirección particular:").
_QUALIFIER = r"(?:\s+[^\W\d_][\w'’-]*){1,2}\s*[:：]"
# Translations of "address", "home address", "residence", "domicile" as a label (with a word or
# two after it, where a language qualifies a noun after it: "Địa chỉ thường trú:") or "I live at".
_ADDRESS_CUE = re.compile(
    r"(?i)(^|[|;(:.]\s*)(home\s+|postal\s+|mailing\s+|street\s+|residential\s+|private\s+)?"
    r"(address|residence|domicile|adresse|anschrift|wohnort|wohnadresse|wohnhaft|dirección|"
    r"direccion|domicilio|indirizzo|residenza|endereço|endereco|morada|residência|adres|"
    r"woonadres|woonplaats|adress|bostadsadress|adresa|adres zamieszkania|ev adresi|"
    r"kotiosoite|adresa bydliště|adresa trvalého pobytu|domiciliu|lakcím|alamat rumah|"
    r"alamat|địa chỉ nhà|địa chỉ|anwani ya nyumbani|anwani|huisadres|домашний адрес|"
    r"адрес проживания|адрес|домашня адреса|адреса проживання|адреса|διεύθυνση κατοικίας|"
    r"διεύθυνση|عنوان السكن|العنوان|כתובת מגורים|כתובת|घर का पता|पता|家庭住址|住址|自宅住所|"
    r"住所|집 주소|주소|ที่อยู่บ้าน|ที่อยู่|bydliště|trvalé bydliště|bydlisko|trvalý pobyt|"
    r"endereço residencial|endereco residencial|residência|cyfeiriad|cyfeiriad cartref|seoladh|"
    r"seoladh baile|gyvenamoji vieta|namų adresas|lakóhely|lakcím|kotipaikka|asuinpaikka|"
    r"prebivališče|prebivalište|adresa stanovanja|κατοικία|מקום מגורים|מגורים|ikamet\w*|"
    r"निवास|مكان الإقامة|место жительства|місце проживання|居住地|現住所|거주지)"
    rf"(?:{_QUALIFIER}|\s*[:=\-])|"
    r"\b(home address|my address|i live at|lives at|i reside at|living at|"
    r"wohnhaft in|j'habite (au|à)|vivo en|abito in|moro na|ik woon op|mieszkam przy|"
    r"dw i'n byw yn|rwy'n byw yn|tá cónaí orm|asun osoitteessa|bydlím v|živim u|živim na|"
    r"lakom|gyvenu)\b")


# Translations of "postcode" as a label (postcode, ZIP, PLZ, CAP, código postal…): the part of a
# home address that stays behind when its street line is kept back.
POSTCODE_LABEL = re.compile(
    r"(?i)^\W*(post\s?code|postal code|zip( code)?|code|plz|postleitzahl|code postal|cp|"
    r"c[oó]digo postal|cap|postcode|kod pocztowy|postnummer|postinumero|ps[čc]|"
    r"cod postal|irányítószám|posta kodu|kode pos|poskod|mã bưu chính|postkode|cep|psč|"
    r"pašto kodas|cod poștal|eircode|cod post)\W*$")


def _address(span: str, context: str = "") -> Finding | None:
    """The first street address of `span`, or an address after its label, that is not the
    employer's (`_at_work`)."""
    for street in _STREET.finditer(span):
        found = Finding(ADDRESS, street.group(0).strip(" ,"), "street")
        if not _at_work(span, found, context):
            return found
    cue = _ADDRESS_CUE.search(span)
    if cue:
        rest = span[cue.end():]
        number = re.search(r"\d", rest)
        found = Finding(ADDRESS, rest.strip(" :=-"), cue.group(0).strip(" |;(:=-"))
        if number and not _at_work(span, found, context):
            return found
    return None


# Translations of "telephone", "mobile phone", "cell phone" and how one gives a number.
_PHONE_CUE = re.compile(r"(?i)\b(phone|telephone|tel|mobile|cell|cellphone|whatsapp|"
                        r"call me|text me|reach me|ring me|sms|contact number|bel me|ruf mich|"
                        r"rufen sie mich|appelez-moi|appelle-moi|llámame|llamadme|chiamami|"
                        r"ligue-me|liga-me|ligar-me|telefonar-me|llamarme|chiamarmi|"
                        r"ligar|llamar|chiamare|appeler|anrufen|bellen|"
                        r"m'appeler|mich anrufen|me bellen|zadzwoń|ring mig|"
                        r"telefon\w*|handy|mobil\w*|téléphone|portable|tél|teléfono|telefono|"
                        r"móvil|movil|celular|telemóvel|telefone|cellulare|telefoon|mobiel|gsm|"
                        r"komórka|komórkowy|nr tel|numer)\b|📞|☎|📱|"
                        # "mobile" and "telephone" in Chinese, Japanese and Korean
                        r"手机|手機|电话|電話|携帯|휴대폰|휴대전화|핸드폰|전화번호")
_PHONE_SHAPE = re.compile(r"(?<![\w.,])(?:\+|00)?(?:\(\d{1,5}\)\s?)?\d[\d\s.\-/]{5,}\d(?!\w|[.,]\d)")
# Where a national number is tried when it has no country code: the regions whose résumés this
# reads most often, in the order `phonenumbers` is asked.
_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "IE", "PT", "PL", "SE",
            "DK", "NO", "FI", "CA", "AU", "NZ", "IN", "BR", "MX", "ZA", "SG", "TR", "JP", "AR",
            "CL", "CO")


_THOUSANDS = re.compile(r"[1-9]\d{0,2}([ .\u00a0]\d{3})+")  # "1 350 000", or a phone "912 604 338"


def _phone_numbers(span: str) -> list[tuple[int, str]]:
    """Where each run of digits shaped like a phone number starts, and the run (not a year
    range, not a date)."""
    return [(m.start(), m.group(0).strip()) for m in _PHONE_SHAPE.finditer(span)
            if 7 <= len(re.sub(r"\D", "", m.group(0))) <= 15
            and not re.fullmatch(r"(19|20)\d\d\s*[-–/]\s*(19|20)\d\d", m.group(0).strip())
            and not re.fullmatch(r"[\d\s.]*\d{1,2}[./-]\d{1,2}[./-](19|20)?\d\d", m.group(0).strip())]


# How a phone number is written when nothing names it: with its country code, its area code in
# brackets, the national trunk prefix 0 (most of Europe, Oceania, Asia), or the North American
# 3-3-4 grouping.
_DIALLED = re.compile(r"^(\+|00|\(\d{1,5}\)|0\d*[\s.\-/]|\d{3}[\s.\-]\d{3}[\s.\-]\d{4}$)")


def _phone(span: str, context: str = "") -> Finding | None:
    """The first phone number of `span` that is not the employer's (`_at_work`)."""
    for start, number in _phone_numbers(span):
        cue = _PHONE_CUE.search(span[max(0, start - 40):start])
        if _THOUSANDS.fullmatch(number) and not (cue and _valid_phone(number)):
            continue  # grouped as thousands: an amount, unless named a phone and valid as one
        if cue or (_DIALLED.match(number) and _valid_phone(number)):
            found = Finding(PHONE, number, cue.group(0) if cue else "phonenumbers")
            if not _at_work(span, found, context):
                return found
    return None


@lru_cache(maxsize=4096)
def _valid_phone(number: str) -> bool:
    """A number `phonenumbers` finds valid: with its country code, or as a national number of
    one of `_REGIONS` written with the grouping people use (spaces, dashes, brackets)."""
    international = number.startswith(("+", "00"))
    if not international and not re.search(r"[\s().\-/]", number):
        return False  # a run of bare digits is more often a reference than a phone
    for region in (None,) if international else _REGIONS:
        try:
            parsed = phonenumbers.parse(number.replace("00", "+", 1) if number.startswith("00")
                                        else number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


# Translations of "passport", "identity card", "national ID", "social security number",
# "national insurance number", "tax identification number", "driving licence", with the names of
# the national numbers python-stdnum documents (SSN, SIN, NINO, BSN, DNI, NIE, NIF, CPF, PESEL,
# CPR, HETU, RUT, CURP, TFN, PPS, PAN, Aadhaar, personnummer, codice fiscale, Steuer-ID), and
# the passport, identity card and national numbers' names in Russian, Ukrainian, Greek, Arabic,
# Hebrew, Hindi, Chinese, Japanese and Korean (SNILS, INN, RNOKPP, AFM, My Number); "identity
# document" itself in the same languages; the US commercial driver's licence (CDL); and
# Indonesia's NIK, KTP and NPWP (python-stdnum's `id` numbers) with its BPJS insurance numbers.
_ID_CUE = re.compile(
    r"(?i:\b(passport|id card|identity card|identity number|identity document|national id|"
    r"id number|id no|id#|social security|social insurance|national insurance|ssn|nino|"
    r"ni number|tax id|tax identification|tax number|tax file number|tfn|aadhaar|aadhar|ppsn?|"
    r"driver'?s licen[cs]e|driving licen[cs]e|licen[cs]e number|cdl|řidičsk\w* průkaz\w*|"
    r"občansk\w* průkaz\w*|cestovní pas\w*|vodičsk\w* preukaz\w*|občiansk\w* preukaz\w*|"
    r"nomor induk kependudukan|paso|pasas|pase|putovnic\w*|vegabréf\w*|asmens dokument\w*|"
    r"personnummer|fødselsnummer|"
    r"hetu|henkilötunnus|bsn|burgerservicenummer|pesel|curp|codice fiscale|"
    r"steuer-?id|steuernummer|steueridentifikationsnummer|personalausweis\w*|reisepass\w*|"
    r"st-?id|id-?nr|rv-?nr|sv-?nr|rentenversicherungsnummer|versicherungsnummer|"
    r"ausweis\w*|passeport|carte (nationale )?d'identité|numéro de sécurité sociale|"
    r"pasaporte|cédula|"
    r"passaporte|carta d'identità|passaporto|paspoort|identiteitskaart|paszport|"
    r"dowód osobisty|id-kort|kimlik|tckn|nric|rodné číslo|cnp|egn|kennitala|amka|"
    r"rijksregisternummer|registre national|numéro national|national number|insee|"
    r"sécurité sociale|seguridad social|segurança social|sicurezza sociale|"
    r"previdenza sociale|sozialversicherungsnummer|ahv|avs|identiteitsnummer|sofinummer|"
    r"cpr-nummer|mykad|hkid|emirates id|iqama|oib|jmbg|emšo|asmens kodas|isikukood|"
    r"personas kods|nhs number|medicare number|identity documents?|identification documents?|"
    # "identity document" in the languages above
    r"identitätsdokument\w*|ausweisdokument\w*|pièces? d'identité|documento nacional de "
    r"identidad|documentos? de identidad|documenti d'identità|documento d'identità|documentos? "
    r"de identidade|identiteitsbewijs\w*|dokument\w* tożsamości|identitetshandling\w*|"
    r"identitetsdokument\w*|identitetspapir\w*|legitimation|henkilöllisyystodistus|"
    r"doklad\w* totožnosti|act\w* de identitate|személyazonosító igazolvány|kimlik belgesi|"
    r"bpjs kesehatan|bpjs ketenagakerjaan|dokumen identitas|giấy tờ tùy thân|kitambulisho|паспорт\w*|загранпаспорт\w*|снилс|инн|"
    r"удостоверени\w* личности|водительск\w* удостоверени\w*|снілс|рнокпп|іпн|"
    r"ідентифікаційн\w* код\w*|посвідчення|διαβατήριο|αριθμός ταυτότητας|αδτ|αφμ|"
    r"דרכון|תעודת זהות|מספר זהות|"
    r"पासपोर्ट|आधार)\b)|"
    # Arabic's, whose words take "and", "with" or "the" joined before them ("وجواز السفر")
    r"جواز السفر|جواز سفر|رقم الهوية|الهوية الوطنية|護照|护照|身份证|身分證|旅券|パスポート|マイナンバー|運転免許証|여권|"
    r"주민등록번호|주민번호|"
    r"\b(SIN|TIN|PAN|CPR|DNI|NIE|NIF|NSS|CPF|RG|NIP|RUT|RUN|RFC|CC|BI|VAT|FIN|PPS|CUIT|NIK|KTP|"
    r"NPWP|BPJS)\b")
# A token shaped like a document number: groups of letters and digits with at least one digit,
# joined by single separators (`AB 12 34 56 C`, `X1234567`, `078-05-1120`).
_ID_TOKEN = re.compile(r"(?<![\w@/.\-])(?:[A-Z]{1,6}[ \-]?)?\d[\dA-Z]*(?:[ .\-/]\d[\dA-Z]*)*"
                       r"(?:[ \-]?[A-Z]{1,2})?(?![\w@])")


# What stands between a document's name and its number ("Passport no.: X1", "my BSN is 1").
_ID_AFTER = re.compile(r"(?i)\W{0,3}((no|nr|n°|nº|№|number|num|nummer|numéro|número|numero|"
                       r"numer|numara|nomor|số|#|is|was|:|серии|серия|"
                       r"номер|번호|号码|號碼|番号|رقم|מספר|αριθμός|αρ\.)\.?\W{0,3}){0,2}")


@lru_cache(maxsize=1)
def _stdnum_modules() -> tuple:
    """The personal identity and tax numbers of python-stdnum that have a checksum or a strict
    format: a token any of them validates is an identity number wherever it stands."""
    from importlib import import_module
    names = ("us.ssn", "gb.nino", "nl.bsn", "se.personnummer", "es.dni", "es.nie", "it.codicefiscale",
             "in_.pan", "in_.aadhaar", "ca.sin", "fr.nir", "br.cpf", "dk.cpr", "no.fodselsnummer",
             "be.nn", "de.idnr", "pl.pesel", "fi.hetu", "cl.rut", "mx.curp", "au.tfn", "ie.pps",
             "za.idnr", "cn.ric", "ch.ssn", "pt.cc", "ee.ik", "lt.asmens", "ro.cnp", "bg.egn",
             "cz.rc", "sk.rc", "tr.tckimlik", "is_.kennitala", "gr.amka", "sg.uen")
    modules = []
    for name in names:
        try:
            modules.append(import_module(f"stdnum.{name}"))
        except ImportError:  # a module an older python-stdnum does not have
            continue
    return tuple(modules)


# Dates and year ranges, which some checksums accept by chance.
_DATES = re.compile(r"(19|20)\d\d\s*[-–./]\s*(\d\d?\b|(19|20)\d\d)|\b\d\d?[-./]\d\d?[-./](19|20)\d\d")


# Two national numbers python-stdnum has no module for, by their published formats: the UK's
# National Insurance number (HMRC's National Insurance Manual, NIM39110: two prefix letters,
# six digits, a suffix A–D) and the UK driving licence number (DVLA: five letters of the
# surname, six digits of the birth date, two initials, a digit and two check letters).
_NATIONAL_FORMATS = re.compile(
    r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]|"
    r"[A-Z9]{5}\d[0156]\d[0-3]\d\d[A-Z9]{2}\d[A-Z]{2}")


def _valid_id(token: str) -> str:
    """What finds `token` a valid national number ("python-stdnum", or the published format
    of one it has no module for), or ""."""
    compact = re.sub(r"[\s.\-/]", "", token)
    if len(compact) < 8 or compact.isalpha() or _DATES.search(token):
        return ""
    if compact.isdigit() and not re.search(r"[\s.\-/]", token) and len(compact) < 9:
        return ""
    if _NATIONAL_FORMATS.fullmatch(compact):
        return "a national number's format"
    return "python-stdnum" if any(module.is_valid(token) for module in _stdnum_modules()) \
        else ""


_QUALIFIED = re.compile(rf"{_QUALIFIER}\s*")  # an identity document's label, so qualified


def _id(span: str) -> Finding | None:
    for cue in _ID_CUE.finditer(span):
        after = _ID_AFTER.match(span, cue.end())
        token = _ID_TOKEN.match(span, after.end()) if after else None
        if not token and (qualified := _QUALIFIED.match(span, cue.end())):
            token = _ID_TOKEN.match(span, qualified.end())
        value = token.group(0).strip() if token else ""
        if token and (between := re.match(r"\s*(№|n[°º]|no\.?|nr\.?)\s*", span[token.end():],
                                          re.I)):  # a series, then the number ("65 19 № 482731")
            number = _ID_TOKEN.match(span, token.end() + between.end())
            value = span[token.start():number.end()].strip() if number else value
        digits = len(re.sub(r"\D", "", value))
        short = cue.group(0).isupper() and digits < 6 and len(re.sub(r"\W", "", value)) < 7
        if digits >= 4 and not short and not _YEAR.match(value):
            return Finding(ID, value, cue.group(0))
    for token in _ID_TOKEN.finditer(span):
        value = token.group(0).strip()
        valid = _valid_id(value)
        if valid and not _PHONE_CUE.search(span[max(0, token.start() - 40):token.start()]):
            return Finding(ID, value, valid)
    return None


# The special categories: first-person statements and labels. Labels are the translations of
# "health", "religion", "sexual orientation", "marital status", "ethnicity" (and "ethnic
# group", the UK census's question) into English, German, French, Spanish, Italian,
# Portuguese, Dutch, Polish, Swedish, Norwegian, Danish, Finnish, Czech, Slovak, Romanian,
# Hungarian, Turkish, Indonesian and Malay, Vietnamese, Swahili, Afrikaans and romanised Hindi,
# Chinese, Japanese and Korean, Catalan, Tagalog and Persian; and the US EEO-1 report's
# "Race/Ethnicity". A label ends with a colon, an equals sign, a dash or
# an arrow.
_I = r"(?:i am|i'm|im|i was|i've been|i have been|ich bin|je suis|soy|estoy|sono|sou|" \
     r"estou|ik ben|jestem|jag är|jeg er)"
_SPECIAL_LABEL = re.compile(
    r"(?i)(?:^|[|;(:.]\s*)(?:(?P<health>health|medical|disabilit(?:y|ies)|gesundheit|santé|salud|"
    r"salute|saúde|gezondheid|zdrowie|hälsa|helse|sundhed|terveys|zdraví|zdravie|sănătate|"
    r"egészség|kesehatan|sức khỏe|afya|gesondheid|swasthya|workplace accommodations?|"
    r"reasonable adjustments?|здоровье|здоров'я|υγεία|الحالة الصحية|الصحة|בריאות|स्वास्थ्य|健康状况|健康狀況|"
    r"健康状態|건강 상태|건강상태|건강|salut|kalusugan|سلامت|وضعیت سلامت)|"
    r"(?P<religion>religion|faith|вероисповедание|религия|релігія|віросповідання|θρήσκευμα|"
    r"الديانة|الدين|דת|धर्म|"
    r"religious beliefs?|konfession|religionszugehörigkeit|religión|religione|religião|religie|"
    r"geloof|wyznanie|uskonto|náboženství|náboženstvo|vallás|din|agama|tôn giáo|"
    r"dini|dharm|dharma|宗教信仰|宗教|종교|relihiyon|"
    r"religió|مذهب|دین|ሃይማኖት|trúfélag|trú|vjera|vera|veroizpoved|vallási hovatartozás|"
    r"tikėjimas|creideamh|crefydd|"
    # and "life stance" in Wiktionary's Norwegian, Swedish and Danish translations (religion
    # or belief, as Norway's Religious Communities Act names it beside religion)
    r"livssyn|livsåskådning|livsanskuelse)|(?P<sexuality>sexual orientation|sexuality|"
    r"oryentasyong sekswal|orientació sexual|گرایش جنسی|"
    r"orientación sexual|orientation sexuelle|orientamento sessuale|orientação sexual|"
    r"sexuelle orientierung|seksuele oriëntatie|orientacja seksualna|sexuell läggning|"
    r"seksuell orientering|seksuel orientering|seksuaalinen suuntautuminen|sexuální orientace|"
    r"sexuálna orientácia|orientare sexuală|szexuális irányultság|cinsel yönelim|"
    r"orientasi seksual|xu hướng tính dục|mwelekeo wa kijinsia|seksuele oriëntasie|"
    r"сексуальная ориентация|сексуальна орієнтація|σεξουαλικός προσανατολισμός|"
    r"التوجه الجنسي|נטייה מינית|性取向|性的指向|성적 지향|성적지향)|"
    r"(?P<marital>marital status|civil status|family status|relationship status|familienstand|"
    r"état civil|situation familiale|estado civil|stato civile|burgerlijke staat|"
    r"stan cywilny|civilstånd|sivilstand|civilstand|siviilisääty|rodinný stav|stare civilă|"
    r"stare civila|starea civilă|családi állapot|medeni hal|medeni durum|status perkawinan|"
    r"status pernikahan|taraf perkahwinan|tình trạng hôn nhân|hali ya ndoa|huwelikstatus|"
    r"vaivahik sthiti|семейное положение|сімейний стан|οικογενειακή κατάσταση|"
    r"الحالة الاجتماعية|מצב משפחתי|वैवाहिक स्थिति|婚姻状况|婚姻狀況|婚姻状態|"
    r"婚姻|配偶者|결혼 여부|결혼여부|혼인 여부|혼인여부|가족 사항|가족사항|estat civil|"
    r"katayuang sibil|estado sibil|وضعیت تأهل|وضعیت تاهل|"
    # and "children", "daughters", "sons" as a label, in the same languages, with Thai's status
    # labels
    r"children|number of children|kinder|enfants|hijos|figli|filhos|kinderen|dzieci|barn|"
    r"daughters?|sons?|töchter|tochter|söhne|sohn|filles|fils|hijas?|figlie|filhas|dochters?|"
    r"zonen|córki|córka|synowie|syn|döttrar|söner|døtre|sønner|บุตร|ลูก|สถานภาพสมรส|"
    r"สถานภาพครอบครัว|สถานภาพ|"
    # and "spouse", "wife", "husband"
    r"spouse|wife|husband|ehepartner\w*|ehefrau|ehemann|conjoint\w*|épouse|époux|cónyuge|"
    r"esposa|esposo|coniuge|moglie|marito|cônjuge|echtgeno\w+|małżon\w+|hustru|"
    r"ektefelle|ægtefælle|puoliso|manžel\w*|soț\w*|házastárs|suami|istri|vợ|chồng|mke|mume|"
    r"配偶|배우자|คู่สมรส|ภรรยา|สามี|जीवनसाथी|पति|पत्नी|زوج|زوجة|супруг\w*|σύζυγος|"
    r"børn|lapset|děti|copii|gyermekek|çocuklar|anak|con cái|watoto|kinders|дети|діти|"
    r"παιδιά|الأطفال|ילדים|बच्चे|子女|子供|자녀)|"
    r"(?P<ethnicity>race\s*(?:/|and|&)?\s*ethnicity|ethnicity|ethnic origin|ethnic group|caste|"
    # and the labels of descent: "heritage", "ancestry", "tribe", and the iwi and hapū of the
    # New Zealand census's Māori descent questions
    r"heritage|ancestry|tribal affiliation|tribe|iwi|iwi affiliation|hapū|hapu|"
    r"community\s*/\s*caste|jati|民族|种族|種族|人種|민족|인종|origen étnico|origen ètnic|"
    r"bangsa|suku kaum|keturunan|lahi|etnisidad|قومیت|نژاد|"
    r"национальность|національність|εθνικότητα|العرق|מוצא|जाति|"
    r"ethnic background|race|herkunft|ethnische herkunft|origine ethnique|etnia|origem étnica|"
    r"etniciteit|pochodzenie etniczne|etnicitet|etnisk bakgrunn|etnisk oprindelse|"
    r"etninen tausta|etnicita|etnický původ|etnie|etnikai hovatartozás|etnik köken|"
    r"suku bangsa|etnis|dân tộc|kabila|etnisiteit)|"
    # and "trade union" (membership), Wiktionary's translations, as a label
    r"(?P<union>(trade |labou?r )?union( membership)?|gewerkschaft\w*|syndicat|sindicato|"
    r"sindacato|vakbond|związek zawodowy|fackförbund|fackförening|fagforening|fagforbund|"
    r"ammattiliitto|odbory|odborová organizace|sendika|serikat pekerja|công đoàn|工会|"
    r"労働組合|노동조합|профсоюз|профспілка|συνδικάτο|نقابة|איגוד מקצועי|श्रमिक संघ))"
    r"(?:\s*[:=]|\s+[-–—]|-\s|\s*(?:→|->|=>))"
    r"\s*\S")
# not "Medical-Surgical Nursing"
# Health: the words of a diagnosis or a condition (ICD-11's chapter words: disease, disorder,
# syndrome, condition) and the commonest long-term conditions, said of oneself.
_CONDITION = (r"(diabet\w*|epilep\w*|asthma|cancer|leuka?emia|lymphoma|hiv|depression|"
              r"anxiety|bipolar( disorder)?|schizophrenia|autism|adhd|dyslexia|dyspraxia|"
              r"multiple sclerosis|crohn'?s( disease)?|colitis|arthritis|lupus|migraines|ptsd|"
              r"ocd|chronic (pain|fatigue|illness|\w+ disease)|long covid|coeliac disease|"
              r"celiac disease|hearing loss|a disability|disabilities|an illness|a disease|"
              r"a disorder|a syndrome|a (medical|health|heart|chronic) condition|diabète|"
              r"diabetes|cáncer|a tumou?r|hearing (impairment|aids?)|deficiență de auz|"
              r"proteză auditivă|schwerhörig\w*|hörgerät\w*|malentendant\w*|appareil auditif|"
              r"sordera|audífono|ipoacusia|apparecchio acustico|slechthorend\w*|gehoorapparaat|"
              r"niedosłuch\w*|aparat słuchowy)(?! (research|care|nursing|patients?|services?|"
              r"management|experience|education|treatment|clinics?|units?|wards?|teams?|"
              r"programmes?|programs?|projects?|awareness|prevention|screening|support|"
              r"charity|charities|foundation|trials?|studies|study|medicine|pathways?|"
              r"specialists?|nurses?|centres?|centers?))")
# and the long-term conditions above in Wiktionary's translations into Spanish, Portuguese,
# Italian and French, said with "I live with" and no article ("vivo con esclerosis múltiple")
_CONDITION_ROMANCE = (r"esclerosis múltiple|esclerose múltipla|sclerosi multipla|sclérose en "
                      r"plaques|epilepsia|épilepsie|epilessia|asma|asthme|depresión|dépression|"
                      r"depressione|depressão|diabetes|diabete|diabète|artritis|artrite|"
                      r"arthrite|lupus|enfermedad de crohn|doença de crohn|morbo di crohn|"
                      r"maladie de crohn|cáncer|cancro|câncer|vih|hiv|autismo|autisme|"
                      r"trastorno bipolar|transtorno bipolar|disturbo bipolare|trouble bipolaire")
_HEALTH = re.compile(
    rf"(?i)\b(i (was|have been|'ve been|am|'m) diagnosed|diagnosed me|my diagnosis|"
    rf"(after|since|before|on|when) being diagnosed with|"
    rf"(i live|i am living|i'm living|i suffer\w*|i have|i've|i have had|i've had|i manage|"
    rf"i cope|i deal|i also (live|have|manage)|i still (live|have)) (with |from )?"
    rf"([\w-]+ ){{0,2}}(type [12] )?{_CONDITION}\b|"
    rf"(^|[.;:]\s*)living with ([\w-]+ ){{0,2}}(type [12] )?{_CONDITION}\b|"
    rf"my (chronic|long-term|medical|health) (condition|illness|issues?|problems?)|"
    rf"my (disability|illness|diabetes|epilepsy|cancer|depression|anxiety|adhd|autism)\b|"
    rf"{_I} (a )?(disabled|deaf|blind|autistic|dyslexic|diabetic|epileptic|pregnant|"
    rf"a wheelchair user|a cancer survivor|hiv[- ]positive|neurodivergent)\b|"
    rf"diagnostiziert|diagnostiqué\w*|diagnosticad[oa]|diagnosticat[oa]|gediagnosticeerd|"
    rf"zdiagnozowan\w*|diagnostisert|diagnosticerad|"
    rf"(^|[.;:]\s*|\b(he|she|they) )(has|have|lives with|is living with|suffers from|was "
    rf"diagnosed with) (mild |severe |chronic |long-term |lifelong |type [12] )?{_CONDITION}|"
    rf"lebe ich mit|ich lebe mit|je vis avec (un|une|le|la|des) \w+|vivo con (un|una|el|la) "
    rf"\w+|convivo con|(vivo con|vivo com|vivo|je vis avec) ({_CONDITION_ROMANCE})|vivo com (um|uma|o|a) \w+|ik leef met|żyję z|"
    # "I suffer from", "I live with", "diagnosed with" in the languages of the labels above
    rf"\b(saya |aku )?(menderita|mengidap|didiagnosis|penyandang (gangguan|disabilitas|"
    rf"penyakit|cacat))\b|\b(padezco|sufro de|me diagnosticaron|je souffre (de|d')|ich leide (an|"
    rf"unter)|soffro di|sofro de|ik lijd aan|choruję na|cierpię na|lider av|lider af|"
    rf"kärsin)\b|"
    # "I have" a condition in Russian and Ukrainian, "I live with" one in Persian, "pregnant" in
    # Tagalog and Malay, a month of pregnancy and maternity leave in the Slavic languages
    rf"\b(у меня|у мене)( есть| є)? ([\w-]+ ){{0,2}}(диабет\w*|діабет\w*|эпилепси\w*|"
    rf"епілепсі\w*|астм\w*|рак\w*|депресси\w*|депресі\w*|биполярн\w*|біполярн\w*|аутизм\w*|"
    rf"рассеянн\w* склероз\w*|розсіян\w* склероз\w*|инвалидност\w*|інвалідн\w*)|"
    rf"\b(akong buntis|ako ay buntis|buntis ako)\b|"
    # "I have" (Wiktionary's translations) a condition in the Nordic languages, German and
    # Dutch, with the conditions' names those languages share with English ("minulla on tyypin
    # 1 diabetes", "jeg har astma")
    rf"\b(minulla on|jag har|jeg har|ich habe|ik heb) ((tyypin|typ|type) [12] )?(diabetes|epilepsi\w*|"
    rf"astma|asthma|migräne|migræne|migrene|ms|adhd|autism\w*|crohn\w*|krebs|kræft|cancer)\b|"
    # "take (a medicine)", "diagnose", "suffer from" and "chronic illness" in Wiktionary's
    # Chinese, Japanese and Korean translations (服用, 確診 / 确诊, 患有, 診断され, 持病, 복용,
    # 진단받, 지병)
    rf"服用|确诊|確診|患有|診断され|持病|복용|진단받|진단을 받|지병|"
    # "pregnant" said of oneself and a due date, in the languages of the labels above
    rf"\b(je suis enceinte|enceinte de|ich bin schwanger|estoy embarazada|sono incinta|"
    rf"estou grávida|ik ben zwanger|jestem w ciąży|jag är gravid|jeg er gravid|olen raskaana|"
    rf"hamileyim|saya hamil|nina mimba|i'm expecting a baby|i am expecting a baby|"
    rf"geburtstermin|fecha (prevista|probable) de parto|data presunta del parto|"
    rf"data prevista do parto|uitgerekende datum|termin porodu)\b|"
    rf"من با [^.؛]{{0,30}}(اختلال|بیماری|دیابت|صرع|افسردگی|سرطان)|"
    rf"\b(u|w|v|im|in the) \w+ (mjesecu|miesiącu|měsíci|mesecu|monat|month) (trudnoće|"
    rf"ciąży|těhotenství|nosečnosti|der schwangerschaft|of (her|my) pregnancy)\b|"
    rf"\b(rodiljn\w*|porodiljn\w*|porodniško\w*|macierzyńsk\w*|mateřsk\w*|materinsk\w*) "
    rf"(dopust\w*|urlop\w*|dovolen\w*|odsustv\w*)\b|\b(sedang )?mengandung\b|"
    rf"schwerbehindert\w*|\bgdb \d+|grad der behinderung|disability grade|taux d'invalidité|"
    rf"grado de discapacidad|invalidità civile|niepełnosprawn\w*|"
    rf"\b\d{{1,2}} weeks pregnant\b|\b(i am|i'm|i'm currently|currently) pregnant\b|"
    rf"\bexpecting (a baby|twins|our (first|second|third) (child|baby))\b|\bmy pregnancy\b|"
    rf"\b(baby|due date) (is )?due\b|\bon (maternity|paternity|parental) leave\b)")
# Religion: the major religious groups (Wikipedia's "Major religious groups") said of oneself.
_FAITHS = (r"christian|catholic|protestant|orthodox|anglican|baptist|methodist|evangelical|"
           r"lutheran|pentecostal|mormon|latter-day saint|muslim|jewish|jew|hindu|buddhist|sikh|"
           r"jain|bahá'í|baha'i|shinto|taoist|pagan|atheist|agnostic|katholisch|evangelisch|"
           r"muslimisch|jüdisch|catholique|musulman\w*|juif|juive|athée|católic[oa]|cattolic[oa]|"
           r"musulm[aá]n\w*|judí[oa]|ebre[oa]|ateo|atea|ateu|ateia|katholiek|moslim|joods|"
           r"katoli\w*|żyd\w*|muzułman\w*|ateist\w*|müslüman|"
           # and the smaller groups of the same list, with their branches
           r"adventist\w*|adwenty\w*|jehovah'?s witness\w*|zeugen jehovas|"
           r"testigos? de jehová|témoins? de jéhovah|świadk\w* jehowy|quaker|mennonit\w*|"
           r"amish|zoroastrian|parsi|rastafari\w*|unitarian|shia|shi'ite|sunni|alevi|"
           r"hindoe|hindú|induista|buddhis\w*|"
           r"budista|bouddhiste|boeddhist|protestan\w*|evangéli\w*|ortodoks\w*|ortodox[oa]|"
           r"orthodoxe|pravoslav\w*|katolik|katolick\w*|islam|kristen|krześcijan\w*|cristian[oa]|"
           r"chrétien(ne)?|christin|joodse|yahudi|muslimah|"
           # and the same groups in Swahili (Wiktionary), and Heathenry's Icelandic name, Ásatrú,
           # a religion Iceland registers
           r"mkristo|mwislamu|mkatoliki|mwadventista|mlutheri|mhindu|mbudha|myahudi|"
           r"mpentekoste|mwanglikana|mmethodisti|mbaptisti|mprotestanti|ásatrú\w*")
# Membership of a congregation, in the languages of the labels above.
_MEMBER = (r"(member|mitglied|membre|miembro|membro|lid|członki\w*|członek|medlem|jäsen|penganut|"
           r"člen\w*|membru|tagja|üye\w*|anggota|thành viên|mshiriki|mwanachama|عضو)")
_CONGREGATION = (r"(church|kirche|église|iglesia|chiesa|igreja|kerk|kości[oó]ł\w*|kyrka\w*|"
                 r"kirke\w*|kirkko|církve|církev|cirkvi|biseric\w*|egyház|kilise\w*|gereja|"
                 r"nhà thờ|kanisa|mosque|moschee|mosquée|mezquita|moschea|meczet|moskee|"
                 r"masjid|cami|synagog\w*|sinagoga|gurdwara|كنيسة|الكنيسة|مسجد|المسجد|msikiti|"
                 r"congregation|pfarrei|paroisse|parroquia|parrocchia|parafi\w*)")
# "I pray", "I worship", "I go to" in the languages of the labels above: said of a congregation
_WORSHIP = (r"(ich bete|ich gehe (in die|zur)|je prie|je vais à (la|l')|rezo|voy a (la )?|prego|"
            r"vado (in|a)|vou à|ik bid|ik ga naar de|modlę się|chodzę do|jag ber|jag går i|"
            r"jeg ber|jeg beder|jeg går i|rukoilen|käyn|modlím se|chodím do|mă rog|merg la|"
            r"imádkozom|járok|dua ederim|namaz kılarım|giderim|saya (sembahyang|sholat|salat|"
            r"beribadah|berdoa)|tôi cầu nguyện|ninaswali|naswali|ninasali|nasali|huswali|"
            r"ninaabudu|ninakwenda)")
_RELIGION = re.compile(
    rf"(?i)\b{_I} (a |an )?(devout |practi[cs]ing |observant |committed |born-again |"
    rf"proud |non-practi[cs]ing )?({_FAITHS})\b(?!\s+(?-i:[A-Z]))|\bmy (faith|religion|religious beliefs?|church|"
    rf"mosque|synagogue|temple|gurdwara|parish)\b|\b(devout|practi[cs]ing|observant) ({_FAITHS})\b|\bi (attend|go to|pray|worship|observe|fast)"
    rf"\b[^.]{{0,30}}\b(church|mass|mosque|synagogue|temple|gurdwara|ramadan|shabbat|sabbath|"
    rf"prayers?)\b|\b{_MEMBER}\b[^.]{{0,40}}\b({_CONGREGATION}|{_FAITHS})\b|"
    rf"\b{_WORSHIP}\b[^.]{{0,40}}\b{_CONGREGATION}|"
    # the faith said in the first person, in the languages of the labels above
    rf"\b(i am|i'm|ich bin|je suis|soy|sono|sou|ik ben|jestem|jag är|jeg er|olen|jsem|sunt|"
    rf"vagyok|saya|tôi là|mimi ni|ek is|ég er|sóc|ja sam|jaz sem) (a |an |un |une |una |uno |een |"
    rf"en |ett |í )?"
    rf"(devout |practi[cs]ing |observant |praktizierende[rn]? |pratiquant[e]? |practicante |"
    rf"praticante |praktiserende |praktykując\w* )?({_FAITHS})\b|"
    # from a family of a faith ("I come from a Catholic family", "Alevi bir aileden geliyorum")
    rf"\b(from|grew up in|raised in) an? ({_FAITHS}) (family|household|home)\b|"
    rf"\b({_FAITHS}) bir aile(den|de|nin)\b|"
    # and in Urdu ("میں شیعہ … ہوں", I am Shia)
    r"میں [^.۔]{0,20}(شیعہ|سنی|مسلمان|عیسائی|ہندو|سکھ|کیتھولک|احمدی)")
# Sexual orientation: its words and their cognates in the same languages.
_ORIENTATION = (r"gay|lesbian|lesbica|lesbienne|lésbica|lesbisch|lesbijka|lesbisk|lezbiyen|"
                r"bisexual\w*|bisessuale|bisexuel\w*|biseksu\w*|biszexuális|queer|pansexu\w*|"
                r"panseksu\w*|asexual\w*|aseksu\w*|homosexu\w*|omosessuale|homossexual|"
                r"homoseksu\w*|schwul|transgender|non-binary|nonbinary|lgbtq?\+?|bissexua\w*|"
                r"lesbiană|lesbiene|leszbikus|lesba|gai|gej|gei|lezbijka|lezbejka|biseksualna|"
                r"biseksualan|trans|homofil\w*|bifil\w*|skeiv|gėjus|gėjė|lesbietė|gejs|lesbiete|"
                r"гей|геј|лесбийка|лезбијка|ομοφυλόφιλ\w*|λεσβία|eşcinsel")
# "As a …" in the same languages, with the words for a woman, a man and a person after it
_AS = r"(as|como|come|comme|en tant que|als|sebagai|jako|som|kao|ca|mint|olarak|là)"
_PERSON = (r"(woman|man|person|mujer|hombre|persona|donna|uomo|femme|homme|frau|mann|vrouw|"
           r"mulher|homem|pessoa|"
           r"kobieta|mężczyzna|kvinna|kvinne|kvinde|mand|pria|wanita|perempuan|laki-laki|orang|"
           r"žena|muž|femeie|bărbat|nő|férfi|(?-i:[Kk]adın)|erkek|mwanamke|mwanaume|vrou|"
           # and in Catalan and Serbo-Croatian, Slovene
           r"home|dona|muškarac|moški|ženska)")
_SEXUALITY = re.compile(
    r"(?i)\b(i am|i'm|im|as an?|i identify as|i came out as|proud to be|ich bin|je suis|soy|"
    r"sono|sou|ik ben|jestem) (a |an )?(openly |proudly )?(gay|lesbian|bisexual|bi|queer|"
    r"pansexual|asexual|homosexual|heterosexual|straight|trans|transgender|non-binary|"
    r"nonbinary|lgbtq?\+?\w*|schwul|lesbisch|homosexuel\w*|homosexual|omosessuale|homo\w*)\b(?!-)|"
    r"\bmy (same-sex |gay |lesbian )?(boyfriend|girlfriend)\b|\bmy sexual orientation\b|"
    r"\bmy (coming out|pronouns)\b|\b(gay|lesbian|bisexual|queer|pansexual|asexual|trans|"
    r"transgender|non-binary|nonbinary) myself\b|"
    rf"\b{_AS} (an? |un[ae]? |una |een |en )?({_PERSON} )?({_ORIENTATION})\b(?!-)|"
    rf"\b(i am|i'm|im|ich bin|je suis|soy|sono|sou|ik ben|jestem|jag är|jeg er|olen|jsem|"
    rf"sunt|vagyok|saya|eu sou|ek is|sóc|ja sam|jaz sem|sem|ég er|esu|esmu|olen|аз съм|"
    rf"я|είμαι) (an? |een |um |uma |un |une |"
    rf"una |ein |eine |en |ett )?"
    rf"({_PERSON} )?(openly |proudly |offen |ouvertement |abiertamente |apertamente |"
    rf"openlijk |öppet |åpent |åbent |otwarcie |avoimesti |otevřeně |deschis |nyíltan |"
    rf"açıkça |secara terbuka |công khai )?({_ORIENTATION})\b(?!-)|"
    # and said in Chinese, Japanese and Korean ("我是双性恋", "私はゲイです", "저는 동성애자입니다")
    r"(我是|我也是|私は|僕は|저는|나는)\s?(一[名个個位])?(双性恋|雙性戀|同性恋|同性戀|女同性恋|"
    r"男同性恋|泛性恋|无性恋|バイセクシュアル|ゲイ|レズビアン|同性愛者|동성애자|양성애자|게이|레즈비언)")
_MARITAL = re.compile(
    r"(?i)\b(i am|i'm|im|i've been|i have been|i got|ich bin|je suis|soy|estoy|sono|sou|"
    r"ik ben|jestem|jag är|jeg er) (happily |recently |newly )?(married|divorced|widowed|"
    r"separated|single(?![-\w])|a single (parent|mother|father|mum|mom|dad)|in a civil "
    r"partnership|verheiratet|ledig|geschieden|verwitwet|marié\w*|célibataire|divorcé\w*|"
    r"pacsé\w*|veuf|veuve|casad[oa]|solter[oa]|divorciad[oa]|viud[oa]|sposat[oa]|nubile|"
    r"celibe|divorziat[oa]|solteir[oa]|getrouwd|gehuwd|ongehuwd|gescheiden|żonaty|zamężna|"
    r"rozwiedzion\w*|kawaler|panna|gift|ogift|skild|evli|bekar)\b|"
    # and "I am married / divorced / widowed" in Romanian, Czech and Slovak, the South Slavic
    # and Baltic languages, Hungarian, Turkish, Greek and Indonesian
    r"\b(sunt|jsem|som|sam|ja sam|sem|esu|esmu|είμαι|saya) (căsătorit[ăa]?|divorțat[ăa]?|"
    r"divorţat[ăa]?|văduv[ăa]?|ženatý|vdaná|rozveden[áý]|ovdověl[ýá]|oženjen|udana|razveden[a]?|"
    r"poročen[a]?|ločen[a]?|vedęs|ištekėjusi|išsiskyr\w*|precējies|precējusies|šķīries|"
    r"šķīrusies|παντρεμέν\w*|διαζευγμέν\w*|χωρισμέν\w*|menikah|bercerai|cerai)\b|"
    r"\b(házas|elvált|özvegy) vagyok\b|\b(evliyim|boşandım|boşanmışım|dulum)\b|"
    r"\b(married with|mother of|father of|mum of|mom of|dad of|parent of) (\d+|one|two|three|"
    r"four|five|twins)\b|\b(my|his|her) (wife|husband|spouse|fianc[ée]e?)\b|"
    r"\b(meine[rn]? (frau|ehefrau|gattin)|mein(em)? (mann|ehemann|gatte)|ma femme|mon mari|mon épouse|"
    r"mon époux|mi (esposa|esposo|mujer|marido)|mia moglie|mio marito|minha (esposa|mulher)|"
    r"meu marido|mijn (vrouw|man|echtgeno\w+)|moja żona|mój mąż|min (fru|make|hustru|kone|"
    r"mand|ektemann)|vaimoni|mieheni|istri saya|suami saya|vợ tôi|chồng tôi|mke wangu|"
    r"mume wangu|eşim|(?-i:[Kk]arım)|kocam)\b|"
    # "I am married" in Irish and Bengali, "wife" and "husband" in Bengali, and one's children
    r"\b(tá mé pósta|táim pósta|pósta le)\b|"
    r"আমি বিবাহিত|(আমার )?(স্ত্রী|স্বামী)\s|"
    r"\b(i share|shares?|shared|joint|sole) custody\b|"
    r"\b(my|his|her) (son|daughter|sons|daughters|kids|children|child|stepson|stepdaughter|"
    r"twins)\b(?!'s|’s)|"
    r"(^|[.;:]\s*)(recently |newly |happily )?(married|divorced|widowed|separated|engaged|"
    r"verheiratet|geschieden|marié\w*|"
    r"divorcé\w*|casad[oa]|divorciad[oa]|sposat[oa]|getrouwd|gescheiden|żonaty|zamężna|"
    r"rozwiedzion\w*)\b|\bsingle (dad|mum|mom|parent|father|mother)\b|"
    # "married to" (Wiktionary's translations), with whom
    r"\b(married to|verheiratet mit|marié\w* (à|avec)|casad[oa] con|casad[oa] com|"
    r"sposat[oa] con|getrouwd met|gehuwd met|żonaty z|zamężna z|gift med|naimisissa)\s+(?-i:[A-Z])\w+")
# Trade-union membership (the GDPR's Article 9 names it beside health and religion): being a
# member of a union or its workplace representative, in Wiktionary's translations of "trade
# union member" and "shop steward" ("union delegate"); not dealing with unions as management.
_UNION = re.compile(
    r"(?i)\b(shop steward|union (rep|representative|delegate|steward|member(ship)?)|"
    r"member of (the |a |my )?([\w-]+ ){0,3}(trade |labou?r )?union|"
    r"(delegad[oa]|representante) sindical|afiliad[oa] (a|al) (un |el )?sindicato|"
    r"délégu[ée]e? syndica\w*|syndiqu[ée]e?|gewerkschaftsmitglied\w*|mitglied (der|in der|einer) "
    r"gewerkschaft|delegat[oa] sindacale|iscritt[oa] (al|a un) sindacato|vakbondslid|"
    r"lid van de vakbond|kaderlid|członk\w* związku zawodowego|fackligt ombud|medlem i facket|"
    r"tillitsvalgt|tillidsrepræsentant|sendika üyesi|anggota serikat pekerja|"
    r"membr[ăau] (de |al |a |în )?(unui )?sindicat\w*|sindicalizad[oa]|membro d[oe] sindicato|"
    r"član(ica)? sindikata|člen(ka)? odborů|člen(ka)? odborov|profesinės sąjungos nar\w*|"
    r"arodbiedrības biedr\w*|μέλος (του |ενός )?σωματείου|szakszervezeti tag)\b")
# A criminal conviction of the owner (the GDPR's Article 10 keeps it apart like Article 9's):
# Wiktionary's translations of "convicted of" and "criminal record".
_CRIMINAL = re.compile(
    r"(?i)\b((i was|i've been|i have been|i got|ben ik|ich wurde|j'ai été|fui|sono stato|"
    r"zostałem|jag blev|jeg ble) (convicted|veroordeeld|verurteilt|condamné\w*|condenad[oa]|"
    r"condannat[oa]|skazan[ya]|dömd|dømt)|my (criminal record|conviction|previous "
    r"conviction)|criminal (record|conviction)s?(\s*[/(][^:|]{0,40})?\s*:\s*\w+|mon casier judiciaire|mis antecedentes penales|"
    r"mijn strafblad|meine vorstrafe\w*|sabıka kaydım)\b")
_ETHNICITY = re.compile(
    # the categories of India's Constitution as what a field says, after its label or alone
    # (not "worked with Scheduled Caste communities"), and belonging to a people ("pertenezco al pueblo zapoteco")
    r"(?i)(^|:\s*)(scheduled (caste|tribe)s?|other backward class(es)?)\b|"
    # "I am of Roma ethnicity" (Romanian "sunt de etnie romă", Spanish "de etnia …")
    r"\b(sunt|i am|i'm|soy|sou|sono|je suis) (de|of|d') (etnie|etnia|ethnie|ethnicity) \w+|"
    r"\b(pertenezco a(l| la)|pertenço (ao|à)|j'appartiens (au|à la)|appartengo al(la)?) "
    r"(pueblo|povo|peuple|popolo|comunidad|comunidade|communauté|comunità|nación|nação|"
    r"nation|etnia)\b|\bi belong to the [\w' -]{2,40} (people|nation|tribe)\b|\b(soy|sou|je suis|sono|somos|mi familia es|minha família é)\s+(de|d'|di)\s*"
    r"(origen|origem|origine|ascendencia|ascendência|ascendance|descendencia)\s+\w+|"
    r"\b(i am|i'm|im|i was born|my family is|my parents are|as an?)\b[^.]{0,30}\bof "
    r"[\w'’-]+(?:[ -][\w'’-]+){0,2} (descent|heritage|origin|ancestry|extraction)\b|"
    r"\b(as an?|i am an?|i'm an?) (black|white|asian|latina|latino|latinx|hispanic|indigenous|"
    r"aboriginal|māori|maori|roma|romani|arab|first nations|mixed[- ]race|biracial)"
    r"(?![-\w]) (woman|man|person|female|male|girl|boy)\b|\b(i am|i'm|as) an? person of "
    r"colou?r\b|\bmy (ethnicity|ethnic background|ethnic origin|race)\b|"
    r"\b(i am|i'm) an? proud (?-i:[A-Z])[\w'’-]+ (woman|man|person)\b|"
    r"\b(as an?|i am an?|i'm an?) ((?-i:[A-Z])[\w'’-]+ ){1,3}(woman|man|person|girl|boy)\b|"
    # "as a … woman" where the adjective follows the noun (Romance languages): afro-descended,
    # Black, Indigenous, Roma, mixed
    rf"\b({_AS}|soy|sou|je suis|sono) (una? |une )?{_PERSON} (afro[\w-]*|negr[ao]|ner[ao]|noire?|indígena|"
    rf"indigena|autochtone|gitan[ao]|rom[aní]*|mestiz[ao]|métisse?|meticcia|mulat[ao])\b|"
    rf"\b{_AS} (an? |una? |une )?afro[\w-]+\b|"
    # a tribal nation's enrolment, as US and Canadian tribes word membership
    r"\benrolled (member|citizen) of the [\w'’ -]{2,40} (nation|tribe|band|first nation)\b|"
    # belonging to an Indigenous people or a caste (the UN's Indigenous peoples, among them the
    # Sámi, and India's Dalit and Adivasi communities), said in English, Finnish and Scandinavian
    r"\b(i am|i'm|we are|we're|i come from an?|i grew up in an?|born into an?|my family is|olen|"
    r"jeg er|jag är|my (father|mother|parents) "
    r"(is|are|was|were)) ([\w-]+ ){0,2}(māori|maori|aboriginal|torres strait islander|"
    r"first nations|métis|metis|inuit|native american|romani|roma|gypsy|traveller|sámi|sami|"
    r"pasifika|dalit|adivasi|saamelai\w*|pohjoissaamelai\w*|samisk\w*)\b")


# "Orientation" alone as a label, in the same languages, before a word of `_ORIENTATION`
# (with Hungarian's "meleg", gay, which as a plain word is "warm")
_ORIENTED = re.compile(
    rf"(?i)(?:^|[|;(:.]\s*)(orientation|orientierung|orientación|orientamento|orientação|"
    rf"oriëntatie|orientacja|läggning|legning|orientering|suuntautuminen|orientace|orientare|"
    rf"irányultság|yönelim|orientasi|xu hướng|mwelekeo)\s*(?:[:=]|\s[-–—])\s*([\w-]+ ){{0,2}}"
    rf"({_ORIENTATION}|meleg|heterosexu\w*|heteroseksu\w*|hetero|straight)\b")


def _special(span: str) -> Finding | None:
    oriented = _ORIENTED.search(span)
    if oriented:
        return Finding(SEXUALITY, span[oriented.start(3):].strip(), oriented.group(1))
    label = _SPECIAL_LABEL.search(span)
    if label:
        kind = {"health": HEALTH, "religion": RELIGION, "sexuality": SEXUALITY,
                "marital": MARITAL, "ethnicity": ETHNICITY, "union": UNION}[label.lastgroup]
        return Finding(kind, span[label.end() - 1:].strip(), label.group(label.lastgroup))
    for kind, pattern in ((HEALTH, _HEALTH), (RELIGION, _RELIGION), (SEXUALITY, _SEXUALITY),
                          (MARITAL, _MARITAL), (ETHNICITY, _ETHNICITY), (UNION, _UNION),
                          (CRIMINAL, _CRIMINAL)):
        match = pattern.search(span)
        if match:
            return Finding(kind, match.group(0), "said of the owner")
    return None


# Plain English requests not to pass something on, and the "(private)" label the README documents.
_DO_NOT_SHARE = re.compile(r"(?i)\b((please )?(do not|don't|dont|never) (share|pass (this |it |"
                           r"that )?on|repeat|forward|publish|disclose)|not (for|to be) (shar|"
                           r"publi|pass)\w*|(keep|kept) (this |it |that )?(private|confidential))|"
                           # "do not publish", "do not share" in the languages of the labels
                           r"\((no publicar|no compartir|no difundir|nicht veröffentlichen|"
                           r"nicht weitergeben|ne pas publier|ne pas diffuser|ne pas partager|"
                           r"non pubblicare|non divulgare|non condividere|não publicar|"
                           r"não divulgar|não partilhar|niet publiceren|niet delen|"
                           r"nie publikować|nie udostępniać|publicera inte|dela inte|"
                           r"ikke publiser|ikke del|må ikke deles|ei julkaista|älä julkaise|"
                           r"nezveřejňovat|nu publica|nem publikus|yayınlamayın|paylaşmayın|"
                           r"jangan dipublikasikan|jangan dibagikan|không công khai|"
                           r"usichapishe)\)|"
                           r"\((private|confidential|privat|privé|privée|privado|privada|privato|"
                           r"privata|prywatne|privaat|pribado|sulit|vertraulich|confidentiel|"
                           r"confidencial|fortrolig|yksityinen)\)")


# Translations (Wiktionary) of "office", "work" and "business" as a phone's or an address's
# label ("work phone", "Büro", "kantor"), and of "company", "firm", "switchboard",
# "reception", "headquarters" and "main line": a number or address of the employer, not a
# home.
_WORKPLACE = re.compile(
    r"(?i)\b(office|offices|work|business|company|corporate|firm|switchboard|reception|"
    r"front desk|headquarters|hq|main (line|number)|"
    r"büro\w*|buero\w*|geschäftlich\w*|dienstlich\w*|firma|firmen\w*|zentrale|praxis|kanzlei|"
    r"bureau|professionnel\w*|travail|entreprise|société|standard|cabinet|"
    r"oficina|trabajo|empresa|despacho|comercial|centralita|sede|laboral|"
    r"ufficio|lavoro|azienda|aziendale|centralino|escritório|escritorio|trabalho|profissional|"
    r"kantoor|werk|zakelijk|bedrijf|biuro|służbow\w*|firmow\w*|praca|"
    r"kontor|arbete|jobb|företag|växel|arbejde|arbeid|sentralbord|ofis|iş|şirket|işyeri|"
    r"kantor|pejabat|kerja|perusahaan|syarikat|opisina|công ty|văn phòng|cơ quan|"
    r"toimisto|työ\w*|yritys|iroda|munkahely\w*|céges|ured|služben\w*|pisarna|"
    r"γραφε[ίι]\w*|εργασ[ίι]\w*|משרד|עבודה|مكتب|العمل|الشركة|कार्यालय|दफ़्तर|ऑफिस|"
    r"служеб\w*|рабоч\w*|робоч\w*|офис\w*|офіс\w*)\b|"
    r"会社|勤務先|職場|代表|회사|사무실|대표번호|직장|公司|办公|辦公|单位")
# Translations of "home", "personal", "private", "residence" and "I live", and WhatsApp (which
# `_PHONE_CUE` reads as a personal number too): a home's number or address, whatever else is
# named beside it.
_HOME = re.compile(
    r"(?i)\b(home|house|personal|private|privat\w*|mobile|cell|live|lives|living|reside\w*|"
    r"whatsapp|"
    r"domicil\w*|zuhause|wohn\w*|privé|personnel\w*|domicile|casa|particular|personale|"
    r"pessoal|residencial|thuis|prywatn\w*|domow\w*|hem|bostad|hjem|ev|rumah|peribadi|"
    r"pribadi|nhà|riêng|koti\w*|otthon\w*|lakás|kućn\w*|osobn\w*|σπίτι\w*|προσωπικ\w*|"
    r"בית|פרטי|منزل|خاص|घर|निजी)\b|自宅|個人|携帯|집|개인|家庭|私人|手机")
# The owner marking one value public, in brackets beside it or in its label ("Dispatch line
# (public):", "address-public"), in the languages of the labels above.
_PUBLIC_MARK = re.compile(
    r"(?i)(?<!not )(?<!non )(?<!nicht )\b(public|publique|publico|público|pública|pubblico|"
    r"pubblica|öffentlich\w*|openbaar|publiczn\w*|offentlig|julkinen|kamu|publik|publiko|"
    r"javn\w*|δημόσι\w*|ציבורי|公开|公開|공개)\b")
# Wiktionary's translations of a telephone "extension", written after the number.
_EXTENSION = re.compile(r"(?i)\s*(\(|,|-)?\s*(ext\.?|extension|x\s?\d|dahili|máy lẻ|durchwahl|"
                        r"poste|interno|ramal|toestel|wew\.|anknytning|lokal)")


def _at_work(span: str, found: Finding, context: str) -> bool:
    """Whether a phone or an address is the employer's, not the owner's home: named so in its
    label or the words before it ("Office phone:", "from our depot at"), given with an
    extension, or marked public by the owner, and never called home or personal."""
    start = span.find(found.value)
    before = span[max(0, start - 60):start] if start >= 0 else span
    cells = [cell for cell in re.split(r"[|·•;]", before) if cell.strip()]
    before = cells[-1] if cells else ""  # its cell, or the label's cell before it
    before = re.split(r",\s+(?=(but|and|or|while|so)\b)", before)[-1]
    named = f"{context} {before}"
    if _PUBLIC_MARK.search(named) or (start >= 0 and _PUBLIC_MARK.search(
            span[start + len(found.value):start + len(found.value) + 20])):
        return True
    if _HOME.search(named):
        return False
    return bool(_WORKPLACE.search(named)) or (found.kind == PHONE and start >= 0 and bool(
        _EXTENSION.match(span, start + len(found.value))))


def finding(span: str, context: str = "") -> Finding | None:
    """The private value `span` holds, if any. `context` is what stands above it (the field's
    label or the heading); it decides with the span when the span alone cannot (a bare amount
    under "Current salary", a date under "Date of birth")."""
    span, context = span.replace("’", "'"), context.replace("’", "'")  # typographic apostrophe
    if _DO_NOT_SHARE.search(span) or NOT_TO_SHARE.search(HARAKAT.sub("", span)):
        return Finding(ASKED, span, "asked not to share")
    # a label's aside that marks it as a private heading would ("Residence (personal, not for
    # publication)")
    if any(private_heading(span[:aside.end()]) for aside in _ASIDE.finditer(span)):
        return Finding(ASKED, span, "marked private")
    # under "What I am looking for", or a freelancer's "Rates" (what they ask, not are paid)
    wanted = context and (_wanted(context) or _OFFER.search(context))
    for test in (_birth, _id, _phone, _address, *(() if wanted else (_pay,)), _special):
        found = test(span, context) if test in (_phone, _address) else test(span)
        if found:
            return found
    cue = _ID_CUE.search(context) if context else None
    if cue and not (cue.group(0).isupper() and len(cue.group(0)) <= 4):
        # under "Identity documents" (a name, not an acronym such as "VAT"): its numbers, not
        # its dates, counts or amounts
        for token in _ID_TOKEN.finditer(span):
            value = token.group(0).strip()
            if len(re.sub(r"\D", "", value)) >= 4 and len(value) >= 6 \
                    and not _DATES.search(value) and not _YEAR.match(value) \
                    and not re.fullmatch(r"\d{1,3}([,.' ]\d{3})+", value):
                return Finding(ID, value, f"{cue.group(0)} (in '{context}')")
    if context:
        labelled = f"{context.strip().rstrip(':')}: {span}"
        pay = (_pay,) if _PAY.search(context) and not _wanted(context) else ()
        for test in (_birth, *pay, _address, _id, _special):
            found = test(labelled)
            if found:
                return Finding(found.kind, span, f"{found.cue} (in '{context}')")
    return None


# A clause of a sentence that lists labelled values ("Gehalt: Aktuell: EUR 72.400, Erwartet:
# EUR 80.000"): a comma or semicolon followed by a short label and a colon.
_CLAUSE = re.compile(r"[,;]\s+(?=[^\s,;:][^,;:]{0,40}:\s)")
# Cells of a line of cells, as résumé headers and tables write them, and an aside in brackets.
_CELLS = re.compile(r"(\s*[／｜]\s*|\s+[|·•]\s+|\s+(?=[\U0001F300-\U0001FAFF\u2600-\u27BF]))")
_ASIDE = re.compile(r"\s*\([^()]{1,200}\)")
_CLAUSES = re.compile(r"\s*;\s+")
_VALIDATORS = ("phonenumbers", "python-stdnum", "a national number's format")  # what finds a number that nothing names
_LONG = 80  # characters of other text beside a number for the number alone to go


def kept_back(sentence: str, context: str = "") -> tuple[str, list[Finding]]:
    """The sentence less the parts that hold a private value, and what was found there.

    The part is the smallest that holds it: a cell of a line of cells ("Toronto | +1 416 …"),
    a parenthesis ("Spanish (my husband is Chilean)"), a clause of a sentence that lists
    labelled values (from "Pay: current: X, expected: Y" stays "Pay: expected: Y"); else the
    whole sentence."""
    parts = _CELLS.split(sentence)
    if len(parts) > 1:
        kept, found = [], []
        cells = parts[::2]
        # a row of a label and its value ("Office phone | (617) 555-0148") reads as one field
        label = cells[0].strip() if len(cells) == 2 and not re.search(r"\d", cells[0]) \
            and len(cells[0].split()) <= 5 else ""
        # a label that says its value is not to be shared ("Residence (personal, not for
        # publication) | …"), as a heading would
        if len(cells) == 2 and not re.search(r"\d", cells[0]) and private_heading(cells[0]):
            return "", [Finding(ASKED, cells[1].strip(), cells[0].strip())]
        dated = _dated_contacts(sentence)  # the contact line's date, in a cell of its own
        for cell in cells:
            if dated and dated.value in cell:
                found.append(dated)
                continue
            rest, hits = kept_back(cell, f"{context} {label}".strip()
                                   if label and cell is cells[1] else context)
            found += hits
            if rest:
                kept.append(rest)
        return (parts[1].join(kept) if found else sentence), found
    whole = finding(sentence, context)
    if not whole:
        return sentence, []
    if whole.kind in (PHONE, ID) and len(sentence) - len(whole.value) > _LONG:
        # a number inside a long run of other text (a résumé's header run together): the
        # number goes, with the label before it, and the rest stays
        start = sentence.find(whole.value)
        label = re.search(r"(?i)[\w.#]+\W{0,3}$", sentence[max(0, start - 16):start])
        cut = start - (len(label.group(0)) if label and (_PHONE_CUE.search(label.group(0))
                                                        or _ID_CUE.search(label.group(0)))
                       else 0)
        before = sentence[:cut].rstrip()
        alone = not before or before[-1] in "|·•,;:" or whole.cue in _VALIDATORS
        rest = re.sub(r"([;,|·•])\s*[;,|·•]", r"\1",
                      f"{before} {sentence[start + len(whole.value):].lstrip()}")
        if start >= 0 and alone and not finding(rest, context):
            return rest.strip(), [whole]
    for aside in _ASIDE.finditer(sentence):
        rest = (sentence[:aside.start()] + sentence[aside.end():]).strip()
        told = aside.group(0).strip(" ()")
        hit = finding(told, context)
        # a request alone ("(usishiriki taarifa hii)") asks it of the whole sentence; with a
        # value beside it ("(it's $118,000, so please don't pass that on)"), of that value
        if hit and hit.kind == ASKED and not re.search(r"\d", told) and not finding(
                NOT_TO_SHARE.sub(" ", _DO_NOT_SHARE.sub(" ", told)), context):
            continue
        if hit and rest and not finding(rest, context):
            return rest, [hit]
    head, sep, rest = sentence.partition(": ")
    labelled = sep and len(head) <= 40
    clauses = _CLAUSES.split(sentence) if not labelled else []  # clauses of their own ("…; …")
    if len(clauses) > 1:
        hits = [finding(clause, context) for clause in clauses]
        rest = "; ".join(c for c, hit in zip(clauses, hits, strict=True) if not hit)
        if rest and not finding(rest, context):
            return rest, [hit for hit in hits if hit]
    if not labelled and whole.kind in (PAY, BIRTH):  # a pay or an age told in passing
        rest, hits = _other_clauses(sentence, context)
        # what stays holds no date and no amount but one asked for ("I'm looking for …")
        if rest and whole.value not in rest and not withheld_in(rest, [whole.value]) \
                and not _DATE.search(rest) and (not _amounts(rest) or _wanted(rest)):
            return rest, hits
    clauses = _CLAUSE.split(rest) if labelled else []
    if len(clauses) < 2:
        return "", [whole]
    kept, found = [], []
    for clause in clauses:
        hit = finding(clause, f"{context} {head}".strip())
        if hit and hit.kind == ASKED and not re.search(r"\d", clause):
            return "", [whole]  # a field of the record marks the whole record
        (found.append(hit) if hit else kept.append(clause))
    if not found:
        return "", [whole]
    if any(hit.kind == ADDRESS for hit in found):  # the address's postcode goes with it
        kept = [c for c in kept if not POSTCODE_LABEL.match(c.partition(":")[0])]
    return (f"{head}: {', '.join(kept)}" if kept else ""), found


# Where a sentence's clauses meet: a comma (not inside a number) or a conjunction, in the
# languages of `_CLAUSE_END`.
_CLAUSE_CUT = re.compile(r"(,\s+(?!\d)|\s+(?:and|but|so|while|whereas|though|although|und|et|y|"
                         r"e|en|i)\s+)")


def _other_clauses(sentence: str, context: str) -> tuple[str, list[Finding]]:
    """The sentence less its clauses that hold a private value, when what stays is a clause
    of three words or more that holds none ("I'm 41 and have spent 15 years …" keeps "have
    spent 15 years …"); else nothing."""
    pieces = _CLAUSE_CUT.split(sentence)
    clauses, joins = pieces[::2], pieces[1::2]
    hits = [finding(clause, context) for clause in clauses]
    if all(hits) or not any(hits):
        return "", []
    rest = ""
    for number, (clause, hit) in enumerate(zip(clauses, hits, strict=True)):
        if not hit:
            rest += (joins[number - 1] if rest else "") + clause
    rest = rest.strip(" ,;")
    if len(rest.split()) < 3 or finding(rest, context):
        return "", []
    return rest[:1].upper() + rest[1:], [hit for hit in hits if hit]


def _forms(text: str) -> tuple[str, str]:
    """A text as digits only and as letters and digits only, lower case: how a value is
    compared wherever it stands, however it is spaced or punctuated."""
    return re.sub(r"\D", "", text), re.sub(r"[\W_]", "", text.lower())


_NUMBER = re.compile(r"\d(?:[\d\s.,'’/()+\-]*\d)?")  # digits and what writes them apart


def in_one_number(value: str, text: str) -> bool:
    """Whether a value's digits (five or more) make one number of `text`, however it is spaced
    or punctuated ("£11,500" is not in "£105,000–£115,000"; a long number may stand inside a
    longer one, as a phone in its international form)."""
    digits = re.sub(r"\D", "", value)
    return len(digits) >= 5 and any(
        digits == found or (len(digits) >= 8 and digits in found)
        for found in (re.sub(r"\D", "", n) for n in _NUMBER.findall(text)))


def withheld_in(text: str, values: list[str]) -> bool:
    """Whether `text` holds one of `values` in any spacing or punctuation (a value of at least
    five digits by its digits, another of at least six letters and digits by those)."""
    digits, alnum = _forms(text)
    for value in values:
        d, a = _forms(value)
        if (len(d) >= 5 and d in digits) or (len(a) >= 6 and not d and a in alnum):
            return True
    return False


# The kinds whose values are long and varied enough that a short hash of them does not give
# them away (a birth date or an amount would be found again by trying them all).
FINGERPRINTED = (PHONE, ID)
_HASH_KEY = b"digital-twin/withheld"
_NATIONAL = 9  # a phone's last digits, as it is written without its country code


def _hash(form: str) -> str:
    return hashlib.blake2b(form.encode(), digest_size=3, key=_HASH_KEY).hexdigest()


def fingerprints(findings: list[Finding]) -> list[str]:
    """Short keyed hashes (24 bits: hundreds of numbers share each) of the phones and identity
    numbers kept back, by their digits (and a phone's last nine, as written nationally) or, for
    a number with letters, by its letters and digits: enough to recognise one in an answer,
    not to recover it."""
    prints = set()
    for found in findings:
        if found.kind not in FINGERPRINTED:
            continue
        digits, alnum = _forms(found.value)
        forms = [("a", alnum)] if alnum != digits else [("d", digits)]
        if found.kind == PHONE and len(digits) > _NATIONAL:
            forms.append(("d", digits[-_NATIONAL:]))
        prints.update(f"{tag}{len(form)}:{_hash(form)}" for tag, form in forms if len(form) >= 7)
    return sorted(prints)


_BASE64 = re.compile(r"[A-Za-z0-9+/]{8,}={0,2}")


class Watch:
    """Watches a growing reply for what must never be said: a value kept back (by its
    fingerprint) or the canary planted in the instructions, however it is spaced, punctuated
    or reformatted (digits only), or base64-encoded. Each call looks only at what is new."""

    def __init__(self, prints: frozenset[str] = frozenset(), canary: str = ""):
        self.prints = prints
        self.lengths = sorted({(p[0], int(p[1:p.index(":")])) for p in prints})
        self.canary = _forms(canary)[1] if canary else ""
        self.checked: dict[str, int] = {"d": 0, "a": 0}
        self.decoded: set[str] = set()

    def __call__(self, text: str) -> bool:
        digits, alnum = _forms(text)
        forms = {"d": digits, "a": alnum}
        if self._found(forms, self.checked):
            return True
        self.checked = {tag: len(form) for tag, form in forms.items()}
        for token in _BASE64.findall(text[-4000:]):
            if token in self.decoded:
                continue
            self.decoded.add(token)
            plain = _unbase64(token)
            if plain and self._found(dict(zip("da", _forms(plain), strict=True)),
                                     {"d": 0, "a": 0}):
                return True
        return False

    def _found(self, forms: dict[str, str], start: dict[str, int]) -> bool:
        if self.canary and self.canary in forms["a"][max(0, start["a"] - len(self.canary)):]:
            return True
        for tag, n in self.lengths:
            form = forms[tag]
            for i in range(max(0, start[tag] - n + 1), len(form) - n + 1):
                if f"{tag}{n}:{_hash(form[i:i + n])}" in self.prints:
                    return True
        return False


def _unbase64(token: str) -> str:
    token = token.rstrip("=")
    token = token[:len(token) - len(token) % 4] if len(token) % 4 == 1 else token
    try:
        return base64.b64decode(token + "=" * (-len(token) % 4)).decode("utf-8", "ignore")
    except (binascii.Error, ValueError):
        return ""
