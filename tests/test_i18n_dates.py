"""Dates and the error pages in French and Arabic.

A date keeps its precision in every language: a day, a month, a year, a month whose
year the source does not state, each possibly approximate, or "unknown"; the month
names are Django's own translations and the digits stay Latin. The site's own moments
(a save, a review) likewise. The error pages speak the language of their address.

The words come from the compiled catalogue (locale/, built from /tmp/i18n by
build.py), so these tests read the dates and pages as a reader of each language does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.views import defaults

from config.urls import urlpatterns as site_urlpatterns
from partnerships.dates import DatePrecision, PreciseDate
from partnerships.models import Agreement

from .conftest import make_agreement, page_text

NBSP = "\u00a0"
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
NO_YEAR = DatePrecision.MONTH_NO_YEAR

# (date, English, French, Arabic): every precision, approximate or not.
DATES = [
    (
        PreciseDate(datetime.date(2023, 12, 5), DAY),
        "5 December 2023",
        "5 décembre 2023",
        "5 ديسمبر 2023",
    ),
    (
        PreciseDate(datetime.date(2023, 12, 1), DAY),
        "1 December 2023",
        "1er décembre 2023",
        "1 ديسمبر 2023",
    ),
    (
        PreciseDate(datetime.date(2023, 12, 1), MONTH),
        "December 2023",
        "décembre 2023",
        "ديسمبر 2023",
    ),
    (PreciseDate(datetime.date(2023, 1, 1), YEAR), "2023", "2023", "2023"),
    (
        PreciseDate(datetime.date(2023, 1, 1), YEAR, approximate=True),
        "2023 (approximate)",
        "2023 (environ)",
        "2023 (تقريبًا)",
    ),
    (
        PreciseDate(datetime.date(2021, 8, 1), MONTH, approximate=True),
        "August 2021 (approximate)",
        "août 2021 (environ)",
        "أغسطس 2021 (تقريبًا)",
    ),
    (
        PreciseDate(None, NO_YEAR, month=2),
        "February, year not stated",
        "février, année non précisée",
        "فبراير، السنة غير مذكورة",
    ),
    (
        PreciseDate(None, NO_YEAR, approximate=True, month=2),
        "February, year not stated (approximate)",
        "février, année non précisée (environ)",
        "فبراير، السنة غير مذكورة (تقريبًا)",
    ),
    (PreciseDate(None), "unknown", "inconnue", "غير معروف"),
]
LANGUAGES = ("en", "fr", "ar")


def render(template, **context):
    return Template(template).render(Context(context))


# -- a date at its precision -------------------------------------------------------


@pytest.mark.parametrize(("date", "en", "fr", "ar"), DATES, ids=[row[1] for row in DATES])
def test_it_says_a_date_at_its_precision_in_each_language(date, en, fr, ar):
    for language, expected in zip(LANGUAGES, (en, fr, ar), strict=True):
        with translation.override(language):
            assert str(date) == expected


def test_it_keeps_the_digits_latin_in_arabic():
    with translation.override("ar"):
        text = str(PreciseDate(datetime.date(2019, 4, 27), DAY))

    assert text.startswith("27 ") and text.endswith(" 2019")
    assert not any("\u0660" <= char <= "\u0669" for char in text)


def test_it_draws_a_date_as_a_time_element_in_the_page_language():
    date = PreciseDate(datetime.date(2023, 12, 1), MONTH)

    with translation.override("fr"):
        french = render("{{ date|precise_date }}", date=date)
    with translation.override("ar"):
        arabic = render("{{ date|precise_date }}", date=date)

    assert french == '<time datetime="2023-12">décembre 2023</time>'
    assert arabic == '<time datetime="2023-12">ديسمبر 2023</time>'


def test_it_marks_an_unknown_date_as_such_in_the_page_language():
    with translation.override("fr"):
        french = render("{{ date|precise_date }}", date=None)
    with translation.override("ar"):
        arabic = render("{{ date|precise_date }}", date=PreciseDate(None))
    with translation.override("en"):
        english = render("{{ date|precise_date }}", date=None)

    assert english == '<span class="unknown">unknown</span>'
    assert french == '<span class="unknown">inconnue</span>'
    assert arabic == '<span class="unknown">غير معروف</span>'


def test_it_draws_a_month_without_a_year_as_the_source_words_it():
    date = PreciseDate(None, NO_YEAR, month=5)

    with translation.override("ar"):
        arabic = render("{{ date|precise_date }}", date=date)

    assert arabic == '<span class="date">مايو، السنة غير مذكورة</span>'


# -- the site's own moments ----------------------------------------------------------

SAVED = datetime.datetime(2026, 3, 12, 14, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "words", "day"),
    [
        ("en", "12 March 2026, 14:05", "12 March 2026"),
        ("fr", "12 mars 2026 à 14:05", "12 mars 2026"),
        ("ar", "12 مارس 2026، 14:05", "12 مارس 2026"),
    ],
)
def test_it_says_a_moment_in_each_language(language, words, day):
    with translation.override(language):
        element = render("{{ when|moment }}", when=SAVED)
        only_the_day = render('{{ when|moment:"day" }}', when=SAVED)
        text = render("{{ when|moment_text }}", when=SAVED)

    assert element == f'<time datetime="2026-03-12T14:05:00+00:00">{words}</time>'
    assert only_the_day == f'<time datetime="2026-03-12T14:05:00+00:00">{day}</time>'
    assert text == words


def test_it_says_the_first_of_a_month_as_french_writes_it():
    first = datetime.datetime(2026, 5, 1, 9, 30, tzinfo=datetime.UTC)

    with translation.override("fr"):
        text = render("{{ when|moment_text }}", when=first)

    assert text == "1er mai 2026 à 09:30"


# -- on a page ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "concluded"),
    [("", "5 December 2023"), ("/fr", "5 décembre 2023"), ("/ar", "5 ديسمبر 2023")],
)
def test_it_shows_an_entry_date_in_the_page_language(client, prefix, concluded):
    agreement = make_agreement(date=datetime.date(2023, 12, 5), date_precision=DAY)

    with translation.override("en"):
        address = agreement.get_absolute_url()

    response = client.get(f"{prefix}{address}")

    assert response.status_code == 200
    assert f'<time datetime="2023-12-05">{concluded}</time>' in response.content.decode()


# -- editors' labels and messages ---------------------------------------------------


@pytest.mark.django_db
def test_it_explains_a_date_without_its_precision_in_the_editor_language():
    agreement = make_agreement()
    agreement.start_date = datetime.date(2022, 3, 1)

    with translation.override("fr"), pytest.raises(ValidationError) as french:
        agreement.full_clean()
    with translation.override("ar"), pytest.raises(ValidationError) as arabic:
        agreement.full_clean()

    assert french.value.message_dict["start_date_precision"] == [
        f"Indiquez la précision de la date de début{NBSP}: jour, mois ou année, "
        "telle que la source la donne."
    ]
    assert arabic.value.message_dict["start_date_precision"] == [
        "حدّد دقة تاريخ البدء: يوم أو شهر أو سنة، حسب ما يذكره المصدر."
    ]


def test_it_labels_the_date_fields_and_their_months_in_the_editor_language():
    field = Agreement._meta.get_field("end_date_precision")
    month = Agreement._meta.get_field("end_date_month")

    with translation.override("en"):
        english = str(field.verbose_name)
    with translation.override("fr"):
        french = (str(field.verbose_name), str(dict(field.choices)["month_no_year"]))
        french_april = str(dict(month.choices)[4])
    with translation.override("ar"):
        arabic = str(field.verbose_name)

    assert english == "end date precision"
    assert french == ("précision de la date de fin", "Mois, année non précisée")
    assert french_april == "avril"
    assert arabic == "دقة تاريخ الانتهاء"


# -- the error pages ---------------------------------------------------------------


def fail(request, what):
    raise {"outage": OperationalError("could not connect"), "bug": ValueError("a bug")}[what]


urlpatterns = [
    *site_urlpatterns,
    path("fail/<str:what>/", fail),
    path("fr/fail/<str:what>/", fail),
    path("ar/fail/<str:what>/", fail),
]


def assert_error_page(response, status, language, heading, words):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}"' in html
    assert f"<h1>{heading}</h1>" in html
    assert words in page_text(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "words"),
    [
        ("fr", "Page introuvable", "Il n’y a pas de page à cette adresse."),
        ("ar", "الصفحة غير موجودة", "لا توجد صفحة بهذا العنوان."),
    ],
)
def test_it_answers_an_unknown_address_with_the_404_page_of_its_language(
    client, language, heading, words
):
    response = client.get(f"/{language}/nothing-here")

    assert_error_page(response, 404, language, heading, words)
    assert f'href="/{language}/">' in response.content.decode()


@pytest.mark.django_db
def test_it_answers_a_host_it_does_not_serve_with_the_400_page_of_its_language(client):
    response = client.get("/fr/partners/", HTTP_HOST="attacker.example")

    assert_error_page(
        response, 400, "fr", "Requête incorrecte", "Le site n’a pas pu comprendre cette requête."
    )


@pytest.mark.parametrize(
    ("language", "heading", "words", "sign_in"),
    [
        ("fr", "Accès non autorisé", "Vous ne pouvez pas ouvrir cette page.", "/fr/admin/"),
        ("ar", "الوصول غير مسموح", "لا يمكنك فتح هذه الصفحة.", "/ar/admin/"),
    ],
)
def test_it_renders_the_403_page_in_the_active_language(language, heading, words, sign_in):
    request = RequestFactory().get(f"/{language}/somewhere/")

    with translation.override(language):
        response = defaults.permission_denied(request, PermissionDenied())

    assert_error_page(response, 403, language, heading, words)
    assert f'href="{sign_in}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "words"),
    [
        ("fr", "Formulaire expiré", "envoyez de nouveau le formulaire"),
        ("ar", "انتهت صلاحية النموذج", "أرسل النموذج مجددًا"),
    ],
)
def test_it_answers_a_forged_form_with_the_403_page_of_its_language(language, heading, words):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{language}/admin/login/", {"username": "a", "password": "b"})

    assert_error_page(response, 403, language, heading, words)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading", "words"),
    [
        ("fr", "Une erreur s’est produite", "L’erreur a été consignée"),
        ("ar", "حدث خطأ ما", "وقد سُجّل الخطأ"),
    ],
)
def test_it_answers_a_bug_with_the_500_page_of_its_language(language, heading, words):
    client = Client(raise_request_exception=False)

    response = client.get(f"/{language}/fail/bug/")

    assert_error_page(response, 500, language, heading, words)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading", "words"),
    [
        ("fr", "Temporairement indisponible", "Rien de ce que vous avez enregistré n’est perdu."),
        ("ar", "غير متاح مؤقتًا", "لم يضع شيء مما حفظته."),
    ],
)
def test_it_answers_a_database_outage_with_the_503_page_of_its_language(language, heading, words):
    response = Client(raise_request_exception=False).get(f"/{language}/fail/outage/")

    assert_error_page(response, 503, language, heading, words)
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_it_keeps_the_english_error_pages_english(client):
    response = client.get("/nothing-here")

    assert_error_page(response, 404, "en", "Page not found", "There is no page at this address.")
