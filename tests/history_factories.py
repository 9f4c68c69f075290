"""Saves with a chosen moment, editor and edit summary, for the history pages' tests.

The admin writes an entry's revision and those of its inline rows within
moments of each other, with one editor and summary; the history pages group
them back into one save by exactly that. Tests that want distinct saves make
them hours apart, or with different summaries, as people do.
"""

import datetime

from django.db.models import Max
from django.utils import timezone

from partnerships.models import Agreement, AgreementParty, ExerciseParticipant
from sources.models import Citation

from .conftest import QUOTE, make_partner, make_source

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


RELATION_MODELS = (AgreementParty, ExerciseParticipant, Citation)


def deleted(obj, when, reason="", user=None):
    """Deletes `obj` as the admin would at `when`: its cascade just before, by the same save."""
    obj._history_date = when
    obj._change_reason = reason
    if user is not None:
        obj._history_user = user
    before = {model: _latest_id(model) for model in RELATION_MODELS}
    obj.delete()
    for model, latest in before.items():
        cascaded = model.history.filter(history_id__gt=latest).exclude(history_date=when)
        cascaded.update(
            history_date=when - datetime.timedelta(seconds=1),
            history_change_reason=reason,
            history_user=user,
        )


def _latest_id(model):
    return model.history.aggregate(latest=Max("history_id"))["latest"] or 0


def new(model, when, reason="Created", user=None, **values):
    return saved(model(**values), when, reason, user)


def agreement_with_history(title="Defence pact", user=None, when=None, slug=None):
    """An agreement created at `when` (START by default) with a party and a citation, one save."""
    when = when or START
    second = datetime.timedelta(seconds=1)
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
        partner=make_partner(name="Spain"),
    )
    new(
        Citation,
        when + 2 * second,
        "Create the pact",
        user,
        agreement=agreement,
        source=make_source(title="Le Desk"),
        quote=QUOTE,
        supports="the pact",
    )
    return agreement


def history_records(model, pk):
    return model.history.filter(id=pk).order_by("history_date", "history_id")


def bulk_revisions(entry, count, start=None):
    """`count` more revisions of `entry` in one INSERT, a minute apart, each changing its summary."""
    history = type(entry).history
    first = history.filter(id=entry.pk).earliest()
    start = start or timezone.now()
    copied = {
        f.attname: getattr(first, f.attname)
        for f in history.model._meta.fields
        if f.attname not in ("history_id", "history_date", "history_type", "history_change_reason")
    }
    history.model.objects.bulk_create(
        history.model(
            **{
                **copied,
                "summary": f"Revision {number} of the summary.",
                "history_date": start + datetime.timedelta(minutes=number),
                "history_type": "~",
                "history_change_reason": f"Edit {number}",
            }
        )
        for number in range(1, count + 1)
    )
