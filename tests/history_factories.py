"""Saves with a chosen moment, editor and edit summary, for the history pages' tests.

Each `saved()`, `new()` or `deleted()` outside `one_save()` is a save of its
own, as a script's would be; inside it, they are one save, as an admin form
with its inline rows is.
"""

import datetime

from django.db.models import Max
from django.utils import timezone

from partnerships.history.models import Change
from partnerships.history.registry import entry_types
from partnerships.history.saves import recording
from partnerships.models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPartner,
    EngagementPerson,
    ExerciseParticipant,
    Indicator,
    IndicatorValue,
    Person,
    Position,
)
from sources.models import Citation

from .conftest import QUOTE, _next, make_partner, make_source

START = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC)


def hours(n):
    """A moment n hours after START (3 March 2026, 09:00 UTC)."""
    return START + datetime.timedelta(hours=n)


def saved(obj, when, reason="", user=None):
    """Saves `obj` as a revision of `when`, by `user`, with the edit summary `reason`."""
    obj._history_date = when
    obj._change_reason = reason
    if user is not None:
        obj._history_user = user
    obj.save()
    return obj


RELATION_MODELS = (
    AgreementParty,
    ExerciseParticipant,
    Position,
    EngagementPartner,
    EngagementPerson,
    IndicatorValue,
    Citation,
)


def one_save(reason="", user=None):
    """What is saved inside is one save (see partnerships.history.saves.recording)."""
    return recording(user=user, summary=reason)


def deleted(obj, when, reason="", user=None):
    """Deletes `obj` as the admin would at `when`: one save, its cascade just before."""
    obj._history_date = when
    obj._change_reason = reason
    if user is not None:
        obj._history_user = user
    before = {model: _latest_id(model) for model in RELATION_MODELS}
    with one_save(reason, user):
        obj.delete()
    for model, latest in before.items():
        cascaded = model.history.filter(history_id__gt=latest).exclude(history_date=when)
        cascaded.update(history_date=when - datetime.timedelta(seconds=1))


def _latest_id(model):
    return model.history.aggregate(latest=Max("history_id"))["latest"] or 0


def new(model, when, reason="Created", user=None, **values):
    return saved(model(**values), when, reason, user)


def agreement_with_history(title="Defence pact", user=None, when=None, slug=None):
    """An agreement created at `when` (START by default) with a party and a citation, one save."""
    when = when or START
    second = datetime.timedelta(seconds=1)
    spain, source = make_partner(name="Spain"), make_source(title="Le Desk")
    with one_save("Create the pact", user):
        agreement = new(
            Agreement,
            when,
            "Create the pact",
            user,
            title=title,
            slug=slug or title.lower().replace(" ", "-"),
            kind=Agreement.Kind.COOPERATION,
            summary="The deal was signed in Rabat.",
        )
        new(
            AgreementParty,
            when + second,
            "Create the pact",
            user,
            agreement=agreement,
            partner=spain,
        )
        new(
            Citation,
            when + 2 * second,
            "Create the pact",
            user,
            agreement=agreement,
            source=source,
            quote=QUOTE,
            note="the pact",
        )
    return agreement


# -- the entry types of people, engagements and indicators -------------------------------


def make_person(positions=(), **overrides):
    """A person with `positions` ({"title": …, "partner": … or "body": …, dates}), one save."""
    n = _next()
    values = {"name": f"Person {n}", "slug": f"person-{n}", **overrides}
    with recording():
        person = Person.objects.create(**values)
        for position in positions:
            Position.objects.create(person=person, **position)
    return person


def make_engagement(partners=(), people=(), **overrides):
    """An engagement with `partners` and `people` taking part (each an entry, or an
    (entry, role) pair), one save."""
    n = _next()
    values = {
        "title": f"Engagement {n}",
        "slug": f"engagement-{n}",
        "kind": Engagement.Kind.VISIT,
        **overrides,
    }
    with recording():
        engagement = Engagement.objects.create(**values)
        for partner in partners:
            partner, role = partner if isinstance(partner, tuple) else (partner, "unstated")
            EngagementPartner.objects.create(engagement=engagement, partner=partner, role=role)
        for person in people:
            person, role = person if isinstance(person, tuple) else (person, "unstated")
            EngagementPerson.objects.create(engagement=engagement, person=person, role=role)
    return engagement


def make_indicator(values=(), **overrides):
    """An indicator with `values` ({"period": …, "period_precision": …, "value": …,
    "basis": …}), one save."""
    n = _next()
    fields = {
        "name": f"Indicator {n}",
        "slug": f"indicator-{n}",
        "subject": "Morocco",
        "unit": "billion",
        "currency": "USD",
        **overrides,
    }
    with recording():
        indicator = Indicator.objects.create(**fields)
        for value in values:
            IndicatorValue.objects.create(indicator=indicator, **value)
    return indicator


def backdated(history, when):
    """Moves the revisions of `history` (a queryset of one history table) and their saves to `when`."""
    Change.objects.filter(pk__in=history.values("history_change")).update(date=when)
    history.update(history_date=when)


def history_records(model, pk):
    return model.history.filter(id=pk).order_by("history_date", "history_id")


def bulk_revisions(entry, count, start=None):
    """`count` more saves of `entry`, a minute apart, each changing its summary.

    In three INSERTs: the change log's rows, then the revisions, then the
    log's list of them.
    """
    history = type(entry).history
    entry_type = entry_types.for_model(type(entry))
    first = history.filter(id=entry.pk).earliest()
    start = start or timezone.now()
    dates = [start + datetime.timedelta(minutes=number) for number in range(1, count + 1)]
    changes = Change.objects.bulk_create(
        Change(
            entry_type=entry_type.name,
            entry_id=entry.pk,
            entry_label=str(entry),
            entry_slug=entry.slug,
            date=date,
            summary=f"Edit {number}",
            kind=Change.Kind.CHANGED,
        )
        for number, date in enumerate(dates, start=1)
    )
    copied = {
        f.attname: getattr(first, f.attname)
        for f in history.model._meta.fields
        if f.attname
        not in (
            "history_id",
            "history_date",
            "history_type",
            "history_change_reason",
            "history_change_id",
        )
    }
    revisions = history.model.objects.bulk_create(
        history.model(
            **{
                **copied,
                "summary": f"Revision {number} of the summary.",
                "history_date": date,
                "history_type": "~",
                "history_change_reason": f"Edit {number}",
                "history_change": change,
            }
        )
        for number, (date, change) in enumerate(zip(dates, changes, strict=True), start=1)
    )
    for change, revision in zip(changes, revisions, strict=True):
        change.revisions = [[entry_type.revision_type, revision.history_id, "~"]]
    Change.objects.bulk_update(changes, ["revisions"])
