"""The site in three languages: addresses, the switcher and the remembered choice,
lang/dir/hreflang, entries' names in the reader's language with English marked
as such, countries named by the CLDR, numbers per language, search in each
language, and the cost of a page the same in every language."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from partnerships.models import Partner
from partnerships.numbers import format_number
from partnerships.translations import Localized, country_codes

from .conftest import count_queries, make_agreement, make_partner, page_text

pytestmark = pytest.mark.django_db

HTML_TAG = re.compile(r"<html[^>]*>")


def html_tag(response):
    return HTML_TAG.search(response.content.decode()).group()


# -- addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"),
    [("", "en", "ltr"), ("/fr", "fr", "ltr"), ("/ar", "ar", "rtl")],
)
def test_each_language_has_its_prefix_lang_and_direction(client, prefix, lang, direction):
    response = client.get(f"{prefix}/partners/")
    assert response.status_code == 200
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'


def test_french_and_arabic_pages_link_within_their_language(client):
    page = client.get("/fr/").content.decode()
    assert 'href="/fr/partners/"' in page
    assert 'href="/partners/"' not in page
    assert 'href="/ar/agreements/"' in client.get("/ar/").content.decode()


def test_an_english_address_with_the_en_prefix_is_redirected_for_good(client):
    response = client.get("/en/partners/?kind=country")
    assert response.status_code == 301
    assert response["Location"] == "/partners/?kind=country"


def test_a_missing_page_answers_404_in_its_language(client):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert 'lang="fr"' in html_tag(response)


def test_every_page_names_its_other_languages_for_crawlers(client):
    page = client.get("/fr/partners/?kind=country").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page))
    assert alternates == {
        "en": "http://testserver/partners/?kind=country",
        "x-default": "http://testserver/partners/?kind=country",
        "fr": "http://testserver/fr/partners/?kind=country",
        "ar": "http://testserver/ar/partners/?kind=country",
    }


# -- the switcher and the remembered choice -------------------------------------------


def switcher_links(page):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group()
    return re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav), nav


def test_the_switcher_offers_the_other_languages_of_this_page(client):
    links, nav = switcher_links(client.get("/partners/spain/").content.decode())
    assert [lang for _href, lang in links] == ["fr", "ar"]
    assert links[0][0] == "/language/fr/?next=%2Ffr%2Fpartners%2Fspain%2F"
    assert '<span aria-current="true" lang="en">English</span>' in nav
    assert 'hreflang="ar" lang="ar" rel="alternate nofollow">العربية</a>' in nav


def test_choosing_a_language_goes_there_and_is_remembered(client):
    response = client.get("/language/fr/?next=/fr/partners/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/partners/"
    assert response.cookies["language"].value == "fr"
    assert "no-cache" in response["Cache-Control"]
    # An unprefixed address now leads to its French page, query and all.
    again = client.get("/agreements/?status=signed")
    assert again.status_code == 302
    assert again["Location"] == "/fr/agreements/?status=signed"
    assert "Cookie" in again["Vary"]
    # Choosing English stops that.
    client.get("/language/en/?next=/agreements/")
    assert client.get("/agreements/").status_code == 200


def test_the_choice_does_not_redirect_what_has_no_french_page(client):
    client.cookies["language"] = "ar"
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/language/ar/?next=https://elsewhere.example/", "/ar/"),
        ("/language/ar/", "/ar/"),
        ("/language/fr/?next=/ar/timeline/", "/fr/timeline/"),
        ("/language/en/?next=/ar/timeline/?lanes=partner", "/timeline/?lanes=partner"),
    ],
)
def test_the_switcher_goes_only_to_this_site_translating_the_address(client, url, location):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == location


def test_an_unknown_language_is_not_found(client):
    response = client.get("/language/de/?next=/")
    assert response.status_code == 404
    assert "language" not in response.cookies


# -- entries' names in the reader's language -------------------------------------------


def test_a_translated_name_shows_in_its_language_and_english_is_marked_elsewhere(client):
    make_agreement(title="Defense cooperation accord", title_fr="Accord de coopération de défense")
    french = client.get("/fr/agreements/").content.decode()
    assert "Accord de coopération de défense" in french
    arabic = client.get("/ar/agreements/").content.decode()
    assert '<bdi lang="en">Defense cooperation accord</bdi>' in arabic
    english = client.get("/agreements/").content.decode()
    assert "Defense cooperation accord" in english
    assert '<bdi lang="en">' not in english


def test_a_country_is_named_by_the_cldr_in_french_and_arabic(client):
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    with translation.override("fr"):
        assert spain.localized.name == "Espagne"
        assert spain.localized.name.lang == "fr"
    with translation.override("ar"):
        assert spain.localized.name == "إسبانيا"
    with translation.override("en"):
        assert spain.localized.name == "Spain"
    assert "Espagne" in page_text(client.get("/fr/partners/spain/"))


def test_an_editors_name_wins_over_the_cldrs():
    partner = make_partner(country_code="US", name_fr="les États-Unis d’Amérique")
    assert partner.text_in("name", "fr") == "les États-Unis d’Amérique"
    assert partner.text_in("name", "ar") == "الولايات المتحدة"


def test_a_localized_text_marks_itself_only_where_it_is_foreign():
    english = Localized("Spain <b>", "en")
    with translation.override("fr"):
        assert english.__html__() == '<bdi lang="en">Spain &lt;b&gt;</bdi>'
        assert Localized("Espagne", "fr").__html__() == "Espagne"
    with translation.override("en"):
        assert english.__html__() == "Spain &lt;b&gt;"


def test_a_country_code_is_checked(db):
    bad = Partner(name="Atlantis", slug="atlantis", kind=Partner.Kind.COUNTRY, country_code="xq")
    with pytest.raises(ValidationError) as raised:
        bad.full_clean()
    assert "is not an ISO 3166-1 country code" in str(raised.value)
    assert bad.country_code == "XQ"
    alliance = Partner(
        name="Alliance", slug="alliance", kind=Partner.Kind.ORGANIZATION, country_code="ES"
    )
    with pytest.raises(ValidationError) as raised:
        alliance.full_clean()
    assert "Only a country has an ISO country code" in str(raised.value)
    make_partner(country_code="ES")
    twin = Partner(name="Spain 2", slug="spain-2", kind=Partner.Kind.COUNTRY, country_code="ES")
    with pytest.raises(ValidationError) as raised:
        twin.full_clean()
    assert "Another partner has this ISO country code" in str(raised.value)


def test_the_cldr_knows_every_country_code_and_no_region():
    codes = country_codes()
    assert {"MA", "ES", "US", "IL", "FR"} <= set(codes)
    assert "ZZ" not in codes and "001" not in codes


# -- numbers -------------------------------------------------------------------------


def test_numbers_are_written_as_each_language_writes_them():
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(Decimal("3.60"), "fr") == "3,6"
    assert format_number(1200, "fr") == "1\u202f200"
    assert format_number(Decimal("10.4"), "ar") == "10.4"  # Latin digits, as Morocco writes them
    assert format_number(Decimal("1E+3"), "en") == "1,000"


# -- search --------------------------------------------------------------------------


def test_search_finds_an_entry_by_its_french_and_arabic_names(client):
    make_agreement(title="Defense pact", title_fr="Pacte de défense", title_ar="ميثاق الدفاع")
    french = page_text(client.get("/fr/search/?q=Pacte"))
    assert "Pacte de défense" in french
    arabic = page_text(client.get("/ar/search/?q=ميثاق"))
    assert "ميثاق الدفاع" in arabic
    # An English page finds it too, and names it in English.
    assert "Defense pact" in page_text(client.get("/search/?q=Pacte"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_search_stems_words_in_the_pages_language_on_postgresql(client):
    make_agreement(title="Pact", summary_fr="Des exercices militaires conjoints.")
    # "militaire" and "militaires" share the French stem; English stemming would not join them.
    assert "Pact" in page_text(client.get("/fr/search/?q=militaire"))


# -- cost ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/partners/", "/agreements/", "/search/?q=defense"])
def test_a_page_costs_the_same_queries_in_every_language(client, url):
    partner = make_partner(country_code="ES")
    make_agreement(parties=[partner], title="Defense cooperation", title_fr="Coopération")
    english = count_queries(client, url)
    assert count_queries(client, "/fr" + url) == english
    assert count_queries(client, "/ar" + url) == english


def test_an_entry_page_costs_the_same_queries_in_every_language(client):
    partner = make_partner(country_code="ES", name="Spain", slug="spain")
    make_agreement(parties=[partner])
    english = count_queries(client, "/partners/spain/")
    assert count_queries(client, "/fr/partners/spain/") == english
    assert count_queries(client, "/ar/partners/spain/") == english


# -- the admin ---------------------------------------------------------------------


def test_the_admin_names_its_models_and_fields_in_the_editors_language(editor_client):
    agreement = make_agreement(title="Defence pact")

    arabic = page_text(
        editor_client.get(f"/ar/admin/partnerships/agreement/{agreement.pk}/change/")
    )
    french = page_text(editor_client.get("/fr/admin/"))

    assert "تعديل اتفاقية" in arabic  # "Change agreement"
    for label in ("العنوان", "النوع", "الحالة", "الملخص", "العنوان (الفرنسية)"):
        assert f"{label}:" in arabic
    assert "Title:" not in arabic and "Summary:" not in arabic
    assert "Defence pact" in arabic  # the entry's own words stay as written
    for name in ("Partenariats", "Accords", "Exercices", "Sources et citations"):
        assert name in french
    assert "Agreements" not in french
