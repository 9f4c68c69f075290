"""The public lists in French and Arabic: their headings, columns, filters and their
messages, counts, pagination and exports speak the page's language; entries are named
in it where they have a name in it, and marked as English where they do not.

The words come from the compiled catalogue (locale/, built from /tmp/i18n by
build.py), so these tests read the pages as a reader of each language does."""

import csv
import io
import json

import pytest
from django.utils import translation

from partnerships.lists.pages import PER_PAGE
from partnerships.models import Partner

from .conftest import (
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    page_text,
)
from .history_factories import make_engagement, make_indicator, make_person

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"

# Each list, with words of its own page in French and in Arabic (its intro, a column).
LISTS = {
    "/partners/": (
        ["Les pays, alliances et organisations", "Partenaire", "Accords"],
        ["الدول والتحالفات والمنظمات", "الشريك", "الاتفاقيات"],
    ),
    "/agreements/": (
        ["Traités, protocoles d’accord", "Accord", "Parties", "Conclu"],
        ["المعاهدات ومذكرات التفاهم", "الاتفاقية", "الأطراف"],
    ),
    "/exercises/": (
        ["Éditions des exercices militaires conjoints", "Exercice", "Participants"],
        ["دورات المناورات العسكرية المشتركة", "المناورة", "المشاركون"],
    ),
    "/equipment/": (
        ["Équipements acquis par le Maroc", "Système", "Fournisseur", "Fabricant"],
        ["المعدات التي اقتناها المغرب", "المنظومة", "المورّد", "الصانع"],
    ),
    "/people/": (
        ["Personnalités que les sources citent", "Personne", "Fonctions"],
        ["الشخصيات التي تذكرها المصادر", "الشخص", "المناصب"],
    ),
    "/engagements/": (
        ["Visites, réunions et dialogues", "Échange", "Partenaires participants"],
        ["الزيارات والاجتماعات والحوارات", "النشاط", "الشركاء المشاركون"],
    ),
    "/indicators/": (
        ["Chiffres fournis par les sources", "Indicateur", "Dernière valeur"],
        ["الأرقام التي تقدّمها المصادر", "المؤشر", "آخر قيمة"],
    ),
    "/sources/": (
        ["Les documents dont est tiré chaque fait", "Éditeur", "Langue"],
        ["الوثائق التي تُستقى منها كل معلومة", "الناشر", "اللغة"],
    ),
}


@pytest.fixture
def one_of_each():
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    make_citation(make_agreement(title="Defense pact", parties=[spain]))
    make_exercise(name="African Lion", participants=[spain])
    make_procurement(system="Patrol boat", supplier=spain)
    make_person(name="A minister", positions=[{"title": "Minister", "partner": spain}])
    make_engagement(title="A visit", partners=[spain])
    make_indicator(name="Defense spending", partner=spain)
    return spain


@pytest.mark.parametrize("url", LISTS)
def test_each_list_speaks_french_and_arabic(client, one_of_each, url):
    french, arabic = LISTS[url]
    for language, words, filters, results in (
        ("fr", french, "Filtres", "1 résultat"),
        ("ar", arabic, "عوامل التصفية", "نتيجة واحدة"),
    ):
        response = client.get(f"/{language}{url}")

        assert response.status_code == 200
        content = response.content.decode()
        assert f'<html lang="{language}"' in content
        text = page_text(response)
        for word in [*words, filters, results]:
            assert word in text, (language, url, word)
        # The phones' cards label each cell with its column, in the page's language.
        labels = [column.label for column in response.context["columns"][1:]]
        with translation.override(language):
            assert all(f'<td data-label="{label}"' in content for label in labels)
        assert "There are no" not in text and "Download" not in text


def test_each_empty_list_says_so_in_its_own_words(client):
    assert "Il n’y a encore aucun accord." in page_text(client.get("/fr/agreements/"))
    assert "لا توجد شخصيات بعد." in page_text(client.get("/ar/people/"))
    assert "Il n’y a encore aucune source." in page_text(client.get("/fr/sources/"))


