from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from partnerships import page_queries as queries
from partnerships.history.entry_pages import answers_as_of, last_change
from partnerships.lists.pages import Column, ListKind, list_page
from partnerships.page_queries import entry_or_404
from partnerships.templatetags.page_description import shortened

from .entry_types import SOURCE
from .exports import CSV_HEADERS, source_row
from .filters import SourceListFilter
from .highlight import cited_passages, passages
from .models import Source

# How many of a source's citations its page marks in the text; a footnote that
# links to one beyond them asks for it by ?citation=, and gets it marked too.
# (A source cited 1,400 times: 200 marked took 30 ms a page, 100 take 20 ms.)
CITATIONS_MARKED = 100
# Characters of a page's meta description that search engines show.


@answers_as_of("source")
def source_detail(request, slug):
    source = entry_or_404(queries.SOURCE, slug)
    citations = queries.SOURCE_CITATIONS.all(CITATIONS_MARKED, entry=source.pk)
    asked = _asked_citation(request, source, citations)
    if asked is not None:
        citations.append(asked)
    marks, missing = cited_passages(source.full_text, citations)
    index = passages(marks)
    ctx = {
        "source": source,
        "marks": marks,
        "index": index,
        "description": _description(source, len(index)),
        "missing": missing,
        "marked": len(citations),
        "unmarked": max(source.citation_count - len(citations), 0),
        "last_change": last_change("source", source),
    }
    return render(request, "sources/source_detail.html", ctx)


def _description(source, passages):
    """The page's meta description: what the source is, and what the page shows of it.
    The source's title and publisher are its own, untranslated."""
    said = {"kind": source.get_kind_display(), "publisher": source.publisher}
    if source.published.stated:
        said["date"] = str(source.published)
        if source.publisher:
            what = _("%(kind)s from %(publisher)s, %(date)s") % said
        else:
            what = pgettext("a kind of source and its date", "%(kind)s, %(date)s") % said
    elif source.publisher:
        what = _("%(kind)s from %(publisher)s") % said
    else:
        what = said["kind"]
    if passages:
        shows = ngettext(
            "Full text; %(count)s cited passage, each linked to the entries citing it.",
            "Full text; %(count)s cited passages, each linked to the entries citing it.",
            passages,
        ) % {"count": passages}
    else:
        shows = _("Full text, as published.")
    return shortened(
        pgettext("a source's meta description", "%(what)s: “%(title)s”. %(shows)s")
        % {"what": what, "title": source.title, "shows": shows}
    )


def _asked_citation(request, source, shown):
    """The citation ?citation=<id> names, when it is this source's and not among `shown`."""
    number = request.GET.get("citation", "")
    if not number.isdigit() or len(number) > 18 or int(number) in {c.pk for c in shown}:
        return None
    return source.citations.of_source_with_entries().numbered().filter(pk=int(number)).first()


SOURCES = ListKind(
    entry_type=SOURCE,
    filterset=SourceListFilter,
    queryset=Source.objects.for_list(),
    export_queryset=Source.objects.for_export(),
    export_row=source_row,
    export_headers=CSV_HEADERS,
    columns=(
        Column(pgettext_lazy("list column", "Source"), "title"),
        Column(pgettext_lazy("list column", "Kind"), "kind"),
        Column(pgettext_lazy("list column", "Publisher"), "publisher"),
        Column(pgettext_lazy("list column", "Published"), "published"),
        Column(pgettext_lazy("list column", "Language")),
        Column(pgettext_lazy("list column", "Citations")),
    ),
    template="sources/source_list.html",
    # A source carries every one of its citations: a few sources to a chunk.
    export_chunk=10,
)


def source_list(request):
    return list_page(request, SOURCES)
