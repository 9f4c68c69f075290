"""The search page, /search/?q=: results grouped by type with snippets, full-text
search on PostgreSQL (ranked, indexed) and a simpler match on SQLite, helpful
pages for empty and unmatched queries, and bad input that never fails or leaks.

Run it on both databases: `.venv/bin/pytest tests/test_search.py` (SQLite) and
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiki (any database name) .venv/bin/pytest
--create-db tests/test_search.py` (PostgreSQL; the tests marked `postgres_only`
run there only).
"""

import itertools
from html.parser import HTMLParser

import pytest
from django.db import connection

from partnerships.models import Partner
from partnerships.search import (
    MAX_QUERY_LENGTH,
    PER_GROUP,
    PER_PAGE,
    START,
    STOP,
    headline_html,
    postgres_matches,
    query_terms,
    search_types,
    snippet_around,
)
from sources.models import Source

from .conftest import (
    make_agreement,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
)
from .history_factories import make_engagement, make_indicator, make_person

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "full-text ranking, stemming and the GIN indexes exist only on PostgreSQL: run with "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiki (any database name)"
    ),
)

URL = "/search/"
LABELS = [
    "Partners",
    "Agreements",
    "Exercises",
    "Equipment",
    "People",
    "Engagements",
    "Indicators",
    "Sources",
]
# How many entries make_one_of_each() makes: one of each searched type.
EACH = len(LABELS)
LONG_TEXT = " ".join(f"filler{n}" for n in range(60))


def search(client, q):
    return client.get(URL, {"q": q})


# -- reading the page ----------------------------------------------------------------------


class Page(HTMLParser):
    """A search page as the tests read it, and the problems that make it invalid HTML.

    Records headings (level, text) in order, the text and links of elements by class, and
    checks nesting, duplicate ids and references (for=, aria-*, #fragment) to
    ids that do not exist. No validator package is installed; this catches
    what a template can get wrong.
    """

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    REFERENCES = ("for", "aria-labelledby", "aria-describedby")

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.problems, self.stack, self.ids, self.references = [], [], [], []
        self.headings, self.texts, self.elements, self.links = [], {}, [], {}
        self._open = []  # [depth, kind, key, text parts] of headings and classed elements
        self.feed(html)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed: {self.stack}")
        for name, ref in self.references:
            if ref not in self.ids:
                self.problems.append(f"{name} points at missing id {ref!r}")
        duplicates = {i for i in self.ids if self.ids.count(i) > 1}
        if duplicates:
            self.problems.append(f"duplicate ids: {duplicates}")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in self.REFERENCES:
            self.references += [(name, ref) for ref in (attrs.get(name) or "").split()]
        href = attrs.get("href") or ""
        if tag == "a" and href:
            for _, kind, key, _ in self._open:
                if kind == "class":
                    self.links.setdefault(key, []).append(href)
        if href.startswith("#") and len(href) > 1:
            self.references.append(("href", href[1:]))
        if tag in self.VOID:
            return
        if tag == "li":
            self.handle_data(" | ")  # keeps list items apart in texts
        self.stack.append(tag)
        depth = len(self.stack)
        if tag in {"h1", "h2", "h3"}:
            self._open.append([depth, "heading", tag, []])
        for cls in (attrs.get("class") or "").split():
            self._open.append([depth, "class", cls, []])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        while self._open and self._open[-1][0] > len(self.stack):
            _, kind, key, parts = self._open.pop()
            text = " ".join("".join(parts).split()).removeprefix("| ")
            if kind == "heading":
                self.headings.append((key, text))
            else:
                self.texts.setdefault(key, []).append(text)

    def handle_data(self, data):
        for element in self._open:
            element[3].append(data)

    @property
    def h1(self):
        return [text for level, text in self.headings if level == "h1"]

    def groups(self):
        """{"Partners (2)": ["Israel", "Spain"], …} in page order."""
        groups, current = {}, None
        for level, text in self.headings:
            if level == "h2" and text.split(" (")[0] in LABELS:
                current = groups.setdefault(text, [])
            elif level == "h3" and current is not None:
                current.append(text)
        return groups


