"""Identifier recognisers: Finnish personal identifiers found by pattern and then validated.

Each recogniser yields `Span`s with offsets into the text it was given. A pattern hit that fails
its validator (henkilötunnus checksum, IBAN mod-97, a date that only looks like a phone number)
is dropped, so dates, sums, times, law references (`SHL 36 §`) and case-law numbers
(`KHO 2019:12`) survive. Client/case-number patterns come from `configs/redaction.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# The one list of placeholder labels. Order = priority when two spans overlap (first wins).
HETU = "HETU"
IBAN = "IBAN"
SAHKOPOSTI = "SÄHKÖPOSTI"
PUHELIN = "PUHELIN"
OSOITE = "OSOITE"
ASIAKASNUMERO = "ASIAKASNUMERO"
REKISTERI = "REKISTERINUMERO"
HENKILO = "HENKILÖ"
PAIKKA = "PAIKKA"
LABELS: tuple[str, ...] = (
    HETU,
    IBAN,
    SAHKOPOSTI,
    ASIAKASNUMERO,
    PUHELIN,
    OSOITE,
    REKISTERI,
    HENKILO,
    PAIKKA,
)
PRIORITY = {label: rank for rank, label in enumerate(LABELS)}

# A placeholder as written by the redactor: `<HENKILÖ_1>`; the case ending follows a colon.
PLACEHOLDER_RE = re.compile(r"<(" + "|".join(LABELS) + r")_(\d+)>")


@dataclass(frozen=True, order=True)
class Span:
    """A redacted stretch `text[start:end]`; `source` names the recogniser that found it."""

    start: int
    end: int
    label: str
    source: str


# --- henkilötunnus ----------------------------------------------------------------------------
# DDMMYY, century sign, NNN individual number, check character = DDMMYYNNN mod 31.
# Signs: + 1800s; - Y X W V U 1900s; A B C D E F 2000s (B–F and Y–U since 2023).
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
HETU_SIGNS = "+-AaBbCcDdEeFfYyXxWwVvUu"
HETU_RE = re.compile(
    r"(?<![\w+-])(?P<dd>[0-3]\d)(?P<mm>[01]\d)(?P<yy>\d\d)"
    r"(?:[ \t]?(?P<sign>[" + re.escape(HETU_SIGNS) + r"])[ \t]?|[ \t]?)"
    r"(?P<nnn>\d{3})(?P<check>[0-9A-Ya-y])(?![\w])"
)
# Typed with a dash instead of a sign, e.g. `131052–308T` (en dash from a word processor).
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})


def hetu_valid(dd: str, mm: str, nnn: str, yy: str, check: str) -> bool:
    """Checksum and calendar check of a henkilötunnus' parts."""
    day, month = int(dd), int(mm)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    if nnn == "000" or nnn == "001":  # never issued
        return False
    return HETU_CHECK[int(dd + mm + yy + nnn) % 31] == check.upper()


def hetu_shaped(dd: str, mm: str, sign: str | None) -> bool:
    """A real date and a century sign: a henkilötunnus with a typo in its check character or
    individual number is still one (`010199-123A`), so it is masked whole by its shape."""
    return bool(sign) and 1 <= int(dd) <= 31 and 1 <= int(mm) <= 12


def find_hetu(text: str) -> Iterator[Span]:
    normalised = text.translate(_DASHES)
    for m in HETU_RE.finditer(normalised):
        if hetu_valid(m["dd"], m["mm"], m["nnn"], m["yy"], m["check"]):
            # a lowercase letter as check char without a sign is too weak (e.g. words glued on)
            yield Span(m.start(), m.end(), HETU, "hetu")
        elif hetu_shaped(m["dd"], m["mm"], m["sign"]):
            yield Span(m.start(), m.end(), HETU, "hetu_shape")


# --- IBAN -------------------------------------------------------------------------------------
IBAN_RE = re.compile(
    r"(?<![\w])(?P<iban>[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?)"
    r"(?![\w])"
)
IBAN_LENGTHS = {
    "FI": 18,
    "SE": 24,
    "EE": 20,
    "DE": 22,
    "NO": 15,
    "DK": 18,
    "GB": 22,
    "ES": 24,
    "FR": 27,
    "NL": 18,
    "LT": 20,
    "LV": 21,
    "PL": 28,
    "IT": 27,
    "AX": 18,
}


