"""CSV cells the inbox offers for download never start like a spreadsheet formula."""

import pytest
from inbox.spreadsheet import safe_cell


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_looks_like_a_formula_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_plain_values_are_kept_and_structures_written_as_json() -> None:
    assert safe_cell("Pothole on Mill Lane") == "Pothole on Mill Lane"
    assert safe_cell(None) == ""
    assert safe_cell(12) == "12"
    assert safe_cell(0.5) == "0.5"
    assert safe_cell({"status": "open", "assignee": None}) == '{"assignee": null, "status": "open"}'
    assert safe_cell(["-x"]) == '["-x"]'
