"""Reverting an entry to an earlier revision, and restoring a deleted one, relations included.

Plain services the admin calls. A revert writes the entry back as it was
(the admin saves the revision's form) and puts its relation rows back as that
revision's save left them; a restore recreates a deleted entry under its id,
with the rows it had when deleted. Each is one save in the change log, of kind
"reverted" or "restored", whose summary names the revision returned to.
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import facts as fact_rules
from ..translations import DEFAULT
from . import saves
from .diffs import differs, field_changes, row_changes
from .entry import relation_records, rows_after
from .models import Change
from .names import UNKNOWN_USER, day, editor_name, history_of


class Refused(Exception):
    def __init__(self, messages):
        super().__init__(messages)
        self.messages = messages


# The summaries a revert and a restore store are part of the record, read alike in
# every language: written in the site's language whatever the editor's page was in.


def revert_reason(revision, summary):
    with translation.override(DEFAULT):
        return (
            f"Reverted to revision #{revision.history_id} of {day(revision.history_date)} "
            f"by {editor_name(revision.history_user, UNKNOWN_USER)}: {summary}"
        )


def restore_reason(deletion, summary):
    with translation.override(DEFAULT):
        return (
            f"Restored after deletion by {editor_name(deletion.history_user, UNKNOWN_USER)} "
            f"on {day(deletion.history_date)}: {summary}"
        )


def at(revision):
    """Include the relation records as the save that wrote the entry's `revision` left them.

    Saves are numbered in the order they were made. A deletion's own cascade
    is left out: a deleted entry's rows are those it had just before.
    """
    if revision.history_type == "-":
        return lambda record: record.history_change_id < revision.history_change_id
    return lambda record: record.history_change_id <= revision.history_change_id


# -- putting rows back ----------------------------------------------------------------


def missing_targets(records, *, names, skip=()):
    """Messages for the objects `records` refer to that no longer exist.

    One query per related model; `skip` names foreign keys not to check.
    """
    if not records:
        return []
    model = records[0].instance_type
    keys = [
        f for f in model._meta.fields if f.is_relation and f.many_to_one and f.name not in skip
    ]
    problems = []
    for key in keys:
        ids = {getattr(r, key.attname) for r in records} - {None}
        existing = set(
            key.related_model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
        )
        gone = ids - existing
        names.load(key.related_model, gone)
        problems += [
            _("The %(type)s “%(name)s” no longer exists; restore it first.")
            % {
                "type": key.related_model._meta.verbose_name,
                "name": names.get(key.related_model, pk),
            }
            for pk in sorted(gone)
        ]
    return problems


def validation_messages(error, model):
    """A ValidationError as sentences, each field error prefixed by the field's label."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, errors in error.message_dict.items():
        if name == NON_FIELD_ERRORS:
            messages += errors
            continue
        label = capfirst(_label(model, name))
        messages += [labelled(label, message) for message in errors]
    return messages


def labelled(label, text):
    """ "Parties: …": a message about what `label` names."""
    return _("%(label)s: %(text)s") % {"label": label, "text": text}


def _label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name.replace("_", " ")


def _relation_fields(instance):
    """Foreign keys, checked by missing_targets() with names rather than by full_clean() with ids."""
    return [f.name for f in instance._meta.fields if f.is_relation]


@dataclass
class RowPlan:
    """What putting one relation back to a former state takes.

    `restore` holds the revisions to write back (rows added or changed since),
    `remove` the revisions of rows to delete (rows that were not there).
    """

    relation: object  # a RelationType
    restore: list
    remove: list
    # {row id: revision}: the rows as the plan leaves them (what citations' link
    # facts may name: `linked_after`).
    target: dict = None

    @classmethod
    def between(cls, relation, current, target):
        restore = [
            record
            for key, record in target.items()
            if key not in current or differs(current[key], record)
        ]
        remove = [record for key, record in current.items() if key not in target]
        return cls(relation, restore, remove, target)

    def problems(self, names):
        """Messages for rows that refer to what no longer exists: one query per foreign key."""
        missing = missing_targets(self.restore, names=names, skip=[self.relation.fk])
        return [labelled(self.relation.title, message) for message in missing]

    def check(self, linked=None):
        """Messages for rows that would break a rule. A query or more per row: for POSTs only.

        `linked` ({prefix: ids}, from `linked_after`) is what the entry's link rows
        will name once every plan is applied: a citation's link facts ("position:7")
        are checked against it, not against the rows still to be put back.
        """
        messages = []
        described = self.relation.describe(self.restore)
        for record in self.restore:
            instance = record.instance
            if linked is not None and self.relation.is_citations:
                instance._linked_ids = lambda entry_field, keys: linked
            try:
                instance.full_clean(exclude=_relation_fields(instance), validate_unique=False)
            except ValidationError as error:
                name = described[record.history_id]
                messages += [
                    labelled(self.relation.title, labelled(name, text))
                    for text in validation_messages(error, type(instance))
                ]
        return messages

    def apply(self):
        """Deletes, then writes back, row by row, so each is a revision of its own."""
        model = self.relation.model
        for row in model._default_manager.filter(pk__in=[r.id for r in self.remove]):
            row.delete()
        for record in self.restore:
            # With its pk set, save() updates the row if it exists, else inserts it.
            record.instance.save()


