"""The sources list's export rows (see partnerships.lists.exports)."""

from django.utils.translation import pgettext_lazy

from partnerships.exports import CSV_HEADERS as ENTRY_HEADERS
from partnerships.exports import citation_facts, linked_names, stated

# The CSV header of each key of the rows below; the keys are the JSON's, English.
CSV_HEADERS = {
    **ENTRY_HEADERS,
    "publisher": pgettext_lazy("CSV column", "publisher"),
    "author": pgettext_lazy("CSV column", "author"),
    "language": pgettext_lazy("CSV column", "language"),
    "published": pgettext_lazy("CSV column", "published"),
    "published_as_stated": pgettext_lazy("CSV column", "published_as_stated"),
    "address": pgettext_lazy("CSV column", "address"),
}


def source_row(source):
    published = source.published
    return {
        "title": source.title,
        "url": source.get_absolute_url(),
        "kind": source.get_kind_display(),
        "publisher": source.publisher,
        "author": source.author,
        "language": source.get_language_display(),
        "published": published.iso,
        "published_as_stated": stated(published),
        "address": source.url,
        "citations": [
            {
                "entry": str(citation.entry),
                "entry_url": citation.entry.get_absolute_url(),
                "quote": citation.quote,
                **citation_facts(citation, citation.entry_field, _linked(citation)),
                "stance": citation.stance,
            }
            for citation in source.citations.all()
        ],
    }


def _linked(citation):
    """What the link facts of `citation` name, from its entry's links when the export
    prefetched them (Source.for_export); else None, and no query: a link fact is then
    named by the key it names."""
    field = citation.entry_field
    return linked_names(field, getattr(citation, field), prefetched_only=True)
