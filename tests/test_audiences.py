"""Audiences: built-ins, custom folders that add and override, audience.toml schema, init, check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.compose import builtin_dir, check_templates, init_audience, list_audiences, load_audience
from briefgen.errors import BriefgenError, TemplateError

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
CUSTOM = FIXTURES / "custom"
BROKEN = FIXTURES / "broken"
BUILT_INS = {"principal", "memo", "talking-points", "background"}


def test_built_in_audiences_are_listed_with_descriptions():
    found = {a.name: a for a in list_audiences(None)}
    assert set(found) >= BUILT_INS
    assert all(found[name].description for name in BUILT_INS)


def test_principal_is_limited_to_one_page():
    principal = load_audience("principal")
    assert principal.page_limit == 1
    assert principal.style.page_limit == 1


def test_style_comes_from_audience_toml():
    talking = load_audience("talking-points")
    assert talking.style.body_font == "sans"
    assert talking.style.accent_color == "#7F1F1F"


def test_unknown_audience_names_the_known_ones():
    with pytest.raises(BriefgenError) as err:
        load_audience("no-such-audience")
    assert "memo" in str(err.value) and "principal" in str(err.value)


def test_custom_folder_adds_audiences():
    names = {a.name for a in list_audiences(CUSTOM)}
    assert {"desk-note", "brief-note"} <= names
    assert names >= BUILT_INS


def test_custom_override_wins_and_extends_the_built_in():
    memo = load_audience("memo", CUSTOM)
    assert memo.label == "Desk memo (custom)"
    assert memo.style.accent_color == "#8B0000"
    # Settings it does not set come from the built-in memo it extends.
    assert memo.key_points == load_audience("memo").key_points
    assert memo.chain[0] == CUSTOM / "memo"
    assert len(memo.chain) == 2


def test_audience_without_template_inherits_its_parents():
    note = load_audience("brief-note", CUSTOM)
    principal = load_audience("principal")
    assert note.template_text == principal.template_text
    assert note.page_limit == 1
    assert note.style.page_size == "a4"
    assert note.classification == "CUI"
    assert note.key_points == 4


def test_fingerprint_changes_when_an_extended_file_changes(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(CUSTOM, folder)
    before = load_audience("memo", folder).fingerprint
    assert before == load_audience("memo", folder).fingerprint
    (folder / "memo" / "memo.md.j2").write_text('{% extends "parent:memo.md.j2" %}\n', encoding="utf-8")
    assert load_audience("memo", folder).fingerprint != before


def test_fingerprint_differs_between_audiences():
    assert load_audience("memo").fingerprint != load_audience("principal").fingerprint


def test_bad_toml_in_a_used_audience_is_a_template_error():
    with pytest.raises(TemplateError) as err:
        load_audience("unknownkey", BROKEN)
    assert "audience.toml: colour: unknown key" in str(err.value)


def test_init_copies_an_audience_that_then_checks_clean(tmp_path):
    folder = init_audience("my-memo", from_audience="memo", directory=tmp_path / "templates")
    assert (folder / "memo.md.j2").read_text(encoding="utf-8") == load_audience("memo").template_text
    assert (folder / "audience.toml").is_file()
    assert check_templates(tmp_path / "templates") == []
    assert load_audience("my-memo", tmp_path / "templates").label == load_audience("memo").label


def test_init_writes_out_an_inherited_template(tmp_path):
    shutil.copytree(CUSTOM, tmp_path / "t")
    folder = init_audience("note-copy", from_audience="brief-note", directory=tmp_path / "t")
    assert (folder / "memo.md.j2").read_text(encoding="utf-8") == load_audience("principal").template_text


def test_init_refuses_to_overwrite(tmp_path):
    init_audience("mine", from_audience="principal", directory=tmp_path)
    with pytest.raises(BriefgenError, match="already exists"):
        init_audience("mine", from_audience="principal", directory=tmp_path)


def test_init_refuses_a_bad_name(tmp_path):
    with pytest.raises(BriefgenError, match="not a valid audience name"):
        init_audience("../escape", from_audience="memo", directory=tmp_path)


def test_check_passes_the_custom_fixtures():
    assert check_templates(CUSTOM) == []


def test_check_reports_every_problem_at_once():
    problems = check_templates(BROKEN)
    text = "\n".join(problems)
    assert "badtoml/audience.toml: invalid TOML" in text
    assert "unknownkey/audience.toml: colour: unknown key" in text
    assert "unknownkey/audience.toml: key_points: must be a whole number" in text
    assert "unknownkey/audience.toml: style.body_size: must be a size" in text
    assert "unknownkey/audience.toml: style.font: unknown key" in text
    assert "notemplate: missing memo.md.j2" in text
    assert "badsyntax/memo.md.j2:" in text and "syntax error" in text
    assert "orphan/audience.toml: extends: unknown audience 'no-such-audience'" in text
    assert "cycle" in text
    assert len(problems) >= 9


def test_check_catches_an_undefined_variable_with_its_line():
    problems = check_templates(FIXTURES / "hostile")
    assert any("undefined/memo.md.j2:5" in p and "no_such_variable" in p for p in problems)


def test_check_catches_a_sandbox_escape_with_its_line():
    problems = check_templates(FIXTURES / "hostile")
    assert any("escape/memo.md.j2:4" in p and "sandbox" in p for p in problems)


def test_check_of_a_missing_folder_is_one_problem(tmp_path):
    assert check_templates(tmp_path / "nope") == [f"{tmp_path / 'nope'}: templates folder not found"]


def test_built_in_templates_check_clean():
    assert check_templates(builtin_dir()) == []


def test_check_reports_a_broken_template_beside_a_broken_audience_toml(tmp_path):
    folder = tmp_path / "broken_twice"
    folder.mkdir()
    (folder / "audience.toml").write_text("label = 3\n", encoding="utf-8")
    (folder / "memo.md.j2").write_text("# Title\n\n{% if %}\n", encoding="utf-8")
    problems = check_templates(tmp_path)
    assert any("audience.toml: label" in p for p in problems)
    assert any(p.startswith(f"{folder / 'memo.md.j2'}:3: syntax error") for p in problems)


def test_every_audience_toml_problem_is_reported_at_once_with_its_file_and_key(tmp_path):
    folder = tmp_path / "wrong"
    folder.mkdir()
    (folder / "audience.toml").write_text(
        'citations = "sidenotes"\nportion_marks = "yes"\nitem_chars = 5\n'
        '[designation]\nowner = "x"\n[banner_colors]\nSECRET = "red"\n[style]\nnotes = "margin"\n',
        encoding="utf-8",
    )
    (folder / "memo.md.j2").write_text("# x\n", encoding="utf-8")
    text = "\n".join(check_templates(tmp_path))
    where = f"{folder / 'audience.toml'}"
    assert f'{where}: citations: must be "footnotes", "inline", "annex" or "none"' in text
    assert f"{where}: portion_marks: must be true or false" in text
    assert f"{where}: item_chars: must be a whole number of characters" in text
    assert f"{where}: designation.owner: unknown key" in text
    assert f"{where}: banner_colors.SECRET: must be a colour" in text
    assert f'{where}: style.notes: must be "footnotes" or "endnotes"' in text


def test_settings_not_given_take_their_one_default():
    from briefgen.compose.settings import AudienceSettings
    from briefgen.render.style import Style

    memo = load_audience("memo")
    assert memo.settings.citations == "footnotes" and memo.settings.portion_marks is False
    assert AudienceSettings().key_points == memo.key_points
    assert load_audience("background").style.line_spacing == Style().line_spacing  # not set: Style's own


def test_principal_cites_in_an_annex_and_talking_points_inline():
    assert load_audience("principal").settings.citations == "annex"
    assert load_audience("talking-points").settings.citations == "inline"
    assert load_audience("background").settings.citations == "footnotes"