def page_of(response):
    page = Page(response.content.decode())
    assert page.problems == []
    return page


def form_input(page):
    """The search page's own field (base.html has a search box of its own)."""
    (attrs,) = [attrs for tag, attrs in page.elements if attrs.get("id") == "search-q"]
    return attrs


def make_one_of_each(word, n=""):
    """A partner, an agreement, an exercise, an equipment entry, a person, an engagement,
    an indicator and a source matching `word`."""
    supplier = make_partner(name=f"Supplier{n}")
    return [
        make_partner(name=f"{word} Land{n}", summary=f"A country called {word}."),
        make_agreement(title=f"{word} accord{n}", summary=f"An accord about {word}."),
        make_exercise(name=f"{word} Shield{n}", summary=f"Drills named {word}."),
        make_procurement(system=f"{word} radar{n}", supplier=supplier),
        make_person(name=f"Amal {word}{n}", summary=f"An envoy called {word}."),
        make_engagement(title=f"{word} visit{n}", place="Rabat", summary=f"A visit by {word}."),
        make_indicator(name=f"{word} spending{n}", summary=f"What {word} spends."),
        make_source(title=f"Report on {word}{n}", full_text=f"Officials discussed {word}."),
    ]


# -- results -------------------------------------------------------------------------------


def test_it_groups_results_by_type_in_a_fixed_order(client):
    entries = make_one_of_each("Zephyr")
    make_partner(name="Unrelated", summary="Nothing to see.")

    response = search(client, "zephyr")

    assert response.status_code == 200
    page = page_of(response)
    assert page.h1 == ["8 results for “zephyr”"]
    assert page.groups() == {
        "Partners (1)": ["Zephyr Land"],
        "Agreements (1)": ["Zephyr accord"],
        "Exercises (1)": ["Zephyr Shield"],
        "Equipment (1)": ["Zephyr radar"],
        "People (1)": ["Amal Zephyr"],
        "Engagements (1)": ["Zephyr visit"],
        "Indicators (1)": ["Zephyr spending"],
        "Sources (1)": ["Report on Zephyr"],
    }
    html = response.content.decode()
    for entry in entries:
        assert f'href="{entry.get_absolute_url()}"' in html
    assert "Unrelated" not in html


def test_it_describes_each_result_in_one_line(client):
    israel = make_partner(name="Israel")
    make_partner(name="Zephyr Industries", kind=Partner.Kind.COMPANY, short_name="ZI")
    make_procurement(system="Zephyr MX", supplier=israel)
    make_source(title="Zephyr report", publisher="Hespress", kind=Source.Kind.ANALYSIS)

    page = page_of(search(client, "zephyr"))

    assert page.texts["search-result-meta"] == [
        "Defense company · ZI",
        "Air defense · from Israel · Reported",
        "Analysis · Hespress",
    ]


def test_it_shows_only_the_types_that_match(client):
    make_partner(name="Zephyr Land")

    page = page_of(search(client, "zephyr"))

    assert page.h1 == ["1 result for “zephyr”"]
    assert page.groups() == {"Partners (1)": ["Zephyr Land"]}
    assert page.texts["search-groups"] == ["Partners (1)"]


def test_it_marks_the_match_in_a_short_snippet(client):
    make_partner(name="Spain", summary=f"{LONG_TEXT} a zephyr blew over the strait {LONG_TEXT}")

    response = search(client, "zephyr")

    (snippet,) = page_of(response).texts["search-snippet"]
    assert "zephyr blew over the strait" in snippet
    assert len(snippet.split()) <= 40
    assert "<mark>zephyr</mark>" in response.content.decode()


def test_it_cuts_source_snippets_from_the_full_text(client):
    make_source(
        title="Annual review", full_text=f"{LONG_TEXT} The zephyr programme grew. {LONG_TEXT}"
    )

    response = search(client, "zephyr")

    assert page_of(response).groups() == {"Sources (1)": ["Annual review"]}
    assert "The <mark>zephyr</mark> programme grew." in response.content.decode()