def linked_after(plans):
    """{link fact prefix: the numbers its rows name} once `plans` are applied: for each
    relation whose rows are link facts of citations (a person's positions, an
    engagement's partners), as its plan leaves them."""
    linked = {}
    for plan in plans:
        if plan.target is None:
            continue
        related_name = plan.relation.model._meta.get_field(plan.relation.fk).remote_field
        for links in fact_rules.LINKS.values():
            for link in links:
                if link.rows == related_name.related_name:
                    column = link.column
                    linked[link.prefix] = {getattr(r, column) for r in plan.target.values()}
    return linked


# -- revert -----------------------------------------------------------------------------


@dataclass
class Revert:
    """A revert of `entry` to `revision`: what it changes, and how its relations come back."""

    revision: object
    plans: list
    fields: list  # [FieldChange] from now to the revision
    rows: list  # [RowChanges] of the relations

    def problems(self, names):
        """What stops it: rows naming what no longer exists, then rows breaking a rule."""
        found = [message for plan in self.plans for message in plan.problems(names)]
        linked = linked_after(self.plans)
        return found or [message for plan in self.plans for message in plan.check(linked)]

    def apply_relations(self):
        """Once the entry itself is saved as the revision: its rows as they were."""
        for plan in self.plans:
            plan.apply()


def plan_revert(relations, entry, revision, names):
    """The Revert of `entry` to `revision`: one query per relation, plus names."""
    plans, rows = [], []
    for relation in relations:
        records = relation_records(relation, entry.pk)
        current = rows_after(relation, records, entry.pk)
        target = rows_after(relation, records, entry.pk, at(revision))
        plans.append(RowPlan.between(relation, current, target))
        changes = row_changes(relation, current, target, names=names)
        if changes:
            rows.append(changes)
    return Revert(revision, plans, field_changes(entry, revision, names=names), rows)


# -- deleted entries, restore ---------------------------------------------------------


def deleted_records(model):
    """The entries whose latest revision is a deletion: that revision, newest first."""
    history = history_of(model)
    id_name = model._meta.pk.attname
    latest = (
        history.filter(**{id_name: OuterRef(id_name)})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history.filter(history_type="-", history_id=Subquery(latest))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def latest_revision(model, pk):
    """The entry's latest revision (its deletion, if it is deleted), or None."""
    return (
        history_of(model)
        .filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


def plan_restore(relations, deletion):
    """[RowPlan] bringing back the rows the entry had when `deletion` deleted it."""
    pk = getattr(deletion, deletion.instance_type._meta.pk.attname)
    plans = []
    for relation in relations:
        rows = rows_after(relation, relation_records(relation, pk), pk, at(deletion))
        plans.append(RowPlan(relation, restore=list(rows.values()), remove=[], target=rows))
    return plans


def restore_problems(deletion, plans, names):
    """What stops a restore, found cheaply (a query or two per relation)."""
    model = deletion.instance_type
    problems = missing_targets([deletion], names=names)
    slug = getattr(deletion, "slug", None)
    if slug:
        taken = model._default_manager.filter(slug=slug).first()
        if taken is not None:
            problems.append(
                _(
                    "Its address is taken: “%(taken)s” now uses the slug “%(slug)s”. "
                    "Give one of them another slug first."
                )
                % {"taken": taken, "slug": slug}
            )
    for plan in plans:
        problems += plan.problems(names)
    return problems


def restore(deletion, plans, user, summary):
    """Recreates the deleted entry under its id, with its rows: one save. Raises Refused."""
    with saves.recording(
        user=user, summary=restore_reason(deletion, summary), kind=Change.Kind.RESTORED
    ):
        entry = deletion.instance
        try:
            entry.full_clean(exclude=_relation_fields(entry))
        except ValidationError as error:
            raise Refused(validation_messages(error, type(entry))) from None
        entry.save(force_insert=True)
        linked = linked_after(plans)
        problems = [message for plan in plans for message in plan.check(linked)]
        if problems:
            raise Refused(problems)
        for plan in plans:
            plan.apply()
    return entry
