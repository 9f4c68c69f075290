"""The public lists: filters in the URL, sortable columns, pagination, bad input and
query counts that do not grow with the rows shown."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.dates import DatePrecision
from partnerships.filters import PartnerListFilter
from partnerships.lists.pages import PER_PAGE
from partnerships.models import Agreement, Exercise, ExerciseParticipant, LinkedPartner
from partnerships.views import AGREEMENTS, EXERCISES, PARTNERS, PROCUREMENTS
from sources.views import SOURCES

from .conftest import (
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    page_text,
)

pytestmark = pytest.mark.django_db

MANY = 50
LISTS = ["/partners/", "/agreements/", "/exercises/", "/equipment/", "/sources/"]


def year(value):
    return {"date": datetime.date(value, 1, 1), "date_precision": DatePrecision.YEAR}


def rows(response):
    """The linked first cell of each row, in order."""
    return [str(item) for item in response.context["rows"]]


# -- filters ---------------------------------------------------------------------------


def test_it_filters_agreements_by_partner_kind_status_years_value_and_text(client):
    israel, spain = make_partner(name="Israel", slug="israel"), make_partner(name="Spain")
    hermes = make_agreement(title="Hermes drones", parties=[israel], **year(2021))
    make_agreement(
        title="$500 million deal",
        parties=[israel],
        value_amount=Decimal("500000000"),
        value_currency="USD",
        status="signed",
        **year(2022),
    )
    make_agreement(title="Border security", parties=[spain], kind="memorandum", **year(2019))

    def titles(query):
        response = client.get(f"/agreements/?{query}")
        assert response.status_code == 200, response.content
        return rows(response)

    assert titles("partner=israel") == ["$500 million deal", "Hermes drones"]
    assert titles("kind=memorandum") == ["Border security"]
    assert titles("status=signed") == ["$500 million deal"]
    assert titles("year_from=2020&year_to=2021") == ["Hermes drones"]
    assert titles("value=known") == ["$500 million deal"]
    assert titles("value=unknown&partner=israel") == ["Hermes drones"]
    assert titles("q=HERMES+drones") == [str(hermes)]
    assert titles("q=hermes+security") == []


def test_it_filters_exercises_by_domain_partner_and_year(client):
    nato = make_partner(name="NATO", slug="nato", kind="organization")
    jackal = make_exercise(
        name="Steadfast Jackal",
        domains=["land", "air"],
        start_date=datetime.date(2023, 12, 1),
        start_date_precision=DatePrecision.MONTH,
    )
    ExerciseParticipant.objects.create(exercise=jackal, partner=nato, role="organizer")
    make_exercise(
        name="Sea Guardian",
        domains=["sea"],
        start_date=datetime.date(2023, 1, 1),
        start_date_precision=DatePrecision.YEAR,
    )
    make_exercise(name="African Lion", domains=["special_operations"])

    def names(query):
        return rows(client.get(f"/exercises/?{query}"))

    assert names("domain=air") == ["Steadfast Jackal"]
    assert names("domain=sea") == ["Sea Guardian"]
    assert names("domain=special_operations") == ["African Lion"]
    assert names("partner=nato") == ["Steadfast Jackal"]
    assert names("year_from=2023&year_to=2023") == ["Steadfast Jackal", "Sea Guardian"]
    assert names("q=jackal") == ["Steadfast Jackal"]


def test_it_filters_equipment_by_supplier_or_maker_category_status_and_value(client):
    israel = make_partner(name="Israel", slug="israel")
    iai = make_partner(name="IAI", slug="iai", kind="company", parent=israel)
    make_procurement(system="Barak MX", supplier=israel, manufacturer=iai)
    make_procurement(
        system="F-16",
        supplier=make_partner(name="United States"),
        category="combat_aircraft",
        status="delivered",
        value_amount=Decimal("1000"),
        value_currency="USD",
        order_date=datetime.date(2019, 1, 1),
        order_date_precision=DatePrecision.YEAR,
    )

    def systems(query):
        return rows(client.get(f"/equipment/?{query}"))

    assert systems("partner=israel") == ["Barak MX"]
    assert systems("partner=iai") == ["Barak MX"]
    assert systems("category=combat_aircraft") == ["F-16"]
    assert systems("status=delivered&value=known&year_from=2019") == ["F-16"]
    assert systems("value=unknown") == ["Barak MX"]


def test_it_filters_partners_by_kind_involvement_and_alias(client):
    israel = make_partner(name="Israel", aliases="State of Israel")
    make_agreement(parties=[israel])
    nato = make_partner(name="North Atlantic Treaty Organization", short_name="NATO")
    ExerciseParticipant.objects.create(exercise=make_exercise(), partner=nato)
    make_partner(name="IAI", kind="company", parent=israel)

    def names(query):
        return rows(client.get(f"/partners/?{query}"))

    assert names("q=state+of") == ["Israel"]
    assert names("q=nato") == ["North Atlantic Treaty Organization"]
    assert names("kind=company") == ["IAI"]
    assert names("has_agreements=yes") == ["Israel"]
    assert names("has_exercises=yes") == ["North Atlantic Treaty Organization"]
    assert names("has_agreements=no&has_exercises=no") == ["IAI"]
    assert names("has_equipment=no") == ["IAI", "Israel", "North Atlantic Treaty Organization"]


def test_it_filters_sources_by_kind_publisher_language_and_year(client):
    make_source(title="NATO strategy", kind="analysis", publisher="Future Center", language="ar")
    make_source(
        title="US partnership",
        publisher="Atalayar",
        publication_date=datetime.date(2024, 4, 12),
        publication_date_precision=DatePrecision.DAY,
    )

    def titles(query):
        return rows(client.get(f"/sources/?{query}"))

    assert titles("kind=analysis") == ["NATO strategy"]
    assert titles("publisher=Atalayar") == ["US partnership"]
    assert titles("language=ar") == ["NATO strategy"]
    assert titles("year_from=2024") == ["US partnership"]


def test_it_counts_and_shares_the_filtered_view(client):
    israel = make_partner(name="Israel", slug="israel")
    make_agreement(parties=[israel])
    make_agreement()

    response = client.get("/agreements/?partner=israel")

    text = page_text(response)
    assert "1 result matching the filters" in text
    content = response.content.decode()
    # The form shows the chosen filter, so the shared URL reopens the same view.
    assert '<input type="text" name="partner" value="israel"' in content
    assert 'href="/agreements/?partner=israel&amp;format=csv"' in content
    assert 'href="/agreements/?partner=israel&amp;format=json"' in content


@pytest.mark.parametrize("url", LISTS)
def test_it_says_when_nothing_matches_and_how_to_see_everything(client, url):
    make_partner(name="Israel", slug="israel")  # partners, so that there is one to filter by

    response = client.get(url + "?q=nothing-has-this-word")

    assert response.status_code == 200
    text = page_text(response)
    assert "0 results matching the filters" in text
    assert "Nothing matches these filters. Clear all filters to see every entry." in text
    assert f'<a href="{url}">Clear all filters</a>' in response.content.decode()
    assert "Download" not in text  # nothing to download
    assert "No results shown" not in text


@pytest.mark.parametrize(
    "url, said",
    [
        ("/agreements/", "There are no agreements yet."),
        ("/exercises/", "There are no exercises yet."),
        ("/equipment/", "There are no equipment deals yet."),
        ("/sources/", "There are no sources yet."),
    ],
)
def test_it_says_when_a_list_is_empty(client, url, said):
    text = page_text(client.get(url))

    assert "0 results" in text
    assert said in text
    assert "Nothing matches these filters" not in text


# -- on a phone: labelled cells, the folded filters, the page's description -----------

ALL_LISTS = [*LISTS[:-1], "/people/", "/engagements/", "/indicators/"]


def cells(content):
    """[(data-label, cell)] of each <td> of the page, in order."""
    return re.findall(r'<td data-label="([^"]*)"', content)


def test_each_cell_of_a_row_is_labelled_with_its_column(client):
    make_procurement(system="Barak MX")

    response = client.get("/equipment/")

    content = response.content.decode()
    labels = [column.label for column in PROCUREMENTS.columns]
    # The first column heads the row; each other cell says which column it is in.
    assert cells(content) == labels[1:]
    assert content.count('<th scope="row">') == 1
    assert '<td data-label="Quantity" class="num">' in content
    assert '<table class="list cards">' in content


@pytest.mark.parametrize("url", ALL_LISTS)
def test_every_lists_cells_are_labelled(client, url):
    make_agreement(parties=[make_partner()])
    make_exercise()
    make_procurement()

    content = client.get(url).content.decode()

    if "<tbody>" in content and "<td" in content:
        assert content.count("<td") == content.count("<td data-label="), url


def test_a_name_is_isolated_from_the_english_around_it(client):
    make_agreement(title="اتفاقية التعاون", parties=[make_partner(name="المغرب")])

    content = client.get("/agreements/").content.decode()

    assert 'dir="auto">اتفاقية التعاون</a>' in content
    assert 'dir="auto">المغرب</a>' in content


def test_the_filters_fold_behind_a_filters_box(client):
    content = client.get("/agreements/").content.decode()

    # A checkbox and its label: folded on a phone, with no script (site.css).
    assert '<input type="checkbox" id="filters-shown" class="fold-toggle">' in content
    assert '<label for="filters-shown" class="fold-control">Filters</label>' in content
    # It comes before the form it folds.
    assert content.index('id="filters-shown"') < content.index(
        '<form method="get" class="filters"'
    )
    assert 'id="filters-active"' not in content


def test_the_folded_filters_say_which_are_active(client):
    make_partner(name="Israel", slug="israel")

    response = client.get("/agreements/?partner=israel&status=signed&sort=-date")

    content = response.content.decode()
    assert 'aria-describedby="filters-active"' in content
    assert '<span class="fold-count">(2 active)</span>' in content
    # Each with its label, a choice by its label and a partner by name; not the sort.
    assert (
        '<p class="filters-active" id="filters-active">Filtered by partner: <bdi>Israel</bdi>; '
        "status: <bdi>Signed</bdi>.</p>"
    ) in content


def test_the_filters_are_open_where_a_value_needs_correcting(client):
    response = client.get("/agreements/?year_from=soon")

    assert response.status_code == 400
    content = response.content.decode()
    assert '<input type="checkbox" id="filters-shown" class="fold-toggle" checked' in content


def test_the_filters_active_escape_what_they_echo(client):
    content = client.get("/agreements/?q=%3Cb%3Ex").content.decode()

    assert "<bdi>&lt;b&gt;x</bdi>" in content
    assert "<b>x" not in content


def meta_description(response):
    found = re.search(r'<meta name="description" content="([^"]*)">', response.content.decode())
    return html.unescape(found[1])


def test_a_lists_description_says_what_it_holds_and_how_many(client):
    make_agreement()
    make_agreement()

    said = meta_description(client.get("/agreements/"))

    assert said.startswith("Agreements in the Morocco defense partnerships wiki: 2 listed. ")
    assert "Treaties, memoranda" in said
    assert len(said) <= 160


def test_a_filtered_lists_description_names_its_filters(client):
    make_partner(name="Israel", slug="israel")

    said = meta_description(client.get('/agreements/?partner=israel&q="><script>'))

    assert said == (
        "Agreements in the Morocco defense partnerships wiki: 0 listed, filtered by "
        'text: "><script>; partner: Israel.'
    )


# -- the partner box -------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/agreements/", "/exercises/", "/equipment/"])
def test_it_offers_a_partner_box_not_a_list_of_every_partner(client, url):
    for number in range(30):
        make_partner(name=f"Unlisted partner {number}")

    response = client.get(url)

    content = response.content.decode()
    assert "Unlisted partner" not in content
    assert '<select name="partner"' not in content
    assert '<label for="id_partner">' in content
    # Suggestions come from a script of the site's own, when JavaScript is on.
    assert 'data-suggest="/partners/suggest.json"' in content
    assert '<script src="/static/js/partner-suggestions.js" defer></script>' in content
    assert finders.find("js/partner-suggestions.js")


@pytest.mark.parametrize(
    "typed",
    [
        "NATO",
        "nato",
        "North Atlantic Treaty Organization",
        "north atlantic TREATY organization",
        "Atlantic Alliance",
        "  otan ",
        "NORTH-ATLANTIC-TREATY-ORGANIZATION",
    ],
)
def test_it_takes_a_partner_by_name_short_name_alias_or_slug_and_addresses_it_by_slug(
    client, typed
):
    nato = make_partner(
        name="North Atlantic Treaty Organization",
        slug="north-atlantic-treaty-organization",
        short_name="NATO",
        aliases="Atlantic Alliance\r\nOTAN",
        kind="organization",
    )
    make_exercise(name="Steadfast Jackal", participants=[nato])
    make_exercise(name="Sea Guardian")

    response = client.get("/exercises/", {"partner": typed, "sort": "name"})

    assert response.status_code == 302
    assert response["Location"] == (
        "/exercises/?sort=name&partner=north-atlantic-treaty-organization"
    )
    assert rows(client.get(response["Location"])) == ["Steadfast Jackal"]


def test_it_keeps_an_export_of_a_named_partner_an_export(client):
    make_partner(name="Israel", slug="israel")

    response = client.get("/agreements/", {"partner": "Israel", "format": "csv"})

    assert response.status_code == 302
    assert response["Location"] == "/agreements/?format=csv&partner=israel"


def test_it_drops_an_empty_partner_from_the_address(client):
    response = client.get("/agreements/", {"partner": "   ", "kind": "treaty"})

    assert response.status_code == 302
    assert response["Location"] == "/agreements/?kind=treaty"


@pytest.mark.parametrize("typed", ["Isra", "%", "_srael", "Israel%", ".*", "(^|\n)Israel"])
def test_it_matches_a_whole_name_not_a_part_or_a_pattern(client, typed):
    make_partner(name="Israel", slug="israel", aliases="State of Israel")

    response = client.get("/agreements/", {"partner": typed})

    assert response.status_code == 400
    assert "There is no partner with this name in the wiki." in page_text(response)
    assert 'aria-describedby="id_partner_error"' in response.content.decode()


def test_it_asks_which_partner_when_a_name_is_shared(client):
    make_partner(name="Thales", slug="thales-france", kind="company")
    make_partner(name="Thales", slug="thales-uk", kind="company")

    response = client.get("/equipment/", {"partner": "thales"})

    assert response.status_code == 400
    assert "Several partners go by this name" in page_text(response)
    assert client.get("/equipment/", {"partner": "thales-uk"}).status_code == 200


# -- sorting and pages -------------------------------------------------------------------


def select_html(response, name):
    html = response.content.decode()
    start = html.index(f'<select name="{name}"')
    return html[start : html.index("</select>", start) + len("</select>")]


def test_it_draws_a_choice_box_the_same_each_time_it_shows_a_value(client):
    first = client.get("/agreements/", {"status": "in_force"})
    again = client.get("/agreements/", {"status": "in_force"})
    other = client.get("/agreements/", {"status": "expired"})

    box = select_html(first, "status")
    assert box == select_html(again, "status")
    assert '<option value="in_force" selected>' in box
    assert '<option value="expired" selected>' in select_html(other, "status")
    assert "selected" not in select_html(other, "status").replace(
        '<option value="expired" selected>', ""
    )


def test_it_draws_a_choice_box_with_an_invalid_value_with_its_message(client):
    client.get("/agreements/", {"status": "in_force"})

    response = client.get("/agreements/", {"status": "nonsense"})

    assert response.status_code == 400
    box = select_html(response, "status")
    assert 'aria-invalid="true"' in box and "selected" not in box
    assert 'aria-invalid="true"' not in select_html(
        client.get("/agreements/", {"status": "in_force"}), "status"
    )


def test_it_draws_a_choice_box_again_when_its_options_change(client):
    make_source(publisher="Hespress")
    client.get("/sources/", {"kind": "news"})

    make_source(publisher="Le360")
    response = client.get("/sources/", {"kind": "news"})

    assert '<option value="Le360">Le360</option>' in select_html(response, "publisher")


def test_it_sorts_by_a_column_both_ways(client):
    make_agreement(title="Bravo", **year(2021))
    make_agreement(title="Alpha", **year(2023))
    make_agreement(title="Charlie")

    assert rows(client.get("/agreements/")) == ["Alpha", "Bravo", "Charlie"]
    assert rows(client.get("/agreements/?sort=title")) == ["Alpha", "Bravo", "Charlie"]
    assert rows(client.get("/agreements/?sort=-title")) == ["Charlie", "Bravo", "Alpha"]

    response = client.get("/agreements/?sort=title")
    content = response.content.decode()
    # The sorted column says so, and its link reverses the order.
    assert '<th scope="col" aria-sort="ascending"><a href="/agreements/?sort=-title">' in content
    assert '<a href="/agreements/?sort=date">Concluded' in content


def test_it_pages_through_a_long_list_keeping_the_filters(client):
    israel = make_partner(name="Israel", slug="israel")
    for number in range(PER_PAGE + 3):
        make_agreement(title=f"Agreement {number:02}", parties=[israel])

    first = client.get("/agreements/?partner=israel&sort=title")
    second = client.get("/agreements/?partner=israel&sort=title&page=2")

    assert len(rows(first)) == PER_PAGE
    assert rows(second) == [f"Agreement {number:02}" for number in range(PER_PAGE, PER_PAGE + 3)]
    assert "Page 1 of 2" in page_text(first)
    assert 'href="/agreements/?partner=israel&amp;sort=title&amp;page=2" rel="next"' in (
        first.content.decode()
    )


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 rows, at most 3 of them: 6 rows can be paged through."""
    monkeypatch.setattr("partnerships.lists.pages.PER_PAGE", 2)
    monkeypatch.setattr("partnerships.lists.pages.MAX_PAGES", 3)


