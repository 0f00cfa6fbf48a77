"""The build options, declared once: every default, bound and type lives here.

`briefgen build` turns its flags into a `BuildOptions`; a batch manifest's `[defaults]` and `[[job]]`
tables are validated against the same model (`batch.manifest.JobTable` extends it with the keys only
a manifest has), and the CLI takes its defaults and bounds from here. pydantic (v2) does the
checking, so a manifest gets every problem at once with the key it is under.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

FORMATS = ("docx", "pdf")
Format = Literal["docx", "pdf"]
DEFAULT_AUDIENCES = ("memo",)
DEFAULT_FORMATS: tuple[Format, ...] = ("docx", "pdf")

KEY_POINTS_DEFAULT = 6  # what an analysis selects when neither the audience nor the user says
KEY_POINTS_RANGE = (1, 50)
# A source larger than this is refused before it is read: no policy document is 50 MB of text,
# and a reader given one would hold several copies of it in memory.
MAX_BYTES = 50_000_000
# The analysis keeps a parse of every sentence (about 1 GB of memory per MB of text) and runs in
# time linear in the text. Two million characters (some 300,000 words, longer than any report)
# bounds both; a longer text is refused before the slow part starts.
MAX_CHARS = 2_000_000
# Wall-clock seconds one source may take (read, analyse, render every memo of it). A 300-page
# report takes about a minute on one core; ten minutes leaves room for a slow machine while
# still ending a source that would never finish.
TIMEOUT = 600.0


def _one_or_many(value: Any) -> Any:
    """A lone string where a list is expected is a list of one (`audiences = "memo"`)."""
    return [value] if isinstance(value, str) else value


def _iso_date(value: Any) -> Any:
    """A TOML date or a 'YYYY-MM-DD' string -> 'YYYY-MM-DD'."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date like 2026-01-31, without a time")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"must be a date like 2026-01-31, not {value!r}") from None
    return value


def _unique(value: Any) -> Any:
    return tuple(dict.fromkeys(value)) if isinstance(value, (list, tuple)) else value


Names = Annotated[
    tuple[StrictStr, ...], BeforeValidator(_unique), BeforeValidator(_one_or_many), Field(min_length=1)
]
Formats = Annotated[
    tuple[Format, ...], BeforeValidator(_unique), BeforeValidator(_one_or_many), Field(min_length=1)
]
IsoDate = Annotated[str, BeforeValidator(_iso_date)]


def _seconds(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number of seconds")
    return float(value)


Seconds = Annotated[float, BeforeValidator(_seconds)]


class BuildOptions(BaseModel):
    """What shapes a memo besides its source and template. Frozen and hashable: workers group
    memos by their options, and the cache key digests them."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True)

    audiences: Names = DEFAULT_AUDIENCES
    formats: Formats = DEFAULT_FORMATS
    out_dir: Path = Field(Path("out"), alias="out")
    templates_dir: Path | None = Field(None, alias="templates")
    classification: StrictStr | None = None
    to: StrictStr | None = None
    from_: StrictStr | None = Field(None, alias="from")
    perspective: StrictStr | None = None  # whose memo it is ("United States"); None -> the audience's
    date: IsoDate | None = (
        None  # YYYY-MM-DD memo date; None -> dates.memo_date() (SOURCE_DATE_EPOCH or today)
    )
    key_points: StrictInt | None = Field(
        None, ge=KEY_POINTS_RANGE[0], le=KEY_POINTS_RANGE[1]
    )  # None -> audience's
    max_bytes: StrictInt = Field(MAX_BYTES, ge=1)
    max_chars: StrictInt = Field(MAX_CHARS, ge=1)
    timeout: Seconds = Field(TIMEOUT, gt=0)  # seconds per source

    def memo_key(self) -> dict[str, Any]:
        """What of these options changes a memo's bytes (for the batch cache key): not where it goes,
        not the limits, which only decide whether it is built at all."""
        return self.model_dump(
            mode="json",
            exclude={"out_dir", "templates_dir", "max_bytes", "max_chars", "timeout", "audiences", "formats"},
        )


DEFAULTS = BuildOptions()
