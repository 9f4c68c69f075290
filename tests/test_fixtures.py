"""The site's content in fixtures/: loaded whole, cited, revisioned, idempotent."""

import datetime
import hashlib
import shutil
import tomllib
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from partnerships import facts as fact_rules
from partnerships import footnotes
from partnerships.dates import DatePrecision
from partnerships.models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPartner,
    EngagementPerson,
    Exercise,
    ExerciseParticipant,
    Indicator,
    IndicatorValue,
    Partner,
    Person,
    Position,
    Procurement,
    Role,
)
from sources.models import Citation, Source

from .conftest import make_user

FIXTURES = settings.BASE_DIR / "fixtures"
SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"
ENTRIES = tomllib.loads((FIXTURES / "entries.toml").read_text(encoding="utf-8"))
SOURCES = tomllib.loads((FIXTURES / "sources.toml").read_text(encoding="utf-8"))

ENTRY_MODELS = {
    "partners": Partner,
    "agreements": Agreement,
    "exercises": Exercise,
    "procurements": Procurement,
    "people": Person,
    "engagements": Engagement,
    "indicators": Indicator,
}
# Each type's name as a citation's field ("partner") and the plural its table has.
ENTRY_FIELDS = {
    "partners": "partner",
    "agreements": "agreement",
    "exercises": "exercise",
    "procurements": "procurement",
    "people": "person",
    "engagements": "engagement",
    "indicators": "indicator",
}
LINK_ROWS = [
    AgreementParty,
    ExerciseParticipant,
    Position,
    EngagementPartner,
    EngagementPerson,
    IndicatorValue,
]
REVISIONED = [*ENTRY_MODELS.values(), Source, Citation, *LINK_ROWS]
CITATIONS = 109

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def loaded(django_db_setup, django_db_blocker):
    """The fixtures, loaded once for this module and rolled back after it.

    Each test runs in its own savepoint inside this transaction, so what a
    test changes is undone before the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_fixtures", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def counts():
    return {model: model.objects.count() for model in REVISIONED}


def revision_counts():
    return {model: model.history.count() for model in REVISIONED}


def run(command, **options):
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


# -- what is loaded ------------------------------------------------------------


def test_it_loads_every_record_of_the_files():
    citations = sum(len(record["citations"]) for table in ENTRIES.values() for record in table)

    assert Source.objects.count() == len(SOURCES["sources"]) == 5
    assert Partner.objects.count() == len(ENTRIES["partners"]) == 13
    assert Agreement.objects.count() == len(ENTRIES["agreements"]) == 8
    assert Exercise.objects.count() == len(ENTRIES["exercises"]) == 3
    assert Procurement.objects.count() == len(ENTRIES["procurements"]) == 8
    assert Person.objects.count() == len(ENTRIES["people"]) == 5
    assert Engagement.objects.count() == len(ENTRIES["engagements"]) == 11
    assert Indicator.objects.count() == len(ENTRIES["indicators"]) == 5
    assert Citation.objects.count() == citations == CITATIONS
    for table, field in ENTRY_FIELDS.items():
        cited = Citation.objects.filter(**{f"{field}__isnull": False}).count()
        assert cited == sum(len(r["citations"]) for r in ENTRIES[table]), table


def test_it_loads_every_position_engagement_link_and_value():
    def rows(table, key):
        return sum(len(record.get(key, [])) for record in ENTRIES[table])

    assert Position.objects.count() == rows("people", "positions") == 6
    assert EngagementPartner.objects.count() == rows("engagements", "partners") == 10
    assert EngagementPerson.objects.count() == rows("engagements", "people") == 7
    assert IndicatorValue.objects.count() == rows("indicators", "values") == 8


def test_it_loads_every_party_and_participant():
    parties = sum(len(record["parties"]) for record in ENTRIES["agreements"])
    participants = sum(len(record.get("participants", [])) for record in ENTRIES["exercises"])

    assert AgreementParty.objects.count() == parties
    assert ExerciseParticipant.objects.count() == participants
    intelligence = Agreement.objects.get(slug="intelligence-sharing-arrangements")
    assert {p.slug for p in intelligence.parties.all()} == {
        "france",
        "united-states",
        "spain",
        "italy",
        "germany",
    }


@pytest.mark.parametrize("model", ENTRY_MODELS.values(), ids=lambda m: m.__name__)
def test_it_cites_every_entry(model):
    uncited = model.objects.filter(citations__isnull=True)

    assert list(uncited) == []


@pytest.mark.parametrize("model", REVISIONED, ids=lambda m: m.__name__)
def test_it_starts_everything_with_one_revision(model):
    assert model.history.count() == model.objects.count()
    assert set(model.history.values_list("history_type", flat=True)) == {"+"}
    assert model.history.values("id").distinct().count() == model.objects.count()
    reasons = set(model.history.values_list("history_change_reason", flat=True))
    assert reasons <= {"Loaded from fixtures/entries.toml", "Loaded from fixtures/sources.toml"}


def test_it_keeps_each_source_text_verbatim():
    for source in Source.objects.all():
        path = FIXTURES / "sources" / f"{source.slug}.txt"
        assert source.full_text.encode("utf-8") == path.read_bytes(), source.slug


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded_checksums():
    """fixtures/SHA256SUMS: the seed documents' checksums as they were delivered,
    in `sha256sum` format (`cd fixtures && sha256sum -c SHA256SUMS` checks them)."""
    lines = (FIXTURES / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split() for line in lines if line.strip())}


def test_it_ships_the_seed_documents_unchanged():
    copies = {
        f"sources/{path.name}": sha256(path)
        for path in sorted((FIXTURES / "sources").glob("*.txt"))
    }

    assert copies == recorded_checksums()


@pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason=f"no seed documents at {SEEDS}: the copies were checked against fixtures/SHA256SUMS",
)
def test_it_recorded_the_checksums_of_the_seed_documents():
    seeds = sorted(sha256(path) for path in SEEDS.glob("*.txt"))

    assert seeds == sorted(recorded_checksums().values())


def test_it_keeps_both_sides_of_a_dispute():
    nato = Partner.objects.get(slug="nato")

    stances = set(nato.citations.values_list("stance", flat=True))

    assert stances == {Citation.Stance.SUPPORTS, Citation.Stance.DISPUTES}
    disputing = nato.citations.filter(stance=Citation.Stance.DISPUTES)
    assert {c.note for c in disputing} == {
        "calls Morocco a member of NATO",
        "counts Morocco among NATO's members at its 2023 meetings on terrorism",
    }
    # “Member” or “partner outside the alliance”: Morocco's membership, stated as a
    # partner's and disputed by the two that call Morocco a member.
    assert nato.membership == Partner.Membership.PARTNER
    assert {tuple(c.fact_keys) for c in disputing} == {("membership",)}
    assert nato.citations.filter(
        stance=Citation.Stance.SUPPORTS,
        quote__startswith="NATO regards Morocco as an important partner outside the alliance",
    ).exists()


def test_it_stores_dates_at_their_precision():
    jackal = Exercise.objects.get(slug="steadfast-jackal-23")
    nato_analysis = Source.objects.get(slug="what-is-natos-strategy-with-morocco")
    hermes = Agreement.objects.get(slug="morocco-israel-hermes-900-drone-agreement")
    deal = Agreement.objects.get(slug="morocco-israel-500-million-defence-agreement")

    # Given "in February", with no year: a month without a year, never a guessed one.
    assert (deal.date, deal.date_precision, deal.date_month) == (
        None,
        DatePrecision.MONTH_NO_YEAR,
        2,
    )
    assert (jackal.start_date, jackal.start_date_precision) == (
        datetime.date(2023, 12, 1),
        DatePrecision.MONTH,
    )
    assert str(jackal.starts) == "December 2023"
    assert (nato_analysis.publication_date, nato_analysis.publication_date_precision) == (
        datetime.date(2024, 4, 12),
        DatePrecision.DAY,
    )
    assert str(nato_analysis.published) == "12 April 2024"
    assert (hermes.date, hermes.date_precision) == (datetime.date(2021, 1, 1), DatePrecision.YEAR)
    assert str(hermes.concluded) == "2021"
    assert not Source.objects.get(slug="exploring-moroccan-military-alliances").published.known


def test_it_stores_a_month_the_source_gives_without_a_year():
    """The report says only "in February": no year is stored, inferred or approximated."""
    deal = Agreement.objects.get(slug="morocco-israel-500-million-defence-agreement")

    assert (deal.date, deal.date_precision, deal.date_month) == (
        None,
        DatePrecision.MONTH_NO_YEAR,
        2,
    )
    assert not deal.date_approximate
    assert str(deal.concluded) == "February, year not stated"
    assert deal.concluded.iso == "--02"
    assert not deal.concluded.known
    assert "2022" not in deal.summary and "newer" not in deal.summary


def test_it_marks_no_date_approximate():
    """No source hedges a date: nothing is flagged approximate (a year is never inferred)."""
    for table in ENTRIES.values():
        for record in table:
            rows = [record, *record.get("positions", []), *record.get("values", [])]
            for row in rows:
                assert not [key for key in row if key.endswith("_approximate")], record["slug"]


def test_it_loads_a_company_under_its_home_country():
    company = Partner.objects.get(slug="elbit-system")

    assert company.kind == Partner.Kind.COMPANY
    assert company.parent.slug == "israel"
    assert company.citations.get().fact_keys == ["existence", "kind", "parent"]


def test_it_gives_no_company_a_home_country_no_quote_states():
    """“Israel Aerospace Industries’ (IAI)” is a name: no quote says where it is based."""
    company = Partner.objects.get(slug="israel-aerospace-industries")

    assert company.parent is None
    assert company.short_name == "IAI"


# -- the facts each citation states ------------------------------------------------


def facts_of(entry):
    """{quote: [fact keys]} of an entry's citations, partners and people named by slug,
    positions and values by their fixture keys."""
    names = {
        "partner": dict(Partner.objects.values_list("pk", "slug")),
        "person": dict(Person.objects.values_list("pk", "slug")),
        "position": fixture_keys("people", "positions", entry),
        "indicatorvalue": fixture_keys("indicators", "values", entry),
    }
    field = entry._meta.model_name

    def named(key):
        found = fact_rules.link_of(field, key)
        if found is None:
            return key
        link, number = found
        return f"{link.prefix}:{names[link.named][number]}"

    return {c.quote: [named(k) for k in c.fact_keys] for c in entry.citations.order_by("pk")}


def fixture_keys(table, rows, entry):
    """{row id: its key in the files} of a person's positions or an indicator's values."""
    record = next((r for r in ENTRIES[table] if r["slug"] == getattr(entry, "slug", "")), None)
    if record is None or ENTRY_MODELS[table] is not type(entry):
        return {}
    keys = {}
    for row in record.get(rows, []):
        if table == "people":
            partner = row.get("partner")
            found = entry.positions.get(
                title=row["title"],
                body=row.get("body", ""),
                **({"partner__slug": partner} if partner else {"partner__isnull": True}),
            )
        else:
            found = entry.values.get(basis=row["basis"], as_stated=row["as_stated"])
        keys[found.pk] = row["key"]
    return keys


def test_every_citation_names_at_least_one_fact():
    assert not Citation.objects.filter(facts="").exists()
    for table in ENTRIES.values():
        for record in table:
            for citation in record["citations"]:
                assert citation["facts"], (record["slug"], citation["quote"])


@pytest.mark.parametrize("table", ENTRY_MODELS, ids=str)
def test_every_fact_with_a_value_is_stated_by_a_citation(table):
    """Every field with a value, and every link (a party, a participant, a position, a
    partner or person taking part, a value), is stated by a supporting citation."""
    field = ENTRY_FIELDS[table]
    for entry in ENTRY_MODELS[table].objects.all():
        notes = footnotes.FactNotes(field, entry, list(entry.citations.order_by("pk")))
        uncited = [key for key in notes.facts if notes.needs_citation(key)]
        assert uncited == [], (field, entry.slug)
        for link in fact_rules.links_of(field):
            for number in link.linked_ids(entry):
                assert notes.stating(link.key(number)), (entry.slug, link.key(number))


def test_the_new_types_cite_exactly_the_facts_the_files_name():
    """Link facts in the files ("position:<key>", "value:<key>", "person:<slug>") are
    stored as the ids of what they name, each citation with exactly its file's facts."""
    for table in ("people", "engagements", "indicators"):
        for record in ENTRIES[table]:
            entry = ENTRY_MODELS[table].objects.get(slug=record["slug"])
            stored = facts_of(entry)
            for citation in record["citations"]:
                assert sorted(stored[citation["quote"]]) == sorted(citation["facts"]), (
                    record["slug"],
                    citation["quote"],
                )


