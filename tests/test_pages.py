"""The public pages: what they show, their 404s, and query counts that do not grow
with the rows they show."""

import datetime
from decimal import Decimal

import pytest

from partnerships.dates import DatePrecision
from partnerships.models import AgreementParty, ExerciseParticipant, Partner
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

pytestmark = pytest.mark.django_db

MANY = 50


def footnotes(response):
    return response.content.decode().count('<li id="cite-')


def assert_queries_do_not_grow(client, django_assert_num_queries, url, grow):
    """The page makes as many queries after `grow()` adds rows as before it."""
    queries = count_queries(client, url)
    grow()
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return response


def cite_many(entry, source):
    for number in range(MANY - 1):
        make_citation(entry, source=source, note=f"claim {number}")


# -- detail pages ---------------------------------------------------------------------


def test_it_shows_a_partner_with_its_footnotes(client):
    israel = make_partner(name="Israel")
    company = make_partner(
        name="Israel Aerospace Industries",
        short_name="IAI",
        kind=Partner.Kind.COMPANY,
        parent=israel,
        aliases="Israel Aircraft Industries\nIAI Ltd",
        summary="Builds the Barak MX.",
    )
    source = make_source(
        title="Morocco-Israel Military Ties",
        publisher="Archyworldys",
        publication_date=datetime.date(2024, 4, 12),
        publication_date_precision=DatePrecision.DAY,
    )
    make_citation(company, source=source, note="builds the Barak MX")

    response = client.get(f"/partners/{company.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Israel Aerospace Industries (IAI)" in page_text(response)
    assert "Defense company" in content
    assert f'<a href="/partners/{israel.slug}/">Israel</a>' in content
    assert "Israel Aircraft Industries, IAI Ltd" in content
    assert "Builds the Barak MX." in content
    assert f"<q>{QUOTE}</q>" in content
    citation = company.citations.get()
    assert (
        f'<a href="/sources/{source.slug}/?citation={citation.pk}#citation-{citation.pk}">'
        "Morocco-Israel Military Ties</a>" in content
    )
    assert "Archyworldys, 12 April 2024." in page_text(response)
    # Its facts: the kind, home country, short name and other names uncited here.
    assert page_text(response).count("[citation needed]") == 4
    assert "States: existence of the entry. Builds the Barak MX." in page_text(response)


def test_it_labels_a_disputing_citation(client):
    nato = make_partner(name="North Atlantic Treaty Organization", kind="organization")
    source = make_source()
    make_citation(nato, source=source, note="a partner outside the alliance")
    make_citation(
        nato,
        source=source,
        quote="Officials said the deal was worth $500 million…",
        note="calls Morocco a member",
        stance=Citation.Stance.DISPUTES,
    )

    response = client.get(f"/partners/{nato.slug}/")

    content = response.content.decode()
    assert footnotes(response) == 2
    text = page_text(response)
    assert content.count('<strong class="dispute-label">Disputes:</strong>') == 1
    assert '<li id="cite-2" class="dispute">' in content
    # Said at the top, and shown beside the fact it disputes with both quotes.
    assert (
        "Disputed: a source contradicts what this entry records of existence of the entry" in text
    )
    attested = text[text.index("Attested by") : text.index("Kind")]
    assert attested == (
        "Attested by [1]Disputed: Officials said the deal was worth $500 million…[2] "
        f"Against: {QUOTE}[1] "
    ), attested
    assert "Disputes: existence of the entry. Calls Morocco a member." in text
    assert "undated." in text


def test_it_shows_an_agreement_with_its_parties_and_footnotes(client):
    agreement = make_agreement(
        title="$500 million defence agreement",
        parties=[make_partner(name="Israel"), make_partner(name="United States")],
        date=datetime.date(2022, 2, 1),
        date_precision=DatePrecision.MONTH,
        date_approximate=True,
        value_amount=Decimal("500000000"),
        value_currency="USD",
        status="signed",
    )
    make_citation(agreement, note="value of $500 million")

    response = client.get(f"/agreements/{agreement.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>$500 million defence agreement</h1>" in content
    assert '>Israel</a><sup class="citation-needed">' in content
    assert ">United States</a>" in content
    assert "February 2022 (approximate)" in content
    assert "In effect unknown" in page_text(response)
    assert "500,000,000 USD" in content
    assert "Signed" in content
    assert "States: existence of the entry. Value of $500 million." in page_text(response)
    assert f"<q>{QUOTE}</q>" in content


def test_it_shows_an_exercise_with_its_participants_and_footnotes(client):
    exercise = make_exercise(
        name="STEADFAST JACKAL 23",
        series="Steadfast Jackal",
        location="Spain and Norway",
        start_date=datetime.date(2023, 12, 1),
        start_date_precision=DatePrecision.MONTH,
        domains=["land", "air"],
    )
    nato = make_partner(name="NATO", kind="organization")
    ExerciseParticipant.objects.create(exercise=exercise, partner=nato, role="organizer")
    make_citation(exercise, note="held in Spain and Norway")

    response = client.get(f"/exercises/{exercise.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>STEADFAST JACKAL 23</h1>" in content
    assert "Steadfast Jackal" in content
    assert (
        '<dd><time datetime="2023-12">December 2023</time><sup class="citation-needed">' in content
    )
    assert "Spain and Norway" in content
    assert "Land, Air" in content
    assert f'<a href="/partners/{nato.slug}/">NATO</a> (organizer)' in content
    assert f"<q>{QUOTE}</q>" in content


def test_it_shows_a_procurement_with_its_footnotes(client):
    israel = make_partner(name="Israel")
    iai = make_partner(name="Israel Aerospace Industries", kind="company", parent=israel)
    procurement = make_procurement(
        system="Barak MX",
        supplier=israel,
        manufacturer=iai,
        agreement=make_agreement(title="Defence agreement"),
        order_date=datetime.date(2021, 1, 1),
        order_date_precision=DatePrecision.YEAR,
    )
    make_citation(procurement, note="built by IAI")

    response = client.get(f"/equipment/{procurement.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Barak MX</h1>" in content
    assert "Air defense" in content
    assert f'<a href="/partners/{israel.slug}/">Israel</a>' in content
    assert ">Israel Aerospace Industries</a>" in content
    assert ">Defence agreement</a>" in content
    text = page_text(response)
    assert "Quantity quantity unknown" in text
    assert (
        '<dt>Ordered</dt><dd><time datetime="2021">2021</time><sup class="citation-needed">'
        in content
    )
    assert "Delivered unknown" in text
    assert "Value unknown" in text
    assert "States: existence of the entry. Built by IAI." in page_text(response)
    assert f"<q>{QUOTE}</q>" in content


def test_it_shows_a_source_with_its_full_text(client):
    source = make_source(
        title="What is NATO's strategy with Morocco?",
        kind="analysis",
        reliability_note="Draws on NATO's annual report.",
    )

    response = client.get(f"/sources/{source.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>What is NATO&#x27;s strategy with Morocco?</h1>" in content
    assert "Analysis" in content
    assert "Published not dated in the document" in page_text(response)
    assert "Draws on NATO&#x27;s annual report." in content
    assert "Morocco’s armed forces are modernising quickly." in content


@pytest.mark.parametrize("kind", ["partners", "agreements", "exercises", "equipment", "sources"])
def test_it_answers_404_for_an_unknown_slug(client, kind):
    make_citation()

    response = client.get(f"/{kind}/no-such-entry/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# -- query counts ---------------------------------------------------------------------


def _procurement_with_every_link():
    supplier = make_partner()
    return make_procurement(
        supplier=supplier,
        manufacturer=make_partner(kind="company", parent=supplier),
        agreement=make_agreement(),
    )


# Each entry type with every relation its page shows filled in.
ENTRY_BUILDERS = {
    "partner": lambda: make_partner(kind="company", parent=make_partner()),
    "agreement": lambda: make_agreement(parties=[make_partner()]),
    "exercise": lambda: make_exercise(participants=[make_partner()]),
    "procurement": _procurement_with_every_link,
}


@pytest.mark.parametrize("kind", ENTRY_BUILDERS)
def test_it_shows_an_entry_in_the_same_queries_for_1_or_50_citations(
    kind, client, django_assert_num_queries
):
    citation = make_citation(ENTRY_BUILDERS[kind]())
    entry = citation.entry

    response = assert_queries_do_not_grow(
        client,
        django_assert_num_queries,
        entry.get_absolute_url(),
        lambda: cite_many(entry, citation.source),
    )

    assert footnotes(response) == MANY


def test_it_shows_an_agreement_in_the_same_queries_for_1_or_50_parties(
    client, django_assert_num_queries
):
    agreement = make_citation(make_agreement(parties=[make_partner()])).agreement

    def add_parties():
        for _ in range(MANY - 1):
            AgreementParty.objects.create(agreement=agreement, partner=make_partner())

    response = assert_queries_do_not_grow(
        client, django_assert_num_queries, agreement.get_absolute_url(), add_parties
    )

    assert response.content.decode().count('<a href="/partners/country-') == MANY


def test_it_shows_an_exercise_in_the_same_queries_for_1_or_50_participants(
    client, django_assert_num_queries
):
    exercise = make_citation(make_exercise(participants=[make_partner()])).exercise

    def add_participants():
        for _ in range(MANY - 1):
            ExerciseParticipant.objects.create(exercise=exercise, partner=make_partner())

    response = assert_queries_do_not_grow(
        client, django_assert_num_queries, exercise.get_absolute_url(), add_participants
    )

    assert response.content.decode().count("(participant)") == MANY


def test_it_shows_citations_from_many_sources_in_the_same_queries(
    client, django_assert_num_queries
):
    partner = make_citation().partner

    def cite_from_many_sources():
        for _ in range(MANY - 1):
            make_citation(partner)

    response = assert_queries_do_not_grow(
        client, django_assert_num_queries, partner.get_absolute_url(), cite_from_many_sources
    )

    assert footnotes(response) == MANY


def test_it_shows_a_source_in_the_same_queries_for_1_or_50_citations(
    client, django_assert_num_queries
):
    citation = make_citation()
    source = citation.source

    assert_queries_do_not_grow(
        client,
        django_assert_num_queries,
        source.get_absolute_url(),
        lambda: cite_many(citation.partner, source),
    )


def test_it_shows_the_home_page_in_the_same_queries_for_1_or_50_entries(
    client, django_assert_num_queries
):
    make_citation(make_agreement())

    def add_entries():
        for _ in range(MANY - 1):
            make_citation(make_agreement())

    response = assert_queries_do_not_grow(client, django_assert_num_queries, "/", add_entries)

    assert f"{MANY} agreements" in page_text(response)


def test_it_gathers_a_partners_agreements_exercises_equipment_and_timeline(client):
    israel = make_partner(name="Israel", aliases="State of Israel")
    iai = make_partner(name="Israel Aerospace Industries", kind="company", parent=israel)
    deal = make_agreement(
        title="Hermes agreement",
        parties=[israel],
        date=datetime.date(2021, 1, 1),
        date_precision=DatePrecision.YEAR,
    )
    lion = make_exercise(
        name="African Lion 2024",
        start_date=datetime.date(2024, 5, 1),
        start_date_precision=DatePrecision.MONTH,
    )
    ExerciseParticipant.objects.create(exercise=lion, partner=israel, role="observer")
    make_procurement(
        system="Barak MX",
        supplier=israel,
        manufacturer=iai,
        order_date=datetime.date(2022, 2, 1),
        order_date_precision=DatePrecision.MONTH,
        order_date_approximate=True,
    )
    make_procurement(system="Undated system", supplier=israel)
    make_citation(israel, note="a defense partner")

    response = client.get(f"/partners/{israel.slug}/")

    text = page_text(response)
    assert "Agreements (1) Hermes agreement — cooperation agreement, 2021, reported" in text
    assert "Exercises (1) African Lion 2024 — observer, May 2024" in text
    assert "Equipment supplied or built (2)" in text
    assert (
        "Barak MX — air defense; supplied by Israel; ordered February 2022 (approximate)" in text
    )
    assert "Its companies Israel Aerospace Industries" in text
    # The timeline puts the dated events in order, at their precision.
    # The chart drawn to scale comes first; an entry with no date is listed beside it.
    chart, timeline = text[text.index("Timeline Skip the chart") :].split(
        "Not on the axis, as no year is stated: Undated system (no date stated)"
    )
    assert "1 event 2021: Hermes agreement" in chart
    assert timeline.index("Hermes agreement") < timeline.index("Barak MX")
    assert timeline.index("Barak MX") < timeline.index("African Lion 2024")
    assert "Undated system" not in timeline.split("See this timeline")[0]
    assert f'href="/timeline/?partner={israel.slug}"' in response.content.decode()
    assert deal.get_absolute_url() in response.content.decode()

    # The maker's page lists what it built.
    assert "built by Israel Aerospace Industries" in page_text(client.get(iai.get_absolute_url()))


def test_a_partners_timeline_says_whether_it_has_nothing_dated_or_nothing_at_all(client):
    egypt = make_partner(name="Egypt")
    spain = make_partner(name="Spain")
    make_agreement(title="Undated accord", parties=[spain])

    nothing = page_text(client.get(f"/partners/{egypt.slug}/"))
    undated = page_text(client.get(f"/partners/{spain.slug}/"))

    assert (
        "Timeline With no agreement, exercise or equipment deal recorded, Egypt has nothing "
        "to place on a timeline." in nothing
    )
    assert "None of these is dated" not in nothing
    assert "Timeline None of these is dated in the sources." in undated


def test_a_partner_page_escapes_what_its_entries_are_called(client):
    partner = make_partner(name="Tom & <Jerry>")
    make_agreement(title="<script>alert(1)</script>", parties=[partner])
    exercise = make_exercise(name='"Lion" <b>')
    ExerciseParticipant.objects.create(exercise=exercise, partner=partner)
    make_procurement(system="<img src=x>", supplier=partner)

    content = client.get(partner.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a> — cooperation agreement" in content
    assert "&quot;Lion&quot; &lt;b&gt;</a> — participant" in content
    assert "&lt;img src=x&gt;</a> — air defense; supplied by Tom &amp; &lt;Jerry&gt;" in content
    assert "<script>" not in content and "<img src=x>" not in content


def test_it_shows_a_partner_in_the_same_queries_for_1_or_50_of_each_relation(
    client, django_assert_num_queries
):
    partner = make_citation().partner

    def add_one_of_each():
        make_agreement(
            parties=[partner], date=datetime.date(2020, 1, 1), date_precision=DatePrecision.YEAR
        )
        ExerciseParticipant.objects.create(exercise=make_exercise(), partner=partner)
        make_procurement(supplier=partner)
        make_partner(kind=Partner.Kind.COMPANY, parent=partner)

    add_one_of_each()
    response = assert_queries_do_not_grow(
        client,
        django_assert_num_queries,
        partner.get_absolute_url(),
        lambda: [add_one_of_each() for _ in range(MANY - 1)],
    )

    text = page_text(response)
    assert f"Agreements ({MANY})" in text
    assert f"Exercises ({MANY})" in text
    assert f"Equipment supplied or built ({MANY})" in text
    companies = response.content.decode().split("<dt>Its companies</dt>")[1].split("</dd>")[0]
    assert companies.count("<a ") == MANY


def test_it_explains_the_site_and_counts_each_type_on_the_home_page(client):
    nato = make_partner(name="NATO", kind="organization")
    make_citation(make_agreement(title="Mediterranean Dialogue", parties=[nato]))

    response = client.get("/")

    text = page_text(response)
    assert "Every fact is footnoted to the sentence in a source that supports it." in text
    assert "1 partner 1 agreement 0 exercises 0 equipment deals 1 source 1 cited passages" in text
    assert "NATO International organization or alliance 1 agreement with NATO" in text
    # The latest changes, newest first, with who made them.
    changes = text[text.index("Latest changes") :]
    assert "Mediterranean Dialogue (agreement) created" in changes


def test_a_busy_partners_page_shows_its_latest_entries_and_links_to_the_rest(client):
    spain = make_partner(name="Spain", slug="spain")
    for year in range(2001, 2013):
        make_agreement(
            title=f"Accord of {year}",
            parties=[spain],
            date=datetime.date(year, 1, 1),
            date_precision=DatePrecision.YEAR,
        )
    make_agreement(title="Undated accord", parties=[spain])

    response = client.get("/partners/spain/")

    text = page_text(response)
    assert "Agreements (13) The latest 10, newest first. All 13 agreements with Spain" in text
    section = text[text.index("Agreements (13)") : text.index("Exercises (")]
    shown = [year for year in range(2001, 2013) if f"Accord of {year}" in section]
    assert shown == list(range(2003, 2013))
    assert "Undated accord" not in section
    # The chart drawn to scale places every dated one; the list below it, those above.
    chart = text[text.index("Timeline Skip the chart") : text.index("Not on the axis")]
    assert all(f"Accord of {year}" in chart for year in range(2001, 2013))
    assert 'href="/agreements/?partner=spain"' in response.content.decode()
    assert "with every dated event of Spain" in text


def test_counts_past_the_exact_limit_are_estimates_shown_as_such():
    from partnerships.counts import Count

    assert str(Count(64)) == "64"
    assert str(Count(100_234, estimated=True)) == "about 100,000"
    assert str(Count(12_345, estimated=True)) == "about 12,000"
    assert str(Count(7, estimated=True)) == "about 7"


def test_on_postgresql_a_large_table_is_counted_from_the_planners_estimate(client, monkeypatch):
    from django.db import connection

    from partnerships import counts

    if connection.vendor != "postgresql":
        pytest.skip("the estimate is PostgreSQL's (pg_class.reltuples)")
    for n in range(3):
        make_partner(name=f"Country {n}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partnerships_partner")
    monkeypatch.setattr(counts, "EXACT_UP_TO", 1)
    assert "about 3 partners" in page_text(client.get("/"))