def test_it_counts_results_in_each_languages_plural(client):
    israel = make_partner(name="Israel", slug="israel")
    make_agreement(parties=[israel])
    make_agreement(parties=[israel])
    make_agreement()

    assert "3 résultats" in page_text(client.get("/fr/agreements/"))
    assert "2 résultats correspondant aux filtres" in page_text(
        client.get("/fr/agreements/?partner=israel")
    )
    assert "3 نتائج" in page_text(client.get("/ar/agreements/"))
    assert "نتيجتان تطابقان عوامل التصفية" in page_text(
        client.get("/ar/agreements/?partner=israel")
    )


def test_it_names_entries_in_the_pages_language_and_marks_english_ones(client):
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    nato = make_partner(name="NATO", slug="nato", kind=Partner.Kind.ORGANIZATION)
    make_agreement(title="Defense pact", title_fr="Pacte de défense", parties=[spain, nato])

    french = client.get("/fr/agreements/").content.decode()
    arabic = client.get("/ar/agreements/").content.decode()
    english = client.get("/agreements/").content.decode()

    # A French title given, a country's name from its code, an English fallback marked.
    assert 'dir="auto">Pacte de défense</a>' in french
    assert 'dir="auto">Espagne</a>' in french
    assert 'dir="auto"><bdi lang="en">NATO</bdi></a>' in french
    assert '<bdi lang="en">Defense pact</bdi>' in arabic
    assert 'dir="auto">إسبانيا</a>' in arabic
    assert 'dir="auto">Defense pact</a>' in english
    assert 'lang="en"' not in english.split("<main", 1)[1]


def test_it_sorts_by_the_english_names_on_every_page(client):
    make_partner(name="Egypt", slug="egypt", country_code="EG")
    make_partner(name="Germany", slug="germany", country_code="DE")

    text = page_text(client.get("/fr/partners/?sort=name"))

    # Égypte before Allemagne: the order of Egypt and Germany.
    assert text.index("Égypte") < text.index("Allemagne")


def test_its_filters_speak_the_pages_language(client):
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    make_agreement(parties=[spain])

    response = client.get("/fr/agreements/?partner=spain&sort=-title")
    content = response.content.decode()

    assert response.status_code == 200
    assert '<label for="id_kind">Type</label>' in content
    assert '<option value="" selected>Tous les types</option>' in content
    assert '<option value="-title" selected>Titre (décroissant)</option>' in content
    assert 'placeholder="Nom, p.\u00a0ex. Israël"' in content
    assert f"Filtré par partenaire{NBSP}: <bdi>Espagne</bdi>." in content
    assert '<span class="fold-count">(1 actif)</span>' in content
    arabic = client.get("/ar/agreements/?partner=spain").content.decode()
    assert "التصفية حسب الشريك: <bdi>إسبانيا</bdi>." in arabic


def test_it_explains_a_bad_filter_value_in_french_and_arabic(client):
    french = client.get("/fr/agreements/", {"year_from": "abc", "partner": "nowhere"})
    arabic = client.get("/ar/exercises/", {"year_to": "abc", "sort": "nothing"})

    assert french.status_code == arabic.status_code == 400
    text = page_text(french)
    assert "Saisissez une année, par exemple 2022." in text
    assert "Aucun partenaire du wiki ne porte ce nom." in text
    assert "Certaines valeurs de filtre ne peuvent pas être utilisées" in text
    text = page_text(arabic)
    assert "أدخل سنة، مثل 2022." in text
    assert "اختر عمودًا للترتيب حسبه." in text


def test_it_takes_a_partner_by_its_name_in_the_pages_language(client):
    make_partner(name="Spain", slug="spain", country_code="ES")

    assert client.get("/fr/agreements/", {"partner": "espagne"})["Location"] == (
        "/fr/agreements/?partner=spain"
    )
    assert client.get("/ar/agreements/", {"partner": "إسبانيا"})["Location"] == (
        "/ar/agreements/?partner=spain"
    )
    # English pages know English names only.
    assert client.get("/agreements/", {"partner": "espagne"}).status_code == 400


