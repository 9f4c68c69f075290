"""The data-quality report (/quality/): each section lists what it should and nothing
else, agrees with the entry pages, links the admin for staff only, exports every row
as CSV, and reads as many queries for 50 entries as for one."""

import csv
import datetime
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships import quality
from partnerships.dates import DatePrecision
from partnerships.history.models import Change, ReviewMark
from partnerships.history.saves import recording
from partnerships.models import (
    Agreement,
    Engagement,
    EngagementPartner,
    EngagementPerson,
    Indicator,
    IndicatorValue,
    Person,
    Position,
    Procurement,
)
from sources.models import Citation, Source

from .conftest import (
    QUOTE,
    admin_url,
    count_queries,
    logged_in,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    make_user,
    page_text,
)

pytestmark = pytest.mark.django_db

URL = "/quality/"
MANY = 50
# Another sentence of conftest.SOURCE_TEXT, for a second citation from the same source.
OTHER_QUOTE = "Officials said the deal was worth $500 million…"
DAY = {"date": datetime.date(2024, 4, 12), "date_precision": DatePrecision.DAY}


def cite(entry, facts, stance=Citation.Stance.SUPPORTS, **overrides):
    return make_citation(entry, facts=facts, stance=stance, **overrides)


# -- people, engagements, indicators: local factories ----------------------------------

_made = iter(range(1, 1_000_000))


def make_person(name=None, positions=(), **overrides):
    """A person with `positions` (dicts of Position's fields), saved as one save."""
    n = next(_made)
    values = {"name": name or f"Person {n}", "slug": f"person-q{n}", **overrides}
    with recording():
        person = Person.objects.create(**values)
        for position in positions:
            Position.objects.create(person=person, **position)
    return person


def make_engagement(title=None, partners=(), people=(), **overrides):
    """An engagement with `partners` and `people` taking part, saved as one save."""
    n = next(_made)
    values = {
        "title": title or f"Engagement {n}",
        "slug": f"engagement-q{n}",
        "kind": Engagement.Kind.VISIT,
        **overrides,
    }
    with recording():
        engagement = Engagement.objects.create(**values)
        for partner in partners:
            EngagementPartner.objects.create(engagement=engagement, partner=partner)
        for person in people:
            EngagementPerson.objects.create(engagement=engagement, person=person)
    return engagement


def make_indicator(name=None, values=(), **overrides):
    """An indicator with `values` (dicts of IndicatorValue's fields), saved as one save."""
    n = next(_made)
    fields = {
        "name": name or f"Indicator {n}",
        "slug": f"indicator-q{n}",
        "subject": "Morocco",
        "unit": "billion",
        "currency": "USD",
        **overrides,
    }
    with recording():
        indicator = Indicator.objects.create(**fields)
        for value in values:
            IndicatorValue.objects.create(indicator=indicator, **value)
    return indicator


def year(number, **overrides):
    return {
        "period": datetime.date(number, 1, 1),
        "period_precision": DatePrecision.YEAR,
        **overrides,
    }


def section_html(response, section_id):
    html = response.content.decode()
    found = re.search(
        rf'<section class="quality-section" id="{section_id}".*?</section>', html, re.S
    )
    assert found, f"no section {section_id}"
    return found.group(0)


def text(html):
    return page_text(SimpleNamespace(content=html.encode()))


def rows(response, section_id):
    """The text of each row of a section's table."""
    html = section_html(response, section_id)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return [text(row) for row in re.findall(r"<tr>.*?</tr>", body.group(1), re.S)] if body else []


def kinds(response, section_id):
    """The kind of entry of each row of a section's table."""
    return re.findall(r"</th>\s*<td>([^<]*)</td>", section_html(response, section_id))


def summary_count(response, title):
    found = re.search(
        rf">{re.escape(title)}</a></th><td class=\"num\">([0-9,]+)<", response.content.decode()
    )
    assert found, f"no count for {title}"
    return int(found.group(1).replace(",", ""))


def read_csv(response):
    assert response.streaming
    content = b"".join(response.streaming_content).decode()
    lines = content.splitlines()
    assert lines[0].startswith('"# Data-quality report of the')
    return list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))


# -- uncited facts ------------------------------------------------------------------------


def test_it_lists_facts_with_a_value_and_no_supporting_citation(client):
    agreement = make_agreement(
        title="Defence pact", value_amount=Decimal(5), value_currency="USD", **DAY
    )
    cite(agreement, "existence kind")

    response = client.get(URL)

    assert response.status_code == 200
    listed = rows(response, "uncited")
    assert "Defence pact Agreement date concluded" in listed
    assert "Defence pact Agreement value" in listed
    # Cited, or with no value to cite (its status is only "reported", it has no end).
    assert not any(
        row.endswith(("kind", "existence of the entry", "status", "end")) for row in listed
    )


