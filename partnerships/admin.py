from django.contrib import admin
from django.utils.translation import gettext_lazy, pgettext_lazy

from sources.forms import CitationForm, CitationFormSet
from sources.models import Citation

from .dates import date_columns
from .history.admin import RequiredInlineMixin, WikiAdmin
from .history.models import Change, ReviewMark
from .models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPartner,
    EngagementPerson,
    Exercise,
    ExerciseParticipant,
    Indicator,
    IndicatorValue,
    Partner,
    Person,
    Position,
    Procurement,
)
from .translations import translation_field_names


class CitationInline(RequiredInlineMixin, admin.StackedInline):
    """Every entry stands on at least one quoted sentence."""

    model = Citation
    form = CitationForm
    formset = CitationFormSet
    fields = ["footnote", "source", "quote", "facts", "note", "stance"]
    readonly_fields = ["footnote"]
    autocomplete_fields = ["source"]
    extra = 0

    def get_queryset(self, request):
        # Each with its footnote number, which the summary's markers name.
        return super().get_queryset(request).numbered()

    @admin.display(description=gettext_lazy("footnote"))
    def footnote(self, obj):
        number = getattr(obj, "number", None)
        if number is None:
            return gettext_lazy("numbered after the citations above once saved")
        return gettext_lazy(
            "[%(number)s] — write “[%(number)s]” in the summary after what this quote states"
        ) % {"number": number}


def citation_inline(entry_field):
    return type(
        f"{entry_field.title()}CitationInline", (CitationInline,), {"fk_name": entry_field}
    )


def translations(*fields):
    """The fieldset of an entry's French and Arabic texts (partnerships/translations.py),
    folded: most edits are of the English text."""
    return (
        gettext_lazy("Translations"),
        {"classes": ["collapse"], "fields": translation_field_names(fields)},
    )


DATE_FIELDS = {
    prefix: date_columns(prefix)
    for prefix in ("date", "start_date", "end_date", "order_date", "delivery_date", "period")
}


@admin.register(Partner)
class PartnerAdmin(WikiAdmin):
    list_display = ["name", "kind", "short_name", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "aliases", "name_fr", "name_ar"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    ("kind", "country_code"),
                    "membership",
                    "short_name",
                    "aliases",
                    "parent",
                    "summary",
                ]
            },
        ),
        translations("name", "aliases", "summary"),
    ]
    inlines = [citation_inline("partner")]


class AgreementPartyInline(RequiredInlineMixin, admin.TabularInline):
    """An agreement has at least one partner besides Morocco."""

    model = AgreementParty
    autocomplete_fields = ["partner"]
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(WikiAdmin):
    list_display = ["title", "kind", "status", "concluded", "value_display"]
    list_filter = ["kind", "status", "parties"]
    search_fields = ["title", "summary", "parties__name", "title_fr", "title_ar"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "summary"]}),
        translations("title", "summary"),
        (pgettext_lazy("agreement", "Concluded"), {"fields": DATE_FIELDS["date"]}),
        (
            pgettext_lazy("agreement", "In effect"),
            {"fields": DATE_FIELDS["start_date"] + DATE_FIELDS["end_date"]},
        ),
        (pgettext_lazy("money", "Value"), {"fields": ["value_amount", "value_currency"]}),
    ]
    inlines = [AgreementPartyInline, citation_inline("agreement")]

    @admin.display(description=pgettext_lazy("admin column", "date"), ordering="date")
    def concluded(self, obj):
        return obj.concluded

    @admin.display(description=pgettext_lazy("money", "value"), ordering="value_amount")
    def value_display(self, obj):
        return obj.value_display


class ExerciseParticipantInline(admin.TabularInline):
    model = ExerciseParticipant
    autocomplete_fields = ["partner"]
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(WikiAdmin):
    list_display = ["name", "series", "starts", "location"]
    list_filter = ["series", "participants"]
    search_fields = ["name", "series", "location", "summary", "name_fr", "name_ar"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "series", "location", "domains", "summary"]}),
        translations("name", "summary"),
        (
            gettext_lazy("Dates"),
            {"fields": DATE_FIELDS["start_date"] + DATE_FIELDS["end_date"]},
        ),
    ]
    inlines = [ExerciseParticipantInline, citation_inline("exercise")]

    @admin.display(description=pgettext_lazy("admin column", "start"), ordering="start_date")
    def starts(self, obj):
        return obj.starts


@admin.register(Procurement)
class ProcurementAdmin(WikiAdmin):
    list_display = ["system", "category", "supplier", "manufacturer", "status", "ordered"]
    list_filter = ["category", "status", "supplier"]
    list_select_related = ["supplier", "manufacturer"]
    search_fields = [
        "system",
        "summary",
        "supplier__name",
        "manufacturer__name",
        "system_fr",
        "system_ar",
    ]
    prepopulated_fields = {"slug": ["system"]}
    autocomplete_fields = ["supplier", "manufacturer", "agreement"]
    fieldsets = [
        (None, {"fields": ["system", "slug", "category", "status", "summary"]}),
        translations("system", "summary"),
        (gettext_lazy("Who"), {"fields": ["supplier", "manufacturer", "agreement"]}),
        (
            pgettext_lazy("equipment order", "Order"),
            {"fields": ["quantity", *DATE_FIELDS["order_date"]]},
        ),
        (gettext_lazy("Delivery"), {"fields": DATE_FIELDS["delivery_date"]}),
        (pgettext_lazy("money", "Value"), {"fields": ["value_amount", "value_currency"]}),
    ]
    inlines = [citation_inline("procurement")]

    @admin.display(description=pgettext_lazy("admin column", "ordered"), ordering="order_date")
    def ordered(self, obj):
        return obj.ordered


