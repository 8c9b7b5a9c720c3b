"""Fixtures shared by the triage tests."""

import pytest
from triage.domain import load_classifier


@pytest.fixture(scope="module")
def clf():
    """The shipped classifier, loaded once per test module (not warmed: the tests call it themselves)."""
    return load_classifier(warm=False)
