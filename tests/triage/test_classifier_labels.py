"""Every label the classifier gives, on the shipped model and taxonomy (no data files outside the repository)."""

import re

import pytest
from triage.domain import Classification, load_classifier


@pytest.fixture(scope="module")
def clf():
    return load_classifier()


def classify(clf, text: str) -> Classification:
    return clf.classify(text)


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("My black bin wasn't collected this week, the whole street was missed", "waste"),
        ("Someone has dumped a mattress and bags of rubbish in the alley, fly tipping again", "waste"),
        ("Huge pothole in the road outside the post office, nearly burst my tyre", "highways"),
        ("The drain outside my house is blocked and the road floods every time it rains", "highways"),
        ("The grass on the verge hasn't been cut all summer and the hedge is overgrown", "parks_trees"),
        ("Street light outside number 12 has been out for a week, very dark", "street_lighting"),
        ("Abandoned car with no tax and flat tyres parked on our street for months", "parking"),
        ("The bus shelter glass is smashed and the timetable is missing", "transport"),
        ("Black mould in my council flat bedroom and the boiler is broken", "housing"),
        ("I have been charged council tax twice this month, I want a refund", "council_tax_benefits"),
        ("Neighbours playing loud music until 3am every night, noise complaint", "environmental_health_asb"),
        ("My neighbour is building an extension without planning permission", "planning"),
        ("How do I renew my library books online?", "libraries_leisure"),
        ("My elderly father needs a care assessment, he can't manage at home", "social_care"),
        ("My bike was stolen from outside the station last night", "police"),
        ("Power cut on our road since last night, no electricity", "out_of_scope"),
        ("Who is my local councillor and how do I contact them?", "general"),
    ],
)
def test_department(clf, text, department):
    c = classify(clf, text)
    assert c.department == department, (c.department, c.features, c.summary)
    assert 0.0 <= c.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("I can smell gas outside the school", "critical"),
        ("I don't want to live any more, I've been thinking about ending my life", "critical"),
        ("A child has been left home alone all day in the flat opposite, I can hear crying", "critical"),
        ("There's a man waving a knife outside the shop", "critical"),
        ("Someone is breaking into the car next door right now", "critical"),
        ("Traffic lights out at the crossroads, all of them are off", "high"),
        ("Manhole cover missing on the pavement, open hole", "high"),
        ("A tree has fallen across the road and is blocking it", "high"),
        ("Exposed live wires hanging out of the lamp post", "high"),
        ("The road is flooded under the bridge, cars are stuck", "high"),
        ("Pothole on Mill Lane getting bigger", "normal"),
        ("This pothole is going to kill someone one day", "normal"),
        ("These traffic lights are killing me, they take ages", "normal"),
    ],
)
def test_urgency(clf, text, urgency):
    c = classify(clf, text)
    assert c.urgency == urgency, (c.rules_fired, c.summary)


def test_forced_rule_routes_and_explains(clf):
    c = classify(clf, "Strong smell of gas in the stairwell of our flats")
    assert (c.department, c.urgency) == ("out_of_scope", "critical")
    assert "critical.gas_leak" in c.rules_fired
    assert "critical.gas_leak" in c.summary and not c.needs_review


@pytest.mark.parametrize(
    ("text", "abuse"),
    [
        ("Please can you empty the bins on Elm Road", "none"),
        ("Your useless f*cking council can't even fill a pothole", "offensive"),
        ("the bin men are idiots", "offensive"),
        ("Immigrants are vermin and should be sent back", "hate"),
        ("go back to your own country", "hate"),
        ("I know where you live and I'm coming for you", "threat"),
        ("I will kill the next warden I see", "threat"),
    ],
)
def test_abuse(clf, text, abuse):
    assert classify(clf, text).abuse == abuse