def iban_valid(raw: str) -> bool:
    """ISO 13616 mod-97 check, with the country's length where we know it."""
    iban = raw.replace(" ", "").upper()
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    if expected is None and not 15 <= len(iban) <= 34:
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def iban_shaped(raw: str) -> bool:
    """A known country's code, two check digits and exactly that country's length, in groups of
    four: an account number with a typo (`FI21 1234 5600 0007 86`) is still an account number."""
    compact = raw.replace(" ", "")
    expected = IBAN_LENGTHS.get(compact[:2].upper())
    return (
        expected is not None
        and len(compact) == expected
        and compact[:2].isupper()
        and compact[2:4].isdigit()
        and sum(ch.isdigit() for ch in compact[4:]) >= len(compact[4:]) - 4
    )


def find_iban(text: str) -> Iterator[Span]:
    for m in IBAN_RE.finditer(text):
        raw = m["iban"]
        # trim trailing groups until the check passes (a number may follow the IBAN)
        shaped = None
        while raw:
            if iban_valid(raw):
                yield Span(m.start(), m.start() + len(raw), IBAN, "iban")
                break
            if shaped is None and iban_shaped(raw):
                shaped = raw
            cut = raw.rfind(" ")
            if cut <= 4:
                if shaped is not None:
                    yield Span(m.start(), m.start() + len(shaped), IBAN, "iban_shape")
                break
            raw = raw[:cut]


# --- email ------------------------------------------------------------------------------------
# `@`, ` @ `, `(at)`, `[ät]`, `{a}` with `.`, ` . `, `(dot)`, `[piste]`, ` dot `; or the words
# ` at `/` ät ` with `.` or ` dot ` only (` at ` and a spaced full stop are ordinary English:
# `met him at school. Then`).
_AT_MARK = r"(?:\s?@\s?|\s?[\(\[\{<]\s?(?:at|ät|a|miukumauku|@)\s?[\)\]\}>]\s?)"
_AT_WORD = r"\s(?:at|ät)\s"
_DOT_WORD = r"(?:\.|\s?[\(\[\{<]\s?(?:dot|piste|pt|\.)\s?[\)\]\}>]\s?|\s(?:dot|piste)\s)"
_DOT_ANY = r"(?:\s?\.\s?|" + _DOT_WORD[3:]


def _email_re(at: str, dot: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.+-])[\w.+-]*\w"
        + at
        + r"\w[\w-]*(?:"
        + dot
        + r"[\w-]+)*"
        + dot
        + r"[a-z]{2,12}(?![\w])",
        re.IGNORECASE,
    )


EMAIL_RES = (_email_re(_AT_MARK, _DOT_ANY), _email_re(_AT_WORD, _DOT_WORD))


def find_email(text: str) -> Iterator[Span]:
    for pattern in EMAIL_RES:
        for m in pattern.finditer(text):
            yield Span(m.start(), m.end(), SAHKOPOSTI, "email")


# --- phone ------------------------------------------------------------------------------------
# +358 40 123 4567, 00358401234567, 040-123 4567, 040/1234567, (09) 123 4567, 0400 123 456.
_SEP = r"(?:[ \-/]|\s?-\s?|\s?/\s?)?"
PHONE_RE = re.compile(
    r"(?<![\w+/.,:-])"
    r"(?:"
    r"(?:\+|00)\s?358[\s-]?(?:\(0\)\s?)?"
    + r"(?P<intl>[1-9]\d{0,2})"
    + _SEP
    + r"|\(0(?P<paren>[1-9]\d{0,2})\)\s?"
    + r"|0(?P<area>[1-9]\d{0,3})"
    + _SEP
    + r")"
    r"(?P<rest>\d{2,4}(?:[ \-]?\d{2,5}){0,3})"
    # not followed by a letter, a decimal part (`0401,50`), or a unit: a comma and a space may
    # follow (`soittakaa 0459039541, kiitos`)
    r"(?!\w|[.,:-]\d|\s?(?:€|e\b|euroa|eur\b|%|mg|kg|km|ml|kpl|h\b|min\b|v\b))",
)
_DATE_LIKE = re.compile(r"^\d{1,2}[-./ ]\d{1,2}[-./ ](?:19|20)?\d{2}$")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s?[-/–]\s?(?:(?:19|20)?\d\d)$")


