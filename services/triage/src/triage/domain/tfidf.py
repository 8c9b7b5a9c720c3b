"""TF-IDF of pre-computed feature lists, as scikit-learn's fitted `TfidfVectorizer` computes it, faster.

`TfidfVectorizer.transform` counts features in a Python loop with a dictionary per message; here the vocabulary
look-up is one `map` per message and the counting, weighting and normalising are array operations. The result
equals the vectoriser's own (same vocabulary, idf, sublinear tf, norm and dtype) to float rounding; a test
checks it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


class FastTfidf:
    """Wraps a fitted vectoriser whose analyzer takes feature lists (see `features.analyze`)."""

    __slots__ = ("_get", "_idf", "_n", "_dtype", "_sublinear", "_norm", "vectorizer")

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self._get = vectorizer.vocabulary_.get
        self._n = len(vectorizer.vocabulary_)
        self._dtype = vectorizer.dtype
        self._idf = np.asarray(vectorizer.idf_, dtype=self._dtype) if vectorizer.use_idf else None
        self._sublinear = vectorizer.sublinear_tf
        self._norm = vectorizer.norm
        if self._norm not in ("l2", None) or vectorizer.binary:
            raise ValueError("FastTfidf supports l2 or no norm and counts (not binary)")

    def transform(self, feature_lists: Sequence[list[str]]) -> sparse.csr_matrix:
        get = self._get
        indices: list[int] = []
        indptr = [0]
        for feats in feature_lists:
            indices += [j for j in map(get, feats) if j is not None]
            indptr.append(len(indices))
        x = sparse.csr_matrix(
            (np.ones(len(indices), dtype=self._dtype), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
            shape=(len(feature_lists), self._n),
        )
        x.sum_duplicates()  # sorts each row's indices and adds repeated features up: the term counts
        data = x.data
        if self._sublinear:
            np.log(data, out=data)
            data += 1
        if self._idf is not None:
            data *= self._idf[x.indices]
        if self._norm == "l2" and data.size:
            rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
            norms = np.sqrt(np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=x.shape[0]))
            data /= norms[rows].astype(self._dtype)
        return x
