"""`LinearText` scores exactly as the scikit-learn objects it was made from, and stores as plain arrays."""

import io

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from triage.domain.features import analyze
from triage.domain.tfidf import LinearText

TEXTS = [
    "Pothole on Mill Lane outside the school", "Street light out on Church Street", "Bins not collected again",
    "Huge pothole, nearly lost a wheel", "Lamp post flickering all night", "Fly tipping in the lay-by, mattresses",
    "Potholes everywhere on the bypass", "The light outside number 4 is out", "Recycling missed, green bin",
    "Deep pot hole by the bus stop", "Streetlight not working by the park", "Rubbish dumped behind the shops",
]
LABELS = ["highways", "street_lighting", "waste"] * 4
UNSEEN = ["pothole by the light", "bins and rubbish and fly tipping", "", "zzz qqq", "light light light out"]


def _fit(labels):
    vec = TfidfVectorizer(analyzer=analyze, min_df=1, sublinear_tf=True, dtype=np.float32)
    x = vec.fit_transform(TEXTS)
    clf = LogisticRegression(C=4.0, max_iter=1000).fit(x, labels)
    return vec, clf


@pytest.mark.parametrize("labels", [LABELS, [lab == "highways" for lab in LABELS]], ids=["multiclass", "binary"])
def test_same_vectors_and_probabilities_as_scikit_learn(labels):
    vec, clf = _fit(labels)
    lt = LinearText.from_sklearn(vec, clf)
    feats = [analyze(t) for t in UNSEEN]
    ours, theirs = lt.transform(feats), vec.transform(UNSEEN)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), atol=1e-6)
    np.testing.assert_allclose(lt.predict_proba(ours), clf.predict_proba(theirs), atol=1e-6)
    assert lt.classes == [str(c) for c in clf.classes_]


def test_round_trip_through_an_npz_without_pickle():
    vec, clf = _fit(LABELS)
    lt = LinearText.from_sklearn(vec, clf)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **lt.to_arrays("department_"))
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as arrays:
        again = LinearText.from_arrays(arrays, "department_")
    feats = [analyze(t) for t in UNSEEN]
    np.testing.assert_array_equal(again.predict_proba(again.transform(feats)), lt.predict_proba(lt.transform(feats)))
    assert again.classes == lt.classes
