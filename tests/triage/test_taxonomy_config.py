"""The taxonomy file: the shipped one loads; a bad one is refused naming the line at fault."""

from pathlib import Path

import pytest
from triage.domain import TaxonomyError, load_classifier, load_taxonomy
from triage.domain.taxonomy import default_taxonomy_path, parse_taxonomy

TAXONOMY_IDS = {
    "waste", "highways", "parks_trees", "street_lighting", "parking", "transport", "housing",
    "council_tax_benefits", "environmental_health_asb", "planning", "libraries_leisure", "social_care",
    "police", "out_of_scope", "general",
}

MINIMAL = """\
version: "t1"
review_threshold: 0.5
departments:
  - id: waste
    name: Waste
    description: Bins.
    keywords: [bin, bins]
  - id: highways
    name: Highways
    description: Roads.
    keywords: [pothole]
rules:
  - id: critical.gas
    urgency: critical
    department: highways
    patterns: ['\\bgas\\b']
"""


def test_shipped_taxonomy_has_the_stable_ids():
    tax = load_taxonomy()
    assert set(tax.department_ids) == TAXONOMY_IDS
    assert tax.default_department == "general"
    assert 0 < tax.review_threshold < 1
    assert any(r.urgency == "critical" and r.department == "out_of_scope" for r in tax.rules)


def test_minimal_file_loads():
    tax = parse_taxonomy(MINIMAL.replace("departments:", "default_department: waste\ndepartments:"))
    assert tax.department_ids == ["waste", "highways"]


def refused(text: str) -> str:
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(text, source="org.yaml")
    return str(err.value)


def test_unknown_key_names_its_line():
    msg = refused(MINIMAL.replace("review_threshold: 0.5", "review_threshold: 0.5\ncolour: blue"))
    assert msg.startswith("org.yaml:3:") and "unknown key 'colour'" in msg


def test_unknown_key_inside_a_department():
    msg = refused(MINIMAL.replace("    keywords: [pothole]", "    keywords: [pothole]\n    owner: Bob"))
    assert msg.startswith("org.yaml:12:") and "owner" in msg


def test_bad_regex_names_its_line():
    msg = refused(MINIMAL.replace("['\\bgas\\b']", "['\\bgas(']"))
    assert msg.startswith("org.yaml:16:") and "bad regular expression" in msg


def test_unknown_department_in_rule():
    msg = refused(MINIMAL.replace("    department: highways", "    department: gasboard"))
    assert msg.startswith("org.yaml:15:") and "unknown department id 'gasboard'" in msg


def test_missing_field():
    msg = refused(MINIMAL.replace("    name: Highways\n", ""))
    assert msg.startswith("org.yaml:8:") and "missing field 'name'" in msg


def test_bad_urgency_and_threshold():
    assert "unknown urgency" in refused(MINIMAL.replace("urgency: critical", "urgency: asap"))
    assert refused(MINIMAL.replace("review_threshold: 0.5", "review_threshold: 5")).startswith("org.yaml:2:")
    assert "critical_model_threshold" in refused(
        MINIMAL.replace("review_threshold: 0.5", "review_threshold: 0.5\ncritical_model_threshold: 2"))


def test_duplicate_department_and_key():
    assert "listed twice" in refused(MINIMAL.replace("id: highways", "id: waste"))
    assert "duplicate key" in refused(MINIMAL.replace('version: "t1"', 'version: "t1"\nversion: "t2"'))


def test_invalid_yaml_and_empty_file():
    assert refused("departments: [").startswith("org.yaml:1:")
    assert "empty" in refused("")


def test_load_classifier_refuses_a_bad_file(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("review_threshold: 0.5", "review_threshold: 0.5\nfoo: 1"))
    with pytest.raises(TaxonomyError, match=r"bad\.yaml:3:"):
        load_classifier(taxonomy_path=bad)


def test_an_edited_taxonomy_changes_decisions_without_code(tmp_path: Path):
    text = default_taxonomy_path().read_text(encoding="utf-8")
    text = text.replace("rules:\n", "rules:\n  - id: high.bins_on_fire_day\n    urgency: high\n    department: waste\n"
                        "    patterns: ['\\bbonfire night\\b']\n", 1)
    custom = tmp_path / "org.yaml"
    custom.write_text(text, encoding="utf-8")
    clf = load_classifier(taxonomy_path=custom)
    c = clf.classify("Will the bins be collected on bonfire night?")
    assert (c.department, c.urgency) == ("waste", "high") and "high.bins_on_fire_day" in c.rules_fired
    assert clf.version != load_classifier().version  # the taxonomy hash is part of the version


def test_all_of_rule_and_its_errors():
    text = MINIMAL + """  - id: critical.weapon
    urgency: critical
    window: 30
    all_of:
      - ['\\bknife\\b']
      - ['\\bwaving\\b', '\\bchasing\\b']
"""
    tax = parse_taxonomy(text)
    assert tax.rules[-1].all_of[1] == ["\\bwaving\\b", "\\bchasing\\b"]
    from triage.domain.rules import CompiledTaxonomy

    compiled = CompiledTaxonomy(tax)
    assert [r.id for r in compiled.fire("a man waving a knife")] == ["critical.weapon"]
    assert compiled.fire("knife " + "x" * 200 + " waving") == []  # further apart than the window
    msg = refused(text.replace("'\\bchasing\\b'", "'\\bchasing('"))
    assert msg.startswith("org.yaml:22:") and "all_of[1][1]" in msg and "bad regular expression" in msg


def test_risk_section_and_its_errors():
    text = MINIMAL + """risk:
  threshold: 4
  terms:
    - weight: 3
      patterns: ['\\bflames\\b']
    - kind: person
      patterns: ['\\bman\\b']
"""
    tax = parse_taxonomy(text)
    assert tax.risk.threshold == 4 and tax.risk.terms[1].kind == "person"
    assert "unknown key 'colour'" in refused(text.replace("  threshold: 4", "  threshold: 4\n  colour: red"))
    assert refused(text.replace("kind: person", "kind: animal")).startswith("org.yaml:22:")
