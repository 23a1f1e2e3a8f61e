"""Benchmark of re-anchoring: 500 anchors after an edit of a 5,000-word article.

usage: .venv/bin/python bench/reanchor.py [--words 5000] [--anchors 500] [--repeat 7] [--seed 1]

Generates a news article from sentence parts (names, places and phrases recur, as in a long
report; whole sentences do not), seeds 20 typos into it, and selects passages the way readers
do: a word or two, a phrase, a sentence, now and then two. The edit then does what sub-editors
do: a new paragraph at the top, a sentence added to ten paragraphs, a paragraph moved from near
the top to near the bottom, one deleted, five sentences rewritten and every typo fixed.

Prints the time of `reanchor_all` (best and median of --repeat runs; the same on the unedited
text for reference), how each anchor was found, and a check of every placement against where
its passage really went: kept passages must be at their new place, passages with a fixed typo
inside must be found in their sentence, deleted or rewritten ones should be orphaned.
--verbose shows the misplaced ones.

Seeds 1-30 were used while tuning the engine; measure a change on seeds 1001 and up, which
were not (docs/decisions.md, 12).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass

from rejoinder.inline.anchoring import make_anchor, reanchor_all

NAMES = [
    "Dana Whitfield",
    "Imran Shah",
    "Margaret Oduya",
    "Richard Coles",
    "Paul Brennan",
    "Zoë Müller",
    "Aurélie Besançon",
    "Tom Achebe",
    "Priya Raman",
    "Kevin O'Hara",
    "Siobhán Kelly",
    "Marek Nowak",
    "Grace Adeyemi",
    "Luis Ortega",
    "Hannah Fischer",
]
PLACES = [
    "Harlow Bridge",
    "Lowmoor",
    "Stainby",
    "Seabrook",
    "Hartpool",
    "the Corn Exchange",
    "Victoria Street",
    "Mill Lane",
    "the town hall",
    "Kingsmead",
    "Eastfield",
    "the harbour",
]
GROUPS = [
    "the council",
    "the union",
    "the agency",
    "residents",
    "business groups",
    "opposition members",
    "the police",
    "local schools",
    "the health trust",
    "bus operators",
]
COMMITTEES = [
    "the finance committee",
    "the planning committee",
    "the transport board",
    "the housing panel",
    "the audit committee",
]
THINGS = [
    "bridge",
    "library",
    "car park",
    "swimming pool",
    "bus station",
    "leisure centre",
    "market hall",
    "sea wall",
    "primary school",
    "health centre",
]
ROLES = ["councillor", "shopkeeper", "head teacher", "resident", "structural engineer", "GP"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "September",
    "October",
    "November",
]
# Sentences are assembled from parts, so that phrases recur as they do in a long article
# while whole sentences, and most 32-character stretches, do not.
SUBJECTS = [
    "{Group}",
    "{name}",
    "{name}, who chairs {committee},",
    "A spokesperson for {group}",
    "{name}, a {role} in {place},",
    "Officials in {place}",
    "{Committee}",
    "The leader of {group}",
    "A report by {committee}",
    "{name}, speaking in {place},",
]
VERBS = [
    "said on {day} that",
    "told the meeting that",
    "warned that",
    "argued that",
    "insisted that",
    "admitted that",
    "confirmed that",
    "claimed that",
    "accepted that",
    "told reporters in {place} that",
    "said in a statement that",
    "has suggested that",
]
CLAUSES = [
    "the plan for {place} would cost £{m} million",
    "repairs to the {thing} at {place} could take until {year}",
    "{n} households in {place} had been affected",
    "the figures were “deeply worrying”",
    "work on the {thing} would begin in {month}",
    "{group2} had not been consulted about the changes",
    "the scheme was {p} per cent over budget",
    "the {thing} in {place} would stay closed until {month}",
    "trade near the {thing} had fallen by a third since {month}",
    "the review would make {h} recommendations",
    "a petition to save the {thing} had {n} signatures",
    "the delay was caused by a shortage of {resource}",
    "the timetable for the {thing} was unrealistic",
    "no decision on the {thing} would be taken before {month}",
    "the cost had risen from £{m} million to £{m2} million",
    "{group2} would be asked to publish their accounts every {month}",
    "fares on the route to {place} would rise by {p} per cent",
    "the {thing} had been inspected {h} times since {year}",
    "more than {n} people had used the {thing} last year",
    "the money should go to {place} instead",
    "engineers found cracks in the {thing} in {month}",
    "the {thing} was built in {year} and had never been fully repaired",
]
ADJUNCTS = [
    "",
    "",
    "",
    "",
    ", despite objections from {group2}",
    " after a meeting lasting almost {h} hours",
    ", according to figures from {month}",
    " in a letter to {group2}",
    ", weather permitting",
    " earlier this year",
    ", although {group2} disagreed",
    " for the {nth} time this year",
]
QUOTES = [
    "We have been asking for this for years",
    "Nobody is pretending this is easy",
    "That is simply not good enough",
    "We were never told about the cracks",
    "People here feel forgotten",
    "It is the right decision for {place}",
    "The money has to come from somewhere",
    "I have lived here since {year}",
    "This was avoidable",
    "We will keep campaigning until it reopens",
    "The numbers do not add up",
    "Families in {place} deserve better",
]
RESOURCES = ["materials", "staff", "engineers", "funding", "steel", "drivers"]


@dataclass
class Sentence:
    old: str
    new: str
    typo: tuple[int, int] | None = None  # span of the misspelt word in `old`
    rewritten: bool = False


def make_sentence(rng: random.Random) -> str:
    groups = rng.sample(GROUPS, 2)
    committee = rng.choice(COMMITTEES)
    m = rng.randint(2, 40)
    fields = {
        "name": rng.choice(NAMES),
        "place": rng.choice(PLACES),
        "group": groups[0],
        "Group": groups[0][0].upper() + groups[0][1:],
        "group2": groups[1],
        "committee": committee,
        "Committee": committee[0].upper() + committee[1:],
        "thing": rng.choice(THINGS),
        "role": rng.choice(ROLES),
        "resource": rng.choice(RESOURCES),
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "m": f"{m}.{rng.randint(1, 9)}",
        "m2": f"{m + rng.randint(2, 30)}.{rng.randint(1, 9)}",
        "p": rng.randint(5, 60),
        "n": rng.randint(20, 4000),
        "h": rng.randint(2, 12),
        "year": rng.randint(1970, 2024),
        "nth": rng.choice(["second", "third", "fourth", "fifth"]),
    }
    if rng.random() < 0.2:
        shape = rng.choice(["“{q1},” said {name}.", "“{q1},” {name} said. “{q2}.”"])
        q1, q2 = rng.sample(QUOTES, 2)
        return shape.format(q1=q1, q2=q2, name="{name}").format(**fields)
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(CLAUSES) + rng.choice(ADJUNCTS)]
    return (" ".join(parts) + ".").format(**fields)


def unique_sentence(rng: random.Random, seen: set[str]) -> str:
    while True:
        text = make_sentence(rng)
        if text not in seen:
            seen.add(text)
            return text


def misspell(rng: random.Random, sentence: str) -> tuple[str, tuple[int, int]] | None:
    """Swap two inner letters of a long word, as fast typing does."""
    words = [(i, w) for i, w in enumerate(sentence.split(" ")) if len(w) >= 6 and w.isalpha()]
    if not words:
        return None
    index, word = rng.choice(words)
    at = rng.randint(1, len(word) - 3)
    typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if typo == word:
        return None
    parts = sentence.split(" ")
    start = sum(len(p) + 1 for p in parts[:index])
    parts[index] = typo
    return " ".join(parts), (start, start + len(word))


def render(
    paragraphs: list[list[int]], sentences: list[Sentence], *, new: bool
) -> tuple[str, dict[int, int]]:
    """Join paragraphs of sentences into text; return it with each sentence's offset."""
    pieces: list[str] = []
    offsets: dict[int, int] = {}
    length = 0
    for p, paragraph in enumerate(paragraphs):
        if p:
            pieces.append("\n\n")
            length += 2
        for s, sid in enumerate(paragraph):
            if s:
                pieces.append(" ")
                length += 1
            offsets[sid] = length
            text = sentences[sid].new if new else sentences[sid].old
            pieces.append(text)
            length += len(text)
    return "".join(pieces), offsets


