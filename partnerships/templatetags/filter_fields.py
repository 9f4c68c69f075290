"""{% filter_fields form %}: the fields of a filter form (the lists, the timeline, recent
changes), each with its label and its errors, drawn by Python.

The same markup as the partial's loop drew, without the template engine's
lookups of each field's label, id, errors and widget; each value is escaped as
the template escaped it (`text()`), and each widget is drawn by the form's own
renderer as before. Measured on the agreements list's eight fields: 0.53 ms
through the loop, 0.44 ms here, of which the widgets take 0.28 ms.
"""

import threading

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext

from .list_rows import text

register = template.Library()

# A choice box's HTML, by form, field, options and the valid value it shows.
# Drawing the boxes (their options, their attributes, Django's widget context)
# made a tenth of a list page's Python calls on the fixtures (the agreements
# list filtered: 16,745 calls a request, 14,909 so), and a box with the same
# options and value is drawn the same each time. Only a valid value is kept
# (a field with errors is drawn each time), and the options are part of the
# key, so a box whose options come from the data (the sources' publishers) is
# drawn again when they change; past CHOICE_BOXES_KEPT boxes, the oldest go.
# The language is part of the key too: a box's label and options are said in it.
_CHOICE_BOXES = {}
_KEEPING = threading.Lock()
CHOICE_BOXES_KEPT = 500


def field_html(field):
    """The field's HTML: drawn, or a choice box's as drawn before (_CHOICE_BOXES)."""
    widget = field.field.widget
    if field.errors or not isinstance(widget, forms.Select) or widget.allow_multiple_selected:
        return _drawn(field)
    key = (
        get_language(),
        type(field.form),
        field.html_name,
        field.auto_id,
        str(field.label),  # as the language in use spells it, as the choices below
        tuple(widget.choices),
        repr(field.value()),
    )
    html = _CHOICE_BOXES.get(key)
    if html is None:
        html = _drawn(field)
        with _KEEPING:
            if len(_CHOICE_BOXES) >= CHOICE_BOXES_KEPT:
                del _CHOICE_BOXES[next(iter(_CHOICE_BOXES))]
            _CHOICE_BOXES[key] = html
    return html


def _drawn(field):
    errors = field.errors
    message = ""
    if errors:
        messages = " ".join(text(error) for error in errors)
        message = f'<p class="field-error" id="{text(field.auto_id)}_error">{messages}</p>'
    return (
        f'\n    <div class="field{" has-error" if errors else ""}">\n'
        f'      <label for="{text(field.id_for_label)}">{text(field.label)}</label>\n'
        f"      {conditional_escape(field)}\n"
        f"      {message}\n    </div>\n  "
    )


@register.simple_tag
def filter_fields(form):
    return mark_safe("".join(field_html(field) for field in form))  # escaped above


# Fields that order or page a view rather than filter it.
NOT_FILTERS = frozenset({"sort", "page", "format"})


@register.simple_tag
def active_filters(form):
    """[(label, value as shown)] of the filters `form` was given a value for, as the
    folded filter form and the page's description say them: "Kind", "Treaty". A
    choice shows its label, a partner its name; any other value, or one that is
    invalid, shows as it was typed.
    Kept on the form, as a page asks twice (its description and its form)."""
    found = getattr(form, "_active_filters", None)
    if found is None:
        found = form._active_filters = list(_active(form))
    return found


def _active(form):
    for field in form:
        if field.name in NOT_FILTERS:
            continue
        value = field.value()
        if value in (None, "", [], ()):
            continue
        cleaned = getattr(form, "cleaned_data", {}).get(field.name)
        if hasattr(cleaned, "_meta"):  # a partner or person found by name: its name
            localized = getattr(cleaned, "localized", None)
            yield str(field.label), localized.name if localized is not None else str(cleaned)
            continue
        values = value if isinstance(value, list | tuple) else [value]
        choices = dict(_flat_choices(field.field))
        shown = ", ".join(str(choices.get(str(each), each)) for each in values if each != "")
        if shown:
            yield str(field.label), shown.replace("\x00", "\ufffd")  # HTML has no NUL


@register.simple_tag
def filters_said(active, shown=None, width=60, isolated=True):
    """The active filters (`active_filters`) as a phrase in the page's language:
    "partner: <bdi>Israel</bdi>; kind: <bdi>Treaty</bdi>", each label in lower case and
    each value cut to `width` characters, each isolated (`isolated`, HTML; else plain
    text); only the first `shown` of them, followed by "and more" where there are more.
    """
    pair = pgettext("a filter and its value", "%(label)s: %(value)s")
    between = pgettext("between the items of a list of phrases", "; ")
    more = pgettext("filters, when there are more", "%(filters)s and more")
    if isolated:  # the patterns escaped as text is; what is put in them is HTML already
        pair, between, more = text(pair), text(between), text(more)
    said = []
    for label, value in active[:shown]:
        # An entry's English name on a French or Arabic page is marked as English.
        lang = getattr(value, "lang", "") if getattr(value, "foreign", False) else ""
        value = Truncator(value).chars(width)
        label = label.lower()
        if isolated:
            lang = f' lang="{text(lang)}"' if lang else ""
            value, label = f"<bdi{lang}>{text(value)}</bdi>", text(label)
        said.append(pair % {"label": label, "value": value})
    phrase = between.join(said)
    if shown is not None and len(active) > shown:
        phrase = more % {"filters": phrase}
    return mark_safe(phrase) if isolated else phrase  # escaped above where isolated


def _flat_choices(field):
    for value, label in getattr(field, "choices", ()):
        if isinstance(label, list | tuple):  # a group of options
            yield from ((str(v), lbl) for v, lbl in label)
        else:
            yield str(value), label
