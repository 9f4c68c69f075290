"""What every content admin shares: an edit summary on every change and delete,
edit-conflict protection, revert and restore."""

from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, router, transaction
from django.db.models import Max, OuterRef, ProtectedError, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .revisions import (
    Names,
    Relation,
    RowPlan,
    at,
    day,
    edits,
    field_changes,
    history_of,
    missing_targets,
    row_changes,
    upto,
    user_name,
    validation_messages,
    values,
)

SUMMARY_MAX_LENGTH = 500


class EditSummaryForm(forms.ModelForm):
    edit_summary = forms.CharField(
        label="Edit summary",
        max_length=SUMMARY_MAX_LENGTH,
        help_text="Say what you changed and why. Reviewers read this in the history.",
        error_messages={"required": "Give an edit summary: say what you changed and why."},
        widget=forms.TextInput(attrs={"size": 80}),
    )
    # The entry's revision when the form was rendered; see WikiAdmin.guard_revision.
    base_revision = forms.CharField(required=False, widget=forms.HiddenInput)

    # A RevisionGuard, set per request by WikiAdmin.get_form on change forms.
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
        names = self._names_of(records)
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

    @property
    def relation(self):
        """The same rows for comparing, reverting and restoring (partnerships.revisions)."""
        return Relation(self.title, self.model, self.field, self.describe)

    def describe(self, records):
        """{history_id: how the entry's page names the row}, in at most two queries."""
        names = self._names_of(records)
        return {record.history_id: self._describe(record, names) for record in records}

    def _names_of(self, records):
        return self._names({getattr(r, f"{self.other}_id") for r in records}) if self.other else {}

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


# -- edit conflicts ----------------------------------------------------------------


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
            return (
                "Not saved: this form did not say which revision of the entry it was "
                "opened at, so it could have overwritten someone else's changes. Check the "
                "entry's history, then save again to keep the values below."
            )
        who = "; ".join(str(edit) for edit in self.edits) or "Someone"
        return (
            f"Not saved: {who} saved this entry after you opened it. What they changed is "
            "listed below; your own input is kept in the form. Save again to replace their "
            "version with yours, or reload the page to start from theirs."
        )


@dataclass
class RevisionGuard:
    """Per request: the entry's current revision token and why its form is refused."""

    token: str
    conflict: Conflict | None = None
    refusals: list = field(default_factory=list)


@dataclass
class Revert:
    """A revert under way: the revision returned to and how its relations come back."""

    revision: object
    plans: list


class Refused(Exception):
    def __init__(self, messages):
        super().__init__(messages)
        self.messages = messages


def revert_reason(revision, summary):
    return (
        f"Reverted to revision #{revision.history_id} of {day(revision.history_date)} "
        f"by {user_name(revision.history_user)}: {summary}"
    )


def restore_reason(deletion, summary):
    return (
        f"Restored after deletion by {user_name(deletion.history_user)} "
        f"on {day(deletion.history_date)}: {summary}"
    )


class RestoreForm(forms.Form):
    edit_summary = forms.CharField(
        label="Edit summary (why restore it?)",
        max_length=SUMMARY_MAX_LENGTH,
        error_messages={"required": "Give an edit summary: say why this entry comes back."},
        widget=forms.TextInput(attrs={"size": 80}),
    )


