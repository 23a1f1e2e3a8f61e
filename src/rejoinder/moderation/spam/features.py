"""Read a comment's text the way the spam classifier sees it: tokens and text markers.

The text is read the way a wary moderator reads it. Unicode is normalised (NFKC turns
full-width and "mathematical bold" letters into plain ones), invisible characters are taken
out, look-alike Cyrillic and Greek letters inside Latin words are mapped back, l33t spellings
("v1agra", "c@sino") and spaced-out letters ("c a s i n o") are joined into the words they
hide, and links become tokens for their domain and the words in it. What the text *does*,
rather than what it says, becomes marker tokens starting with "#" (`#links:2`, `#phone`,
`#call_to_action`, `#obfuscated`), so the classifier weighs them like words and learns them
from the same decisions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Cf/Cc/Co/Cn characters render as nothing (or as a box): zero-width spaces and joiners,
# soft hyphens, bidi overrides. Humans do not type them; filter-dodgers paste them.
_KEEP_CONTROLS = frozenset("\n\r\t")
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Full-width, "mathematical" bold/italic/script and circled letters: NFKC reads them as
# plain letters, and nobody writes a comment in them except to get past a word filter.
_STYLED_LETTERS = re.compile("[\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9\U0001d400-\U0001d7ff]")

# Look-alikes that turn "casino" into a word with Cyrillic a and o, or "bitcoin" into one
# with a Greek omicron. Applied only inside words that mix scripts, so Russian or Greek text
# stays what it is.
_HOMOGLYPHS = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u04bb\u0501\u0432\u043a\u043c\u043d\u0442"
    "\u03b1\u03bf\u03c1\u03bd\u03b9\u03ba\u03c4\u03c5\u03c7",
    "aeopcyxijshdbkmhtaopviktux",
)

# Every pattern below runs in time linear in the text (possessive quantifiers, starts only at
# the head of a run), since comment bodies come from anyone: a pattern that backtracks turns
# "a.a.a.a..." into seconds of CPU per comment.
_LINK_CANDIDATE = re.compile(
    r"""(?:https?://|www\.)[^\s<>"'()\[\]]++"""
    r"""|(?<![\w.@/-])[a-z0-9][a-z0-9-]*+\.[a-z0-9.-]*+(?:/[^\s<>"'()\[\]]*+)?"""
)
# Top-level domains that make a bare "word.tld" a link: the common ones and the cheap ones
# spam favours. Others ("e.g", "3.5") are text.
_TLDS = frozenset({
    "com", "net", "org", "info", "biz", "io", "co", "uk", "us", "de", "fr", "ru", "cn", "in",
    "xyz", "top", "site", "online", "shop", "store", "club", "live", "app", "me", "tv", "cc",
    "ly", "gl", "vip", "win", "bid", "loan", "work", "click", "link", "pro", "icu", "buzz", "fun",
    "space", "website", "tk", "ml", "ga", "cf", "gq", "pw", "su", "to", "ws", "eu", "gov", "edu",
    "int",
})  # fmt: skip
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"-"
# Second-level labels under which the registrable name is three labels long (news.bbc.co.uk).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "gob", "gouv", "nhs"})

# A run of digits, spaces, dots, dashes and brackets, optionally after a +; nine digits or
# more in it make a phone number in most national formats. Years and dates have fewer.
_PHONE = re.compile(r"(?<![\w+(])\+?\(?\d[\d\s().-]*+")
# Four or more single letters with one separator between each: "c a s i n o", "w.o.r.k".
# Starts only at the head of such a run (not after "x "), so that a long run is read once.
_SPACED_LETTERS = re.compile(
    r"(?<![\w.*-])(?<!(?<!\w)[^\W\d_][ .*_-])[^\W\d_](?:[ .*_-][^\W\d_](?!\w)){3,}+(?![\w*])"
)
_LEET_CHUNK = re.compile(r"[a-z0-9@$!|]+")
_UNLEET = str.maketrans("0134578@$!|", "oieastbasil")
_LEET_CHARS = frozenset("0134578@$!|")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|s)")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_RUN = re.compile(r"(\S)\1{5,}")
_REPEATED_WORD = re.compile(r"\b(\w+)(?:\W+\1\b){3,}")

