"""The historical-records base every content model and relation uses."""

from django.db import models
from simple_history.models import HistoricalRecords

from . import saves


def history_indexes(model):
    """The indexes every history table carries, named after the tracked model.

    simple-history already indexes history_date, every foreign key (an entry's
    relation rows, the save), the user, and fields indexed on the tracked
    model, such as slugs (a deleted entry's history, found by its slug).
    """
    prefix = f"hist_{model._meta.model_name[:13]}"
    return [
        # One entry's (or relation row's) revisions in order: its history page,
        # compare and as-of views, edit conflicts and reverts. It replaces
        # simple-history's index on the id alone (see WikiHistory.__init__).
        models.Index(fields=[model._meta.pk.attname, "history_date"], name=f"{prefix}_id_date"),
        # Revisions by one editor, newest first.
        models.Index(fields=["history_user", "history_date"], name=f"{prefix}_user_date"),
    ]


class SavedRevision(models.Model):
    """What a revision carries besides simple-history's columns: the save that wrote it."""

    history_change = models.ForeignKey(
        "partnerships.Change",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The save (one row of the change log) that wrote this revision.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A new revision joins the save under way; WikiHistory opens one for each.
        new = self._state.adding and self.history_change_id is None
        if new:
            self.history_change = saves.under_way().change_for(self)
        super().save(*args, **kwargs)
        if new:
            saves.under_way().wrote(self)


class WikiHistory(HistoricalRecords):
    """simple-history with the wiki's rules.

    * Every revision belongs to a save (see saves.py): the one under way, or
      a save of its own when nothing opened one. It takes the save's editor
      and edit summary unless the object names its own (`_history_user`,
      `_change_reason`).
    * A save that changes no tracked field records no revision (the admin's
      "Save" on an untouched form, or loading the fixtures a second time).
      This costs one query per save: reading the latest revision.
    * Each history table carries the indexes of `history_indexes()`.
      simple-history builds the historical model's Meta in
      `get_meta_options()`, which is the one place to add indexes to it.
    """

    def __init__(self, *args, **kwargs):
        # The (id, history_date) index serves every lookup by id.
        kwargs.setdefault("no_db_index", ["id"])
        kwargs.setdefault("bases", (SavedRevision,))
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

    def create_historical_record(self, instance, history_type, using=None):
        with saves.writing():
            super().create_historical_record(instance, history_type, using=using)

    def get_history_user(self, instance):
        save = saves.current()
        if not hasattr(instance, "_history_user") and save is not None and save.user is not None:
            return save.user
        return super().get_history_user(instance)

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        save = saves.current()
        if reason is None and save is not None:
            reason = save.summary
        return reason