class WikiAdmin(SimpleHistoryAdmin):
    """Admin for a revisioned model.

    Saving requires an edit summary, which the model's WikiHistory records on
    every revision the request makes (the entry, its inline rows, cascades).
    Deleting asks for one too; bulk deletion is off for the same reason.

    A change form carries the revision it was rendered at; a save made after
    someone else's is refused with what they changed (edit conflicts).
    Reverting to a revision brings back the entry's inline relations as they
    were; deleted entries are listed, and restored with their relations.
    """

    form = EditSummaryForm
    change_list_template = "admin/wiki_change_list.html"
    change_form_template = "admin/wiki_change_form.html"
    delete_confirmation_template = "admin/wiki_delete_confirmation.html"
    object_history_template = "admin/wiki_object_history.html"
    object_history_form_template = "admin/wiki_object_history_form.html"
    save_on_top = True
    related_history = ()
    # Whether the admin lists its deleted entries and restores them.
    list_deleted = True
    deleted_per_page = 100
    # A source address typed without a scheme is a web address: https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @property
    def relations(self):
        """The related_history rows edited inline on this admin's form.

        They make an edit conflict when someone else changes them, and come
        back with the entry on a revert or a restore. Read-only inlines do not
        count: nothing typed into them can be lost.
        """
        inline_models = {
            inline.model for inline in self.inlines if not issubclass(inline, ReadOnlyInline)
        }
        return [
            spec.relation
            for spec in self.related_history
            if spec.model in inline_models
            and spec.model._meta.get_field(spec.field).related_model is self.model
        ]

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
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return None

    def _db(self):
        return router.db_for_write(self.model)

    # -- saving, with the revision the form was opened at -------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        pk = None if object_id is None else self._entry_pk(object_id)
        if pk is None:  # adding: there is nothing to conflict with
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=self._db()):
            guard = self.guard_revision(request, pk)
            extra_context = {**(extra_context or {}), "edit_conflict": guard.conflict}
            return super().changeform_view(request, object_id, form_url, extra_context)

    def guard_revision(self, request, pk):
        """Sets up the request's RevisionGuard; on a POST, first locks the entry's row.

        Call inside a transaction. The lock makes concurrent saves of one entry
        take turns, so the second sees the first's revisions and is refused.
        """
        if request.method == "POST":
            manager = self.model._default_manager
            list(manager.select_for_update().filter(pk=pk).values_list("pk"))
        guard = RevisionGuard(self.revision_token(pk))
        if request.method == "POST":
            base = request.POST.get("base_revision", "")
            if base != guard.token:
                guard.conflict = self.edit_conflict(pk, base)
                guard.refusals.append(guard.conflict.message)
        request.revision_guard = guard
        return guard

    def revision_token(self, pk):
        """The latest revision of the entry and of each of its relations, as "12.40.7".

        One query for the entry and one per relation.
        """
        entry = history_of(self.model).filter(**{self.model._meta.pk.attname: pk})
        parts = [entry.aggregate(m=Max("history_id"))["m"]]
        for relation in self.relations:
            related = history_of(relation.model)
            id_name = relation.model._meta.pk.attname
            ever = related.filter(**{relation.fk_attname: pk}).values(id_name)
            latest = related.filter(**{f"{id_name}__in": ever}).aggregate(m=Max("history_id"))
            parts.append(latest["m"])
        return ".".join(str(part or 0) for part in parts)

    def edit_conflict(self, pk, base):
        """A Conflict: who saved since the `base` token, and what they changed."""
        try:
            cutoffs = [int(part) for part in base.split(".")]
        except ValueError:
            cutoffs = []
        if len(cutoffs) != 1 + len(self.relations):
            return Conflict([], [], [], base_known=False)
        records = list(
            history_of(self.model)
            .filter(**{self.model._meta.pk.attname: pk})
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
        for relation, cutoff in zip(self.relations, cutoffs[1:], strict=True):
            related = relation.records(pk)
            newer += [r for r in related if r.history_id > cutoff]
            before, after = relation.rows(related, pk, upto(cutoff)), relation.rows(related, pk)
            changes = row_changes(relation, before, after, names=names)
            if changes:
                rows.append(changes)
        return Conflict(edits(newer), fields, rows)

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
            fieldsets.append(("Edit summary", {"fields": ["edit_summary", "base_revision"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        summary = form.cleaned_data["edit_summary"]
        revert = getattr(request, "revert", None)
        request.edit_summary = revert_reason(revert.revision, summary) if revert else summary
        super().save_model(request, obj, form, change)
        if revert:
            for plan in revert.plans:
                plan.apply()

    # -- history, revert ----------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        related = [(spec.title, spec.rows(object_id)) for spec in self.related_history]
        extra_context = {**(extra_context or {}), "related_history": related}
        pk = self._entry_pk(object_id)
        if (
            self.list_deleted
            and pk is not None
            and self.has_restore_permission(request)
            and not self.model._default_manager.filter(pk=pk).exists()
        ):
            extra_context["restore_url"] = self._url("restore", pk)
        return super().history_view(request, object_id, extra_context)

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
        if pk is None or revision is None:
            raise Http404
        try:
            with transaction.atomic(using=self._db()):
                return self._history_form_view(
                    request, object_id, version_id, pk, revision, extra_context
                )
        except (IntegrityError, ProtectedError):
            # A rule the checks above could not see, e.g. a row changed meanwhile.
            self.message_user(
                request,
                "Nothing was reverted: the database refused the change, perhaps because "
                "someone changed the entry meanwhile. Check its history and try again.",
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
                    "This entry is deleted: restore it instead of reverting it.",
                    messages.WARNING,
                )
                return HttpResponseRedirect(self._url("restore", pk))
        extra_context = dict(extra_context or {})
        if entry is None:
            extra_context["revert_disabled"] = True
            return super().history_form_view(request, object_id, version_id, extra_context)
        guard = self.guard_revision(request, pk)
        names = Names()
        plans, rows = [], []
        for relation in self.relations:
            records = relation.records(pk)
            current, target = relation.rows(records, pk), relation.rows(records, pk, at(revision))
            plans.append(RowPlan.between(relation, current, target))
            changes = row_changes(relation, current, target, names=names)
            if changes:
                rows.append(changes)
        if request.method == "POST":
            for plan in plans:
                guard.refusals += plan.problems(names)
            if not guard.refusals:
                for plan in plans:
                    guard.refusals += plan.check()
            request.revert = Revert(revision, plans)
        extra_context |= {
            "edit_conflict": guard.conflict,
            "revert_fields": field_changes(entry, revision, names=names),
            "revert_rows": rows,
        }
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- deleted entries, restore -------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        if self.list_deleted and self.has_view_history_or_change_history_permission(request):
            extra_context = {**(extra_context or {}), "deleted_url": self._url("deleted")}
        return super().changelist_view(request, extra_context)

    def deleted_records(self):
        """The entries whose latest revision is a deletion: that revision, newest first."""
        history = history_of(self.model)
        id_name = self.model._meta.pk.attname
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

    def deleted_view(self, request):
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        paginator = Paginator(self.deleted_records(), self.deleted_per_page)
        page = paginator.get_page(request.GET.get("p"))
        can_restore = self.has_restore_permission(request)
        rows = [self._deleted_row(record, can_restore) for record in page.object_list]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {opts.verbose_name_plural}",
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
            "user": user_name(record.history_user),
            "reason": record.history_change_reason,
            "history_url": self._url("history", pk),
            "restore_url": self._url("restore", pk) if can_restore else None,
        }

    def restore_view(self, request, object_id):
        """Shows a deleted entry and what comes back with it; its POST restores them."""
        if not self.has_restore_permission(request):
            raise PermissionDenied
        pk = self._entry_pk(object_id)
        deletion = (
            history_of(self.model)
            .filter(**{self.model._meta.pk.attname: pk})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
        if pk is None or deletion is None:
            raise Http404
        if deletion.history_type != "-":
            self.message_user(request, "This entry is not deleted.", messages.WARNING)
            return HttpResponseRedirect(self._url("change", pk))
        names = Names()
        plans = []
        for relation in self.relations:
            rows = relation.rows(relation.records(pk), pk, at(deletion))
            plans.append(RowPlan(relation, restore=list(rows.values()), remove=[]))
        problems = self._restore_problems(deletion, plans, names)
        form = RestoreForm(request.POST if request.method == "POST" else None)
        if form.is_valid() and not problems:
            summary = form.cleaned_data["edit_summary"]
            try:
                with transaction.atomic(using=self._db()):
                    self._restore(request, deletion, plans, summary)
            except Refused as refusal:
                problems = refusal.messages
            except IntegrityError:
                problems = [
                    "It could not be restored: the database refused it (has someone else "
                    "restored it, or taken its address, meanwhile?). Reload and try again."
                ]
            else:
                self.message_user(
                    request,
                    f"Restored “{deletion.instance}” with its relations.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._url("change", pk))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Restore {opts.verbose_name} “{deletion.instance}”",
            "opts": opts,
            "deletion": deletion,
            "deleted_by": user_name(deletion.history_user),
            "values": values(deletion, names=names),
            "related": [
                (plan.relation.title, sorted(plan.relation.names(plan.restore).values()))
                for plan in plans
            ],
            "problems": problems,
            "form": form,
            "deleted_url": self._url("deleted"),
            "history_url": self._url("history", pk),
        }
        return TemplateResponse(request, "admin/wiki_restore.html", context)

    def _restore_problems(self, deletion, plans, names):
        """What stops a restore, found cheaply (a query or two per relation)."""
        problems = missing_targets([deletion], names=names)
        slug = getattr(deletion, "slug", None)
        if slug:
            taken = self.model._default_manager.filter(slug=slug).first()
            if taken is not None:
                problems.append(
                    f"Its address is taken: “{taken}” now uses the slug “{slug}”. "
                    "Give one of them another slug first."
                )
        for plan in plans:
            problems += plan.problems(names)
        return problems

    def _restore(self, request, deletion, plans, summary):
        """Recreates the entry with its pk and its relations; each is a revision."""
        request.edit_summary = restore_reason(deletion, summary)
        entry = deletion.instance
        try:
            entry.full_clean(exclude=[f.name for f in entry._meta.fields if f.is_relation])
        except ValidationError as error:
            raise Refused(validation_messages(error, self.model)) from None
        entry.save(force_insert=True)
        problems = [message for plan in plans for message in plan.check()]
        if problems:
            raise Refused(problems)
        for plan in plans:
            plan.apply()

    # -- deleting ---------------------------------------------------------------

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