class PositionInline(admin.StackedInline):
    model = Position
    fk_name = "person"
    autocomplete_fields = ["partner"]
    fields = [
        ("title", "partner", "body"),
        tuple(DATE_FIELDS["start_date"]),
        tuple(DATE_FIELDS["end_date"]),
    ]
    extra = 0


@admin.register(Person)
class PersonAdmin(WikiAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "summary", "positions__title", "name_fr", "name_ar"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary"]}),
        translations("name", "summary"),
    ]
    inlines = [PositionInline, citation_inline("person")]


class EngagementPartnerInline(admin.TabularInline):
    model = EngagementPartner
    autocomplete_fields = ["partner"]
    extra = 0


class EngagementPersonInline(admin.TabularInline):
    model = EngagementPerson
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(WikiAdmin):
    list_display = ["title", "kind", "starts", "place", "hedge"]
    list_filter = ["kind", "partners"]
    search_fields = [
        "title",
        "place",
        "summary",
        "partners__name",
        "people__name",
        "title_fr",
        "title_ar",
    ]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "place", "hedge", "summary"]}),
        translations("title", "summary"),
        (
            pgettext_lazy("fieldset", "Date"),
            {"fields": DATE_FIELDS["date"] + DATE_FIELDS["end_date"]},
        ),
    ]
    inlines = [EngagementPartnerInline, EngagementPersonInline, citation_inline("engagement")]

    @admin.display(description=pgettext_lazy("admin column", "date"), ordering="date")
    def starts(self, obj):
        return obj.starts


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = [*DATE_FIELDS["period"], "value", "basis", "as_stated"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(WikiAdmin):
    list_display = ["name", "subject", "measure", "unit", "currency"]
    list_filter = ["measure"]
    list_select_related = ["partner"]
    search_fields = ["name", "subject", "summary", "name_fr", "name_ar"]
    prepopulated_fields = {"slug": ["name", "subject"]}
    autocomplete_fields = ["partner"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "subject",
                    "partner",
                    "measure",
                    "unit",
                    "currency",
                    "summary",
                ]
            },
        ),
        translations("name", "summary"),
    ]
    inlines = [IndicatorValueInline, citation_inline("indicator")]


# The relation rows are edited inline on their agreement or exercise; they are
# registered so reviewers can browse their own history too.
@admin.register(AgreementParty)
class AgreementPartyAdmin(WikiAdmin):
    # Restored with their entry (a revert or a restore), not one by one.
    list_deleted = False
    list_display = ["agreement", "partner"]
    list_select_related = ["agreement", "partner"]
    list_filter = ["partner"]
    search_fields = ["agreement__title", "partner__name"]
    autocomplete_fields = ["agreement", "partner"]


@admin.register(ExerciseParticipant)
class ExerciseParticipantAdmin(WikiAdmin):
    # Restored with their entry (a revert or a restore), not one by one.
    list_deleted = False
    list_display = ["exercise", "partner", "role"]
    list_select_related = ["exercise", "partner"]
    list_filter = ["role", "partner"]
    search_fields = ["exercise__name", "partner__name"]
    autocomplete_fields = ["exercise", "partner"]


@admin.register(EngagementPartner)
class EngagementPartnerAdmin(WikiAdmin):
    list_deleted = False
    list_display = ["engagement", "partner", "role"]
    list_select_related = ["engagement", "partner"]
    list_filter = ["role", "partner"]
    search_fields = ["engagement__title", "partner__name"]
    autocomplete_fields = ["engagement", "partner"]


@admin.register(EngagementPerson)
class EngagementPersonAdmin(WikiAdmin):
    list_deleted = False
    list_display = ["engagement", "person", "role"]
    list_select_related = ["engagement", "person"]
    list_filter = ["role"]
    search_fields = ["engagement__title", "person__name"]
    autocomplete_fields = ["engagement", "person"]


@admin.register(Position)
class PositionAdmin(WikiAdmin):
    list_deleted = False
    list_display = ["person", "title", "partner", "body"]
    list_select_related = ["person", "partner"]
    search_fields = ["person__name", "title", "body", "partner__name"]
    autocomplete_fields = ["person", "partner"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(WikiAdmin):
    list_deleted = False
    list_display = ["indicator", "__str__", "basis"]
    list_select_related = ["indicator"]
    list_filter = ["basis"]
    search_fields = ["indicator__name", "as_stated"]
    autocomplete_fields = ["indicator"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the site writes and keeps for good: readable here, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # No one, superusers included.
        return False


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    """The change log: one row per save, written by the saves themselves."""

    list_display = ["date", "entry_label", "entry_type", "kind", "user", "summary"]
    list_filter = ["kind", "entry_type", "date"]
    list_select_related = ["user"]
    search_fields = ["entry_label", "summary", "user__username"]
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(ReviewMark)
class ReviewMarkAdmin(ReadOnlyAdmin):
    """Marks are made with the site's "Mark reviewed" button and kept for good."""

    list_display = ["__str__", "reviewer", "reviewed_at", "note"]
    list_filter = ["reviewed_at"]
    list_select_related = ["reviewer", "change"]
    search_fields = ["note", "reviewer__username"]
    date_hierarchy = "reviewed_at"
