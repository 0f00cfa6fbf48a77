"""The build options, declared once: the schema of every setting that shapes a memo.

`briefgen build` turns its flags into a `BuildOptions`; a batch manifest's `[defaults]` and `[[job]]`
tables are validated against the same model (`batch.manifest.JobTable` extends it with the keys only
a manifest has). pydantic (v2) does the checking, so a manifest gets every problem at once with the
key it is under. The default values and bounds themselves are plain constants in `defaults`, which
this model and the CLI's flags both read (so `briefgen --help` need not import pydantic).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from .defaults import (
    DEFAULT_AUDIENCES,
    DEFAULT_FORMATS,
    DEFAULT_OUT,
    FORMATS,
    KEY_POINTS_DEFAULT,
    KEY_POINTS_RANGE,
    MAX_BYTES,
    MAX_CHARS,
    TIMEOUT,
    Format,
)

__all__ = [
    "DEFAULT_AUDIENCES",
    "DEFAULT_FORMATS",
    "FORMATS",
    "KEY_POINTS_DEFAULT",
    "KEY_POINTS_RANGE",
    "MAX_BYTES",
    "MAX_CHARS",
    "TIMEOUT",
    "BuildOptions",
    "Names",
]


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
    out_dir: Path = Field(Path(DEFAULT_OUT), alias="out")
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
