"""The sources list's filters (see partnerships.lists.filters)."""

from partnerships.compiled import Compiled
from partnerships.lists.filters import (
    ChoiceFilter,
    ListFilterSet,
    SortFilter,
    TextFilter,
    YearFilter,
)

from .models import Source

# Each publisher once, as the database finds them: not every source's row. Compiled
# once (partnerships/compiled.py): each sources list asks for them.
PUBLISHERS = Compiled(
    lambda: (
        Source.objects.exclude(publisher="")
        .order_by("publisher")
        .values_list("publisher")
        .distinct()
    )
)


def _publisher_choices():
    return [(name, name) for (name,) in PUBLISHERS.all()]


class SourceListFilter(ListFilterSet):
    q = TextFilter(fields=("title", "publisher", "author"), label="Title, publisher or author")
    kind = ChoiceFilter(choices=Source.Kind.choices, empty_label="Any kind")
    publisher = ChoiceFilter(choices=_publisher_choices, empty_label="Any publisher")
    language = ChoiceFilter(choices=Source.Language.choices, empty_label="Any language")
    year_from = YearFilter(
        field_name="publication_date", lookup_expr="year__gte", label="Published from"
    )
    year_to = YearFilter(
        field_name="publication_date", lookup_expr="year__lte", label="Published until"
    )
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("publisher", "publisher"),
            ("publication_date", "published"),
        )
    )

    class Meta:
        model = Source
        fields = []
