"""Re-anchoring passages after article edits, and the checks on new anchors.

Two corpora of edits. corpus.py is the tuning part: the engine's parameters were chosen while
looking at its cases, so each of them must still come out as written there (they pin the
behaviour the engine was made to have), but passing them says nothing about edits it was not
tuned for. held_out.py is the held-out part, written later on other articles and never tuned
on: the figure asserted for it (`RECORDED`) is the measure of how well re-anchoring does. The
split is by file and does not change as cases are added; a held-out case that a change is
made to fix moves to corpus.py and is replaced by a new one.
"""

from __future__ import annotations

import random

import pytest
from tests.inline.corpus import (
    BUDGET,
    CASES,
    FLOOD,
    STRIKE,
    Case,
    drop_paragraph,
    edit,
    move_paragraph,
    nth,
)
from tests.inline.held_out import HELD_OUT_CASES

from rejoinder.inline.anchoring import (
    MAX_QUOTE_CHARS,
    TextAnchor,
    TextPositionSelector,
    TextQuoteSelector,
    _common_length,
    make_anchor,
    reanchor,
    reanchor_all,
    validate_quote,
)

# Held-out cases placed as expected, of all of them, when held_out.py was written (the engine
# was run on them once, after their outcomes were decided). Falling below is a regression.
RECORDED = (33, 33)


