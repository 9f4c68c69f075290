"""The pictures (the timeline to scale, the network, an indicator's chart) and the
pages around them (home, timeline, network) in French and Arabic: their words, the
entries' names in the page's language, and on Arabic pages the pictures mirrored.

They read the compiled catalogue: run /tmp/i18n/build.py after changing a translation.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from partnerships import network
from partnerships.charts import Point, series_chart
from partnerships.dates import DatePrecision
from partnerships.models import Partner
from sources.models import Source

from .conftest import make_agreement, make_exercise, make_partner, make_procurement, page_text
from .history_factories import START, make_engagement, make_person, new

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LOADER_SUMMARY = "Loaded from fixtures/entries.toml"


@pytest.fixture(autouse=True)
def _english_after():
    """A request to /fr/… or /ar/… leaves its language active in the thread: the tests
    run after these must find English, as they would alone."""
    yield
    translation.activate("en")


def svg_of(response, css_class):
    """The page's <svg class=`css_class`>, parsed: it must be well-formed XML."""
    markup = re.search(
        rf'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}".*?</svg>',
        response.content.decode(),
        re.S,
    ).group(0)
    return ET.fromstring(markup)


def texts(svg, css_class):
    """{text: x} of the <text> elements of `css_class`."""
    return {
        "".join(element.itertext()): float(element.get("x"))
        for element in svg.iter(f"{SVG}text")
        if css_class in element.get("class", "").split()
    }


def year(y, prefix="date"):
    return {prefix: datetime.date(y, 1, 1), f"{prefix}_precision": DatePrecision.YEAR}


@pytest.fixture
def world():
    """Spain (its French and Arabic names from the CLDR), NATO (translated by an editor)
    and a company with only its English name, linked by dated entries 1994–2021."""
    spain = make_partner(name="Spain", slug="spain", country_code="ES")
    nato = make_partner(
        name="North Atlantic Treaty Organization",
        name_fr="Organisation du traité de l’Atlantique nord",
        name_ar="منظمة حلف شمال الأطلسي",
        short_name="NATO",
        slug="nato",
        kind=Partner.Kind.ORGANIZATION,
    )
    company = make_partner(name="Naval Group", slug="naval-group", kind=Partner.Kind.COMPANY)
    make_agreement(parties=[spain], title="Madrid accord", slug="madrid-accord", **year(1994))
    make_agreement(
        parties=[spain, nato],
        title="Defence pact",
        title_fr="Pacte de défense",
        title_ar="ميثاق دفاعي",
        slug="defence-pact",
        **year(2021),
    )
    make_exercise(
        participants=[nato], name="Sea Guardian", slug="sea-guardian", **year(2021, "start_date")
    )
    make_procurement(supplier=spain, manufacturer=company, system="Frigate", slug="frigate")
    person = make_person(name="Jens Stoltenberg", slug="jens-stoltenberg")
    make_engagement(partners=[nato], people=[person], title="NATO talks", slug="nato-talks")
    return {"spain": spain, "nato": nato, "company": company}


# -- the timeline drawn to scale -------------------------------------------------------


def test_the_arabic_timeline_runs_from_right_to_left(client, world):
    english = svg_of(client.get("/timeline/"), "timeline-chart")
    arabic = svg_of(client.get("/ar/timeline/"), "timeline-chart")

    assert (english.get("direction"), arabic.get("direction")) == ("ltr", "rtl")
    years = texts(arabic, "tl-year-label")
    assert years["1994"] > years["2020"]  # the earliest year on the right
    en_years = texts(english, "tl-year-label")
    assert en_years["1994"] < en_years["2020"]
    width = float(arabic.get("viewBox").split()[2])
    for label, x in en_years.items():
        assert years[label] == pytest.approx(width - x, abs=0.1)
    # The lanes' names at the start of the line, on the right; their counts on the left.
    lanes = texts(arabic, "tl-lane-label")
    counts = texts(arabic, "tl-lane-count")
    assert lanes["\u2068الاتفاقيات\u2069"] > width / 2
    assert all(x < width / 2 for x in counts.values())


def test_a_mark_is_drawn_at_the_mirrored_place(client, world):
    def madrid(svg):
        for link in svg.iter(f"{SVG}a"):
            if "Madrid accord" in link.find(f"{SVG}title").text:
                return link.find(f"{SVG}rect")
        raise AssertionError("no mark for the Madrid accord")

    english = madrid(svg_of(client.get("/timeline/"), "timeline-chart"))
    arabic = madrid(svg_of(client.get("/ar/timeline/"), "timeline-chart"))

    x, width = float(english.get("x")), float(english.get("width"))
    assert float(arabic.get("width")) == width
    assert float(arabic.get("x")) == pytest.approx(960 - x - width, abs=0.1)