def test_threat_is_critical(clf):
    c = classify(clf, "I'm going to stab the councillor who approved this")
    assert (c.abuse, c.urgency) == ("threat", "critical")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Thank you so much, the team fixed it really quickly, brilliant service!", "positive"),
        ("Absolutely disgusting, third time I've reported this and you've done nothing. Useless.", "negative"),
        ("The street light outside number 4 is out.", "neutral"),
    ],
)
def test_sentiment(clf, text, label):
    c = classify(clf, text)
    assert c.sentiment_label == label
    assert -1.0 <= c.sentiment_score <= 1.0
    assert (c.sentiment_score > 0) == (label == "positive") or label == "neutral"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("There is a large pothole on the road outside the school", "en"),
        ("Mae twll mawr yn y ffordd ger yr ysgol, a oes modd ei drwsio os gwelwch yn dda?", "cy"),
        ("Nid yw fy min wedi cael ei gasglu ers pythefnos. Diolch.", "cy"),
        ("Il y a un grand trou dans la route devant l'école, pouvez-vous le réparer?", "fr"),
        ("Hay un bache enorme en la carretera delante de la escuela, por favor arréglenlo", "es"),
    ],
)
def test_language(clf, text, language):
    assert classify(clf, text).language == language


def test_welsh_gas_leak_is_critical(clf):
    c = classify(clf, "Mae arogl nwy cryf yn y stryd")
    assert (c.language, c.urgency) == ("cy", "critical")


def test_explanation_and_version(clf):
    c = classify(clf, "Fly tipping: a sofa and a fridge dumped in the lane, call me on 07912 345678")
    assert c.summary.endswith(".") and "Waste" in c.summary
    assert c.model and c.model.startswith("lr")
    assert c.features and all(isinstance(f, str) for f in c.features)
    assert re.fullmatch(r"triage-.+\+taxonomy:[0-9a-f]{8}", c.version)
    assert c.version == clf.version
    assert ("phone", 64, 76) in c.pii
    fields = c.to_result_fields()
    assert fields["explanation"]["summary"] == c.summary and fields["classifier_version"] == c.version


def test_low_confidence_goes_to_review(clf):
    c = classify(clf, "hello?")
    assert c.needs_review and "review.low_confidence" in c.rules_fired


def test_batch_equals_single(clf):
    texts = ["Pothole on Mill Lane", "Smell of gas", "Mae twll yn y ffordd", "", "thank you!"]
    batch = clf.classify_batch(texts)
    assert [b.as_dict() for b in batch] == [clf.classify(t).as_dict() for t in texts]
    assert batch[3].language == "und"


def test_result_fits_the_contract(clf):
    from datetime import UTC, datetime

    from civic_contracts import TriageResult

    c = classify(clf, "Someone dumped rubbish, email me at jo@example.org")
    TriageResult(message_id="m1", conversation_key="k1", classified_at=datetime.now(UTC), **c.to_result_fields())


@pytest.mark.parametrize("text", [
    "I'm going to kill whoever designed this one way system, what a joke",
    "Please remove the graffiti on the wall by the station, it says 'you're dead'",
])
def test_hyperbole_and_reported_graffiti_are_offensive_not_threats(text):
    from triage.domain.abuse import detect_abuse

    label, fired = detect_abuse(text)
    assert label == "offensive"
    assert "abuse.threat_not_meant" in fired


@pytest.mark.parametrize("text", [
    "I'm going to kill whoever is on the desk tomorrow",
    "I'll kill whoever designed this and then you're dead, I know where you live",
    "Sprayed my van again. I will stab you when I find you",
])
def test_real_threats_stay_threats(text):
    from triage.domain.abuse import detect_abuse

    assert detect_abuse(text)[0] == "threat"


def test_hyperbole_does_not_make_a_message_critical(clf):
    c = clf.classify("The bin schedule is doing my head in, I could strangle whoever designed it")
    assert c.abuse == "offensive"
    assert c.urgency != "critical", c.rules_fired


@pytest.mark.parametrize("text", [
    "Tell that warden with the ginger beard he wants to watch his back. I know what car he drives",
    "benefits lady better have my money by friday or im going to do her in, serious",
    "hes got the kids in the car and says hes going to drive us all into the river",
])
def test_veiled_threats_are_threats_and_critical(clf, text):
    c = clf.classify(text)
    assert c.abuse == "threat" and c.urgency == "critical"
