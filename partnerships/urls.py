from django.urls import path, register_converter

from . import network, quality, search, suggestions, views
from .history import views as history_views
from .history.registry import entry_types


class EntryTypeConverter:
    """The URL segment of an entry type: partners, agreements, exercises, equipment, sources."""

    @property
    def regex(self):
        return "|".join(entry_type.path for entry_type in entry_types)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(EntryTypeConverter, "entry_type")

app_name = "partnerships"

HISTORY = "<entry_type:type_path>/<slug:slug>/history/"

urlpatterns = [
    path("", views.home, name="home"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner-detail"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
    path("exercises/", views.exercise_list, name="exercise-list"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise-detail"),
    path("equipment/", views.procurement_list, name="procurement-list"),
    path("equipment/<slug:slug>/", views.procurement_detail, name="procurement-detail"),
    path("people/", views.person_list, name="person-list"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("engagements/", views.engagement_list, name="engagement-list"),
    path("engagements/<slug:slug>/", views.engagement_detail, name="engagement-detail"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator-detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("network/", network.network, name="network"),
    path("quality/", quality.report, name="quality"),
    path("search/", search.search, name="search"),
    path("changes/", history_views.recent_changes, name="changes"),
    path("changes/feed/", history_views.changes_feed, name="changes-feed"),
    path(HISTORY, history_views.entry_history, name="entry-history"),
    # Before the revision's own address, which would take "compare" for a revision.
    path(f"{HISTORY}compare/", history_views.compare, name="entry-compare"),
    path(f"{HISTORY}<str:token>/", history_views.revision, name="entry-revision"),
    path(f"{HISTORY}<str:token>/review/", history_views.review, name="entry-review"),
    path("partners/suggest.json", suggestions.partner_suggestions, name="partner-suggestions"),
]
