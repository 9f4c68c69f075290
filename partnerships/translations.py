"""Entries' names and summaries in French and Arabic.

Each type of entry names the fields a reader reads it by (its name or title,
a partner's other names, its summary); `translated(...)` gives the model a
French and an Arabic field beside each (`name_fr`, `name_ar`, …), real columns
that the admin, the history, its diffs, compare, reverts and edit conflicts
cover like any other field. Quotes are never translated: a quote is the
source's own words, in the source's language.

A page reads an entry's text in its language through `entry.localized.name`:
the French or Arabic text where an editor gave one, a country's name in that
language from the Unicode CLDR (Babel) by its ISO code, and otherwise the
English text. What it returns is a `Localized` string, which knows its
language: in a template it is drawn as it is when it is in the page's language,
and as `<bdi lang="en">…</bdi>` when it is the English text on a French or
Arabic page, so that it is read, spoken and isolated as English.
"""

import functools

from django.conf import settings
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DEFAULT = settings.LANGUAGE_CODE
# The languages an entry's text can be given in besides English, with the labels
# the admin shows beside their fields.
TRANSLATED = {"fr": _("French"), "ar": _("Arabic")}
HELP_TEXTS = {
    "fr": _("In French. Where it is empty, French pages show the English text."),
    "ar": _("In Arabic. Where it is empty, Arabic pages show the English text."),
}


def page_language():
    return get_language() or DEFAULT


class Localized(str):
    """A text and the language it is in (`lang`)."""

    lang = DEFAULT

    def __new__(cls, text, lang=DEFAULT):
        localized = super().__new__(cls, text)
        localized.lang = lang
        return localized

    @property
    def foreign(self):
        """True when the page is in another language than the text."""
        return bool(self) and self.lang != page_language()

    def __html__(self):
        text = escape(str(self))
        if not self.foreign:
            return text
        return SafeString(f'<bdi lang="{self.lang}">{text}</bdi>')


def localized(text, lang=DEFAULT):
    return text if isinstance(text, Localized) else Localized(text or "", lang)


class LocalizedFields:
    """entry.localized.<field>: the field in the page's language (see the module)."""

    __slots__ = ("_entry",)

    def __init__(self, entry):
        self._entry = entry

    def __getattr__(self, field):
        if field.startswith("_"):
            raise AttributeError(field)
        return self._entry.text_in(field)

    def __getitem__(self, field):
        try:
            return self._entry.text_in(field)
        except AttributeError as missing:
            raise KeyError(field) from missing


class Translatable(models.Model):
    """What every entry with translated fields has (see `translated`)."""

    TRANSLATED_FIELDS = ()

    class Meta:
        abstract = True

    @property
    def localized(self):
        return LocalizedFields(self)

    def text_in(self, field, language=None):
        """The field in `language` (the page's by default): its translation when
        one is given, else the English text, marked as English."""
        if field not in self.TRANSLATED_FIELDS:
            raise AttributeError(f"{type(self).__name__}.{field} has no translations")
        language = language or page_language()
        if language in TRANSLATED:
            text = getattr(self, f"{field}_{language}", "")
            if text:
                return Localized(text, language)
            standard = self.standard_text(field, language)
            if standard:
                return Localized(standard, language)
        return Localized(getattr(self, field), DEFAULT)

    def standard_text(self, field, language):
        """A text in `language` from reference data rather than an editor (a
        country's name), or ""."""
        return ""


def translation_field_names(fields):
    return [f"{field}_{code}" for field in fields for code in TRANSLATED]


def translated(model_name, **fields):
    """An abstract base giving a model a French and an Arabic field beside each of
    `fields` (name → "char" with its max_length as ("char", 200), or "text").

        class Partner(translated("Partner", name=("char", 200), summary="text"), models.Model)
    """
    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        "TRANSLATED_FIELDS": tuple(fields),
    }
    for field, kind in fields.items():
        for code, language in TRANSLATED.items():
            # "title (French)": the field's own verbose name (each in the catalogues as
            # the models give it) and the language, in the page's language.
            verbose = format_lazy(
                _("{field} ({language})"),
                field=_(field.replace("_", " ")),
                language=language,
            )
            help_text = HELP_TEXTS[code]
            if isinstance(kind, tuple):
                attrs[f"{field}_{code}"] = models.CharField(
                    verbose, max_length=kind[1], blank=True, help_text=help_text
                )
            else:
                attrs[f"{field}_{code}"] = models.TextField(
                    verbose, blank=True, help_text=help_text
                )
    return type(f"{model_name}Translations", (Translatable,), attrs)


@functools.cache
def country_names(language):
    """ISO 3166-1 alpha-2 code → the country's name in `language` (Unicode CLDR)."""
    from babel import Locale

    return dict(Locale.parse(language).territories)


def country_codes():
    """The two-letter codes of countries (CLDR's territories less its regions,
    which have three-digit codes, and its unknown region "ZZ")."""
    return sorted(
        code
        for code in country_names(DEFAULT)
        if len(code) == 2 and code.isalpha() and code != "ZZ"
    )