_CALL_TO_ACTION = re.compile(
    r"click (?:here|the link|below|my)|visit (?:my|our|this|the site|us)|please visit|"
    r"check (?:out )?(?:my|our) (?:profile|page|site|bio|website|link)|\b(?:dm|inbox|pm) me\b|"
    r"\b(?:message|text|contact|email|write to|reach out to) (?:me|him|her|us)\b|\bcall (?:now|today)\b|"
    r"\b(?:on|via|through|at) (?:whatsapp|telegram|signal|wickr|kik|viber|snapchat)\b|"
    r"\b(?:sign up|register|order|buy|join|act|apply) (?:now|today|here)\b|limited (?:offer|time)|"
    r"\b(?:t\.me|wa\.me)/|link in (?:my )?(?:bio|profile)|\bwhatsapp\s*[:+]|\btelegram\s*[:@]"
)
_MONEY = re.compile(
    r"[$£€]\s?\d[\d,.]*\s?k?\+?\s*(?:/|per|a|an|each|every)\s*(?:hour|hr|day|week|wk|month|mo)\b|"
    r"\b(?:earn|earning|earned|make|making|made|profit|income|paid)\b[^.!?\n]{0,40}[$£€]\s?\d"
)
# Wallet addresses (Ethereum, Bitcoin bech32 and legacy): a payment request, not a discussion.
# Words such as "bitcoin" are left to the token counts, since news readers use them too.
_WALLET = re.compile(r"\b0x[0-9a-f]{40}\b|\bbc1[0-9a-z]{20,60}\b|\b[13][a-km-z1-9]{25,34}\b")


@dataclass(frozen=True, slots=True)
class TextReading:
    """What the classifier takes from one comment's text."""

    tokens: tuple[str, ...]  # distinct, in first-seen order, so sums over them are reproducible
    links: int


