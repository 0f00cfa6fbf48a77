"""Templates are bounded: time, size and nesting limits, and no file read from outside their folder.

Each test is named after a case a red-team pass found (issue 13).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.compose import check_templates, compose, limits, load_audience
from briefgen.errors import TemplateError
from briefgen.options import BuildOptions
from briefs import tricky_brief

OPTIONS = BuildOptions(date="2019-07-01")


def audience_with(tmp_path: Path, template: str, name: str = "hostile"):
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "memo.md.j2").write_text(template, encoding="utf-8")
    return load_audience(name, tmp_path)


def test_nested_range_loops_stop_at_the_render_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_RENDER_SECONDS", 0.5)  # the real limit, shortened for the test
    audience = audience_with(
        tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    with pytest.raises(
        TemplateError, match=r"hostile/memo\.md\.j2: render time \(seconds\) exceeds the limit"
    ):
        compose(tricky_brief(), audience, OPTIONS)


def test_string_doubling_is_refused_before_it_exhausts_memory(tmp_path):
    template = (
        '{% set ns = namespace(s="ab") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}'
    )
    audience = audience_with(tmp_path, template + "{{ ns.s | length }}")
    with pytest.raises(TemplateError, match=r"output size \(characters\) exceeds the limit"):
        compose(tricky_brief(), audience, OPTIONS)


def test_string_multiplication_is_refused_before_it_is_built(tmp_path):
    audience = audience_with(tmp_path, '{{ "x" * 10000000000 }}')
    with pytest.raises(TemplateError, match="exceeds the limit"):
        compose(tricky_brief(), audience, OPTIONS)


def test_a_huge_filter_width_is_refused(tmp_path):
    audience = audience_with(tmp_path, '{{ "x" | center(3000000000) }}')
    with pytest.raises(TemplateError, match="exceeds the limit"):
        compose(tricky_brief(), audience, OPTIONS)


def test_a_one_megabyte_paragraph_is_refused_before_rendering(tmp_path):
    audience = audience_with(tmp_path, "{% for i in range(30000) %}word {% endfor %}")
    with pytest.raises(TemplateError, match=r"a paragraph of over \d+ characters exceeds the limit"):
        compose(tricky_brief(), audience, OPTIONS)


def test_forty_thousand_blocks_are_refused_before_rendering(tmp_path):
    audience = audience_with(tmp_path, "{% for i in range(40000) %}\n- {{ i }}\n{% endfor %}")
    with pytest.raises(TemplateError, match="lines of output exceed the limit"):
        compose(tricky_brief(), audience, OPTIONS)


def test_a_three_thousand_level_nested_list_is_refused_by_its_depth(tmp_path):
    audience = audience_with(tmp_path, "{% for i in range(3000) %}- {% endfor %}x")
    with pytest.raises(TemplateError, match="nested deeper than"):
        compose(tricky_brief(), audience, OPTIONS)


def test_five_thousand_quote_levels_are_refused_by_their_depth(tmp_path):
    audience = audience_with(tmp_path, "{{ '> ' * 5000 }}deep")
    with pytest.raises(TemplateError, match="nested deeper than"):
        compose(tricky_brief(), audience, OPTIONS)


def test_a_linked_template_outside_the_folder_is_not_included(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT", encoding="utf-8")
    os.symlink(secret, folder / "passwd.j2")
    audience = audience_with(tmp_path, '# Title\n\n{% include "passwd.j2" %}\n')
    with pytest.raises(TemplateError, match="template not found") as err:
        compose(tricky_brief(), audience, OPTIONS)
    assert "TOP SECRET CONTENT" not in str(err.value)


def test_a_memo_template_that_is_itself_a_link_is_refused(tmp_path):
    folder = tmp_path / "linked"
    folder.mkdir()
    outside = tmp_path / "elsewhere.j2"
    outside.write_text("# stolen\n", encoding="utf-8")
    os.symlink(outside, folder / "memo.md.j2")
    with pytest.raises(TemplateError, match="a link to a file outside its audience folder is refused"):
        load_audience("linked", tmp_path)
    assert any("outside its audience folder" in p for p in check_templates(tmp_path))


def test_a_link_inside_the_folder_still_works(tmp_path):
    folder = tmp_path / "ok"
    folder.mkdir()
    (folder / "body.md.j2").write_text("# Fine {{ memo.source.title }}\n", encoding="utf-8")
    os.symlink(folder / "body.md.j2", folder / "memo.md.j2")
    assert "# Fine" in compose(tricky_brief(), load_audience("ok", tmp_path), OPTIONS)


def test_templates_are_compiled_once_and_an_edit_is_seen(tmp_path):
    from briefgen.compose.loader import template_for

    audience = audience_with(tmp_path, "# One {{ memo.source.title }}\n", name="edited")
    assert template_for(audience) is template_for(load_audience("edited", tmp_path))
    (tmp_path / "edited" / "memo.md.j2").write_text("# Two {{ memo.source.title }}\n", encoding="utf-8")
    assert compose(tricky_brief(), load_audience("edited", tmp_path), OPTIONS).startswith("# Two")


def test_a_long_list_of_ordinary_items_is_not_one_long_paragraph(tmp_path):
    audience = audience_with(tmp_path, "{% for i in range(400) %}- " + "item text " * 20 + "\n{% endfor %}")
    assert compose(tricky_brief(), audience, OPTIONS).count("\n- ") >= 399


def test_many_footnote_definitions_line_after_line_are_not_one_long_paragraph():
    # A long report's memo lists hundreds of notes one per line: each is its own block, so only a
    # single note over the limit is refused (the background paper of a 120-page GAO report was).
    from briefgen.compose.compose import check_markdown

    notes = "\n".join(
        f"[^n{i}]: ¶{i}: “" + "A sentence of the source, quoted. " * 10 + "”" for i in range(300)
    )
    check_markdown("Text.[^n1]\n\n" + notes, "memo.md.j2")  # 300 x 350 characters: no error
    with pytest.raises(TemplateError, match="a paragraph of over"):
        check_markdown("[^n1]: " + "word " * (limits.MAX_PARAGRAPH_CHARS // 5 + 1), "memo.md.j2")
