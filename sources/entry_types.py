"""The source entry type (see partnerships.history.registry)."""

from django.utils.translation import gettext_lazy

from partnerships.dates import date_columns
from partnerships.history.registry import EntryType, RelationType, entry_types
from partnerships.models import choice_label
from partnerships.search import Searched

from .models import Citation, Source


def _source_line(source):
    parts = [choice_label(Source.Kind, source.kind), source.publisher, source.author]
    if source.published.stated:
        parts.append(str(source.published))
    return " · ".join(part for part in parts if part)


SOURCE = entry_types.register(
    EntryType(
        "source",
        "sources",
        gettext_lazy("Sources"),
        Source,
        "title",
        "sources:source-detail",
        # Citations are edited on the entries they support; here they are only listed.
        links=(RelationType(gettext_lazy("Citations of this source"), Citation, "source"),),
        search=Searched(
            weighted_fields=(
                ("title", "A"),
                ("publisher", "B"),
                ("author", "B"),
                ("full_text", "D"),
            ),
            snippet_fields=("full_text",),
            columns=(
                "title",
                "slug",
                "kind",
                "publisher",
                "author",
                *date_columns("publication_date"),
            ),
            describe=_source_line,
        ),
    )
)
