"""What every content admin shares: an edit summary on every change and delete."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

SUMMARY_MAX_LENGTH = 500


class EditSummaryForm(forms.ModelForm):
    edit_summary = forms.CharField(
        label="Edit summary",
        max_length=SUMMARY_MAX_LENGTH,
        help_text="Say what you changed and why. Reviewers read this in the history.",
        error_messages={"required": "Give an edit summary: say what you changed and why."},
        widget=forms.TextInput(attrs={"size": 80}),
    )


@dataclass(frozen=True)
class RelatedHistory:
    """Revisions of rows that hang off an entry, shown on the entry's history page.

    `model` is a revisioned relation (a party, a participant, a citation),
    `field` the foreign key pointing at the entry, `other` the foreign key
    naming the row on the entry's page (None for citations, shown by quote).
    """

    title: str
    model: type
    field: str
    other: str | None = None
    limit: int = 100

    def rows(self, object_id):
        records = list(
            self.model.history.filter(**{f"{self.field}_id": object_id})
            .select_related("history_user")
            .order_by("-history_date", "-pk")[: self.limit]
        )
        names = (
            self._names({getattr(r, f"{self.other}_id") for r in records}) if self.other else {}
        )
        return [
            {
                "date": record.history_date,
                "user": record.history_user,
                "action": ACTIONS[record.history_type],
                "reason": record.history_change_reason,
                "text": self._describe(record, names),
            }
            for record in records
        ]

    def _names(self, ids):
        """Names of the rows' other ends in one query, deleted ones from their history."""
        target = self.model._meta.get_field(self.other).related_model
        names = {pk: str(obj) for pk, obj in target.objects.in_bulk(ids).items()}
        missing = ids - names.keys()
        if missing:
            for record in target.history.filter(id__in=missing).order_by("history_date"):
                names[record.id] = f"{record.instance} (deleted)"
        return names

    def _describe(self, record, names):
        if self.other is None:  # a citation
            quote = record.quote if len(record.quote) <= 90 else record.quote[:87] + "…"
            stance = " — disputes" if record.stance == "disputes" else ""
            return f"“{quote}” for “{record.supports}”{stance}"
        text = names.get(getattr(record, f"{self.other}_id"), "(unknown)")
        if hasattr(record, "get_role_display"):
            text += f" as {record.get_role_display().lower()}"
        return text


ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


class WikiAdmin(SimpleHistoryAdmin):
    """Admin for a revisioned model.

    Saving requires an edit summary, which the model's WikiHistory records on
    every revision the request makes (the entry, its inline rows, cascades).
    Deleting asks for one too; bulk deletion is off for the same reason.
    """

    form = EditSummaryForm
    delete_confirmation_template = "admin/wiki_delete_confirmation.html"
    object_history_template = "admin/wiki_object_history.html"
    save_on_top = True
    related_history = ()
    # A source address typed without a scheme is a web address: https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def history_view(self, request, object_id, extra_context=None):
        related = [(spec.title, spec.rows(object_id)) for spec in self.related_history]
        extra_context = {**(extra_context or {}), "related_history": related}
        return super().history_view(request, object_id, extra_context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "edit_summary"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        can_edit = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if can_edit:
            fieldsets.append(("Edit summary", {"fields": ["edit_summary"]}))
        return fieldsets

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's revision page saves a POST (a revert) after checking
        # only the view permission; reverting is a change and needs both.
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            allowed = self.has_change_permission(
                request, obj
            ) and self.has_change_history_permission(request, obj)
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        request.edit_summary = form.cleaned_data["edit_summary"]
        super().save_model(request, obj, form, change)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and request.POST.get("post"):
            summary = request.POST.get("edit_summary", "").strip()
            if not summary:
                self.message_user(
                    request,
                    "Give an edit summary: say why this is being deleted.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
            request.edit_summary = summary[:SUMMARY_MAX_LENGTH]
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Each deletion needs its own edit summary, which a bulk action cannot ask for.
        actions.pop("delete_selected", None)
        return actions


class RequiredInlineMixin:
    """An inline whose `min_num` rows are required: the admin does not validate it by itself."""

    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
