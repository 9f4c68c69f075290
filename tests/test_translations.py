"""The interface is translated whole into French and Arabic, and what is served is
what the translations say (CI's check for untranslated strings).

- Every message the code and templates mark is in both catalogues (found with
  Django's makemessages, which needs GNU gettext: skipped with a message
  without it, and failed under CI=true).
- Every message has its translation, every plural form of it, none fuzzy, with
  the same placeholders as the English.
- The compiled catalogues (.mo, committed so that running the site needs no
  gettext tools) say exactly what their sources (.po) say.

After changing a marked string: `make messages`, translate what it added in
locale/*/LC_MESSAGES/django.po, and `make messages` again to compile.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

LANGUAGES = ("fr", "ar")
PLURAL_FORMS = {"fr": 2, "ar": 6}
LOCALE = Path(settings.BASE_DIR) / "locale"
CODE = ("config", "partnerships", "sources", "templates")
# Also in the Makefile's `messages` target.
IGNORED = [".venv/*", "node_modules/*", "staticfiles/*", "tests/*", "locale/*", "test-results/*"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]")


def catalogue(language, kind="po"):
    path = LOCALE / language / "LC_MESSAGES" / f"django.{kind}"
    with open(path, "rb") as f:
        return read_po(f, locale=language) if kind == "po" else read_mo(f)


def hashable(text):
    """A plural message's forms come as a list from a .po and a tuple from a .mo."""
    return tuple(text) if isinstance(text, (list, tuple)) else text


def messages(catalog):
    return {(message.context, hashable(message.id)): message for message in catalog if message.id}


def found_in_the_code():
    """The messages makemessages finds now, in a catalogue of its own (a scratch root of
    links to the code: run in the project, it would write into locale/)."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail(
                "GNU gettext (xgettext) is needed to check the catalogues: apt install gettext"
            )
        pytest.skip("GNU gettext (xgettext) is not installed: apt install gettext")
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        root, out = Path(scratch, "root"), Path(scratch, "out")
        root.mkdir()
        for name in CODE:
            (root / name).symlink_to(Path(settings.BASE_DIR) / name)
        os.chdir(root)
        try:
            with override_settings(LOCALE_PATHS=[out]):
                call_command(
                    "makemessages",
                    locale=["fr"],
                    ignore_patterns=IGNORED,
                    extensions=["html", "py", "txt"],
                    no_obsolete=True,
                    symlinks=True,
                    verbosity=0,
                )
        finally:
            os.chdir(here)
        with open(out / "fr" / "LC_MESSAGES" / "django.po", "rb") as f:
            return messages(read_po(f))


def test_every_message_of_the_interface_is_in_both_catalogues():
    found = found_in_the_code()
    assert len(found) > 500  # the whole interface, not a stray few
    for language in LANGUAGES:
        catalogued = messages(catalogue(language))
        missing = sorted(str(key[1]) for key in found.keys() - catalogued.keys())
        stale = sorted(str(key[1]) for key in catalogued.keys() - found.keys())
        assert not missing, (
            f"{len(missing)} messages are not in the {language} catalogue (run make messages): "
            f"{missing[:10]}"
        )
        assert not stale, (
            f"{len(stale)} messages of the {language} catalogue are no longer used: {stale[:10]}"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    catalog = catalogue(language)
    untranslated, fuzzy, misplaced = [], [], []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            fuzzy.append(message.id)
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = (
            message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        )
        if isinstance(message.id, (list, tuple)) and len(strings) != PLURAL_FORMS[language]:
            untranslated.append(message.id)
            continue
        if not all(strings):
            untranslated.append(message.id)
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            got = set(PLACEHOLDER.findall(string))
            # A plural form may leave its number out ("one result"), never add one.
            if got - wanted or (len(ids) == 1 and got != wanted):
                misplaced.append((message.id, string))
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"
    assert not misplaced, f"placeholders differ in {language}: {misplaced[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_its_source_says(language):
    source = {
        key: hashable(message.string)
        for key, message in messages(catalogue(language)).items()
        if not message.fuzzy
    }
    compiled = {
        key: hashable(message.string)
        for key, message in messages(catalogue(language, "mo")).items()
    }
    assert compiled == source, (
        f"locale/{language}/LC_MESSAGES/django.mo is out of date: run make messages"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_declares_the_languages_plural_rule(language):
    catalog = catalogue(language)
    assert catalog.num_plurals == PLURAL_FORMS[language]