def _placed_as_expected(case: Case) -> bool:
    placement = reanchor(make_anchor(case.old_text, *case.span()), case.new_text)
    expected = case.expected_span()
    if placement.method != case.expected:
        return False
    if expected is None:
        return placement.position is None and placement.score == 0.0
    return (
        placement.position is not None
        and (placement.position.start, placement.position.end) == expected
        and 0.0 < placement.score <= 1.0
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_tuning_case_is_found_where_and_how_the_corpus_expects(case: Case) -> None:
    anchor = make_anchor(case.old_text, *case.span())

    placement = reanchor(anchor, case.new_text)

    assert placement.method == case.expected
    expected = case.expected_span()
    if expected is None:
        assert placement.position is None
        assert placement.score == 0.0
    else:
        assert placement.position is not None
        start, end = placement.position.start, placement.position.end
        assert case.new_text[start:end] == case.expected_text_in_new
        assert (start, end) == expected
        assert 0.0 < placement.score <= 1.0


def test_held_out_edits_are_placed_as_expected_at_least_as_often_as_recorded(
    pytestconfig: pytest.Config, capsys: pytest.CaptureFixture[str]
) -> None:
    missed = [case.name for case in HELD_OUT_CASES if not _placed_as_expected(case)]
    placed = len(HELD_OUT_CASES) - len(missed)
    recorded, of = RECORDED
    terminal = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    with capsys.disabled():
        for line in [
            "",
            f"re-anchoring: held out {placed} of {len(HELD_OUT_CASES)} placed as expected",
            *missed,
        ]:
            if terminal is not None:  # None under plugins that replace the terminal reporter
                terminal.write_line(line)
    assert len(HELD_OUT_CASES) >= of
    assert placed >= recorded, missed


def test_both_corpora_cover_every_method_and_the_held_out_one_shares_no_article() -> None:
    for cases, at_least in ((CASES, 36), (HELD_OUT_CASES, 30)):
        assert len(cases) >= at_least
        assert {case.expected for case in cases} == {"position", "quote", "fuzzy", "orphaned"}
    names = [case.name for case in [*CASES, *HELD_OUT_CASES]]
    assert len(set(names)) == len(names)
    tuning_paragraphs = {p for case in CASES for p in case.old_text.split("\n\n")}
    for case in HELD_OUT_CASES:
        assert tuning_paragraphs.isdisjoint(case.old_text.split("\n\n")), case.name


def test_an_untouched_passage_keeps_its_position_with_a_full_score() -> None:
    anchor = make_anchor(FLOOD, *nth(FLOOD, "Mill Lane", 0))

    placement = reanchor(anchor, FLOOD)

    assert placement.method == "position"
    assert placement.position == anchor.position
    assert placement.score == 1.0


def test_reanchor_all_places_each_anchor_as_reanchor_does_after_an_ordinary_edit() -> None:
    passages = [
        "delay its budget for the coming year",
        "“regrettable but necessary”",
        "mismanaging the car park project",
        "corrosion",
        "the latest figure is £6.5 million",
        "submit comments online",
    ]
    anchors = [make_anchor(BUDGET, *nth(BUDGET, passage, 0)) for passage in passages]
    new_text = "Updated at 10:15.\n\n" + edit(
        BUDGET,
        ("£6.5 million", "£6.8 million"),
        ("Opposition members accused", "Opposition councillors accused"),
    )

    placements = reanchor_all(anchors, new_text)

    assert placements == [reanchor(anchor, new_text) for anchor in anchors]
    assert [p.method for p in placements] == ["quote", "quote", "quote", "quote", "fuzzy", "quote"]


def test_reanchor_all_orphans_a_weak_match_that_jumped_away_from_its_neighbours() -> None:
    # The passage's sentence is deleted; a sentence elsewhere shares the words and some of
    # the context, enough for the anchor alone but not once its neighbours show that nothing
    # around it moved that far.
    old_text = STRIKE
    passage = "said drivers had been left"
    anchors = [
        make_anchor(old_text, *nth(old_text, "92 per cent of members", 0)),
        make_anchor(old_text, *nth(old_text, passage, 0)),
        make_anchor(old_text, *nth(old_text, "one train an hour", 0)),
    ]
    new_text = edit(
        old_text,
        (
            ' Its general secretary, Paul Brennan, said drivers had been left with "no choice" '
            "after talks broke down on Monday.",
            "",
        ),
        (
            "It is the fourth strike",
            'A union official, Paul Brennan, said drivers had been left "angry". It is the '
            "fourth strike",
        ),
    )

    alone = reanchor(anchors[1], new_text)
    together = reanchor_all(anchors, new_text)

    assert alone.method == "quote"
    assert [p.method for p in together] == ["position", "orphaned", "quote"]


def test_reanchor_all_orphans_a_phrase_found_with_most_of_its_context_in_another_sentence() -> None:
    # The sentence before the passage is rewritten. The same phrase, followed by the same
    # words, opens a sentence elsewhere after a sentence that ends much like the old one: most
    # of the context agrees there, but the neighbours show that nothing moved that far.
    old_text = "\n\n".join(
        [
            "The transport board met on Monday to agree the new timetable, although bus "
            "operators disagreed. A spokesperson for the health trust argued that the early "
            "buses mattered most.",
            "Fares on the route to Seabrook will rise by 12 per cent in April, the board said.",
            "Residents said they had not been consulted, although opposition members "
            "disagreed. A spokesperson for the health trust argued that the hospital needed a "
            "later service.",
            "The board will publish the full timetable next month.",
        ]
    )
    new_text = edit(
        old_text,
        (
            "Residents said they had not been consulted, although opposition members disagreed.",
            "The board has replied in a letter to the health trust.",
        ),
    )
    anchors = [
        make_anchor(old_text, *nth(old_text, "rise by 12 per cent", 0)),
        make_anchor(old_text, *nth(old_text, "A spokesperson", 1)),
        make_anchor(old_text, *nth(old_text, "the full timetable", 0)),
    ]

    alone = reanchor(anchors[1], new_text)
    together = reanchor_all(anchors, new_text)

    assert alone.position == TextPositionSelector(*nth(new_text, "A spokesperson", 0))
    assert [p.method for p in together] == ["position", "orphaned", "quote"]


def test_reanchor_all_orphans_a_jump_between_neighbours_that_moved_apart() -> None:
    # The paragraph before the passage moves to the end, so its landmark shifts far forward
    # while the one after the passage shifts back. The passage's sentence is rewritten as in
    # the test above and its phrase is found further down: between the two shifts, but like
    # neither of them.
    old_text = "\n\n".join(
        [
            "The council met on Tuesday to discuss the bus timetable.",
            "Fares on the route to Seabrook will rise by 12 per cent in April, the board said, "
            "and season tickets will cost more from June.",
            "Residents said they had not been consulted, although opposition members "
            "disagreed. A spokesperson for the health trust argued that the hospital needed a "
            "later service.",
            "Drivers will be recruited over the summer, and the depot at Lowmoor will stay open.",
            "The transport board met on Monday to agree the new timetable, although bus "
            "operators disagreed. A spokesperson for the health trust argued that the early "
            "buses mattered most.",
            "The board will publish the full timetable next month.",
        ]
    )
    new_text = move_paragraph(
        edit(
            old_text,
            (
                "Residents said they had not been consulted, although opposition members "
                "disagreed.",
                "The board has replied in a letter to the health trust.",
            ),
        ),
        1,
        5,
    )
    anchors = [
        make_anchor(old_text, *nth(old_text, "rise by 12 per cent", 0)),
        make_anchor(old_text, *nth(old_text, "A spokesperson", 0)),
        make_anchor(old_text, *nth(old_text, "the hospital needed a later", 0)),
    ]

    placements = reanchor_all(anchors, new_text)

    assert reanchor(anchors[1], new_text).position == TextPositionSelector(
        *nth(new_text, "A spokesperson", 1)
    )
    assert [p.method for p in placements] == ["quote", "orphaned", "quote"]


def test_reanchor_all_keeps_a_passage_whose_distant_neighbours_had_text_added_between() -> None:
    # The passage's context changed (a typo fixed), so it needs its neighbours; they are far
    # away, and a sentence was added on each side between them and the passage, so it shifted
    # like neither exactly.
    old_text = FLOOD + "\n\n" + BUDGET
    new_text = edit(
        old_text,
        (
            "forty years.",
            "forty years. The council opened a rest centre at the Corn Exchange, where "
            "volunteers served hot meals to more than sixty people overnight.",
        ),
        (
            "Victoria Street car park.",
            "Victoria Street car park. Members also agreed to review parking charges across the "
            "town before the next full meeting of the council in April.",
        ),
        ("embankmnets", "embankments"),
    )
    passages = ["pumping water from homes", "two miles of the river", "regrettable but necessary"]
    anchors = [make_anchor(old_text, *nth(old_text, passage, 0)) for passage in passages]

    placements = reanchor_all(anchors, new_text)

    assert [p.method for p in placements] == ["position", "quote", "quote"]
    assert placements[1].position == TextPositionSelector(*nth(new_text, passages[1], 0))


def test_reanchor_all_keeps_a_whole_paragraph_that_moved_far() -> None:
    paragraph = STRIKE.split("\n\n")[3]
    anchors = [
        make_anchor(STRIKE, *nth(STRIKE, "92 per cent", 0)),
        make_anchor(STRIKE, *nth(STRIKE, paragraph, 0)),
        make_anchor(STRIKE, *nth(STRIKE, "£3 million", 0)),
    ]
    paragraphs = STRIKE.split("\n\n")
    new_text = "\n\n".join([paragraphs[3], *paragraphs[:3], paragraphs[4]])

    placements = reanchor_all(anchors, new_text)

    assert placements[1].method == "quote"
    assert placements[1].position == TextPositionSelector(start=0, end=len(paragraph))


def test_a_quote_whose_copies_have_all_lost_their_context_is_orphaned() -> None:
    old_text = "Voting closes on Friday. " + BUDGET
    anchor = make_anchor(old_text, 0, len("Voting closes"))
    new_text = (
        "The count begins once voting closes. "
        + BUDGET
        + "\n\nThe result is due once voting closes."
    ).replace("voting closes", "Voting closes")

    assert new_text.count("Voting closes") == 2
    assert reanchor(anchor, new_text).method == "orphaned"


def test_a_whole_word_passage_is_not_matched_inside_a_longer_word() -> None:
    old_text = "Turnout rose by 4 per cent on Friday, the highest since 1992, officials said."
    anchor = make_anchor(old_text, *nth(old_text, "cent", 0))
    new_text = old_text.replace("per cent", "per centre")

    placement = reanchor(anchor, new_text)

    # "cent" still stands at its old offsets, but as part of another word: the word changed.
    assert placement.method == "fuzzy"
    assert placement.position is not None
    assert new_text[placement.position.start : placement.position.end] == "centre"


def test_an_anchor_with_an_empty_quote_is_orphaned() -> None:
    anchor = TextAnchor(TextQuoteSelector(exact=""), TextPositionSelector(start=0, end=0))

    assert reanchor(anchor, BUDGET).method == "orphaned"


def test_a_passage_is_orphaned_when_the_article_is_emptied() -> None:
    anchor = make_anchor(BUDGET, *nth(BUDGET, "corrosion", 0))

    assert reanchor(anchor, "").method == "orphaned"


def test_make_anchor_keeps_the_quote_its_context_and_its_position() -> None:
    start, end = nth(FLOOD, "Margaret Oduya", 0)

    anchor = make_anchor(FLOOD, start, end, context=10)

    assert anchor.quote == TextQuoteSelector(
        exact="Margaret Oduya", prefix="me,” said ", suffix=", 71, who "
    )
    assert anchor.position == TextPositionSelector(start=start, end=end)


def test_make_anchor_cuts_the_context_short_at_the_edges_of_the_text() -> None:
    anchor = make_anchor("Short text.", 0, 5)

    assert anchor.quote == TextQuoteSelector(exact="Short", prefix="", suffix=" text.")


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 5), (5, len(BUDGET) + 1), (len(BUDGET) + 3, len(BUDGET) + 9)],
    ids=["starts before the text", "ends after the text", "lies beyond the text"],
)
def test_make_anchor_refuses_a_selection_outside_the_text(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="outside the text"):
        make_anchor(BUDGET, start, end)