def test_it_pages_no_deeper_than_the_cap_and_says_how_to_reach_the_rest(client, small_pages):
    for number in range(7):
        make_agreement(title=f"Agreement {number}")

    with CaptureQueriesContext(connection) as queries:
        first = client.get("/agreements/?sort=title")
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    last = client.get("/agreements/?sort=title&page=3")
    beyond = client.get("/agreements/?sort=title&page=4")

    text = page_text(first)
    assert "More than 6 results" in text
    assert "Page 1 of more than 3" in text
    assert "narrow the filters, or reverse the sort to see the last ones first" in text
    assert "Download all of the more than 6 rows" in text
    # The matches are counted no further than one past the cap.
    (count,) = counts
    assert "LIMIT 7" in count
    assert rows(last) == ["Agreement 4", "Agreement 5"]
    assert 'rel="next"' not in last.content.decode()
    assert beyond.status_code == 400
    assert (
        "Only the first 3 pages of a list can be opened, and page 4 is further: narrow the "
        "filters, or reverse the sort to see the last rows first. Go to the first page."
    ) in page_text(beyond)
    assert rows(client.get("/agreements/?sort=-title"))[0] == "Agreement 6"


def test_it_counts_every_row_up_to_the_cap(client, small_pages):
    for number in range(6):
        make_agreement(title=f"Agreement {number}")

    response = client.get("/agreements/")
    beyond = client.get("/agreements/?page=4")

    text = page_text(response)
    assert "6 results" in text
    assert "More than" not in text
    assert "Page 1 of 3" in text
    assert "There is no page 4 here: this list has 3 pages." in page_text(beyond)


