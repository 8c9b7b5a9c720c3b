"""The neural second opinion on urgency: a small fastText-style network over hashed words and character n-grams.

Rules and the linear urgency model are cheap and run on every message; where they are unsure (the linear model
near its threshold, a `high` that might be `critical`, a critical from the linear model alone) this model decides.
Character n-grams inside words carry over to spellings nobody wrote down ("stabbin", "hes gonna", "maar raha"),
and the hidden layer combines them ("my sister" with "not come home").

Input: the ids of the message's words, word pairs and character 3- and 4-grams of each word, hashed (CRC32)
into `buckets` rows of an embedding table. The network averages those rows, applies one ReLU hidden layer, and
gives the probability of `critical`. Shipped as arrays (`urgency_neural.npz`, read with `allow_pickle=False`),
trained here with NumPy (Adam, binary cross-entropy), nothing fetched at run time.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

FILE = "urgency_neural.npz"
_WORD = re.compile(r"[a-z0-9']+")
_CRC = zlib.crc32


def _word_ids(word: str, buckets: int) -> list[int]:
    ids = [_CRC(b"w" + word.encode()) % buckets]
    padded = f"<{word}>"
    for n in (3, 4):
        for i in range(len(padded) - n + 1):
            ids.append(_CRC(("c" + padded[i:i + n]).encode()) % buckets)
    return ids


_WORD_CACHE: dict[tuple[str, int], list[int]] = {}  # words repeat across messages: their ids are worked out once
_CACHE_LIMIT = 200_000


def feature_ids(text: str, buckets: int) -> list[int]:
    """Hashed ids of the words, word pairs and in-word character 3-/4-grams of `text`."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    ids: list[int] = []
    prev = ""
    cache = _WORD_CACHE
    for w in words:
        key = (w, buckets)
        word_ids = cache.get(key)
        if word_ids is None:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            word_ids = cache[key] = _word_ids(w, buckets)
        ids += word_ids
        if prev:
            ids.append(_CRC(("p" + prev + " " + w).encode()) % buckets)
        prev = w
    return ids or [0]