def test_the_timeline_speaks_french(client, world):
    response = client.get("/fr/timeline/")
    text = page_text(response)
    svg = svg_of(response, "timeline-chart")

    assert svg.get("direction") == "ltr"
    assert "Chronologie" in text and "À l’échelle" in text
    assert "3 événements datés de 1994 à 2021" in text
    assert "Aller à une année" in text
    assert "Lignes : par type · par partenaire" in text
    assert "par type : Accords (2), Exercices (1)." in text  # the caption
    assert "26 ans sans événement daté" in ET.tostring(svg, encoding="unicode")
    titles = [link.find(f"{SVG}title").text for link in svg.iter(f"{SVG}a")]
    assert "2021\u00a0: Pacte de défense (Conclusion d’un accord de coopération)" in titles
    assert "2021\u00a0: Sea Guardian (Tenue de l’exercice)" in titles


def test_the_arabic_timeline_names_its_partner_lanes_in_arabic(client, world):
    response = client.get("/ar/timeline/?lanes=partner")
    svg = svg_of(response, "timeline-chart")
    lanes = [
        element
        for element in svg.iter(f"{SVG}text")
        if "tl-lane-label" in element.get("class", "")
    ]

    assert {lane.text.strip("\u2068\u2069") for lane in lanes} == {
        "إسبانيا",  # the CLDR's name for ES
        "منظمة حلف شمال الأطلسي",  # the editor's
    }
    assert all(lane.get("lang") is None for lane in lanes)  # both in the page's language
    assert 'aria-current="true">حسب الشريك</a>' in response.content.decode()
    assert "حسب الشريك: منظمة حلف شمال الأطلسي (2)، إسبانيا (2)." in page_text(response)


def test_an_english_name_on_an_arabic_picture_says_so_and_keeps_its_direction(client, world):
    svg = svg_of(client.get("/ar/network/"), "network-svg")

    company = next(
        element
        for element in svg.iter(f"{SVG}text")
        if "Naval Group" in "".join(element.itertext())
    )
    assert company.get("lang") == "en"
    assert company.text == "\u2068Naval Group\u2069"  # isolated, as <bdi> is in HTML


def test_the_entries_with_no_year_are_listed_in_arabic(client, world):
    make_procurement(supplier=world["spain"], system="Patrol boat", slug="patrol-boat")

    text = page_text(client.get("/ar/timeline/"))

    assert "خارج المحور، إذ لا سنة مذكورة:" in text
    assert "Patrol boat (لا تاريخ مذكور)" in text


# -- the network -----------------------------------------------------------------------


def test_the_arabic_network_is_mirrored_and_its_labels_anchored_away_from_the_nodes(client, world):
    english = svg_of(client.get("/network/"), "network-svg")
    arabic = svg_of(client.get("/ar/network/"), "network-svg")

    assert (english.get("direction"), arabic.get("direction")) == ("ltr", "rtl")

    def nodes(svg):
        """{href: (the node's x, the label's x, the label's anchor class)}."""
        found = {}
        for link in svg.iter(f"{SVG}a"):
            shape = next(child for child in link if child.tag != f"{SVG}title")
            label = link.find(f"{SVG}text")
            x = shape.get("cx") or shape.get("x") or shape.get("points").split(",")[0]
            anchor = re.search(r"network-label-(start|middle|end)", label.get("class")).group(1)
            found[link.get("href").removeprefix("/ar")] = (float(x), float(label.get("x")), anchor)
        return found

    drawn, mirrored = nodes(english), nodes(arabic)
    assert drawn.keys() == mirrored.keys()
    assert mirrored["/"][0] == pytest.approx(network.WIDTH / 2, abs=0.1)
    for href, (x, label_x, anchor) in mirrored.items():
        english_x = drawn[href][1]
        assert label_x == pytest.approx(network.WIDTH - english_x, abs=0.1)
        # Right of its node, a right-to-left label grows rightwards from its end.
        if label_x > x:
            assert anchor == "end"
        elif label_x < x:
            assert anchor == "start"
    assert any(anchor != "middle" for _, _, anchor in mirrored.values())


def test_the_network_page_speaks_french(client, world):
    response = client.get("/fr/network/")
    content = response.content.decode()
    text = page_text(response)
    svg = svg_of(response, "network-svg")

    assert "Réseau des partenaires" in text
    assert "Représentés : 3 des 3 partenaires et 1 sur 1 personne." in text
    assert svg.find(f"{SVG}title").text == "Réseau des partenaires de défense du Maroc"
    assert svg.find(f"{SVG}desc").text.startswith(
        "Le Maroc au centre, relié à 3 partenaires et 1 personne"
    )
    labels = texts(svg, "network-label")
    assert "Espagne" in labels and "Maroc" in labels
    # An English name falls back, marked as English, in the picture and the table.
    assert '<bdi><bdi lang="en">Naval Group</bdi></bdi>' in content
    assert "De À Relié par Combien" in text
    assert "Acquisitions d’équipement (pays fournisseur ou fabricant)" in text  # the key