def test_it_finds_a_partner_by_alias_and_short_name(client):
    make_partner(
        name="Israel Aerospace Industries",
        kind=Partner.Kind.COMPANY,
        short_name="IAI",
        aliases="Elta Systems\nTaasia Avirit",
    )

    for q in ("Taasia", "iai", "ELTA"):
        page = page_of(search(client, q))
        assert page.groups() == {"Partners (1)": ["Israel Aerospace Industries"]}, q
    assert "<mark>Taasia</mark>" in search(client, "taasia").content.decode()


def test_it_finds_sources_by_publisher_and_author(client):
    make_source(title="Ties grow", publisher="Hespress", author="Amal Zephyrine")

    assert page_of(search(client, "hespress")).groups() == {"Sources (1)": ["Ties grow"]}
    assert page_of(search(client, "Zephyrine")).groups() == {"Sources (1)": ["Ties grow"]}


def test_it_requires_every_word_each_in_some_field(client):
    make_partner(name="Zephyr Land", summary="Known for quokkas.")
    make_partner(name="Zephyr Isles", summary="Known for nothing.")

    page = page_of(search(client, "zephyr quokkas"))

    assert page.groups() == {"Partners (1)": ["Zephyr Land"]}


def test_it_ignores_case(client):
    make_partner(name="North Atlantic Treaty Organization", short_name="NATO")

    assert page_of(search(client, "nAtO")).groups() == {
        "Partners (1)": ["North Atlantic Treaty Organization"]
    }


def test_it_lists_title_matches_first(client):
    make_partner(name="Aardvark Land", summary="Neighbours of Zephyr.")
    make_partner(name="Zephyr Land")

    page = page_of(search(client, "zephyr"))

    assert page.groups() == {"Partners (2)": ["Zephyr Land", "Aardvark Land"]}


def test_it_shows_the_best_of_each_type_and_links_to_all_of_them(client):
    for n in range(PER_GROUP + 5):
        make_partner(name=f"Zephyr {n:02}")

    response = search(client, "zephyr")

    page = page_of(response)
    assert page.h1 == [f"{PER_GROUP + 5} results for “zephyr”"]
    assert len(page.groups()[f"Partners ({PER_GROUP + 5})"]) == PER_GROUP
    assert page.texts["search-more"] == [f"All {PER_GROUP + 5} results in Partners"]
    assert links_in(page, "search-more") == [URL + "?q=zephyr&type=partners"]


def test_it_counts_a_group_no_further_than_the_limit_and_says_more_than(client, monkeypatch):
    monkeypatch.setattr("partnerships.search.COUNT_LIMIT", PER_GROUP + 2)
    for n in range(PER_GROUP + 5):
        make_partner(name=f"Zephyr {n:02}")
    make_agreement(title="Zephyr accord")

    page = page_of(search(client, "zephyr"))

    limit = f"{PER_GROUP + 2}"
    assert page.h1 == [f"More than {PER_GROUP + 3} results for “zephyr”"]
    assert page.texts["search-groups"] == [f"Partners (more than {limit}) | Agreements (1)"]
    assert len(page.groups()[f"Partners (more than {limit})"]) == PER_GROUP
    assert page.texts["search-more"] == [f"{limit} of the results in Partners"]


def test_it_counts_a_group_of_exactly_the_limit_exactly(client, monkeypatch):
    monkeypatch.setattr("partnerships.search.COUNT_LIMIT", PER_GROUP + 2)
    for n in range(PER_GROUP + 2):
        make_partner(name=f"Zephyr {n:02}")

    page = page_of(search(client, "zephyr"))

    assert page.h1 == [f"{PER_GROUP + 2} results for “zephyr”"]
    assert page.texts["search-more"] == [f"All {PER_GROUP + 2} results in Partners"]


def test_a_group_that_shows_every_match_links_to_nothing_more(client):
    for n in range(PER_GROUP):
        make_partner(name=f"Zephyr {n:02}")

    page = page_of(search(client, "zephyr"))

    assert len(page.groups()[f"Partners ({PER_GROUP})"]) == PER_GROUP
    assert "search-more" not in page.texts


