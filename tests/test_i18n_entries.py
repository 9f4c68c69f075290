"""The entry pages in French and Arabic: their fact boxes, sections, footnotes and
descriptions speak the page's language; entries are named in it where they have a
name in it (an editor's, or a country's from its code) and marked lang="en" where
they do not; summaries likewise; quotes stay in their source's words and language,
marked as such; figures are written as the language writes them.

The words come from the compiled catalogue (locale/, built from /tmp/i18n by
build.py), so these tests read the pages as a reader of each language does."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partnerships import facts as fact_rules
from partnerships.models import Indicator, Partner
from partnerships.templatetags.series import figure, ordinal
from sources.models import Citation

from .conftest import (
    QUOTE,
    count_queries,
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


@pytest.fixture
def entries():
    """One entry of each type, linked to Spain (named from its code in French and
    Arabic) and to an organization with no name but its English one."""
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    nato = make_partner(name="NATO", slug="nato", kind=Partner.Kind.ORGANIZATION)
    agreement = make_agreement(title="Defense pact", slug="pact", parties=[spain, nato])
    make_exercise(name="African Lion", slug="lion", participants=[spain])
    make_procurement(system="Patrol boat", slug="boat", supplier=spain)
    person = make_person(
        name="A minister", slug="minister", positions=[{"title": "Minister", "partner": spain}]
    )
    make_engagement(title="A visit", slug="visit", partners=[spain], people=[person])
    make_indicator(
        name="Defense spending",
        slug="spending",
        partner=spain,
        values=[
            {
                "period": datetime.date(2021, 1, 1),
                "period_precision": "year",
                "value": Decimal("3.6"),
                "basis": "reported",
            }
        ],
    )
    return {"spain": spain, "nato": nato, "agreement": agreement}


# Each entry page, with words of its own page in French and in Arabic: its type, labels
# of its fact box, a section.
PAGES = {
    "/partners/spain/": (
        ["Pays", "Accords (1)", "Exercices (1)", "Personnalités (1)", "Chronologie"],
        ["دولة", "الاتفاقيات (1)", "المناورات (1)", "الشخصيات (1)", "التسلسل الزمني"],
    ),
    "/agreements/pact/": (
        ["Accord", "Conclusion", "En vigueur", "Statut"],
        ["اتفاقية", "الأطراف", "الإبرام", "السريان"],
    ),
    "/exercises/lion/": (
        ["Exercice", "Série", "Lieu", "Domaines"],
        ["مناورة", "السلسلة", "المكان", "المشاركون"],
    ),
    "/equipment/boat/": (
        ["Acquisition d’équipement", "Système", "Fournisseur", "Fabricant", "Quantité"],
        ["صفقة معدات", "المنظومة", "المورّد", "الصانع", "الكمية"],
    ),
    "/people/minister/": (
        ["Personne", "Nom", "Fonctions", "Échanges"],
        ["شخص", "الاسم", "المناصب", "الأنشطة"],
    ),
    "/engagements/visit/": (
        ["Échange", "Partenaires participants", "Personnes participantes"],
        ["نشاط", "الشركاء المشاركون", "الأشخاص المشاركون"],
    ),
    "/indicators/spending/": (
        ["Indicateur", "Sujet", "Valeurs", "Période", "Tel qu’énoncé dans la source"],
        ["مؤشر", "الموضوع", "القيم", "الفترة", "كما ورد في المصدر"],
    ),
}


@pytest.mark.parametrize("url", PAGES)
def test_each_entry_page_speaks_french_and_arabic(client, entries, url):
    french, arabic = PAGES[url]
    for language, words, needed in (
        ("fr", french, "[citation nécessaire]"),
        ("ar", arabic, "[بحاجة إلى استشهاد]"),
    ):
        response = client.get(f"/{language}{url}")

        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.content.decode()
        text = page_text(response)
        for word in [*words, needed]:
            assert word in text, (language, url, word)
        assert "citation needed" not in text and "History of this page" not in text


@pytest.mark.parametrize("url", PAGES)
def test_each_entry_page_reads_its_names_translations_in_the_queries_it_made(client, entries, url):
    # The names' French and Arabic texts come with the rows that name them: a page
    # makes the same queries in every language, and none for each name.
    assert count_queries(client, f"/fr{url}") == count_queries(client, url)
    assert count_queries(client, f"/ar{url}") == count_queries(client, url)


def test_it_names_an_entry_in_french_where_it_is_given_and_marks_english_ones(client, entries):
    agreement = entries["agreement"]
    agreement.title_fr = "Pacte de défense"
    agreement.save()

    french = client.get("/fr/agreements/pact/").content.decode()
    arabic = client.get("/ar/agreements/pact/").content.decode()
    english = client.get("/agreements/pact/").content.decode()

    assert "<h1>Pacte de défense</h1>" in french
    assert "<title>Pacte de défense — " in french
    # Its parties: a country's name from its code, an English name marked as English.
    assert '<a href="/fr/partners/spain/">Espagne</a>' in french
    assert '<a href="/fr/partners/nato/"><bdi lang="en">NATO</bdi></a>' in french
    # No Arabic title: the English one, marked, and kept out of the <title>'s text.
    assert '<h1><bdi lang="en">Defense pact</bdi></h1>' in arabic
    assert "<title>Defense pact — " in arabic
    assert '<a href="/ar/partners/spain/">إسبانيا</a>' in arabic
    # English pages are as they were.
    assert "<h1>Defense pact</h1>" in english
    assert '<a href="/partners/nato/">NATO</a>' in english
    assert "<bdi lang=" not in english


def test_linked_entries_are_named_in_the_pages_language(client, entries):
    entries["nato"].name_fr = "OTAN"
    entries["nato"].save()
    make_procurement(
        system="Radar", slug="radar", supplier=entries["spain"], agreement=entries["agreement"]
    )

    procurement = client.get("/fr/equipment/radar/").content.decode()
    partner = client.get("/fr/partners/spain/").content.decode()
    agreement = client.get("/fr/agreements/pact/").content.decode()

    assert '<a href="/fr/partners/spain/">Espagne</a>' in procurement
    assert '<a href="/fr/agreements/pact/"><bdi lang="en">Defense pact</bdi></a>' in procurement
    # On a partner's page: its latest entries, its people and its own name.
    assert "<h1><bdi>Espagne</bdi></h1>" in partner
    assert '<a href="/fr/exercises/lion/"><bdi lang="en">African Lion</bdi></a>' in partner
    assert '<a href="/fr/people/minister/"><bdi lang="en">A minister</bdi></a>' in partner
    assert "fournisseur\u00a0: Espagne" in partner
    assert '<a href="/fr/partners/nato/">OTAN</a>' in agreement
    assert '<a href="/fr/equipment/radar/"><bdi lang="en">Radar</bdi></a>' in agreement


def test_a_summary_in_english_on_a_french_page_is_marked_english(client):
    agreement = make_agreement(slug="pact", summary="Signed in Rabat.[1]")
    make_citation(agreement)

    french = client.get("/fr/agreements/pact/").content.decode()
    english = client.get("/agreements/pact/").content.decode()

    # (The fact box's marker came first: it is the one the footnote links back to.)
    marker = '<sup class="ref"><a href="#cite-1" aria-label="Source 1">[1]</a></sup>'
    assert f'<div class="summary" lang="en"><p>Signed in Rabat.{marker}</p></div>' in french
    assert f'<div class="summary"><p>Signed in Rabat.{marker}</p></div>' in english

    agreement.summary_fr = "Signé à Rabat.[1]"
    agreement.save()
    french = client.get("/fr/agreements/pact/").content.decode()
    # The French summary, in the page's language, its marker linked the same way.
    assert f'<div class="summary"><p>Signé à Rabat.{marker}</p></div>' in french


def test_quotes_keep_their_sources_words_and_language(client):
    agreement = make_agreement(slug="pact", parties=[make_partner(name="Spain", slug="spain")])
    make_citation(agreement, facts="existence", source=make_source(language="en"))
    arabic_text = "قال الوزير إن التعاون مستمر."
    make_citation(
        agreement,
        quote=arabic_text,
        facts="existence",
        source=make_source(language="ar", full_text=arabic_text),
    )

    arabic = client.get("/ar/agreements/pact/").content.decode()
    english = client.get("/agreements/pact/").content.decode()

    # On an Arabic page the English quote is untranslated and marked English; the
    # Arabic one is in the page's language.
    assert f'<bdi lang="en"><q>{QUOTE}</q></bdi>' in arabic
    assert f"<bdi><q>{arabic_text}</q></bdi>" in arabic
    assert "يذكر: وجود المدخل." in page_text(client.get("/ar/agreements/pact/"))
    # On an English page, the other way round.
    assert f"<bdi><q>{QUOTE}</q></bdi>" in english
    assert f'<bdi lang="ar"><q>{arabic_text}</q></bdi>' in english


def test_a_dispute_quotes_its_sources_in_their_language(client):
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    agreement = make_agreement(slug="pact", parties=[spain])
    make_citation(agreement, facts=f"party:{spain.pk}", stance=Citation.Stance.DISPUTES)

    french = client.get("/fr/agreements/pact/")
    content = french.content.decode()
    text = page_text(french)

    assert f'<q lang="en" dir="auto">{QUOTE}</q>' in content
    assert 'aria-label="Source contestataire 1"' in content
    # (The page's text has its no-break spaces as spaces.)
    assert "Contesté : une source contredit ce que cette entrée indique" in text
    assert f"Conteste : {QUOTE}" in text


def test_an_indicators_figures_are_written_as_each_language_writes_them(client):
    percent = Indicator(measure=Indicator.Measure.PERCENT)
    rank = Indicator(measure=Indicator.Measure.RANK)
    amount = Indicator(measure=Indicator.Measure.AMOUNT, unit="billion", currency="USD")

    with translation.override("fr"):
        assert figure(percent, Decimal("12.5")) == f"12,5{NBSP}%"
        assert [ordinal(n) for n in (1, 2, 3, 22)] == ["1er", "2e", "3e", "22e"]
        assert figure(rank, Decimal("2.5")) == "rang 2,5"
        assert figure(amount, Decimal("1200.5")) == "1\u202f200,5 billion USD"
        assert figure(amount, None) == "inconnu"
    with translation.override("ar"):
        assert ordinal(3) == "المرتبة 3"
        assert figure(percent, Decimal("12.5")) == "12.5%"
    with translation.override("en"):
        assert [ordinal(n) for n in (1, 2, 3, 11, 22)] == ["1st", "2nd", "3rd", "11th", "22nd"]
        assert figure(percent, Decimal("12.5")) == "12.5%"
        assert figure(amount, Decimal("1200.5")) == "1,200.5 billion USD"


def test_an_indicator_page_says_its_values_in_french_and_arabic(client):
    make_indicator(
        name="Arms imports",
        slug="arms",
        measure=Indicator.Measure.RANK,
        unit="",
        currency="",
        values=[
            {"period": None, "value": Decimal("3"), "basis": "reported", "as_stated": "third"}
        ],
    )

    french = page_text(client.get("/fr/indicators/arms/"))
    arabic = page_text(client.get("/ar/indicators/arms/"))

    assert "Un rang est une place dans un classement" in french
    assert "année non précisée 3e[citation nécessaire] « third »" in french
    assert "(rang)" in french
    assert "المرتبة 3" in arabic and "«third»" in arabic


def test_a_partners_page_counts_its_entries_in_each_languages_words(client):
    spain = make_partner(name="Spain", slug="spain", country_code="ES", aliases="Kingdom of Spain")
    for _ in range(12):
        make_agreement(parties=[spain])

    french = client.get("/fr/partners/spain/")
    arabic = client.get("/ar/partners/spain/")

    assert "Les 10 derniers, du plus récent au plus ancien." in page_text(french)
    assert "Les 12 accords avec Espagne" in page_text(french)
    assert '<a href="/fr/agreements/?partner=spain">' in french.content.decode()
    assert "جميع الاتفاقيات مع إسبانيا (12)" in page_text(arabic)
    # Its other names are English only: marked as such.
    assert '<dd><bdi lang="en">Kingdom of Spain</bdi>' in french.content.decode()


def test_descriptions_keep_frances_no_break_spaces(client):
    make_exercise(name="African Lion", slug="lion", participants=[make_partner(name="Spain")])

    content = client.get("/fr/exercises/lion/").content.decode()

    description = re.search(r'<meta name="description" content="([^"]*)"', content).group(1)
    assert description.startswith(f"African Lion{NBSP}: exercice militaire conjoint")


def test_fact_labels_and_their_problems_are_in_the_pages_language():
    with translation.override("fr"):
        assert fact_rules.label("agreement", "date") == "date de conclusion"
        assert fact_rules.label("agreement", "party:12", {("partner", 12): "Espagne"}) == (
            f"partie{NBSP}: Espagne"
        )
        assert fact_rules.label("agreement", "party:13") == (
            f"partie{NBSP}: un partenaire qui n’est plus lié"
        )
        assert fact_rules.problems("agreement", ["quantity"], None) == [
            f"«{NBSP}quantity{NBSP}» n’est pas un fait de ce type d’entrée."
        ]
    with translation.override("ar"):
        assert fact_rules.label("engagement", "place") == "المكان"
    with translation.override("en"):
        assert fact_rules.label("agreement", "party:13") == "party: a partner no longer linked"


def test_a_citations_validation_speaks_french():
    agreement = make_agreement(parties=[make_partner()])
    citation = Citation(agreement=agreement, source=make_source(), quote=QUOTE, facts="quantity")

    with translation.override("fr"), pytest.raises(ValidationError) as error:
        citation.full_clean()

    assert (
        f"«{NBSP}quantity{NBSP}» n’est pas un fait de ce type d’entrée."
        in (error.value.message_dict["facts"])
    )