def test_every_summary_sentence_carries_a_marker_to_a_citation():
    for model in ENTRY_MODELS.values():
        for entry in model.objects.all():
            count = entry.citations.count()
            assert footnotes.markers_in(entry.summary), entry.slug
            assert footnotes.unknown_markers(entry.summary, count) == [], entry.slug
            assert entry.summary.rstrip().endswith("]"), entry.slug


def test_the_500_million_agreement_rests_on_its_own_quote_alone():
    deal = Agreement.objects.get(slug="morocco-israel-500-million-defence-agreement")

    assert facts_of(deal) == {
        "In this context, Morocco and Israel reached a $500 million defence agreement in "
        "February that aims to further deepen their close military cooperation.": [
            "existence",
            "kind",
            "date",
            "value",
            "party:israel",
        ],
    }
    assert (deal.value_amount, deal.value_currency) == (500_000_000, "USD")


def test_the_hermes_900_has_no_order_date():
    """The report speaks of an agreement in 2021 "to produce" drones, not of an order."""
    hermes = Procurement.objects.get(slug="hermes-900")

    assert hermes.order_date is None
    assert not hermes.ordered.stated
    assert hermes.status == Procurement.Status.REPORTED
    assert hermes.agreement.slug == "morocco-israel-hermes-900-drone-agreement"
    assert hermes.agreement.concluded.iso == "2021"
    keys = list(facts_of(hermes).values())
    assert keys[0] == ["existence", "system", "category", "supplier", "manufacturer", "agreement"]
    assert all("order_date" not in k for k in keys)


