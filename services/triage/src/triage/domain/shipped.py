"""Loading a classifier: the shipped default model and taxonomy, or an organisation's own."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from triage.domain.classifier import TriageClassifier
from triage.domain.hate_model import HateModel
from triage.domain.intent_model import IntentModel
from triage.domain.model import MANIFEST, load_model
from triage.domain.neural import NeuralUrgency
from triage.domain.taxonomy import load_taxonomy


def default_model_dir() -> Path:
    """Where the default model ships, inside the package (`triage/model/`)."""
    return Path(str(resources.files("triage").joinpath("model")))


def default_seed_dir() -> Path:
    """The project's own written seed corpus the default model is trained on (`triage/seed/`)."""
    return Path(str(resources.files("triage").joinpath("seed")))


def load_classifier(model_dir: str | Path | None = None, taxonomy_path: str | Path | None = None, *,
                    warm: bool = True) -> TriageClassifier:
    """A ready classifier. `None` means the shipped default for each part.

    If no model is shipped (a source checkout before `make`-time training), the classifier runs on the
    taxonomy's keywords and rules alone; its version then says `rules`.
    Raises `TaxonomyError` for a bad taxonomy file and `ModelError` for a bad model directory.
    """
    taxonomy = load_taxonomy(taxonomy_path)
    if model_dir is None:
        shipped = default_model_dir()
        model = load_model(shipped) if (shipped / MANIFEST).is_file() else None
    else:
        model = load_model(model_dir)
    # the neural second opinion is trained on the project's own corpus, not on an organisation's history: an
    # organisation's model directory may carry its own, otherwise the shipped one serves every model
    neural = (NeuralUrgency.load(model_dir) if model_dir is not None else None) or NeuralUrgency.load(default_model_dir())
    intent_model = (IntentModel.load(model_dir) if model_dir is not None else None) or IntentModel.load(default_model_dir())
    hate_model = (HateModel.load(model_dir) if model_dir is not None else None) or HateModel.load(default_model_dir())
    return TriageClassifier(taxonomy, model, warm=warm, neural=neural, intent_model=intent_model,
                            hate_model=hate_model)
