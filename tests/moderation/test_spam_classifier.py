"""The spam classifier: held-out quality, learning from moderators, signals, serialisation.

Pure Python, no database: the model is counts in a JSON document.

The quality figures are measured on held-out comments only: a quarter of the corpus, chosen by
a hash of each text (`corpus.is_held_out`), that training never sees. The model's counts and
its calibration are fitted on the other three quarters, and the thresholds were chosen on
out-of-fold scores of those (see `QUEUE_THRESHOLD` in classifier.py), so nothing asserted
here was tuned on the comments it is measured on.
"""

from __future__ import annotations

import pytest
from scripts.train_spam_model import MODEL_PATH, build_builtin, measure, report

from rejoinder.moderation.spam import (
    QUEUE_THRESHOLD,
    REJECT_THRESHOLD,
    Signals,
    SpamModel,
    load_builtin,
)
from rejoinder.moderation.spam.corpus import is_hand_written, labelled_corpus, split_corpus
from rejoinder.moderation.spam.features import read_text

# Held-out (precision, recall) the built-in model achieved when last trained, as printed by
# `scripts/train_spam_model.py`. The margin is about two comments of the held-out
# set (46 spam, 73 legitimate); falling further is a regression.
RECORDED = {QUEUE_THRESHOLD: (1.000, 0.935), REJECT_THRESHOLD: (1.000, 0.783)}
MARGIN = 0.045

ORDINARY = "I think the council got this one wrong, and the article explains why rather well."


@pytest.fixture(scope="module")
def builtin() -> SpamModel:
    return load_builtin()


def test_the_built_in_model_loads_and_scores_between_zero_and_one(builtin: SpamModel) -> None:
    for text in ("", "Agreed.", ORDINARY, "Buy v1agra now https://cheap-pills.shop", "\u200b" * 5):
        assert 0.0 <= builtin.score(text) <= 1.0
    assert builtin.score("Buy v1agra now https://cheap-pills.shop") > REJECT_THRESHOLD
    assert builtin.score(ORDINARY) < QUEUE_THRESHOLD


def test_the_built_in_model_is_what_training_on_the_corpus_produces() -> None:
    assert build_builtin().to_json() + "\n" == MODEL_PATH.read_text(encoding="utf-8"), (
        "model.json is stale: run .venv/bin/python scripts/train_spam_model.py"
    )


def test_the_corpus_is_large_mostly_legitimate_and_split_three_to_one() -> None:
    corpus = labelled_corpus()
    training, held_out = split_corpus()
    texts = [example.text for example in corpus]
    spam_share = sum(example.is_spam for example in corpus) / len(corpus)
    assert len(corpus) >= 300
    assert len(set(texts)) == len(texts)
    assert 0.35 <= spam_share <= 0.45
    assert 0.70 <= len(training) / len(corpus) <= 0.80
    assert {e.text for e in training}.isdisjoint(e.text for e in held_out)
    assert sum(is_hand_written(text) for text in texts) >= 250


