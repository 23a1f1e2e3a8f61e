"""Held-out article edits: re-anchoring is measured on these, never tuned on them.

The cases in corpus.py are the tuning part: the engine's parameters were set while looking at
them, so passing them shows what the engine was made to do, not how it does on edits nobody
tuned it for. The cases here were written afterwards, on four new articles, with the outcome a
reader would want decided before the engine was run on them; `RECORDED` in test_anchoring.py is
what it scored then. A change to the engine is judged on this figure. If a change is made to fix
one of these cases, that case has been tuned on: move it to corpus.py and write a new one here.

Each case says, as in corpus.py, what a reader selected before the edit and where (and how) it
must be found after it. The split is by file, so it never changes when cases are added.
"""

# ruff: noqa: RUF001 - typographic apostrophes and minus signs are what some cases edit

from __future__ import annotations

from tests.inline.corpus import Case, drop_paragraph, edit, move_paragraph, nth

HOSPITAL = "\n\n".join(
    [
        "Patients at Kingsmead General Hospital will wait up to three weeks longer for routine "
        "operations this winter, the health trust has warned, after two of its six theatres "
        "were closed for emergency repairs to their ventilaton systems.",
        "The trust's chief executive, Naomi Okafor, said the closures were unavoidable. “We "
        "cannot operate in theatres where the air handling does not meet the standard,” she "
        "said. “Patient safety has to come first, even when it means longer waits.”",
        "About 1,200 procedures, mostly hip and knee replacements and cataract operations, are "
        "expected to be postponed between now and March. Patients will be contacted directly, "
        "and the trust has asked them not to call the hospital switchboard.",
        "The repairs are estimated to cost £2.4 million and should be finished by the end of "
        "February. The trust is also hiring operating space at a private hospital in Eastfield "
        "for up to 40 operations a week.",
        "Local campaigners said the problem had been flagged in an inspection report two years "
        "ago. “They knew the ventilation was failing and did nothing,” said Brian Castellano of "
        "Kingsmead Patients' Voice.",
    ]
)

MARKET = "\n\n".join(
    [
        "The Saturday farmers' market in Tollgate Square will move to the old cattle market site "
        "from June, after traders complained that the square's cobbles made it impossible to set "
        "up stalls safely.",
        "The market, which began in 2011 with nine stalls, now has more than sixty and draws "
        "about 4,000 visitors on a busy weekend. Its organiser, Felicity Amadi, said the move was "
        "“bittersweet” but necessary.",
        "“Tollgate Square is the heart of the town and we'll miss it,” she said. “But we had two "
        "traders injured last winter, and we simply can't ask people to keep carrying gas bottles "
        "across wet stones.”",
        "The cattle market site, owned by the council, has a level concrete yard, toilets and "
        "parking for 120 cars. The council will charge the market a peppercorn rent of £1 a year "
        "for the first three years.",
        "Some shopkeepers on Tollgate Square fear they will lose trade. Ahmed Rahimi, who runs a "
        "café on the square, said Saturdays accounted for almost half his weekly takings.",
    ]
)

STARGAZING = "\n\n".join(
    [
        "Astronomers at the Observatoire de Haute-Provence say they have detected water vapour in "
        "the atmosphere of a planet orbiting a small red star 97 light years from Earth.",
        "The planet, known as TOI-1759 b, is about three times the size of Earth and completes an "
        "orbit every 18.85 days. Dr Soren Vestergaard, who led the analysis, called the result "
        "“a first glimpse, not a final answer”.",
        "The team used twelve nights of observations from the spectrograph SPIRou, which is "
        "cooled to −80 °C to reduce noise. Their paper was published in Astronomy & Astrophysics "
        "on Thursday. 🔭",
        "Other astronomers urged caution. Professor Linnea Håkansson of Uppsala University said "
        "the signal was “intriguing but weak”, and that independent observations with the James "
        "Webb Space Telescope would be needed to confirm it.",
    ]
)

