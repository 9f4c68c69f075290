"""Dates as precise as the source and no more.

A documented date is stored in three columns: the date itself, its precision
(day, month or year) and an `approximate` flag for dates the source only
implies. A month-precise date is stored as the first of that month and a
year-precise one as 1 January, so sorting and range filters work on one column.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def precision_field(what):
    return models.CharField(
        f"{what} precision",
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        help_text=(
            f"How precisely the source gives the {what}: “12 April 2024” is a day, "
            "“December 2023” a month, “2021” a year. Leave empty when the date is unknown."
        ),
    )


def approximate_field(what):
    return models.BooleanField(
        f"{what} approximate",
        default=False,
        help_text=(
            f"Tick when the source only implies the {what}, e.g. “in February” where "
            "the year comes from the article's context. Say how it was inferred in the summary."
        ),
    )


def date_columns(*prefixes):
    """The columns each precise date `prefix` is stored in: the date, its precision and
    its flag ("date", "date_precision", "date_approximate")."""
    return [
        f"{prefix}{part}" for prefix in prefixes for part in ("", "_precision", "_approximate")
    ]


def date_constraints(prefix, table):
    """Named constraints keeping a date, its precision and its flag consistent."""
    date, precision, approximate = date_columns(prefix)
    return [
        models.CheckConstraint(
            condition=(
                Q(**{f"{date}__isnull": True, precision: ""})
                | (Q(**{f"{date}__isnull": False}) & ~Q(**{precision: ""}))
            ),
            name=f"{table}_{date}_precision_iff_date",
            violation_error_message=(
                f"Give the {date.replace('_', ' ')} and its precision together, or neither."
            ),
        ),
        models.CheckConstraint(
            condition=Q(**{approximate: False}) | Q(**{f"{date}__isnull": False}),
            name=f"{table}_{date}_approximate_needs_date",
            violation_error_message=(
                f"Only a known {date.replace('_', ' ')} can be marked approximate."
            ),
        ),
    ]


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
    label = prefix.replace("_", " ")
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

    @classmethod
    def of(cls, instance, prefix):
        return cls(
            getattr(instance, prefix),
            getattr(instance, f"{prefix}_precision"),
            getattr(instance, f"{prefix}_approximate"),
        )

    @property
    def known(self):
        return self.value is not None

    @property
    def iso(self):
        """ISO 8601 at the date's precision: 2024-04-12, 2023-12 or 2021."""
        if self.value is None:
            return ""
        if self.precision == DatePrecision.YEAR:
            return f"{self.value:%Y}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.value:%Y-%m}"
        return self.value.isoformat()

    def __str__(self):
        if self.value is None:
            return "unknown"
        if self.precision == DatePrecision.YEAR:
            return f"{self.value.year} (approximate)" if self.approximate else str(self.value.year)
        if self.precision == DatePrecision.MONTH:
            text = f"{self.value:%B} {self.value.year}"
        else:
            text = f"{self.value.day} {self.value:%B} {self.value.year}"
        # A month or day the source names, in a year only its context implies.
        return f"{text} (year approximate)" if self.approximate else text


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