class NeuralUrgency:
    """The trained network and its decision threshold."""

    def __init__(self, emb: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: float,
                 threshold: float, data_sha256: str = "") -> None:
        self.emb, self.w1, self.b1, self.w2, self.b2 = emb, w1, b1, w2, float(b2)
        self.buckets = emb.shape[0]
        self.threshold = float(threshold)
        self.data_sha256 = data_sha256  # digest of the training corpus (`seed_examples`)
        self._sums: dict[str, tuple[np.ndarray, int]] = {}  # word -> (sum of its rows, how many)
        self.threshold_review = 0.9  # raises a message to critical for review from here (see the classifier)

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability that each text is critical."""
        if not texts:
            return np.zeros(0)
        ids = [feature_ids(t, self.buckets) for t in texts]
        return self.proba_of_ids(ids)

    def proba_of_ids(self, ids: Sequence[list[int]]) -> np.ndarray:
        """Probabilities for texts' feature ids: one gather and one sum over the whole batch."""
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter((j for i in ids for j in i), dtype=np.int64, count=int(lengths.sum()))
        starts = np.zeros(len(ids), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        avg = np.add.reduceat(self.emb[flat], starts, axis=0) / lengths[:, None]
        hidden = np.maximum(avg @ self.w1 + self.b1, 0.0)
        return 1.0 / (1.0 + np.exp(-(hidden @ self.w2 + self.b2)))

    def proba_one(self, text: str) -> float:
        """The same probability as `proba` for one text, cheaper: each word's rows (the word and its character
        n-grams) are summed once and kept, so a message costs a few vector additions and one small gather."""
        words = _WORD.findall(text.lower().replace("’", "'"))
        if not words:
            return float(self.proba([text])[0])
        cache = self._sums
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        total = None
        count = 0
        pairs = []
        prev = ""
        for w in words:
            hit = cache.get(w)
            if hit is None:
                ids = _word_ids(w, self.buckets)
                hit = cache[w] = (self.emb[ids].sum(axis=0), len(ids))
            total = hit[0].copy() if total is None else total + hit[0]
            count += hit[1]
            if prev:
                pairs.append(_CRC(("p" + prev + " " + w).encode()) % self.buckets)
            prev = w
        if pairs:
            total += self.emb[pairs].sum(axis=0)
            count += len(pairs)
        hidden = np.maximum((total / count) @ self.w1 + self.b1, 0.0)
        return float(1.0 / (1.0 + np.exp(-(hidden @ self.w2 + self.b2))))

    def save(self, directory: str | Path, file: str = FILE) -> Path:
        path = Path(directory) / file
        np.savez_compressed(path, emb=self.emb.astype(np.float16), w1=self.w1, b1=self.b1, w2=self.w2,
                            b2=np.array([self.b2]), threshold=np.array([self.threshold]),
                            data_sha256=np.array(self.data_sha256))
        return path

    @classmethod
    def load(cls, directory: str | Path, file: str = FILE) -> NeuralUrgency | None:
        """The network saved in `directory` (as `file`), or None when there is none."""
        path = Path(directory) / file
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as z:
            return cls(z["emb"].astype(np.float32), z["w1"].astype(np.float32), z["b1"].astype(np.float32), z["w2"].astype(np.float32),
                       float(z["b2"][0]), float(z["threshold"][0]), str(z["data_sha256"]))


def fit(texts: Sequence[str], labels: Sequence[int], *, buckets: int = 1 << 16, dim: int = 32, hidden: int = 32,
        epochs: int = 8, lr: float = 0.01, batch: int = 32, seed: int = 16,
        negatives_for_threshold: Sequence[str] = (), max_false: float = 0.02) -> NeuralUrgency:
    """Train on (text, 1 if critical) pairs. The threshold is the lowest at which at most `max_false` of
    `negatives_for_threshold` (hard decoys kept out of training) score critical, and never under 0.5."""
    rng = np.random.default_rng(seed)
    feats = [np.array(feature_ids(t, buckets), dtype=np.int64) for t in texts]
    y = np.asarray(labels, dtype=np.float32)
    emb = rng.normal(0, 0.1, (buckets, dim)).astype(np.float32)
    w1 = rng.normal(0, (2.0 / dim) ** 0.5, (dim, hidden)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    w2 = rng.normal(0, (1.0 / hidden) ** 0.5, hidden).astype(np.float32)
    b2 = np.float32(0.0)
    params = [w1, b1, w2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    mb = vb = 0.0
    pos_weight = float((len(y) - y.sum()) / max(y.sum(), 1.0))  # classes count alike
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(feats))
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            rows = [feats[i] for i in idx]
            avg = np.stack([emb[r].mean(axis=0) for r in rows])
            pre = avg @ w1 + b1
            h = np.maximum(pre, 0.0)
            p = 1.0 / (1.0 + np.exp(-(h @ w2 + b2)))
            yt = y[idx]
            weight = np.where(yt > 0, pos_weight, 1.0)
            g = (p - yt) * weight / len(idx)  # d loss / d logit
            gw2 = h.T @ g
            gb2 = g.sum()
            gh = np.outer(g, w2) * (pre > 0)
            gw1 = avg.T @ gh
            gb1 = gh.sum(axis=0)
            gavg = gh @ w1.T
            step += 1
            for k, (param, grad) in enumerate(zip(params, (gw1, gb1, gw2), strict=True)):
                m[k] = 0.9 * m[k] + 0.1 * grad
                v[k] = 0.999 * v[k] + 0.001 * grad * grad
                param -= lr * (m[k] / (1 - 0.9 ** step)) / (np.sqrt(v[k] / (1 - 0.999 ** step)) + 1e-8)
            mb = 0.9 * mb + 0.1 * gb2
            vb = 0.999 * vb + 0.001 * gb2 * gb2
            b2 -= lr * (mb / (1 - 0.9 ** step)) / (np.sqrt(vb / (1 - 0.999 ** step)) + 1e-8)
            for r, ga in zip(rows, gavg, strict=True):  # sparse SGD on the embedding rows the batch used
                np.add.at(emb, r, -lr * 5.0 * ga / len(r))
    net = NeuralUrgency(emb, w1, b1, w2, float(b2), 0.5)
    if negatives_for_threshold:
        scores = np.sort(net.proba(list(negatives_for_threshold)))[::-1]
        allowed = int(max_false * len(scores))
        net.threshold = max(0.5, float(scores[allowed]) + 1e-6 if allowed < len(scores) else 0.5)
    return net


def seed_examples(seed_dir: str | Path) -> tuple[list[str], list[int], list[str], str]:
    """(texts, labels, threshold decoys, digest) from the project's seed corpus: every critical message is a
    positive; every other message with an urgency label is a negative, except one decoy in five from
    `urgency/decoys*.jsonl`, kept apart to choose the threshold. The digest identifies the corpus."""
    import hashlib
    import json

    seed_dir = Path(seed_dir)
    texts: list[str] = []
    labels: list[int] = []
    held: list[str] = []
    files = sorted(seed_dir.glob("*.jsonl")) + sorted((seed_dir / "urgency").glob("*.jsonl"))
    for path in files:
        decoys = path.name.startswith("decoys")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            row = json.loads(line)
            urgency = row.get("urgency")
            if not urgency:
                continue
            if decoys and n % 5 == 0:
                held.append(row["text"])
                continue
            texts.append(row["text"])
            labels.append(int(urgency == "critical"))
    digest = hashlib.sha256("\n".join(f"{t}\t{y}" for t, y in zip(texts, labels, strict=True)).encode()).hexdigest()
    return texts, labels, held, digest
