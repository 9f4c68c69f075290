"""An indicator's figures as readers see them: "3.6 billion USD", "12%", a rank as
"3rd"; and {% value_rows indicator values notes %}, the rows of its table of
values, each with its footnote markers.

One place for the words, read by the indicator's page, its list's rows and its
export: history names a rank's value by its number (models.value_text); a reader is
shown "3rd", the way the sources say it ("the third largest").

Each in the page's language: "3e" and "12 %" in French, "المرتبة 3" in Arabic,
numbers grouped as the language groups them (partnerships.numbers), Latin digits
in every language; units and currency codes as stored.
"""

import functools
from decimal import Decimal
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..charts import Point, series_chart
from ..dates import PreciseDate
from ..models import Indicator, IndicatorValue, choice_label
from ..numbers import format_number
from ..translations import DEFAULT, page_language
from .precise_dates import precise_date

register = template.Library()


@functools.lru_cache(maxsize=8)
def _year_not_stated(language):
    return _unknown(_("year not stated"))


def _unknown(words):
    return mark_safe('<span class="unknown">' + escape(words) + "</span>")  # escaped


def ordinal(number):
    """A rank, the place `number`: 3 → "3rd", 11 → "11th", 22 → "22nd"; in French "3e"
    ("1er"), in Arabic "المرتبة 3"."""
    if page_language() != DEFAULT:
        if number == 1:
            # Translators: the first place in a ranking, as a figure ("1er" in French).
            return pgettext("a rank", "1st")
        # Translators: any place in a ranking but the first, as a figure: "3rd", "22nd"
        # (English adds st, nd, rd or th by rules of its own; "%(number)se" in French).
        return pgettext("a rank", "%(number)sth") % {"number": number}
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def figure(indicator, value):
    """A value of `indicator`'s series in words: "3.6 billion USD", "12%", "3rd"."""
    if value is None:
        return _("unknown")
    value = Decimal(str(value))  # as read, or as given to a new row
    if indicator.measure == Indicator.Measure.RANK:
        if value == value.to_integral_value() and value > 0:
            return ordinal(int(value))
        # Translators: a rank the source gives as a number that is no place: "rank 2.5".
        return pgettext("a rank", "rank %(number)s") % {"number": format_number(value)}
    if indicator.measure == Indicator.Measure.PERCENT:
        # Translators: a percentage, "12%"; French puts a no-break space before the sign.
        return pgettext("a percentage", "%(number)s%%") % {"number": format_number(value)}
    return " ".join(
        part for part in (format_number(value), indicator.unit, indicator.currency) if part
    )


def unit_label(indicator):
    """What the series' figures are counted in: "billion USD" (as stored), "%", "rank"."""
    if indicator.measure == Indicator.Measure.RANK:
        return pgettext("what a series of ranks is counted in", "rank")
    return indicator.unit_label


@register.filter(name="unit_label")
def unit_label_filter(indicator):
    return unit_label(indicator)


def indicator_name(indicator):
    """ "Defense spending, Morocco": the indicator's name in the page's language (plain
    text) and its subject, as stored."""
    name = str(indicator.localized.name)
    if not indicator.subject:
        return name
    return pgettext("an indicator and its subject", "%(name)s, %(subject)s") % {
        "name": name,
        "subject": indicator.subject,
    }


def basis_label(basis):
    return choice_label(IndicatorValue.Basis, basis)


def position(period):
    """Where a dated period lies on a time axis, as a fractional year."""
    value = period.value
    if period.precision == "year":
        return float(value.year)
    if period.precision == "month":
        return value.year + (value.month - 1) / 12
    return value.year + (value.timetuple().tm_yday - 1) / 366


def charted(indicator, values):
    """Whether the series is drawn: amounts and percentages with two dated values or
    more. A rank is a place, not an amount: a line would draw the first place lowest.
    One value makes no line; the table gives it."""
    if indicator.measure == Indicator.Measure.RANK:
        return False
    return sum(1 for value in values if value.period_as_stated.known) >= 2


def chart(indicator, values):
    """The series' SVG chart of its dated values, or "" (see `charted`)."""
    if not charted(indicator, values):
        return ""
    points = [
        Point(
            label=str(value.period_as_stated),
            position=position(value.period_as_stated),
            value=value.value,
            basis=value.basis,
            display=figure(indicator, value.value),
        )
        for value in values
        if value.period_as_stated.known
    ]
    undated = len(values) - len(points)
    description = pgettext(
        "a chart's description",
        "%(name)s of %(subject)s, as the sources state the figures; projections are drawn "
        "as hollow diamonds after a dashed line.",
    ) % {"name": str(indicator.localized.name), "subject": indicator.subject}
    if undated:
        description += " " + ngettext(
            "%(count)s value without a year, in the table only.",
            "%(count)s values without a year, in the table only.",
            undated,
        ) % {"count": format_number(undated)}
    unit = unit_label(indicator)
    title = indicator_name(indicator)
    if unit:
        title = pgettext("a chart's title and its unit", "%(title)s (%(unit)s)") % {
            "title": title,
            "unit": unit,
        }
    return series_chart(
        points,
        title=title,
        description=description,
        unit_label=unit,
        chart_id="series-chart",
    )


@register.simple_tag
def series_chart_of(indicator, values):
    return chart(indicator, values)


def period_cell(period):
    return precise_date(period) if period.stated else _year_not_stated(page_language())


@register.simple_tag
def value_rows(indicator, values, notes):
    """A <tr> for each value: period, figure, the source's words, basis, markers.
    A projection's row and basis are marked (class "projection"), in words too."""
    rows = []
    not_recorded = _unknown(_("not recorded"))
    for value in values:
        basis = value.basis
        marked = basis != IndicatorValue.Basis.REPORTED
        label = escape(basis_label(basis))
        basis_html = (
            f'<strong class="basis basis-{escape(basis)}">{label}</strong>' if marked else label
        )
        as_stated = (
            # Translators: the source's own words for a figure, in quotation marks.
            escape(pgettext("the source's words", "“%(words)s”") % {"words": value.as_stated})
            if value.as_stated
            else not_recorded
        )
        rows.append(
            f'<tr class="value-{escape(basis)}">\n'
            f'  <th scope="row">{period_cell(value.period_as_stated)}</th>\n'
            f'  <td class="num">{escape(figure(indicator, value.value))}'
            f"{notes.fact(notes.link_key(value.pk))}</td>\n"
            f"  <td>{as_stated}</td>\n"
            f"  <td>{basis_html}</td>\n</tr>"
        )
    return mark_safe("\n".join(rows))  # every value escaped above


def listed_value(indicator, row):
    """(PreciseDate, figure, basis) of a value as the list reads it: a tuple of
    (value, basis, period, precision, approximate, month)."""
    number, basis, period, precision, approximate, month = row
    date = PreciseDate(period, precision, approximate, month if period is None else None)
    return date, figure(indicator, Decimal(number) if number is not None else None), basis