@pytest.mark.parametrize(("start", "end"), [(10, 10), (12, 10)], ids=["empty", "reversed"])
def test_make_anchor_refuses_an_empty_selection(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="is empty"):
        make_anchor(BUDGET, start, end)


def test_make_anchor_refuses_a_selection_of_only_whitespace() -> None:
    start = BUDGET.index("\n\n")

    with pytest.raises(ValueError, match="only whitespace"):
        make_anchor(BUDGET, start, start + 2)


def test_make_anchor_refuses_a_selection_longer_than_two_thousand_characters() -> None:
    text = " ".join([BUDGET] * 3)

    with pytest.raises(ValueError, match="2,001 characters long; at most 2,000"):
        make_anchor(text, 0, MAX_QUOTE_CHARS + 1)


def test_make_anchor_accepts_a_selection_of_exactly_two_thousand_characters() -> None:
    text = " ".join([BUDGET] * 3)

    anchor = make_anchor(text, 0, MAX_QUOTE_CHARS)

    assert len(anchor.quote.exact) == MAX_QUOTE_CHARS


@pytest.mark.parametrize("context", [0, -1])
def test_make_anchor_refuses_a_context_of_less_than_one_character(context: int) -> None:
    with pytest.raises(ValueError, match="context"):
        make_anchor(BUDGET, 0, 5, context=context)