@pytest.mark.parametrize("threshold", sorted(RECORDED))
def test_held_out_precision_and_recall_stay_at_the_recorded_figures(
    builtin: SpamModel,
    threshold: float,
    pytestconfig: pytest.Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _training, held_out = split_corpus()
    measured = measure(builtin, held_out, threshold=threshold)
    precision, recall = RECORDED[threshold]
    # Written to the terminal past output capture, so every run reports the figures.
    terminal = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    lines = report(builtin) if threshold == QUEUE_THRESHOLD else []
    with capsys.disabled():
        for line in ["", f"spam classifier: held out {measured}", *lines]:
            if terminal is not None:  # None under plugins that replace the terminal reporter
                terminal.write_line(line)
    assert measured.precision >= precision - MARGIN, f"held out {measured}"
    assert measured.recall >= recall - MARGIN, f"held out {measured}"


def test_learning_five_messages_of_a_new_campaign_raises_the_score_of_a_similar_one() -> None:
    model = load_builtin()
    campaign = [
        "Harbourline Residences are selling fast, viewing days every weekend, book yours at harbourline-homes.co",
        "Still time to see the Harbourline Residences show flat this Saturday, ask for Dean: harbourline-homes.co",
        "Anyone thinking of moving should look at Harbourline Residences, two bedroom flats from 189k, harbourline-homes.co",
        "Harbourline Residences: river views, parking included, reserve with a small deposit at harbourline-homes.co",
        "Priced out elsewhere? Harbourline Residences has shared ownership flats left, details at harbourline-homes.co",
    ]
    new = "Last few Harbourline Residences flats with river views, book a viewing this weekend at harbourline-homes.co"
    before = model.score(new)
    for text in campaign:
        model.learn(text, Signals(), is_spam=True)
    after = model.score(new)
    assert before < QUEUE_THRESHOLD <= REJECT_THRESHOLD < after, (before, after)


def test_learning_approvals_lowers_the_score_of_similar_legitimate_comments() -> None:
    model = load_builtin()
    approved = [
        "Crypto ATM on Mill Lane again. Free money for scammers.",
        "Bitcoin ATM complaints: call trading standards on 0808 223 1133.",
        "Another crypto ATM, another pensioner scammed. Ban them.",
        "Crypto ATM firms pay the shops 500 a month. Follow the money.",
        "The crypto ATM outside the station is gone, finally!",
    ]
    new = "Crypto ATM back on Mill Lane. Trading standards, please act now."
    before = model.score(new)
    for text in approved:
        model.learn(text, Signals(seconds_to_submit=40), is_spam=False)
    after = model.score(new)
    assert after < QUEUE_THRESHOLD < before, (before, after)


def test_learning_is_independent_of_order_and_unlearning_restores_the_model() -> None:
    decisions = [
        ("Buy c4sino chips at https://chips-deal.top", Signals(seconds_to_submit=1.0), True),
        ("The article has the date wrong, it was Tuesday.", Signals(published_before=3), False),
        ("Message me on telegram @easy_profit_7", None, True),
    ]
    original = load_builtin().to_json()
    forwards, backwards = load_builtin(), load_builtin()
    for text, signals, is_spam in decisions:
        forwards.learn(text, signals, is_spam)
    for text, signals, is_spam in reversed(decisions):
        backwards.learn(text, signals, is_spam)
    assert forwards.to_json() == backwards.to_json() != original
    for text, signals, is_spam in decisions:
        forwards.unlearn(text, signals, is_spam)
    assert forwards.to_json() == original


def test_unlearning_a_decision_that_was_never_learnt_is_refused_and_changes_nothing() -> None:
    model = load_builtin()
    before = model.to_json()
    with pytest.raises(ValueError, match="not learnt"):
        model.unlearn("A comment about zyxwvuts nobody ever posted", Signals(), is_spam=True)
    with pytest.raises(ValueError, match="not learnt"):
        model.unlearn("Agreed.", Signals(honeypot_filled=True), is_spam=False)
    assert model.to_json() == before


def test_a_filled_honeypot_gives_an_ordinary_comment_a_score_above_rejection(
    builtin: SpamModel,
) -> None:
    assert builtin.score(ORDINARY, Signals(honeypot_filled=True)) > REJECT_THRESHOLD
    assert builtin.score("Agreed.", Signals(honeypot_filled=True)) > REJECT_THRESHOLD


def test_submitting_half_a_second_after_the_form_rendered_raises_the_score(
    builtin: SpamModel,
) -> None:
    for text in ("Agreed.", ORDINARY):
        unknown = builtin.score(text)
        slow = builtin.score(text, Signals(seconds_to_submit=45))
        fast = builtin.score(text, Signals(seconds_to_submit=0.5))
        assert slow == unknown < fast
    assert builtin.score("Agreed.", Signals(seconds_to_submit=0.5)) > QUEUE_THRESHOLD


def test_repeated_text_velocity_and_links_raise_the_score_and_a_published_history_lowers_it(
    builtin: SpamModel,
) -> None:
    text = "Thanks for this, really useful."
    plain = builtin.score(text)
    assert builtin.score(text, Signals(repeated=True)) > plain
    assert builtin.score(text, Signals(repeated=3)) > builtin.score(text, Signals(repeated=1))
    assert (
        builtin.score(text, Signals(recent_posts=12))
        > builtin.score(text, Signals(recent_posts=4))
        > plain
    )
    assert builtin.score(text, Signals(links=3)) > plain
    assert builtin.score(text, Signals(published_before=8)) < plain


def test_serialisation_round_trips_exactly_before_and_after_learning(builtin: SpamModel) -> None:
    texts = [
        ORDINARY,
        "Agreed.",
        "Earn $500 a day from home, message me on WhatsApp +44 7700 900123",
    ]
    signals = Signals(seconds_to_submit=3.2, recent_posts=4)
    model = SpamModel.from_json(builtin.to_json())
    assert model.to_json() == builtin.to_json()
    assert [model.score(t, signals) for t in texts] == [builtin.score(t, signals) for t in texts]
    model.learn("Cheap flights at https://fly-cheap.top", signals, is_spam=True)
    copy = SpamModel.from_json(model.to_json())
    assert copy.to_json() == model.to_json()
    assert [copy.score(t, signals) for t in texts] == [model.score(t, signals) for t in texts]


def test_a_document_in_another_format_is_refused() -> None:
    with pytest.raises(ValueError, match="rejoinder-spam/1"):
        SpamModel.from_json('{"format": "something-else", "tokens": {}}')
    with pytest.raises(ValueError, match="rejoinder-spam/1"):
        SpamModel.from_json("[]")


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("Buy v1agra now", "viagra"),
        ("best c@sino in town", "casino"),
        ("c a s i n o bonus", "casino"),
        ("W.O.R.K from home", "work"),
        ("\u0441\u0430sin\u043e bonus", "casino"),  # Cyrillic look-alikes inside a Latin word
        ("free cr\u200byp\u200bto", "crypto"),  # zero-width spaces
        ("\uff46\uff52\uff45\uff45 spins", "free"),  # full-width letters
    ],
)
def test_obfuscated_spellings_are_read_as_the_words_they_hide(text: str, hidden: str) -> None:
    tokens = read_text(text).tokens
    assert hidden in tokens
    assert {"#obfuscated", "#obfuscated:many"} & set(tokens)


def test_text_in_other_scripts_and_ordinary_numbers_are_not_taken_for_obfuscation() -> None:
    for text in (
        "Хорошая статья, спасибо.",
        "Dziękuję za ten artykuł, Małgorzata.",
        "The 1st and 3rd readings, between 2019-2023, cost 4.2 million.",
    ):
        tokens = read_text(text).tokens
        assert not {"#obfuscated", "#obfuscated:many", "#phone"} & set(tokens), text


def test_links_become_domain_tokens_and_phone_numbers_a_marker() -> None:
    tokens = read_text("Source: https://www.bbc.co.uk/news/uk-politics and ons.gov.uk.").tokens
    assert {"host:bbc.co.uk", "site:bbc.co.uk", "tld:uk", "site:ons.gov.uk", "#links:2"} <= set(
        tokens
    )
    assert "#phone" in read_text("Call +1 (415) 555-0123 today").tokens
    assert read_text("no links here", links=2).links == 2