def test_it_counts_only_a_few_pages_past_the_page_shown(client, small_pages, monkeypatch):
    monkeypatch.setattr("partnerships.lists.pages.MAX_PAGES", 10)
    monkeypatch.setattr("partnerships.lists.pages.COUNT_AHEAD", 2)
    for number in range(13):
        make_agreement(title=f"Agreement {number:02}")

    with CaptureQueriesContext(connection) as queries:
        first = client.get("/agreements/?sort=title")
    (count,) = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    fourth = client.get("/agreements/?sort=title&page=4")
    last = client.get("/agreements/?sort=title&page=7")

    # Page 1 counts three pages' worth and one more row: "more than 6", and on it goes.
    assert "LIMIT 7" in count
    text = page_text(first)
    assert "More than 6 results" in text
    assert "Page 1 of more than 3" in text
    assert "Download all of the more than 6 rows" in text
    # Not the note for a list too long to page through: every page can be reached.
    assert "are paged through here" not in text
    assert 'href="/agreements/?sort=title&amp;page=2" rel="next"' in first.content.decode()
    # Deeper pages count further; near the end, every row is counted.
    assert rows(fourth) == ["Agreement 06", "Agreement 07"]
    assert "More than 12 results" in page_text(fourth)
    assert "Page 4 of more than 6" in page_text(fourth)
    assert rows(last) == ["Agreement 12"]
    assert "13 results" in page_text(last)
    assert "Page 7 of 7" in page_text(last)
    assert 'rel="next"' not in last.content.decode()