def test_a_two_thousand_character_passage_with_small_edits_is_found() -> None:
    text = "\n\n".join([BUDGET] * 3)
    start = text.index("The delay means")
    end = start + MAX_QUOTE_CHARS
    anchor = make_anchor(text, start, end)
    new_text = text.replace("Councillor", "Cllr").replace("residents", "local residents")

    placement = reanchor(anchor, new_text)

    assert placement.method == "fuzzy"
    assert placement.position is not None
    assert new_text[placement.position.start :].startswith("The delay means")


def test_validate_quote_anchors_a_quote_that_occurs_once() -> None:
    anchor = validate_quote(FLOOD, "sandbags out")

    assert anchor == make_anchor(FLOOD, *nth(FLOOD, "sandbags out", 0))


def test_validate_quote_picks_the_occurrence_that_matches_the_browsers_context() -> None:
    anchor = validate_quote(FLOOD, "The agency", prefix="difference.”\n\n", suffix=" said river")
    later = validate_quote(FLOOD, "The agency", prefix="on Wednesday. ", suffix=" urged")

    assert anchor.position.start == nth(FLOOD, "The agency", 0)[0]
    assert later.position.start == nth(FLOOD, "The agency", 1)[0]


def test_validate_quote_picks_the_first_occurrence_without_context() -> None:
    anchor = validate_quote(FLOOD, "Lowmoor")

    assert anchor.position.start == nth(FLOOD, "Lowmoor", 0)[0]


