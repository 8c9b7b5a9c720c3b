"""The learned not-a-request decision: a network trained on the project's own corpus decides where the rules are
unsure, only for social text, and it ships as arrays trained on the current seed."""

import json

import numpy as np
import pytest
from triage.domain.intent import NOT_ACTIONABLE, QUESTION, REQUEST, decide
from triage.domain.intent_model import FILE, IntentModel, prepare, seed_examples, train
from triage.domain.shipped import default_model_dir, default_seed_dir


def test_the_shipped_network_is_arrays_trained_on_the_current_seed() -> None:
    """Fails when the seed changed and the network was not rebuilt (`make triage-model`)."""
    with np.load(default_model_dir() / FILE, allow_pickle=False) as z:
        assert {"emb", "w1", "b1", "w2", "b2", "threshold", "data_sha256"} <= set(z.files)
    model = IntentModel.load(default_model_dir())
    assert model.data_sha256 == seed_examples(default_seed_dir())[3]
    p = model.proba(["spent the whole afternoon at the library with the kids, best place in town 📚",
                     "@Council bins not collected on Elm Rd for 3 weeks now, please send someone"])
    assert p[0] > 0.5 > p[1]


def test_social_markers_become_words_of_their_own() -> None:
    assert prepare("RT @NewsDesk: Road closed on Friday https://t.co/x1") == "xrt road closed on friday  xurl "
    assert prepare("@jo_b @Council lol same").startswith("xlead ")
    got = prepare("great job 👏👏 #proud 😂 🤬")
    assert "xemogood" in got and "xemolol" in got and "xemobad" in got and "xtag proud" in got


def test_the_network_is_asked_only_for_social_text_where_the_rules_are_unsure() -> None:
    asked = []

    def sure(value):
        def learned():
            asked.append(value)
            return value
        return learned

    plain = "the library on church street was built in 1902, my grandad carried the bricks"
    # no social marker and no social channel: a plain message is never set aside for lack of an ask
    assert decide(plain, urgency="normal", keyword_hits=True, learned=sure(1.0)) == (REQUEST, None)
    assert asked == []
    # a public post: the network decides where the rules found neither an ask nor chatter
    assert decide(plain, urgency="normal", keyword_hits=True, social_channel=True, learned=sure(0.9))[0] == NOT_ACTIONABLE
    assert decide(plain, urgency="normal", keyword_hits=True, social_channel=True, learned=sure(0.1)) == (REQUEST, None)
    # a web form carries requests: never asked
    asked.clear()
    assert decide(plain, urgency="normal", keyword_hits=True, formal=True, learned=sure(1.0)) == (REQUEST, None)
    assert decide("how do i apply for a parking permit?", urgency="normal", keyword_hits=True, social_channel=True,
                  learned=sure(1.0)) == (QUESTION, None)
    assert asked == []


def test_a_problem_word_alone_is_overruled_only_when_the_network_is_sure() -> None:
    text = "@council potholes in this town are a national joke tbh 🙄"
    assert decide(text, urgency="normal", keyword_hits=True, learned=lambda: 0.97) == (NOT_ACTIONABLE, "conversation")
    assert decide(text, urgency="normal", keyword_hits=True, learned=lambda: 0.6) == (REQUEST, None)
    # a hazard is never set aside, however it is worded
    assert decide(text, urgency="high", keyword_hits=True, learned=lambda: 1.0) == (REQUEST, None)


@pytest.mark.parametrize("text", [
    "@Council the new library on the high street is honestly the best thing about this town 📚",
    "nothing beats a sunday walk round the lake with the dog, so peaceful 🦆",
    "@jo_b @Council ha he says that every year mate",
])
def test_posts_that_name_a_service_but_ask_for_nothing_are_set_aside(clf, text) -> None:
    result = clf.classify(text, channel="x")
    assert result.intent["kind"] == NOT_ACTIONABLE
    assert result.department == "general"


@pytest.mark.parametrize("text, department", [
    ("@Council the bins on Elm Rd haven't been collected for 3 weeks 😡", "waste"),
    ("street light outside no.14 Oak Rd flickering all night #fixit", "street_lighting"),
    ("@Council massive pothole on Mill Lane just burst my tyre, sort it pls", "highways"),
])
def test_reports_in_social_voice_stay_requests(clf, text, department) -> None:
    result = clf.classify(text, channel="x")
    assert result.intent["kind"] == REQUEST
    assert result.department == department


def test_training_learns_from_a_corpus_directory_and_round_trips(tmp_path) -> None:
    (tmp_path / "intent").mkdir()
    rows = [{"text": f"lovely sunset over the bay tonight {i} 😍", "intent": "not_actionable"} for i in range(40)]
    rows += [{"text": f"bin not collected on street {i}, please send someone", "intent": "request"} for i in range(40)]
    (tmp_path / "intent" / "posts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    model = train(tmp_path, epochs=8)
    again = IntentModel.load(model.save(tmp_path).parent)
    assert again.data_sha256 == model.data_sha256 == seed_examples(tmp_path)[3]
    p = again.proba(["gorgeous sunset over the bay 😍", "bin not collected again, please send someone"])
    assert p[0] > 0.5 > p[1]
