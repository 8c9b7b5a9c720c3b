"""Hot reload: swap in a newly trained model (or an edited taxonomy) without restarting the service.

    watcher = ModelWatcher("/models/current")            # loads now; raises if the first load fails
    classifier_ref = watcher.current                      # what the handler calls for every message
    ...                                                   # `civic-inbox triage train --output /models/current`
    watcher.current()                                     # notices the new model.json and swaps, at most
                                                          # once per `min_interval` seconds

A new model is loaded completely before it replaces the old one (one reference assignment, atomic in Python),
so a message is always classified by one whole classifier. A model that fails to load is not swapped in: the
old one keeps serving and `last_error` says why. `save_model` writes `model.json` last, so a half-written
model is never picked up.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from triage.domain.classifier import TriageClassifier
from triage.domain.model import MANIFEST
from triage.domain.shipped import default_model_dir, load_classifier
from triage.domain.taxonomy import default_taxonomy_path

log = logging.getLogger(__name__)


class ModelWatcher:
    """Holds the classifier in force and reloads it when the model manifest or the taxonomy file changes."""

    def __init__(
        self,
        model_dir: str | Path | None = None,
        taxonomy_path: str | Path | None = None,
        *,
        min_interval: float = 5.0,
        loader: Callable[..., TriageClassifier] = load_classifier,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.taxonomy_path = Path(taxonomy_path) if taxonomy_path is not None else None
        self.min_interval = min_interval
        self._loader = loader
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp = self._read_stamp()
        self._classifier = loader(self.model_dir, self.taxonomy_path)
        self._checked_at = clock()
        self.last_error: str | None = None
        self.reloads = 0

    @property
    def classifier(self) -> TriageClassifier:
        return self._classifier

    def current(self) -> TriageClassifier:
        """The classifier to use now; checks for a new model at most once per `min_interval` seconds."""
        if self._clock() - self._checked_at >= self.min_interval:
            self.check()
        return self._classifier

    def check(self) -> bool:
        """Reload if the files changed since the last load. True when a new classifier was swapped in."""
        with self._lock:
            self._checked_at = self._clock()
            stamp = self._read_stamp()
            if stamp == self._stamp:
                return False
            try:
                fresh = self._loader(self.model_dir, self.taxonomy_path)
            except Exception as exc:  # noqa: BLE001 - a bad new model must never stop triage
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("new triage model not loaded, keeping %s: %s", self._classifier.version, self.last_error)
                self._stamp = stamp  # do not retry the same broken files on every call
                return False
            old = self._classifier.version
            self._classifier = fresh
            self._stamp = stamp
            self.last_error = None
            self.reloads += 1
            log.info("triage classifier reloaded: %s -> %s", old, fresh.version)
            return True

    def _read_stamp(self) -> tuple:
        model = (self.model_dir or default_model_dir()) / MANIFEST
        taxonomy = self.taxonomy_path or default_taxonomy_path()
        return (_file_stamp(model), _file_stamp(taxonomy))


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
