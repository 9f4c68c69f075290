"""Revision history shared by every content model and relation."""

from django.db import models
from simple_history.models import HistoricalRecords


def history_indexes(model):
    """The indexes every history table carries, named after the tracked model.

    simple-history already indexes history_date (recent changes' order), every
    foreign key (an entry's relation rows), the user, and fields indexed on the
    tracked model, such as slugs (a deleted entry's history, found by its slug).
    These add what the wiki's own history queries need besides.
    """
    prefix = f"hist_{model._meta.model_name[:13]}"
    return [
        # One entry's (or relation row's) revisions in order: its history page,
        # compare and as-of views, the latest-change line of its page, the
        # recent-changes test of whether a relation row belongs to its entry's
        # save, and the admin's reverts. It replaces simple-history's index on
        # the id alone (see WikiHistory.__init__).
        models.Index(fields=[model._meta.pk.attname, "history_date"], name=f"{prefix}_id_date"),
        # Recent changes (and its feed) filtered by editor, newest first.
        models.Index(fields=["history_user", "history_date"], name=f"{prefix}_user_date"),
    ]


class WikiHistory(HistoricalRecords):
    """simple-history with three wiki rules.

    * A save that changes no tracked field records no revision (the admin's
      "Save" on an untouched form, or loading the fixtures a second time).
      This costs one query per save: reading the latest revision.
    * A revision without a reason of its own takes the edit summary of the
      request that made it (`request.edit_summary`, set by the admin), so
      inline rows and cascaded deletions carry the editor's summary too.
    * Each history table carries the indexes of `history_indexes()`.
      simple-history builds the historical model's Meta in
      `get_meta_options()`, which is the one place to add indexes to it
      (its constructor takes no Meta options, only `no_db_index` to drop
      the indexes it puts on copied fields).
    """

    def __init__(self, *args, **kwargs):
        # The (id, history_date) index serves every lookup by id.
        kwargs.setdefault("no_db_index", ["id"])
        super().__init__(*args, **kwargs)

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["indexes"] = [*meta.get("indexes", ()), *history_indexes(model)]
        return meta

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw") and not self.has_changes(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def has_changes(self, instance):
        latest = getattr(instance, self.manager_name).order_by("-history_date", "-pk").first()
        if latest is None or latest.history_type == "-":
            return True
        return any(
            field.to_python(getattr(instance, field.attname)) != getattr(latest, field.attname)
            for field in self.fields_included(instance)
        )

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        if reason is None:
            request = getattr(self.context, "request", None)
            reason = getattr(request, "edit_summary", None)
        return reason