@pytest.mark.parametrize(
    "kind", [PARTNERS, AGREEMENTS, EXERCISES, PROCUREMENTS, SOURCES], ids=lambda kind: kind.name
)
def test_every_filter_is_labelled_in_words(kind):
    # django-filter labels a filter it cannot trace to a model field "[invalid name]"
    # (a filter with a method of its own): each such filter must say its label.
    labels = {name: str(field.label) for name, field in kind.filterset().form.fields.items()}
    assert all(label and "[" not in label for label in labels.values()), labels


def test_a_filter_of_its_own_kind_shows_its_label(client):
    content = client.get("/exercises/").content.decode()

    assert '<label for="id_domain">Domain</label>' in content
    assert "invalid name" not in content


@pytest.mark.django_db
def test_each_filter_set_has_filters_of_its_own():
    first = PartnerListFilter({"has_agreements": "yes"})
    second = PartnerListFilter({})

    for name, shared in PartnerListFilter.base_filters.items():
        assert first.filters[name] is not second.filters[name] is not shared
        assert first.filters[name].parent is first
    # A filter with a method calls it on its own filter set.
    has_agreements = first.filters["has_agreements"]
    assert has_agreements.filter.f is has_agreements
    assert has_agreements.filter.method == first.filter_has
    assert PartnerListFilter.base_filters["has_agreements"].filter.f is not has_agreements


