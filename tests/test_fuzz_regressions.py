"""Cases the random fuzz run (`make fuzz`) found, kept as fixed regression tests."""

from __future__ import annotations

from pathlib import Path

from briefgen.pipeline import extract

ROOT = Path(__file__).resolve().parents[1]


def test_an_entity_left_with_no_word_after_its_stray_bytes_are_cut_is_no_actor(tmp_path):
    # A NUL and a lone continuation byte inside a state's name (found by `make fuzz N=600`): the
    # entity the model tags shrinks to nothing once control characters and punctuation go, and the
    # actor finder used to index its first word (IndexError, exit 3).
    data = (ROOT / "sources" / "north-korean-security.txt").read_bytes()
    broken = data.replace("Democratic People\u2019s".encode(), b"Democratic People\x00\x80\x99s", 1)
    assert broken != data
    source = tmp_path / "mutated.txt"
    source.write_bytes(broken)
    brief = extract(source)
    assert brief.actors  # the rest of the article still gives its actors
    assert all(actor.name.strip() for actor in brief.actors)