def test_it_suggests_partners_by_and_with_their_name_in_the_pages_language(client):
    make_partner(name="Spain", slug="spain", country_code="ES")

    french = json.loads(client.get("/fr/partners/suggest.json", {"q": "espa"}).content)
    english = json.loads(client.get("/partners/suggest.json", {"q": "spa"}).content)

    assert french == {"partners": [{"name": "Espagne", "slug": "spain"}]}
    assert english == {"partners": [{"name": "Spain", "slug": "spain"}]}


def test_it_says_page_numbers_and_their_links_in_each_language(client):
    for number in range(PER_PAGE + 1):
        make_agreement(title=f"Agreement {number:02}")

    french = client.get("/fr/agreements/?sort=title")
    arabic = client.get("/ar/agreements/?sort=title&page=2")

    assert "Page 1 sur 2" in page_text(french)
    assert 'rel="next">Page suivante</a>' in french.content.decode()
    assert 'aria-label="Pages"' in french.content.decode()
    assert "الصفحة 2 من 2" in page_text(arabic)
    assert 'rel="prev">الصفحة السابقة</a>' in arabic.content.decode()


def test_it_explains_a_page_that_does_not_exist_in_french(client):
    make_agreement()

    response = client.get("/fr/agreements/?page=7")

    assert response.status_code == 400
    text = page_text(response)  # which makes each no-break space a space
    assert "Il n’y a pas de page 7 ici : cette liste compte 1 page." in text
    assert "Aller à la première page" in text


def test_it_says_a_capped_count_with_the_languages_digits(client, monkeypatch):
    monkeypatch.setattr("partnerships.lists.pages.PER_PAGE", 2)
    monkeypatch.setattr("partnerships.lists.pages.MAX_PAGES", 3)
    for _ in range(7):
        make_agreement()

    text = page_text(client.get("/fr/agreements/"))

    assert "Plus de 6 résultats" in text
    assert "Page 1 sur plus de 3" in text
    assert "Seules les 6 premières lignes se parcourent ici" in text


def csv_lines(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_csv_export_says_its_header_row_in_the_pages_language_and_keeps_its_data(client):
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    make_citation(make_agreement(title="Defense pact", title_fr="Pacte", parties=[spain]))

    english = csv_lines(client.get("/agreements/?format=csv"))
    french = csv_lines(client.get("/fr/agreements/?format=csv"))
    arabic = csv_lines(client.get("/ar/agreements/?format=csv"))

    assert french[0][0].startswith("# Exporté du wiki des partenariats de défense du Maroc le ")
    assert english[1][:3] == ["title", "url", "kind"]
    assert french[1][:3] == ["titre", "adresse de la page", "type"]
    assert arabic[1][:3] == ["العنوان", "رابط الصفحة", "النوع"]
    assert len(french[1]) == len(arabic[1]) == len(english[1])
    # The rows are the data as stored: the English names, the same in every language.
    assert french[2:] == arabic[2:] == english[2:]
    assert english[2][english[1].index("parties")] == "Spain"


def test_a_json_export_keeps_its_english_keys_and_data_on_a_french_page(client):
    make_agreement(title="Defense pact", title_fr="Pacte", parties=[make_partner(name="Spain")])

    english = json.loads(b"".join(client.get("/agreements/?format=json").streaming_content))
    french = json.loads(b"".join(client.get("/fr/agreements/?format=json").streaming_content))

    assert french["exported"].startswith("Exported from the Morocco defense partnerships wiki")
    assert french["agreements"] == english["agreements"]
    assert french["agreements"][0]["title"] == "Defense pact"


def test_the_sources_list_marks_each_title_with_its_language(client):
    make_source(title="Les alliances du Maroc", language="fr", author="A. Auteur")
    make_source(title="Morocco's alliances", language="en")

    content = client.get("/fr/sources/").content.decode()

    assert '<bdi lang="en"><a href="/fr/sources/' in content
    assert '<bdi><a href="/fr/sources/' in content  # the French title, on a French page
    assert "par <bdi>A. Auteur</bdi>" in content
    assert content.count("non précisé") == 2  # neither publisher is stated