def test_exercise_roles_are_only_what_the_quotes_state():
    roles = {
        (p.exercise.slug, p.partner.slug): p.role
        for p in ExerciseParticipant.objects.select_related("exercise", "partner")
    }

    # “Moroccan-American military cooperation”: the United States' part is not stated.
    # “NATO-led” STEADFAST JACKAL 23. Sea Guardian 2023's quote names no partner.
    assert roles == {
        ("african-lion-2024", "united-states"): ExerciseParticipant.Role.UNSTATED,
        ("steadfast-jackal-23", "nato"): ExerciseParticipant.Role.ORGANIZER,
    }
    jackal = Exercise.objects.get(slug="steadfast-jackal-23")
    assert list(facts_of(jackal).values()) == [
        ["existence", "start_date", "location", "participant:nato"]
    ]
    guardian = Exercise.objects.get(slug="sea-guardian-2023")
    assert guardian.location == "Western Mediterranean and near the Strait of Gibraltar"
    assert list(facts_of(guardian).values()) == [
        ["existence", "start_date", "location", "domains"]
    ]


def test_african_lion_2024_states_no_place_morocco_is_only_its_host():
    lion = Exercise.objects.get(slug="african-lion-2024")

    assert lion.location == ""
    assert str(lion.starts) == "May 2024"
    assert list(facts_of(lion).values()) == [
        ["existence", "series", "start_date"],
        ["participant:united-states"],
        ["series"],
    ]