BY_ELECTION = "\n\n".join(
    [
        "Voters in the Stainby East ward will go to the polls on Thursday to choose a new "
        "councillor, after the previous member resigned in March.",
        "Four candidates are standing. The Green candidate, Mira Kowalczyk, is a primary school "
        "teacher. The Labour candidate, Owen Pryce, is a retired firefigher. The Conservative "
        "candidate, Daniel Hurst, runs a garage. The Liberal Democrat candidate, Jenna Morley, is "
        "a nurse.",
        "Turnout in the ward at the last election was 31 per cent. Polling stations will be open "
        "from 7am to 10pm, and the count will take place on Friday morning at the Stainby Leisure "
        "Centre.",
        "All four candidates have said that the closure of the Stainby East library is the main "
        "issue on the doorstep. The library closed in January to save £85,000 a year.",
    ]
)

HOSPITAL_UPDATE = (
    "Update, Tuesday: the trust now says the second theatre should reopen in January.\n\n"
)
MARKET_WRAPPED = MARKET.replace("cobbles made it impossible", "cobbles made it\nimpossible")
STARGAZING_SPACED = STARGAZING.replace(". ", ".  ")
BY_ELECTION_FIXED = BY_ELECTION.replace("firefigher", "firefighter")

HELD_OUT_CASES: list[Case] = [
    # Nothing changed near the passage.
    Case(
        name="held out: a date corrected in the last paragraph leaves an early passage in place",
        old_text=HOSPITAL,
        selection="two of its six theatres were closed",
        new_text=edit(HOSPITAL, ("two years ago", "three years ago")),
        expected="position",
        expected_text_in_new="two of its six theatres were closed",
    ),
    Case(
        name="held out: a name respelt after the passage",
        old_text=MARKET,
        selection="began in 2011 with nine stalls",
        new_text=edit(MARKET, ("Ahmed Rahimi", "Ahmad Rahimi")),
        expected="position",
        expected_text_in_new="began in 2011 with nine stalls",
    ),
    Case(
        name="held out: the first words selected, a month changed later in the sentence",
        old_text=MARKET,
        selection="The Saturday farmers' market",
        new_text=edit(MARKET, ("from June", "from July")),
        expected="position",
        expected_text_in_new="The Saturday farmers' market",
    ),
    Case(
        name="held out: the last sentence selected, a paragraph appended after it",
        old_text=BY_ELECTION,
        selection="The library closed in January to save £85,000 a year.",
        new_text=BY_ELECTION + "\n\nResults will be published here on Friday.",
        expected="position",
        expected_text_in_new="The library closed in January to save £85,000 a year.",
    ),
    Case(
        name="held out: a paragraph pasted twice further down leaves the passage in the first",
        old_text=MARKET,
        selection="a peppercorn rent",
        new_text=MARKET + "\n\n" + MARKET.split("\n\n")[3],
        expected="position",
        expected_text_in_new="a peppercorn rent",
        expected_occurrence=0,
    ),
    # Text added, removed or moved around the passage.
    Case(
        name="held out: an update paragraph added at the top",
        old_text=HOSPITAL,
        selection="hip and knee replacements",
        new_text=HOSPITAL_UPDATE + HOSPITAL,
        expected="quote",
        expected_text_in_new="hip and knee replacements",
    ),
    Case(
        name="held out: words added earlier in the passage's sentence",
        old_text=MARKET,
        selection="draws about 4,000 visitors on a busy weekend",
        new_text=edit(MARKET, ("with nine stalls,", "with nine stalls and a single coffee van,")),
        expected="quote",
        expected_text_in_new="draws about 4,000 visitors on a busy weekend",
    ),
    Case(
        name="held out: the passage's paragraph moved up",
        old_text=BY_ELECTION,
        selection="Polling stations will be open from 7am to 10pm",
        new_text=move_paragraph(BY_ELECTION, 2, 1),
        expected="quote",
        expected_text_in_new="Polling stations will be open from 7am to 10pm",
    ),
    Case(
        name="held out: the passage's paragraph moved to the end",
        old_text=HOSPITAL,
        selection="hiring operating space at a private hospital in Eastfield",
        new_text=move_paragraph(HOSPITAL, 3, 4),
        expected="quote",
        expected_text_in_new="hiring operating space at a private hospital in Eastfield",
    ),
    Case(
        name="held out: a paragraph before the passage deleted",
        old_text=STARGAZING,
        selection="intriguing but weak",
        new_text=drop_paragraph(STARGAZING, 2),
        expected="quote",
        expected_text_in_new="intriguing but weak",
    ),
    Case(
        name="held out: a paragraph split just before the passage",
        old_text=BY_ELECTION,
        selection="Mira Kowalczyk, is a primary school teacher",
        new_text=edit(
            BY_ELECTION,
            (
                "Four candidates are standing. The Green",
                "Four candidates are standing.\n\nThe Green",
            ),
        ),
        expected="quote",
        expected_text_in_new="Mira Kowalczyk, is a primary school teacher",
    ),
    Case(
        name="held out: a line break inside the passage becomes a space",
        old_text=MARKET_WRAPPED,
        selection="cobbles made it\nimpossible to set up stalls",
        new_text=MARKET,
        expected="quote",
        expected_text_in_new="cobbles made it impossible to set up stalls",
    ),
    Case(
        name="held out: double spaces between sentences collapsed before the passage",
        old_text=STARGAZING_SPACED,
        selection="independent observations with the James Webb Space Telescope",
        new_text=STARGAZING,
        expected="quote",
        expected_text_in_new="independent observations with the James Webb Space Telescope",
    ),
    Case(
        name="held out: a passage ending in an emoji, words added before it",
        old_text=STARGAZING,
        selection="Astronomy & Astrophysics on Thursday. 🔭",
        new_text=edit(STARGAZING, ("The team used", "Over the winter, the team used")),
        expected="quote",
        expected_text_in_new="Astronomy & Astrophysics on Thursday. 🔭",
    ),
    # The same words more than once.
    Case(
        name="held out: one word of several alike, picked by its context, text added above",
        old_text=BY_ELECTION,
        selection=nth(BY_ELECTION, "candidate", 2),  # the Labour candidate
        new_text=HOSPITAL_UPDATE.replace("the trust", "the council") + BY_ELECTION,
        expected="quote",
        expected_text_in_new="candidate",
        expected_occurrence=2,
    ),
    Case(
        name="held out: a repeated place name, the same name added earlier",
        old_text=BY_ELECTION,
        selection=nth(BY_ELECTION, "Stainby", 1),  # the Stainby Leisure Centre
        new_text=edit(
            BY_ELECTION,
            ("the previous member resigned", "the previous member, a Stainby shopkeeper, resigned"),
        ),
        expected="quote",
        expected_text_in_new="Stainby",
        expected_occurrence=2,
    ),
    # Small edits inside the passage.
    Case(
        name="held out: a misspelt word fixed inside the passage",
        old_text=HOSPITAL,
        selection="emergency repairs to their ventilaton systems",
        new_text=edit(HOSPITAL, ("ventilaton", "ventilation")),
        expected="fuzzy",
        expected_text_in_new="emergency repairs to their ventilation systems",
    ),
    Case(
        name="held out: a cost updated inside the passage",
        old_text=HOSPITAL,
        selection="estimated to cost £2.4 million",
        new_text=edit(HOSPITAL, ("£2.4 million", "£2.7 million")),
        expected="fuzzy",
        expected_text_in_new="estimated to cost £2.7 million",
    ),
    Case(
        name="held out: a word added inside a list in the passage",
        old_text=MARKET,
        selection="a level concrete yard, toilets and parking for 120 cars",
        new_text=edit(MARKET, ("yard, toilets", "yard, new toilets")),
        expected="fuzzy",
        expected_text_in_new="a level concrete yard, new toilets and parking for 120 cars",
    ),
    Case(
        name="held out: a word cut from the middle of the passage",
        old_text=HOSPITAL,
        selection=(
            "Patients will be contacted directly, and the trust has asked them not to call the "
            "hospital switchboard"
        ),
        new_text=edit(HOSPITAL, ("contacted directly,", "contacted,")),
        expected="fuzzy",
        expected_text_in_new=(
            "Patients will be contacted, and the trust has asked them not to call the hospital "
            "switchboard"
        ),
    ),
    Case(
        name="held out: an accent restored in a name inside the passage",
        old_text=STARGAZING,
        selection="Dr Soren Vestergaard, who led the analysis",
        new_text=edit(STARGAZING, ("Soren", "Søren")),
        expected="fuzzy",
        expected_text_in_new="Dr Søren Vestergaard, who led the analysis",
    ),
    Case(
        name="held out: an apostrophe made curly inside the passage",
        old_text=HOSPITAL,
        selection="said Brian Castellano of Kingsmead Patients' Voice",
        new_text=edit(HOSPITAL, ("Patients' Voice", "Patients’ Voice")),
        expected="fuzzy",
        expected_text_in_new="said Brian Castellano of Kingsmead Patients’ Voice",
    ),
    Case(
        name="held out: one short word swapped for another inside the passage",
        old_text=MARKET,
        selection="a peppercorn rent of £1 a year",
        new_text=edit(MARKET, ("£1 a year", "£1 per year")),
        expected="fuzzy",
        expected_text_in_new="a peppercorn rent of £1 per year",
    ),
    Case(
        name="held out: curly quotes inside the passage straightened",
        old_text=STARGAZING,
        selection="“a first glimpse, not a final answer”",
        new_text=edit(
            STARGAZING,
            ("“a first glimpse, not a final answer”", '"a first glimpse, not a final answer"'),
        ),
        expected="fuzzy",
        expected_text_in_new='"a first glimpse, not a final answer"',
    ),
    Case(
        name="held out: a typo fixed inside the passage and its paragraph moved",
        old_text=BY_ELECTION,
        selection="Owen Pryce, is a retired firefigher",
        new_text=move_paragraph(BY_ELECTION_FIXED, 1, 3),
        expected="fuzzy",
        expected_text_in_new="Owen Pryce, is a retired firefighter",
    ),
    Case(
        name="held out: a whole paragraph selected, two phrases in it reworded",
        old_text=HOSPITAL,
        selection=HOSPITAL.split("\n\n")[1],
        new_text=edit(
            HOSPITAL,
            ("the closures were unavoidable", "the closures had been unavoidable"),
            ("has to come first", "must come first"),
        ),
        expected="fuzzy",
        expected_text_in_new=edit(
            HOSPITAL.split("\n\n")[1],
            ("the closures were unavoidable", "the closures had been unavoidable"),
            ("has to come first", "must come first"),
        ),
    ),
    Case(
        name="held out: a passage across two paragraphs with a word added in the first",
        old_text=MARKET,
        selection="up stalls safely.\n\nThe market, which began in 2011",
        new_text=edit(MARKET, ("up stalls safely", "up their stalls safely")),
        expected="fuzzy",
        expected_text_in_new="up their stalls safely.\n\nThe market, which began in 2011",
    ),
    # Gone.
    Case(
        name="held out: the passage's paragraph deleted",
        old_text=STARGAZING,
        selection="twelve nights of observations",
        new_text=drop_paragraph(STARGAZING, 2),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="held out: the passage's sentence rewritten in other words",
        old_text=HOSPITAL,
        selection="Patient safety has to come first, even when it means longer waits.",
        new_text=edit(
            HOSPITAL,
            (
                "Patient safety has to come first, even when it means longer waits.",
                "Nobody wants patients to wait, but safety is not negotiable.",
            ),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="held out: a quoted word cut from its sentence and used by someone else later",
        old_text=MARKET,
        selection="“bittersweet”",
        new_text=edit(
            MARKET,
            (
                " Its organiser, Felicity Amadi, said the move was “bittersweet” but necessary.",
                "",
            ),
            ("weekly takings.", "weekly takings. “It's bittersweet,” he said."),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="held out: a percentage replaced by words",
        old_text=BY_ELECTION,
        selection="31 per cent",
        new_text=edit(BY_ELECTION, ("was 31 per cent", "was just under a third")),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="held out: the passage's sentence deleted from a paragraph that stays",
        old_text=STARGAZING,
        selection="completes an orbit every 18.85 days",
        new_text=edit(
            STARGAZING,
            (
                "The planet, known as TOI-1759 b, is about three times the size of Earth and "
                "completes an orbit every 18.85 days. ",
                "",
            ),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
    Case(
        name="held out: the passage's sentence rewritten and its phrase added in another",
        old_text=HOSPITAL,
        selection="call the hospital switchboard",
        new_text=edit(
            HOSPITAL,
            (
                "Patients will be contacted directly, and the trust has asked them not to call "
                "the hospital switchboard.",
                "Patients will be contacted by letter.",
            ),
            (
                "Kingsmead Patients' Voice.",
                "Kingsmead Patients' Voice. Calls to the hospital switchboard have doubled "
                "since the announcement.",
            ),
        ),
        expected="orphaned",
        expected_text_in_new=None,
    ),
]
