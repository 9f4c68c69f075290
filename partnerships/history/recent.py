"""Recent changes across the wiki and their Atom feed, read from the change log.

One row per save, newest first, from the ``Change`` table alone: a page costs
the same few indexed queries however many revisions the wiki holds, and the
count behind its pagination stops at ``COUNT_AT_MOST``.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..lists.pages import CappedPaginator
from .models import Change, ReviewMark

FEED_ITEMS = 50
# Recent changes counts at most this many saves (20 pages of 50): the count,
# and the deepest page, cost the same however long the log grows. Its filters
# (dates, editor, type) reach older saves.
COUNT_AT_MOST = 1000


class ChangesPaginator(CappedPaginator):
    """Recent changes' pages: counted no further than COUNT_AT_MOST saves."""

    too_deep_advice = ""

    @property
    def limit(self):
        return COUNT_AT_MOST


@dataclass(frozen=True)
class Filters:
    """What recent changes and the feed are filtered by; every field optional."""

    type: object = None  # an EntryType
    editor: object = None  # a user
    since: datetime.datetime | None = None  # inclusive
    before: datetime.datetime | None = None  # exclusive
    reviewed: bool | None = None


def changes(filters=Filters()):
    """The saves across the wiki that match `filters`, newest first (a queryset)."""
    where = Q()
    if filters.type is not None:
        where &= Q(entry_type=filters.type.name)
    if filters.editor is not None:
        where &= Q(user=filters.editor)
    if filters.since is not None:
        where &= Q(date__gte=filters.since)
    if filters.before is not None:
        where &= Q(date__lt=filters.before)
    if filters.reviewed is not None:
        # NOT EXISTS, which PostgreSQL runs as an anti-join along the date index;
        # a LEFT JOIN … IS NULL it would run over the whole log.
        marked = Exists(ReviewMark.objects.filter(change=OuterRef("pk")))
        where &= marked if filters.reviewed else ~marked
    return Change.objects.for_list().filter(where)


def local_day_bounds(day):
    """The first moment of `day` and of the day after, in the site's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


# -- the feed ---------------------------------------------------------------------------

# Characters XML 1.0 cannot carry; an edit summary could hold one.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def as_xml_text(text):
    return NOT_XML.sub("\ufffd", str(text))


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text (type="text"), never markup.

    Django sends a description as `<summary type="html">`, which feed readers
    render: an edit summary of `<script>…` would run there. Titles and author
    names are text in Atom already.
    """

    def add_item_elements(self, handler, item):
        description = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


@dataclass(frozen=True)
class FeedQuery:
    filters: Filters
    query: str  # the filters as the URL gave them
    host: str


class ChangesFeed(Feed):
    """Recent changes as Atom, filtered as the page is; the newest FEED_ITEMS saves.

    Made per request, for its filters. Entry ids are tag URIs naming the save's
    leading revision (its history table and number), so they never change.
    """

    feed_type = PlainTextAtomFeed
    title = gettext_lazy("Recent changes — Morocco defense partnerships wiki")
    subtitle = gettext_lazy(
        "Every change to every entry, newest first, with its editor and edit summary."
    )
    author_name = gettext_lazy("Morocco defense partnerships wiki")
    item_guid_is_permalink = False

    def __init__(self, query):
        super().__init__()
        self.query = query

    def get_object(self, request):
        return self.query

    def link(self, obj):
        url = reverse("partnerships:changes")
        return f"{url}?{obj.query}" if obj.query else url

    def feed_url(self, obj):
        url = reverse("partnerships:changes-feed")
        return f"{url}?{obj.query}" if obj.query else url

    def feed_guid(self, obj):
        # The address's language prefix (/fr/) makes another feed: so does its id.
        language = get_language()
        kind = "changes" if language == settings.LANGUAGE_CODE else f"changes/{language}"
        return f"tag:{obj.host},2026:{kind}{'?' + obj.query if obj.query else ''}"

    def items(self, obj):
        return list(changes(obj.filters)[:FEED_ITEMS])

    def item_title(self, change):
        words = {"entry": change.label, "type": change.type_noun, "action": change.action}
        if change.detail:
            title = _("%(entry)s (%(type)s) — %(action)s: %(detail)s") % {
                **words,
                "detail": change.detail,
            }
        else:
            title = _("%(entry)s (%(type)s) — %(action)s") % words
        return as_xml_text(title)

    def item_description(self, change):
        words = {"action": change.action.capitalize(), "editor": change.editor}
        if change.summary:
            text = _("%(action)s by %(editor)s: “%(summary)s”.") % {
                **words,
                "summary": change.summary,
            }
        else:
            text = _("%(action)s by %(editor)s: no edit summary.") % words
        return as_xml_text(text)

    def item_link(self, change):
        return change.revision_url if change.created else change.compare_url

    def item_guid(self, change):
        return f"tag:{self.query.host},2026:revision/{change.guid_path}"

    def item_author_name(self, change):
        return as_xml_text(change.editor)

    def item_pubdate(self, change):
        return change.date

    def item_updateddate(self, change):
        return change.date
