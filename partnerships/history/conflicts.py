"""Edit conflicts: a save is refused when someone else saved the entry since its form opened.

Each change form carries the revision it was rendered at (`revision_token`).
On a POST, `guard()` locks the entry's row, so that concurrent saves of one
entry take turns, and compares the token: a form opened before someone else's
save is refused, with who saved what since (`Conflict`). The refused form
comes back with the current token, so saving it again, knowingly, goes through.
"""

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .diffs import field_changes, row_changes
from .entry import edits, relation_records, rows_after, upto
from .names import Names, history_of


@dataclass
class Conflict:
    """What others saved to an entry since an editor's form was rendered."""

    edits: list
    fields: list
    rows: list
    base_known: bool = True

    @property
    def message(self):
        if not self.base_known:
            return _(
                "Not saved: this form did not say which revision of the entry it was "
                "opened at, so it could have overwritten someone else's changes. Check the "
                "entry's history, then save again to keep the values below."
            )
        if not self.edits:
            return _(
                "Not saved: Someone saved this entry after you opened it. What they changed is "
                "listed below; your own input is kept in the form. Save again to replace their "
                "version with yours, or reload the page to start from theirs."
            )
        separator = pgettext("between saves named in a sentence", "; ")
        who = separator.join(str(edit) for edit in self.edits)
        return ngettext(
            "Not saved: %(who)s saved this entry after you opened it. What they changed is "
            "listed below; your own input is kept in the form. Save again to replace their "
            "version with yours, or reload the page to start from theirs.",
            "Not saved: %(who)s saved this entry after you opened it. What they changed is "
            "listed below; your own input is kept in the form. Save again to replace their "
            "version with yours, or reload the page to start from theirs.",
            len(self.edits),
        ) % {"who": who}


@dataclass
class RevisionGuard:
    """Per request: the entry's current revision token and why its form is refused."""

    token: str
    conflict: Conflict | None = None
    refusals: list = field(default_factory=list)


def guard(model, relations, pk, posted_token=None):
    """The RevisionGuard of entry `pk`; with the token a POST sent, first locks its row.

    Call inside a transaction. The lock makes concurrent saves of one entry take
    turns, so the second sees the first's revisions and is refused.
    """
    if posted_token is not None:
        list(model._default_manager.select_for_update().filter(pk=pk).values_list("pk"))
    current = RevisionGuard(revision_token(model, relations, pk))
    if posted_token is not None and posted_token != current.token:
        current.conflict = edit_conflict(model, relations, pk, posted_token)
        current.refusals.append(current.conflict.message)
    return current


def revision_token(model, relations, pk):
    """The latest revision of the entry and of each of its relations, as "12.40.7".

    One query for the entry and one per relation.
    """
    entry = history_of(model).filter(**{model._meta.pk.attname: pk})
    parts = [entry.aggregate(m=Max("history_id"))["m"]]
    for relation in relations:
        ever = relation.history.filter(**{relation.fk_attname: pk}).values("id")
        latest = relation.history.filter(id__in=ever).aggregate(m=Max("history_id"))
        parts.append(latest["m"])
    return ".".join(str(part or 0) for part in parts)


def edit_conflict(model, relations, pk, base):
    """A Conflict: who saved since the `base` token, and what they changed."""
    try:
        cutoffs = [int(part) for part in base.split(".")]
    except ValueError:
        cutoffs = []
    if len(cutoffs) != 1 + len(relations):
        return Conflict([], [], [], base_known=False)
    records = list(
        history_of(model)
        .filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = Names()
    opened = [r for r in records if r.history_id <= cutoffs[0]]
    newer = [r for r in records if r.history_id > cutoffs[0]]
    fields = []
    if opened and newer:
        fields = field_changes(opened[-1], records[-1], names=names)
    rows = []
    for relation, cutoff in zip(relations, cutoffs[1:], strict=True):
        related = relation_records(relation, pk)
        newer += [r for r in related if r.history_id > cutoff]
        before = rows_after(relation, related, pk, upto(cutoff))
        changes = row_changes(relation, before, rows_after(relation, related, pk), names=names)
        if changes:
            rows.append(changes)
    return Conflict(edits(newer), fields, rows)
