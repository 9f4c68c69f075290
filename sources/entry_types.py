"""The source entry type (see partnerships.history.registry)."""

from partnerships.history.registry import EntryType, RelationType, entry_types

from .models import Citation, Source

SOURCE = entry_types.register(
    EntryType(
        "source",
        "sources",
        "Sources",
        Source,
        "title",
        "sources:source-detail",
        # Citations are edited on the entries they support; here they are only listed.
        links=(RelationType("Citations of this source", Citation, "source"),),
    )
)
