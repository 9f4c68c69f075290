"""The change log, one row per save, and reviewers' marks on saves.

A save is what one editor did at once: an admin form saved with its inline
rows, a deletion with what it cascaded to, a revert, a restore, one entry
loaded from the fixtures. It writes one or more revisions (rows of the history
tables, each carrying the save's id) and one ``Change``. Recent changes, the
feed, the home page, the review queue and the entry pages' "last changed" line
read the log alone, with the indexes below.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from .names import editor_name
from .registry import entry_types

ROW_ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


class ChangeQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-date", "-id")

    def for_list(self):
        """With the editor and the review mark (and its reviewer) each row shows."""
        return self.select_related("user", "review_mark__reviewer").newest_first()

    def of_entry(self, entry_type, pk):
        return self.filter(entry_type=entry_type.name, entry_id=pk)


class Change(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("kind of change", "Created")
        CHANGED = "changed", pgettext_lazy("kind of change", "Changed")
        DELETED = "deleted", pgettext_lazy("kind of change", "Deleted")
        REVERTED = "reverted", pgettext_lazy("kind of change", "Reverted")
        RESTORED = "restored", pgettext_lazy("kind of change", "Restored")

    entry_type = models.CharField(
        max_length=30,
        help_text=gettext_lazy("The entry type's name in the registry, e.g. “agreement”."),
        verbose_name=gettext_lazy("entry type"),
    )
    entry_id = models.BigIntegerField(
        help_text=gettext_lazy("The entry's id (it outlives a deletion)."),
        verbose_name=gettext_lazy("entry id"),
    )
    entry_label = models.CharField(
        max_length=300,
        help_text=gettext_lazy("The entry's name at that moment."),
        verbose_name=gettext_lazy("entry label"),
    )
    entry_slug = models.CharField(
        max_length=200,
        help_text=gettext_lazy("The entry's address at that moment."),
        verbose_name=gettext_lazy("entry slug"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        # The (user, date) index below serves every lookup by user.
        db_index=False,
        help_text=gettext_lazy("Who saved; empty for the fixture loader."),
        verbose_name=gettext_lazy("user"),
    )
    date = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("date"))
    summary = models.TextField(
        blank=True,
        help_text=gettext_lazy("The edit summary."),
        verbose_name=gettext_lazy("summary"),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    revisions = models.JSONField(
        default=list,
        help_text=gettext_lazy(
            "The revisions the save wrote: [history table, history id, +/~/-], in order."
        ),
        verbose_name=gettext_lazy("revisions"),
    )
    detail = models.CharField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "For a save of one relation row alone: the row, as recent changes names it."
        ),
        verbose_name=gettext_lazy("detail"),
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = gettext_lazy("change (one save)")
        verbose_name_plural = gettext_lazy("changes (one save each)")
        # Written by the saves themselves and kept for good: only to be read.
        default_permissions = ("view",)
        indexes = [
            # Recent changes, its feed and the home page: newest first.
            models.Index(fields=["date", "id"], name="change_date_idx"),
            # Recent changes filtered by type (?type=).
            models.Index(fields=["entry_type", "date", "id"], name="change_type_date_idx"),
            # Recent changes filtered by editor (?editor=).
            models.Index(fields=["user", "date", "id"], name="change_user_date_idx"),
            # An entry page's "last changed" line.
            models.Index(
                fields=["entry_type", "entry_id", "date", "id"], name="change_entry_date_idx"
            ),
        ]

    def __str__(self):
        return _("%(entry)s (%(type)s) %(kind)s") % {
            "entry": self.entry_label,
            "type": self.type.words.noun if self.type else self.entry_type,
            "kind": self.get_kind_display().lower(),
        }

    # -- what readers see ---------------------------------------------------------------

    @cached_property
    def type(self):
        """The EntryType of the registry."""
        return entry_types.by_name(self.entry_type)

    @property
    def label(self):
        return self.entry_label or _("(unnamed)")

    @property
    def type_noun(self):
        """The entry's type as a reader names it: "agreement"."""
        return self.type.words.noun if self.type else self.entry_type

    @property
    def editor(self):
        return editor_name(self.user)

    @property
    def username(self):
        return self.user.get_username() if self.user else ""

    @cached_property
    def lead(self):
        """(RelationType or None, history id) of the revision that names the save in URLs:
        the entry's own, else the first row it wrote."""
        own = self.type.revision_type
        for revision_type, history_id, _action in self.revisions:
            if revision_type == own:
                return None, history_id
        for revision_type, history_id, _action in self.revisions:
            relation = self.type.relation_for(revision_type)
            if relation is not None:
                return relation, history_id
        return None, 0

    @property
    def token(self):
        relation, history_id = self.lead
        return relation.token_of(history_id) if relation else str(history_id)

    @property
    def guid_path(self):
        """ "agreement/12": the lead revision's history table and number, for the feed's ids."""
        relation, history_id = self.lead
        return f"{(relation or self.type).revision_type}/{history_id}"

    @property
    def own_revision(self):
        return any(entry[0] == self.type.revision_type for entry in self.revisions)

    @property
    def action(self):
        """ "changed", "reverted", or for relation rows saved alone "citation added", …"""
        if self.own_revision or self.kind in (self.Kind.REVERTED, self.Kind.RESTORED):
            return self.get_kind_display().lower()
        counts = {}
        for revision_type, _history_id, action in self.revisions:
            relation = self.type.relation_for(revision_type)
            if relation is not None:
                key = (relation, ROW_ACTIONS.get(action, "changed"))
                counts[key] = counts.get(key, 0) + 1
        if sum(counts.values()) == 1:
            ((relation, verb),) = counts
            return relation.words.done(verb)
        phrases = [relation.words.done(verb, n) for (relation, verb), n in counts.items()]
        separator = pgettext("between what a save did", "; ")
        return separator.join(phrases) or pgettext("kind of change", "changed")

    @property
    def created(self):
        """Whether the save made the entry: there is nothing before it to compare with."""
        return self.kind == self.Kind.CREATED

    @property
    def deleted(self):
        return self.kind == self.Kind.DELETED

    @property
    def reviewed(self):
        return hasattr(self, "review_mark")

    @cached_property
    def history_url(self):
        # The revision, compare and review addresses hang off it (partnerships/urls.py).
        return self.type.history_url(self.entry_slug) if self.entry_slug else ""

    @property
    def revision_url(self):
        return f"{self.history_url}{self.token}/"

    @property
    def entry_url(self):
        """The entry's page, unless this save deleted it."""
        return "" if self.deleted else self.type.detail_url(self.entry_slug)

    @property
    def compare_url(self):
        """This save beside the one before it (see history.views.compare)."""
        return f"{self.history_url}compare/?to={self.token}"

    @property
    def review_url(self):
        return f"{self.revision_url}review/"


class ReviewMark(models.Model):
    """A reviewer's mark on one save: someone with the right to has read what it changed.

    It covers every revision the save wrote, the entry's and its rows'. Marks
    are never changed or deleted: no one, superusers included, may in the
    admin; the model has only the add and view permissions, and its user and
    save are PROTECTed.
    """

    change = models.OneToOneField(
        Change,
        on_delete=models.PROTECT,
        related_name="review_mark",
        error_messages={"unique": gettext_lazy("This save is already marked reviewed.")},
        help_text=gettext_lazy("The save reviewed."),
        verbose_name=gettext_lazy("change"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_marks",
        verbose_name=gettext_lazy("reviewer"),
    )
    reviewed_at = models.DateTimeField(
        default=timezone.now, verbose_name=gettext_lazy("reviewed at")
    )
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text=gettext_lazy(
            "What the reviewer checked, or anything the next reader should know."
        ),
        verbose_name=gettext_lazy("note"),
    )

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = gettext_lazy("review mark")
        verbose_name_plural = gettext_lazy("review marks")
        # Marks are made on the site and kept for good: nothing to change or delete.
        default_permissions = ("add", "view")

    def __str__(self):
        return _("%(change)s, reviewed") % {"change": self.change}
