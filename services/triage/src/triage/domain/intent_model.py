"""The learned not-a-request decision: how likely a post is to ask for nothing, read from how it is written.

Rules find the clear cases (a problem word, an ask, a thank-you clause, spam, a retweet); between them lies
most of real social text, where a post names a service without asking for anything ("the library on Church
St is the best thing about this town", "potholes here are a national joke"). A keyword list cannot tell those
from reports, so this network decides there: the same fastText-style model as the urgency second opinion
(`triage.domain.neural`: hashed words, word pairs and in-word character n-grams, one hidden layer), trained on
the project's own corpus of posts in many voices (`seed/intent/posts.jsonl`, written by
`seed/generate_intent.py`, plus the labelled seed), shipped as `intent_neural.npz`.

Before hashing, social markers become words of their own, so the network sees that a post was a retweet or
began with someone's @handle, carried a link, or which kind of emoji it used, but not which handle or link.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from triage.domain.neural import NeuralUrgency, fit

FILE = "intent_neural.npz"
_RT = re.compile(r"^\s*rt\s+@\w+\s*:?\s*")
_LEADING = re.compile(r"^(\s*[.]?@\w+[,:]?)+")
_HANDLE = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+|\bpic\.\S+|\b\w+\.(ly|com|co\.uk)/\S*")
_HASH = re.compile(r"#(\w+)")
_EMOJI = {
    " xemogood ": "[\U0001F44F\U0001F64F\u2764\U0001F49A-\U0001F49F\U0001F9E1\U0001F60D\U0001F970\U0001F44D\U0001F31F"
                  "\u2B50\U0001F389\U0001F3C6\U0001F4AF\u2728\U0001F525\U0001F60A\U0001F64C\U0001F4AA]",
    " xemolol ": "[\U0001F602\U0001F923\U0001F606\U0001F605\U0001F480\U0001F643\U0001F609]",
    " xemobad ": "[\U0001F621\U0001F92C\U0001F624\U0001F644\U0001F612\U0001F629\U0001F62B\U0001F922\U0001F92E\U0001F620]",
}
_EMOJI_RE = [(token, re.compile(pattern + "+")) for token, pattern in _EMOJI.items()]
_OTHER_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]+")


def prepare(text: str) -> str:
    """Lower-cased text with its social markers as words: xrt (a retweet), xlead (starts with an @handle),
    xuser (another @handle), xurl, xtag before a hashtag's word, emoji as xemogood / xemolol / xemobad / xemo."""
    low = text.lower()
    out = []
    m = _RT.match(low)
    if m:
        out.append("xrt")
        low = low[m.end():]
    m = _LEADING.match(low)
    if m:
        out.append("xlead")
        low = low[m.end():]
    if "@" in low:
        low = _HANDLE.sub(" xuser ", low)
    if "http" in low or "www." in low or "pic." in low or "/" in low:
        low = _URL.sub(" xurl ", low)
    if "#" in low:
        low = _HASH.sub(r" xtag \1 ", low)
    if not low.isascii():
        for token, pattern in _EMOJI_RE:
            low = pattern.sub(token, low)
        low = _OTHER_EMOJI.sub(" xemo ", low)
    out.append(low)
    return " ".join(out)


class IntentModel:
    """Probability that a post asks for nothing (not a request, a question or an emergency)."""

    def __init__(self, net: NeuralUrgency) -> None:
        self.net = net
        self.threshold = net.threshold  # from here a post the rules were unsure about is not a request
        self.data_sha256 = net.data_sha256

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.net.proba([prepare(t) for t in texts]) if texts else np.zeros(0)

    def proba_one(self, text: str) -> float:
        return self.net.proba_one(prepare(text))

    def save(self, directory: str | Path) -> Path:
        return self.net.save(directory, FILE)

    @classmethod
    def load(cls, directory: str | Path) -> IntentModel | None:
        net = NeuralUrgency.load(directory, FILE)
        return cls(net) if net is not None else None


def seed_examples(seed_dir: str | Path) -> tuple[list[str], list[int], list[str], str]:
    """(texts, labels with 1 = not actionable, held-back requests for the threshold, corpus digest).

    Not actionable: the intent corpus's not_actionable posts and the social seed's `general` posts. Actionable:
    the intent corpus's requests and questions, one in three of every department's seed reports (a street report
    is work; the corpus is for social text, so they do not outweigh it), the
    social seed's requests and the critical urgency seed. One request in ten of the intent corpus is held back
    to choose the threshold."""
    seed_dir = Path(seed_dir)
    texts: list[str] = []
    labels: list[int] = []
    held: list[str] = []
    for path in sorted((seed_dir / "intent").glob("*.jsonl")):
        for n, row in enumerate(_rows(path)):
            na = row["intent"] == "not_actionable"
            if not na and n % 10 == 0:
                held.append(row["text"])
                continue
            texts.append(row["text"])
            labels.append(int(na))
    for path in sorted(seed_dir.glob("*.jsonl")):
        for n, row in enumerate(_rows(path)):
            department = row.get("department")
            if path.name == "social.jsonl":
                texts.append(row["text"])
                labels.append(int(department == "general"))
            elif department and department != "general" and n % 3 == 0:
                texts.append(row["text"])
                labels.append(0)
    for path in sorted((seed_dir / "urgency").glob("critical*.jsonl")):
        for row in _rows(path):
            texts.append(row["text"])
            labels.append(0)
    digest = hashlib.sha256("\n".join(f"{t}\t{y}" for t, y in zip(texts, labels, strict=True)).encode()).hexdigest()
    return texts, labels, held, digest


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def train(seed_dir: str | Path, *, epochs: int = 6, max_set_aside: float = 0.05) -> IntentModel:
    """The network and its threshold: the lowest at which at most `max_set_aside` of the held-back requests
    would be judged not actionable."""
    texts, labels, held, digest = seed_examples(seed_dir)
    net = fit([prepare(t) for t in texts], labels, epochs=epochs,
              negatives_for_threshold=[prepare(t) for t in held], max_false=max_set_aside)
    net.data_sha256 = digest
    return IntentModel(net)