@pytest.mark.django_db
def test_a_lists_rows_name_their_partners_read_in_one_query(django_assert_num_queries):
    zed, abe = make_partner(name="Zed", slug="zed"), make_partner(name="Abe", slug="abe")
    make_agreement(title="Pact", parties=[zed, abe])
    make_agreement(title="Alone")
    drill = make_exercise(name="Drill", participants=[zed])
    ExerciseParticipant.objects.create(exercise=drill, partner=abe, role="host")

    with django_assert_num_queries(2):
        agreements = {a.title: a.linked_partners for a in Agreement.objects.for_list()}
    with django_assert_num_queries(2):
        (exercise,) = Exercise.objects.for_list()[:1]

    # As agreement.parties.all() and exercise.participations.all() order them: by name.
    assert agreements == {
        "Pact": [LinkedPartner("Abe", "abe"), LinkedPartner("Zed", "zed")],
        "Alone": [],
    }
    assert exercise.linked_partners == [
        LinkedPartner("Abe", "abe", "host"),
        LinkedPartner("Zed", "zed", "participant"),
    ]
    assert exercise.linked_partners[0].get_absolute_url() == "/partners/abe/"
    # Counted, or read as values, a list's queryset reads no links.
    with django_assert_num_queries(1):
        assert Agreement.objects.for_list().count() == 2
    with django_assert_num_queries(1):
        assert len(Agreement.objects.for_list().values_list("pk")) == 2


