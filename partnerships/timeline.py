"""Dated events drawn from agreements, exercises and procurements, in order."""

from dataclasses import dataclass

from django.db.models import Q

from .dates import PreciseDate
from .models import Agreement, Exercise, Procurement

PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class Event:
    date: PreciseDate
    what: str  # "Agreement concluded", "Exercise held", …
    type: str  # "agreement", "exercise" or "equipment"
    entry: object
    until: PreciseDate | None = None

    @property
    def year(self):
        return self.date.value.year

    @property
    def sort_key(self):
        # A date known only to its year sorts before that year's precise dates.
        return (self.date.value, PRECISION_ORDER.get(self.date.precision, 0), str(self.entry))


def agreement_events(agreement):
    concluded, starts, ends = agreement.concluded, agreement.starts, agreement.ends
    if concluded.known:
        yield Event(concluded, f"{agreement.get_kind_display()} concluded", "agreement", agreement)
    if starts.known and starts != concluded:
        yield Event(starts, "Takes effect", "agreement", agreement)
    if ends.known:
        yield Event(ends, "Ends", "agreement", agreement)


def exercise_events(exercise):
    if exercise.starts.known:
        until = exercise.ends if exercise.ends.known else None
        yield Event(exercise.starts, "Exercise held", "exercise", exercise, until)


def procurement_events(procurement):
    if procurement.ordered.known:
        yield Event(procurement.ordered, "Ordered", "equipment", procurement)
    if procurement.delivered.known:
        yield Event(procurement.delivered, "Delivered", "equipment", procurement)


def events_of(agreements=(), exercises=(), procurements=()):
    events = [
        *(event for agreement in agreements for event in agreement_events(agreement)),
        *(event for exercise in exercises for event in exercise_events(exercise)),
        *(event for procurement in procurements for event in procurement_events(procurement)),
    ]
    return sorted(events, key=lambda event: event.sort_key)


def timeline(partner=None, type=""):
    """Every dated event, optionally of one partner and one type: one query per type."""
    agreements = Agreement.objects.filter(
        Q(date__isnull=False) | Q(start_date__isnull=False) | Q(end_date__isnull=False)
    ).prefetch_related("parties")
    exercises = Exercise.objects.filter(start_date__isnull=False).prefetch_related("participants")
    procurements = Procurement.objects.filter(
        Q(order_date__isnull=False) | Q(delivery_date__isnull=False)
    ).select_related("supplier", "manufacturer")
    if partner is not None:
        agreements = agreements.filter(parties=partner)
        exercises = exercises.filter(participants=partner)
        procurements = procurements.filter(Q(supplier=partner) | Q(manufacturer=partner))
    return events_of(
        agreements if type in ("", "agreement") else (),
        exercises if type in ("", "exercise") else (),
        procurements if type in ("", "equipment") else (),
    )
