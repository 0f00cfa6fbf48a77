"""Key points: central sentences first, no repeats, no headings, each cited."""

from briefgen.analysis import DEFAULT_KEY_POINTS
from briefgen.analysis.keypoints import rank_sentences, select_key_points
from briefgen.model import Cite, Framework
from scenarios import parsed_scenario


def points(n: int, frameworks=()):
    parsed = parsed_scenario("keypoints_redundant_pair.txt")
    return select_key_points(parsed, n, frameworks=frameworks), parsed.sentences


def test_default_suits_a_memo():
    assert DEFAULT_KEY_POINTS == 6


def test_returns_n_points():
    found, _ = points(3)
    assert len(found) == 3


def test_zero_points_asked_none_given():
    found, _ = points(0)
    assert found == ()


def test_repeated_sentence_is_picked_once():
    found, _ = points(5)
    texts = [p.text for p in found]
    assert len(texts) == len(set(texts))


def test_heading_line_is_never_a_point():
    found, _ = points(10)
    assert "Weather" not in [p.text for p in found]


def test_off_topic_sentence_is_ranked_last():
    found, _ = points(10)
    assert found[-1].text.startswith("A local choir")


def test_more_points_than_sentences_gives_every_eligible_sentence():
    found, sentences = points(50)
    assert len(found) == len(sentences) - 3  # minus the duplicate's twin, the heading, the question


def test_every_point_cites_its_own_sentence():
    found, sentences = points(4)
    by_id = {s.id: s for s in sentences}
    assert all(by_id[p.cite.sentence].text == p.text for p in found)


def test_first_point_is_the_best_scored_statement():
    parsed = parsed_scenario("keypoints_redundant_pair.txt")
    sentences = parsed.sentences
    scores = rank_sentences(parsed)
    found = select_key_points(parsed, 3)
    statements = [i for i, s in enumerate(sentences) if not s.text.endswith("?")]
    best = max(statements, key=lambda i: (scores[i], -i))
    assert found[0].cite.sentence == sentences[best].id


def test_framework_mention_raises_a_sentence_score():
    parsed = parsed_scenario("keypoints_redundant_pair.txt")
    term = Framework(term="coal exports", mentions=2, cite=Cite(paragraph="p1", sentence="p1.s3"))
    before = rank_sentences(parsed)
    after = rank_sentences(parsed, frameworks=(term,))
    assert after[2] > before[2] and after[0] == before[0]


def test_same_input_same_points():
    assert points(4)[0] == points(4)[0]


def test_question_is_not_a_key_point():
    found, _ = points(10)
    assert not any(p.text.endswith("?") for p in found)


def test_courtesy_of_testimony_is_never_a_key_point():
    parsed = parsed_scenario("keypoints_report_apparatus.txt")
    picked = {p.cite.sentence for p in select_key_points(parsed, 4)}
    assert "p1.s1" not in picked and {"p2.s1", "p4.s1"} <= picked  # not "Thank you for ..."


def test_sparse_rows_products_match_the_dense_matrix():
    # The TF-IDF rows are CSR arrays with hand-written products (scipy.sparse costs a cold memo
    # 0.12 s to import): each product must equal the dense one, empty rows and columns included.
    from collections import Counter

    import numpy as np

    from briefgen.analysis.keypoints import _tfidf

    bags = [Counter({"a": 2, "b": 1}), Counter(), Counter({"b": 3, "c": 1}), Counter({"a": 1, "d": 1})]
    rows = _tfidf(bags)
    dense = np.zeros((rows.n, rows.width))
    for i in range(rows.n):
        dense[i] = rows.row(i)
    v = np.arange(1.0, rows.width + 1)
    u = np.arange(1.0, rows.n + 1)
    assert np.allclose(rows.times(v), dense @ v)
    assert np.allclose(rows.transposed_times(u), dense.T @ u)
    assert np.allclose(rows.squared_norms(), (dense * dense).sum(axis=1))
    assert list(rows.lengths()) == [2, 0, 2, 2]
    assert np.allclose(rows.squared_norms()[[0, 2, 3]], 1.0)  # unit-length rows


def test_a_sentence_broken_at_a_page_end_is_never_a_point():
    # The tail of a sentence split by a page or column break opens in lower case, or has a noun for
    # its main word with its verbs in a "because" clause, or is a subjectless list item: a memo
    # cannot print it as a finding, however much recommendation wording it carries.
    from briefgen.analysis.keypoints import rank

    parsed = parsed_scenario("keypoints_fragments.txt")
    eligible = dict(zip((s.text[:12] for s in parsed.sentences), rank(parsed).eligible, strict=True))
    assert eligible["The audit fo"] and eligible["The utility "]
    assert not eligible["records that"]
    assert not eligible["Customer bil"]
    assert not eligible["Considering "]


def test_a_sentence_that_only_points_at_a_table_is_no_point_but_a_figures_finding_is():
    from briefgen.analysis.keypoints import rank

    parsed = parsed_scenario("keypoints_fragments.txt")
    eligible = dict(zip((s.text[:12] for s in parsed.sentences), rank(parsed).eligible, strict=True))
    assert not eligible["Table 2 list"]  # "Table 2 lists the targets ...": the memo has no Table 2
    assert eligible["Figure 3 sho"]  # "Figure 3 shows that replacements fell by half ...": a finding
