"""Revision history shared by every content model and relation."""

from simple_history.models import HistoricalRecords


class WikiHistory(HistoricalRecords):
    """simple-history with two wiki rules.

    * A save that changes no tracked field records no revision (the admin's
      "Save" on an untouched form, or loading the fixtures a second time).
      This costs one query per save: reading the latest revision.
    * A revision without a reason of its own takes the edit summary of the
      request that made it (`request.edit_summary`, set by the admin), so
      inline rows and cascaded deletions carry the editor's summary too.
    """

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
