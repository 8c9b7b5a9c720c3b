"""Cells of the CSV files the inbox offers for download (audit log, reports), safe to open in a spreadsheet."""

import json

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as CSV cell text: empty for None, JSON for structures; a cell starting like a formula is prefixed
    with a quote, so a spreadsheet never runs text a citizen or a colleague wrote."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int | float) else json.dumps(
        value, default=str, sort_keys=True)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