def phone_valid(match: re.Match[str]) -> bool:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") or raw.startswith("00"):
        national = digits[5:] if digits.startswith("00") else digits[3:]
        return 6 <= len(national) <= 10
    if _DATE_LIKE.match(raw) or _YEAR_RANGE.match(raw):
        return False
    # domestic: leading 0 + 6..10 more digits
    return 7 <= len(digits) <= 11


# Any country code: `+46 70 123 45 67`, `+380 67 123 4567`, `+1 (555) 123-4567`,
# `+44 (0)20 7946 0958`, `0046 70 123 4567`, `+358.40.123.4567`; E.164 allows 15 digits.
_UNIT_AFTER = r"(?!\w|[.,:-]\d|\s?(?:€|e\b|euroa|eur\b|%|mg|kg|km|ml|kpl|h\b|min\b|v\b|°))"
INTL_PHONE_RE = re.compile(
    r"(?<![\w+/.,:-])(?:\+|00)\s?[1-9]\d{0,2}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,12}"
    r"(?:(?:[\s.-]|\s?-\s?)\d{1,8}){0,5}" + _UNIT_AFTER
)
# `358401234567`: the country code without its plus; `044.765.4321`: dots for spaces
BARE_358_RE = re.compile(r"(?<![\w+.,/-])358[ -]?[1-9]\d{1,2}[ -]?\d{3}[ -]?\d{3,4}" + _UNIT_AFTER)
DOTTED_PHONE_RE = re.compile(
    r"(?<![\w.,/-])0[1-9]\d{0,3}\.\d{2,4}\.\d{2,4}(?:\.\d{2,4})?(?![\w]|[.,]\d)"
)


def find_phone(text: str) -> Iterator[Span]:
    for m in INTL_PHONE_RE.finditer(text):
        if 8 <= sum(ch.isdigit() for ch in m.group(0)) <= 15:
            yield Span(m.start(), m.end(), PUHELIN, "phone_intl")
    for pattern in (BARE_358_RE, DOTTED_PHONE_RE):
        for m in pattern.finditer(text):
            if 9 <= sum(ch.isdigit() for ch in m.group(0)) <= 13:
                yield Span(m.start(), m.end(), PUHELIN, "phone")
    yield from _find_domestic_phone(text)


def _find_domestic_phone(text: str) -> Iterator[Span]:
    pos = 0
    while True:
        m = PHONE_RE.search(text, pos)
        if m is None:
            return
        # `040 123 4567 040 765 4321`: the greedy match swallows two numbers; retry shorter
        ends = [m.end()] + [i for i in range(m.end() - 1, m.start(), -1) if text[i] in " -/"]
        for end in ends:
            shorter = m if end == m.end() else PHONE_RE.fullmatch(text, m.start(), end)
            if shorter is not None and phone_valid(shorter):
                yield Span(m.start(), end, PUHELIN, "phone")
                pos = end
                break
        else:
            pos = m.end()


