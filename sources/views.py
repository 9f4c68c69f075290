from django.shortcuts import get_object_or_404, render

from partnerships.history.entry_pages import answers_as_of, last_change
from partnerships.lists.pages import Column, ListKind, list_page

from .entry_types import SOURCE
from .exports import source_row
from .filters import SourceListFilter
from .highlight import cited_passages, paragraphs
from .models import Source


@answers_as_of("source")
def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    citations = list(source.citations.with_entries())
    passages, missing = cited_passages(source.full_text, citations)
    ctx = {
        "source": source,
        "passages": sorted(passages, key=lambda passage: passage.start),
        "paragraphs": paragraphs(source.full_text, passages),
        "missing": missing,
        "last_change": last_change("source", source),
    }
    return render(request, "sources/source_detail.html", ctx)


SOURCES = ListKind(
    entry_type=SOURCE,
    filterset=SourceListFilter,
    queryset=Source.objects.for_list(),
    export_queryset=Source.objects.for_export(),
    export_row=source_row,
    columns=(
        Column("Source", "title"),
        Column("Kind", "kind"),
        Column("Publisher", "publisher"),
        Column("Published", "published"),
        Column("Language"),
        Column("Citations"),
    ),
    template="sources/source_list.html",
)


def source_list(request):
    return list_page(request, SOURCES)