# -- one type's pages (?type=) ------------------------------------------------------------------


def search_type(client, q, key, page=None):
    params = {"q": q, "type": key} | ({"page": page} if page is not None else {})
    return client.get(URL, params)


def results_of(page):
    """The titles of the results listed, in order."""
    return [text for level, text in page.headings if level == "h3"]


def links_in(page, cls):
    """The addresses linked from inside the elements of class `cls`, in order."""
    return page.links.get(cls, [])


def hidden_inputs(page):
    return {
        attrs["name"]: attrs["value"]
        for tag, attrs in page.elements
        if tag == "input" and attrs.get("type") == "hidden"
    }


def test_a_types_pages_list_every_match_in_order_twenty_a_page(client):
    names = [f"Zephyr {n:02}" for n in range(PER_PAGE + 3)]
    for name in reversed(names):
        make_partner(name=name)
    make_agreement(title="Zephyr accord")

    first = page_of(search_type(client, "zephyr", "partners"))
    second = page_of(search_type(client, "zephyr", "partners", 2))

    for page in (first, second):
        assert page.h1 == [f"Partners: {PER_PAGE + 3} results for “zephyr”"]
        assert page.texts["pagination"] == [
            f"{'Previous page ' if page is second else ''}Page {1 if page is first else 2} "
            f"of 2{' Next page' if page is first else ''}"
        ]
        assert hidden_inputs(page) == {"type": "partners"}
        assert links_in(page, "search-scope") == [URL + "?q=zephyr"]
    assert results_of(first) + results_of(second) == names
    assert len(results_of(first)) == PER_PAGE
    assert links_in(first, "pagination") == [URL + "?q=zephyr&type=partners&page=2"]
    assert links_in(second, "pagination") == [URL + "?q=zephyr&type=partners"]
    ordered = [attrs for tag, attrs in second.elements if tag == "ol"]
    assert ordered == [{"class": "search-results", "start": str(PER_PAGE + 1)}]


def test_a_types_page_titles_say_the_type_and_the_page(client):
    for n in range(PER_PAGE + 1):
        make_partner(name=f"Zephyr {n:02}")

    first = search_type(client, "zephyr", "partners").content.decode()
    second = search_type(client, "zephyr", "partners", 2).content.decode()

    assert "<title>“zephyr” in Partners — Search" in first
    assert "<title>“zephyr” in Partners, page 2 — Search" in second


def test_a_types_page_with_one_page_has_no_pagination(client):
    make_one_of_each("Zephyr")

    page = page_of(search_type(client, "zephyr", "exercises"))

    assert page.h1 == ["Exercises: 1 result for “zephyr”"]
    assert results_of(page) == ["Zephyr Shield"]
    assert "pagination" not in page.texts


def test_a_types_page_without_matches_says_so_and_links_to_every_type(client):
    make_partner(name="Zephyr Land")

    response = search_type(client, "zephyr", "agreements")

    assert response.status_code == 200
    page = page_of(response)
    assert page.h1 == ["Agreements: no results for “zephyr”"]
    assert results_of(page) == []
    assert links_in(page, "search-scope") == [URL + "?q=zephyr"]


def test_a_types_pages_go_as_deep_as_the_count_and_no_further(client, monkeypatch):
    monkeypatch.setattr("partnerships.search.COUNT_LIMIT", PER_PAGE + 2)
    names = [f"Zephyr {n:02}" for n in range(PER_PAGE + 5)]
    for name in names:
        make_partner(name=name)

    last = page_of(search_type(client, "zephyr", "partners", 2))
    too_deep = search_type(client, "zephyr", "partners", 3)

    assert last.h1 == [f"Partners: more than {PER_PAGE + 2} results for “zephyr”"]
    assert results_of(last) == names[PER_PAGE : PER_PAGE + 2]
    assert last.texts["search-more"] == [
        f"Only {PER_PAGE + 2} can be read: add a word to narrow the search."
    ]
    if connection.vendor == "postgresql":
        assert last.texts["search-ranked"] == [
            f"More match than are ranked: every match in a name is, and of the rest the "
            f"first {PER_PAGE + 2} found."
        ]
    else:  # every match is ranked
        assert "search-ranked" not in last.texts
    assert too_deep.status_code == 400
    assert page_of(too_deep).texts["problems"] == [
        f"Only {PER_PAGE + 2} results of a type can be read, on 2 pages, and page 3 "
        "is further: add a word to narrow the search. Go to the first page."
    ]


