"""The first decision: a service request, a question, an emergency, or nothing to act on (and why)."""

from datetime import UTC, datetime

import pytest
from civic_contracts import Author, Channel, InboundMessage, IntentKind, MessageKind
from triage.domain.intent import decide, social_core
from triage.service import triage


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@Council @LocalPolice @TheMayor @RadioTown", "empty"),
        ("thanks for sorting the pothole so fast!! 👏", "thanks"),
        ("ty @Council for getting back to me so quick, sorted now 👍", "thanks"),
        ("Diolch yn fawr to the bin crew, always so cheerful", "thanks"),
        ("The flower beds in the park look stunning this year 🌸", "praise"),
        ("RT @LocalNewsDesk: Council approves plans for new riverside flats https://t.co/x1", "news"),
        ("@jess_m @daz1984 haha same mate 😂", "conversation"),
        ("another 20mph zone, what a waste of money, vote them out", "opinion"),
        ("Earn £500 a day from your phone, DM for info https://t.co/zz", "spam"),
    ],
)
def test_not_actionable_goes_to_general_with_the_reason(clf, text, reason):
    c = clf.classify(text)
    assert c.intent == {"kind": "not_actionable", "reason": reason}, c.summary
    assert c.department == "general" and c.urgency == "normal"
    assert f"intent.not_actionable.{reason}" in c.rules_fired
    assert c.summary.startswith("Not a request") and "no reply needed" in c.summary


@pytest.mark.parametrize(
    ("text", "department"),
    [
        # a real report written as a thank-you, or in social voice, stays a request in its queue
        ("@Council thanks for the reply but the drain on Kent Rd is STILL blocked", "highways"),
        ("bins not been collected on Saxon Way 4 2 weeks, whole street stinks 🤢 #binday", "waste"),
        ("pls can sum1 sort the street light outside no 4 Elm Close, been out since tues", "street_lighting"),
        ("yaar mere area ka kooda 4 din se nahi utha, bins overflowing, please clear karo", "waste"),
    ],
)
def test_requests_in_social_voice_stay_requests(clf, text, department):
    c = clf.classify(text)
    assert c.intent["kind"] == "request", c.summary
    assert c.department == department


def test_questions_and_emergencies(clf):
    q = clf.classify("How do I apply for a resident parking permit?")
    assert q.intent == {"kind": "question", "reason": None} and q.department == "parking"
    e = clf.classify("my ex is outside with a knife saying he'll kill me, kids are here, please send someone")
    assert e.intent["kind"] == "emergency" and e.urgency == "critical"


def test_a_street_report_with_no_social_markers_is_never_set_aside():
    for text in ["Trolley. Trolley", "Fieldfare Way Walton Cardiff", "Holes in speed bump by the junction."]:
        assert decide(text.lower(), urgency="normal", keyword_hits=False)[0] == "request"
    # a web form carries requests only
    assert decide("lovely day", urgency="normal", keyword_hits=False, formal=True)[0] == "request"


def test_social_text_is_read_for_the_writers_own_words():
    core, retweet, leading = social_core("rt @news: @a @b pls fix the #pothole on mill lane https://t.co/x thx")
    assert retweet and leading == 2
    assert "please fix the pothole on mill lane" in core and "http" not in core and "@" not in core


def test_the_triage_result_carries_the_intent(clf):
    now = datetime.now(UTC)
    msg = InboundMessage(id="m1", channel=Channel.X, account_id="acc", platform_message_id="p1", conversation_key="k1",
                         kind=MessageKind.PUBLIC_COMMENT, author=Author(platform_id="a"),
                         text="@Council massive thanks to the crew who cleared the snow 👏", sent_at=now,
                         received_at=now, raw_payload="{}")
    result = triage(msg, clf)
    assert result.intent is not None and result.intent.kind == IntentKind.NOT_ACTIONABLE
    assert result.intent.reason == "thanks" and result.department == "general"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # good wishes, celebrations and condolences ask for nothing
        ("@Council merry christmas to all the bin crews, see you in the new year 🎄", "greeting"),
        ("Happy Diwali to everyone at the council from all of us on Park Rd 🪔", "greeting"),
        # a retweet is someone else's words passed on, even a question
        ("RT @TownPolice: Do you know where this man is? He is wanted for questioning https://t.co/p1", "news"),
        # a headline from a news source, an invitation, a reminder
        ("Town Gazette says the new swimming pool will open next spring", "news"),
        ("Come along to the residents' meeting on Thursday, all welcome 🙂", "news"),
        # a rhetorical question that is an opinion, and opinions about spending
        ("why do they keep wasting money on consultants?? unbelievable", "opinion"),
        # praise in regional words
        ("the new lights by the school are absolutely class, feels loads safer", "praise"),
    ],
)
def test_more_ways_of_asking_for_nothing(clf, text, reason):
    c = clf.classify(text, channel="x")
    assert c.intent == {"kind": "not_actionable", "reason": reason}, c.summary
    assert c.department == "general"


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("thanks for nothing @Council, that pothole on Kent Rd just burst my tyre", "highways"),
        # a report written up by staff ("customer reporting ...") is not news
        ("Customer reporting that the street light outside 14 Elm Close has been out for a week", "street_lighting"),
        ("Volunteer litter pick bags ready for collection by the park gates", "waste"),
    ],
)
def test_complaints_and_written_up_reports_stay_requests(clf, text, department):
    c = clf.classify(text, channel="x")
    assert c.intent["kind"] == "request", c.summary
    assert c.department == department


def test_the_department_model_sure_of_a_department_keeps_a_social_post_a_request() -> None:
    text = "@council neighbours blasting music till 4am every night"
    assert decide(text, urgency="normal", keyword_hits=False) == ("not_actionable", "conversation")
    assert decide(text, urgency="normal", keyword_hits=False, work_hint=True) == ("request", None)