def test_it_does_not_take_a_start_date_for_the_date_concluded(client):
    agreement = make_agreement(
        title="Pact",
        start_date=datetime.date(2024, 5, 1),
        start_date_precision=DatePrecision.DAY,
        **DAY,
    )
    cite(agreement, "existence kind start_date")

    listed = rows(client.get(URL), "uncited")

    assert listed == ["Pact Agreement date concluded"]


def test_it_counts_a_fact_cited_only_by_a_disputing_citation_as_uncited(client):
    agreement = make_agreement(title="Pact", **DAY)
    cite(agreement, "existence kind")
    cite(agreement, "date", stance=Citation.Stance.DISPUTES)

    listed = rows(client.get(URL), "uncited")

    assert listed == ["Pact Agreement date concluded"]


def test_it_lists_each_party_and_participant_no_citation_names(client):
    spain, france = make_partner(name="Spain"), make_partner(name="France")
    agreement = make_agreement(title="Pact", parties=[spain, france])
    cite(agreement, f"existence kind party:{spain.pk}")
    exercise = make_exercise(name="Lion 2024", series="", participants=[spain, france])
    cite(exercise, f"existence participant:{france.pk}")

    listed = [row for row in rows(client.get(URL), "uncited") if " Partner " not in row]

    assert listed == [
        "Pact Agreement party: France",
        "Lion 2024 Exercise participant and role: Spain",
    ]


def test_it_lists_an_entry_whose_existence_is_disputed_and_not_supported(client):
    partner = make_partner(name="Atlantis")
    cite(partner, "existence kind", stance=Citation.Stance.DISPUTES)

    listed = rows(client.get(URL), "uncited")

    assert listed == ["Atlantis Partner existence of the entry", "Atlantis Partner kind"]


def test_it_lists_what_the_entry_pages_mark_citation_needed(client):
    spain = make_partner(name="Spain")
    agreement = make_agreement(title="Pact", parties=[spain, make_partner()], **DAY)
    cite(agreement, f"existence date party:{spain.pk}")
    cite(agreement, "value kind", stance=Citation.Stance.DISPUTES)
    procurement = make_procurement(system="Barak MX", quantity=36)
    cite(procurement, "existence system quantity")

    listed = rows(client.get(URL), "uncited")
    for entry in (agreement, procurement):
        page = client.get(entry.get_absolute_url()).content.decode()
        marked = page.count('class="citation-needed"')
        assert marked == sum(row.startswith(f"{entry} ") for row in listed), entry


def test_it_finds_the_same_rows_by_testing_each_entry_or_by_a_join(client, monkeypatch):
    spain, france = make_partner(name="Spain"), make_partner(name="France")
    for number in range(3):
        agreement = make_agreement(title=f"Pact {number}", parties=[spain, france], **DAY)
        cite(agreement, f"kind party:{spain.pk}")
        cite(agreement, "existence date", stance=Citation.Stance.DISPUTES)
    tested = rows(client.get(URL), "uncited")

    monkeypatch.setattr(quality, "PROBES_AT_MOST", 0)
    joined = rows(client.get(URL), "uncited")

    assert tested == joined
    assert "Pact 0 Agreement existence of the entry" in joined
    assert "Pact 2 Agreement party: France" in joined


def test_it_gives_the_uncited_section_the_id_entry_pages_link_to(client):
    make_partner()

    html = client.get(URL).content.decode()

    assert '<section class="quality-section" id="uncited"' in html
    assert '<h2 id="uncited-heading">' in html


# -- disputes, dates, unknowns -----------------------------------------------------------


def test_it_lists_each_disputed_fact_with_its_disputing_quote(client):
    spain = make_partner(name="Spain")
    agreement = make_agreement(
        title="Pact", parties=[spain], value_amount=Decimal(5), value_currency="USD"
    )
    cite(agreement, f"value party:{spain.pk}", stance=Citation.Stance.DISPUTES, quote=OTHER_QUOTE)
    cite(make_agreement(title="Undisputed"), "existence value")

    response = client.get(URL)
    listed = rows(response, "disputed")

    assert len(listed) == 2
    assert listed[0].startswith(
        "Pact Agreement value Officials said the deal was worth $500 million… — Report"
    )
    assert listed[1].startswith("Pact Agreement party: Spain Officials said")
    assert summary_count(response, "Disputes") == 2


def test_it_lists_approximate_dates_and_months_without_a_year(client):
    make_agreement(
        title="Hedged",
        date=datetime.date(2021, 1, 1),
        date_precision=DatePrecision.YEAR,
        date_approximate=True,
    )
    make_exercise(
        name="Lion",
        start_date_precision=DatePrecision.MONTH_NO_YEAR,
        start_date_month=2,
    )
    make_agreement(title="Exact", **DAY)

    listed = rows(client.get(URL), "dates")

    assert listed == [
        "Hedged Agreement date concluded 2021 (approximate)",
        "Lion Exercise start February, year not stated",
    ]


