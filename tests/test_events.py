"""Events: dated, in order, partial dates resolved against the piece's own date."""

from briefgen.analysis.events import find_events
from scenarios import parsed_scenario


def events(name: str):
    parsed = parsed_scenario(name)
    return find_events(parsed), {s.id: s for s in parsed.sentences}


def dates_of(found, by_id, words: str) -> list[str]:
    return [e.date for e in found if words in by_id[e.cite.sentence].text]


def test_this_month_resolves_to_the_document_year():
    found, by_id = events("events_relative_dates.txt")
    assert dates_of(found, by_id, "this February") == ["2019-02"]


def test_month_and_day_take_the_document_year():
    found, by_id = events("events_relative_dates.txt")
    assert dates_of(found, by_id, "June 11") == ["2019-06-11"]


def test_ordinal_day_is_read():
    found, by_id = events("events_relative_dates.txt")
    assert dates_of(found, by_id, "June 20th") == ["2019-06-20"]


def test_month_and_year_give_a_month():
    found, by_id = events("events_relative_dates.txt")
    assert dates_of(found, by_id, "June 2018") == ["2018-06", "2019-02"]


def test_year_alone_gives_a_year():
    found, by_id = events("events_relative_dates.txt")
    assert dates_of(found, by_id, "Three visits") == ["2018"]


def test_duration_is_not_an_event():
    found, by_id = events("events_relative_dates.txt")
    assert dates_of(found, by_id, "14 years") == []


def test_scheduled_future_date_is_kept():
    found, by_id = events("events_relative_dates.txt")
    assert dates_of(found, by_id, "next March") == ["2020-03"]


def test_events_are_in_date_order():
    found, _ = events("events_relative_dates.txt")
    assert [e.date for e in found] == sorted(e.date for e in found)


def test_event_text_is_taken_from_its_cited_sentence():
    found, by_id = events("events_relative_dates.txt")
    for e in found:
        words = by_id[e.cite.sentence].text.lower().split()
        assert all(w.strip(".,") in " ".join(words) for w in e.text.lower().split())


def test_without_a_document_date_partial_dates_are_dropped():
    found, _by_id = events("events_no_document_date.txt")
    assert [e.date for e in found] == ["2018-06"]


def test_statute_section_number_is_not_a_year():
    found, _by_id = events("events_statute_section.txt")
    assert [e.date for e in found] == ["2018"]


def test_question_about_a_date_is_not_an_event():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "fast enough") == []


def test_event_text_is_the_clause_around_its_date():
    found, _by_id = events("events_clauses.txt")
    (event,) = [e for e in found if e.date == "2023"]
    assert event.text == "In 2023 China began to require export licences for gallium and germanium"


def test_relative_clause_with_its_own_date_is_its_own_event_with_its_noun():
    found, by_id = events("events_clauses.txt")
    texts = {e.date: e.text for e in found if "framework" in by_id[e.cite.sentence].text}
    assert texts["2016"] == "The Lancang-Mekong Cooperation framework, which China launched in 2016"
    assert "2016" not in texts["2020"] and texts["2020"].startswith("Since 2020 China has shared")


def test_ends_of_a_period_are_not_events():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "revenue declined") == []


def test_figure_at_a_date_is_not_an_event():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "$166 billion") == []


def test_authors_reporting_frame_is_not_an_event_but_what_it_reports_is():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "As we reported") == ["2007"]
    (event,) = [e for e in found if e.date == "2007"]
    assert "reported" not in event.text


def test_change_measured_from_one_date_to_another_is_not_an_event():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "increased its debt") == []


def test_tail_of_a_broken_sentence_is_not_an_event():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "cash in early") == []


def test_year_labelling_a_thing_in_passing_is_not_an_event():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "sponsorship agreement") == []


def test_year_labelling_a_happening_dates_it():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "mining machine") == ["2022"]


def test_reference_list_entry_is_not_an_event():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "Mongabay") == []


def test_apposition_describing_a_participant_is_left_out_of_the_event():
    found, _by_id = events("events_clauses.txt")
    (event,) = [e for e in found if "Arctic Council" in e.text]
    assert event.text == "The Arctic Council paused most of its work after the invasion of Ukraine in 2022"


def test_clause_cut_before_another_date_leaves_no_dangling_and_or_quote():
    found, _by_id = events("events_clauses.txt")
    (event,) = [e for e in found if e.date == "2026-06"]
    assert event.text == "Two firms plan to choose a site by June 2026"


def test_reading_pointer_and_reference_fragment_are_not_events():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "CRS Infographic") == []
    assert dates_of(found, by_id, "Greenpeace") == []


def test_table_header_row_is_not_an_event():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "Award Information") == []


def test_span_of_fiscal_years_is_a_period_not_events():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "116 awards") == []


def test_figure_aside_in_brackets_is_not_an_event_but_a_dated_aside_is():
    found, by_id = events("events_clauses.txt")
    assert dates_of(found, by_id, "adjusted for inflation") == []
    assert dates_of(found, by_id, "John Boehner") == ["2015"]


def test_opening_adverb_and_trailing_purpose_clause_are_left_out_of_the_event():
    found, _by_id = events("events_clauses.txt")
    (event,) = [e for e in found if e.date == "2018-06" and "envoys" in e.text]
    assert event.text == "The envoys prepared the ground for talks in June 2018"


def test_an_audit_office_citing_its_own_report_is_no_event():
    found, _ = events("events_institution_self_reference.txt")
    dates = [e.date for e in found]
    assert "2023-03" not in dates
    assert "2024-09" in dates