def test_a_page_past_the_last_says_how_many_there_are(client, django_assert_num_queries):
    for n in range(3):
        make_partner(name=f"Zephyr {n:02}")

    with django_assert_num_queries(2):  # the page, then the count for the message
        response = search_type(client, "zephyr", "partners", 4)

    assert response.status_code == 400
    page = page_of(response)
    assert page.texts["problems"] == [
        "There is no page 4 of these results: the 3 found fill 1 page. Go to the first page."
    ]
    assert links_in(page, "problems") == [URL + "?q=zephyr&type=partners"]
    assert results_of(page) == []


def test_a_page_of_a_type_nothing_matches_says_so(client):
    response = search_type(client, "zephyr", "partners", 2)

    assert response.status_code == 400
    assert page_of(response).texts["problems"] == [
        "There is no page 2 of these results: nothing matches, on 1 page. Go to the first page."
    ]


@pytest.mark.parametrize(
    ("params", "message", "link"),
    [
        (
            {"type": "bogus"},
            "There is no such type of result: the types are partners, agreements, exercises, "
            "equipment, people, engagements, indicators and sources. Search every type.",
            URL + "?q=zephyr",
        ),
        (
            {"type": "<b>x</b>\x00"},
            "There is no such type of result: the types are partners, agreements, exercises, "
            "equipment, people, engagements, indicators and sources. Search every type.",
            URL + "?q=zephyr",
        ),
        (
            {"page": "2"},
            "Pages are numbered within one type of results: choose a type, such as "
            "type=agreements, or leave the page out. Search every type.",
            URL + "?q=zephyr",
        ),
        *(
            (
                {"type": "partners", "page": page},
                "The page number must be a whole number, such as 2. Go to the first page.",
                URL + "?q=zephyr&type=partners",
            )
            for page in ["x", "0", "-1", "1.5", "1e3", " "]
        ),
    ],
)
def test_it_rejects_a_bad_type_or_page_with_a_message_and_a_way_on(
    client, django_assert_num_queries, params, message, link
):
    make_partner(name="Zephyr Land")

    with django_assert_num_queries(0):
        response = client.get(URL, {"q": "zephyr"} | params)

    assert response.status_code == 400
    page = page_of(response)
    assert page.texts["problems"] == [message]
    assert links_in(page, "problems") == [link]
    assert form_input(page)["value"] == "zephyr"