def test_it_lists_the_unknown_values_readers_look_for(client):
    make_agreement(title="Bare")
    make_agreement(title="Full", value_amount=Decimal(5), value_currency="USD", **DAY)
    make_exercise(
        name="Lion",
        location="Tan-Tan",
        start_date_precision=DatePrecision.MONTH_NO_YEAR,
        start_date_month=3,
    )
    make_procurement(system="Barak MX", quantity=0)

    listed = rows(client.get(URL), "unknown")

    assert listed == [
        "Bare Agreement date concluded",
        "Bare Agreement value",
        "Barak MX Equipment deal maker",
        "Barak MX Equipment deal order date",
        "Barak MX Equipment deal delivery date",
        "Barak MX Equipment deal value",
    ]


# -- quotes and sources ---------------------------------------------------------------------


def test_it_lists_quotes_their_source_no_longer_holds(client):
    source = make_source(title="Report A")
    partner = make_partner(name="Spain")
    cite(partner, "existence", source=source)
    # Typographic quotes and spaces differ, the words do not: still found.
    cite(partner, "kind", source=source, quote="Morocco's armed forces   are modernising quickly.")
    # Edited past the check the admin makes.
    Source.objects.filter(pk=source.pk).update(full_text="Another text altogether.")
    fine = cite(make_partner(name="France"), "existence")

    response = client.get(URL)
    listed = rows(response, "broken-quotes")

    assert len(listed) == 2
    assert all(row.startswith("Spain Partner") and "Report A" in row for row in listed)
    assert fine.source.title not in " ".join(listed)
    assert summary_count(response, "Quotes not found in their source") == 2


def test_it_does_not_list_a_quote_found_once_normalized(client):
    cite(
        make_partner(),
        "existence",
        quote='The "African Lion" exercise - held every year - drew thousands of troops',
    )

    assert rows(client.get(URL), "broken-quotes") == []


def test_it_lists_entries_resting_on_one_source(client):
    source = make_source(title="Report A")
    alone = make_agreement(title="Alone")
    cite(alone, "existence", source=source)
    cite(alone, "kind", source=source, quote=OTHER_QUOTE)
    # A disputing citation from elsewhere does not support it.
    cite(alone, "kind", stance=Citation.Stance.DISPUTES)
    both = make_agreement(title="Both")
    cite(both, "existence", source=source)
    cite(both, "kind")

    listed = rows(client.get(URL), "single-source")

    assert listed == ["Alone Agreement Report A"]


# -- unreviewed saves ------------------------------------------------------------------------


def test_it_lists_saves_not_reviewed_after_seven_days(client):
    old, reviewed, recent = (make_agreement(title=t) for t in ("Old", "Reviewed", "Recent"))
    week_ago = timezone.now() - datetime.timedelta(days=8)
    Change.objects.filter(entry_id__in=[old.pk, reviewed.pk]).update(date=week_ago)
    ReviewMark.objects.create(
        change=Change.objects.get(entry_id=reviewed.pk), reviewer=make_user()
    )

    listed = rows(client.get(URL), "unreviewed")

    assert len(listed) == 1
    assert listed[0].startswith("Old Agreement created")
    assert "what changed" in listed[0]
    assert recent.title not in listed[0]


# -- the summary, links and bounds ---------------------------------------------------------


def test_it_counts_each_section_and_the_facts_cited_uncited_and_disputed(client):
    spain = make_partner(name="Spain")  # kind uncited
    agreement = make_agreement(title="Pact", parties=[spain], **DAY)  # kind, date, party
    cite(agreement, "existence kind")
    cite(agreement, "date", stance=Citation.Stance.DISPUTES)

    response = client.get(URL)
    facts = text(
        re.search(
            r"<table class=\"list\">\s*<caption id=\"facts-caption\">.*?</table>",
            response.content.decode(),
            re.S,
        ).group(0)
    )

    assert (
        summary_count(response, "Facts without a citation") == 3
    )  # Spain's kind, the date, the party
    assert summary_count(response, "Disputes") == 1
    assert summary_count(response, "Unknown values") == 1  # the value
    assert summary_count(response, "Entries resting on one source") == 1
    assert "Partner 1 0 1 0" in facts
    assert "Agreement 1 2 2 1" in facts  # cited: existence, kind; uncited: date, party
    assert "All 2 2 3 1" in facts


def test_it_links_the_admin_for_staff_and_not_for_readers(editor):
    agreement = make_agreement(title="Pact", **DAY)
    change_page = admin_url(agreement)

    anonymous = Client().get(URL).content.decode()
    staff = logged_in(editor).get(URL).content.decode()

    assert agreement.get_absolute_url() in anonymous
    assert change_page not in anonymous
    assert f'<a href="{change_page}">Edit<span class="visually-hidden"> Pact</span></a>' in staff


def test_it_does_not_link_the_admin_for_signed_in_readers_who_are_not_staff(client):
    make_agreement(title="Pact")
    client.force_login(make_user(is_staff=False))

    assert "/admin/partnerships/agreement/" not in client.get(URL).content.decode()


