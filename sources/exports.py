"""The sources list's export rows (see partnerships.lists.exports)."""


def source_row(source):
    return {
        "title": source.title,
        "url": source.get_absolute_url(),
        "kind": source.get_kind_display(),
        "publisher": source.publisher,
        "author": source.author,
        "language": source.get_language_display(),
        "published": source.published.iso,
        "address": source.url,
        "citations": [
            {
                "entry": str(citation.entry),
                "entry_url": citation.entry.get_absolute_url(),
                "quote": citation.quote,
                "supports": citation.supports,
                "stance": citation.stance,
            }
            for citation in source.citations.all()
        ],
    }
