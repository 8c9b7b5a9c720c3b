"""Personal data in citizen text: kinds and character spans (the values themselves are never returned).

Kinds: phone (UK numbers through `phonenumbers`), email, postcode (UK), national_insurance_number,
card_number (13-19 digits passing the Luhn checksum), sort_code, date_of_birth (a date next to a
birth cue), address (a house number and a street name).
"""

from __future__ import annotations

import re

import phonenumbers

Finding = tuple[str, int, int]

_EMAIL = re.compile(r"\b[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_NINO = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b",
    re.IGNORECASE,
)
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_SORT_CODE = re.compile(r"\bsort ?code\W{0,3}(?:is\s+)?(\d{2}[- ]?\d{2}[- ]?\d{2})\b", re.IGNORECASE)
_MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?: of)? (?:{_MONTHS}),? (?:19|20)\d{{2}}"
    rf"|(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)\d{{2}})"
)
_DOB = re.compile(
    rf"\b(?:date of birth|d\.?o\.?b\.?|born(?: on)?|birthday(?: is)?|dyddiad geni)\W{{0,3}}(?:is\W{{0,2}})?({_DATE})",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b\d{1,4}[a-zA-Z]?,? (?:[A-Z][a-z]+ ){1,3}(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|"
    r"Place|Gardens|Terrace|Court|Grove|Hill|Row|Square|Mews|Walk|Park|View|Rise)\b"
)
_DIGITS = re.compile(r"\d")
# cheap necessary conditions, checked before the case-insensitive patterns above (which are slow to run)
_INWARD = re.compile(r"[0-9][A-Za-z]{2}\b")  # every postcode ends with its inward code: a digit and two letters
_SIX_DIGITS = re.compile(r"[0-9]{2}[- ]?[0-9]{2}[- ]?[0-9]{2}")  # in every NI number and sort code
_DOB_CUE = re.compile(r"birth|born|d\.?o\.?b|dyddiad geni")
_PHONE_START = re.compile(r"[+0](?:\D{0,3}[0-9]){7}")  # a number kept below starts with 0 or +, then 7+ digits


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn checksum."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_pii(text: str) -> list[Finding]:
    """All personal data found in `text`, as (kind, start, end), sorted by start."""
    found: list[Finding] = []
    if "@" in text:
        found += [("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    digit_count = len(_DIGITS.findall(text))
    if digit_count:
        if _INWARD.search(text):
            found += [("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text)]
        found += [("address", m.start(), m.end()) for m in _ADDRESS.finditer(text)]
        if digit_count >= 6 and _SIX_DIGITS.search(text):
            found += [("national_insurance_number", m.start(), m.end()) for m in _NINO.finditer(text)]
            found += [("sort_code", m.start(1), m.end(1)) for m in _SORT_CODE.finditer(text)]
        if digit_count >= 3 and _DOB_CUE.search(text.lower()):
            found += [("date_of_birth", m.start(1), m.end(1)) for m in _DOB.finditer(text)]
        if digit_count >= 9:
            cards = _cards(text)
            found += cards
            if _PHONE_START.search(text):
                found += _phones(text, cards)
    return _dedupe(found)


def _cards(text: str) -> list[Finding]:
    out = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            out.append(("card_number", m.start(), m.end()))
    return out


def _phones(text: str, cards: list[Finding]) -> list[Finding]:
    out = []
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE))
    except Exception:  # noqa: BLE001 - a parser failure must not stop triage
        return out
    for m in matches:
        if any(s <= m.start < e for _, s, e in cards):
            continue
        if not m.raw_string.lstrip("(").startswith(("0", "+")):
            continue  # UK numbers are written with a trunk 0 or an international prefix; bare digit runs are references
        if sum(c.isdigit() for c in m.raw_string) < 8:
            continue  # "Bin ref: 0254": the shortest UK numbers have 8 digits with their 0 (0800 1111); most have 11
        out.append(("phone", m.start, m.end))
    return out


def _dedupe(found: list[Finding]) -> list[Finding]:
    """Drop findings contained in a more specific one (a postcode inside an address is kept; same span once)."""
    found.sort(key=lambda f: (f[1], -f[2]))
    out: list[Finding] = []
    for kind, start, end in found:
        if any(k == kind and s <= start and end <= e for k, s, e in out):
            continue
        if kind in ("postcode", "date_of_birth") and any(
            k in ("card_number", "phone", "national_insurance_number") and s <= start and end <= e for k, s, e in out
        ):
            continue
        out.append((kind, start, end))
    return out
