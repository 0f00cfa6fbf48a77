from briefgen.model import (
    Actor,
    Author,
    Brief,
    Cite,
    Event,
    Framework,
    KeyPoint,
    Meta,
    Paragraph,
    Position,
    Question,
    Sentence,
    Source,
)


def _brief() -> Brief:
    cite = Cite(paragraph="p1", sentence="p1.s1")
    return Brief(
        source=Source(path="a.txt", format="txt", sha256="0" * 64),
        meta=Meta(title="T", authors=(Author(name="A", affiliation="U"),), date="2019-06-28"),
        paragraphs=(Paragraph(id="p1", text="China supports talks.", heading=None),),
        sentences=(Sentence(id="p1.s1", paragraph="p1", text="China supports talks.", start=0, end=21),),
        key_points=(KeyPoint(text="China supports talks.", score=1.0, cite=cite),),
        actors=(
            Actor(
                id="china",
                name="China",
                kind="state",
                aliases=("Beijing",),
                mentions=2,
                positions=(Position(text="China supports talks.", cite=cite),),
            ),
        ),
        frameworks=(Framework(term="talks", mentions=1, cite=cite, attributed_to="china"),),
        open_questions=(Question(text="Will talks resume?", kind="uncertainty", cite=cite),),
        events=(Event(date="2019-06", text="talks", cite=cite),),
    )


def test_json_round_trip_keeps_every_field():
    brief = _brief()
    assert Brief.from_json(brief.to_json()) == brief


def test_json_has_the_contract_keys():
    data = _brief().to_json()
    assert data["schema"] == "briefgen.brief/1"
    assert set(data) >= {
        "source",
        "meta",
        "paragraphs",
        "key_points",
        "actors",
        "frameworks",
        "open_questions",
        "events",
    }
    assert data["meta"]["authors"] == [{"name": "A", "affiliation": "U"}]
    assert data["actors"][0]["positions"][0]["cite"] == {"paragraph": "p1", "sentence": "p1.s1"}


def test_brief_is_frozen():
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        _brief().meta.title = "x"  # type: ignore[misc]
