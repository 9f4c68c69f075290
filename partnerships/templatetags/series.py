"""An indicator's figures as readers see them: "3.6 billion USD", "12%", a rank as
"3rd"; and {% value_rows indicator values notes %}, the rows of its table of
values, each with its footnote markers.

One place for the words, read by the indicator's page, its list's rows and its
export: history names a rank's value by its number (models.value_text); a reader is
shown "3rd", the way the sources say it ("the third largest").
"""

from decimal import Decimal
from html import escape

from django import template
from django.utils.safestring import mark_safe

from ..charts import Point, series_chart
from ..dates import PreciseDate
from ..models import Indicator, IndicatorValue, choice_label, number_text
from .precise_dates import precise_date

register = template.Library()

YEAR_NOT_STATED = mark_safe('<span class="unknown">year not stated</span>')  # a constant


def ordinal(number):
    """3 → "3rd", 11 → "11th", 22 → "22nd"."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def figure(indicator, value):
    """A value of `indicator`'s series in words: "3.6 billion USD", "12%", "3rd"."""
    if value is None:
        return "unknown"
    value = Decimal(str(value))  # as read, or as given to a new row
    if indicator.measure == Indicator.Measure.RANK:
        if value == value.to_integral_value() and value > 0:
            return ordinal(int(value))
        return f"rank {number_text(value)}"
    if indicator.measure == Indicator.Measure.PERCENT:
        return f"{number_text(value)}%"
    return " ".join(
        part for part in (number_text(value), indicator.unit, indicator.currency) if part
    )


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
    description = (
        f"{indicator.name} of {indicator.subject}, as the sources state the figures; "
        "projections are drawn as hollow diamonds after a dashed line."
    )
    if undated:
        description += (
            f" {undated} value{'s' if undated > 1 else ''} without a year, in the table only."
        )
    unit = indicator.unit_label
    return series_chart(
        points,
        title=f"{indicator}{f' ({unit})' if unit else ''}",
        description=description,
        unit_label=unit,
        chart_id="series-chart",
    )


@register.simple_tag
def series_chart_of(indicator, values):
    return chart(indicator, values)


def period_cell(period):
    return precise_date(period) if period.stated else YEAR_NOT_STATED


@register.simple_tag
def value_rows(indicator, values, notes):
    """A <tr> for each value: period, figure, the source's words, basis, markers.
    A projection's row and basis are marked (class "projection"), in words too."""
    rows = []
    for value in values:
        basis = value.basis
        marked = basis != IndicatorValue.Basis.REPORTED
        label = escape(basis_label(basis))
        basis_html = (
            f'<strong class="basis basis-{escape(basis)}">{label}</strong>' if marked else label
        )
        as_stated = (
            f"“{escape(value.as_stated)}”"
            if value.as_stated
            else '<span class="unknown">not recorded</span>'
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