def test_a_status_beyond_reported_is_stated_by_a_quote():
    for model in (Agreement, Procurement):
        for entry in model.objects.exclude(status="reported"):
            assert any("status" in c.fact_keys for c in entry.citations.all()), entry.slug
    # “procured” alone is not a delivery.
    for slug in ["tactical-vehicles-from-germany", "communication-systems-from-germany"]:
        assert Procurement.objects.get(slug=slug).status == Procurement.Status.REPORTED


def test_the_us_visit_keeps_its_hedge_and_its_place():
    """“reportedly completed a two-day trip to Morocco”: a hedged visit to Morocco, with
    no date (“recent” dates nothing); the meeting, not the visit, is placed in Rabat."""
    visit = Engagement.objects.get(slug="todd-wasmund-visit-to-morocco")
    meeting = Engagement.objects.get(slug="todd-wasmund-meets-el-farouk-belkheir-in-rabat")

    assert (visit.kind, visit.place, visit.hedge) == ("visit", "Morocco", "reportedly")
    assert "reportedly completed a two-day trip to Morocco" in visit.summary
    assert (visit.date, visit.end_date) == (None, None)
    assert (meeting.kind, meeting.place, meeting.date) == ("meeting", "Rabat", None)
    # The partner's summary keeps a pointer its quote states, not the visit itself.
    united_states = Partner.objects.get(slug="united-states")
    assert "the recent visit of a US general" in united_states.summary
    assert "two-day" not in united_states.summary
    assert "Wasmund" not in united_states.summary