def test_it_shows_at_most_a_fixed_number_of_rows_of_each_kind(client, monkeypatch):
    monkeypatch.setattr(quality, "ROWS_PER_KIND", 3)
    for number in range(5):
        make_agreement(title=f"Agreement {number:02}")
    make_partner(name="Spain")

    response = client.get(URL)
    listed = rows(response, "unknown")

    assert listed == [
        "Agreement 00 Agreement date concluded",
        "Agreement 00 Agreement value",
        "Agreement 01 Agreement date concluded",
    ]
    assert "The first 3 of 10 are listed here" in text(section_html(response, "unknown"))
    assert len(rows(response, "uncited")) == 4  # three agreements' kinds, and Spain's


# -- the CSV export ---------------------------------------------------------------------------


def test_it_exports_every_row_of_every_section_as_csv(client, monkeypatch):
    monkeypatch.setattr(quality, "ROWS_PER_KIND", 1)
    spain = make_partner(name="Spain")
    agreement = make_agreement(
        title="Pact", parties=[spain], date_precision=DatePrecision.MONTH_NO_YEAR, date_month=2
    )
    cite(agreement, "existence kind", quote=OTHER_QUOTE)
    cite(agreement, "status", stance=Citation.Stance.DISPUTES)
    Change.objects.update(date=timezone.now() - datetime.timedelta(days=30))

    response = client.get(URL, {"format": "csv"})
    exported = read_csv(response)

    assert response["Content-Disposition"].startswith('attachment; filename="data-quality-')
    assert list(exported[0]) == ["section", "entry_type", "entry", "url", "fact", "detail"]
    found = {(row["section"], row["entry"], row["fact"]) for row in exported}
    assert found >= {
        ("uncited", "Spain", "kind"),
        ("uncited", "Pact", "date concluded"),
        ("uncited", "Pact", "party: Spain"),
        ("disputed", "Pact", "status"),
        ("dates", "Pact", "date concluded"),
        ("unknown", "Pact", "value"),
        ("single-source", "Pact", ""),
        ("unreviewed", "Pact", "created"),
        ("unreviewed", "Spain", "created"),
    }
    page = client.get(URL)
    for title, section_id in (
        ("Facts without a citation", "uncited"),
        ("Unknown values", "unknown"),
    ):
        assert summary_count(page, title) == sum(row["section"] == section_id for row in exported)
    pact = next(row for row in exported if row["section"] == "dates")
    assert pact["url"] == f"http://testserver{agreement.get_absolute_url()}"
    assert pact["detail"] == "February, year not stated"
    disputed = next(row for row in exported if row["section"] == "disputed")
    assert (
        disputed["detail"]
        == f"disputed: “{QUOTE}” ({Citation.objects.get(stance='disputes').source})"
    )


def test_it_defuses_spreadsheet_formulas_in_the_csv(client):
    make_agreement(title='=HYPERLINK("http://evil")')

    exported = read_csv(client.get(URL, {"format": "csv"}))

    assert {row["entry"] for row in exported} == {'\'=HYPERLINK("http://evil")'}


@pytest.mark.parametrize("value", ["json", "CSV", "csv\x00", "x" * 500])
def test_it_answers_an_unknown_format_with_400_and_says_why(client, value):
    make_agreement()

    response = client.get(URL, {"format": value})

    assert response.status_code == 400
    assert "The report downloads as CSV only" in response.content.decode()


def test_it_ignores_parameters_it_does_not_take(client):
    make_agreement()

    response = client.get(URL, {"page": "-1", "sort": "\x00", "section": "nope"})

    assert response.status_code == 200


# -- queries --------------------------------------------------------------------------------


def make_entries(count):
    """Entries of every kind, each with supporting and disputing citations, a party or
    participant, an uncertain date, unknowns and a save left unreviewed."""
    source = make_source()
    for _ in range(count):
        partner = make_partner()
        cite(partner, "existence kind", source=source)
        agreement = make_agreement(
            parties=[partner],
            date=datetime.date(2020, 1, 1),
            date_precision=DatePrecision.YEAR,
            date_approximate=True,
        )
        cite(agreement, f"existence kind party:{partner.pk}", source=source)
        cite(agreement, "date", stance=Citation.Stance.DISPUTES)
        exercise = make_exercise(participants=[partner])
        cite(exercise, "existence series", source=source, quote=OTHER_QUOTE)
        procurement = make_procurement(supplier=partner, quantity=3)
        cite(procurement, "existence system", source=source)
        cite(procurement, "quantity", stance=Citation.Stance.DISPUTES)
    Change.objects.update(date=timezone.now() - datetime.timedelta(days=10))


