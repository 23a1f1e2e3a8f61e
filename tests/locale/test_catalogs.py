"""The translations: every string Rejoinder shows is translated in every language it speaks, the
compiled catalogues are the ones the .po files say, and each translation keeps its placeholders.

English is the source language (the msgids); Arabic, German, Spanish and French have catalogues
in src/rejoinder/locale, made by `make messages`.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "rejoinder"
LOCALE = PACKAGE / "locale"
TRANSLATED = sorted(code for code, _name in settings.LANGUAGES if code != "en")
# What a translation must keep from its msgid: Python placeholders, the script's {n}, and tags
# (the <bdi> that isolates a name or a title).
TOKENS = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|\{n\}|</?\w+>")
PLURALS = {"ar": 6, "de": 2, "es": 3, "fr": 2}


def catalogue(language: str) -> gettext.GNUTranslations:
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


def translations(language: str) -> dict[str | tuple[str, int], str]:
    found: dict[str | tuple[str, int], str] = catalogue(language)._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in found.items() if key != ""}


def test_rejoinder_speaks_five_languages() -> None:
    assert [code for code, _name in settings.LANGUAGES] == ["en", "ar", "de", "es", "fr"]
    assert settings.LOCALE_PATHS == [LOCALE]
    assert sorted(PLURALS) == TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalogue_has_the_languages_plural_forms(language: str) -> None:
    compiled = catalogue(language)
    assert compiled.info()["language"] == language
    forms = {key[1] for key in translations(language) if isinstance(key, tuple)}
    assert forms == set(range(PLURALS[language]))


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders_and_tags(language: str) -> None:
    # A plural form may say what the English plural says ("in %(seconds)s seconds") where the
    # English singular does not.
    english_plurals = dict(_plurals((LOCALE / language / "LC_MESSAGES" / "django.po").read_text()))
    wrong = []
    for key, text in translations(language).items():
        msgid = key[0] if isinstance(key, tuple) else key
        plural = english_plurals.get(msgid) if isinstance(key, tuple) else None
        msgid = msgid.split("\x04", 1)[-1]  # after a context
        expected, got = sorted(TOKENS.findall(msgid)), sorted(TOKENS.findall(text))
        if plural is not None and got == sorted(TOKENS.findall(plural)):
            continue
        if not text.strip():
            wrong.append((msgid, "empty"))
        elif got != expected:
            # A plural form for one exact number may name it in words ("صوتان": two votes).
            singular_form = isinstance(key, tuple) and (
                key[1] < 3 if language == "ar" else key[1] == 0
            )
            dropped = [t for t in expected if t not in got]
            if not (singular_form and set(got) <= set(expected) and dropped):
                wrong.append((msgid, text))
    assert not wrong, wrong


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0, done.stderr


@pytest.mark.processes
def test_every_string_shown_is_translated_in_every_language(tmp_path: Path) -> None:
    """Gather the strings from the code and templates as `make messages` does (xgettext, through
    Django's makemessages), and look each up in the compiled catalogues the server loads."""
    assert shutil.which("xgettext"), "GNU gettext is needed (make test-deps installs it)"
    copy = tmp_path / "rejoinder"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    # Without settings: Django's would send the strings to the real catalogues (LOCALE_PATHS).
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    admin = Path(sys.executable).with_name("django-admin")
    _run(admin, "makemessages", "-l", "xx", "--no-location", cwd=copy, env=environment)
    extracted = (copy / "locale" / "xx" / "LC_MESSAGES" / "django.po").read_text()
    wanted = _msgids(extracted)
    assert len(wanted) > 500, "the strings were not gathered"
    for language in TRANSLATED:
        known = translations(language)
        missing = [
            msgid
            for msgid, plural in wanted
            if not (known.get((msgid, 0)) if plural else known.get(msgid))
        ]
        assert not missing, f"not translated in {language} (run `make messages`): {missing}"


@pytest.mark.processes
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogues_are_those_of_the_po_files(language: str, tmp_path: Path) -> None:
    """A .po edited without `make messages` leaves a stale .mo, which is what the server reads."""
    assert shutil.which("msgfmt"), "GNU gettext is needed (make test-deps installs it)"
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    _run("msgfmt", "--check", "-o", fresh, source, cwd=tmp_path)
    with fresh.open("rb") as compiled:
        expected = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    expected = {key: value for key, value in expected.items() if key != ""}
    assert translations(language) == expected


def _msgids(po: str) -> list[tuple[str, bool]]:
    """Return the (msgid with its context, has a plural) of every entry of a .po file."""
    return [(msgid, plural is not None) for msgid, plural in _plurals(po)]


def _plurals(po: str) -> list[tuple[str, str | None]]:
    """Return the (msgid with its context, msgid_plural or None) of every entry of a .po file."""
    found = []
    for block in po.split("\n\n"):
        fields: dict[str, str] = {}
        name = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            head = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if head:
                name = head.group(1)
                fields[name] = _unquote(head.group(2))
            elif line.startswith('"') and name:
                fields[name] += _unquote(line[1:-1])
        msgid = fields.get("msgid", "")
        if not msgid:
            continue
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        found.append((msgid, fields.get("msgid_plural")))
    return found


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    """Read a quoted .po string: \\n, \\t, \\" and \\\\ are its escapes."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)
