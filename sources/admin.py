from django.contrib import admin
from django.utils.translation import gettext_lazy, pgettext_lazy

from partnerships.dates import date_columns
from partnerships.history.admin import ReadOnlyInline, WikiAdmin

from .models import ENTRY_FIELDS, Citation, Source


class SourceCitationInline(ReadOnlyInline):
    model = Citation
    fields = ["entry", "facts", "note", "stance"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("citations of this source (edit them on their entries)")

    def get_queryset(self, request):
        return super().get_queryset(request).with_entries()


@admin.register(Source)
class SourceAdmin(WikiAdmin):
    list_display = ["title", "kind", "publisher", "language", "published"]
    list_filter = ["kind", "language", "publisher"]
    search_fields = ["title", "publisher", "author", "full_text"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "publisher", "author", "url", "language"]}),
        (
            pgettext_lazy("source", "Published"),
            {
                "fields": date_columns("publication_date"),
            },
        ),
        (None, {"fields": ["full_text", "furniture", "reliability_note"]}),
    ]
    inlines = [SourceCitationInline]

    @admin.display(
        description=pgettext_lazy("admin column", "published"), ordering="publication_date"
    )
    def published(self, obj):
        return obj.published


@admin.register(Citation)
class CitationAdmin(WikiAdmin):
    # Restored with their entry (a revert or a restore), not one by one.
    list_deleted = False
    list_display = ["__str__", "entry", "facts", "stance"]
    list_filter = ["stance", "source"]
    search_fields = ["quote", "note", "source__title"]
    autocomplete_fields = ["source", *ENTRY_FIELDS]
    fieldsets = [
        (None, {"fields": ["source", "quote", "facts", "note", "stance"]}),
        (gettext_lazy("Cited by (exactly one)"), {"fields": list(ENTRY_FIELDS)}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_entries()
