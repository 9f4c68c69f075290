"""A source's page, the entries' choices and the models' messages in French and Arabic.

The page's own words (its headings, labels, counts, the notes linking a passage to
the entries citing it, the folded page furniture) speak the page's language; the
source's title and text never change, and carry the source's language (and its
direction where that is not the page's). Validation messages and choice labels
speak the language in use.

The words come from the compiled catalogue (locale/, built from /tmp/i18n by
build.py), so these tests read the pages as a reader of each language does."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from partnerships.history.registry import entry_types
from partnerships.models import (
    Agreement,
    Indicator,
    IndicatorValue,
    Partner,
    Procurement,
    choice_label,
    number_text,
)
from sources.models import Citation, Source

from .conftest import (
    QUOTE,
    SOURCE_TEXT,
    make_agreement,
    make_citation,
    make_partner,
    make_source,
    page_text,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ARABIC_TEXT = "تتحدث القوات المسلحة الملكية عن تحديث سريع.\n\nوقال مسؤولون إن الصفقة كبيرة.\n"
ARABIC_QUOTE = "تتحدث القوات المسلحة الملكية عن تحديث سريع."


@pytest.fixture(autouse=True)
def _english_after(db):
    """The test client leaves the language of its last request active: back to English,
    as the other modules expect it."""
    yield
    translation.deactivate()


def squeezed(content):
    """`content` with its runs of spaces and line breaks (not its no-break spaces) as one space."""
    return re.sub("[ \n]+", " ", content)


def page(client, language, source):
    return client.get(f"/{language}/sources/{source.slug}/").content.decode()


def cited_source(**overrides):
    """An English source cited by Spain (named in French and Arabic by the CLDR) and,
    disputing it, by an agreement with no French or Arabic title."""
    source = make_source(reliability_note="A think tank's reading.", **overrides)
    make_citation(make_partner(name="Spain", country_code="ES"), source=source)
    deal = make_agreement(title="Defense accord")
    make_citation(deal, source=source, stance=Citation.Stance.DISPUTES)
    return source, deal


def test_it_speaks_french_around_an_english_text_it_leaves_as_it_is(client):
    source, deal = cited_source()

    content = page(client, "fr", source)

    text = squeezed(content)
    for words in (
        "Article de presse",
        "<dt>Éditeur</dt>",
        "<dt>Langue</dt><dd>anglais</dd>",
        "<dt>Citée</dt><dd>2 fois</dd>",
        "Note du vérificateur sur la fiabilité",
        "Passages cités",
        "Texte intégral",
        "Tel que publié, en anglais.",
    ):
        assert words in text
    # The title and the text as the source has them, marked as English.
    assert f'<h1 lang="en">{source.title}</h1>' in content
    assert '<div class="source-text" lang="en">' in content
    assert QUOTE in content
    assert "drew thousands of<br>troops from many countries." in content
    # The notes in French within the English text; Spain by its French name, the
    # agreement by its English title, marked as English.
    assert 'lang="fr" href="/fr/partners/' in content
    assert ">cité par <bdi>Espagne</bdi>, note 1</a>" in content
    assert (
        f'<a class="cited-by dispute" lang="fr" href="/fr/agreements/{deal.slug}/#cite-1">'
        in content
    )
    assert f'conteste <bdi lang="en">{deal.title}</bdi>, note 1</a>' in content
    # The index of passages: the quote in French quotation marks, marked as English.
    assert f'«{NBSP}<bdi lang="en">{QUOTE}</bdi>{NBSP}»' in content
    assert f"<bdi>Espagne</bdi></a>, note 1{NBSP}; " in content
    assert '<strong class="dispute-label">conteste</strong>' in content


def test_it_speaks_arabic_around_an_english_text_set_left_to_right(client):
    source, deal = cited_source()

    content = page(client, "ar", source)

    text = squeezed(content)
    for words in (
        "تقرير إخباري",
        "<dt>الناشر</dt>",
        "<dd>مرتان</dd>",
        "المقاطع المستشهد بها",
        "النص الكامل",
    ):
        assert words in text
    assert "كما نُشر، باللغة الإنجليزية." in text
    # English read left to right on a right-to-left page.
    assert f'<h1 lang="en" dir="ltr">{source.title}</h1>' in content
    assert '<div class="source-text" lang="en" dir="ltr">' in content
    assert QUOTE in content
    # Its Arabic notes right to left within it.
    assert '<a class="cited-by" lang="ar" dir="rtl" href="/ar/partners/' in content
    assert "مستشهد به في <bdi>إسبانيا</bdi>، الحاشية 1</a>" in content
    assert f'يعترض على <bdi lang="en">{deal.title}</bdi>، الحاشية 1</a>' in content
    assert f'«<bdi lang="en">{QUOTE}</bdi>»' in content


def test_an_arabic_text_is_marked_arabic_and_right_to_left_on_english_and_french_pages(client):
    source = make_source(title="ما هي استراتيجية الناتو؟", language="ar", full_text=ARABIC_TEXT)
    make_citation(make_partner(name="Spain", country_code="ES"), source=source, quote=ARABIC_QUOTE)

    english = client.get(f"/sources/{source.slug}/").content.decode()
    french = page(client, "fr", source)
    arabic = page(client, "ar", source)

    for content in (english, french):
        assert '<h1 lang="ar" dir="auto">ما هي استراتيجية الناتو؟</h1>' in content
        assert '<div class="source-text" lang="ar" dir="rtl">' in content
        assert ARABIC_QUOTE in content
    assert '<a class="cited-by" lang="en" dir="ltr" href="/partners/' in english
    assert "As published in Arabic." in page_text(client.get(f"/sources/{source.slug}/"))
    assert "Tel que publié, en arabe." in squeezed(french)
    assert '<a class="cited-by" lang="fr" dir="ltr" href="/fr/partners/' in french
    # On an Arabic page an Arabic text is the page's own: nothing to mark.
    assert '<h1 dir="auto">ما هي استراتيجية الناتو؟</h1>' in arabic
    assert '<div class="source-text">' in arabic
    assert '<a class="cited-by" href="/ar/partners/' in arabic
    assert f"«<bdi>{ARABIC_QUOTE}</bdi>»" in arabic
    assert "كما نُشر." in arabic


def test_a_french_text_on_a_french_page_is_not_marked(client):
    source = make_source(title="Les alliances du Maroc", language=Source.Language.FRENCH)

    content = page(client, "fr", source)

    assert "<h1>Les alliances du Maroc</h1>" in content
    assert '<div class="source-text">' in content
    assert "Tel que publié." in content
    assert "<dt>Langue</dt><dd>français</dd>" in content


def test_the_folded_furniture_and_a_lost_quote_are_told_in_the_pages_language(client):
    source = make_source(full_text=SOURCE_TEXT + "\n0 comments\n")
    citation = make_citation(make_partner(name="Spain", country_code="ES"), source=source)
    Source.objects.filter(pk=source.pk).update(
        full_text="Entirely different words.\n\n0 comments\n"
    )

    french = page(client, "fr", source)
    arabic = page(client, "ar", source)

    assert '<summary lang="fr">Éléments de la page web d’origine (1 ligne)</summary>' in french
    assert '<summary lang="ar" dir="rtl">عناصر صفحة الويب الأصلية (سطر واحد)</summary>' in arabic
    text = squeezed(french)
    assert (
        f"1 citation de cette source cite un texte qui n’y figure plus{NBSP}; "
        f"un contributeur doit la corriger{NBSP}:" in text
    )
    assert f'dans <a href="/fr/partners/{citation.partner.slug}/"><bdi>Espagne</bdi></a>.' in text
    assert "استشهاد واحد من هذا المصدر يقتبس نصًّا لم يعد فيه" in arabic


def test_its_counts_are_written_as_the_page_writes_numbers(client, monkeypatch):
    monkeypatch.setattr("sources.views.CITATIONS_MARKED", 3)
    source = make_source()
    nato = make_partner(name="NATO", kind=Partner.Kind.ORGANIZATION)
    for _ in range(12):
        make_citation(nato, source=source)

    french = squeezed(page(client, "fr", source))
    arabic = squeezed(page(client, "ar", source))

    assert f"<dd>12 fois{NBSP}; 3 de ces citations sont signalées ci-dessous" in french
    assert "<dd>12 مرة؛ 3 منها مُعلَّمة أدناه" in arabic


def test_a_french_page_names_the_citing_entries_in_a_query_per_type(client):
    source = make_source()
    make_citation(make_partner(name="Spain", country_code="ES"), source=source)
    make_citation(make_agreement(title="Accord", title_fr="L’accord"), source=source)
    url = f"/fr/sources/{source.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(20):
        make_citation(make_partner(name=f"Land {number}"), source=source)
        make_citation(make_agreement(title=f"Deal {number}"), source=source)

    with CaptureQueriesContext(connection) as many:
        content = client.get(url).content.decode()

    assert len(many) == len(few)
    assert "<bdi>L’accord</bdi>" in content
    assert '<bdi lang="en">Deal 19</bdi>' in content


# -- models -------------------------------------------------------------------


def messages_of(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return " ".join(
        message for messages in raised.value.message_dict.values() for message in messages
    )


def test_validation_messages_speak_french():
    make_partner(country_code="ES")
    with translation.override("fr"):
        code = messages_of(
            Partner(name="Atlantis", slug="atlantis", kind="country", country_code="xq")
        )
        twin = messages_of(
            Partner(name="Spain 2", slug="spain-2", kind="country", country_code="ES")
        )
        alliance = messages_of(
            Partner(name="Alliance", slug="alliance", kind="organization", country_code="FR")
        )
        deal = messages_of(
            Procurement(
                system="Radar",
                slug="radar",
                category="air_defense",
                supplier=make_partner(),
                quantity=-1,
                value_amount=Decimal("5"),
            )
        )
        rank = messages_of(
            Indicator(name="Rank", slug="rank", subject="Morocco", measure="rank", unit="billion")
        )
        source = make_source()
        quote = messages_of(
            Citation(source=source, partner=make_partner(), quote="Words nowhere in the text.")
        )
        strays = messages_of(
            Source(title="T", slug="t", kind="news", full_text="A.", furniture="B")
        )

    assert f"«{NBSP}XQ{NBSP}» n’est pas un code pays ISO 3166-1" in code
    assert "Un autre partenaire a déjà ce code pays ISO." in twin
    assert "Seul un pays a un code pays ISO" in alliance
    assert "Une quantité ne peut pas être négative" in deal
    assert "Précisez la devise de la valeur." in deal
    assert "Un rang n’a pas d’unité" in rank
    assert f"Cet extrait ne figure pas dans «{NBSP}{source.title}{NBSP}»." in quote
    assert f"1 de ces lignes ne fait pas partie du texte{NBSP}: «{NBSP}B{NBSP}»." in strays


def test_a_constraints_message_speaks_the_language_in_use():
    partner = make_partner()
    with translation.override("ar"):
        country = Partner(name="Country", slug="country", kind="country", parent=partner)
        with pytest.raises(ValidationError) as raised:
            country.validate_constraints()

    assert "لا يكون البلد الأم إلا للشركة." in str(raised.value)


def test_choice_labels_speak_arabic():
    agreement = Agreement(kind=Agreement.Kind.TREATY, status=Agreement.Status.SIGNED)
    with translation.override("ar"):
        assert agreement.get_kind_display() == "معاهدة"
        assert choice_label(Agreement.Status, "signed") == "موقّعة"
        assert choice_label(Procurement.Status, "delivered") == "سُلِّمت"
        assert choice_label(Source.Language, "en") == "الإنجليزية"
        assert entry_types.by_name("agreement").title == "الاتفاقيات"
    assert agreement.get_kind_display() == "Treaty"
    assert choice_label(Agreement.Status, "signed") == "Signed"


def test_values_are_written_as_the_language_writes_numbers():
    deal = Agreement(value_amount=Decimal("1200.50"), value_currency="USD")
    whole = Agreement(value_amount=Decimal("3600000000.00"), value_currency="EUR")
    value = IndicatorValue(value=Decimal("3.6000"), basis=IndicatorValue.Basis.ESTIMATE)

    assert deal.value_display == "1,200.50 USD"
    assert whole.value_display == "3,600,000,000 EUR"
    assert number_text(Decimal("1200.0000")) == "1,200"
    assert str(value) == "year not stated: 3.6 (estimate)"
    with translation.override("fr"):
        assert deal.value_display == "1\u202f200,50 USD"
        assert number_text(Decimal("3.6000")) == "3,6"
        assert str(value) == f"année non précisée{NBSP}: 3,6 (estimation)"
    with translation.override("ar"):
        assert str(value) == "السنة غير مذكورة: 3.6 (تقدير)"
