"""manage.py generate_demo_data: the sizes asked for, a seed's rows, saves as real ones."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from partnerships import facts as fact_rules
from partnerships.history.models import Change, ReviewMark
from partnerships.history.names import history_of
from partnerships.history.registry import entry_types
from partnerships.history.saves import recording
from partnerships.models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPartner,
    Exercise,
    ExerciseParticipant,
    Partner,
    Procurement,
)
from sources.models import ENTRY_FIELDS, Citation, Source

from .conftest import make_agreement, make_user

pytestmark = pytest.mark.django_db

TRACKED = [
    Partner,
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Procurement,
    Engagement,
    EngagementPartner,
    Source,
    Citation,
]
SMALL = {
    "partners": 8,
    "agreements": 30,
    "exercises": 8,
    "equipment": 8,
    "engagements": 6,
    "sources": 4,
    "citations": 50,
    "revisions": 400,
}
TOPICS = ("drone", "naval", "air defense", "training", "maritime")


def generate(**options):
    out = StringIO()
    call_command("generate_demo_data", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def revisions():
    return sum(history_of(model).count() for model in TRACKED)


def digest():
    """What a reader and a historian would see of the rows, without ids the database picks."""
    lines = [
        *map(repr, Partner.objects.values_list("slug", "name", "kind", "summary", "parent__slug")),
        *map(
            repr,
            Agreement.objects.values_list(
                "slug",
                "title",
                "date",
                "date_precision",
                "date_month",
                "status",
                "value_amount",
                "summary",
            ),
        ),
        *map(repr, AgreementParty.objects.values_list("agreement__slug", "partner__slug")),
        *map(repr, Exercise.objects.values_list("slug", "start_date", "domains", "summary")),
        *map(
            repr,
            ExerciseParticipant.objects.values_list("exercise__slug", "partner__slug", "role"),
        ),
        *map(repr, Procurement.objects.values_list("slug", "supplier__slug", "order_date")),
        *map(repr, Source.objects.values_list("slug", "full_text")),
        *map(
            repr,
            Citation.objects.values_list("source__slug", "quote", "facts", "note", "stance"),
        ),
        *map(
            repr,
            Change.objects.values_list(
                "date", "user__username", "entry_slug", "summary", "kind", "detail"
            ),
        ),
        *map(repr, ReviewMark.objects.values_list("change__date", "reviewer__username")),
    ]
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def digest_of_a_run(**options):
    """The digest of a run on the database as it is, rolled back after."""
    with transaction.atomic():
        generate(**options)
        made = digest()
        transaction.set_rollback(True)
    return made


@pytest.fixture
def fixtures():
    call_command("load_fixtures", stdout=StringIO())


# -- sizes ---------------------------------------------------------------------------


def test_it_makes_exactly_the_sizes_asked_for():
    out = generate()

    assert Partner.objects.count() == 8
    assert Agreement.objects.count() == 30
    assert Exercise.objects.count() == 8
    assert Procurement.objects.count() == 8
    assert Source.objects.count() == 4
    assert Citation.objects.count() == 50
    assert revisions() == 400
    assert "The history tables now hold 400 revisions." in out


def test_it_names_every_entry_as_demo_data():
    generate()

    assert Agreement.objects.get(slug="demo-agreement-7").title == "Demo agreement 7"
    for model in (Partner, Agreement, Exercise, Procurement, Source):
        assert not model.objects.exclude(slug__startswith="demo-").exists()
        label = entry_types.for_model(model).label_field
        assert not model.objects.exclude(**{f"{label}__startswith": "Demo "}).exists()


def test_it_gives_entries_the_shape_of_real_ones():
    generate(
        partners=30, agreements=400, exercises=100, equipment=100, citations=300, revisions=2500
    )

    parties = [a.party_links.count() for a in Agreement.objects.prefetch_related("party_links")]
    assert set(parties) == {1, 2, 3}
    participants = {e.participations.count() for e in Exercise.objects.all()}
    assert min(participants) >= 2 and max(participants) <= 6
    assert ExerciseParticipant.objects.exclude(role="participant").exists()
    dated = Agreement.objects.exclude(date=None)
    assert 0 < Agreement.objects.filter(date=None).count() < dated.count()
    assert {"day", "month", "year"} == set(dated.values_list("date_precision", flat=True))
    assert not dated.filter(date_precision="year").exclude(date__month=1, date__day=1).exists()
    assert not dated.filter(date_precision="month").exclude(date__day=1).exists()
    assert all(1960 <= year <= 2025 for year in dated.values_list("date__year", flat=True))
    valued = Agreement.objects.exclude(value_amount=None)
    assert 0 < valued.count() < 400
    assert not valued.filter(value_currency="").exists()
    for word in TOPICS:
        assert Agreement.objects.filter(summary__icontains=word).exists()
    assert 5 <= Agreement.objects.filter(summary__icontains="drone").count() <= 60
    assert Procurement.objects.exclude(manufacturer=None).exists()
    assert Partner.objects.filter(kind="company").exclude(parent=None).exists()
    cited = {
        field: Citation.objects.exclude(**{field: None}).exists()
        for field in ("partner", "agreement", "exercise", "procurement")
    }
    assert all(cited.values())
    reviewed = ReviewMark.objects.count() / Change.objects.count()
    assert 0.25 < reviewed < 0.42


# -- determinism --------------------------------------------------------------------


def test_a_seed_makes_the_same_rows_every_time():
    first = digest_of_a_run(seed=3)

    assert digest_of_a_run(seed=3) == first
    assert digest_of_a_run(seed=4) != first


def test_its_saves_are_dated_by_their_number_not_by_the_clock():
    generate()

    dates = list(Change.objects.order_by("id").values_list("date", flat=True))
    assert dates == sorted(dates)
    assert dates[0].year == 2024


# -- history ------------------------------------------------------------------------


def test_every_revision_is_listed_by_its_save_and_every_listed_revision_exists():
    generate()

    listed = {
        (table, history_id, action, change_id)
        for change_id, entries in Change.objects.values_list("id", "revisions")
        for table, history_id, action in entries
    }
    written = {
        (model._meta.model_name, history_id, action, change_id)
        for model in TRACKED
        for history_id, action, change_id in history_of(model).values_list(
            "history_id", "history_type", "history_change_id"
        )
    }
    assert written == listed
    assert len(written) == 400


def test_each_save_is_of_one_entry_and_carries_its_editor_and_moment():
    generate()

    for model in TRACKED:
        for revision in history_of(model).select_related("history_change"):
            change = revision.history_change
            entry_type, entry_id = entry_types.owner_of(revision)
            assert (change.entry_type, change.entry_id) == (entry_type.name, entry_id)
            assert revision.history_user_id == change.user_id
            assert revision.history_date == change.date
            assert revision.history_change_reason == change.summary


def test_an_entry_is_created_in_one_save_with_its_parties_and_citations():
    generate()

    agreement = Agreement.objects.filter(citations__isnull=False).first()
    change = Change.objects.get(entry_type="agreement", entry_id=agreement.pk, kind="created")
    tables = [table for table, _, action in change.revisions if action == "+"]
    assert tables[0] == "agreement"
    # Its parties then: an edit may have added or removed one since.
    first_parties = AgreementParty.history.filter(history_change=change, history_type="+")
    assert tables.count("agreementparty") == first_parties.count() >= 1
    assert tables.count("citation") >= 1
    entries = (Partner, Agreement, Exercise, Procurement, Engagement, Source)
    created = Change.objects.filter(kind="created").count()
    assert created == sum(model.objects.count() for model in entries)


def test_edits_leave_each_row_as_its_latest_revision_has_it():
    generate()

    assert Change.objects.filter(kind="changed").exists()
    for model in TRACKED:
        names = [field.attname for field in model._meta.concrete_fields]
        latest = {}
        for revision in history_of(model).order_by("history_date", "history_id").values(*names):
            latest[revision["id"]] = revision
        for row in model.objects.values(*names):
            assert latest[row["id"]] == row


def test_every_quote_occurs_in_its_source():
    generate()

    out = StringIO()
    call_command("check_citations", stdout=out)

    assert "All 50 citations found in their sources." in out.getvalue()


# -- top-up and refusals --------------------------------------------------------------


def test_a_second_run_with_the_same_sizes_adds_nothing():
    generate()
    before = digest()

    out = generate()

    assert out.startswith("Nothing to add")
    assert digest() == before


def test_a_larger_run_adds_the_difference_as_further_saves():
    generate()
    saves = Change.objects.count()

    generate(agreements=40, citations=70, revisions=600)

    assert Agreement.objects.count() == 40
    assert Citation.objects.count() == 70
    assert revisions() == 600
    assert Change.objects.count() > saves
    assert (
        Change.objects.order_by("-id").first().date > Change.objects.order_by("id")[saves - 1].date
    )
    call_command("check_citations", stdout=StringIO())


def test_it_refuses_too_few_revisions_for_the_entries_asked_for():
    with pytest.raises(CommandError, match="--revisions 50 is too few"):
        generate(revisions=50)

    assert not Agreement.objects.exists()
    assert not Change.objects.exists()


def test_it_refuses_negative_sizes():
    with pytest.raises(CommandError, match="--agreements cannot be negative"):
        generate(agreements=-1)


def test_it_refuses_a_database_with_real_content():
    make_agreement(title="A real agreement")

    with pytest.raises(CommandError, match="holds real content"):
        generate()

    assert Agreement.objects.count() == 1


def test_it_refuses_fixtures_an_editor_has_changed(fixtures):
    spain = Partner.objects.get(slug="spain")
    spain.summary += " Edited."
    with recording(user=make_user("someone"), summary="A real edit"):
        spain.save()

    with pytest.raises(CommandError, match="Spain"):
        generate()


def test_it_tops_up_the_fixtures_and_makes_the_united_states_the_busiest(fixtures):
    fixture_partners = Partner.objects.count()
    fixture_citations = Citation.objects.count()
    generate(
        partners=40,
        agreements=200,
        exercises=40,
        equipment=40,
        sources=8,
        citations=fixture_citations + 100,
        revisions=2000,
    )

    assert Partner.objects.count() == 40
    assert Partner.objects.filter(slug__startswith="demo-").count() == 40 - fixture_partners
    assert Source.objects.count() == 8
    assert Citation.objects.count() == fixture_citations + 100
    assert revisions() == 2000
    us = Partner.objects.get(slug="united-states")
    demo = Agreement.objects.filter(slug__startswith="demo-")
    assert 0.05 * demo.count() < demo.filter(parties=us).count() < 0.5 * demo.count()
    assert Exercise.objects.filter(slug__startswith="demo-", participants=us).exists()
    assert Procurement.objects.filter(slug__startswith="demo-", supplier=us).exists()
    busy = {
        partner.slug: partner.agreement_count + partner.exercise_count + partner.equipment_count
        for partner in Partner.objects.with_counts()
    }
    assert max(busy, key=busy.get) == "united-states"
    out = StringIO()
    call_command("check_citations", stdout=out)
    assert "citations found" in out.getvalue()


def test_the_public_pages_answer_on_generated_data(client, fixtures):
    generate(partners=20, agreements=60, engagements=20, sources=8, citations=150, revisions=900)

    for url in (
        "/",
        "/agreements/",
        "/agreements/?q=drone",
        "/partners/united-states/",
        "/agreements/demo-agreement-1/",
        "/agreements/demo-agreement-1/history/",
        "/exercises/demo-exercise-1/",
        "/sources/demo-source-1/",
        "/changes/",
        "/search/?q=drone",
        "/timeline/",
        "/quality/",
        "/agreements/?format=json",
        "/sources/?format=csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Demo agreement 1" in client.get("/agreements/demo-agreement-1/").content.decode()
    # Demo saves are dated 2024 on: the fixtures' loads, dated now, come first.
    assert "Demo editor" in client.get("/changes/?type=agreement").content.decode()
    for url in ("/engagements/", "/engagements/demo-engagement-1/", "/people/", "/indicators/"):
        assert client.get(url).status_code == 200, url


# -- citations' facts and dates without a year ----------------------------------------------


SHAPED = {
    "partners": 30,
    "agreements": 400,
    "exercises": 100,
    "equipment": 100,
    "citations": 600,
    "revisions": 3000,
}


def test_it_gives_citations_the_facts_their_entries_have():
    generate(**SHAPED)

    citations = list(Citation.objects.select_related(*ENTRY_FIELDS))
    ever_linked = {
        "agreement": set(AgreementParty.history.values_list("agreement_id", "partner_id")),
        "exercise": set(ExerciseParticipant.history.values_list("exercise_id", "partner_id")),
        "engagement": set(EngagementPartner.history.values_list("engagement_id", "partner_id")),
    }
    lines = [citation.facts for citation in citations]
    for citation in citations:
        field, keys = citation.entry_field, citation.fact_keys
        entry = getattr(citation, field)
        assert keys and fact_rules.problems(field, keys, None) == [], citation.facts
        assert citation.facts == fact_rules.joined(field, keys)
        for key in keys:
            partner = fact_rules.link_id(field, key)
            if partner is not None:
                # A party an edit removed later may still be named by its citations.
                assert (entry.pk, partner) in ever_linked[field]
            elif key not in ("existence", "status"):  # edits change only a status
                assert fact_rules.facts_of(field)[key].value_of(entry), (entry, key)
    assert 0.05 < lines.count("existence") / len(lines) < 0.5
    assert any("party:" in line for line in lines)
    assert any("participant:" in line for line in lines)
    assert any("existence" not in line for line in lines)
    for key in ("date", "value", "supplier", "location", "kind"):
        assert any(key in line.split() for line in lines), key
    noted = sum(bool(citation.note) for citation in citations) / len(citations)
    assert 0.15 < noted < 0.45


def test_it_names_a_citation_saved_alone_as_recent_changes_would():
    generate(**SHAPED)

    relations = {
        entry_type.name: entry_type.relation("citation")
        for entry_type in entry_types
        if entry_type.relation("citation")
    }
    alone = [
        change
        for change in Change.objects.filter(kind="changed")
        if [table for table, _, _ in change.revisions] == ["citation"]
    ]
    assert len(alone) > 10
    revisions = Citation.history.in_bulk(
        [change.revisions[0][1] for change in alone], field_name="history_id"
    )
    for change in alone:
        revision = revisions[change.revisions[0][1]]
        relation = relations[change.entry_type]
        assert change.detail == relation.describe([revision], short=True)[revision.history_id]
    assert any(change.summary == "Demo edit: citation's facts corrected" for change in alone)
    assert any(change.summary == "Demo edit: citation's note reworded" for change in alone)


def test_it_gives_a_few_dates_as_a_month_without_a_year():
    generate(**SHAPED)

    for model, prefix in (
        (Agreement, "date"),
        (Exercise, "start_date"),
        (Procurement, "order_date"),
    ):
        no_year = model.objects.filter(**{f"{prefix}_precision": "month_no_year"})
        total = model.objects.count()
        assert 0 < no_year.count() < 0.1 * total, model
        assert not no_year.exclude(**{prefix: None}).exists()
        assert set(no_year.values_list(f"{prefix}_month", flat=True)) <= set(range(1, 13))
        assert (
            not model.objects.exclude(**{f"{prefix}_precision": "month_no_year"})
            .exclude(**{f"{prefix}_month": None})
            .exists()
        )
    # Publication dates are as sources print them: never without a year.
    assert not Source.objects.filter(publication_date_precision="month_no_year").exists()
