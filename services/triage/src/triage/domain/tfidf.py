"""A fitted TF-IDF + linear model as plain arrays: scores feature lists without scikit-learn.

Training uses scikit-learn (`TfidfVectorizer` over pre-computed feature lists, `LogisticRegression`); `LinearText`
keeps what scoring needs (vocabulary, idf, coefficients, intercepts, classes) and computes the same numbers:
the vocabulary look-up is one `map` per message, counting, weighting and normalising are array operations.
So a model directory is data (a NumPy `.npz` read with `allow_pickle=False`), never pickled code, and the
classifier starts without importing scikit-learn. Tests check it against scikit-learn's own answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
from scipy import sparse


@dataclass(slots=True)
class LinearText:
    """TF-IDF (sublinear tf, l2 norm) into a logistic regression, as arrays."""

    terms: np.ndarray  # feature names, in column order (str)
    idf: np.ndarray  # float32, one per column
    coef: np.ndarray  # (classes, columns), or (1, columns) for two classes (the second class's weights)
    intercept: np.ndarray  # (classes,) or (1,)
    classes: list[str]
    sublinear: bool = True
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    names: list[str] = field(default_factory=list, repr=False)  # `terms` as Python strings, for look-ups

    def __post_init__(self) -> None:
        self.names = [str(t) for t in self.terms.tolist()]
        self._index = {t: i for i, t in enumerate(self.names)}

    @classmethod
    def from_sklearn(cls, vectorizer, clf) -> LinearText:
        """From a fitted `TfidfVectorizer` (l2 norm, idf) and `LogisticRegression`."""
        if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary:
            raise ValueError("LinearText needs an l2-normalised TF-IDF with idf and counts")
        return cls(
            terms=np.asarray(vectorizer.get_feature_names_out(), dtype=str),
            idf=np.asarray(vectorizer.idf_, dtype=np.float32),
            coef=np.asarray(clf.coef_, dtype=np.float64),
            intercept=np.asarray(clf.intercept_, dtype=np.float64),
            classes=[str(c) for c in clf.classes_],
            sublinear=bool(vectorizer.sublinear_tf),
        )

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            prefix + "terms": self.terms,
            prefix + "idf": self.idf,
            prefix + "coef": self.coef,
            prefix + "intercept": self.intercept,
            prefix + "classes": np.asarray(self.classes, dtype=str),
            prefix + "sublinear": np.asarray([self.sublinear]),
        }

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> LinearText:
        return cls(
            terms=arrays[prefix + "terms"],
            idf=arrays[prefix + "idf"].astype(np.float32),
            coef=arrays[prefix + "coef"],
            intercept=arrays[prefix + "intercept"],
            classes=[str(c) for c in arrays[prefix + "classes"].tolist()],
            sublinear=bool(arrays[prefix + "sublinear"][0]),
        )

    def transform(self, feature_lists: Sequence[list[str]]) -> sparse.csr_matrix:
        """TF-IDF rows (float32, l2-normalised) of messages given as feature lists."""
        get = self._index.get
        missing = repeat(-1)
        flat: list[int] = []
        lengths: list[int] = []
        for feats in feature_lists:
            flat += map(get, feats, missing)  # -1 for a feature the vocabulary lacks
            lengths.append(len(feats))
        n = len(feature_lists)
        columns = np.asarray(flat, dtype=np.int64)
        rows = np.repeat(np.arange(n), lengths)
        known = columns >= 0
        columns, rows = columns[known], rows[known]
        indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        x = sparse.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), columns.astype(np.int32), indptr),
            shape=(n, len(self.terms)),
        )
        x.sum_duplicates()  # sorts each row's columns and adds repeated features up: the term counts
        data = x.data
        if data.size:
            if self.sublinear:
                np.log(data, out=data)
                data += 1
            data *= self.idf[x.indices]
            rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
            norms = np.sqrt(np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=x.shape[0]))
            data /= norms[rows].astype(np.float32)
        return x

    def predict_proba(self, x: sparse.csr_matrix) -> np.ndarray:
        """Class probabilities, columns in `classes` order (softmax; a sigmoid for two classes)."""
        scores = np.asarray(x @ self.coef.T) + self.intercept
        if self.coef.shape[0] == 1:
            p = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - p, p])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def class_weights(self) -> np.ndarray:
        """One row of weights per class (two classes: the first class's row is the negated second's)."""
        if self.coef.shape[0] == 1:
            return np.vstack([-self.coef[0], self.coef[0]])
        return self.coef

    def top_features(self, x: sparse.csr_matrix, class_indices: np.ndarray, k: int = 5) -> list[list[str]]:
        """For each row of `x`, its features that pushed hardest towards that row's class, strongest first."""
        coef = self.class_weights()
        counts = np.diff(x.indptr)
        rows = np.repeat(np.arange(x.shape[0]), counts)
        contrib = x.data * coef[np.asarray(class_indices)[rows], x.indices]
        order = np.lexsort((-contrib, rows)).tolist()
        positive = (contrib > 0).tolist()
        columns = x.indices.tolist()
        starts = x.indptr.tolist()
        names = self.names
        out = []
        for r, n in enumerate(counts.tolist()):
            lo = starts[r]
            out.append([names[columns[j]] for j in order[lo : lo + min(k, n)] if positive[j]])
        return out