# --- street address ---------------------------------------------------------------------------
# Finnish street names end in one of these (any case form: katu/kadulla, tie/tiellä, mäki/mäellä);
# Swedish ones in väg/gata/gränd. A house number must follow, so `Kauppakadun kirjasto` stays.
STREET_SUFFIXES = (
    r"katu|kadu|kadun|tie|tien|tiellä|kuja|kujan|kujalla|polku|polu|väylä|raitti|raiti|rinne"
    r"|rintee|kaari|kaare|puisto|tori|toril|ranta|rann|mäki|mäe|mäk|aukio|piha|tanhua|kaarre"
    r"|kaartee|bulevardi|esplanadi|puistikko|kumpu|kummu|ahde|ahtee|laakso|portti|porti|linja"
    r"|penger|pentere|vainio|niitty|niity|kallio|haka|haa|pelto|pello|kivi|kive|harju|kangas"
    r"|kankaa|saarenkatu|väg|vägen|gata|gatan|gränd|stig|stigen|backe|backen|kuja|tanner"
    r"|tantere|lenkki|lenki|rait|piennar|pientare|tienhaara|vierto|mutka|kulma|kaista|ura|uran"
)
# `Vanha Porvoontie 231`: a separate first word only from this list (never `Muutti Kauppakatu`)
STREET_PREFIXES = (
    r"Vanha|Uusi|Iso|Pieni|Pohjoinen|Eteläinen|Läntinen|Itäinen|Ylä|Ala|Lilla|Stora"
    r"|Norra|Södra"
)
_STREET_WORD = r"[a-zäöåé-]*?(?:" + STREET_SUFFIXES + r")"
ADDRESS_RE = re.compile(
    r"(?<![\w])(?P<street>(?:"
    # `Vanha maantie 141`: after a prefix word the street word may be lowercase
    + r"(?:"
    + STREET_PREFIXES
    + r")[- ](?=[a-zäöå])"
    + _STREET_WORD
    + r"|(?:(?:"
    + STREET_PREFIXES
    + r")[- ])?[A-ZÄÖÅ]"
    + _STREET_WORD
    + r"|Esplanadi|Bulevardi|Kauppatori|Torikatu)[a-zäöå]*)"
    r"\s(?P<num>\d{1,4}(?:\s?-\s?\d{1,4})?(?:[a-h](?![\w]))?)"
    r"(?P<flat>\s?[A-Ka-k]\s?\d{1,3}(?![\d.,:]\d)|\s[A-Ka-k](?![\w])"
    r"|\s(?:as\.?|asunto|rap\.?|porras|krs\.?)\s?\d{1,3}|\s[A-K]\s?-?\s?\d{1,3})?"
    r"(?P<post>,?\s(?:FI-)?\d{5}\s[A-ZÄÖÅ][a-zäöå]+(?:-[A-ZÄÖÅ]?[a-zäöå]+)?)?"
    r"(?![\d]|[.,:]\d|\s?(?:%|€|euroa|§|mg|kg|km|kpl|vuotta|vuoden|v\b))",
)
# `Pispalan valtatie 33 B 7`, `Tampereen valtatie 12`: a place name in the genitive, then a
# street word in lower case and a number.
# Nominative street words only: `Porin torilla 3 kertaa` is no address.
_PLACE_STREET_WORD = (
    r"[a-zäöå-]*?(?:katu|tie|kuja|polku|väylä|raitti|rinne|kaari|puisto|tori|ranta|mäki|aukio"
    r"|piha|kaarre|bulevardi|esplanadi|kumpu|ahde|laakso|portti|linja|penger|vainio|niitty"
    r"|kallio|harju|kangas|tanner|lenkki|piennar|kulma|kaista|väg|vägen|gata|gatan|gränd)"
)
PLACE_STREET_RE = re.compile(
    r"(?<![\w])[A-ZÄÖÅ][a-zäöå]+(?:n|s)\s"
    + _PLACE_STREET_WORD
    + r"\s\d{1,4}(?:\s?-\s?\d{1,4})?(?:[a-h](?![\w]))?"
    r"(?:\s?[A-Ka-k]\s?\d{1,3}(?![\d.,:]\d)|\s[A-K](?![\w])|\s(?:as\.?|rap\.?)\s?\d{1,3})?"
    r"(?![\d]|[.,:]\d|\s?(?:%|€|euroa|§|mg|kg|km|kpl|vuotta|vuoden|v\b|kert|päivä|viikko"
    r"|kuukau|henk|hlö|metri|m\b))"
)
POSTBOX_RE = re.compile(
    r"(?<![\w])(?:PL|PB|Postilokero)\s?\d{1,5}(?:,?\s\d{5}\s[A-ZÄÖÅ][a-zäöå]+)?"
)
# a postcode + town alone: `70100 Kuopio`, `FI-00100 Helsinki`
POSTCODE_RE = re.compile(
    r"(?<![\w,.\d])(?:FI-)?\d{5}\s[A-ZÄÖÅ][a-zäöå]{2,}(?:-[A-ZÄÖÅ]?[a-zäöå]+)?"
)


def find_address(text: str, not_streets: frozenset[str] = frozenset()) -> Iterator[Span]:
    for m in ADDRESS_RE.finditer(text):
        street = m["street"]
        last = street.split()[-1].split("-")[-1].lower()
        if last in not_streets or street.lower() in not_streets:
            continue
        yield Span(m.start(), m.end(), OSOITE, "address")
    for m in PLACE_STREET_RE.finditer(text):
        yield Span(m.start(), m.end(), OSOITE, "address")
    for m in POSTBOX_RE.finditer(text):
        yield Span(m.start(), m.end(), OSOITE, "address")
    for m in POSTCODE_RE.finditer(text):
        yield Span(m.start(), m.end(), OSOITE, "postcode")


