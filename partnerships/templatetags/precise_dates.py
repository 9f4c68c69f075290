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
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe

register = template.Library()


UNKNOWN = mark_safe('<span class="unknown">unknown</span>')  # a constant: nothing to escape


@register.filter
def precise_date(date):
    """<time datetime="2023-12">December 2023</time>, or "unknown" marked as such."""
    if date is None or not date.stated:
        return UNKNOWN
    if not date.known:
        # A month without a year: HTML's <time> has no form for it ("--02" is not one).
        return mark_safe(f'<span class="date">{escape(str(date))}</span>')
    # format_html()'s work without its overhead: a list draws a hundred of these.
    return mark_safe(f'<time datetime="{escape(date.iso)}">{escape(str(date))}</time>')


@register.filter
def moment(value, precision="minute"):
    """<time datetime="2026-03-12T14:05:00+00:00">12 March 2026, 14:05</time>, in the
    site's time zone; `|moment:"day"` leaves out the time. The same words as
    |date:"j F Y, H:i", without parsing a format for each of a page's fifty rows."""
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


@functools.lru_cache(maxsize=16)
def _month_names(language):
    # MONTHS holds lazy translations: each use of one looked up the active
    # language again (an entry's history page names a month in each of 50 rows).
    with translation.override(language):
        return {number: str(name) for number, name in MONTHS.items()}


def _moment_text(local, precision):
    month = _month_names(translation.get_language())[local.month]
    text = f"{local.day} {month} {local.year}"
    return text if precision == "day" else f"{text}, {local:%H:%M}"
