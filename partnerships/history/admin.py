"""Admin wiring for revisioned models: an edit summary on every change and delete, each
admin action recorded as one save, the edit-conflict guard, revert and restore.

The rules live in the services (saves, conflicts, reverts); this module only
connects them to Django's admin views.
"""

import contextlib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, router, transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from simple_history.admin import SimpleHistoryAdmin

from .. import quality
from . import conflicts, reverts, saves
from .diffs import values
from .models import Change
from .names import Names, editor_name, history_of
from .registry import entry_types

SUMMARY_MAX_LENGTH = 500
RELATED_HISTORY_SHOWN = 100


# What a revision did to a relation row, as its admin history lists it.
def row_action(history_type):
    return {
        "+": pgettext("relation row", "added"),
        "~": pgettext("relation row", "changed"),
        "-": pgettext("relation row", "removed"),
    }[history_type]


class EditSummaryForm(forms.ModelForm):
    edit_summary = forms.CharField(
        label=gettext_lazy("Edit summary"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=gettext_lazy(
            "Say what you changed and why. Reviewers read this in the history."
        ),
        error_messages={
            "required": gettext_lazy("Give an edit summary: say what you changed and why.")
        },
        widget=forms.TextInput(attrs={"size": 80}),
    )
    # The entry's revision when the form was rendered; see conflicts.guard().
    base_revision = forms.CharField(
        label=gettext_lazy("Base revision"), required=False, widget=forms.HiddenInput
    )

    # A conflicts.RevisionGuard, set per request by WikiAdmin.get_form on change forms.
    guard = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.guard is None:
            return
        self.fields["base_revision"].initial = self.guard.token
        if self.is_bound:
            # A refused form comes back with the editor's input but the current
            # token, so that saving again, knowingly, goes through.
            data = self.data.copy()
            data[self.add_prefix("base_revision")] = self.guard.token
            self.data = data

    def clean(self):
        cleaned_data = super().clean()
        for message in self.guard.refusals if self.guard else ():
            self.add_error(None, message)
        return cleaned_data


class RestoreForm(forms.Form):
    edit_summary = forms.CharField(
        label=gettext_lazy("Edit summary (why restore it?)"),
        max_length=SUMMARY_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Give an edit summary: say why this entry comes back.")
        },
        widget=forms.TextInput(attrs={"size": 80}),
    )


