"""The site's content in fixtures/: loaded whole, cited, revisioned, idempotent."""

import datetime
import hashlib
import shutil
import tomllib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from partnerships import footnotes
from partnerships.dates import DatePrecision
from partnerships.models import (
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Partner,
    Procurement,
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
}
REVISIONED = [*ENTRY_MODELS.values(), Source, Citation, AgreementParty, ExerciseParticipant]

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
    assert Agreement.objects.count() == len(ENTRIES["agreements"]) == 7
    assert Exercise.objects.count() == len(ENTRIES["exercises"]) == 3
    assert Procurement.objects.count() == len(ENTRIES["procurements"]) == 8
    assert Citation.objects.count() == citations == 80


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
            assert not [key for key in record if key.endswith("_approximate")], record["slug"]


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
    """{quote: [fact keys]} of an entry's citations, partners named by slug."""
    slugs = dict(Partner.objects.values_list("pk", "slug"))

    def named(key):
        kind, _, pk = key.partition(":")
        return f"{kind}:{slugs[int(pk)]}" if pk else key

    return {c.quote: [named(k) for k in c.fact_keys] for c in entry.citations.order_by("pk")}


def test_every_citation_names_at_least_one_fact():
    assert not Citation.objects.filter(facts="").exists()
    for table in ENTRIES.values():
        for record in table:
            for citation in record["citations"]:
                assert citation["facts"], (record["slug"], citation["quote"])


def test_every_fact_with_a_value_is_stated_by_a_citation():
    for field, model in [
        ("partner", Partner),
        ("agreement", Agreement),
        ("exercise", Exercise),
        ("procurement", Procurement),
    ]:
        for entry in model.objects.all():
            notes = footnotes.FactNotes(field, entry, list(entry.citations.order_by("pk")))
            uncited = [key for key in notes.facts if notes.needs_citation(key)]
            assert uncited == [], (field, entry.slug)
            if field in ("agreement", "exercise"):
                links = entry.party_links if field == "agreement" else entry.participations
                for partner_id in links.values_list("partner_id", flat=True):
                    assert notes.stating(notes.link_key(partner_id)), (entry.slug, partner_id)


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
    united_states = Partner.objects.get(slug="united-states")

    assert "reportedly completed a two-day trip to Morocco" in united_states.summary
    assert "Rabat" not in united_states.summary


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
    assert "citations: 0 created, 0 updated, 80 unchanged" in output


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


# -- check_citations --------------------------------------------------------------


def test_it_finds_every_fixture_quote_in_its_source():
    output = run("check_citations")

    assert "All 80 citations found in their sources." in output


def test_it_fails_and_names_a_citation_whose_quote_is_not_in_its_source():
    citation = Citation.objects.filter(partner__slug="nato").first()
    Citation.objects.filter(pk=citation.pk).update(quote="NATO invaded Morocco.")
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 80 citations quote text not in their source"):
        call_command("check_citations", stdout=out)

    output = out.getvalue()
    assert f"Citation {citation.pk} on partner “North Atlantic Treaty Organization”" in output
    assert f"({citation.source.slug})" in output
    assert "NATO invaded Morocco." in output
