"""describe(): one phrasing of pydantic's errors for both settings schemas, one problem per key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from briefgen.batch.manifest import JobTable
from briefgen.compose.settings import AudienceSettings
from briefgen.config_errors import describe


def problems(model, data) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return dict(describe(caught.value, model))


def test_both_schemas_name_an_unknown_key_and_list_the_known_ones_the_same_way():
    for model in (JobTable, AudienceSettings):
        found = problems(model, {"colour": 1})
        assert found["colour"].startswith("unknown key (expected one of: ")
        assert "key_points" in found["colour"]


def test_a_nested_table_key_is_dotted_and_phrased_by_its_description():
    found = problems(AudienceSettings, {"style": {"body_size": 900, "font": "x"}})
    assert found["style.body_size"] == "must be a size in points (4-72)"
    assert found["style.font"].startswith("unknown key (expected one of: accent_color")


def test_a_field_without_description_is_phrased_by_the_kind_of_problem_and_its_value():
    found = problems(JobTable, {"key_points": 999, "to": ["x"], "audiences": 5})
    assert found == {
        "key_points": "999 is out of range (1..50)",
        "to": "must be a string, not a list",
        "audiences": "must be a list of strings, not a number",
    }