def test_engagements_moved_out_of_the_nato_summary():
    nato = Partner.objects.get(slug="nato")

    assert "education courses" not in nato.summary
    assert "Stoltenberg" not in nato.summary
    assert not nato.citations.filter(quote__contains="military education courses").exists()
    assert nato.citations.count() == 7
    assert footnotes.markers_in(nato.summary) == [1, 2, 3, 4, 5, 6, 7]
    courses = Engagement.objects.get(slug="nato-military-education-courses")
    assert courses.kind == Engagement.Kind.TRAINING
    assert [(link.partner.slug, link.role) for link in courses.partner_links.all()] == [
        ("nato", Role.ORGANIZER)
    ]


# -- people, engagements, indicators ---------------------------------------------


def test_positions_are_held_in_a_partner_or_a_body_as_the_sources_name_it():
    positions = {
        (p.person.slug, p.title): (p.partner.slug if p.partner else p.body)
        for p in Position.objects.select_related("person", "partner")
    }

    assert positions == {
        ("jens-stoltenberg", "Secretary General"): "nato",
        ("todd-wasmund", "Commander"): "US Army Task Force South Africa",
        ("el-farouk-belkheir", "Inspector General"): "Royal Armed Forces",
        ("el-farouk-belkheir", "Commander"): "Southern Zone",
        ("steven-blum", "General (retired)"): "US Army",
        ("mohammed-vi", "King"): "Morocco",
    }
    # No source dates a position.
    assert not Position.objects.exclude(start_date=None, end_date=None).exists()
    assert not Position.objects.exclude(start_date_precision="", end_date_precision="").exists()


def test_engagement_roles_are_only_what_the_quotes_state():
    partners = {
        (link.engagement.slug, link.partner.slug): link.role
        for link in EngagementPartner.objects.select_related("engagement", "partner")
    }
    people = {
        (link.engagement.slug, link.person.slug): link.role
        for link in EngagementPerson.objects.select_related("engagement", "person")
    }

    assert partners == {
        ("todd-wasmund-visit-to-morocco", "united-states"): Role.VISITOR,
        ("todd-wasmund-meets-el-farouk-belkheir-in-rabat", "united-states"): Role.VISITOR,
        # A US general speaks of “the US military”: the US's own part is not stated.
        ("todd-wasmund-on-the-security-of-africa", "united-states"): Role.UNSTATED,
        ("nato-secretary-general-annual-report", "nato"): Role.SPEAKER,
        ("nato-morocco-counter-terrorism-discussions", "nato"): Role.PARTICIPANT,
        ("nato-meetings-on-terrorism-2023", "nato"): Role.ORGANIZER,
        ("nato-military-education-courses", "nato"): Role.ORGANIZER,
        ("officer-training-courses-in-the-nato-partnership", "nato"): Role.UNSTATED,
        ("recognition-of-moroccan-sovereignty-over-the-sahara", "united-states"): Role.SPEAKER,
        ("recognition-of-moroccan-sovereignty-over-the-sahara", "spain"): Role.SPEAKER,
    }
    # Nobody is called a host: the sources never say who hosted.
    assert people == {
        ("todd-wasmund-visit-to-morocco", "todd-wasmund"): Role.VISITOR,
        ("todd-wasmund-meets-el-farouk-belkheir-in-rabat", "todd-wasmund"): Role.VISITOR,
        ("todd-wasmund-meets-el-farouk-belkheir-in-rabat", "el-farouk-belkheir"): Role.PARTICIPANT,
        ("todd-wasmund-on-the-security-of-africa", "todd-wasmund"): Role.SPEAKER,
        ("steven-blum-statement-in-defense-news", "steven-blum"): Role.SPEAKER,
        ("nato-secretary-general-annual-report", "jens-stoltenberg"): Role.SPEAKER,
        ("atlantic-initiative", "mohammed-vi"): Role.PROPOSER,
    }


