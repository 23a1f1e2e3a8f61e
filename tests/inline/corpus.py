"""Article edits with the outcome re-anchoring must reach for a passage of each.

Short news articles, each edited the way authors and sub-editors edit: a sentence added,
a paragraph moved, a typo fixed, a figure corrected, a paragraph cut. Every case names the
passage a reader selected in the old text and where (and how) it must be found in the new.

These are the tuning cases: the engine's parameters were set while looking at them. Its quality
is measured on the held-out cases in held_out.py, which it was never tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Method = Literal["position", "quote", "fuzzy", "orphaned"]


@dataclass(frozen=True)
class Case:
    """One edit, the passage selected before it, and the placement expected after it.

    `selection` is (start, end) in old_text, or the passage itself when it occurs once.
    `expected_text_in_new` is what new_text[start:end] must be (None for an orphan);
    `expected_occurrence` says which occurrence of it is meant when it occurs more than once.
    """

    name: str
    old_text: str
    selection: tuple[int, int] | str
    new_text: str
    expected: Method
    expected_text_in_new: str | None
    expected_occurrence: int = 0

    def span(self) -> tuple[int, int]:
        """Return the selection as offsets into old_text."""
        if isinstance(self.selection, tuple):
            return self.selection
        return nth(self.old_text, self.selection, 0, unique=True)

    def expected_span(self) -> tuple[int, int] | None:
        """Return where the passage must land in new_text, or None for an orphan."""
        if self.expected_text_in_new is None:
            return None
        return nth(self.new_text, self.expected_text_in_new, self.expected_occurrence)


def nth(text: str, passage: str, occurrence: int, *, unique: bool = False) -> tuple[int, int]:
    """Return the span of the given occurrence (0-based) of passage in text."""
    starts = []
    at = text.find(passage)
    while at != -1:
        starts.append(at)
        at = text.find(passage, at + 1)
    if unique and len(starts) != 1:
        raise ValueError(f"{passage!r} occurs {len(starts)} times; give offsets instead")
    if occurrence >= len(starts):
        raise ValueError(f"{passage!r} occurs {len(starts)} times, not {occurrence + 1}")
    return starts[occurrence], starts[occurrence] + len(passage)


def edit(text: str, *replacements: tuple[str, str]) -> str:
    """Apply replacements, each of which must match exactly once (so the corpus stays honest)."""
    for old, new in replacements:
        if text.count(old) != 1:
            raise ValueError(f"{old!r} occurs {text.count(old)} times in the text")
        text = text.replace(old, new)
    return text


def move_paragraph(text: str, source: int, target: int) -> str:
    """Move the paragraph at index source so that it ends up at index target."""
    paragraphs = text.split("\n\n")
    paragraphs.insert(target, paragraphs.pop(source))
    return "\n\n".join(paragraphs)


def drop_paragraph(text: str, index: int) -> str:
    """Remove the paragraph at index."""
    paragraphs = text.split("\n\n")
    del paragraphs[index]
    return "\n\n".join(paragraphs)


BUDGET = "\n\n".join(
    [
        "The city council of Harlow Bridge voted on Tuesday to delay its budget for the coming "
        "year, after a late-night session in which members clashed over the cost of repairing "
        "the Victoria Street car park.",
        "The delay means that the council will operate on last year's spending plan until at "
        "least March. Councillor Dana Whitfield, who chairs the finance committee, said the "
        "decision was “regrettable but necessary”, adding that the authority could not approve "
        "a budget that left a £4.2 million gap.",
        "Opposition members accused the ruling group of mismanaging the car park project. “We "
        "warned them two years ago that the costs would spiral,” said Councillor Imran Shah. "
        "“Nobody listened, and now residents will pay for it.”",
        "The car park, which opened in 1974, was closed in June after engineers found corrosion "
        "in its concrete supports. Repairs were originally estimated at £1.8 million; the latest "
        "figure is £6.5 million.",
        "A public meeting on the budget will be held at the Corn Exchange on 14 February. The "
        "council said residents could also submit comments online until the end of the month.",
    ]
)

FLOOD = "\n\n".join(
    [
        "Emergency crews spent the weekend pumping water from homes in Lowmoor after the River "
        "Wend burst its banks for the second time this winter. About 140 properties were "
        "affected, according to the Environment Agency.",
        "Residents described water rising through floorboards within minutes on Saturday "
        "evening. “It came up faster than last time,” said Margaret Oduya, 71, who has lived on "
        "Mill Lane for forty years. “We had sandbags out, but it made no difference.”",
        "The agency said river levels peaked at 3.9 metres shortly before midnight, just below "
        "the record set in 2007. A severe flood warning remains in place for the stretch "
        "between Lowmoor and Stainby.",
        "Local MP Richard Coles called for the long-promised flood defence scheme to be brought "
        "forward. The scheme, which would raise embankmnets along two miles of the river, was "
        "approved in 2019 but has yet to receive funding.",
        "Forecasters expect more rain on Wednesday. The agency urged residents to sign up for "
        "flood alerts and to avoid driving through flood water.",
    ]
)

BRICKS = "\n\n".join(
    [
        "Researchers at the Université de Lyon say they have found a way to make café waste "
        "useful: spent coffee grounds, mixed with a small amount of clay, produce bricks that "
        "are lighter and insulate better than conventional ones.",
        "“We were surprised by how strong they were,” said Dr Zoë Mueller, who led the study. "
        "The bricks withstood pressures of up to 12 megapascals — comparable to standard clay "
        "bricks — after being fired at 950 °C.",
        "The team collected grounds from forty cafés across the city. One owner, Aurélie "
        "Besancon, posted a photo of her sacks of grounds on social media with the caption “Mon "
        "café devient une maison ☕🏠”, which was shared thousands of times.",
        "The researchers caution that the bricks have not yet been tested for long-term "
        "durability. A pilot building, a bicycle shelter on the campus, is planned for next "
        "spring.",
    ]
)

STRIKE = "\n\n".join(
    [
        "Train drivers on the Northern Coast line will strike for 48 hours from Friday, their "
        "union announced, in a dispute over pay and the introduction of driver-only operation "
        "on new trains.",
        "The union said 92 per cent of members who took part in the ballot supported action, on "
        "a turnout of 78 per cent. Its general secretary, Paul Brennan, said drivers had been "
        'left with "no choice" after talks broke down on Monday.',
        "Coastline Rail, which operates the franchise, said it was disapointed and would run a "
        "reduced timetable, with one train an hour between Hartpool and Seabrook and no "
        "services on the branch lines. Passengers with tickets for the strike days can use them "
        "on the day before or the two days after, or claim a full refund.",
        "The company says driver-only trains are safe and are already used on a third of the "
        "network. The union argues that guards play a vital role in helping disabled passengers "
        "and in dealing with emergencies.",
        "It is the fourth strike on the line since September. Business groups in Seabrook say "
        "the disruption has cost local shops and hotels an estimated £3 million.",
    ]
)

# Two tiny stories whose sentences repeat each other's wording, as reports built from the same
# phrases do.
SCHEME = "\n\n".join(
    [
        "The leisure centre on Mill Lane will close for repairs in May, the council said on "
        "Tuesday.",
        "Dana Whitfield, who chairs the finance committee, said the scheme was 22 per cent over "
        "budget.",
        "Local schools said on Wednesday that pupils would use the pool at Stainby instead.",
    ]
)

FARES = "\n\n".join(
    [
        "Bus operators met the council on Monday to discuss fares.",
        "Aurélie Besançon, speaking in the town hall, said in a statement that fares would rise "
        "by 10 per cent.",
        "The new fares take effect in April.",
    ]
)
# The "in" of "speaking in the town hall".
FARES_IN = FARES.index("speaking in the") + len("speaking ")
FARES_COPIED = edit(
    FARES,
    (
        "on Monday to discuss fares.",
        "on Monday. Aurélie Besançon, speaking in the town hall, said in a statement that the "
        "meeting was useful. They discussed fares.",
    ),
)

EMBANKMENT_SENTENCE = (
    "The scheme, which would raise embankmnets along two miles of the river, was approved in "
    "2019 but has yet to receive funding."
)

# The same flood story hard-wrapped at about 60 columns, as pasted from an email.
FLOOD_WRAPPED = FLOOD.replace(
    "homes in Lowmoor after the River ", "homes in Lowmoor after\nthe River "
)

UPDATE = (
    "Update, Monday 09:40: the Environment Agency has lifted two of its flood warnings, but "
    "the severe warning for Lowmoor remains in force.\n\n"
)

CASES: list[Case] = [
    # Nothing changed, or only far away.
    Case(
        name="unchanged text keeps the passage at its position",
        old_text=BUDGET,
        selection="delay its budget for the coming year",
        new_text=BUDGET,
        expected="position",
        expected_text_in_new="delay its budget for the coming year",
    ),
    Case(
        name="an edit after the passage leaves its position alone",
        old_text=FLOOD,
        selection="water rising through floorboards",
        new_text=edit(FLOOD, ("expect more rain on Wednesday", "expect more rain on Thursday")),
        expected="position",
        expected_text_in_new="water rising through floorboards",
    ),
    Case(
        name="punctuation changed just after the passage keeps its position",
        old_text=STRIKE,
        selection="It is the fourth strike on the line since September",
        new_text=edit(STRIKE, ("since September. Business", "since September; business")),
        expected="position",
        expected_text_in_new="It is the fourth strike on the line since September",
    ),
    # Text added or removed before the passage.
    Case(
        name="a sentence inserted in an earlier paragraph shifts the passage",
        old_text=BUDGET,
        selection="mismanaging the car park project",
        new_text=edit(
            BUDGET,
            (
                "Victoria Street car park.",
                "Victoria Street car park. The meeting ended shortly after 1am.",
            ),
        ),
        expected="quote",
        expected_text_in_new="mismanaging the car park project",
    ),
    Case(
        name="words inserted just before the passage",
        old_text=BUDGET,
        selection="“regrettable but necessary”",
        new_text=edit(
            BUDGET,
            ("said the decision was", "said in a statement on Wednesday that the decision was"),
        ),
        expected="quote",
        expected_text_in_new="“regrettable but necessary”",
    ),
    Case(
        name="a new paragraph at the top shifts every passage",
        old_text=FLOOD,
        selection="river levels peaked at 3.9 metres",
        new_text=UPDATE + FLOOD,
        expected="quote",
        expected_text_in_new="river levels peaked at 3.9 metres",
    ),
    Case(
        name="an earlier paragraph deleted",
        old_text=STRIKE,
        selection="guards play a vital role",
        new_text=drop_paragraph(STRIKE, 1),
        expected="quote",
        expected_text_in_new="guards play a vital role",
    ),
    Case(
        name="words deleted just before the passage",
        old_text=FLOOD,
        selection="on Saturday evening",
        new_text=edit(FLOOD, ("floorboards within minutes on", "floorboards on")),
        expected="quote",
        expected_text_in_new="on Saturday evening",
    ),
    # Paragraphs moved.
    Case(
        name="the passage's paragraph moved earlier",
        old_text=BUDGET,
        selection="engineers found corrosion in its concrete supports",
        new_text=move_paragraph(BUDGET, 3, 1),
        expected="quote",
        expected_text_in_new="engineers found corrosion in its concrete supports",
    ),
    Case(
        name="the passage's paragraph moved later",
        old_text=STRIKE,
        selection="after talks broke down on Monday",
        new_text=move_paragraph(STRIKE, 1, 4),
        expected="quote",
        expected_text_in_new="after talks broke down on Monday",
    ),
    Case(
        name="a whole-paragraph passage moved, so neither side of its context survives",
        old_text=BRICKS,
        selection=BRICKS.split("\n\n")[3],
        new_text=move_paragraph(BRICKS, 3, 1),
        expected="quote",
        expected_text_in_new=BRICKS.split("\n\n")[3],
    ),
    Case(
        name="a paragraph moved and a typo inside the passage fixed",
        old_text=edit(BUDGET, ("concrete supports", "concrete suports")),
        selection="engineers found corrosion in its concrete suports",
        new_text=move_paragraph(BUDGET, 3, 0),
        expected="fuzzy",
        expected_text_in_new="engineers found corrosion in its concrete supports",
    ),
    # Small edits inside the passage.
    Case(
        name="a typo fixed inside the passage",
        old_text=FLOOD,
        selection="raise embankmnets along two miles of the river",
        new_text=edit(FLOOD, ("embankmnets", "embankments")),
        expected="fuzzy",
        expected_text_in_new="raise embankments along two miles of the river",
    ),
    Case(
        name="a typo fixed inside the passage and a sentence added after it",
        old_text=FLOOD,
        selection=EMBANKMENT_SENTENCE,
        new_text=edit(
            FLOOD,
            ("embankmnets", "embankments"),
            (
                "has yet to receive funding.",
                "has yet to receive funding. A decision is expected in the spring.",
            ),
        ),
        # The new sentence ends in a full stop too; it stays outside the passage.
        expected="fuzzy",
        expected_text_in_new=EMBANKMENT_SENTENCE.replace("embankmnets", "embankments"),
    ),
    Case(
        name="a typo fixed inside the passage and a sentence added before it",
        old_text=FLOOD,
        selection=EMBANKMENT_SENTENCE,
        new_text=edit(
            FLOOD,
            ("embankmnets", "embankments"),
            ("forward. The scheme", "forward. The minister has not replied. The scheme"),
        ),
        # The new sentence begins with the passage's first word; it stays outside the passage.
        expected="fuzzy",
        expected_text_in_new=EMBANKMENT_SENTENCE.replace("embankmnets", "embankments"),
    ),
    Case(
        name="a misspelt name corrected inside the passage",
        old_text=BRICKS,
        selection="said Dr Zoë Mueller, who led the study",
        new_text=edit(BRICKS, ("Zoë Mueller", "Zoë Müller")),
        expected="fuzzy",
        expected_text_in_new="said Dr Zoë Müller, who led the study",
    ),
    Case(
        name="transposed letters fixed in a two-word passage",
        old_text=edit(BUDGET, ("finance committee", "finacne committee")),
        selection="finacne committee",
        new_text=BUDGET,
        expected="fuzzy",
        expected_text_in_new="finance committee",
    ),
    Case(
        name="a word added inside the passage",
        old_text=FLOOD,
        selection="About 140 properties were affected, according to the Environment Agency",
        new_text=edit(FLOOD, ("properties were affected", "properties were badly affected")),
        expected="fuzzy",
        expected_text_in_new=(
            "About 140 properties were badly affected, according to the Environment Agency"
        ),
    ),
    Case(
        name="a word removed inside the passage",
        old_text=STRIKE,
        selection="the introduction of driver-only operation on new trains",
        new_text=edit(STRIKE, ("operation on new trains", "operation on trains")),
        expected="fuzzy",
        expected_text_in_new="the introduction of driver-only operation on trains",
    ),
    Case(
        name="a figure corrected inside the passage",
        old_text=BUDGET,
        selection="the latest figure is £6.5 million",
        new_text=edit(BUDGET, ("£6.5 million", "£6.8 million")),
        expected="fuzzy",
        expected_text_in_new="the latest figure is £6.8 million",
    ),
    Case(
        name="a misspelt word fixed in a one-word passage",
        old_text=BRICKS,
        selection="Besancon",
        new_text=edit(BRICKS, ("Besancon", "Besançon")),
        expected="fuzzy",
        expected_text_in_new="Besançon",
    ),
    Case(
        name="a misspelt word fixed and the sentence tightened around it",
        old_text=STRIKE,
        selection="said it was disapointed and would run a reduced timetable",
        new_text=edit(
            STRIKE,
            ("said it was disapointed and would run", "said it was disappointed and will run"),
        ),
        expected="fuzzy",
        expected_text_in_new="said it was disappointed and will run a reduced timetable",
    ),
    # Punctuation.
    Case(
        name="straight quotes inside the passage made curly",
        old_text=STRIKE,
        selection='drivers had been left with "no choice" after talks',
        new_text=edit(STRIKE, ('"no choice"', "“no choice”")),
        expected="fuzzy",
        expected_text_in_new="drivers had been left with “no choice” after talks",
    ),
    Case(
        name="a hyphen dropped inside the passage",
        old_text=FLOOD,
        selection="called for the long-promised flood defence scheme to be brought forward",
        new_text=edit(FLOOD, ("long-promised", "long promised")),
        expected="fuzzy",
        expected_text_in_new="called for the long promised flood defence scheme to be brought forward",
    ),
    Case(
        name="dashes inside the passage replaced by commas",
        old_text=BRICKS,
        selection="12 megapascals — comparable to standard clay bricks",
        new_text=edit(
            BRICKS,
            (
                "megapascals — comparable to standard clay bricks —",
                "megapascals, comparable to standard clay bricks,",
            ),
        ),
        expected="fuzzy",
        expected_text_in_new="12 megapascals, comparable to standard clay bricks",
    ),
    Case(
        name="the space inside a unit removed",
        old_text=BRICKS,
        selection="after being fired at 950 °C",
        new_text=edit(BRICKS, ("950 °C", "950°C")),
        expected="fuzzy",
        expected_text_in_new="after being fired at 950°C",
    ),
    # Whitespace and line breaks.
    Case(
        name="a hard line break inside the passage becomes a space",
        old_text=FLOOD_WRAPPED,
        selection="homes in Lowmoor after\nthe River Wend burst its banks",
        new_text=FLOOD,
        expected="quote",
        expected_text_in_new="homes in Lowmoor after the River Wend burst its banks",
    ),
    Case(
        name="a paragraph split inside the passage",
        old_text=BUDGET,
        selection="until at least March. Councillor Dana Whitfield",
        new_text=edit(BUDGET, ("least March. Councillor", "least March.\n\nCouncillor")),
        expected="quote",
        expected_text_in_new="until at least March.\n\nCouncillor Dana Whitfield",
    ),
    Case(
        name="double spaces after full stops collapsed before the passage",
        old_text=STRIKE.replace(". ", ".  "),
        selection="one train an hour between Hartpool and Seabrook",
        new_text=STRIKE,
        expected="quote",
        expected_text_in_new="one train an hour between Hartpool and Seabrook",
    ),
    Case(
        name="the text re-wrapped and a paragraph added above the passage",
        old_text=FLOOD_WRAPPED,
        selection="Lowmoor after\nthe River Wend",
        new_text=UPDATE + FLOOD,
        expected="quote",
        expected_text_in_new="Lowmoor after the River Wend",
    ),
    # The same words more than once.
    Case(
        name="a repeated phrase: the second one selected, text added above both",
        old_text=FLOOD,
        selection=nth(FLOOD, "The agency", 1),
        new_text=UPDATE + FLOOD,
        expected="quote",
        expected_text_in_new="The agency",
        expected_occurrence=1,
    ),
    Case(
        name="a repeated phrase: the first one selected, the other edited nearby",
        old_text=FLOOD,
        selection=nth(FLOOD, "The agency", 0),
        new_text=edit(
            UPDATE + FLOOD,
            ("The agency urged residents", "The agency again urged residents"),
        ),
        expected="quote",
        expected_text_in_new="The agency",
        expected_occurrence=0,
    ),
    Case(
        name="a repeated place name picked by its context",
        old_text=FLOOD,
        selection=nth(FLOOD, "Lowmoor", 1),
        new_text=UPDATE + FLOOD,
        expected="quote",
        expected_text_in_new="Lowmoor",
        # The update paragraph adds one more Lowmoor before both.
        expected_occurrence=2,
    ),
    Case(
        name="a repeated two-word phrase: the second one selected, text added above",
        old_text=STRIKE,
        selection=nth(STRIKE, "per cent", 1),
        new_text=edit(
            STRIKE,
            ("from Friday,", "from Friday, with a further 24-hour walkout planned for next month,"),
        ),
        expected="quote",
        expected_text_in_new="per cent",
        expected_occurrence=1,
    ),
    Case(
        name="the edit adds the same phrase earlier in the article",
        old_text=BUDGET,
        selection="the Victoria Street car park",
        new_text=(
            "The future of the Victoria Street car park dominated a stormy meeting.\n\n" + BUDGET
        ),
        expected="quote",
        expected_text_in_new="the Victoria Street car park",
        expected_occurrence=1,
    ),
    Case(
        name="a duplicated paragraph leaves the passage in the first copy",
        old_text=BUDGET,
        selection="accused the ruling group",
        new_text=move_paragraph(BUDGET + "\n\n" + BUDGET.split("\n\n")[2], 5, 3),
        expected="position",
        expected_text_in_new="accused the ruling group",
        expected_occurrence=0,
    ),
    Case(
        name="a sentence repeating the phrase added after the passage takes its suffix, not its place",
        old_text=SCHEME,
        selection="per cent over",
        new_text=edit(
            SCHEME,
            (
                "22 per cent over budget.",
                "22 per cent over budget. Imran Shah, the opposition leader, said the scheme was "
                "39 per cent over budget.",
            ),
        ),
        # The new sentence now ends the paragraph, so it has the passage's old suffix and most
        # of its prefix; but the figure beside it differs, while the passage's own sentence
        # is intact.
        expected="position",
        expected_text_in_new="per cent over",
        expected_occurrence=0,
    ),
    Case(
        name="a copy of the sentence added nearer the old place, with other context around it",
        old_text=FARES,
        selection=(FARES_IN, FARES_IN + 2),
        new_text=FARES_COPIED,
        # Both copies keep the sentence; only the later one keeps the paragraph break before
        # it as well, so nearness to the old offsets does not decide.
        expected="quote",
        expected_text_in_new="in",
        expected_occurrence=FARES_COPIED.count("in", 0, FARES_COPIED.rindex("speaking in the") + 9),
    ),
    Case(
        name="a short phrase whose sentence was rewritten is orphaned though it occurs elsewhere",
        old_text=BUDGET,
        selection="the car park",
        new_text=edit(
            BUDGET,
            ("mismanaging the car park project", "failing to act on warnings"),
            ("The car park, which opened in 1974, was", "Built in 1974, the car park was"),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="the passage rewritten while the same phrase is added elsewhere is orphaned",
        old_text=BUDGET,
        selection="repairing the Victoria Street car park",
        new_text=edit(
            BUDGET,
            ("repairing the Victoria Street car park.", "fixing a multi-storey building."),
            (
                "Corn Exchange on 14 February.",
                "Corn Exchange, next to the Victoria Street car park, on 14 February.",
            ),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    # Short passages.
    Case(
        name="a one-word passage with a sentence inserted before it",
        old_text=BUDGET,
        selection="corrosion",
        new_text=edit(
            BUDGET,
            ("The car park, which", "Engineers inspected it twice. The car park, which"),
        ),
        expected="quote",
        expected_text_in_new="corrosion",
    ),
    Case(
        name="a one-word passage whose phrase was rewritten is orphaned",
        old_text=BUDGET,
        selection="regrettable",
        new_text=edit(BUDGET, ("“regrettable but necessary”", "“painful but unavoidable”")),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    # The edges of the text.
    Case(
        name="a passage at the very start with an edit further down",
        old_text=FLOOD,
        selection="Emergency crews spent the weekend",
        new_text=edit(FLOOD, ("Local MP Richard Coles", "Richard Coles, the local MP,")),
        expected="position",
        expected_text_in_new="Emergency crews spent the weekend",
    ),
    Case(
        name="a passage at the very start with a paragraph added above it",
        old_text=FLOOD,
        selection="Emergency crews",
        new_text=UPDATE + FLOOD,
        expected="quote",
        expected_text_in_new="Emergency crews",
    ),
    Case(
        name="a passage at the very end with a sentence added earlier",
        old_text=STRIKE,
        selection="an estimated £3 million.",
        new_text=edit(
            STRIKE,
            ("since September.", "since September, and the second this month."),
        ),
        expected="quote",
        expected_text_in_new="an estimated £3 million.",
    ),
    Case(
        name="a passage at the very end with a correction appended after it",
        old_text=STRIKE,
        selection="local shops and hotels an estimated £3 million.",
        new_text=STRIKE
        + "\n\nCorrection: an earlier version of this article misstated the turnout.",
        expected="position",
        expected_text_in_new="local shops and hotels an estimated £3 million.",
    ),
    # Unicode.
    Case(
        name="a passage with emoji and curly quotes, text inserted before it",
        old_text=BRICKS,
        selection="“Mon café devient une maison ☕🏠”",
        new_text=edit(BRICKS, ("One owner,", "One owner, who runs a café near the station,")),
        expected="quote",
        expected_text_in_new="“Mon café devient une maison ☕🏠”",
    ),
    Case(
        name="an accented passage with the words before it changed",
        old_text=BRICKS,
        selection="Université de Lyon",
        new_text=edit(BRICKS, ("Researchers at the", "Scientists at the")),
        expected="quote",
        expected_text_in_new="Université de Lyon",
    ),
    # Gone.
    Case(
        name="the passage's paragraph deleted is orphaned",
        old_text=STRIKE,
        selection="guards play a vital role in helping disabled passengers",
        new_text=drop_paragraph(STRIKE, 3),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="the passage's sentence deleted from an intact paragraph is orphaned",
        old_text=FLOOD,
        selection="expect more rain on Wednesday",
        new_text=edit(FLOOD, ("Forecasters expect more rain on Wednesday. ", "")),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="the passage rewritten beyond recognition is orphaned",
        old_text=BRICKS,
        selection="the bricks have not yet been tested for long-term durability",
        new_text=edit(
            BRICKS,
            (
                "The researchers caution that the bricks have not yet been tested for long-term "
                "durability.",
                "How they age outdoors is still unknown, the team admits.",
            ),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="a deleted sentence is not replaced by a similar one elsewhere",
        old_text=FLOOD,
        selection="The agency said river levels peaked at 3.9 metres",
        new_text=edit(
            FLOOD,
            (
                "The agency said river levels peaked at 3.9 metres shortly before midnight, just "
                "below the record set in 2007. ",
                "",
            ),
            (
                "Forecasters expect more rain on Wednesday.",
                "Forecasters expect more rain on Wednesday, when the agency said river levels "
                "peaked at 3.4 metres last year.",
            ),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="a short figure replaced by a different one is orphaned",
        old_text=BUDGET,
        selection="£4.2 million",
        new_text=edit(BUDGET, ("£4.2 million gap", "shortfall of almost five million pounds")),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    # Long passages.
    Case(
        name="a long passage with a typo fixed and a word changed",
        old_text=STRIKE,
        selection=STRIKE.split("\n\n")[2],
        new_text=edit(
            STRIKE,
            ("was disapointed and would", "was disappointed and would"),
            ("claim a full refund", "claim a refund"),
        ),
        expected="fuzzy",
        expected_text_in_new=edit(
            STRIKE.split("\n\n")[2],
            ("was disapointed and would", "was disappointed and would"),
            ("claim a full refund", "claim a refund"),
        ),
    ),
    Case(
        name="a long passage across two paragraphs with an edit in each",
        old_text=BUDGET,
        selection=(
            "who chairs the finance committee, said the decision was “regrettable but "
            "necessary”, adding that the authority could not approve a budget that left a £4.2 "
            "million gap.\n\nOpposition members accused the ruling group of mismanaging the car "
            "park project."
        ),
        new_text=edit(
            BUDGET,
            ("the authority could not", "the authority could simply not"),
            ("Opposition members accused", "Opposition councillors accused"),
        ),
        expected="fuzzy",
        expected_text_in_new=(
            "who chairs the finance committee, said the decision was “regrettable but "
            "necessary”, adding that the authority could simply not approve a budget that left "
            "a £4.2 million gap.\n\nOpposition councillors accused the ruling group of "
            "mismanaging the car park project."
        ),
    ),
]