# -- bad input ----------------------------------------------------------------------------

# Values a visitor can type into any parameter: letters where a year goes, a name that
# is not in the wiki, markup, a huge string, a NUL byte, a negative or absurd number.
GARBAGE = [
    "abc",
    "no-such-partner",
    "<script>alert(1)</script>",
    "x" * 5000,
    "\x00",
    "nul\x00byte",
    "-1",
    "99999999999999999999",
    "2024.5",
    "′ OR 1=1 --",
    "ﷺ🙂",
]

FILTERS = {
    "/partners/": ["q", "kind", "has_agreements", "has_exercises", "has_equipment", "sort"],
    "/agreements/": ["q", "partner", "kind", "status", "year_from", "year_to", "value", "sort"],
    "/exercises/": ["q", "partner", "domain", "year_from", "year_to", "sort"],
    "/equipment/": [
        "q",
        "partner",
        "category",
        "status",
        "year_from",
        "year_to",
        "value",
        "sort",
    ],
    "/sources/": ["q", "kind", "publisher", "language", "year_from", "year_to", "sort"],
}
PARAMETERS = [
    (url, name)
    for url, names in FILTERS.items()
    for name in [*names, "page", "format", "unknown_parameter"]
]


@pytest.fixture
def some_of_everything():
    partner = make_partner(slug="israel")
    make_citation(make_agreement(parties=[partner]))
    make_citation(make_exercise(participants=[partner]))
    make_citation(make_procurement(supplier=partner))