def test_the_arabic_network_table_counts_in_arabic(client, world):
    content = client.get("/ar/network/").content.decode()

    assert '<th scope="col">من</th><th scope="col">إلى</th>' in content
    assert "اتفاقيتان بين <bdi>المغرب</bdi> و<bdi>إسبانيا</bdi>، انظر القائمة" in content


def test_a_partners_connections_speak_arabic(client, world):
    response = client.get("/ar/partners/spain/")
    svg = svg_of(response, "network-svg")

    assert '<h2 id="connections-heading">الروابط</h2>' in response.content.decode()
    assert svg.find(f"{SVG}title").text == "روابط إسبانيا"
    assert svg.find(f"{SVG}desc").text.startswith("إسبانيا في المركز، وله روابط مع المغرب")


# -- an indicator's chart --------------------------------------------------------------


def chart_of(language):
    points = [
        Point("2023", 2023.0, Decimal("3.6"), "reported", "3.6 billion USD"),
        Point("2028", 2028.0, Decimal("5.2"), "projection", "5.2 billion USD"),
    ]
    with translation.override(language):
        markup = series_chart(
            points, title="Spending", description="", unit_label="USD", chart_id="spending"
        )
    return ET.fromstring(str(markup))


def test_the_arabic_chart_is_mirrored():
    english, arabic = chart_of("en"), chart_of("ar")

    assert (english.get("direction"), arabic.get("direction")) == ("ltr", "rtl")
    periods = texts(arabic, "chart-period")
    assert periods["2023"] > periods["2028"]
    assert texts(english, "chart-period")["2023"] < texts(english, "chart-period")["2028"]
    ticks = texts(arabic, "chart-tick")
    assert all(x > 300 for x in ticks.values())  # the value axis on the right
    assert set(texts(arabic, "chart-legend-text")) == {"مُبلَّغ عنه", "توقّع"}


def test_the_french_chart_writes_french_numbers_and_words():
    svg = chart_of("fr")

    assert set(texts(svg, "chart-value")) == {"3,6", "5,2"}
    assert set(texts(svg, "chart-legend-text")) == {"Rapporté", "Projection"}
    assert svg.find(f"{SVG}desc").text == (
        "2 valeurs, de 3.6 billion USD en 2023 (rapporté) à 5.2 billion USD en 2028 (projection)."
    )


# -- the home page ---------------------------------------------------------------------


def test_the_home_table_names_partners_and_counts_in_the_pages_language(client, world):
    french = page_text(client.get("/fr/"))
    arabic = client.get("/ar/").content.decode()

    assert "Partenaire Accords Exercices Équipements Échanges Indicateurs Total" in french
    assert "Espagne" in french and "aucun exercice" in french
    assert '<a href="/ar/partners/spain/" dir="auto">إسبانيا</a>' in arabic
    assert (
        '<a href="/ar/partners/naval-group/" dir="auto"><bdi lang="en">Naval Group</bdi></a>'
        in (arabic)
    )
    assert '<span class="tally-noun"> اتفاقيتان</span>' in arabic  # Spain's two


def test_the_latest_changes_count_a_bulk_load_in_the_pages_language(client):
    for n in range(12):
        new(
            Partner,
            START + datetime.timedelta(seconds=n),
            LOADER_SUMMARY,
            name=f"P {n}",
            slug=f"p-{n}",
        )
    for n in range(3):
        new(
            Source,
            START + datetime.timedelta(seconds=20 + n),
            "Loaded from fixtures/sources.toml",
            title=f"Document {n}",
            slug=f"document-{n}",
            kind="news",
            full_text="Text.",
        )

    french = page_text(client.get("/fr/"))
    arabic = page_text(client.get("/ar/"))

    assert "Création de 15 entrées (12 partenaires, 3 sources) par" in french
    assert "إنشاء 15 مُدخلًا (12 شريكًا، 3 مصادر) بواسطة" in arabic


def test_a_save_shown_alone_names_its_type_in_the_pages_language(client):
    new(Partner, START, "Fix", name="Spain", slug="spain")

    assert "Spain (partenaire)" in page_text(client.get("/fr/"))
    assert "Spain (شريك)" in page_text(client.get("/ar/"))


def test_the_home_pages_description_counts_in_arabic(client, world):
    content = client.get("/ar/").content.decode()

    assert '<meta name="description" content="الشراكات الدفاعية للمغرب، وكل معلومة موثّقة: ' in (
        content
    )
    assert "3 شركاء، اتفاقيتان، مناورة واحدة، صفقة معدات واحدة، نشاط واحد" in content
