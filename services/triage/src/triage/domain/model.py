"""The department model: TF-IDF over fast word features (see `features`) into a logistic regression.

A model directory holds `model.npz` (arrays only: vocabulary, idf, weights, for the department model and the
urgency model; read with `allow_pickle=False`, so a model file cannot carry code) and `model.json` (the
manifest: name, version, classes, training data digest, artifact checksum). A directory is only loaded when
the artifact's checksum matches its manifest. Training uses scikit-learn; scoring does not import it.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy import sparse

from triage.domain.features import analyze
from triage.domain.tfidf import LinearText
from triage.domain.urgency import UrgencyModel

MODEL_NAME = "lr3"
MANIFEST = "model.json"
ARTIFACT = "model.npz"
FORMAT = 2  # 1 was a pickled scikit-learn artifact (model.joblib), no longer read: retrain to upgrade


class ModelError(ValueError):
    """A model directory cannot be used (missing files, checksum mismatch, wrong format)."""


@dataclass(slots=True)
class DepartmentModel:
    """A fitted TF-IDF + linear model with the facts of how it was trained."""

    text: LinearText
    manifest: dict
    urgency: UrgencyModel | None = None  # the learned critical-urgency model (see `urgency`), when trained

    @property
    def classes(self) -> list[str]:
        return list(self.manifest["classes"])

    @property
    def name(self) -> str:
        return f"{self.manifest['name']}@{self.manifest['version']}"

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    def transform(self, texts: Sequence[str] | Sequence[list[str]]) -> sparse.csr_matrix:
        """TF-IDF rows for texts, or for their features already computed (`features.text_features`)."""
        return self.text.transform([analyze(t) for t in texts])

    def predict_proba(self, texts: Sequence[str] | Sequence[list[str]]) -> tuple[np.ndarray, sparse.csr_matrix]:
        x = self.transform(texts)
        return self.text.predict_proba(x), x

    def top_features(self, x: sparse.csr_matrix, class_indices: np.ndarray, k: int = 5) -> list[list[str]]:
        """For each row of `x`, its features that pushed hardest towards that row's class, strongest first."""
        return self.text.top_features(x, class_indices, k)


def train_model(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    version: str,
    weights: Sequence[float] | None = None,
    c: float = 16.0,
    min_df: int = 2,
    class_weight: str | None = "balanced",
    extra_manifest: dict | None = None,
) -> DepartmentModel:
    """Fit a model; deterministic for the same rows in the same order."""
    import sklearn  # training only: scoring never imports scikit-learn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(texts) != len(labels) or not texts:
        raise ValueError("need the same, non-zero number of texts and labels")
    if len(set(labels)) < 2:
        raise ValueError("need at least two departments in the training data")
    vectorizer = TfidfVectorizer(analyzer=analyze, min_df=min_df, sublinear_tf=True, dtype=np.float32)
    x = vectorizer.fit_transform(list(texts))
    clf = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight)
    clf.fit(x, list(labels), sample_weight=None if weights is None else np.asarray(weights, dtype=np.float64))
    digest = hashlib.sha256("\n".join(f"{t}\t{y}" for t, y in zip(texts, labels, strict=True)).encode()).hexdigest()
    manifest = {
        "format": FORMAT,
        "name": MODEL_NAME,
        "version": version,
        "classes": [str(c_) for c_ in clf.classes_],
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": len(texts),
        "data_sha256": digest,
        "sklearn": sklearn.__version__,
        **(extra_manifest or {}),
    }
    return DepartmentModel(text=LinearText.from_sklearn(vectorizer, clf), manifest=manifest)


def save_model(model: DepartmentModel, directory: str | Path) -> Path:
    """Write the artifact, then the manifest (last, so a watcher never sees a manifest without its artifact)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = model.text.to_arrays("department_")
    if model.urgency is not None:
        arrays.update(model.urgency.to_arrays("urgency_"))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    tmp = directory / (ARTIFACT + ".tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(directory / ARTIFACT)
    manifest = {**model.manifest, "artifact": ARTIFACT, "artifact_sha256": _sha256(directory / ARTIFACT)}
    model.manifest = manifest
    tmp_manifest = directory / (MANIFEST + ".tmp")
    tmp_manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp_manifest.replace(directory / MANIFEST)
    return directory


def read_manifest(directory: str | Path) -> dict:
    path = Path(directory) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no model manifest") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable model manifest: {exc}") from None


def load_model(directory: str | Path) -> DepartmentModel:
    """Load a model directory written by `save_model`, checking the artifact against the manifest."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest.get("format") != FORMAT:
        raise ModelError(f"{directory}: unsupported model format {manifest.get('format')!r} (expected {FORMAT}; "
                         "retrain with `civic-inbox triage train`)")
    artifact = directory / manifest.get("artifact", ARTIFACT)
    if not artifact.is_file():
        raise ModelError(f"{artifact}: model artifact missing")
    if _sha256(artifact) != manifest.get("artifact_sha256"):
        raise ModelError(f"{artifact}: checksum does not match {MANIFEST}")
    try:
        with np.load(artifact, allow_pickle=False) as arrays:
            text = LinearText.from_arrays(arrays, "department_")
            urgency = (UrgencyModel.from_arrays(arrays, "urgency_", manifest.get("urgency_model"))
                       if "urgency_coef" in arrays.files else None)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{artifact}: unreadable model artifact: {exc}") from None
    if text.classes != list(manifest.get("classes", [])):
        raise ModelError(f"{artifact}: classes do not match {MANIFEST}")
    return DepartmentModel(text=text, manifest=manifest, urgency=urgency)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def iter_pairs(rows: Iterable[dict]) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for row in rows:
        texts.append(row["text"])
        labels.append(row["department"])
    return texts, labels