@pytest.mark.parametrize("staff", [False, True], ids=["reader", "staff"])
def test_it_makes_the_same_queries_for_1_or_50_entries(client, django_assert_num_queries, staff):
    if staff:
        client.force_login(make_user())
    make_entries(1)
    queries = count_queries(client, URL)

    make_entries(MANY - 1)
    with django_assert_num_queries(queries):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(rows(response, "dates")) == quality.ROWS_PER_KIND
    assert summary_count(response, "Uncertain dates") == MANY


def test_it_reads_no_section_the_counts_find_empty(client, django_assert_num_queries):
    # The counts, the quotes not found verbatim, the unreviewed saves and their count.
    with django_assert_num_queries(4):
        response = client.get(URL)

    assert response.status_code == 200
    assert "None." in section_html(response, "uncited")


def test_it_keeps_its_counts_until_the_wiki_changes(settings, editor):
    settings.PAGE_CACHE, settings.PAGE_CACHE_SECONDS = True, 600
    client = logged_in(editor)  # never served from the page cache
    make_agreement(title="Pact")
    client.get(URL)

    with CaptureQueriesContext(connection) as queries:
        kept = client.get(URL)
    make_agreement(title="Later")
    changed = client.get(URL)

    assert not any("AS entries" in query["sql"] for query in queries.captured_queries)
    assert not any("WITH texts" in query["sql"] for query in queries.captured_queries)
    assert summary_count(kept, "Unknown values") == 2
    assert summary_count(changed, "Unknown values") == 4


# -- the admin change form ----------------------------------------------------------------


def test_it_says_what_is_wrong_with_one_entry():
    spain, france = make_partner(name="Spain"), make_partner(name="France")
    source = make_source(title="Report A")
    agreement = make_agreement(
        title="Pact",
        parties=[spain, france],
        date=datetime.date(2021, 1, 1),
        date_precision=DatePrecision.YEAR,
        date_approximate=True,
    )
    cite(agreement, f"existence kind party:{spain.pk}", source=source)
    cite(agreement, "date", stance=Citation.Stance.DISPUTES, source=source)
    broken = cite(agreement, "kind", source=source, quote=OTHER_QUOTE)
    Source.objects.filter(pk=source.pk).update(full_text=f"{QUOTE} Nothing else.")

    warnings = quality.warnings_for("agreement", Agreement.objects.get(pk=agreement.pk))

    assert warnings == [
        "No citation supports these facts: date concluded, party: France (its page marks "
        "them “citation needed”).",
        "A source disputes this fact: date concluded.",
        "The date concluded is approximate: 2021 (approximate).",
        "It rests on a single source: every supporting citation is from “Report A”.",
        f"The quote “{broken.quote}” no longer occurs in the text of “Report A”.",
    ]


def test_it_has_nothing_to_say_of_a_well_cited_entry():
    procurement = make_procurement(system="Barak MX")
    cite(procurement, "existence system category supplier")
    cite(procurement, "status", source=make_source())

    assert quality.warnings_for("procurement", Procurement.objects.get(pk=procurement.pk)) == []


def test_it_shows_the_warnings_on_the_change_form_and_not_the_add_form(editor_client):
    exercise = make_exercise(
        name="Lion", start_date_precision=DatePrecision.MONTH_NO_YEAR, start_date_month=2
    )

    change = editor_client.get(admin_url(exercise)).content.decode()
    add = editor_client.get("/admin/partnerships/exercise/add/").content.decode()

    assert 'id="quality-warnings"' in change
    assert "The start has no year: February, year not stated." in change
    assert "quality-warnings" not in add


def test_it_shows_no_warnings_on_a_source_form(editor_client):
    source = make_source()

    response = editor_client.get(admin_url(source))

    assert response.status_code == 200
    assert "quality-warnings" not in response.content.decode()


# -- people, engagements, indicators ------------------------------------------------------


def position(title, partner=None, body="", **dates):
    return {"title": title, "partner": partner, "body": body, **dates}


def test_it_lists_each_position_person_taking_part_and_value_no_citation_names(client):
    nato, spain = make_partner(name="NATO"), make_partner(name="Spain")
    cite(nato, "existence kind")
    cite(spain, "existence kind")
    person = make_person(
        "Jens Stoltenberg",
        [
            position(
                "Secretary General",
                nato,
                start_date=datetime.date(2014, 1, 1),
                start_date_precision=DatePrecision.YEAR,
            ),
            position("Prime Minister", body="Norway"),
        ],
    )
    _held, minister = person.positions.order_by("pk")
    cite(person, f"existence name position:{minister.pk}")
    other = make_person("Nasser Bourita")
    cite(other, "existence name")
    engagement = make_engagement("Visit", partners=[nato, spain], people=[person, other], **DAY)
    cite(engagement, f"existence kind date partner:{spain.pk} person:{other.pk}")
    indicator = make_indicator(
        "Defense spending",
        [year(2028, value=Decimal("5.2"), basis="projection"), year(2023, value=Decimal(5))],
    )
    _projected, reported = indicator.values.order_by("-period")
    cite(indicator, f"existence subject unit currency value:{reported.pk}")

    listed = rows(client.get(URL), "uncited")

    # Kind by kind, each entry's facts in their declared order.
    assert listed == [
        "Jens Stoltenberg Person position: Secretary General, NATO (from 2014)",
        "Visit Engagement partner and role: NATO",
        "Visit Engagement person and role: Jens Stoltenberg",
        "Defense spending Indicator value: 2028: 5.2 (projection)",
    ]


