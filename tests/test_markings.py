"""Markings as data: banner colours by level, portion marks, the CUI designation block."""

from __future__ import annotations

import dataclasses

import pytest

from briefgen.build import render_memo
from briefgen.compose import compose, load_audience
from briefgen.compose.markings import add_portion_marks, banner_color, designation_lines, portion_mark
from briefgen.errors import BriefgenError
from briefgen.options import BuildOptions
from briefs import tricky_brief

OPTIONS = BuildOptions(to="Director", from_="Analyst", date="2019-07-01")


@pytest.mark.parametrize(
    ("banner", "colour"),
    [
        ("UNCLASSIFIED", "#007A33"),
        ("CUI", "#5B2C83"),
        ("CONFIDENTIAL", "#0033A0"),
        ("SECRET//NOFORN", "#C8102E"),
        ("TOP SECRET//SCI", "#F58220"),
    ],
)
def test_the_banner_colour_follows_the_level(banner, colour):
    assert banner_color(banner, {}, "#000000") == colour


def test_a_secret_banner_is_red_and_an_audience_may_override_it():
    assert banner_color("secret", {}, "#000000") == "#C8102E"
    assert banner_color("SECRET", {"SECRET": "#AA0000"}, "#000000") == "#AA0000"


def test_an_unknown_marking_keeps_the_styles_colour():
    assert banner_color("OFFICIAL-SENSITIVE", {}, "#123456") == "#123456"


@pytest.mark.parametrize(
    ("banner", "mark"),
    [("UNCLASSIFIED", "(U)"), ("CUI", "(CUI)"), ("SECRET//NOFORN", "(S//NF)"), ("TOP SECRET", "(TS)")],
)
def test_portion_marks_abbreviate_the_level_and_controls(banner, mark):
    assert portion_mark(banner) == mark


def test_portion_marks_start_every_paragraph_bullet_and_note_but_no_heading_or_table():
    markdown = "# Title\n\n| a | b |\n|---|---|\n\nFirst line\ncontinued.\n\n- one\n- two\n\n[^n1]: ¶1: “x”"
    marked = add_portion_marks(markdown, "(U)").splitlines()
    assert marked[0] == "# Title" and marked[2] == "| a | b |"
    assert "(U) First line" in marked and "continued." in marked
    assert "- (U) one" in marked and "- (U) two" in marked and "[^n1]: (U) ¶1: “x”" in marked


def test_an_audience_with_portion_marks_marks_the_memo():
    audience = load_audience("memo")
    audience = dataclasses.replace(
        audience, settings=audience.settings.model_copy(update={"portion_marks": True})
    )
    markdown = compose(tricky_brief(), audience, OPTIONS.model_copy(update={"classification": "SECRET"}))
    points = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert points and all(line.startswith("- (S) ") for line in points)


def test_a_cui_memo_without_a_designation_setting_is_refused_with_one_line():
    with pytest.raises(BriefgenError) as err:
        designation_lines("CUI", {"controlled_by": "Office"}, "memo")
    message = str(err.value)
    assert "\n" not in message and "category, dissemination, poc" in message and "[designation]" in message


def test_a_cui_memo_with_its_designation_block_renders_it(monkeypatch):
    audience = load_audience(
        "brief-note", __import__("pathlib").Path(__file__).parent / "fixtures/templates/custom"
    )
    from briefgen import build

    seen = {}
    real = build._style_and_info

    def spy(*args):
        style, info = real(*args)
        seen["style"] = style
        return style, info

    monkeypatch.setattr(build, "_style_and_info", spy)
    render_memo(tricky_brief(), audience, "pdf", OPTIONS)
    style = seen["style"]
    assert style.banner == "CUI" and style.banner_color == "#5B2C83"
    assert style.designation[0] == "Controlled by: Office of Policy Planning"
    assert style.designation[-1].startswith("POC: ")
