"""Hate in words no pattern foresaw: the learned second look, asked only when a message names a protected group."""

import json

import numpy as np
import pytest
from triage.domain.hate_model import FILE, RULE, HateModel, seed_examples, train
from triage.domain.shipped import default_model_dir, default_seed_dir


def test_the_shipped_network_is_arrays_trained_on_the_current_seed() -> None:
    """Fails when the seed changed and the network was not rebuilt (`make triage-model`)."""
    with np.load(default_model_dir() / FILE, allow_pickle=False) as z:
        assert {"emb", "w1", "b1", "w2", "b2", "threshold", "data_sha256"} <= set(z.files)
    assert HateModel.load(default_model_dir()).data_sha256 == seed_examples(default_seed_dir())[3]


@pytest.mark.parametrize("text", [
    "romanians ruining our high street since they came, get them out",
    "@Council another hostel for asylum seekers? keep them away from our kids",
    "the council gives the travellers everything while locals get nothing, filthy lot",
])
def test_hate_worded_otherwise_is_hate(clf, text) -> None:
    result = clf.classify(text, channel="x")
    assert result.abuse == "hate"
    assert RULE in result.rules_fired or "abuse.hate" in result.rules_fired


@pytest.mark.parametrize("text", [
    "the polish deli on Albany Rd does the best bread in town",
    "open day at the mosque on saturday, all neighbours welcome",
    "racist graffiti about muslims on the bus stop by the school, please remove it",
    "more step-free buses please, wheelchair users can't get on the 44",
])
def test_a_group_named_neutrally_or_kindly_is_not_hate(clf, text) -> None:
    assert clf.classify(text, channel="x").abuse == "none"


class _Counting:
    def __init__(self, p: float) -> None:
        self.p, self.asked, self.threshold, self.data_sha256 = p, 0, 0.5, ""

    def proba_one(self, text: str) -> float:
        self.asked += 1
        return self.p


def test_the_network_looks_only_at_a_group_named_and_never_lowers_a_label() -> None:
    net = _Counting(0.99)
    model = HateModel(net)
    assert model.second_look("the bins were missed again you clowns", "offensive", ["abuse.offensive"]) == \
        ("offensive", ["abuse.offensive"])
    assert net.asked == 0  # no group named: not asked
    assert model.second_look("immigrants ruining our town", "none", []) == ("hate", [RULE])
    assert model.second_look("i will kill you and your muslim mates", "threat", ["abuse.threat"]) == \
        ("threat", ["abuse.threat"])
    assert net.asked == 1
    assert HateModel(_Counting(0.1)).second_look("immigrants are welcome here", "none", []) == ("none", [])


def test_training_learns_from_a_corpus_directory(tmp_path) -> None:
    (tmp_path / "abuse").mkdir()
    rows = [{"text": f"immigrants are vermin get them out {i}", "abuse": "hate"} for i in range(40)]
    rows += [{"text": f"immigrants are welcome at the library {i}", "abuse": "none"} for i in range(50)]
    (tmp_path / "abuse" / "hate.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    model = train(tmp_path, epochs=8)
    again = HateModel.load(model.save(tmp_path).parent)
    assert again.data_sha256 == seed_examples(tmp_path)[3]
    p = again.net.proba(["immigrants are vermin", "immigrants welcome at the library"])
    assert p[0] > again.threshold > p[1]