def test_it_lists_a_disputed_engagement_date_and_the_person_a_dispute_names(client):
    person = make_person("Jens Stoltenberg")
    engagement = make_engagement("Visit", people=[person], **DAY)
    cite(engagement, f"existence kind date person:{person.pk}")
    cite(engagement, f"date person:{person.pk}", stance=Citation.Stance.DISPUTES)

    response = client.get(URL)
    listed = rows(response, "disputed")

    assert [row.split(" Morocco’s")[0] for row in listed] == [
        "Visit Engagement date",
        "Visit Engagement person and role: Jens Stoltenberg",
    ]
    assert all(QUOTE in row for row in listed)
    assert summary_count(response, "Disputes") == 2
    assert rows(response, "uncited") == ["Jens Stoltenberg Person name"]


def test_it_names_a_disputed_position_and_value(client):
    person = make_person("Jens Stoltenberg", [position("Secretary General", body="NATO")])
    (held,) = person.positions.all()
    cite(person, f"position:{held.pk}", stance=Citation.Stance.DISPUTES)
    indicator = make_indicator("Defense spending", [year(2028, value=Decimal("5.2"))])
    (value,) = indicator.values.all()
    cite(indicator, f"value:{value.pk}", stance=Citation.Stance.DISPUTES)

    listed = [row.split(" Morocco’s")[0] for row in rows(client.get(URL), "disputed")]

    assert listed == [
        "Jens Stoltenberg Person position: Secretary General, NATO",
        "Defense spending Indicator value: 2028: 5.2 (reported)",
    ]


def test_it_lists_the_uncertain_dates_of_engagements_positions_and_values(client):
    make_engagement(
        "Visit", date_precision=DatePrecision.MONTH_NO_YEAR, date_month=2, place="Rabat"
    )
    nato = make_partner(name="NATO")
    make_person(
        "Jens Stoltenberg",
        [
            position(
                "Secretary General",
                nato,
                start_date_precision=DatePrecision.MONTH_NO_YEAR,
                start_date_month=10,
                end_date=datetime.date(2024, 1, 1),
                end_date_precision=DatePrecision.YEAR,
                end_date_approximate=True,
            ),
            position("Prime Minister", body="Norway"),
        ],
    )
    make_indicator(
        "Defense spending",
        [year(2028, value=Decimal("5.2"), basis="projection", period_approximate=True)],
    )
    make_engagement("Exact", place="Rabat", **DAY)

    response = client.get(URL)
    listed = rows(response, "dates")

    assert listed == [
        "Jens Stoltenberg Person start of position Secretary General, NATO "
        "October, year not stated",
        "Jens Stoltenberg Person end of position Secretary General, NATO 2024 (approximate)",
        "Visit Engagement date February, year not stated",
        "Defense spending Indicator period of value 5.2 (projection) 2028 (approximate)",
    ]
    assert summary_count(response, "Uncertain dates") == 4


def test_it_lists_an_engagements_unknown_date_and_place_and_an_indicators_missing_values(
    client,
):
    make_engagement("Visit")
    make_engagement("Known", place="Rabat", **DAY)
    make_indicator("Empty")
    make_indicator(
        "Defense spending",
        [year(2028, value=Decimal("5.2")), {"value": Decimal(3), "basis": "estimate"}],
    )
    make_person("Jens Stoltenberg")

    response = client.get(URL)
    listed = rows(response, "unknown")

    assert listed == [
        "Visit Engagement date",
        "Visit Engagement place",
        "Defense spending Indicator period of value 3 (estimate)",
        "Empty Indicator values (none recorded)",
    ]
    assert summary_count(response, "Unknown values") == 4


def test_it_counts_the_facts_of_people_engagements_and_indicators(client):
    spain = make_partner(name="Spain")
    cite(spain, "existence kind")
    person = make_person("Jens Stoltenberg", [position("Secretary General", body="NATO")])
    cite(person, "existence name")
    engagement = make_engagement("Visit", partners=[spain], people=[person], **DAY)
    cite(engagement, f"existence kind partner:{spain.pk}")
    cite(engagement, "date", stance=Citation.Stance.DISPUTES)
    indicator = make_indicator("Defense spending", [year(2028, value=Decimal("5.2"))])
    cite(indicator, "existence subject unit")

    response = client.get(URL)
    facts = text(
        re.search(
            r"<table class=\"list\">\s*<caption id=\"facts-caption\">.*?</table>",
            response.content.decode(),
            re.S,
        ).group(0)
    )

    # Entries, cited, uncited, disputed.
    assert "Person 1 2 1 0" in facts  # uncited: the position
    assert "Engagement 1 3 2 1" in facts  # uncited: the date, the person
    assert "Indicator 1 3 2 0" in facts  # uncited: the currency, the value
    assert summary_count(response, "Facts without a citation") == len(rows(response, "uncited"))


