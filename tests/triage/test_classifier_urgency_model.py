"""The learned urgency model next to the rules: concepts, negation, the shipped model, and fresh wording.

`fixtures/urgent_fresh.jsonl` holds two rounds written as unseen sets (round A before the urgency model was
added, round B after it was built). Measured when each was still unseen, with the shipped model of the time:
  round A: critical recall 0.24 with the rules alone, 0.78 with rules OR model;
  round B: 0.48 with the rules alone, 0.76 with rules OR model (written after the change, never tuned on).
The floors below keep those gains; they are not the 0.95 target, which unseen wording does not reach yet.
"""

import json
from pathlib import Path

import pytest
from triage.domain import load_classifier
from triage.domain.features import tokens
from triage.domain.taxonomy import load_taxonomy
from triage.domain.training import Row, fit, urgency_seed_rows
from triage.domain.urgency import RULE_ID, concepts, urgency_features

FIXTURES = Path(__file__).parent / "fixtures"


def test_concepts_with_negation_and_routine_phrases():
    assert "harm" in concepts(tokens("he hit her again last night"))
    assert "neg:harm" in concepts(tokens("nobody was hurt"))
    found = concepts(tokens("the fire door is propped open"))
    assert "routine" in found and "fire" not in found
    assert "child" in concepts(tokens("my 6 year old is on her own"))


def test_features_keep_concept_pairs_not_generic_words():
    feats = urgency_features(tokens("I'm going to see him, the kids are alone and hungry"))
    assert "p:alone+child" in feats and "c:deprived" in feats
    assert "going" not in feats and "see" not in feats


def test_shipped_model_has_an_urgency_model_and_it_explains_itself():
    clf = load_classifier()
    assert clf.model is not None and clf.model.urgency is not None
    assert 0.5 <= clf.model.urgency.threshold < 1.0
    c = clf.classify("my sister's partner put his hands round her throat and she is too scared to go home")
    assert c.urgency == "critical"


def test_training_fits_an_urgency_model_even_without_urgency_labels():
    taxonomy = load_taxonomy()
    rows = [Row(text=r.text, department=r.department) for r in urgency_seed_rows()]
    model = fit(rows, taxonomy=taxonomy, version="t")
    assert model.urgency is not None
    assert model.manifest["urgency_model"]["critical"] >= 20


@pytest.fixture(scope="module")
def fresh():
    rows = [json.loads(line) for line in (FIXTURES / "urgent_fresh.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return list(zip(rows, load_classifier().classify_batch([r["text"] for r in rows]), strict=True))


def test_fresh_rounds_recall_and_false_alarms(fresh):
    critical = [(r, c) for r, c in fresh if r["urgency"] == "critical"]
    decoys = [(r, c) for r, c in fresh if r["urgency"] == "normal"]
    assert len(critical) >= 80 and len(decoys) >= 80
    recall = sum(c.urgency == "critical" for _, c in critical) / len(critical)
    false_alarm = sum(c.urgency == "critical" for _, c in decoys) / len(decoys)
    assert recall >= 0.75, [r["text"] for r, c in critical if c.urgency != "critical"]
    assert false_alarm <= 0.15, [r["text"] for r, c in decoys if c.urgency == "critical"]
    assert any(RULE_ID in c.rules_fired for _, c in critical)


def test_department_priors_correct_the_model(tmp_path):
    from triage.domain.taxonomy import default_taxonomy_path

    text = default_taxonomy_path().read_text(encoding="utf-8")
    tilted = text.replace("  - id: police\n    name: Police\n", "  - id: police\n    name: Police\n    prior: 0.000000001\n")
    assert tilted != text
    path = tmp_path / "taxonomy.yaml"
    path.write_text(tilted, encoding="utf-8")
    message = "My bike was stolen from the rack outside the shops, it had a police marking on it"
    assert load_classifier().classify(message).department == "police"
    assert load_classifier(taxonomy_path=path).classify(message).department != "police"


def test_new_concepts_device_idiom_and_quiet_phrases():
    assert "device" in concepts(tokens("there's a device in a bag by the door"))
    found = concepts(tokens("the queue at the tip is killing me"))
    assert "idiom" in found and "harm" not in found and "threat" not in found
    assert "electric" in concepts(tokens("the fuse box is fizzing"))
    assert "despair" in concepts(tokens("this is the last message anyone will get from me"))
    assert "complaint" in concepts(tokens("I'm going to complain to the ombudsman"))
    # a phrase is looked for only while the words read so far start one: ordinary words find nothing
    assert concepts(tokens("in front of the library on the high street")) == []


def test_urgency_seed_is_large_and_uses_taxonomy_departments():
    rows = urgency_seed_rows()
    departments = set(load_taxonomy().department_ids)
    assert sum(r.urgency == "critical" for r in rows) >= 450
    assert sum(r.urgency != "critical" for r in rows) >= 350
    assert {r.department for r in rows} <= departments
    assert len({r.text for r in rows}) == len(rows)


def test_critical_model_threshold_is_a_taxonomy_setting(tmp_path):
    """Staff choose how readily the learned model calls a message critical, without retraining."""
    from triage.domain.taxonomy import default_taxonomy_path

    text = default_taxonomy_path().read_text(encoding="utf-8")
    assert "\ncritical_model_threshold:" not in text  # unset: the threshold stored with the model
    shipped = load_classifier()
    assert shipped.critical_threshold == shipped.model.urgency.threshold
    message = "honestly everyone would manage fine if I just wasn't around tomorrow"
    p = float(shipped.model.urgency.proba([tokens(message.lower())])[0])
    assert 0.05 < p < 0.99

    def with_threshold(value: float):
        path = tmp_path / f"t{value}.yaml"
        path.write_text(text.replace("review_threshold: 0.45\n", f"review_threshold: 0.45\ncritical_model_threshold: {value}\n"),
                        encoding="utf-8")
        return load_classifier(taxonomy_path=path)

    below, above = with_threshold(round(max(0.05, p - 0.02), 3)), with_threshold(round(min(0.99, p + 0.02), 3))
    assert below.critical_threshold < p < above.critical_threshold
    assert "critical.urgency_model" in below.classify(message).rules_fired
    assert "critical.urgency_model" not in above.classify(message).rules_fired
