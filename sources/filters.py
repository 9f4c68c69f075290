"""The sources list's filters (see partnerships.lists.filters)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    q = TextFilter(fields=("title", "publisher", "author"), label=_("Title, publisher or author"))
    kind = ChoiceFilter(
        choices=Source.Kind.choices,
        label=pgettext_lazy("filter", "Kind"),
        empty_label=_("Any kind"),
    )
    # Publishers are named as the sources name them, in no language of the page's.
    publisher = ChoiceFilter(
        choices=_publisher_choices,
        label=pgettext_lazy("filter", "Publisher"),
        empty_label=_("Any publisher"),
    )
    language = ChoiceFilter(
        choices=Source.Language.choices,
        label=pgettext_lazy("filter", "Language"),
        empty_label=_("Any language"),
    )
    year_from = YearFilter(
        field_name="publication_date", lookup_expr="year__gte", label=_("Published from")
    )
    year_to = YearFilter(
        field_name="publication_date", lookup_expr="year__lte", label=_("Published until")
    )
    sort = SortFilter(
        fields=(
            ("title", "title", pgettext_lazy("sort by", "Title")),
            ("kind", "kind", pgettext_lazy("sort by", "Kind")),
            ("publisher", "publisher", pgettext_lazy("sort by", "Publisher")),
            ("publication_date", "published", pgettext_lazy("sort by", "Published")),
        )
    )

    class Meta:
        model = Source
        fields = []