def test_engagements_carry_only_the_dates_places_and_hedges_stated():
    dated = {e.slug: str(e.starts) for e in Engagement.objects.exclude(date=None)}
    placed = dict(Engagement.objects.exclude(place="").values_list("slug", "place"))
    hedged = dict(Engagement.objects.exclude(hedge="").values_list("slug", "hedge"))

    # “In 2023, the alliance held meetings on terrorism”: the only date any states.
    assert dated == {"nato-meetings-on-terrorism-2023": "2023"}
    assert not Engagement.objects.exclude(end_date=None).exists()
    assert not Engagement.objects.filter(date_precision=DatePrecision.MONTH_NO_YEAR).exists()
    assert placed == {
        "todd-wasmund-visit-to-morocco": "Morocco",
        "todd-wasmund-meets-el-farouk-belkheir-in-rabat": "Rabat",
    }
    assert hedged == {"todd-wasmund-visit-to-morocco": "reportedly"}
    kinds = Counter(Engagement.objects.values_list("kind", flat=True))
    assert kinds == {"visit": 1, "meeting": 3, "statement": 4, "training": 2, "initiative": 1}


def test_indicator_values_are_as_the_sources_state_them():
    series = {
        indicator.slug: [
            (
                str(v.period_as_stated) if v.period else "",
                v.value.normalize(),
                v.basis,
                v.as_stated,
            )
            for v in indicator.values.in_series_order()
        ]
        for indicator in Indicator.objects.all()
    }

    assert series == {
        "morocco-defense-spending": [
            ("2023", Decimal("3.6"), "reported", "$3.6"),
            ("2028", Decimal("5.2"), "projection", "$5.2"),
        ],
        "israel-morocco-trade": [
            ("2023", Decimal("0.5"), "reported", "$0.5"),
            ("2028", Decimal("1.2"), "projection", "$1.2"),
        ],
        "north-africa-air-defense-investment": [
            ("2023", Decimal("8.1"), "reported", "$8.1"),
            ("2028", Decimal("14.5"), "projection", "$14.5"),
        ],
        # No year stated for either: the period stays empty.
        "morocco-arms-purchaser-rank": [("", Decimal("3"), "reported", "third largest")],
        "nato-partner-countries": [("", Decimal("35"), "reported", "35")],
    }
    rank = Indicator.objects.get(slug="morocco-arms-purchaser-rank")
    assert (rank.measure, rank.unit, rank.currency, rank.partner) == ("rank", "", "", None)
    trade = Indicator.objects.get(slug="israel-morocco-trade")
    assert (trade.subject, trade.partner.slug) == ("Israel-Morocco", "israel")
    spending = Indicator.objects.get(slug="morocco-defense-spending")
    assert (spending.subject, spending.unit, spending.currency) == ("Morocco", "billion", "USD")
    assert not IndicatorValue.objects.filter(period_approximate=True).exists()


def test_italy_is_cited_by_quotes_that_name_it():
    italy = Partner.objects.get(slug="italy")

    for quote in facts_of(italy):
        assert "Italy" in quote


# -- loading again ---------------------------------------------------------------


def test_it_changes_nothing_when_loaded_again():
    before, revisions = counts(), revision_counts()

    output = run("load_fixtures")

    assert counts() == before
    assert revision_counts() == revisions
    assert "partners: 0 created, 0 updated, 13 unchanged" in output
    assert f"citations: 0 created, 0 updated, {CITATIONS} unchanged" in output
    for label, count in [
        ("people", 5),
        ("positions", 6),
        ("engagements", 11),
        ("partners taking part", 10),
        ("people taking part", 7),
        ("indicators", 5),
        ("values", 8),
    ]:
        assert f"\n{label}: 0 created, 0 updated, {count} unchanged" in f"\n{output}"


def test_it_changes_only_what_the_files_changed(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, directory)
    entries = directory / "entries.toml"
    entries.write_text(
        entries.read_text(encoding="utf-8").replace('name = "Spain"', 'name = "Kingdom of Spain"'),
        encoding="utf-8",
    )
    revisions = revision_counts()

    output = run("load_fixtures", directory=directory)

    assert "partners: 0 created, 1 updated, 12 unchanged" in output
    spain = Partner.objects.get(slug="spain")
    assert spain.name == "Kingdom of Spain"
    assert [r.history_type for r in spain.history.all()] == ["~", "+"]
    assert revision_counts() == {**revisions, Partner: revisions[Partner] + 1}