def test_it_says_what_is_wrong_with_an_engagement():
    source = make_source(title="Report A")
    spain, person = make_partner(name="Spain"), make_person("Jens Stoltenberg")
    engagement = make_engagement(
        "Visit",
        partners=[spain],
        people=[person],
        date_precision=DatePrecision.MONTH_NO_YEAR,
        date_month=2,
        place="Rabat",
    )
    cite(engagement, f"existence kind date place partner:{spain.pk}", source=source)
    cite(engagement, f"person:{person.pk}", stance=Citation.Stance.DISPUTES, source=source)

    warnings = quality.warnings_for("engagement", Engagement.objects.get(pk=engagement.pk))

    assert warnings == [
        "No citation supports this fact: person and role: Jens Stoltenberg (its page marks "
        "it “citation needed”).",
        "A source disputes this fact: person and role: Jens Stoltenberg.",
        "The date has no year: February, year not stated.",
        "It rests on a single source: every supporting citation is from “Report A”.",
    ]


def test_it_says_what_is_wrong_with_an_indicator():
    indicator = make_indicator(
        "Defense spending",
        [
            year(2028, value=Decimal("5.2"), basis="projection", period_approximate=True),
            year(2023, value=Decimal(5)),
        ],
    )
    _projected, reported = indicator.values.order_by("-period")
    cite(indicator, f"existence subject unit currency value:{reported.pk}")
    cite(indicator, "unit", source=make_source())

    warnings = quality.warnings_for("indicator", Indicator.objects.get(pk=indicator.pk))

    assert warnings == [
        "No citation supports this fact: value: 2028 (approximate): 5.2 (projection) (its "
        "page marks it “citation needed”).",
        "The period of value 5.2 (projection) is approximate: 2028 (approximate).",
    ]


def test_it_says_what_is_wrong_with_a_persons_positions():
    person = make_person(
        "Jens Stoltenberg",
        [
            position(
                "Secretary General",
                make_partner(name="NATO"),
                start_date_precision=DatePrecision.MONTH_NO_YEAR,
                start_date_month=10,
            )
        ],
    )
    cite(person, "existence name")
    cite(person, "name", source=make_source())

    warnings = quality.warnings_for("person", Person.objects.get(pk=person.pk))

    assert warnings == [
        "No citation supports this fact: position: Secretary General, NATO (from October, "
        "year not stated) (its page marks it “citation needed”).",
        "The start of position Secretary General, NATO has no year: October, year not stated.",
    ]


@pytest.mark.parametrize("model", ["engagement", "indicator"])
def test_it_shows_the_warnings_of_the_new_kinds_on_their_change_forms(editor_client, model):
    if model == "engagement":
        entry = make_engagement(date_precision=DatePrecision.MONTH_NO_YEAR, date_month=2)
        expected = "The date has no year: February, year not stated."
    else:
        entry = make_indicator(values=[year(2028, value=Decimal(5))])
        expected = "No citation supports these facts: subject, unit, currency, value: 2028: 5"

    change = editor_client.get(admin_url(entry)).content.decode()

    assert 'id="quality-warnings"' in change
    assert expected in change


def test_it_exports_the_rows_of_people_engagements_and_indicators_as_csv(client, monkeypatch):
    monkeypatch.setattr(quality, "ROWS_PER_KIND", 1)
    nato = make_partner(name="NATO")
    cite(nato, "existence kind")
    person = make_person(
        "Jens Stoltenberg",
        [
            position(
                "Secretary General",
                nato,
                start_date_precision=DatePrecision.MONTH_NO_YEAR,
                start_date_month=10,
            ),
            position("Prime Minister", body="Norway"),
        ],
    )
    cite(person, "existence name")
    engagement = make_engagement(
        "Visit",
        partners=[nato],
        people=[person],
        date_precision=DatePrecision.MONTH_NO_YEAR,
        date_month=2,
    )
    cite(engagement, "existence kind")
    cite(engagement, "kind", stance=Citation.Stance.DISPUTES)
    make_indicator("Defense spending", [{"value": Decimal(3), "basis": "estimate"}])

    exported = read_csv(client.get(URL, {"format": "csv"}))

    found = {(row["section"], row["entry_type"], row["entry"], row["fact"]) for row in exported}
    assert found >= {
        ("uncited", "Person", "Jens Stoltenberg", "position: Prime Minister, Norway"),
        (
            "uncited",
            "Person",
            "Jens Stoltenberg",
            "position: Secretary General, NATO (from October, year not stated)",
        ),
        ("uncited", "Engagement", "Visit", "date"),
        ("uncited", "Engagement", "Visit", "partner and role: NATO"),
        ("uncited", "Engagement", "Visit", "person and role: Jens Stoltenberg"),
        ("uncited", "Indicator", "Defense spending", "value: year not stated: 3 (estimate)"),
        ("disputed", "Engagement", "Visit", "kind"),
        ("dates", "Person", "Jens Stoltenberg", "start of position Secretary General, NATO"),
        ("dates", "Engagement", "Visit", "date"),
        ("unknown", "Engagement", "Visit", "place"),
        ("unknown", "Indicator", "Defense spending", "period of value 3 (estimate)"),
        ("single-source", "Person", "Jens Stoltenberg", ""),
    }
    page = client.get(URL)
    for title, section_id in (
        ("Facts without a citation", "uncited"),
        ("Disputes", "disputed"),
        ("Uncertain dates", "dates"),
        ("Unknown values", "unknown"),
    ):
        assert summary_count(page, title) == sum(row["section"] == section_id for row in exported)
    start = next(row for row in exported if row["fact"].startswith("start of position"))
    assert start["detail"] == "October, year not stated"


