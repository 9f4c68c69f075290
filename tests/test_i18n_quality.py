"""The data-quality report in French and Arabic: its words, its entries' names in the
page's language, its numbers as the language writes them, its CSV's opening and header
(its rows English on every page), and the admin's warnings of one entry. Reads the
compiled catalogue: run /tmp/i18n/build.py first."""

import datetime

import pytest
from django.utils import translation

from partnerships import quality
from partnerships.dates import DatePrecision
from partnerships.models import Agreement

from .conftest import (
    count_queries,
    logged_in,
    make_agreement,
    make_citation,
    make_partner,
    make_source,
    make_user,
    page_text,
)
from .test_quality import read_csv, rows, section_html

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def make_pact(title_fr="", title_ar="", spain=None):
    """An agreement with Spain as a party, neither its date nor its party cited."""
    spain = spain or make_partner(name="Spain", country_code="ES")
    pact = make_agreement(
        title="Pact",
        title_fr=title_fr,
        title_ar=title_ar,
        parties=[spain],
        date=datetime.date(2021, 1, 1),
        date_precision=DatePrecision.YEAR,
        date_approximate=True,
    )
    make_citation(pact, facts="existence kind")
    return pact


def test_it_speaks_french(client):
    make_pact()

    response = client.get("/fr/quality/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "<title>Qualité des données" in html
    assert "<h1>Qualité des données</h1>" in html
    assert f"Toutes les lignes de toutes les sections, un problème par ligne{NBSP}:" in html
    assert ">Faits sans citation</a>" in html
    assert ">Modifications non vérifiées après 7" in html
    assert '<th scope="col">Type d’entrée</th>' in html
    assert '<th scope="row">Total</th>' in html
    uncited = section_html(response, "uncited")
    assert "<td>Accord</td>" in uncited
    assert '<th scope="col">Fait</th>' in uncited
    assert "Aucun problème." in section_html(response, "disputed")


def test_it_speaks_arabic(client):
    make_pact()

    response = client.get("/ar/quality/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert "<h1>جودة البيانات</h1>" in html
    assert ">معلومات بلا استشهاد</a>" in html
    assert ">تواريخ غير مؤكدة</a>" in html
    assert '<th scope="col">نوع المُدخل</th>' in html
    uncited = section_html(response, "uncited")
    assert "<td>اتفاقية</td>" in uncited
    assert "لا توجد مشكلات." in section_html(response, "disputed")


def test_it_names_entries_in_the_page_language(client):
    make_pact(title_fr="Pacte", title_ar="ميثاق")

    french, arabic = client.get("/fr/quality/"), client.get("/ar/quality/")

    # The agreement's own title; the partner's name from the CLDR by its country code,
    # both as the entry and in the fact naming it as a party.
    listed = rows(french, "uncited")
    assert any(row.startswith("Pacte Accord") for row in listed)
    assert any(row.startswith("Espagne Partenaire") for row in listed)
    assert any(row.startswith("Pacte Accord") and row.endswith("Espagne") for row in listed)
    assert any(row.startswith("ميثاق اتفاقية") for row in rows(arabic, "uncited"))
    assert any(row.startswith("إسبانيا شريك") for row in rows(arabic, "uncited"))
    assert "Pact" not in page_text(french).split()


def test_it_marks_an_english_name_shown_on_a_french_page(client):
    make_pact()

    uncited = section_html(client.get("/fr/quality/"), "uncited")

    assert '<bdi lang="en">Pact</bdi>' in uncited


def test_it_makes_the_same_queries_in_french_for_1_or_50_entries(
    client, django_assert_num_queries
):
    client.force_login(make_user())
    spain = make_pact(title_fr="Pacte").parties.get()
    queries = count_queries(client, "/fr/quality/")

    for _ in range(49):
        make_pact(title_fr="Pacte", spain=spain)
    with django_assert_num_queries(queries):
        response = client.get("/fr/quality/")

    assert response.status_code == 200
    assert "Pacte" in section_html(response, "uncited")


def test_it_keeps_the_names_in_each_language_until_the_wiki_changes(settings, editor):
    settings.PAGE_CACHE, settings.PAGE_CACHE_SECONDS = True, 600
    client = logged_in(editor)  # never served from the page cache
    make_pact(title_fr="Pacte")

    english, french = count_queries(client, "/quality/"), count_queries(client, "/fr/quality/")
    Agreement.objects.update(title_fr="Pacte révisé")  # not a save: the names are kept
    kept = client.get("/fr/quality/")

    assert french == english
    assert "Pacte" in section_html(kept, "uncited")
    assert "Pacte révisé" not in section_html(kept, "uncited")


def test_it_writes_numbers_as_the_language_does():
    shown = quality.Shown(quality.UNCITED, [], 12345)

    with translation.override("en"):
        english = shown.total_text
    with translation.override("fr"):
        french = shown.total_text
    with translation.override("ar"):
        arabic = shown.total_text

    assert english == "12,345"
    assert french.replace("\u202f", " ").replace(NBSP, " ") == "12 345"
    assert arabic.isascii() and arabic.replace(",", "").replace("\u066c", "") == "12345"


def test_it_says_a_note_on_the_rows_left_out_in_french(client, monkeypatch):
    monkeypatch.setattr(quality, "ROWS_PER_KIND", 1)
    make_pact()

    note = section_html(client.get("/fr/quality/"), "uncited")

    # Three uncited facts (Spain's kind, the pact's date and its party), one of each kind.
    assert f"Premiers listés ici{NBSP}: 2 sur 3, au plus 1 par type d’entrée." in note


def test_it_answers_an_unknown_format_in_french(client):
    response = client.get("/fr/quality/", {"format": "json"})

    assert response.status_code == 400
    html = response.content.decode()
    assert f"Le rapport ne se télécharge qu’en CSV{NBSP}:" in html
    assert ">Voir le rapport</a>." in html


def test_it_exports_a_french_opening_and_header_with_english_rows(client):
    make_pact(title_fr="Pacte")

    response = client.get("/fr/quality/", {"format": "csv"})
    content = b"".join(response.streaming_content).decode()

    opening, header = content.splitlines()[:2]
    assert opening.startswith('"# Rapport de qualité des données du wiki des partenariats')
    assert header == "section,type d’entrée,entrée,adresse,fait,détail"
    # The rows as stored, in English, as an English download has them.
    english = read_csv(client.get("/quality/", {"format": "csv"}))
    french = content.splitlines()[2:]
    assert [line.split(",")[:3] for line in french] == [
        [row["section"], row["entry_type"], row["entry"]] for row in english
    ]
    assert ["uncited", "Agreement", "Pact"] in [line.split(",")[:3] for line in french]


def test_it_warns_editors_in_french_and_arabic():
    pact = make_pact()
    source = make_source(title="Report A")
    make_citation(pact, facts="date", stance="disputes", source=source)
    agreement = Agreement.objects.get(pk=pact.pk)

    with translation.override("fr"):
        french = quality.warnings_for("agreement", agreement)
    with translation.override("ar"):
        arabic = quality.warnings_for("agreement", agreement)

    assert french[0].startswith(f"Aucune citation n’étaye ces faits{NBSP}:")
    assert "Espagne" in french[0]
    assert french[1].startswith(f"Une source conteste ce fait{NBSP}:")
    assert any(warning.startswith("La date «") for warning in french)
    assert arabic[0].startswith("لا يدعم أي استشهاد هاتين المعلومتين:")
    assert "إسبانيا" in arabic[0]
    assert arabic[1].startswith("يعترض مصدر على هذه المعلومة:")