@pytest.mark.parametrize(("url", "name"), PARAMETERS)
def test_it_answers_garbage_in_every_parameter_without_an_error(
    client, some_of_everything, url, name
):
    for value in GARBAGE:
        response = client.get(url, {name: value})

        assert response.status_code in (200, 400), (name, value, response.status_code)
        content = response.content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "\x00" not in content  # HTML may not contain NUL: it is shown as U+FFFD
        if response.status_code == 400 and response["Content-Type"].startswith("text/html"):
            # The message sits beside the field it is about.
            assert 'role="alert"' in content


@pytest.mark.parametrize("name", ["year_from", "year_to"])
def test_it_explains_a_year_that_is_not_a_year(client, name):
    response = client.get("/agreements/", {name: "abc"})

    assert response.status_code == 400
    content = response.content.decode()
    assert (
        f'<p class="field-error" id="id_{name}_error">Enter a year, such as 2022.</p>' in content
    )
    assert f'aria-describedby="id_{name}_error"' in content
    assert 'aria-invalid="true"' in content
    # No rows are shown as if the filter had been applied.
    assert response.context["rows"] == []


def test_it_explains_an_unknown_partner_and_an_out_of_range_year(client):
    response = client.get("/equipment/", {"partner": "atlantis", "year_from": "3000"})

    assert response.status_code == 400
    text = page_text(response)
    assert "There is no partner with this name in the wiki." in text
    assert "Ensure this value is less than or equal to 2100." in text


def test_it_escapes_markup_it_echoes(client):
    response = client.get("/agreements/", {"q": "<b>bold</b>", "kind": "<i>x</i>"})

    content = response.content.decode()
    assert "<b>bold</b>" not in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content
    assert "<i>x</i>" not in content


def test_it_refuses_an_overlong_search_string_beside_its_field(client):
    response = client.get("/partners/", {"q": "x" * 5000})

    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 5000)." in page_text(response)


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("abc", "The page number must be a whole number, such as 2."),
        ("0", "There is no page 0 here: this list has 1 page."),
        ("99", "There is no page 99 here: this list has 1 page."),
    ],
)
def test_it_explains_a_page_that_does_not_exist(client, page, message):
    make_agreement()

    response = client.get("/agreements/", {"page": page})

    assert response.status_code == 400
    assert message in page_text(response)
    assert 'href="/agreements/">Go to the first page' in response.content.decode()


def test_it_refuses_an_unknown_export_format(client):
    response = client.get("/agreements/", {"format": "xml"})

    assert response.status_code == 400
    assert "Exports come as CSV or JSON" in page_text(response)