def make_new_entries(count):
    """People with positions, engagements with partners and people, indicators with
    values: each cited in part, disputed in part, with uncertain dates and unknowns."""
    source = make_source()
    for number in range(count):
        partner = make_partner()
        cite(partner, "existence kind", source=source)
        person = make_person(
            positions=[
                position(
                    "Minister",
                    partner,
                    start_date_precision=DatePrecision.MONTH_NO_YEAR,
                    start_date_month=3,
                ),
                position("Adviser", body="Royal Cabinet"),
            ]
        )
        cite(person, "existence name", source=source)
        held = person.positions.order_by("pk").first()
        cite(person, f"position:{held.pk}", stance=Citation.Stance.DISPUTES)
        engagement = make_engagement(
            partners=[partner],
            people=[person],
            date=datetime.date(2020, 1, 1),
            date_precision=DatePrecision.YEAR,
            date_approximate=True,
        )
        cite(engagement, f"existence kind partner:{partner.pk}", source=source)
        cite(engagement, f"date person:{person.pk}", stance=Citation.Stance.DISPUTES)
        indicator = make_indicator(
            values=[
                year(2020 + number % 20, value=Decimal(number), period_approximate=True),
                {"value": Decimal(1), "basis": "estimate"},
            ]
        )
        value = indicator.values.first()
        cite(indicator, "existence subject", source=source)
        cite(indicator, f"value:{value.pk}", stance=Citation.Stance.DISPUTES)
    Change.objects.update(date=timezone.now() - datetime.timedelta(days=10))


@pytest.mark.parametrize("staff", [False, True], ids=["reader", "staff"])
def test_it_makes_the_same_queries_for_1_or_50_people_engagements_and_indicators(
    client, django_assert_num_queries, staff
):
    if staff:
        client.force_login(make_user())
    make_new_entries(1)
    queries = count_queries(client, URL)

    make_new_entries(MANY - 1)
    with django_assert_num_queries(queries):
        response = client.get(URL)

    assert response.status_code == 200
    for section_id in ("uncited", "disputed", "dates", "unknown"):
        listed = kinds(response, section_id)
        for noun in ("Person", "Engagement", "Indicator"):
            # A person has no unknowns readers look for.
            expected = 0 if (section_id, noun) == ("unknown", "Person") else quality.ROWS_PER_KIND
            assert listed.count(noun) == expected, (section_id, noun)
    assert summary_count(response, "Uncertain dates") == 3 * MANY


def test_it_lists_what_the_pages_of_people_engagements_and_indicators_mark(client):
    nato, spain = make_partner(name="NATO"), make_partner(name="Spain")
    person = make_person(
        "Jens Stoltenberg",
        [position("Secretary General", nato), position("Prime Minister", body="Norway")],
    )
    held = person.positions.order_by("pk").first()
    cite(person, f"existence position:{held.pk}")
    engagement = make_engagement(
        "Visit", partners=[nato, spain], people=[person], place="Brussels", **DAY
    )
    cite(engagement, f"existence kind partner:{spain.pk}")
    cite(engagement, "place", stance=Citation.Stance.DISPUTES)
    indicator = make_indicator(
        "Defense spending", [year(2028, value=Decimal("5.2")), year(2027, value=Decimal(5))]
    )
    value = indicator.values.order_by("period").first()
    cite(indicator, f"existence subject value:{value.pk}")

    listed = rows(client.get(URL), "uncited")
    for entry, name in ((person, person.name), (engagement, "Visit"), (indicator, "Defense")):
        page = client.get(entry.get_absolute_url()).content.decode()
        marked = page.count('class="citation-needed"')
        assert marked == sum(row.startswith(f"{name} ") for row in listed), entry
