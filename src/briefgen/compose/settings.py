"""The declared schema of `audience.toml`: every key, its type, its range and its default, once.

pydantic checks one file's table and reports every problem at once; each message names the file and
the key. Style defaults stay in `render/style.py` (the `[style]` keys here default to "not set"), so
no default is written twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..config_errors import describe

DEFAULT_KEY_POINTS = 6

Text = Annotated[str, StringConstraints(strict=True, min_length=1, pattern=r"\S")]
Color = Annotated[str, StringConstraints(strict=True, pattern=r"^#[0-9A-Fa-f]{6}$")]
Inches = Annotated[float, Field(ge=0, le=3)]
Points = Annotated[float, Field(ge=4, le=72)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class StyleSettings(_Table):
    """`[style]`: the look; a key left out keeps the renderer's default (render/style.py)."""

    page_size: Literal["letter", "a4"] | None = Field(None, description='"letter" or "a4"')
    margins_in: Inches | Annotated[list[Inches], Field(min_length=4, max_length=4)] | None = Field(
        None, description="inches (0-3): one number or [top, right, bottom, left]"
    )
    body_font: Text | None = Field(None, description="a non-empty string")
    heading_font: Text | None = Field(None, description="a non-empty string")
    body_size: Points | None = Field(None, description="a size in points (4-72)")
    title_size: Points | None = Field(None, description="a size in points (4-72)")
    heading_sizes: Annotated[list[Points], Field(min_length=3, max_length=3)] | None = Field(
        None, description="three sizes in points, e.g. [15, 12.5, 11]"
    )
    line_spacing: Annotated[float, Field(ge=0.8, le=3)] | None = Field(
        None, description="a number from 0.8 to 3"
    )
    accent_color: Color | None = Field(None, description='a colour like "#1F3864"')
    text_color: Color | None = Field(None, description='a colour like "#1F3864"')
    footer_text: Text | None = Field(None, description="a non-empty string")
    notes: Literal["footnotes", "endnotes"] | None = Field(None, description='"footnotes" or "endnotes"')

    def style_values(self) -> dict[str, Any]:
        """The keys that were set, in the types `Style` holds (tuples, floats)."""
        values = self.model_dump(exclude_none=True)
        margins = values.get("margins_in")
        if margins is not None:
            values["margins_in"] = (
                tuple(float(m) for m in margins) if isinstance(margins, list) else (float(margins),) * 4
            )
        if "heading_sizes" in values:
            values["heading_sizes"] = tuple(float(s) for s in values["heading_sizes"])
        return values


class DesignationSettings(_Table):
    """`[designation]`: the lines of a CUI designation block (which are required: markings.toml)."""

    controlled_by: Text | None = Field(None, description="a non-empty string")
    category: Text | None = Field(None, description="a non-empty string")
    dissemination: Text | None = Field(None, description="a non-empty string")
    poc: Text | None = Field(None, description="a non-empty string")


class AudienceSettings(_Table):
    """One audience.toml (or the merged settings of an audience and those it extends)."""

    label: Text | None = Field(None, description="a non-empty string")
    description: str = Field("", description="a string")
    extends: Text | None = Field(None, description="a non-empty string (an audience name)")
    page_limit: Annotated[int, Field(ge=1, le=100)] | None = Field(
        None, description="a whole number of pages (1-100)"
    )
    key_points: Annotated[int, Field(ge=1, le=50)] = Field(
        DEFAULT_KEY_POINTS, description="a whole number from 1 to 50"
    )
    # Each point, position and answer in at most this many characters (the longest faithful
    # shortening that fits, see model.Sentence.shorter); not set: whole sentences.
    item_chars: Annotated[int, Field(ge=40, le=2000)] | None = Field(
        None, description="a whole number of characters from 40 to 2000"
    )
    # How many answered and how many open questions the memo lists, in the analysis's order (not
    # set: all the view offers); the memo's one leading question is chosen before the cut.
    answered_questions: Annotated[int, Field(ge=1, le=50)] | None = Field(
        None, description="a whole number from 1 to 50"
    )
    open_questions: Annotated[int, Field(ge=1, le=50)] | None = Field(
        None, description="a whole number from 1 to 50"
    )
    classification: Text | None = Field(None, description="a non-empty string")
    to: Text | None = Field(None, description="a non-empty string")
    from_: Text | None = Field(None, alias="from", description="a non-empty string")
    author: Text | None = Field(None, description="a non-empty string (the DOCX and PDF author)")
    perspective: Text | None = Field(
        None, description='a non-empty string (whose memo it is, e.g. "United States")'
    )
    citations: Literal["footnotes", "inline", "annex", "none"] = Field(
        "footnotes", description='"footnotes", "inline", "annex" or "none"'
    )
    portion_marks: bool = Field(False, description="true or false")
    banner_colors: dict[Text, Annotated[Color, Field(description='a colour like "#C8102E"')]] = Field(
        default_factory=dict, description='a table of level = colour, e.g. SECRET = "#C8102E"'
    )
    designation: DesignationSettings = Field(default_factory=DesignationSettings, description="a table")
    style: StyleSettings = Field(default_factory=StyleSettings, description="a table ([style])")


def problems_of(path: Path, data: dict[str, Any]) -> list[str]:
    """Every problem in one parsed audience.toml, each naming the file and the key."""
    try:
        AudienceSettings.model_validate(data)
    except ValidationError as err:
        return [f"{path}: {key}: {message}" for key, message in describe(err, AudienceSettings)]
    return []


def merged(tables: list[dict[str, Any]]) -> AudienceSettings:
    """Settings along an `extends` chain, farthest first: the nearest wins, tables merge key by key.

    Each table has been checked on its own (problems_of), so this only applies the defaults.
    """
    values: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {"style": {}, "designation": {}, "banner_colors": {}}
    for table in tables:
        for key, value in table.items():
            if key in nested and isinstance(value, dict):
                nested[key].update(value)
            elif key != "extends":
                values[key] = value
    return AudienceSettings.model_validate({**values, **nested})
