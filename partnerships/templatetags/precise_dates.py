"""{{ entry.concluded|precise_date }}: a date at its precision, as a <time> element;
{{ change.date|moment }}: a moment of the site's own (a save, a review) likewise.

One filter call instead of an {% include %} per date: a list of 25 rows or a
timeline of 200 events drew the same small template hundreds of times. A
built-in of the site's template engine (see TEMPLATES), so no {% load %}.
"""

import functools
from html import escape

from django import template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from ..dates import date_words

register = template.Library()


@functools.lru_cache(maxsize=16)
def _unknown(language):
    return mark_safe(f'<span class="unknown">{escape(date_words().unknown)}</span>')


@register.filter
def precise_date(date):
    """<time datetime="2023-12">December 2023</time>, or "unknown" marked as such;
    in the page's language ("décembre 2023", "ديسمبر 2023")."""
    if date is None or not date.stated:
        return _unknown(translation.get_language())
    if not date.known:
        # A month without a year: HTML's <time> has no form for it ("--02" is not one).
        return mark_safe(f'<span class="date">{escape(str(date))}</span>')
    # format_html()'s work without its overhead: a list draws a hundred of these.
    return mark_safe(f'<time datetime="{escape(date.iso)}">{escape(str(date))}</time>')


@register.filter
def moment(value, precision="minute"):
    """<time datetime="2026-03-12T14:05:00+00:00">12 March 2026, 14:05</time>, in the
    site's time zone and the page's language ("12 mars 2026 à 14:05"); `|moment:"day"`
    leaves out the time. The words of |date:"j F Y, H:i" (but "1er" in French), without
    parsing a format for each of a page's fifty rows."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    # format_html()'s work without its overhead, as precise_date() does.
    stamp, words = (
        escape(local.isoformat(timespec="seconds")),
        escape(_moment_text(local, precision)),
    )
    return mark_safe(f'<time datetime="{stamp}">{words}</time>')


@register.filter
def moment_text(value, precision="minute"):
    """ "12 March 2026, 14:05", as |moment says it, without the element."""
    return _moment_text(timezone.localtime(value), precision) if value else ""


def _moment_text(local, precision):
    words = date_words()
    text = words.day(local)
    return text if precision == "day" else words.moment % {"date": text, "time": f"{local:%H:%M}"}