@dataclass
class Selection:
    sentences: list[int]
    start: int
    end: int


def write_article(
    rng: random.Random, words: int, seen: set[str]
) -> tuple[list[Sentence], list[list[int]]]:
    sentences: list[Sentence] = []
    paragraphs: list[list[int]] = []
    count = 0
    while count < words:
        paragraph = []
        for _ in range(rng.randint(2, 5)):
            text = unique_sentence(rng, seen)
            count += len(text.split())
            paragraph.append(len(sentences))
            sentences.append(Sentence(old=text, new=text))
        paragraphs.append(paragraph)
    for sentence in rng.sample(sentences, 20):
        typo = misspell(rng, sentence.old)
        if typo:
            # `new` keeps the sentence as it should have been: the edit fixes the typo.
            sentence.old, sentence.typo = typo
    return sentences, paragraphs


def select(
    rng: random.Random,
    count: int,
    text: str,
    offsets: dict[int, int],
    sentences: list[Sentence],
    paragraphs: list[list[int]],
) -> list[Selection]:
    """Pick passages: a quarter whole sentences (some two), the rest 1-2 or 3-12 words."""
    selections: list[Selection] = []
    while len(selections) < count:
        paragraph = rng.choice(paragraphs)
        first = rng.randrange(len(paragraph))
        last = first + 1 if rng.random() < 0.15 and first + 1 < len(paragraph) else first
        span_start = offsets[paragraph[first]]
        span_end = offsets[paragraph[last]] + len(sentences[paragraph[last]].old)
        roll = rng.random()
        if last > first or roll < 0.25:
            start, end = span_start, span_end
        else:
            words = text[span_start:span_end]
            edges = [0] + [i + 1 for i, c in enumerate(words) if c == " "]
            length = rng.randint(1, 2) if roll < 0.5 else rng.randint(3, 12)
            i = rng.randrange(len(edges))
            j = min(len(edges) - 1, i + length)
            start = span_start + edges[i]
            end = span_start + (edges[j] - 1 if j > i else len(words))
        selections.append(Selection(paragraph[first : last + 1], start, end))
    return selections