def read_text(text: str, *, links: int | None = None) -> TextReading:
    """Read `text` into distinct word, link and marker tokens.

    `links` overrides the number of links counted in the text (the caller may know better,
    for instance from the rendered Markdown). The result depends on the text alone: no
    randomness, no locale, no network.
    """
    styled = 0 if text.isascii() else len(_STYLED_LETTERS.findall(text))
    text = unicodedata.normalize("NFKC", text)
    text, invisible = _strip_invisible(text)
    letters = sum(1 for ch in text if ch.isalpha())
    upper = sum(1 for ch in text if ch.isupper())

    tokens: list[str] = []
    markers: list[str] = []
    lowered = text.lower()

    urls: list[str] = []

    def take_link(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        if not url.startswith(("http://", "https://", "www.")):
            labels = url.split("/", 1)[0].split(".")
            if len(labels) < 2 or labels[-1] not in _TLDS or not all(labels):
                return match.group(0)
        urls.append(url)
        return " "

    rest = _LINK_CANDIDATE.sub(take_link, lowered)
    url_chars = sum(len(u) for u in urls)
    for url in urls:
        tokens.extend(_url_tokens(url))
    emails = _EMAIL.findall(rest)
    for email in emails:
        tokens.append("email:" + email.rsplit("@", 1)[1])
    rest = _EMAIL.sub(" ", rest)

    phones = 0

    def drop_phone(match: re.Match[str]) -> str:
        nonlocal phones
        if sum(ch.isdigit() for ch in match.group(0)) < 9:
            return match.group(0)
        phones += 1
        return " "

    rest = _PHONE.sub(drop_phone, rest)
    if phones:
        markers.append("#phone")
    if _CALL_TO_ACTION.search(lowered):
        markers.append("#call_to_action")
    if _MONEY.search(rest):
        markers.append("#money")

    spaced = 0

    def join_spaced(match: re.Match[str]) -> str:
        nonlocal spaced
        spaced += 1
        return " " + "".join(ch for ch in match.group(0) if ch.isalpha()) + " "

    rest = _SPACED_LETTERS.sub(join_spaced, rest)
    leet = 0

    def read_leet(match: re.Match[str]) -> str:
        nonlocal leet
        chunk = match.group(0).strip("@$!|")
        if (
            len(chunk) >= 4
            and sum(ch.isalpha() for ch in chunk) >= 2
            and not _LEET_CHARS.isdisjoint(chunk)
            and not _ORDINAL.fullmatch(chunk)
            and "!!" not in chunk
        ):
            plain = chunk.translate(_UNLEET)
            if plain.isalpha():
                leet += 1
                return " " + plain + " "
        return match.group(0)

    if _WALLET.search(rest):
        markers.append("#wallet")
    rest = _LEET_CHUNK.sub(read_leet, rest)

    words: list[str] = []
    mixed = 0
    for word in _WORD.findall(rest):
        if not word.isascii() and _mixes_scripts(word):
            mixed += 1
            word = word.translate(_HOMOGLYPHS)
        if word.isdigit():
            word = "<num>"
        elif len(word) > 30:
            word = "<long>"
        words.append(word)
    # Word pairs were tried and measured worse in cross-validation on the corpus: naive Bayes
    # counts the same evidence twice, and the markers already catch "click here" and kin.
    tokens.extend(words)

    link_count = len(urls) + len(emails) if links is None else links
    markers.append(f"#links:{min(link_count, 3)}")
    if link_count and len(words) <= 3:
        markers.append("#link_only")
    if url_chars and url_chars * 2 >= len(text.strip()):
        markers.append("#mostly_links")
    if letters >= 12 and upper / letters >= 0.6:
        markers.append("#shouting")
    obfuscation = invisible + mixed + leet + spaced + (styled >= 2)
    if obfuscation:
        markers.append("#obfuscated" if obfuscation == 1 else "#obfuscated:many")
    if _RUN.search(text) or _REPEATED_WORD.search(rest):
        markers.append("#junk_run")
    if len(words) <= 3:
        markers.append("#short")
    tokens.extend(markers)
    return TextReading(tokens=tuple(dict.fromkeys(tokens)), links=link_count)


def _strip_invisible(text: str) -> tuple[str, int]:
    if text.isascii():
        return _ASCII_CONTROLS.subn("", text)
    kept = [
        ch
        for ch in text
        if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cn")
    ]
    return "".join(kept), len(text) - len(kept)


def _mixes_scripts(word: str) -> bool:
    scripts = set()
    for ch in word:
        if ch.isalpha():
            scripts.add(unicodedata.name(ch, "?").split(" ", 1)[0])
    return "LATIN" in scripts and bool(scripts & {"CYRILLIC", "GREEK"})


def _url_tokens(url: str) -> list[str]:
    """Name a link by its host, registrable domain, top-level domain and the words in it."""
    address = url.split("://", 1)[-1]
    host, _, path = address.partition("/")
    host = host.split("@")[-1].split(":")[0].removeprefix("www.").strip(".")
    labels = [label for label in host.split(".") if label]
    if not labels:
        return []
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    tokens = [
        "host:" + host,
        "site:" + ".".join(labels[-keep:]),
        "tld:" + labels[-1],
    ]
    words = re.findall(r"[a-z]{3,}", " ".join(labels[:-1]) + " " + path)
    tokens.extend("url:" + word for word in words if word not in ("www", "html", "php", "htm"))
    return tokens


# Three or more single letters, one separator between each: "s.p.a.m", "f r e e". Word
# filters need the short ones too, which the classifier's four-letter rule leaves alone.
_SPACED_SHORT = re.compile(r"(?<![\w.*-])[^\W\d_](?:[ .*_+-][^\W\d_](?![^\W_])){2,}+(?![\w*])")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")


def plain_words(text: str) -> list[str]:
    """Return the words of `text` as a word filter should compare them, in order.

    Undoes the usual dodges: case, full-width and styled letters, invisible characters,
    look-alike Cyrillic and Greek letters, l33t digits and symbols ("fr33", "c@sino"),
    letters spelled out with separators ("s.p.a.m", "f r e e"). Runs of a letter are cut to
    two ("spaaaam" reads "spaam"), so a matcher that lets each letter repeat ("s+p+a+m+")
    finds the word in bounded time.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text, _invisible = _strip_invisible(text)
    text = text.translate(_HOMOGLYPHS)
    text = _SPACED_SHORT.sub(
        lambda m: " " + "".join(ch for ch in m.group(0) if ch.isalpha()) + " ", text
    )

    def read_leet(match: re.Match[str]) -> str:
        chunk = match.group(0).strip("@$!|")
        if (
            any(ch.isalpha() for ch in chunk)
            and not _LEET_CHARS.isdisjoint(chunk)
            and not _ORDINAL.fullmatch(chunk)
        ):
            return " " + chunk.translate(_UNLEET) + " "
        return " " + chunk + " "

    text = _LEET_CHUNK.sub(read_leet, text)
    return [_REPEATS.sub(r"\1\1", word) for word in _WORD.findall(text)]