def test_validate_quote_matches_a_quote_whose_whitespace_the_browser_collapsed() -> None:
    text = "The council met on Tuesday.\n\nMembers voted\nto delay the budget."

    anchor = validate_quote(text, "Tuesday. Members voted to delay")

    assert anchor.quote.exact == "Tuesday.\n\nMembers voted\nto delay"
    assert anchor.position.start == text.index("Tuesday")


def test_validate_quote_stores_the_texts_own_context_not_the_browsers() -> None:
    anchor = validate_quote(BUDGET, "Corn Exchange", prefix="made up prefix ", suffix="!")

    assert anchor.quote.prefix == BUDGET[: anchor.position.start][-32:]
    assert anchor.quote.suffix == BUDGET[anchor.position.end :][:32]


def test_validate_quote_refuses_a_quote_that_does_not_occur() -> None:
    with pytest.raises(ValueError, match="does not occur"):
        validate_quote(BUDGET, "the mayor resigned")


def test_validate_quote_refuses_an_empty_quote() -> None:
    with pytest.raises(ValueError, match="empty"):
        validate_quote(BUDGET, "  \n")


def test_validate_quote_refuses_an_enormous_quote() -> None:
    text = " ".join([BUDGET] * 3)

    with pytest.raises(ValueError, match="at most 2,000"):
        validate_quote(text, text[: MAX_QUOTE_CHARS + 1])


@pytest.mark.parametrize("text", ["", " \n\n "], ids=["empty", "blank"])
def test_validate_quote_refuses_a_page_without_text(text: str) -> None:
    with pytest.raises(ValueError, match="no text"):
        validate_quote(text, "anything")


def test_the_bit_parallel_common_subsequence_agrees_with_the_textbook_table() -> None:
    def textbook(a: str, b: str) -> int:
        previous = [0] * (len(b) + 1)
        for char_a in a:
            row = [0]
            for j, char_b in enumerate(b):
                row.append(previous[j] + 1 if char_a == char_b else max(previous[j + 1], row[j]))
            previous = row
        return previous[-1]

    rng = random.Random(4)
    for _ in range(500):
        a = "".join(rng.choice("abcé ") for _ in range(rng.randint(0, 20)))
        b = "".join(rng.choice("abcé ") for _ in range(rng.randint(0, 20)))
        assert _common_length(a, b) == textbook(a, b), (a, b)


def test_a_deleted_paragraph_orphans_its_passages_and_keeps_the_others() -> None:
    passages = ["raise embankmnets", "Local MP Richard Coles", "expect more rain"]
    anchors = [make_anchor(FLOOD, *nth(FLOOD, passage, 0)) for passage in passages]

    placements = reanchor_all(anchors, drop_paragraph(FLOOD, 3))

    assert [p.method for p in placements] == ["orphaned", "orphaned", "quote"]