def test_it_rejects_a_page_deeper_than_any_type_can_go(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search_type(client, "zephyr", "partners", 10**6)

    assert response.status_code == 400
    assert page_of(response).texts["problems"] == [
        "Only 1,000 results of a type can be read, on 50 pages, and page 1,000,000 "
        "is further: add a word to narrow the search. Go to the first page."
    ]


@pytest.mark.parametrize("key", [kind.key for kind in search_types()])
def test_a_types_page_makes_one_query_for_1_or_50_matches(client, django_assert_num_queries, key):
    make_one_of_each("Zephyr")
    with django_assert_num_queries(1):
        response = search_type(client, "zephyr", key)
    assert len(results_of(page_of(response))) == 1

    for n in range(49):
        make_one_of_each("Zephyr", n)

    with django_assert_num_queries(1):
        response = search_type(client, "zephyr", key, 3)
    page = page_of(response)
    assert page.h1[0].endswith(": 50 results for “zephyr”")
    assert len(results_of(page)) == 50 - 2 * PER_PAGE


def test_a_type_without_words_shows_what_can_be_searched(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(URL, {"q": "", "type": "partners"})

    assert response.status_code == 200
    page = page_of(response)
    assert page.h1 == ["Search"]
    assert "search-intro" in page.texts
    assert hidden_inputs(page) == {}


def test_it_finds_an_entry_by_its_new_words_after_an_edit(client):
    partner = make_partner(name="Zephyr Land", summary="Known for quokkas.")
    partner.summary = "Known for wombats."
    partner.save()

    assert page_of(search(client, "wombats")).groups() == {"Partners (1)": ["Zephyr Land"]}
    assert page_of(search(client, "quokkas")).groups() == {}


def test_it_makes_one_query_per_type_for_1_or_50_matches(client, django_assert_num_queries):
    make_one_of_each("Zephyr")
    with django_assert_num_queries(len(search_types())):
        response = search(client, "zephyr")
    assert page_of(response).h1 == [f"{EACH} results for “zephyr”"]

    for n in range(49):
        make_one_of_each("Zephyr", n)

    with django_assert_num_queries(len(search_types())):
        response = search(client, "zephyr")
    assert page_of(response).h1 == [f"{50 * EACH} results for “zephyr”"]


# -- empty and unmatched queries --------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_it_explains_what_can_be_searched_when_the_query_is_empty(
    client, django_assert_num_queries, params
):
    with django_assert_num_queries(0):
        response = client.get(URL, params)

    assert response.status_code == 200
    page = page_of(response)
    assert page.h1 == ["Search"]
    assert "What you can search" in [text for _, text in page.headings]
    html = response.content.decode()
    for example in ("NATO", "Israel", "drone", "African%20Lion"):
        assert f'href="/search/?q={example}"' in html
    assert page.groups() == {}


def test_it_says_so_when_nothing_matches_and_suggests_what_to_try(client):
    make_partner(name="Spain")

    response = search(client, "xylophone")

    assert response.status_code == 200
    page = page_of(response)
    assert page.h1 == ["No results for “xylophone”"]
    assert "Things to try" in [text for _, text in page.headings]
    html = response.content.decode()
    for url in ("/partners/", "/agreements/", "/exercises/", "/equipment/", "/sources/"):
        assert f'href="{url}"' in html
    assert form_input(page)["value"] == "xylophone"


# -- bad input ---------------------------------------------------------------------------------


def assert_rejected_beside_the_field(response, message):
    assert response.status_code == 400
    page = page_of(response)
    attrs = form_input(page)
    assert attrs["aria-invalid"] == "true"
    assert "search-q-errors" in attrs["aria-describedby"].split()
    assert page.texts["field-errors"] == [message]  # once
    assert page.groups() == {}
    return page


def test_it_rejects_a_too_long_query_beside_the_field(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search(client, "x" * 5000)

    assert_rejected_beside_the_field(
        response,
        f"A search can be at most {MAX_QUERY_LENGTH} characters long; this one has 5000. "
        "A few distinctive words work best.",
    )


def test_it_accepts_a_query_of_the_longest_length(client):
    response = search(client, "a " * (MAX_QUERY_LENGTH // 2))

    assert response.status_code == 200
    page_of(response)


@pytest.mark.parametrize("q", ["\x00", "nato\x00", "\x00" * 300, "na\x07to", "\x1b[31m"])
def test_it_rejects_control_characters_once_without_echoing_them(
    client, django_assert_num_queries, q
):
    with django_assert_num_queries(0):
        response = search(client, q)

    message = (
        "Searches cannot contain control characters such as a null byte. "
        "Type the words you are looking for."
    )
    if len(q) > MAX_QUERY_LENGTH:
        assert response.status_code == 400
        (errors,) = page_of(response).texts["field-errors"]
        assert errors.split(" | ")[1] == message
    else:
        page = assert_rejected_beside_the_field(response, message)
        assert form_input(page)["value"] == q.replace("\x00", "").replace("\x07", "").replace(
            "\x1b", ""
        )
    assert b"\x00" not in response.content
    assert b"\x07" not in response.content
    assert b"\x1b" not in response.content


def test_it_escapes_the_query_wherever_it_shows_it(client):
    q = '<script>alert("x")</script>'

    response = search(client, q)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    page = page_of(response)
    assert page.h1 == [f"No results for “{q}”"]
    assert form_input(page)["value"] == q


def test_it_escapes_markup_stored_in_the_content(client):
    make_partner(name="<b>Zephyr</b> Land", summary='Zephyr <script>alert("x")</script> here.')

    response = search(client, "zephyr")

    html = response.content.decode()
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;Zephyr&lt;/b&gt; Land" in html
    page = page_of(response)
    assert page.groups() == {"Partners (1)": ["<b>Zephyr</b> Land"]}
    # SQLite shows the tags as text; PostgreSQL's ts_headline drops what looks like a tag.
    (snippet,) = page.texts["search-snippet"]
    assert 'alert("x")' in snippet


@pytest.mark.parametrize(
    "q",
    [
        "'",
        '"',
        '"unfinished phrase',
        ":*",
        "& | ! ( )",
        "!!!",
        "%",
        "_",
        "\\",
        "-",
        "or",
        "the",
        "a:b",
        "Ελλάδα المغرب 🙂",
        "Zephyr’s “drones” — Düsseldorf",
        "\ue000\ue001",
        "x" * MAX_QUERY_LENGTH,
        "\t nato \n israel \r",
    ],
)
def test_it_answers_odd_queries_with_a_page(client, q):
    make_partner(name="Zephyr Land", summary="Drones in Düsseldorf.")

    response = search(client, q)

    assert response.status_code == 200
    page = page_of(response)
    assert len(page.h1) == 1
    assert form_input(page)["value"] == " ".join(q.split())


def test_it_folds_whitespace_in_the_query(client):
    make_partner(name="Zephyr Land")

    page = page_of(search(client, "\t zephyr \n  land "))

    assert page.h1 == ["1 result for “zephyr land”"]


# -- markup and accessibility ------------------------------------------------------------------


@pytest.mark.parametrize("q", ["", "zephyr", "xylophone", "x" * 300])
def test_it_is_a_labelled_search_form_with_headed_sections(client, q):
    make_one_of_each("Zephyr")

    response = search(client, q)

    page = page_of(response)
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>") or html.lstrip().startswith("<!DOCTYPE html>")
    (form,) = [attrs for tag, attrs in page.elements if attrs.get("class") == "search-form"]
    assert form["role"] == "search"
    assert form["aria-labelledby"] == "search-heading"
    assert form["method"] == "get"
    labels = [attrs for tag, attrs in page.elements if tag == "label"]
    assert {"for": "search-q"} in labels
    assert "search-q-help" in form_input(page)["aria-describedby"].split()
    assert any(tag == "main" for tag, _ in page.elements)
    assert len(page.h1) == 1
    sections = [attrs for tag, attrs in page.elements if tag == "section"]
    assert sections
    assert all("aria-labelledby" in attrs for attrs in sections)
    levels = [int(level[1]) for level, _ in page.headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


# -- the pieces ---------------------------------------------------------------------------------


def test_it_splits_a_query_into_distinct_words_without_punctuation():
    assert query_terms('"African Lion" (drone), NATO nato —') == [
        "African",
        "Lion",
        "drone",
        "NATO",
    ]


def test_it_cuts_a_snippet_around_the_first_match_and_escapes_it():
    text = " ".join(f"w{n}" for n in range(100)) + " <i>zephyr</i> & more"

    snippet = snippet_around(text, ["zephyr"], words=10)

    assert snippet.startswith("… w")
    assert "&lt;i&gt;<mark>zephyr</mark>&lt;/i&gt; &amp; more" in snippet
    assert len(snippet.split()) <= 12


def test_it_turns_only_paired_headline_markers_into_marks():
    headline = f"<i>a</i> {START}zephyr{STOP} {STOP}stray{START} {START}open"

    assert headline_html(headline) == "&lt;i&gt;a&lt;/i&gt; <mark>zephyr</mark> stray open"


# -- PostgreSQL: ranking, language and indexes ------------------------------------------------------


@postgres_only
def test_it_ranks_names_above_other_names_above_summaries_on_postgresql(client):
    make_partner(name="Aardvark Land", summary="Neighbours of Zephyr.")
    make_partner(name="Buffalo Land", aliases="Zephyria\nOld Zephyr")
    make_partner(name="Zephyr Land")

    page = page_of(search(client, "zephyr"))

    assert page.groups() == {"Partners (3)": ["Zephyr Land", "Buffalo Land", "Aardvark Land"]}


@postgres_only
def test_it_ranks_more_mentions_higher_on_postgresql(client):
    make_source(title="A report", full_text="Zephyr once.")
    make_source(title="B report", full_text="Zephyr, zephyr and more zephyr.")

    page = page_of(search(client, "zephyr"))

    assert page.groups() == {"Sources (2)": ["B report", "A report"]}


@postgres_only
def test_it_matches_word_forms_and_web_search_syntax_on_postgresql(client):
    make_agreement(title="Hermes drones accord", summary="Drones for the army.")
    make_agreement(title="Drone trainers", summary="Training for pilots.")

    assert page_of(search(client, "drone")).groups() == {
        "Agreements (2)": ["Hermes drones accord", "Drone trainers"]
    }
    assert page_of(search(client, "drone -hermes")).groups() == {
        "Agreements (1)": ["Drone trainers"]
    }
    assert page_of(search(client, '"hermes drones"')).groups() == {
        "Agreements (1)": ["Hermes drones accord"]
    }


@postgres_only
def test_it_matches_and_counts_with_the_stored_documents_gin_index_on_postgresql():
    with connection.cursor() as cursor:
        # Local to the test's transaction; tiny tables would otherwise be scanned.
        cursor.execute("SET LOCAL enable_seqscan = off")
    for kind in search_types():
        plan = postgres_matches(kind, "zephyr drone").explain(verbose=True)
        # The matches ranked, and the count of them; the matches in a name.
        assert plan.count(f"Bitmap Index Scan on {kind.index_name}") == 2, plan
        assert plan.count(f"Bitmap Index Scan on {kind.name_index_name}") == 1, plan
        assert "search_document @@" in plan
        # The stored document is read, never computed again from the fields: only
        # the names are, as their index holds them (its condition and recheck).
        computed = [line for line in plan.splitlines() if "to_tsvector" in line]
        assert len(computed) == 2 and all("Cond:" in line for line in computed), plan


@postgres_only
def test_it_stores_each_document_as_search_declares_it_and_keeps_it_current_on_postgresql():
    entries = make_one_of_each("Zephyr")
    entries[0].summary = "Renamed for quokkas."
    entries[0].save()

    for kind in search_types():
        declared = kind.model.objects.annotate(declared=kind.vector()).values_list(
            "pk", "declared"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, search_document FROM {kind.model._meta.db_table}")
            stored = dict(cursor.fetchall())
        assert stored == dict(declared), kind.key


def test_it_keeps_the_stored_document_out_of_the_models():
    for kind in search_types():
        names = {field.name for field in kind.model._meta.get_fields()}
        history = {field.name for field in kind.model.history.model._meta.get_fields()}
        assert "search_document" not in names | history


def test_it_creates_the_search_indexes_and_documents_on_postgresql_only():
    indexes, columns = set(), set()
    with connection.cursor() as cursor:
        for kind in search_types():
            table = kind.model._meta.db_table
            indexes |= set(connection.introspection.get_constraints(cursor, table))
            description = connection.introspection.get_table_description(cursor, table)
            columns |= {(table, column.name) for column in description}
    names = {kind.index_name for kind in search_types()}
    documents = {(kind.model._meta.db_table, "search_document") for kind in search_types()}

    if connection.vendor == "postgresql":
        assert names <= indexes
        assert documents <= columns
    else:
        assert not names & indexes
        assert not documents & columns
