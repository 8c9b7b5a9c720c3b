"""Personal data kinds and spans."""

import pytest
from triage.domain.pii import find_pii, luhn_valid


def kinds(text):
    return [(k, text[s:e]) for k, s, e in find_pii(text)]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("call me on 07912 345678 please", "phone", "07912 345678"),
        ("office: 0121 496 0000", "phone", "0121 496 0000"),
        ("ring +44 20 7946 0958 after 5", "phone", "+44 20 7946 0958"),
        ("email jo.bloggs+council@example.co.uk thanks", "email", "jo.bloggs+council@example.co.uk"),
        ("I live at SW1A 1AA", "postcode", "SW1A 1AA"),
        ("postcode gl50 3ub", "postcode", "gl50 3ub"),
        ("my NI number is AB 12 34 56 C", "national_insurance_number", "AB 12 34 56 C"),
        ("NI: JG103759A", "national_insurance_number", "JG103759A"),
        ("card 4111 1111 1111 1111 exp 12/30", "card_number", "4111 1111 1111 1111"),
        ("paid with 5555-5555-5555-4444", "card_number", "5555-5555-5555-4444"),
        ("date of birth 12/03/1985", "date_of_birth", "12/03/1985"),
        ("DOB: 3rd March 1990", "date_of_birth", "3rd March 1990"),
        ("I was born on 1 January 1950", "date_of_birth", "1 January 1950"),
        ("sort code 12-34-56", "sort_code", "12-34-56"),
        ("I live at 14 Mill Lane", "address", "14 Mill Lane"),
    ],
)
def test_each_kind(text, kind, value):
    assert (kind, value) in kinds(text)


def test_luhn_invalid_card_not_flagged():
    text = "card 4111 1111 1111 1112"
    assert not luhn_valid("4111111111111112")
    assert all(k != "card_number" for k, _ in kinds(text))


def test_no_false_positives_on_plain_text():
    assert find_pii("The street light outside the school has been out for 3 weeks") == []
    assert all(k != "phone" for k, _ in kinds("my reference is 1234567890"))
    assert all(k != "national_insurance_number" for k, _ in kinds("GB123456A is not a valid prefix"))


def test_spans_are_offsets_into_the_text():
    text = "Ring 07912 345678 or write to me@example.com"
    for _, s, e in find_pii(text):
        assert 0 <= s < e <= len(text)


@pytest.mark.parametrize("text", [
    "Litter bin ref: 0254 by the gate, grid 51.883919, -2.213313",
    "Job number 033303 was closed without a visit",
    "Asset 0304 and asset 0937 are both damaged",
])
def test_short_references_are_not_phone_numbers(text):
    assert [k for k, _, _ in find_pii(text) if k == "phone"] == []


def test_short_and_long_numbers_in_one_message():
    text = "Ref 0254. Please ring me on 07700 900123 after six."
    phones = [text[s:e] for k, s, e in find_pii(text) if k == "phone"]
    assert phones == ["07700 900123"]
