"""Revisions across the wiki, newest first, read from every entry's history table."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Value
from django.urls import NoReverseMatch, reverse

from sources.models import Source

from .models import Agreement, Exercise, Partner, Procurement

# (model, the field readers know it by, its type as named in URLs and lists)
ENTRY_TYPES = (
    (Partner, "name", "partner"),
    (Agreement, "title", "agreement"),
    (Exercise, "name", "exercise"),
    (Procurement, "system", "equipment"),
    (Source, "title", "source"),
)
URL_NAMES = {
    "partner": "partnerships:partner-detail",
    "agreement": "partnerships:agreement-detail",
    "exercise": "partnerships:exercise-detail",
    "equipment": "partnerships:procurement-detail",
    "source": "sources:source-detail",
}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Revision:
    type: str
    label: str
    slug: str
    date: object
    action: str
    summary: str
    editor: str
    deleted: bool

    @property
    def url(self):
        if self.deleted:
            return ""
        try:
            return reverse(URL_NAMES[self.type], args=[self.slug])
        except NoReverseMatch:
            return ""


def display_name(user):
    if user is None:
        return "the fixture loader"
    return user.get_full_name() or user.get_username()


def latest_revisions(limit):
    """The `limit` newest revisions of every entry type: two queries in all."""
    parts = [
        model.history.model.objects.annotate(
            label=F(field), entry_type=Value(type_name, output_field=CharField())
        )
        .values(
            "history_date",
            "history_type",
            "history_change_reason",
            "history_user_id",
            "slug",
            "label",
            "entry_type",
        )
        .order_by()
        for model, field, type_name in ENTRY_TYPES
    ]
    rows = list(parts[0].union(*parts[1:], all=True).order_by("-history_date")[:limit])
    user_ids = {row["history_user_id"] for row in rows} - {None}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    return [
        Revision(
            type=row["entry_type"],
            label=row["label"],
            slug=row["slug"],
            date=row["history_date"],
            action=ACTIONS.get(row["history_type"], "changed"),
            summary=row["history_change_reason"] or "",
            editor=display_name(users.get(row["history_user_id"])),
            deleted=row["history_type"] == "-",
        )
        for row in rows
    ]