# -- query counts -----------------------------------------------------------------------


def _partner_with_relations():
    partner = make_partner()
    make_agreement(parties=[partner])
    make_procurement(supplier=partner)
    ExerciseParticipant.objects.create(exercise=make_exercise(), partner=partner)
    return partner


def _agreement_with_parties():
    return make_agreement(parties=[make_partner(), make_partner()])


def _exercise_with_participants():
    return make_exercise(participants=[make_partner(), make_partner()], domains=["land"])


def _procurement_with_links():
    supplier = make_partner()
    return make_procurement(
        supplier=supplier, manufacturer=make_partner(kind="company", parent=supplier)
    )


def _cited_source():
    return make_citation().source


ROW_BUILDERS = {
    "/partners/": _partner_with_relations,
    "/agreements/": _agreement_with_parties,
    "/exercises/": _exercise_with_participants,
    "/equipment/": _procurement_with_links,
    "/sources/": _cited_source,
}


@pytest.mark.parametrize(
    "url, long_text",
    [
        ("/partners/", "summary"),
        ("/agreements/", "summary"),
        ("/exercises/", "summary"),
        ("/equipment/", "summary"),
        ("/sources/", "full_text"),
    ],
)
def test_a_list_page_reads_only_what_its_rows_show(client, url, long_text):
    ROW_BUILDERS[url]()

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["rows"]
    read = [query["sql"] for query in captured if f'"{long_text}"' in query["sql"]]
    assert read == []


def test_a_list_page_reads_its_rows_and_their_count_in_one_query(client):
    for _ in range(PER_PAGE + 2):
        _agreement_with_parties()

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/agreements/")

    counted = [query["sql"] for query in captured if "COUNT(" in query["sql"]]
    assert len(counted) == 1
    assert '"partnerships_agreement"."title"' in counted[0]  # the rows' own query
    assert f"{PER_PAGE + 2} results" in page_text(response)
    assert len(response.context["rows"]) == PER_PAGE


def test_a_page_past_the_last_is_counted_to_say_so(client):
    _agreement_with_parties()

    response = client.get("/agreements/", {"page": "2"})

    assert response.status_code == 400
    assert "There is no page 2 here: this list has 1 page." in page_text(response)


def read(client, url):
    """GET `url` and read it to its end: a streamed export queries as it is sent."""
    response = client.get(url)
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("url", ROW_BUILDERS)
@pytest.mark.parametrize("query", ["", "?format=csv", "?format=json"])
def test_it_lists_and_exports_in_the_same_queries_for_1_or_50_rows(
    client, django_assert_num_queries, monkeypatch, url, query
):
    # One chunk for all 50 rows: queries per chunk are pinned in test_exports.
    import dataclasses

    from sources import views as source_views

    monkeypatch.setattr(
        source_views, "SOURCES", dataclasses.replace(source_views.SOURCES, export_chunk=1000)
    )
    build = ROW_BUILDERS[url]
    build()
    read(client, url + query)
    with CaptureQueriesContext(connection) as captured:
        read(client, url + query)
    queries = len(captured)

    for _ in range(MANY - 1):
        build()

    with django_assert_num_queries(queries):
        response = read(client, url + query)
    assert response.status_code == 200
    if query:
        assert response.body.count(b"http://testserver/") > MANY  # every row was sent
    if not query:
        assert response.context["page"].paginator.count >= MANY
        assert len(response.context["rows"]) == PER_PAGE


def test_a_year_that_is_not_a_number_is_kept_in_a_text_box(client):
    """HTML forbids value="x" on a number input: the box keeps what was typed as text."""
    response = client.get("/equipment/", {"year_from": "x"})

    assert response.status_code == 400
    content = response.content.decode()
    assert 'type="text" name="year_from" value="x"' in content
    assert 'inputmode="numeric"' in content
    ok = client.get("/equipment/", {"year_from": "2021"}).content.decode()
    assert 'type="number" name="year_from" value="2021"' in ok