def test_it_keeps_what_editors_added_when_loaded_again():
    spain = Partner.objects.get(slug="spain")
    source = Source.objects.get(slug="exploring-moroccan-military-alliances")
    added = Citation.objects.create(
        partner=spain,
        source=source,
        quote="Spain",
        note="named as an ally",
    )

    run("load_fixtures")

    assert Citation.objects.filter(pk=added.pk).exists()


def test_it_keeps_an_entry_an_editor_changed_since_it_was_loaded(tmp_path):
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, directory)
    entries = directory / "entries.toml"
    entries.write_text(
        entries.read_text(encoding="utf-8").replace('name = "Spain"', 'name = "Kingdom of Spain"'),
        encoding="utf-8",
    )
    editor = make_user("editor")
    spain = Partner.objects.get(slug="spain")
    spain.summary = "Rewritten by an editor."
    spain._history_user = editor
    spain._change_reason = "Tighter summary"
    spain.save()

    output = run("load_fixtures", directory=directory)

    spain.refresh_from_db()
    assert (spain.name, spain.summary) == ("Spain", "Rewritten by an editor.")
    assert "partners: 0 created, 0 updated, 12 unchanged, 1 kept as edited" in output
    assert "Kept as edited in the admin, not overwritten from the fixtures" in output
    assert "'spain'" in output
    assert spain.history.count() == 2


# -- a bad fixture stops the load ---------------------------------------------------

SOURCE_SLUG = "us-moroccan-military-partnership-grows-stronger"


def write_fixtures(directory, quote):
    (directory / "sources").mkdir()
    shutil.copy(FIXTURES / "sources" / f"{SOURCE_SLUG}.txt", directory / "sources")
    (directory / "sources.toml").write_text(
        f"""
[[sources]]
slug = "{SOURCE_SLUG}"
title = "A copy of the US-Moroccan report"
kind = "news"
language = "en"
""",
        encoding="utf-8",
    )
    (directory / "entries.toml").write_text(
        f"""
[[partners]]
slug = "freedonia"
name = "Freedonia"
kind = "country"

[[partners.citations]]
source = "{SOURCE_SLUG}"
quote = '''{quote}'''
facts = ["existence"]
note = "an ally"
""",
        encoding="utf-8",
    )


def test_it_loads_a_small_fixture_directory(tmp_path):
    write_fixtures(tmp_path, "Military cooperation between the United States and Morocco")

    run("load_fixtures", directory=tmp_path)

    assert Partner.objects.get(slug="freedonia").citations.count() == 1


def test_it_loads_nothing_from_a_fixture_with_a_wrong_quote(tmp_path):
    write_fixtures(tmp_path, "Freedonia and Morocco signed a treaty.")
    before, revisions = counts(), revision_counts()
    title = Source.objects.get(slug=SOURCE_SLUG).title

    with pytest.raises(CommandError) as excinfo:
        run("load_fixtures", directory=tmp_path)

    message = str(excinfo.value)
    assert message.startswith("Nothing was loaded: entries.toml partner 'freedonia' citation 1")
    assert "This quote does not occur in" in message
    assert counts() == before
    assert revision_counts() == revisions
    assert not Partner.objects.filter(slug="freedonia").exists()
    # The source the same load had already updated is back as it was.
    assert Source.objects.get(slug=SOURCE_SLUG).title == title