def edit(
    rng: random.Random, sentences: list[Sentence], paragraphs: list[list[int]], seen: set[str]
) -> tuple[list[list[int]], set[int]]:
    """Edit the article; return the new paragraphs and the sentences deleted with one."""
    base = len(sentences)
    sentences.extend(
        Sentence(old=t, new=t) for t in (unique_sentence(rng, seen) for _ in range(13))
    )
    edited = [list(paragraph) for paragraph in paragraphs]
    for n, paragraph in enumerate(rng.sample(edited, 10)):
        paragraph.append(base + 3 + n)
    moved_at, deleted_at = len(edited) // 6, len(edited) // 2
    gone = set(edited[deleted_at])
    kept = [paragraph for i, paragraph in enumerate(edited) if i not in (moved_at, deleted_at)]
    kept.insert(len(kept) * 5 // 6, edited[moved_at])
    for sentence in rng.sample([s for s in sentences[:base] if not s.typo], 5):
        sentence.new = unique_sentence(rng, seen)
        sentence.rewritten = True
    return [[base, base + 1, base + 2], *kept], gone


def show(text: str, start: int, end: int) -> str:
    return repr(f"{text[max(0, start - 40) : start]}[{text[start:end]}]{text[end : end + 40]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--anchors", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seen: set[str] = set()

    sentences, paragraphs = write_article(rng, args.words, seen)
    old_text, old_offsets = render(paragraphs, sentences, new=False)
    selections = select(rng, args.anchors, old_text, old_offsets, sentences, paragraphs)
    anchors = [make_anchor(old_text, s.start, s.end) for s in selections]
    edited, gone = edit(rng, sentences, paragraphs, seen)
    new_text, new_offsets = render(edited, sentences, new=True)

    timings, unchanged = [], []
    for _ in range(args.repeat):
        began = time.perf_counter()
        placements = reanchor_all(anchors, new_text)
        timings.append(time.perf_counter() - began)
        began = time.perf_counter()
        reanchor_all(anchors, old_text)
        unchanged.append(time.perf_counter() - began)

    verdicts: Counter[str] = Counter()
    for selection, placement in zip(selections, placements, strict=True):
        sids, start, end = selection.sentences, selection.start, selection.end
        got = placement.position
        first_new = new_offsets.get(sids[0], -1)
        last_end = new_offsets.get(sids[-1], -1) + len(sentences[sids[-1]].new)
        typo_inside = any(
            (typo := sentences[sid].typo)
            and old_offsets[sid] + typo[0] < end
            and start < old_offsets[sid] + typo[1]
            for sid in sids
        )
        if any(sid in gone for sid in sids):
            verdict = "deleted: " + ("orphaned" if got is None else "WRONG PLACE")
        elif any(sentences[sid].rewritten for sid in sids):
            inside = got is not None and first_new <= got.start < last_end
            state = "placed in what is left" if inside else "WRONG PLACE"
            verdict = "rewritten: " + ("orphaned" if got is None else state)
        elif typo_inside:
            inside = got is not None and first_new <= got.start and got.end <= last_end
            state = "found in its sentence" if inside else "WRONG PLACE"
            verdict = "typo fixed inside: " + ("orphaned" if got is None else state)
        else:
            expected = first_new + start - old_offsets[sids[0]]
            right = got is not None and (got.start, got.end) == (expected, expected + end - start)
            state = "right place" if right else "WRONG PLACE"
            verdict = "kept: " + ("orphaned" if got is None else state)
        verdicts[verdict] += 1
        if args.verbose and ("WRONG" in verdict or verdict == "kept: orphaned"):
            print(f"{verdict} ({placement.method}, score {placement.score})")
            print("    old:", show(old_text, start, end))
            if got is not None:
                print("    new:", show(new_text, got.start, got.end))

    methods: Counter[str] = Counter(placement.method for placement in placements)
    print(
        f"article: {len(old_text.split()):,} words, {len(old_text):,} characters "
        f"({len(new_text):,} after the edit); {len(anchors)} anchors"
    )
    print(
        f"reanchor_all after the edit: best {min(timings) * 1000:.1f} ms, "
        f"median {statistics.median(timings) * 1000:.1f} ms ({args.repeat} runs)"
    )
    print(f"reanchor_all on the unedited text: best {min(unchanged) * 1000:.1f} ms")
    print(
        "methods: "
        + ", ".join(f"{m} {methods[m]}" for m in ("position", "quote", "fuzzy", "orphaned"))
    )
    print("check against the edit:")
    for verdict, count in sorted(verdicts.items()):
        print(f"  {verdict}: {count}")


if __name__ == "__main__":
    main()
