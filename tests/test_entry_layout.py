"""An entry page laid out as an encyclopedia article: the fact box in its own column
beside the text, the "last changed" line at the foot of the article next to the
history link; every page's meta description drawn from its content and escaped;
the favicon; names that may be Arabic isolated from the English around them."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import resolve

from partnerships.dates import DatePrecision
from partnerships.templatetags.page_description import (
    DESCRIPTION_AT_MOST,
    meta_description,
    plain_text,
    shortened,
)

from .conftest import (
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

HOSTILE = '"><script>alert(1)</script>'
ARABIC = "مركز المستقبل"


class Outline(HTMLParser):
    """Each element's tag, classes and the classes of the elements it sits in, in order."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.elements, self.meta = [], [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content")
        classes = set((attrs.get("class") or "").split())
        inside = [c for _, cs in self.stack for c in cs]
        self.elements.append((tag, classes, inside, attrs))
        if tag not in self.VOID:
            self.stack.append((tag, classes))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def outline(response):
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def index_of(parsed, tag, cls=None):
    return next(
        i
        for i, (t, classes, _, _) in enumerate(parsed.elements)
        if t == tag and (cls is None or cls in classes)
    )


def cited(entry):
    make_citation(entry, source=make_source(publisher=ARABIC))
    return entry


ENTRIES = {
    "partner": lambda: cited(make_partner(summary="A partner.[1]")),
    "agreement": lambda: cited(make_agreement([make_partner()], summary="A pact.[1]")),
    "exercise": lambda: cited(make_exercise([make_partner()], summary="Drills.[1]")),
    "procurement": lambda: cited(make_procurement(summary="Drones.[1]")),
    "person": lambda: make_person(summary="A general."),
    "engagement": lambda: make_engagement(summary="A visit."),
    "indicator": lambda: make_indicator(summary="A budget."),
}


@pytest.mark.parametrize("kind", ENTRIES)
def test_it_puts_the_fact_box_in_its_column_beside_the_text(client, kind):
    entry = ENTRIES[kind]()

    parsed = outline(client.get(entry.get_absolute_url()))

    _, _, inside, _ = parsed.elements[index_of(parsed, "dl", "facts")]
    assert inside[-3:] == ["entry", "entry-columns", "infobox"]
    summary = parsed.elements[index_of(parsed, "div", "summary")]
    assert summary[2][-3:] == ["entry", "entry-columns", "entry-text"]
    # The box first in reading order: on a phone it comes before the text.
    assert index_of(parsed, "div", "infobox") < index_of(parsed, "div", "entry-text")


@pytest.mark.parametrize("kind", ENTRIES)
def test_it_says_when_the_page_last_changed_at_its_foot_next_to_the_history_link(client, kind):
    entry = ENTRIES[kind]()

    response = client.get(entry.get_absolute_url())
    parsed = outline(response)

    status = index_of(parsed, "p", "entry-status")
    assert parsed.elements[status][2][-2:] == ["entry", "entry-foot"]
    # After the whole body of the article, its footnotes included.
    assert status > index_of(parsed, "div", "entry-text")
    last_body = max(
        i for i, (_, _, inside, _) in enumerate(parsed.elements) if "entry-text" in inside
    )
    assert status > last_body
    links = [e for e in parsed.elements[status:] if "entry-status" in e[2] and e[0] == "a"]
    assert [link[3]["href"] for link in links] == [f"{entry.get_absolute_url()}history/"]
    text = page_text(response)
    assert re.search(
        r"Last changed [^.]*; not yet reviewed\. History of this page$",
        text.split(" Every fact on this site")[0],
    )


@pytest.mark.parametrize("kind", ENTRIES)
def test_each_entry_page_describes_itself_from_its_content(client, kind):
    entry = ENTRIES[kind]()

    description = outline(client.get(entry.get_absolute_url())).meta["description"]

    name = getattr(entry, "name", None) or getattr(entry, "title", None) or entry.system
    assert description.startswith(name)
    assert "[1]" not in description and "<" not in description
    assert 20 < len(description) <= DESCRIPTION_AT_MOST


