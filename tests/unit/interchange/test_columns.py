"""Matching a register's columns by the names real registers use."""

from __future__ import annotations

import pytest

from app.errors import UsageError
from app.interchange import columns
from app.interchange.registers import REGISTERS

RISKS = REGISTERS["risks"].fields


def test_normalise_drops_case_space_punctuation_and_notes() -> None:
    assert columns.normalise("Risk No.") == "riskno"
    assert columns.normalise("Risk #") == "riskno"
    assert columns.normalise("  Likelihood (1-5) ") == "likelihood"
    assert columns.normalise("Date_Raised") == "dateraised"
    assert columns.normalise("IC target %") == "ictarget"


def test_the_names_real_risk_registers_use() -> None:
    headers = [
        "Risk No.",
        "Risk Description",
        "Probability",
        "Consequence",
        "Risk Owner",
        "Date Identified",
        "Mitigation Actions",
        "Status",
        "Comments",
    ]
    matched = columns.match(headers, RISKS)
    assert matched.by_field == {
        "reference": "Risk No.",
        "title": "Risk Description",
        "likelihood": "Probability",
        "impact": "Consequence",
        "owner": "Risk Owner",
        "raised_on": "Date Identified",
        "mitigation": "Mitigation Actions",
        "status": "Status",
    }
    assert matched.ignored == ("Comments",)


@pytest.mark.parametrize(
    ("headers", "reference", "title", "impact"),
    [
        (["ID", "Risk", "Likelihood", "Severity"], "ID", "Risk", "Severity"),
        (["Risk ID", "Risk Title", "L", "Impact"], "Risk ID", "Risk Title", "Impact"),
        (["Ref", "Title", "Likelihood", "Impact"], "Ref", "Title", "Impact"),
        (["REF", "DESCRIPTION", "PROBABILITY", "IMPACT"], "REF", "DESCRIPTION", "IMPACT"),
    ],
)
def test_synonyms(headers: list[str], reference: str, title: str, impact: str) -> None:
    matched = columns.match(headers, RISKS)
    assert matched.header("reference") == reference
    assert matched.header("title") == title
    assert matched.header("impact") == impact


def test_description_is_the_title_only_without_a_title_column() -> None:
    matched = columns.match(["Ref", "Description", "Title", "Likelihood", "Impact"], RISKS)
    assert matched.header("title") == "Title"
    assert "Description" in matched.ignored
    matched = columns.match(["Ref", "Risk Description", "Risk", "Likelihood", "Impact"], RISKS)
    assert matched.header("title") == "Risk"


def test_map_overrides_names() -> None:
    headers = ["Ref", "Title", "Description", "Prob.", "Impact", "Notes"]
    mapping = columns.parse_mapping(["description=cause", "Prob.=likelihood", "Notes="])
    matched = columns.match(headers, RISKS, mapping)
    assert matched.header("cause") == "Description"
    assert matched.header("likelihood") == "Prob."
    assert matched.ignored == ()  # Notes is taken, to be left out


def test_map_may_name_a_field_by_its_header_and_may_drop_a_column() -> None:
    matched = columns.match(["Ref", "Title", "Risk"], RISKS, {"Risk": "-", "Ref": "Ref"})
    assert matched.header("title") == "Title"
    assert matched.header("reference") == "Ref"


def test_map_errors_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="no column 'Nope'"):
        columns.match(["Ref", "Title"], RISKS, {"Nope": "title"})
    with pytest.raises(UsageError, match="'colour' is not a field"):
        columns.match(["Ref", "Title"], RISKS, {"Title": "colour"})
    with pytest.raises(UsageError, match="COLUMN=FIELD"):
        columns.parse_mapping(["title"])
