from django.urls import path

from . import search, views

app_name = "partnerships"

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
    path("timeline/", views.timeline, name="timeline"),
    path("search/", search.search, name="search"),
]