# --- vehicle registration plates ----------------------------------------------------------
# Finnish plates: three letters (two on some older ones), a dash, one to three digits
# (`ABC-123`, `XY-12`). Two letters only after a cue: `EU-27`, `G-20` stay. Not `COVID-19`
# (five letters) nor `ISO-9001` (four digits).
PLATE_RE = re.compile(r"(?<![\w-])[A-ZÅÄÖ]{3}-[1-9]\d{0,2}(?![\w-]|[.,:]\d)")
PLATE_CUED_RE = re.compile(
    r"(?i:rekisterinumero|rekisterinro|rek\.?\s?nro|rekisterikilpi|rekkari|auto(?:n|lla|a)?)"
    r"\s?[:.]?\s?(?P<id>[A-ZÅÄÖ]{2,3}[-\s]?[1-9]\d{0,2})(?![\w-]|[.,:]\d)"
)


def find_plates(text: str, not_plates: frozenset[str] = frozenset()) -> Iterator[Span]:
    for m in PLATE_RE.finditer(text):
        if m.group(0).split("-")[0].lower() not in not_plates:
            yield Span(m.start(), m.end(), REKISTERI, "plate")
    for m in PLATE_CUED_RE.finditer(text):
        yield Span(m.start("id"), m.end("id"), REKISTERI, "plate")


# --- case and decision numbers after a cue -----------------------------------------------------
# `Dnro SOS/123/2024`, `päätös nro TOTU-2024-55511`, `asianumero 55-2024-117`: after a cue
# (`configs/redaction.yaml > case_number_cues`), a code of letters, digits, dashes, slashes and
# colons with at least four digits, or a letter prefix and two (`nro 5`, `kerta nro 12` stay).
CASE_ID = (
    r"(?P<id>(?:[A-ZÄÖ]{1,8}[-/ ]?|[A-Za-zÄÖäö]{1,8}[-/])?\d+(?:[-/:.]\d+|[-/][A-Za-zÄÖäö]+\d*)*)"
    r"(?![\w]|[.,]\d)"
)


def case_number_pattern(cues: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({c.strip().lower() for c in cues if c.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s".join(re.escape(p) for p in w.split()) for w in words)
    return re.compile(r"(?<![\w])(?i:" + alternatives + r")(?![\w])\s?[:.]?\s?" + CASE_ID)


def find_case_numbers(text: str, pattern: re.Pattern[str] | None) -> Iterator[Span]:
    if pattern is None:
        return
    for m in pattern.finditer(text):
        ident = m["id"]
        digits = sum(ch.isdigit() for ch in ident)
        if "." in ident and not re.search(r"[-/]", ident):
            continue  # a date (`nro 12.3.2024`), not a code
        if digits >= 4 or (digits >= 2 and ident[:1].isalpha()):
            yield Span(m.start("id"), m.end("id"), ASIAKASNUMERO, "case_number")


# --- client / case numbers (configured) -------------------------------------------------------
def compile_patterns(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    """Client-number regexes from the config; group `id` (if present) is what gets redacted."""
    return [re.compile(p) for p in patterns]


def find_client_numbers(text: str, patterns: list[re.Pattern[str]]) -> Iterator[Span]:
    for pattern in patterns:
        for m in pattern.finditer(text):
            if "id" in pattern.groupindex and m.group("id") is not None:
                yield Span(m.start("id"), m.end("id"), ASIAKASNUMERO, "client_number")
            else:
                yield Span(m.start(), m.end(), ASIAKASNUMERO, "client_number")


def find_identifiers(
    text: str,
    client_patterns: list[re.Pattern[str]] | None = None,
    not_streets: frozenset[str] = frozenset(),
    not_plates: frozenset[str] = frozenset(),
    case_numbers: re.Pattern[str] | None = None,
) -> list[Span]:
    """All validated identifier spans, overlaps not yet resolved."""
    spans: list[Span] = []
    spans.extend(find_case_numbers(text, case_numbers))
    spans.extend(find_hetu(text))
    spans.extend(find_iban(text))
    spans.extend(find_email(text))
    spans.extend(find_client_numbers(text, client_patterns or []))
    spans.extend(find_phone(text))
    spans.extend(find_address(text, not_streets))
    spans.extend(find_plates(text, not_plates))
    return spans


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans: higher-priority label first, then the longer span."""
    ranked = sorted(spans, key=lambda s: (PRIORITY.get(s.label, 99), -(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in ranked:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept)