def test_it_loads_nothing_from_a_fixture_citing_an_unknown_source(tmp_path):
    write_fixtures(tmp_path, "Military cooperation")
    entries = tmp_path / "entries.toml"
    entries.write_text(
        entries.read_text(encoding="utf-8").replace(
            f'source = "{SOURCE_SLUG}"', 'source = "no-such-source"'
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="no source with slug 'no-such-source'"):
        run("load_fixtures", directory=tmp_path)

    assert not Partner.objects.filter(slug="freedonia").exists()


PERSON = """
[[partners]]
slug = "freedonia"
name = "Freedonia"
kind = "country"

[[partners.citations]]
source = "{source}"
quote = '''Military cooperation between the United States and Morocco'''
facts = ["existence"]

[[people]]
slug = "a-commander"
name = "Todd Wasmund"
summary = \"\"\"A US commander.[1]\"\"\"

[[people.positions]]
key = "commander"
title = "Commander"
body = "US Army Task Force South Africa"

[[people.citations]]
source = "{source}"
quote = '''commander of the US Army Task Force South Africa, Todd Wasmund'''
facts = ["existence", "name", "{position}"]

[[engagements]]
slug = "a-visit"
title = "A visit"
kind = "visit"
summary = \"\"\"A visit.[1]\"\"\"

[[engagements.people]]
person = "{person}"
role = "visitor"

[[engagements.citations]]
source = "{source}"
quote = '''the recent visit of the US general'''
facts = ["existence", "kind", "person:a-commander"]

[[indicators]]
slug = "a-rank"
name = "Arms purchases, rank"
subject = "Morocco"
measure = "rank"
summary = \"\"\"Third.[{marker}]\"\"\"

[[indicators.values]]
key = "rank"
value = {value}
as_stated = "third largest"

[[indicators.citations]]
source = "{source}"
quote = '''the third largest arms purchaser on the continent'''
facts = ["existence", "subject", "{value_fact}"]
"""


def write_people(directory, **changes):
    write_fixtures(directory, "Military cooperation")
    fields = {
        "source": SOURCE_SLUG,
        "position": "position:commander",
        "person": "a-commander",
        "value": '"3"',
        "value_fact": "value:rank",
        "marker": "1",
        **changes,
    }
    (directory / "entries.toml").write_text(PERSON.format(**fields), encoding="utf-8")


def test_it_loads_people_engagements_and_indicators_by_their_keys(tmp_path):
    write_people(tmp_path)

    run("load_fixtures", directory=tmp_path)

    person = Person.objects.get(slug="a-commander")
    position = person.positions.get()
    assert person.citations.get().fact_keys == ["existence", "name", f"position:{position.pk}"]
    visit = Engagement.objects.get(slug="a-visit")
    assert visit.citations.get().fact_keys == ["existence", "kind", f"person:{person.pk}"]
    rank = Indicator.objects.get(slug="a-rank")
    value = rank.values.get()
    assert (value.period, value.value, value.as_stated) == (None, 3, "third largest")
    assert rank.citations.get().fact_keys == ["existence", "subject", f"value:{value.pk}"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"position": "position:general"},
            "person 'a-commander' citation 1: 'position:general' names no position of this "
            "entry; the position keys it gives are: 'commander'.",
        ),
        (
            {"person": "steven-blum"},
            "engagement 'a-visit' person 'steven-blum': no person with slug 'steven-blum'",
        ),
        (
            {"value_fact": "value:2023"},
            "indicator 'a-rank' citation 1: 'value:2023' names no value of this entry",
        ),
        (
            {"position": "party:nato"},
            "'party:nato' is not a fact of a person (its link facts: \"position:…\").",
        ),
        ({"value": "3.6"}, 'write the value as a string, e.g. value = "3.6".'),
        ({"value": '"third"'}, "'third' is not a number."),
        ({"marker": "2"}, "indicator 'a-rank': summary marker [2] points to no footnote"),
    ],
    ids=[
        "unknown position key",
        "unknown person",
        "unknown value key",
        "unknown link",
        "float value",
        "not a number",
        "summary marker",
    ],
)
def test_it_loads_nothing_from_a_fixture_naming_what_it_does_not_have(tmp_path, changes, message):
    write_people(tmp_path, **changes)

    with pytest.raises(CommandError) as excinfo:
        run("load_fixtures", directory=tmp_path)

    assert message in str(excinfo.value)
    assert not Person.objects.filter(slug="a-commander").exists()
    assert not Engagement.objects.filter(slug="a-visit").exists()
    assert not Indicator.objects.filter(slug="a-rank").exists()


# -- check_citations --------------------------------------------------------------


def test_it_finds_every_fixture_quote_in_its_source():
    output = run("check_citations")

    assert f"All {CITATIONS} citations found in their sources." in output


def test_it_fails_and_names_a_citation_whose_quote_is_not_in_its_source():
    citation = Citation.objects.filter(partner__slug="nato").first()
    Citation.objects.filter(pk=citation.pk).update(quote="NATO invaded Morocco.")
    out = StringIO()

    with pytest.raises(
        CommandError, match=f"1 of {CITATIONS} citations quote text not in their source"
    ):
        call_command("check_citations", stdout=out)

    output = out.getvalue()
    assert f"Citation {citation.pk} on partner “North Atlantic Treaty Organization”" in output
    assert f"({citation.source.slug})" in output
    assert "NATO invaded Morocco." in output
