"""Triage domain logic: pure classification, no Kafka, MongoDB or HTTP.

    from triage.domain import load_classifier
    clf = load_classifier()                 # shipped model and taxonomy
    c = clf.classify("Smell of gas outside 12 High St")
    c.department, c.urgency, c.needs_review, c.summary
"""

from __future__ import annotations

from triage.domain.classifier import Classification, TriageClassifier
from triage.domain.model import ModelError
from triage.domain.reload import ModelWatcher
from triage.domain.shipped import default_model_dir, load_classifier
from triage.domain.surge import SurgeDetector
from triage.domain.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

__all__ = [
    "Classification",
    "ModelError",
    "ModelWatcher",
    "SurgeDetector",
    "Taxonomy",
    "TaxonomyError",
    "TriageClassifier",
    "default_model_dir",
    "load_classifier",
    "load_taxonomy",
]
