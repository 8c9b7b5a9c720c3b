"""Critical urgency is almost never missed: recall on the project's own hard set of urgent messages."""

import json
from pathlib import Path

import pytest
from triage.domain import load_classifier

FIXTURES = Path(__file__).parent / "fixtures"


def load(name):
    rows = [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    results = load_classifier().classify_batch([r["text"] for r in rows])
    return list(zip(rows, results, strict=True))


@pytest.fixture(scope="module")
def scored():
    return load("urgent_hard.jsonl")


def test_critical_recall_on_the_extra_set_with_its_decoys():
    """urgent_extra.jsonl: further hand-written rounds (each first measured unseen, then learnt from)."""
    scored = load("urgent_extra.jsonl")
    critical = [(r, c) for r, c in scored if r["urgency"] == "critical"]
    missed = [r["text"] for r, c in critical if c.urgency != "critical"]
    assert 1 - len(missed) / len(critical) >= 0.95, missed
    false_alarms = [r["text"] for r, c in scored if r["urgency"] == "normal" and c.urgency == "critical"]
    assert len(false_alarms) <= 1, false_alarms


def test_critical_recall_at_least_95_percent(scored):
    critical = [(r, c) for r, c in scored if r["urgency"] == "critical"]
    assert len(critical) >= 50
    missed = [r["text"] for r, c in critical if c.urgency != "critical"]
    recall = 1 - len(missed) / len(critical)
    assert recall >= 0.95, missed


def test_high_hazards_are_at_least_high(scored):
    high = [(r, c) for r, c in scored if r["urgency"] == "high"]
    missed = [r["text"] for r, c in high if c.urgency == "normal"]
    assert len(missed) <= len(high) // 10, missed


def test_alarming_sounding_normal_messages_are_not_critical(scored):
    decoys = [(r, c) for r, c in scored if r["urgency"] == "normal"]
    false_alarms = [(r["text"], c.rules_fired) for r, c in decoys if c.urgency == "critical"]
    assert not false_alarms


@pytest.mark.parametrize("text", [
    "The kettle lead is fizzing where the leak from upstairs drips onto the plug",
    "Someone is in the canal by the footbridge shouting and splashing",
    "I'm going to walk into that housing office and stab whoever is behind the counter",
    "Flames in the old church hall and people have been sleeping in there",
])
def test_concept_rules_catch_new_wording(text):
    c = load_classifier().classify(text)
    assert c.urgency == "critical", c.rules_fired


@pytest.mark.parametrize("text", [
    "We had a chip pan fire last month, it's out now but the wall needs repainting",
    "I'm going to kill whoever designed this parking scheme",
    "My council tax is daylight robbery",
    "Can't breathe for the dust from the building site, can they damp it down",
    "Suicide prevention course for our volunteers, is there funding?",
])
def test_past_idiom_and_training_messages_are_not_critical_by_rules(text):
    clf = load_classifier()
    low = text.lower()
    fired = [r.id for r in clf.compiled.fire(text, low) if r.urgency == "critical"]
    assert not fired, fired
    assert clf.risk.rule_for(text, low) is None


def _critical_rules(text):
    clf = load_classifier()
    low = text.lower()
    return [r.id for r in clf.compiled.fire(text, low) if r.urgency == "critical"]


@pytest.mark.parametrize(("text", "rule"), [
    ("A tipper truck has gone over a cyclist and he's trapped under the wheels", "critical.road_casualty"),
    ("The motorbike rider is lying by the kerb and isn't moving", "critical.road_casualty"),
    ("A pallet of bricks dropped off the crane onto two workers below", "critical.falling_object_on_people"),
    ("The shop canopy came down and a woman is pinned underneath it", "critical.falling_object_on_people"),
    ("A labourer has fallen through the skylight of the warehouse", "critical.workplace_injury"),
    ("His sleeve got caught in the conveyor and his arm is trapped", "critical.workplace_injury"),
    ("Mum has Alzheimer's and has gone missing from the house since lunchtime", "critical.missing_vulnerable"),
    ("My son is 7 and he ran off in the woods, we can't find him", "critical.missing_vulnerable"),
    ("An abandoned rucksack at the bus station has wires sticking out of it", "critical.unattended_device"),
    ("A power cable has fallen in the park and children are playing with it", "critical.child_or_person_at_live_cable"),
    ("Our carbon monoxide alarm is going off and my husband is dizzy", "critical.carbon_monoxide"),
    ("Dyw fy nhad ddim yn anadlu", "critical.welsh_emergency"),
    ("Mae hi'n cael ei churo gan ei phartner", "critical.welsh_emergency"),
    ("A lad has been glassed outside the pub and he's bleeding", "critical.violence"),
    ("A 14 year old girl keeps getting into cars with grown men at night", "critical.safeguarding"),
    ("They'd all be better off once I'm gone", "critical.self_harm"),
    ("My neighbour says he's going to end it tonight and he's got a rope in the shed", "critical.concept_intent_method"),
    ("Resident told the warden she has a ligature in her room", "critical.self_harm"),
    ("noose's already up in the garage, goodbye", "critical.self_harm"),
    ("ending it 2nite nobody will care", "critical.self_harm"),
    ("I'll be gone before the morning, don't bother replying", "critical.self_harm"),
    ("A man is sitting on the wrong side of the railings on the bridge over the river", "critical.self_harm"),
    ("He's got the children in the van and says he'll drive them all into the canal", "critical.self_harm"),
    ("Since losing my husband I can't go on, I'm sat on the pier by myself", "critical.concept_despair_at_place"),
    ("Someone's breaking into the school, I can see them inside with torches", "critical.crime_in_progress"),
    ("kids throwing stones at the buses on Station Rd, a window's just smashed", "critical.crime_in_progress"),
    ("Shots have just been fired outside the chippy", "critical.violence"),
    ("Heard gunshots behind the flats and a lad is running off", "critical.violence"),
    ("The civic centre is going to go boom on Monday", "critical.concept_device_boom"),
    ("I've left a little surprise in your reception, it goes off at noon", "critical.concept_device_left"),
    ("Enjoy the parade while it lasts, you've ruined this town, I've got a surprise planned for the mayor",
     "critical.concept_event_threat"),
    ("Old lady at 4 lives alone, her milk's still on the doorstep from Tuesday and no answer",
     "critical.concept_elder_welfare"),
    ("My uncle is bedbound and has been in the same position since yesterday morning", "critical.concept_elder_welfare"),
    ("two toddlers on the garage roof, no grown ups about", "critical.concept_child_at_risk"),
    ("Also the man at number 3 has been lying on his drive for two hours and hasn't moved", "critical.fire_medical"),
    ("A car has gone into the ford and the driver is still inside with water rising", "critical.fire_medical"),
])
def test_new_critical_rules(text, rule):
    assert rule in _critical_rules(text)


@pytest.mark.parametrize("text", [
    "There was a stabbing on our road two years ago, can we have better lighting?",
    "We had a carbon monoxide scare in 2019, can I have a detector fitted?",
    "Can I get a free carbon monoxide alarm for my dad's flat?",
    "Is there a support group for families affected by domestic abuse?",
    "The wall fell down in the night, nobody was hurt, bricks are on the pavement",
    "Someone dumped an old suitcase and a box of cables in the alley, please collect",
    "Power cable hanging low over the lane, it has been taped off by the electricity board",
    "The gym prices have gone through the roof",
    "My dad has dementia, can we get a tracker in case he ever goes missing?",
    "The band set the stage on fire at the festival",
    "this bill nearly gave me a heart attack",
])
def test_past_info_and_idiom_messages_do_not_fire_new_critical_rules(text):
    assert not _critical_rules(text)
    clf = load_classifier()
    assert clf.risk.rule_for(text, text.lower()) is None


def test_risk_score_takes_points_off_past_and_story_messages():
    clf = load_classifier()
    for text in ["In the game my character got shot and bled out",
                 "A girl drowned in the quarry years ago, could you put up warning signs?",
                 "My nan keeps forgetting to take her tablets, can someone set up reminders?",
                 "The bailiffs are threatening to take my car"]:
        assert clf.risk.rule_for(text, text.lower()) is None, text
    for text in ["He's stabbed a man outside the shop right now",
                 "my husband's lips are going blue and he won't wake up"]:
        assert clf.risk.rule_for(text, text.lower()) is not None, text


def test_dev2_set_recall_by_rules_and_model():
    """urgent_dev2.jsonl: the round-2 dev set across kinds of critical message (each row has a `kind`)."""
    scored = load("urgent_dev2.jsonl")
    critical = [(r, c) for r, c in scored if r["urgency"] == "critical"]
    assert len(critical) >= 140
    missed = [r["text"] for r, c in critical if c.urgency != "critical"]
    assert 1 - len(missed) / len(critical) >= 0.95, missed
    false_alarms = [r["text"] for r, c in scored if r["urgency"] != "critical" and c.urgency == "critical"]
    assert len(false_alarms) <= 8, false_alarms


@pytest.mark.parametrize("text", [
    "The builders say they're going to finish it today",
    "Can you put a Samaritans sign on the Station Road bridge, it's known for suicides",
    "Left a present for the bin crew by the gate, merry Christmas",
    "The cows are on the wrong side of the fence again",
    "Is there a safeguarding policy for the youth club? Asking generally, not about any one person",
    "My son self-harmed when he was at school and he is now doing well",
    "The ivy is strangling my fence and choking the life out of the roses",
    "Fireworks going off every night like gunshots, can you do something",
    "Lady next door lives alone and her curtains are always closed, is she entitled to a carers visit?",
    "Our street party will be a day nobody forgets, can we close the road?",
    "Is there going to be a memorial for the miners who drowned in the flood in the 60s?",
    "What are the bomb threat procedures for our craft fair at the town hall?",
    "Live cables hanging out of the bollard, nobody about, I've put a traffic cone over it",
    "Water coming through the kitchen ceiling near the light fitting, I've switched it off at the fuse box",
])
def test_round3_policy_past_idiom_and_hazard_messages_are_not_critical_by_rules(text):
    assert not _critical_rules(text)
    clf = load_classifier()
    assert clf.risk.rule_for(text, text.lower()) is None


# Four sets written independently by writers who never saw the rules, seed or earlier sets. Each was measured
# once unseen (recall 0.877, 0.861, 0.816 and 0.826 at the model's own threshold; see the triage README); the
# first was then learnt from, the others were not. The floors below are those measured figures less a small margin:
# they catch a change that makes the classifier miss more, and say plainly that the 0.95 aim is not reached
# on wording nobody here has seen.
@pytest.mark.parametrize(("name", "floor", "max_false"), [
    ("urgent_holdout1.jsonl", 0.95, 0.05),  # learnt from after its first, unseen measurement
    ("urgent_holdout2.jsonl", 0.83, 0.22),
    ("urgent_holdout3.jsonl", 0.78, 0.18),
    ("urgent_holdout4.jsonl", 0.80, 0.18),
])
def test_independent_hard_sets(name, floor, max_false):
    scored = load(name)
    critical = [c for r, c in scored if r["urgency"] == "critical"]
    others = [c for r, c in scored if r["urgency"] != "critical"]
    assert len(critical) >= 140 and len(others) >= 80
    assert {r["kind"] for r, _ in scored if r["urgency"] == "critical"} >= {"self_harm_indirect", "domestic_abuse", "fire"}
    recall = sum(c.urgency == "critical" for c in critical) / len(critical)
    false_rate = sum(c.urgency == "critical" for c in others) / len(others)
    assert recall >= floor, recall
    assert false_rate <= max_false, false_rate
