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
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"
        REVERTED = "reverted", "Reverted"
        RESTORED = "restored", "Restored"

    entry_type = models.CharField(
        max_length=30, help_text="The entry type's name in the registry, e.g. “agreement”."
    )
    entry_id = models.BigIntegerField(help_text="The entry's id (it outlives a deletion).")
    entry_label = models.CharField(max_length=300, help_text="The entry's name at that moment.")
    entry_slug = models.CharField(max_length=200, help_text="The entry's address at that moment.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        # The (user, date) index below serves every lookup by user.
        db_index=False,
        help_text="Who saved; empty for the fixture loader.",
    )
    date = models.DateTimeField(default=timezone.now)
    summary = models.TextField(blank=True, help_text="The edit summary.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    revisions = models.JSONField(
        default=list,
        help_text="The revisions the save wrote: [history table, history id, +/~/-], in order.",
    )
    detail = models.CharField(
        max_length=300,
        blank=True,
        help_text="For a save of one relation row alone: the row, as recent changes names it.",
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "change (one save)"
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
        return f"{self.entry_label} ({self.entry_type}) {self.get_kind_display().lower()}"

    # -- what readers see ---------------------------------------------------------------

    @cached_property
    def type(self):
        """The EntryType of the registry."""
        return entry_types.by_name(self.entry_type)

    @property
    def label(self):
        return self.entry_label or "(unnamed)"

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
        for revision_type, history_id, _ in self.revisions:
            if revision_type == own:
                return None, history_id
        for revision_type, history_id, _ in self.revisions:
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
        for revision_type, _, action in self.revisions:
            relation = self.type.relation_for(revision_type)
            if relation is not None:
                key = (relation, ROW_ACTIONS.get(action, "changed"))
                counts[key] = counts.get(key, 0) + 1
        if sum(counts.values()) == 1:
            ((relation, verb),) = counts
            return f"{relation.singular} {verb}"
        phrases = [f"{n} {relation.noun(n)} {verb}" for (relation, verb), n in counts.items()]
        return "; ".join(phrases) or "changed"

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
        error_messages={"unique": "This save is already marked reviewed."},
        help_text="The save reviewed.",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_marks",
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the reviewer checked, or anything the next reader should know.",
    )

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        # Marks are made on the site and kept for good: nothing to change or delete.
        default_permissions = ("add", "view")

    def __str__(self):
        return f"{self.change}, reviewed"