def test_descriptions_are_built_from_the_facts(client):
    israel = make_partner(name="Israel")
    agreement = make_agreement(
        [israel],
        title="Defence pact",
        status="signed",
        date=datetime.date(2021, 11, 1),
        date_precision=DatePrecision.MONTH,
        summary="Signed in Rabat.[1] It covers intelligence.",
    )
    exercise = make_exercise([israel], name="African Lion 2024", location="Tan-Tan")

    pact = outline(client.get(agreement.get_absolute_url())).meta["description"]
    drill = outline(client.get(exercise.get_absolute_url())).meta["description"]

    assert pact == (
        "Defence pact: cooperation agreement between Morocco and Israel, signed, "
        "November 2021. Signed in Rabat. It covers intelligence."
    )
    assert drill.startswith("African Lion 2024: joint military exercise")
    assert "Tan-Tan, with Morocco and Israel." in drill


@pytest.mark.parametrize("kind", ["partner", "agreement", "person", "engagement"])
def test_the_description_is_escaped(client, kind):
    hostile = {"partner": "name", "agreement": "title", "person": "name", "engagement": "title"}
    entry = ENTRIES[kind]()
    setattr(entry, hostile[kind], HOSTILE)
    entry.summary = f"Said to be {HOSTILE} & more.[1]"
    entry.save()

    content = client.get(entry.get_absolute_url()).content.decode()

    meta = re.search(r'<meta name="description" content="([^"]*)">', content)
    assert meta, "the description's attribute is closed only by its own quote"
    assert "<script>" not in meta.group(1)
    assert "&quot;&gt;&lt;script&gt;" in meta.group(1)
    assert "&amp; more." in meta.group(1)


def test_long_summaries_are_cut_at_a_sentence_or_a_word():
    sentence = "Morocco and Spain hold joint exercises each year along the coast. "
    assert shortened(sentence * 4) == (sentence * 2).strip()
    words = "word " * 60
    cut = shortened(words)
    assert cut.endswith("word…") and len(cut) <= DESCRIPTION_AT_MOST
    assert plain_text("Trained[1] together[12], and [3]more.") == "Trained together, and more."
    assert str(meta_description('"A" & <b>')) == "&quot;A&quot; &amp; &lt;b&gt;"


def test_pages_without_their_own_description_have_the_sites(rf):
    request = rf.get("/")
    request.resolver_match = resolve("/")
    parsed = Outline()
    parsed.feed(render_to_string("base.html", request=request))

    assert parsed.meta["description"].startswith("A cited reference on Morocco’s defense")
    assert len(parsed.meta["description"]) <= DESCRIPTION_AT_MOST
    assert parsed.meta["theme-color"] == "#083b6a"


def test_an_error_page_says_what_it_is(client):
    parsed = outline(client.get("/partners/no-such-partner/"))

    assert parsed.meta["description"] == (
        "There is no page at this address on the Morocco defense partnerships wiki."
    )


def test_the_description_adds_no_query(client, django_assert_num_queries):
    """The description reads only what the page has loaded for its body."""
    agreement = make_agreement([make_partner() for _ in range(5)], summary="A pact.")
    url = agreement.get_absolute_url()
    queries = count_queries(client, url)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# -- the favicon -------------------------------------------------------------------


def test_favicon_ico_leads_to_the_static_icon_and_may_be_kept(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("icons/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    # The static file it leads to (served by WhiteNoise once collected).
    with open(finders.find("icons/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


def test_every_page_links_its_icons(client):
    content = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">' in content
    assert 'href="/static/icons/favicon.ico"' in content
    svg = Path(finders.find("icons/favicon.svg")).read_text(encoding="utf-8")
    assert "<title>" in svg and "style=" not in svg


# -- names that may be Arabic ------------------------------------------------------


def test_a_sources_arabic_publisher_and_the_quote_are_isolated(client):
    partner = cited(make_partner())

    content = client.get(partner.get_absolute_url()).content.decode()

    assert f"<bdi>{ARABIC}</bdi>" in content
    assert re.search(r"<bdi><q>[^<]+</q></bdi>", content)
    assert '<cite dir="auto">' in content


def test_names_in_the_fact_box_are_isolated(client):
    home = make_partner(name=ARABIC)
    company = make_partner(name="Maker", kind="company", parent=home)
    exercise = make_exercise([home], location=ARABIC)

    partner_page = client.get(company.get_absolute_url()).content.decode()
    exercise_page = client.get(exercise.get_absolute_url()).content.decode()

    assert re.search(r'<dd><bdi><a href="[^"]+">' + ARABIC + "</a></bdi>", partner_page)
    assert f"<bdi>{ARABIC}</bdi>" in exercise_page
    assert re.search(r'<bdi><a href="[^"]+">' + ARABIC + r"</a> \(participant\)", exercise_page)
