"""What every content admin shares: an edit summary on every change and delete."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

SUMMARY_MAX_LENGTH = 500


class EditSummaryForm(forms.ModelForm):
    edit_summary = forms.CharField(
        label="Edit summary",
        max_length=SUMMARY_MAX_LENGTH,
        help_text="Say what you changed and why. Reviewers read this in the history.",
        widget=forms.TextInput(attrs={"size": 80}),
    )

    def clean_edit_summary(self):
        summary = self.cleaned_data["edit_summary"].strip()
        if not summary:
            raise forms.ValidationError("Say what you changed and why.")
        return summary


class WikiAdmin(SimpleHistoryAdmin):
    """Admin for a revisioned model.

    Saving requires an edit summary, which the model's WikiHistory records on
    every revision the request makes (the entry, its inline rows, cascades).
    Deleting asks for one too; bulk deletion is off for the same reason.
    """

    form = EditSummaryForm
    delete_confirmation_template = "admin/wiki_delete_confirmation.html"
    save_on_top = True

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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
