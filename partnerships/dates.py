"""Dates as precise as the source and no more.

A documented date is stored in four columns: the date itself, its precision
(day, month or year), an `approximate` flag for dates the source itself hedges,
and a month for a month the source names without a year ("in February"). A
month-precise date is stored as the first of that month and a year-precise one
as 1 January, so sorting and range filters work on one column. A month without
a year leaves the date empty: it is never sorted, filtered, drawn or exported
as a year, only shown as the source words it ("February, year not stated").

A date is said in the page's language at the same precision ("décembre 2023",
"ديسمبر 2023"), with Django's translated month names and Latin digits.
"""

import datetime
import functools
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy


class DatePrecision(models.TextChoices):
    DAY = "day", pgettext_lazy("date precision", "Day")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    YEAR = "year", pgettext_lazy("date precision", "Year")
    MONTH_NO_YEAR = "month_no_year", pgettext_lazy("date precision", "Month, year not stated")


# The precisions that need a date (all but a month without a year).
DATED = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)
# The English month names; a date is said in the reader's language by date_words().
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The dates the models name (precision_field("start date"), clean_date(self,
# "start_date", …)), as their labels and messages say them in the reader's language.
DATE_NAMES = {
    "date": pgettext_lazy("the name of a date, in a sentence", "date"),
    "start date": pgettext_lazy("the name of a date, in a sentence", "start date"),
    "end date": pgettext_lazy("the name of a date, in a sentence", "end date"),
    "order date": pgettext_lazy("the name of a date, in a sentence", "order date"),
    "delivery date": pgettext_lazy("the name of a date, in a sentence", "delivery date"),
    "publication date": pgettext_lazy("the name of a date, in a sentence", "publication date"),
    "period": pgettext_lazy("the name of a date, in a sentence", "period"),
}


def _date_name(what):
    return DATE_NAMES.get(what, what)


def _lazy_message(message, **names):
    """`message % names`, said in the language of the moment it is read (a model's
    labels are made once, at import, and read on every page)."""
    return lazy(lambda: message % names, str)()


def precision_field(what):
    name = _date_name(what)
    return models.CharField(
        _lazy_message(gettext_lazy("%(what)s precision"), what=name),
        max_length=13,
        choices=DatePrecision.choices,
        blank=True,
        help_text=_lazy_message(
            gettext_lazy(
                "How precisely the source gives the %(what)s: “12 April 2024” is a day, "
                "“December 2023” a month, “2021” a year; “in February” with no year is a "
                "month whose year is not stated (give the month below and leave the date "
                "empty). Leave empty when the date is unknown."
            ),
            what=name,
        ),
    )


def month_field(what):
    name = _date_name(what)
    return models.PositiveSmallIntegerField(
        _lazy_message(gettext_lazy("%(what)s month (year not stated)"), what=name),
        null=True,
        blank=True,
        # Django's own month names, translated by Django.
        choices=list(MONTHS.items()),
        help_text=_lazy_message(
            gettext_lazy(
                "Only when the source names the month of the %(what)s but no year, e.g. "
                "“in February”: the month, with the date left empty. No year is inferred."
            ),
            what=name,
        ),
    )


def approximate_field(what):
    name = _date_name(what)
    return models.BooleanField(
        _lazy_message(gettext_lazy("%(what)s approximate"), what=name),
        default=False,
        help_text=_lazy_message(
            gettext_lazy(
                "Tick only when the source itself hedges the %(what)s (“around 2021”, "
                "“reportedly in May”). Never infer a year: a month without a year is stored "
                "as such."
            ),
            what=name,
        ),
    )


def date_columns(*prefixes):
    """The columns each precise date `prefix` is stored in: the date, its precision, its
    flag and its year-less month ("date", "date_precision", "date_approximate",
    "date_month")."""
    return [
        f"{prefix}{part}"
        for prefix in prefixes
        for part in ("", "_precision", "_approximate", "_month")
    ]


KNOWN_TO_BE_APPROXIMATE = gettext_lazy("Only a known %(what)s can be marked approximate.")


def date_constraints(prefix, table):
    """Named constraints keeping a date, its precision, its flag and its month consistent."""
    date, precision, approximate, month = date_columns(prefix)
    label = _date_name(date.replace("_", " "))
    no_year = DatePrecision.MONTH_NO_YEAR
    return [
        models.CheckConstraint(
            condition=(
                Q(**{f"{date}__isnull": True, f"{precision}__in": ["", no_year]})
                | Q(**{f"{date}__isnull": False, f"{precision}__in": list(DATED)})
            ),
            name=f"{table}_{date}_precision_iff_date",
            violation_error_message=_lazy_message(
                gettext_lazy(
                    "Give the %(what)s and its precision together, or neither (a month "
                    "without a year has no date)."
                ),
                what=label,
            ),
        ),
        models.CheckConstraint(
            condition=(
                # IS NOT NULL first: a NULL month would leave the comparisons unknown,
                # which a CHECK lets through.
                Q(
                    **{
                        precision: no_year,
                        f"{month}__isnull": False,
                        f"{month}__gte": 1,
                        f"{month}__lte": 12,
                    }
                )
                | (~Q(**{precision: no_year}) & Q(**{f"{month}__isnull": True}))
            ),
            name=f"{table}_{date}_month_iff_no_year",
            violation_error_message=_lazy_message(
                gettext_lazy(
                    "Give the %(what)s's month exactly when the source names a month "
                    "without a year."
                ),
                what=label,
            ),
        ),
        models.CheckConstraint(
            condition=(
                Q(**{approximate: False})
                | Q(**{f"{date}__isnull": False})
                | Q(**{precision: no_year})
            ),
            name=f"{table}_{date}_approximate_needs_date",
            violation_error_message=_lazy_message(KNOWN_TO_BE_APPROXIMATE, what=label),
        ),
    ]


def year_not_stated(*prefixes):
    """The rows with a month without a year in any of the date columns `prefixes`."""
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{prefix}_precision": DatePrecision.MONTH_NO_YEAR})
    return condition


def year_not_stated_index(table, *prefixes):
    """An index of the few rows that year_not_stated() finds: the timelines' "Year not
    stated" reads them, by key, without scanning the table (at 100,000 agreements,
    3 ms for the whole timeline and 17 ms for the busiest partner's; 1 to 3 so)."""
    return models.Index(
        fields=["id"], name=f"{table}_no_year_idx", condition=year_not_stated(*prefixes)
    )


def truncate(value, precision):
    """The first day of the period a date stands for at its precision."""
    if value is None:
        return None
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return value


def clean_date(instance, prefix, errors):
    """Mirror of date_constraints for Model.clean(): adds messages to `errors`."""
    value = getattr(instance, prefix)
    precision = getattr(instance, f"{prefix}_precision")
    month = getattr(instance, f"{prefix}_month")
    label = {"what": _date_name(prefix.replace("_", " "))}
    if precision == DatePrecision.MONTH_NO_YEAR:
        if value is not None:
            errors[prefix] = (
                _(
                    "A month without a year has no date: clear the %(what)s, or say how "
                    "precise it is if the source gives a year."
                )
                % label
            )
        if month is None:
            errors[f"{prefix}_month"] = (
                _("Give the month the source names for the %(what)s.") % label
            )
        return
    if month is not None:
        errors[f"{prefix}_month"] = _(
            "Give a month here only when the source states no year; its precision is then "
            "“month, year not stated”."
        )
    if value is None:
        if precision:
            errors[prefix] = _("Give the %(what)s, or clear its precision.") % label
        if getattr(instance, f"{prefix}_approximate"):
            errors[f"{prefix}_approximate"] = str(KNOWN_TO_BE_APPROXIMATE) % label
    elif not precision:
        errors[f"{prefix}_precision"] = (
            _("Say how precise the %(what)s is: day, month or year as the source gives it.")
            % label
        )
    else:
        setattr(instance, prefix, truncate(value, precision))


@dataclass(frozen=True)
class PreciseDate:
    value: datetime.date | None
    precision: str = ""
    approximate: bool = False
    # The month of a date the source gives without a year (MONTH_NO_YEAR).
    month: int | None = None

    @classmethod
    def of(cls, instance, prefix):
        precision = getattr(instance, f"{prefix}_precision")
        return cls(
            getattr(instance, prefix),
            precision,
            getattr(instance, f"{prefix}_approximate"),
            # Read only where there is one: a list that deferred it reads no more.
            getattr(instance, f"{prefix}_month")
            if precision == DatePrecision.MONTH_NO_YEAR
            else None,
        )

    @property
    def known(self):
        """Whether the date has a year: only such a date is sorted, filtered or drawn."""
        return self.value is not None

    @property
    def year_not_stated(self):
        return self.value is None and self.month is not None

    @property
    def stated(self):
        """Whether the source gives any of it: a date, or a month without a year."""
        return self.known or self.year_not_stated

    @property
    def iso(self):
        """ISO 8601 at the date's precision: 2024-04-12, 2023-12 or 2021; a month without
        a year as ISO 8601:2000 and XML Schema write one, --02."""
        if self.value is None:
            return f"--{self.month:02d}" if self.year_not_stated else ""
        if self.precision == DatePrecision.YEAR:
            return f"{self.value:%Y}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.value:%Y-%m}"
        return self.value.isoformat()

    def __str__(self):
        """The date as the source gives it, in the active language: "5 December 2023",
        "December 2023", "2023", "February, year not stated", "2023 (approximate)";
        "unknown" when not stated."""
        words = date_words()
        if self.value is None:
            if not self.year_not_stated:
                return words.unknown
            text = words.no_year % {"month": words.months[self.month]}
        elif self.precision == DatePrecision.YEAR:
            text = str(self.value.year)
        elif self.precision == DatePrecision.MONTH:
            text = words.month % {"month": words.months[self.value.month], "year": self.value.year}
        else:
            text = words.day(self.value)
        return words.approximate % {"date": text} if self.approximate else text


@dataclass(frozen=True)
class DateWords:
    """How one language says a date: its month names and the patterns of each precision."""

    months: dict
    unknown: str
    month: str
    day_pattern: str
    first_day: str
    no_year: str
    approximate: str
    moment: str

    def day(self, value):
        """A day's date: "5 December 2023" ("1er décembre 2023" in French)."""
        names = {"month": self.months[value.month], "year": value.year}
        if value.day == 1:
            return self.first_day % names
        return self.day_pattern % {"day": value.day, **names}


def date_words():
    """The active language's DateWords."""
    return _date_words(translation.get_language())


@functools.lru_cache(maxsize=16)
def _date_words(language):
    # Made once per language: a list draws a hundred dates, a timeline hundreds, and
    # MONTHS holds lazy translations that would each look the language up again.
    with translation.override(language):
        return DateWords(
            # Django's own month names, translated by Django; digits stay Latin.
            months={number: str(name) for number, name in MONTHS.items()},
            unknown=pgettext("a date the sources do not state", "unknown"),
            month=pgettext("a month and its year, as in “December 2023”", "%(month)s %(year)s"),
            day_pattern=pgettext(
                "a day's date, as in “5 December 2023”", "%(day)s %(month)s %(year)s"
            ),
            # French writes the first of a month as an ordinal, "1er décembre 2023".
            first_day=pgettext(
                "the first day of a month, as in “1 December 2023”", "1 %(month)s %(year)s"
            ),
            no_year=_("%(month)s, year not stated"),
            approximate=pgettext(
                "a date the source gives as approximate, as in “2023 (approximate)”",
                "%(date)s (approximate)",
            ),
            moment=pgettext(
                "a moment of a save or a review, as in “12 March 2026, 14:05”",
                "%(date)s, %(time)s",
            ),
        )


END_BEFORE_START = gettext_lazy("The end date cannot be before the start.")


def check_order(instance, first, second, message, errors):
    """Adds `message` under `second` when both dates are known and second < first."""
    earlier, later = getattr(instance, first), getattr(instance, second)
    if earlier is not None and later is not None and later < earlier and second not in errors:
        errors[second] = message


def order_constraint(first, second, table, message):
    return models.CheckConstraint(
        condition=(
            Q(**{f"{first}__isnull": True})
            | Q(**{f"{second}__isnull": True})
            | Q(**{f"{second}__gte": models.F(first)})
        ),
        name=f"{table}_{second}_not_before_{first}",
        violation_error_message=message,
    )
