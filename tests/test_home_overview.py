"""The home page's overview: the partner × type table, the latest changes with a bulk
load as one line, and the page's description."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships import overview
from partnerships.models import Agreement, ExerciseParticipant, Partner

from .conftest import (
    make_agreement,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    make_user,
    page_text,
)
from .history_factories import START, make_engagement, make_indicator, new

pytestmark = pytest.mark.django_db

LOADER_SUMMARY = "Loaded from fixtures/entries.toml"


def table(response):
    html = response.content.decode()
    return html[html.index('<table class="overview">') : html.index("</table>")]


def rows(response):
    """[(partner's name, [cell texts], total)] in the table's order."""
    found = []
    for row in table(response).split("<tr>")[2:]:
        name = re.search(r'<th scope="row"><a [^>]*>([^<]*)</a>', row).group(1)
        cells = re.findall(r'<td class="tally[^"]*">(.*?)</td>', row)
        found.append((name, cells[:-1], re.sub(r"<[^>]+>", "", cells[-1])))
    return found


def seconds(n):
    return START + datetime.timedelta(seconds=n)


def loaded(count, *, first=0, summary=LOADER_SUMMARY, user=None, kind=Partner.Kind.COUNTRY):
    """`count` partners saved one second apart from second `first`, as one load."""
    return [
        new(
            Partner,
            seconds(first + n),
            summary,
            user,
            name=f"Loaded {first + n}",
            slug=f"loaded-{first + n}",
            kind=kind,
        )
        for n in range(count)
    ]


def changes_section(response):
    text = page_text(response)
    return text[text.index("Latest changes") : text.index("All recent changes")]


# -- the partner × type table -------------------------------------------------------------


def test_it_counts_a_partners_entries_of_each_type_and_links_to_the_filtered_lists(client):
    spain = make_partner(name="Spain", slug="spain")
    make_agreement(parties=[spain])
    make_agreement(parties=[spain])
    lion = make_exercise()
    ExerciseParticipant.objects.create(exercise=lion, partner=spain, role="observer")
    make_procurement(supplier=spain)
    make_engagement(partners=[spain])
    make_indicator(partner=spain)

    response = client.get("/")

    html = table(response)
    assert '<a href="/partners/spain/" dir="auto">Spain</a>' in html
    for path, count, noun in [
        ("/agreements/", 2, "agreements"),
        ("/exercises/", 1, "exercise"),
        ("/equipment/", 1, "equipment deal"),
        ("/engagements/", 1, "engagement"),
        ("/indicators/", 1, "indicator"),
    ]:
        link = f'<a href="{path}?partner=spain">{count}<span class="tally-noun"> {noun}</span>'
        assert link in html, path
        # Each filtered list finds what the cell counts.
        assert client.get(f"{path}?partner=spain").status_code == 200
    assert rows(response)[0][0] == "Spain" and rows(response)[0][2] == "6 in all"
    # Every column has a header, every row names its partner.
    assert html.count('<th scope="col">') == 7 and html.count('<th scope="row">') == 1


def test_a_deal_counts_for_its_supplier_and_its_maker(client):
    israel = make_partner(name="Israel", slug="israel")
    iai = make_partner(name="IAI", slug="iai", kind=Partner.Kind.COMPANY, parent=israel)
    make_procurement(supplier=israel, manufacturer=iai)

    html = table(client.get("/"))

    assert '<a href="/equipment/?partner=israel">1<' in html
    assert '<a href="/equipment/?partner=iai">1<' in html


def test_an_empty_cell_is_a_quiet_dash_that_says_none(client):
    make_agreement(parties=[make_partner(name="Spain", slug="spain")])

    ((name, cells, total),) = rows(client.get("/"))

    assert name == "Spain" and total == "1 in all"
    assert cells[1] == (
        '<span aria-hidden="true">–</span><span class="visually-hidden">no exercises</span>'
    )
    assert "href" not in "".join(cells[1:])


def test_the_busiest_partners_come_first_then_by_name(client):
    quiet = make_partner(name="Andorra")
    busy = make_partner(name="Zambia")
    middle_a, middle_b = make_partner(name="Chile"), make_partner(name="Benin")
    for _ in range(3):
        make_agreement(parties=[busy])
    make_engagement(partners=[middle_a])
    make_indicator(partner=middle_b)
    assert quiet  # no entries: still listed, last

    names = [name for name, _, _ in rows(client.get("/"))]

    assert names == ["Zambia", "Benin", "Chile", "Andorra"]


def test_it_shows_the_busiest_few_of_many_partners_and_links_to_them_all(client):
    partners = [
        make_partner(name=f"Country {n:02d}") for n in range(overview.OVERVIEW_PARTNERS + 5)
    ]
    make_agreement(parties=partners[-1:])

    response = client.get("/")

    assert len(rows(response)) == overview.OVERVIEW_PARTNERS
    assert rows(response)[0][0] == "Country 19"
    text = page_text(response)
    assert f"The {overview.OVERVIEW_PARTNERS} partners with the most entries, of 20," in text
    assert "All 20 partners" in text
    assert '<a href="/partners/">All 20 partners</a>' in response.content.decode()


def test_every_partner_is_named_when_there_are_few(client):
    make_partner(name="Spain")

    text = page_text(client.get("/"))

    assert "Every partner, with how many entries of each type link it to Morocco" in text
    assert "All 1 partner," in text


def test_no_partners_no_table(client):
    response = client.get("/")

    assert '<table class="overview">' not in response.content.decode()
    assert "No partners yet." in page_text(response)


def test_the_names_are_escaped(client):
    make_agreement(parties=[make_partner(name="<b>Spain</b>", slug="spain")])

    html = table(client.get("/"))

    assert "<b>Spain</b>" not in html and "&lt;b&gt;Spain&lt;/b&gt;" in html


def test_the_table_is_read_once_per_content_version(client, settings):
    settings.PICTURE_CACHE_SECONDS = 60
    caches[settings.PAGE_CACHE_ALIAS].clear()
    spain = make_partner(name="Spain", slug="spain")
    client.get("/")

    with CaptureQueriesContext(connection) as cached:
        assert "Spain" in page_text(client.get("/"))
    make_agreement(parties=[spain])
    with CaptureQueriesContext(connection) as after_a_save:
        response = client.get("/")

    assert len(after_a_save) == len(cached) + 1
    assert rows(response)[0][2] == "1 in all"


# -- query counts -------------------------------------------------------------------------


def partner_with_everything(n):
    partner = make_partner(name=f"Partner {n}")
    make_agreement(parties=[partner])
    make_exercise(participants=[partner])
    make_procurement(supplier=partner)
    make_engagement(partners=[partner])
    make_indicator(partner=partner)
    return partner


def home_queries(client):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_page_reads_as_many_queries_for_1_or_40_partners(client):
    partner_with_everything(0)
    one = home_queries(client)

    for n in range(1, 40):
        partner_with_everything(n)

    assert home_queries(client) == one
    # The counts (1; 2 on PostgreSQL, which reads its estimates first), the table (1),
    # the window of changes, the rest of its oldest run and the saves after it (3); no
    # session is read for an anonymous reader.
    assert one == (6 if connection.vendor == "postgresql" else 5)


# -- latest changes -----------------------------------------------------------------------


def test_a_bulk_load_is_one_line_with_its_numbers_and_a_link_to_its_changes(client):
    loaded(12)
    sources = [
        new(
            type(make_source()),
            seconds(20 + n),
            "Loaded from fixtures/sources.toml",
            title=f"Document {n}",
            slug=f"document-{n}",
            kind="news",
            full_text="Text.",
        )
        for n in range(5)
    ]
    assert len(sources) == 5

    response = client.get("/")

    lines = changes_section(response)
    # One run of the loader reads both files: one load, one line.
    assert (
        "17 entries created (12 partners, 5 sources) by the fixture loader: "
        "Loaded from fixtures/sources.toml; Loaded from fixtures/entries.toml"
    ) in lines
    assert "Loaded 3" not in lines
    assert '<a href="/changes/?from=2026-03-03&amp;to=2026-03-03">17 entries created</a>' in (
        response.content.decode()
    )


def test_a_load_of_several_types_names_each(client):
    loaded(6)
    loaded(2, first=6, kind=Partner.Kind.COMPANY)
    for n in range(3):
        new(
            type(make_source()),
            seconds(10 + n),
            LOADER_SUMMARY,
            title=f"Document {n}",
            slug=f"document-{n}",
            kind="news",
            full_text="Text.",
        )

    lines = changes_section(client.get("/"))

    assert "11 entries created (8 partners, 3 sources) by the fixture loader" in lines


def test_an_editors_changes_are_shown_one_by_one(client):
    alice = make_user("alice", first_name="Alice", last_name="Amrani")
    for n, summary in enumerate(["Fix the date", "Add a party", "Typo", "Cite Le Desk", "x"]):
        new(Partner, seconds(n), summary, alice, name=f"Edited {n}", slug=f"edited-{n}")
    # Fewer saves with the same summary than a bulk load: still one by one.
    for n in range(overview.GROUPED_AT_LEAST - 2):
        new(Partner, seconds(10 + n), "Same", alice, name=f"Same {n}", slug=f"same-{n}")

    lines = changes_section(client.get("/"))

    assert "entries created" not in lines and "partners created" not in lines
    assert "Same 2 (partner) created by Alice Amrani: Same" in lines
    assert "Edited 4 (partner) created by Alice Amrani: x" in lines
    assert lines.count("(partner) created") == overview.LATEST_LINES


def test_an_editors_own_bulk_saves_link_to_their_changes(client):
    alice = make_user("alice")
    loaded(overview.GROUPED_AT_LEAST, summary="Import the SIPRI rows", user=alice)

    response = client.get("/")

    assert "5 partners created by alice: Import the SIPRI rows" in changes_section(response)
    assert "/changes/?editor=alice&amp;from=2026-03-03&amp;to=2026-03-03" in (
        response.content.decode()
    )


def test_saves_an_hour_apart_or_broken_by_another_are_separate_runs(client):
    alice = make_user("alice")
    loaded(5)
    new(Partner, seconds(100), "Fix", alice, name="Between", slug="between")
    loaded(5, first=200)
    loaded(6, first=4000)  # more than an hour after the first of its summary

    lines = changes_section(client.get("/"))

    assert lines.count("partners created by the fixture loader") == 3
    assert "6 partners created" in lines and lines.count("5 partners created") == 2
    assert "Between (partner) created by alice: Fix" in lines


def test_a_run_longer_than_the_window_is_counted_whole_and_the_lines_after_it_shown():
    # Before the load, by the loader too but with another summary.
    new(Agreement, seconds(0), "", title="Older accord", slug="older", kind="cooperation")
    loaded(30, first=10)

    lines = overview.latest_changes(window=10)

    assert lines[0].grouped and lines[0].count == 30 and lines[0].noun == "partners"
    assert [str(line.label) for line in lines[1:]] == ["Older accord"]


def test_the_latest_changes_stay_at_most_eight_lines(client):
    for n in range(12):
        new(Partner, seconds(n * 10), f"Edit {n}", name=f"P {n}", slug=f"p-{n}")

    assert changes_section(client.get("/")).count("(partner) created") == overview.LATEST_LINES


def test_an_empty_log_says_so(client):
    assert overview.latest_changes() == []
    assert "No changes yet." in page_text(client.get("/"))


# -- the description ----------------------------------------------------------------------


def test_the_description_says_what_the_wiki_holds():
    from partnerships.counts import Count

    counts = [Count(13), Count(1), Count(3), Count(8), Count(11)]
    text = overview.description(counts, Count(5))
    assert text == (
        "Morocco’s defense partnerships, every fact cited: 13 partners, 1 agreement, "
        "3 exercises, 8 equipment deals, 11 engagements, from 5 sources."
    )
    estimated = [Count(123_456, estimated=True)] * 5
    assert len(overview.description(estimated, Count(1))) <= overview.DESCRIPTION_AT_MOST


def test_the_home_page_passes_its_description_to_the_template(client):
    make_agreement(parties=[make_partner(name="Spain")])

    response = client.get("/")

    assert response.context["description"].startswith(
        "Morocco’s defense partnerships, every fact cited: 1 partner, 1 agreement, 0 exercises"
    )
