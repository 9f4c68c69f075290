"""The sources list's export rows (see partnerships.lists.exports)."""

from partnerships.exports import (
    citation_facts,
    participant_names,
    party_names,
    stated,
)

# The links of a citation's entry that name the partners its link facts name, and
# how they are read when the export prefetched them ("citations__agreement__parties").
_LINKS = {"agreement": ("parties", party_names), "exercise": ("participations", participant_names)}


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
                **citation_facts(
                    citation, citation.entry_field, _partner_names(citation.entry_field, citation)
                ),
                "stance": citation.stance,
            }
            for citation in source.citations.all()
        ],
    }


def _partner_names(entry_field, citation):
    """{partner id: name} of the partners linked to the citation's entry, when the export
    prefetched its links; else None, and no query: a link fact is then named by its
    partner's key."""
    if entry_field not in _LINKS:
        return {}
    links, names = _LINKS[entry_field]
    entry = getattr(citation, entry_field)
    if links not in getattr(entry, "_prefetched_objects_cache", {}):
        return None
    return names(entry)
