"""Hate is not offensive: abuse aimed at a protected characteristic is `hate`, everyday swearing is `offensive`."""

import pytest
from triage.domain.abuse import detect_abuse


@pytest.mark.parametrize(
    "text",
    [
        "immigrant scum the lot of them, council does nothing",
        "f***ing pakis everywhere in this town now",
        "muslim bastards ruining our high street",
        "tell her to go back to africa",
        "send them all back on the boats where they came from",
        "the council houses these gypsies who are thieving scum",
        "invasion of migrants in the hotel down the road @council",
        "gays are an abomination and the council flies their flag",
        "polish scum parking all over the road again",
        "get that window licker off the bus",
        "women belong in the kitchen not running the council",
    ],
)
def test_abuse_at_a_protected_characteristic_is_hate(text):
    assert detect_abuse(text)[0] == "hate"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("fucking potholes everywhere, sort it out", "offensive"),
        ("black bin bags dumped by scumbags again", "offensive"),
        ("the chinese takeaway has rats in the bins", "none"),
        ("polish shop on the corner has bins overflowing", "none"),
        ("there are travellers camped on the park with horses", "none"),
        ("dirty chinese restaurant kitchen, food hygiene complaint", "none"),
        ("fag ends and glass all over Winchcombe Street", "none"),
        ("my mum's got a fag on and the stairwell smells", "none"),
        ("Smell of gas the A417 side of the junction", "none"),
    ],
)
def test_groups_named_in_ordinary_reports_are_not_hate(text, label):
    assert detect_abuse(text)[0] == label
