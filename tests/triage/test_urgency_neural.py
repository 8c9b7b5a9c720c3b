"""Danger in any words: the neural second opinion, the social-voice hard set, and 'critical with review when unsure'."""

import json
from pathlib import Path

import numpy as np
import pytest
from triage.domain.neural import FILE, NeuralUrgency, feature_ids, fit, seed_examples
from triage.domain.shipped import default_model_dir, default_seed_dir

FIXTURES = Path(__file__).parent / "fixtures"
# measured on the social-voice hard set when it was added: recall 0.975, critical-or-high 0.956, 3 of 35 false
RECALL_FLOOR, URGENT_FLOOR, MAX_FALSE = 0.95, 0.93, 4



def test_the_shipped_network_is_arrays_trained_on_the_current_seed():
    """Fails when the seed changed and the network was not rebuilt (`make triage-model`)."""
    with np.load(default_model_dir() / FILE, allow_pickle=False) as z:
        assert {"emb", "w1", "b1", "w2", "b2", "threshold", "data_sha256"} <= set(z.files)
    net = NeuralUrgency.load(default_model_dir())
    assert net.data_sha256 == seed_examples(default_seed_dir())[3]
    p = net.proba(["my little brother (12) hasn't come home since school, phone off", "lovely flowers in the park"])
    assert p[0] > 0.5 > p[1]


def test_training_learns_and_round_trips(tmp_path):
    texts = [f"he is outside with a knife saying he'll hurt me {i}" for i in range(30)] + \
            [f"bin not collected on street {i}" for i in range(30)]
    net = fit(texts, [1] * 30 + [0] * 30, buckets=1 << 10, dim=8, hidden=8, epochs=20, lr=0.05)
    again = NeuralUrgency.load(net.save(tmp_path).parent)
    p = again.proba(["someone outside with a knife", "bin not collected again"])
    assert p[0] > 0.5 > p[1]
    assert feature_ids("Hes gonna", 1 << 10) == feature_ids("hes gonna", 1 << 10)  # stable hashing, any process


def load(name):
    return [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_social_voice_hard_set(clf):
    """Written in social voice (missing people, domestic threats, harassment now, third-party distress, code-mixed
    English) before the danger seed generator, and never used for training. Floors just under the measured
    figures (see the issue-16 note)."""
    rows = load("urgent_social_holdout.jsonl")
    results = clf.classify_batch([r["text"] for r in rows])
    critical = [c for r, c in zip(rows, results, strict=True) if r["urgency"] == "critical"]
    urgent = [c for r, c in zip(rows, results, strict=True) if r["urgency"] in ("critical", "high")]
    others = [c for r, c in zip(rows, results, strict=True) if r["urgency"] != "critical"]
    assert sum(c.urgency == "critical" for c in critical) / len(critical) >= RECALL_FLOOR
    assert sum(c.urgency in ("critical", "high") for c in urgent) / len(urgent) >= URGENT_FLOOR
    assert sum(c.urgency == "critical" for c in others) <= MAX_FALSE


@pytest.mark.parametrize(
    "text",
    [
        "@LocalPolice my nephew (13) hasn't come home since yesterday, phone off, not like him",
        "bhai ek aadmi chaku leke khada hai bus stop pe, sab dar gaye",
        "my mate just posted goodbye everyone and now his phone is off",
        "a man has been following me and my friend since the station, we're scared",
    ],
)
def test_new_urgency_cases_are_critical(clf, text):
    assert clf.classify(text).urgency == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "gonna kill my brother he ate my chips 😂",
        "missing my nan so much today 💔 5 years",
        "FOUND SAFE 🙏 thanks everyone who shared",
        "@Council just wanted to say the lads who empty our bins are absolute stars 💚",
    ],
)
def test_banter_grief_and_thanks_are_not_critical(clf, text):
    assert clf.classify(text).urgency != "critical"