class WikiAdmin(SimpleHistoryAdmin):
    """Admin for a revisioned model.

    Each change, deletion, revert and restore is one save (saves.recording)
    with the editor's summary, which every revision it writes carries (the
    entry, its inline rows, cascades). Deleting asks for a summary too; bulk
    deletion is off for the same reason. A change form carries the revision
    it was rendered at; a save made after someone else's is refused with what
    they changed. Reverting brings back the entry's relations as they were;
    deleted entries are listed and restored with their relations.

    Object ids that are not ids (letters, negative, huge, NUL) answer 404 on
    every page that takes one.
    """

    form = EditSummaryForm
    change_list_template = "admin/wiki_change_list.html"
    change_form_template = "admin/wiki_change_form.html"
    delete_confirmation_template = "admin/wiki_delete_confirmation.html"
    object_history_template = "admin/wiki_object_history.html"
    object_history_list_template = "admin/wiki_object_history_list.html"
    object_history_form_template = "admin/wiki_object_history_form.html"
    save_on_top = True
    # Whether the admin lists its deleted entries and restores them.
    list_deleted = True
    deleted_per_page = 100
    # A source address typed without a scheme is a web address: https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @property
    def entry_type(self):
        """The registry's entry type of this model; None for a relation's own admin."""
        return entry_types.for_model(self.model)

    @property
    def relations(self):
        """The rows edited on this entry's form (the registry's relations)."""
        return self.entry_type.relations if self.entry_type else ()

    def get_urls(self):
        if not self.list_deleted:
            return super().get_urls()
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "<path:object_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def _entry_pk(self, object_id):
        """The id an URL names, or Http404 when it is not one this table could hold."""
        field = self.model._meta.pk
        try:
            pk = field.to_python(unquote(object_id))
        except (ValidationError, ValueError, TypeError):
            raise Http404("Not an id.") from None
        if not isinstance(pk, int) or not 0 < pk < 2**63:
            raise Http404("Not an id.")
        return pk

    def _db(self):
        return router.db_for_write(self.model)

    def _one_save(self, request, **kwargs):
        """What a POST writes is one save by its user; a GET writes nothing."""
        if request.method != "POST":
            return contextlib.nullcontext()
        return saves.recording(user=request.user, **kwargs)

    # -- saving: one save, with the revision the form was opened at --------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        pk = None if object_id is None else self._entry_pk(object_id)
        with transaction.atomic(using=self._db()), self._one_save(request):
            if pk is not None:
                posted = (
                    request.POST.get("base_revision", "") if request.method == "POST" else None
                )
                guard = conflicts.guard(self.model, self.relations, pk, posted)
                request.revision_guard = guard
                extra_context = {**(extra_context or {}), "edit_conflict": guard.conflict}
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # An entry's data-quality warnings, as the report gives them, on its change
        # form as saved: not on the add form, nor over a refused form's input.
        if change and obj is not None and request.method == "GET":
            entry_field = quality.entry_field_of(self.model)
            if entry_field is not None:
                context["quality_warnings"] = quality.warnings_for(entry_field, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        guard = getattr(request, "revision_guard", None)
        if guard is None or obj is None:
            return form
        return type(form.__name__, (form,), {"guard": guard})

    def get_fieldsets(self, request, obj=None):
        own = {"edit_summary", "base_revision"}
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in own]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        can_edit = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if can_edit:
            fieldsets.append((_("Edit summary"), {"fields": ["edit_summary", "base_revision"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        summary = form.cleaned_data["edit_summary"]
        revert = getattr(request, "revert", None)
        save = saves.under_way()
        save.summary = reverts.revert_reason(revert.revision, summary) if revert else summary
        super().save_model(request, obj, form, change)
        if revert:
            revert.apply_relations()

    # -- history, revert ----------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        pk = self._entry_pk(object_id)
        entry_type = self.entry_type
        groups = [*entry_type.relations, *entry_type.links] if entry_type else []
        extra_context = {
            **(extra_context or {}),
            "related_history": [(r.title, _related_rows(r, pk)) for r in groups],
        }
        if (
            self.list_deleted
            and self.has_restore_permission(request)
            and not self.model._default_manager.filter(pk=pk).exists()
        ):
            extra_context["restore_url"] = self._url("restore", pk)
        return super().history_view(request, str(pk), extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # With each revision's editor, named in the list without a query per row.
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .select_related("history_user")
        )

    def has_restore_permission(self, request):
        # Restoring adds the entry back and writes revisions, like a revert.
        return self.has_add_permission(request) and self.has_change_history_permission(request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's revision page, whose POST reverts to the revision.

        Reverting needs the change permission on the entry and on its history
        (simple-history checks only the view permission), refuses a revert made
        after someone else saved, names the revision in the summary, and puts
        the entry's relations back as they were.
        """
        pk = self._entry_pk(object_id)
        try:
            version = int(version_id)
        except ValueError:
            raise Http404 from None
        revision = (
            history_of(self.model)
            .filter(**{self.model._meta.pk.attname: pk, "history_id": version})
            .select_related("history_user")
            .first()
        )
        if revision is None:
            raise Http404
        try:
            with (
                transaction.atomic(using=self._db()),
                self._one_save(request, kind=Change.Kind.REVERTED),
            ):
                return self._history_form_view(
                    request, object_id, version_id, pk, revision, extra_context
                )
        except (IntegrityError, ProtectedError):
            # A rule the checks above could not see, e.g. a row changed meanwhile.
            self.message_user(
                request,
                _(
                    "Nothing was reverted: the database refused the change, perhaps because "
                    "someone changed the entry meanwhile. Check its history and try again."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def _history_form_view(self, request, object_id, version_id, pk, revision, extra_context):
        entry = self.model._default_manager.filter(pk=pk).first()
        if request.method == "POST":
            allowed = self.has_change_permission(
                request, entry
            ) and self.has_change_history_permission(request, entry)
            if not allowed:
                raise PermissionDenied
            if entry is None:
                self.message_user(
                    request,
                    _("This entry is deleted: restore it instead of reverting it."),
                    messages.WARNING,
                )
                return HttpResponseRedirect(self._url("restore", pk))
        extra_context = dict(extra_context or {})
        if entry is None:
            extra_context["revert_disabled"] = True
            return super().history_form_view(request, object_id, version_id, extra_context)
        posted = request.POST.get("base_revision", "") if request.method == "POST" else None
        guard = conflicts.guard(self.model, self.relations, pk, posted)
        request.revision_guard = guard
        names = Names()
        revert = reverts.plan_revert(self.relations, entry, revision, names)
        if request.method == "POST":
            guard.refusals += revert.problems(names)
            request.revert = revert
        extra_context |= {
            "edit_conflict": guard.conflict,
            "revert_fields": revert.fields,
            "revert_rows": revert.rows,
        }
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- deleted entries, restore -------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        if self.list_deleted and self.has_view_history_or_change_history_permission(request):
            extra_context = {**(extra_context or {}), "deleted_url": self._url("deleted")}
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        paginator = Paginator(reverts.deleted_records(self.model), self.deleted_per_page)
        page = paginator.get_page(request.GET.get("p"))
        can_restore = self.has_restore_permission(request)
        rows = [self._deleted_row(record, can_restore) for record in page.object_list]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(types)s") % {"types": opts.verbose_name_plural},
            "opts": opts,
            "rows": rows,
            "page_obj": page,
            "can_restore": can_restore,
        }
        return TemplateResponse(request, "admin/wiki_deleted.html", context)

    def _deleted_row(self, record, can_restore):
        pk = getattr(record, self.model._meta.pk.attname)
        return {
            "name": str(record.instance),
            "date": record.history_date,
            "user": editor_name(record.history_user),
            "reason": record.history_change_reason,
            "history_url": self._url("history", pk),
            "restore_url": self._url("restore", pk) if can_restore else None,
        }

    def restore_view(self, request, object_id):
        """Shows a deleted entry and what comes back with it; its POST restores them."""
        if not self.has_restore_permission(request):
            raise PermissionDenied
        pk = self._entry_pk(object_id)
        deletion = reverts.latest_revision(self.model, pk)
        if deletion is None:
            raise Http404
        if deletion.history_type != "-":
            self.message_user(request, _("This entry is not deleted."), messages.WARNING)
            return HttpResponseRedirect(self._url("change", pk))
        names = Names()
        plans = reverts.plan_restore(self.relations, deletion)
        problems = reverts.restore_problems(deletion, plans, names)
        form = RestoreForm(request.POST if request.method == "POST" else None)
        if form.is_valid() and not problems:
            try:
                reverts.restore(deletion, plans, request.user, form.cleaned_data["edit_summary"])
            except reverts.Refused as refusal:
                problems = refusal.messages
            except IntegrityError:
                problems = [
                    _(
                        "It could not be restored: the database refused it (has someone else "
                        "restored it, or taken its address, meanwhile?). Reload and try again."
                    )
                ]
            else:
                self.message_user(
                    request,
                    _("Restored “%(entry)s” with its relations.") % {"entry": deletion.instance},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._url("change", pk))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore %(type)s “%(entry)s”")
            % {"type": opts.verbose_name, "entry": deletion.instance},
            "opts": opts,
            "deletion": deletion,
            "deleted_by": editor_name(deletion.history_user),
            "values": values(deletion, names=names),
            "related": [
                (plan.relation.title, sorted(plan.relation.describe(plan.restore, names).values()))
                for plan in plans
            ],
            "problems": problems,
            "form": form,
            "deleted_url": self._url("deleted"),
            "history_url": self._url("history", pk),
        }
        return TemplateResponse(request, "admin/wiki_restore.html", context)

    # -- deleting ---------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))  # 404 before asking for a summary
        if request.method == "POST" and request.POST.get("post"):
            summary = request.POST.get("edit_summary", "").strip()
            if not summary:
                self.message_user(
                    request,
                    _("Give an edit summary: say why this is being deleted."),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
            with saves.recording(user=request.user, summary=summary[:SUMMARY_MAX_LENGTH]):
                return super().delete_view(request, object_id, extra_context)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Each deletion needs its own edit summary, which a bulk action cannot ask for.
        actions.pop("delete_selected", None)
        return actions


def _related_rows(relation, pk):
    """The latest revisions of the rows of `relation` pointing at entry `pk`, named."""
    records = list(
        relation.history.filter(**{relation.fk_attname: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:RELATED_HISTORY_SHOWN]
    )
    described = relation.describe(records)
    return [
        {
            "date": record.history_date,
            "user": editor_name(record.history_user),
            "action": row_action(record.history_type),
            "reason": record.history_change_reason,
            "text": described[record.history_id],
        }
        for record in records
    ]


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
