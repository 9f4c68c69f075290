"""Builds the change log from the history written before it existed, and moves review marks
from revisions to the saves that wrote them.

Until now a save was recognised by a rule: an entry's own revision is a save;
a relation row's revision (a party, a participant, a citation) belongs to a
save of its entry by the same user with the same summary within 5 seconds,
else it starts a save of its own, which the next such revisions within 5
seconds join. That rule is applied here once, frozen as it was, so that every
existing revision gets the save it was shown under; from now on each save
records its own id and nothing is guessed.

The entry types are written out as they were at this migration, so that later
changes to the registry never change what this migration does. It changes
data only: PostgreSQL refuses to alter a table in the transaction that updated
it, so the columns it replaces are dropped in 0008.
"""

import bisect
import datetime

from django.db import migrations

SAME_SAVE = datetime.timedelta(seconds=5)
BATCH = 2000

# name: (app, model, label field, [(app, relation model, foreign key to the entry)])
ENTRY_TYPES = {
    "partner": ("partnerships", "partner", "name", [("sources", "citation", "partner_id")]),
    "agreement": (
        "partnerships",
        "agreement",
        "title",
        [
            ("partnerships", "agreementparty", "agreement_id"),
            ("sources", "citation", "agreement_id"),
        ],
    ),
    "exercise": (
        "partnerships",
        "exercise",
        "name",
        [
            ("partnerships", "exerciseparticipant", "exercise_id"),
            ("sources", "citation", "exercise_id"),
        ],
    ),
    "equipment": (
        "partnerships",
        "procurement",
        "system",
        [("sources", "citation", "procurement_id")],
    ),
    "source": ("sources", "source", "title", []),
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def historical(apps, app_label, model_name):
    return apps.get_model(app_label, f"historical{model_name}")


class Save:
    def __init__(self, entry_type, entry_id, records, own=None):
        self.entry_type = entry_type
        self.entry_id = entry_id
        self.records = records
        self.own = own  # the entry's own revision, or None for rows saved alone

    @property
    def lead(self):
        return self.own or self.records[0]


def same_save(record, other):
    return (
        record.history_user_id == other.history_user_id
        and record.history_change_reason == other.history_change_reason
        and abs(record.history_date - other.history_date) <= SAME_SAVE
    )


def saves_of_entry(entry_type, entry_id, own_records, relation_records):
    """The saves of one entry, by the rule as it was (see the module's docstring)."""
    saves = [Save(entry_type, entry_id, [record], record) for record in own_records]
    dates = [record.history_date for record in own_records]
    loose = []
    for record in sorted(relation_records, key=lambda r: (r.history_date, r.history_id)):
        low = bisect.bisect_left(dates, record.history_date - SAME_SAVE)
        high = bisect.bisect_right(dates, record.history_date + SAME_SAVE)
        candidates = [s for s in saves[low:high] if same_save(record, s.own)]
        owner = None
        if candidates and record.history_type == "-":
            owner = next(
                (
                    s
                    for s in candidates
                    if s.own.history_type == "-" and s.own.history_date >= record.history_date
                ),
                None,
            )
        if candidates and owner is None:
            before = [s for s in candidates if s.own.history_date <= record.history_date]
            owner = before[-1] if before else candidates[0]
        if owner is not None:
            owner.records.append(record)
            continue
        previous = loose[-1].records[-1] if loose else None
        if (
            previous is not None
            and previous.history_user_id == record.history_user_id
            and previous.history_change_reason == record.history_change_reason
            and record.history_date - previous.history_date <= SAME_SAVE
        ):
            loose[-1].records.append(record)
        else:
            loose.append(Save(entry_type, entry_id, [record]))
    return saves + loose


def build_change_log(apps, schema_editor):
    Change = apps.get_model("partnerships", "Change")
    Partner = apps.get_model("partnerships", "Partner")
    partner_names = dict(Partner.objects.values_list("id", "name"))
    deleted = {}
    for record in historical(apps, "partnerships", "partner").objects.order_by("history_date"):
        if record.id not in partner_names:
            deleted[record.id] = f"{record.name} (deleted)"
    partner_names |= deleted

    for entry_type, (app_label, model_name, label_field, relations) in ENTRY_TYPES.items():
        history = historical(apps, app_label, model_name)
        own = {}
        for record in history.objects.order_by("history_date", "history_id"):
            own.setdefault(record.id, []).append(record)
        related = {}
        for rel_app, rel_model, fk in relations:
            for record in historical(apps, rel_app, rel_model).objects.exclude(**{fk: None}):
                record.model_name = rel_model
                related.setdefault(getattr(record, fk), []).append(record)
        for entry_id in own.keys() | related.keys():
            records = own.get(entry_id, [])
            saves = saves_of_entry(entry_type, entry_id, records, related.get(entry_id, []))
            write_saves(apps, Change, saves, records, label_field, model_name, partner_names)


def write_saves(apps, Change, saves, own_records, label_field, model_name, partner_names):
    changes = [change_row(Change, s, own_records, label_field, partner_names) for s in saves]
    Change.objects.bulk_create(changes, batch_size=BATCH)
    touched = {}
    for save, change in zip(saves, changes, strict=True):
        for record in save.records:
            record.history_change_id = change.pk
            touched.setdefault(type(record), []).append(record)
        change.revisions = [
            [getattr(r, "model_name", model_name), r.history_id, r.history_type]
            for r in sorted(save.records, key=lambda r: (r.history_date, r.history_id))
        ]
    Change.objects.bulk_update(changes, ["revisions"], batch_size=BATCH)
    for model, records in touched.items():
        model.objects.bulk_update(records, ["history_change"], batch_size=BATCH)


def change_row(Change, save, own_records, label_field, partner_names):
    lead = save.lead
    if save.own is not None:
        named = save.own
    else:  # rows saved alone: the entry's name then, else its first
        earlier = [r for r in own_records if r.history_date <= lead.history_date]
        named = earlier[-1] if earlier else (own_records[0] if own_records else None)
    previous = [r for r in own_records if r.history_date < lead.history_date]
    reason = lead.history_change_reason or ""
    if save.own is None:
        kind = "changed"
    elif save.own.history_type == "+" and previous and previous[-1].history_type == "-":
        kind = "restored"
    elif save.own.history_type == "~" and reason.startswith("Reverted to revision #"):
        kind = "reverted"
    else:
        kind = ACTIONS.get(save.own.history_type, "changed")
    detail = ""
    if save.own is None and len(save.records) == 1:
        row = save.records[0]
        if hasattr(row, "supports"):
            detail = row.supports
        else:
            detail = partner_names.get(row.partner_id, "a partner")
            if hasattr(row, "role"):
                detail += f" as {row.role}"
    return Change(
        entry_type=save.entry_type,
        entry_id=save.entry_id,
        entry_label=(getattr(named, label_field, "") or "")[:300] if named else "",
        entry_slug=named.slug if named else "",
        user_id=lead.history_user_id,
        date=lead.history_date,
        summary=reason,
        kind=kind,
        detail=detail[:300],
    )


REVISION_TABLES = {
    "partner": ("partnerships", "partner"),
    "agreement": ("partnerships", "agreement"),
    "agreementparty": ("partnerships", "agreementparty"),
    "exercise": ("partnerships", "exercise"),
    "exerciseparticipant": ("partnerships", "exerciseparticipant"),
    "procurement": ("partnerships", "procurement"),
    "source": ("sources", "source"),
    "citation": ("sources", "citation"),
}


def marks_to_saves(apps, schema_editor):
    """Each mark now marks the save that wrote its revision; a save keeps its first mark."""
    ReviewMark = apps.get_model("partnerships", "ReviewMark")
    marked = set()
    for mark in ReviewMark.objects.order_by("reviewed_at", "pk"):
        app_label, model_name = REVISION_TABLES.get(mark.revision_type, (None, None))
        change_id = None
        if app_label is not None:
            change_id = (
                historical(apps, app_label, model_name)
                .objects.filter(history_id=mark.history_id)
                .values_list("history_change_id", flat=True)
                .first()
            )
        if change_id is None or change_id in marked:
            # A revision that is gone, or a save already marked through another of its revisions.
            mark.delete()
            continue
        marked.add(change_id)
        mark.change_id = change_id
        mark.save(update_fields=["change"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_change_log"),
        ("sources", "0004_history_change"),
    ]

    operations = [
        migrations.RunPython(build_change_log, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(marks_to_saves, migrations.RunPython.noop, elidable=False),
    ]
