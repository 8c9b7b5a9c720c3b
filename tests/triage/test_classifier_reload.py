"""A newly trained model (or an edited taxonomy) is picked up without a restart."""

import shutil
from pathlib import Path

from triage.domain import ModelWatcher, load_taxonomy
from triage.domain.model import save_model
from triage.domain.training import Row, fit

TAX = load_taxonomy()


def train(directory: Path, label_for_conkers: str, version: str) -> None:
    rows = [Row("pothole in the road", "highways"), Row("blocked drain", "highways"), Row("bin not emptied", "waste"),
            Row("fly tipping", "waste")] + [Row("conkers everywhere on the path", label_for_conkers)] * 3
    save_model(fit(rows, taxonomy=TAX, version=version), directory)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_new_model_is_swapped_in_without_restart(tmp_path: Path):
    train(tmp_path, "waste", "v1")
    clock = Clock()
    watcher = ModelWatcher(tmp_path, min_interval=10, clock=clock)
    ref = watcher.current  # what the service hands to its handler
    first = ref()
    assert first.classify("conkers everywhere on the path").department == "waste"
    assert "v1" in first.version

    staging = tmp_path.parent / "staging"
    train(staging, "parks_trees", "v2")
    for name in ("model.npz", "model.json"):  # a deploy: artifact first, manifest last
        shutil.copy(staging / name, tmp_path / name)

    assert ref() is first  # not checked again before min_interval
    clock.now = 11
    second = ref()
    assert second is not first and "v2" in second.version
    assert second.classify("conkers everywhere on the path").department == "parks_trees"
    assert watcher.reloads == 1 and watcher.last_error is None
    # the old classifier object is untouched: a message already being classified finishes with it
    assert first.classify("conkers everywhere on the path").department == "waste"


def test_broken_new_model_keeps_the_old_one(tmp_path: Path):
    train(tmp_path, "waste", "v1")
    watcher = ModelWatcher(tmp_path, min_interval=0)
    old = watcher.current()
    (tmp_path / "model.npz").write_bytes(b"half written")
    (tmp_path / "model.json").write_text((tmp_path / "model.json").read_text().replace("v1", "v9"))
    assert watcher.check() is False
    assert watcher.current() is old
    assert "checksum" in watcher.last_error


def test_edited_taxonomy_is_reloaded(tmp_path: Path):
    from triage.domain.taxonomy import default_taxonomy_path

    tax = tmp_path / "org.yaml"
    tax.write_text(default_taxonomy_path().read_text(encoding="utf-8"), encoding="utf-8")
    train(tmp_path, "waste", "v1")
    watcher = ModelWatcher(tmp_path, tax, min_interval=0)
    before = watcher.current()
    assert before.classify("purple unicorn stampede").urgency == "normal"
    text = tax.read_text(encoding="utf-8").replace(
        "rules:\n", "rules:\n  - id: critical.unicorns\n    urgency: critical\n    patterns: ['unicorn stampede']\n", 1)
    tax.write_text(text, encoding="utf-8")
    after = watcher.current()
    assert after is not before and after.classify("purple unicorn stampede").urgency == "critical"
