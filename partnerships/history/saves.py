"""How a save is recorded: one row of the change log for all the revisions it writes.

Work that is one save runs inside ``recording()``: the admin around a form
with its inline rows, a deletion with its cascade, a revert, a restore; the
fixture loader around each entry. Every revision written meanwhile carries the
save's ``Change`` row, made with the first of them, and the row is completed
when the save ends: the entry's name then, what kind of change it was and the
revisions it wrote. Nothing is guessed from times or summaries.

A revision written outside any ``recording()`` (a script, a test factory) is a
save of its own. A ``recording()`` that writes no revision leaves no row.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation

from ..translations import DEFAULT
from .registry import entry_types

_under_way = contextvars.ContextVar("partnerships_history_save", default=None)

DETAIL_LONGEST = 300


def current():
    """The save under way, or None."""
    return _under_way.get()


def under_way():
    save = _under_way.get()
    if save is None:
        raise RuntimeError(
            "A revision is being written outside a save: write history rows through the "
            "tracked models, inside partnerships.history.saves.recording()."
        )
    return save


@dataclass(eq=False)
class Recording:
    """A save under way. `user`, `summary` and `kind` may be set until it writes."""

    user: object = None
    summary: str | None = None
    kind: str = ""  # a Change.Kind the caller knows (a revert, a restore), else from the revisions
    entry: tuple | None = None  # (EntryType, pk) if known beforehand, else the first revision's
    change: object = None
    revisions: list = field(default_factory=list)

    def change_for(self, revision):
        """The Change row every revision of this save carries, made with the first."""
        from .models import Change

        if self.change is None:
            self.entry = self.entry or entry_types.owner_of(revision)
            if self.entry is None:
                raise RuntimeError(f"{revision.instance_type.__name__} has no entry type.")
            entry_type, pk = self.entry
            self.change = Change.objects.create(
                entry_type=entry_type.name,
                entry_id=pk,
                entry_label="",
                entry_slug="",
                user=self.user if self.user is not None else revision.history_user,
                date=revision.history_date,
                summary=(self.summary if self.summary is not None else "")
                or revision.history_change_reason
                or "",
                kind=self.kind or "changed",
            )
        return self.change

    def wrote(self, revision):
        self.revisions.append(revision)

    def finish(self):
        """Completes the save's Change row: one UPDATE, and a query or two to name it."""
        from .models import Change

        if self.change is None:
            return
        entry_type, pk = self.entry
        own = [r for r in self.revisions if r.instance_type is entry_type.model]
        label, slug = _name(entry_type, pk, own[-1] if own else None)
        values = {
            "entry_label": label[:300],
            "entry_slug": slug,
            "date": (own or self.revisions)[0].history_date,
            "kind": self.kind or _kind(own),
            "revisions": [
                [r.instance_type._meta.model_name, r.history_id, r.history_type]
                for r in self.revisions
            ],
            "detail": "" if own else _detail(entry_type, self.revisions),
        }
        Change.objects.filter(pk=self.change.pk).update(**values)
        for name, value in values.items():
            setattr(self.change, name, value)


def _kind(own):
    if not own:
        return "changed"
    return {"+": "created", "-": "deleted"}.get(own[-1].history_type, "changed")


def _name(entry_type, pk, revision):
    """The entry's name and slug: from its revision in this save, else as it stands."""
    if revision is not None:
        return entry_type.label_of(revision), revision.slug
    row = (
        entry_type.model._default_manager.filter(pk=pk)
        .values_list(entry_type.label_field, "slug")
        .first()
    )
    if row is None:  # deleted: the name it had last
        row = (
            entry_type.history.filter(**{entry_type.model._meta.pk.attname: pk})
            .order_by("-history_date", "-history_id")
            .values_list(entry_type.label_field, "slug")
            .first()
        )
    return row or ("", "")


def _detail(entry_type, revisions):
    """A lone relation row as recent changes names it: the facts a citation names, a partner."""
    if len(revisions) != 1:
        return ""
    (revision,) = revisions
    relation = next((r for r in entry_type.relations if r.model is revision.instance_type), None)
    if relation is None:
        return ""
    # Stored with the save, so read alike in every language: in the site's own.
    with translation.override(DEFAULT):
        described = relation.describe([revision], short=True)[revision.history_id]
    return described[:DETAIL_LONGEST]


@contextmanager
def recording(*, user=None, summary=None, kind="", entry=None):
    """Everything saved inside is one save: one Change row, atomically with its revisions.

    Inside a save already under way, it joins that save (filling in what the
    outer one left unsaid).
    """
    save = _under_way.get()
    if save is not None:
        save.user = save.user if save.user is not None else user
        save.summary = save.summary if save.summary is not None else summary
        save.kind = save.kind or kind
        save.entry = save.entry or entry
        yield save
        return
    save = Recording(user=user, summary=summary, kind=kind, entry=entry)
    token = _under_way.set(save)
    try:
        with transaction.atomic():
            yield save
            save.finish()
    finally:
        _under_way.reset(token)


@contextmanager
def writing():
    """Around one revision: it joins the save under way, or is a save of its own.

    A save of its own is not made atomic here: it is part of its object's
    save, which is as atomic as its caller made it.
    """
    if _under_way.get() is not None:
        yield
        return
    save = Recording()
    token = _under_way.set(save)
    try:
        yield
        save.finish()
    finally:
        _under_way.reset(token)
