"""A learned second look at hate: abuse aimed at people for who they are, in words no pattern foresaw.

The abuse patterns (`triage.domain.abuse`) find slurs and the usual shapes ("<group> are vermin", "send them
back"); most real hate is worded otherwise ("<group> ruining our town", "another mosque? keep them out"). Where
a message names a protected group (a cheap word test) and the patterns found no hate, this network decides:
the same fastText-style model as the urgency second opinion, trained on the project's own posts
(`seed/abuse/hate.jsonl`, `seed/generate_hate.py`: hate, the same groups named neutrally or kindly, and rudeness
to the council) plus ordinary posts of the intent corpus, shipped as `hate_neural.npz`. Its threshold lets at
most 2% of held-back neutral mentions of a group through.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from triage.domain.neural import NeuralUrgency, fit

FILE = "hate_neural.npz"
RULE = "abuse.hate.neural"
_WORD = re.compile(r"[a-z]+")
GROUP_WORDS = frozenset("""muslim muslims islam islamic moslem moslems mosque mosques jew jews jewish synagogue immigrant
    immigrants immigration migrant migrants refugee refugees asylum foreigner foreigners foreign illegals gay gays
    homo homos homosexual homosexuals lesbian lesbians trans tranny trannies transgender queer queers lgbt lgbtq
    gypsy gypsies pikey pikeys traveller travellers traveler travelers roma romanian romanians polish poles pole
    pakistani pakistanis paki pakis indian indians asian asians african africans arab arabs black blacks somali
    somalis nigerian nigerians albanian albanians afghan afghans syrian syrians kurd kurds bangladeshi bangladeshis
    chinese hindu hindus sikh sikhs catholic catholics christian christians irish english welsh scottish
    disabled disability autistic cripple cripples retard retards wheelchair women woman girls females feminists
    whites white eastern europeans european europeans muzzies muzzie""".split())


class HateModel:
    """Probability that a message naming a group is hate."""

    def __init__(self, net: NeuralUrgency) -> None:
        self.net = net
        self.threshold = net.threshold
        self.data_sha256 = net.data_sha256

    def second_look(self, low: str, abuse: str, fired: list[str]) -> tuple[str, list[str]]:
        """(abuse, rules fired) once the network has looked: only at a message the patterns did not already
        call hate or a threat, and only when it names a group."""
        if abuse not in ("none", "offensive") or GROUP_WORDS.isdisjoint(_WORD.findall(low)):
            return abuse, fired
        if self.net.proba_one(low) < self.threshold:
            return abuse, fired
        return "hate", [RULE, *fired]

    def save(self, directory: str | Path) -> Path:
        return self.net.save(directory, FILE)

    @classmethod
    def load(cls, directory: str | Path) -> HateModel | None:
        net = NeuralUrgency.load(directory, FILE)
        return cls(net) if net is not None else None


def seed_examples(seed_dir: str | Path) -> tuple[list[str], list[int], list[str], str]:
    """(texts, labels with 1 = hate, held-back neutral mentions for the threshold, corpus digest)."""
    seed_dir = Path(seed_dir)
    texts: list[str] = []
    labels: list[int] = []
    held: list[str] = []
    for path in sorted((seed_dir / "abuse").glob("*.jsonl")):
        for n, row in enumerate(_rows(path)):
            if row["abuse"] == "none" and n % 5 == 0:
                held.append(row["text"].lower())
                continue
            texts.append(row["text"].lower())
            labels.append(int(row["abuse"] == "hate"))
    for path in sorted((seed_dir / "intent").glob("*.jsonl")):
        for n, row in enumerate(_rows(path)):
            if n % 4 == 0:  # everyday posts, requests and chat: not hate
                texts.append(row["text"].lower())
                labels.append(0)
    digest = hashlib.sha256("\n".join(f"{t}\t{y}" for t, y in zip(texts, labels, strict=True)).encode()).hexdigest()
    return texts, labels, held, digest


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def train(seed_dir: str | Path, *, epochs: int = 6, max_false: float = 0.02) -> HateModel:
    texts, labels, held, digest = seed_examples(seed_dir)
    net = fit(texts, labels, epochs=epochs, negatives_for_threshold=held, max_false=max_false)
    net.data_sha256 = digest
    return HateModel(net)
