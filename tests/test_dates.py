"""One memo date for build and batch: UTC, strict SOURCE_DATE_EPOCH, the same under any TZ."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest

from briefgen.dates import MONTH_NAMES, MONTHS, memo_date, month_name, month_number
from briefgen.errors import SettingError


def test_an_explicit_date_wins_over_source_date_epoch():
    assert memo_date("2019-07-01", environ={"SOURCE_DATE_EPOCH": "0"}) == "2019-07-01"


def test_source_date_epoch_is_read_in_utc():
    # 2026-12-01T23:30:00Z: already 2 December east of UTC, still 1 December in UTC.
    assert memo_date(environ={"SOURCE_DATE_EPOCH": "1796167800"}) == "2026-12-01"


@pytest.mark.parametrize("value", ["abc", "12.5", "-1", " 12", "1_000", "1e9", "99999999999999999"])
def test_a_malformed_source_date_epoch_is_a_setting_error_naming_it(value):
    with pytest.raises(SettingError) as caught:
        memo_date(environ={"SOURCE_DATE_EPOCH": value})
    assert caught.value.name == "SOURCE_DATE_EPOCH"
    assert "SOURCE_DATE_EPOCH" in str(caught.value) and "\n" not in str(caught.value)


def test_an_empty_source_date_epoch_counts_as_unset():
    assert memo_date(environ={"SOURCE_DATE_EPOCH": ""}) == dt.datetime.now(dt.UTC).date().isoformat()


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")
@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
def test_today_is_the_utc_date_under_any_timezone(tz):
    code = "from briefgen.dates import memo_date; print(memo_date(environ={}))"
    env = {**os.environ, "TZ": tz}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == dt.datetime.now(dt.UTC).date().isoformat()


def test_every_spelling_of_a_month_maps_to_one_number():
    assert month_number("Sept") == month_number("SEPTEMBER") == month_number("sep") == 9
    assert set(MONTHS.values()) == set(range(1, 13))
    assert month_name(6) == "June" and len(MONTH_NAMES) == 12
    with pytest.raises(ValueError):
        month_name(13)


@pytest.mark.parametrize("command", ["build", "batch"])
def test_build_and_batch_refuse_a_malformed_source_date_epoch_in_one_line(tmp_path, command):
    from click.testing import CliRunner

    from briefgen.cli import main

    source = tmp_path / "note.txt"
    source.write_text("The council approved the plan on Monday. It takes effect next year.\n")
    manifest = tmp_path / "briefgen.toml"
    manifest.write_text('[[job]]\nsources = ["note.txt"]\nout = "out"\n')
    target = str(manifest) if command == "batch" else str(source)
    args = [command, target] + (["-o", str(tmp_path / "out")] if command == "build" else [])
    result = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": "abc"})
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "SOURCE_DATE_EPOCH" in lines[0]
    assert not (tmp_path / "out" / "note").exists()  # refused before anything was built
