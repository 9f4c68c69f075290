"""Dates as precise as the source and no more.

A documented date is stored in four columns: the date itself, its precision
(day, month or year), an `approximate` flag for dates the source itself hedges,
and a month for a month the source names without a year ("in February"). A
month-precise date is stored as the first of that month and a year-precise one
as 1 January, so sorting and range filters work on one column. A month without
a year leaves the date empty: it is never sorted, filtered, drawn or exported
as a year, only shown as the source words it ("February, year not stated").
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    MONTH_NO_YEAR = "month_no_year", "Month, year not stated"


# The precisions that need a date (all but a month without a year).
DATED = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)
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


def precision_field(what):
    return models.CharField(
        f"{what} precision",
        max_length=13,
        choices=DatePrecision.choices,
        blank=True,
        help_text=(
            f"How precisely the source gives the {what}: “12 April 2024” is a day, "
            "“December 2023” a month, “2021” a year; “in February” with no year is a "
            "month whose year is not stated (give the month below and leave the date "
            "empty). Leave empty when the date is unknown."
        ),
    )


def month_field(what):
    return models.PositiveSmallIntegerField(
        f"{what} month (year not stated)",
        null=True,
        blank=True,
        choices=[(number, name) for number, name in enumerate(MONTH_NAMES, start=1)],
        help_text=(
            f"Only when the source names the month of the {what} but no year, e.g. "
            "“in February”: the month, with the date left empty. No year is inferred."
        ),
    )


def approximate_field(what):
    return models.BooleanField(
        f"{what} approximate",
        default=False,
        help_text=(
            f"Tick only when the source itself hedges the {what} (“around 2021”, "
            "“reportedly in May”). Never infer a year: a month without a year is stored "
            "as such."
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


def date_constraints(prefix, table):
    """Named constraints keeping a date, its precision, its flag and its month consistent."""
    date, precision, approximate, month = date_columns(prefix)
    label = date.replace("_", " ")
    no_year = DatePrecision.MONTH_NO_YEAR
    return [
        models.CheckConstraint(
            condition=(
                Q(**{f"{date}__isnull": True, f"{precision}__in": ["", no_year]})
                | Q(**{f"{date}__isnull": False, f"{precision}__in": list(DATED)})
            ),
            name=f"{table}_{date}_precision_iff_date",
            violation_error_message=(
                f"Give the {label} and its precision together, or neither (a month "
                "without a year has no date)."
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
            violation_error_message=(
                f"Give the {label}'s month exactly when the source names a month without a year."
            ),
        ),
        models.CheckConstraint(
            condition=(
                Q(**{approximate: False})
                | Q(**{f"{date}__isnull": False})
                | Q(**{precision: no_year})
            ),
            name=f"{table}_{date}_approximate_needs_date",
            violation_error_message=f"Only a known {label} can be marked approximate.",
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
    label = prefix.replace("_", " ")
    if precision == DatePrecision.MONTH_NO_YEAR:
        if value is not None:
            errors[prefix] = (
                f"A month without a year has no date: clear the {label}, or say how "
                "precise it is if the source gives a year."
            )
        if month is None:
            errors[f"{prefix}_month"] = f"Give the month the source names for the {label}."
        return
    if month is not None:
        errors[f"{prefix}_month"] = (
            "Give a month here only when the source states no year; its precision is then "
            "“month, year not stated”."
        )
    if value is None:
        if precision:
            errors[prefix] = f"Give the {label}, or clear its precision."
        if getattr(instance, f"{prefix}_approximate"):
            errors[f"{prefix}_approximate"] = f"Only a known {label} can be marked approximate."
    elif not precision:
        errors[f"{prefix}_precision"] = (
            f"Say how precise the {label} is: day, month or year as the source gives it."
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
        if self.value is None:
            if not self.year_not_stated:
                return "unknown"
            text = f"{MONTH_NAMES[self.month - 1]}, year not stated"
            return f"{text} (approximate)" if self.approximate else text
        if self.precision == DatePrecision.YEAR:
            return f"{self.value.year} (approximate)" if self.approximate else str(self.value.year)
        if self.precision == DatePrecision.MONTH:
            text = f"{self.value:%B} {self.value.year}"
        else:
            text = f"{self.value.day} {self.value:%B} {self.value.year}"
        return f"{text} (approximate)" if self.approximate else text


END_BEFORE_START = "The end date cannot be before the start."


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
