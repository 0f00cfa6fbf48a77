"""`briefgen extract`: JSON out, and one clear line with exit code 2 for every bad input."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "readers"
SEED = ROOT / "sources" / "north-korean-security.txt"


def run(*args):
    return CliRunner().invoke(main, ["extract", *map(str, args)])


def _assert_one_line_error(result, path):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert lines[0].startswith("briefgen: error: ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "name",
    [
        "empty.txt",
        "binary_junk.txt",
        "fake_not_a_zip.docx",
        "truncated.pdf",
        "encrypted.pdf",
        "no_article_text.html",
        "entity_bomb.docx",
        "zip_bomb.docx",
    ],
)
def test_bad_source_gets_one_line_and_exit_2(name):
    path = FIXTURES / name
    _assert_one_line_error(run(path), path)


def test_missing_path(tmp_path):
    path = tmp_path / "nowhere.txt"
    result = run(path)
    _assert_one_line_error(result, path)
    assert "no such file" in result.stderr


def test_folder(tmp_path):
    result = run(tmp_path)
    _assert_one_line_error(result, tmp_path)
    assert "folder" in result.stderr


def test_over_the_size_limit_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(
        "A Title\n\n" + "The delegations met again and agreed on nothing at all. " * 20000, encoding="utf-8"
    )
    result = run(path, "--max-bytes", 100_000)
    _assert_one_line_error(result, path)
    assert "size limit" in result.stderr and "--max-bytes" in result.stderr


def test_control_characters_are_not_fatal():
    result = run(FIXTURES / "control_characters.txt")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["meta"]["title"] == "A title with a bell"


def test_one_source_prints_one_json_object():
    result = run(SEED)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "briefgen.brief/1"
    assert data["source"]["format"] == "txt"
    assert data["meta"]["title"] == "North Korean Security: What Role for China?"
    assert data["paragraphs"][0] == {
        "id": "p1",
        "heading": None,
        "page": None,
        "text": "It has been 14 years since the last time a Chinese head of state visited the DPRK.",
    }


def test_several_sources_print_json_lines_in_argument_order():
    sources = [FIXTURES / "same_article.md", SEED, FIXTURES / "same_article.pdf"]
    result = run(*sources)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["source"]["path"] for line in lines] == [str(s) for s in sources]


def test_a_bad_source_among_good_ones_still_prints_the_good_ones():
    bad = FIXTURES / "empty.txt"
    result = run(SEED, bad, FIXTURES / "same_article.md")
    assert result.exit_code == 2
    assert len(result.stdout.strip().splitlines()) == 2
    assert str(bad) in result.stderr


def test_text_over_the_analysis_limit_is_refused_with_one_line(tmp_path):
    from click.testing import CliRunner

    from briefgen.cli import main

    source = tmp_path / "long_report.txt"
    source.write_text(
        "A Long Report\n\n"
        + "\n\n".join(
            f"In round {i} of the talks, China again urged the DPRK and the US to resume dialogue."
            for i in range(200)
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(source), "--max-chars", "1000"])
    assert result.exit_code == 2
    assert "long_report.txt" in result.stderr and "analysis limit of 1,000" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_library_error_inside_a_reader_is_that_sources_error_and_the_next_source_runs(
    tmp_path, monkeypatch
):
    import zlib

    import briefgen.readers as readers

    real = readers.read_source

    def flaky(path, **kwargs):
        if Path(path).name.startswith("a-"):
            raise zlib.error("Error -3 while decompressing data: invalid stored block lengths")
        return real(path, **kwargs)

    monkeypatch.setattr(readers, "read_source", flaky)
    bad = tmp_path / "a-damaged.docx"
    bad.write_bytes(b"PK\x03\x04 damaged")
    result = run(bad, SEED)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"briefgen: error: {bad}: cannot read this file (error: Error -3")
    assert "internal error" not in line
    assert json.loads(result.stdout)["source"]["path"] == str(SEED)


def test_a_source_over_the_byte_limit_names_the_flag_that_raises_it(tmp_path):
    source = tmp_path / "big.txt"
    source.write_text("word " * 100)
    result = run(source, "--max-bytes", "100")
    _assert_one_line_error(result, source)
    assert "over the size limit of 100 bytes (raise it with --max-bytes)" in result.stderr
