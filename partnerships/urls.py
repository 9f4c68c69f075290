from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.home, name="home"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner-detail"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise-detail"),
    path("equipment/<slug:slug>/", views.procurement_detail, name="procurement-detail"),
]
