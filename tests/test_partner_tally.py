"""Each partner's counts of agreements, exercises and equipment deals: counted on
SQLite, kept by triggers on PostgreSQL (partnerships 0014). Whatever happens to
the links, the counts a page shows are the links there are."""

import importlib
import json

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from partnerships.models import AgreementParty, ExerciseParticipant, Partner, Procurement

from .conftest import make_agreement, make_exercise, make_partner, make_procurement

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the tally is kept on PostgreSQL only"
)
tallies = importlib.import_module("partnerships.migrations.0014_partner_link_tallies")


def shown():
    """{partner: (agreements, exercises, equipment)} as the pages count them."""
    return {
        partner.name: (partner.agreement_count, partner.exercise_count, partner.equipment_count)
        for partner in Partner.objects.with_counts()
    }


def counted():
    """The same, counted from the links themselves."""
    return {
        partner.name: (
            AgreementParty.objects.filter(partner=partner).count(),
            ExerciseParticipant.objects.filter(partner=partner).count(),
            Procurement.objects.filter(Q(supplier=partner) | Q(manufacturer=partner)).count(),
        )
        for partner in Partner.objects.all()
    }


def test_the_counts_follow_every_change_to_the_links():
    spain, france, israel = (make_partner(name=name) for name in ("Spain", "France", "Israel"))
    treaty = make_agreement(parties=[spain, france])
    make_agreement(parties=[spain])
    drill = make_exercise(participants=[spain, israel])
    # A deal counts once for a partner that both supplies and builds it.
    own_build = make_procurement(supplier=israel, manufacturer=israel)
    deal = make_procurement(supplier=france, manufacturer=israel)
    assert (
        shown()
        == counted()
        == {
            "Spain": (2, 1, 0),
            "France": (1, 0, 1),
            "Israel": (0, 1, 2),
        }
    )

    # A party moved to another partner, a participant removed, a deal's maker changed,
    # then forgotten, an agreement deleted with its parties.
    AgreementParty.objects.filter(agreement=treaty, partner=france).update(partner=israel)
    ExerciseParticipant.objects.filter(exercise=drill, partner=spain).delete()
    deal.manufacturer = france
    deal.save()
    own_build.manufacturer = spain
    own_build.save()
    assert (
        shown()
        == counted()
        == {
            "Spain": (2, 0, 1),
            "France": (0, 0, 1),
            "Israel": (1, 1, 1),
        }
    )

    deal.manufacturer = None
    deal.save()
    treaty.delete()
    own_build.delete()
    assert (
        shown()
        == counted()
        == {
            "Spain": (1, 0, 0),
            "France": (0, 0, 1),
            "Israel": (0, 1, 0),
        }
    )


def test_a_partner_without_links_counts_nothing_and_sorts_by_its_counts(client):
    lonely = make_partner(name="Lonely")
    busy = make_partner(name="Busy")
    for _ in range(3):
        make_agreement(parties=[busy])
    make_agreement(parties=[lonely, busy])

    assert shown() == {"Lonely": (1, 0, 0), "Busy": (4, 0, 0)}
    busiest_first = Partner.objects.with_counts().order_by("-agreement_count", "pk")
    assert [partner.name for partner in busiest_first] == ["Busy", "Lonely"]


@postgres_only
def test_a_deleted_partner_leaves_no_tally_behind():
    partner = make_partner()
    agreement = make_agreement(parties=[partner])
    agreement.delete()
    partner_id = partner.pk
    partner.delete()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM partnerships_partner_tally WHERE partner_id = %s", [partner_id]
        )
        assert cursor.fetchone() == (0,)


@postgres_only
def test_emptying_a_link_table_empties_its_counts():
    partner = make_partner(name="Spain")
    make_agreement(parties=[partner])
    make_exercise(participants=[partner])

    with connection.cursor() as cursor:
        # The test's rows are in this transaction, their key checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE partnerships_exerciseparticipant")

    assert shown() == counted() == {"Spain": (1, 0, 0)}


@postgres_only
def test_counting_afresh_gives_the_counts_the_triggers_kept():
    spain, france = make_partner(name="Spain"), make_partner(name="France")
    make_agreement(parties=[spain, france])
    make_exercise(participants=[france])
    make_procurement(supplier=spain, manufacturer=spain)
    make_procurement(supplier=spain, manufacturer=france)
    kept = shown()

    with connection.schema_editor() as schema_editor:
        tallies.retally(schema_editor)

    assert shown() == kept == counted()


@postgres_only
def test_sorting_partners_by_their_counts_reads_no_link(client):
    make_agreement(parties=[make_partner()])

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/partners/?sort=-agreements")

    assert response.status_code == 200
    (listed,) = [q["sql"] for q in queries if "ORDER BY" in q["sql"] and "tally" in q["sql"]]
    for link_table in ("agreementparty", "exerciseparticipant", "procurement"):
        assert f"partnerships_{link_table}" not in listed


@pytest.mark.parametrize("has", ["has_agreements", "has_exercises", "has_equipment"])
def test_partners_with_or_without_links_are_those_the_links_say(client, has):
    spain, france, israel, chad = (
        make_partner(name=name) for name in ("Spain", "France", "Israel", "Chad")
    )
    make_agreement(parties=[spain, france])
    make_exercise(participants=[france])
    make_procurement(supplier=israel, manufacturer=israel)
    make_procurement(supplier=spain, manufacturer=chad)
    links = {name: dict(zip(HAS, counts, strict=True)) for name, counts in counted().items()}

    for value in ("yes", "no"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/partners/?{has}={value}&format=json")
        exported = json.loads(b"".join(response.streaming_content))["partners"]
        names = {row["name"] for row in exported}
        assert names == {
            name for name, has_ in links.items() if (has_[has] > 0) == (value == "yes")
        }
        if connection.vendor == "postgresql":  # from the tally alone
            (listed,) = [q["sql"] for q in queries if "tally" in q["sql"]]
            assert "EXISTS" not in listed


HAS = ("has_agreements", "has_exercises", "has_equipment")


def test_the_counts_agree_with_a_plain_count_over_joins():
    """CountOf and the tally against Django's own Count(distinct) over the relations."""
    partners = [make_partner(name=f"P{n}") for n in range(4)]
    for n in range(6):
        make_agreement(parties=partners[: n % 4 + 1])
    for n in range(3):
        make_exercise(participants=partners[n:])
    for n in range(4):
        make_procurement(supplier=partners[n], manufacturer=partners[(n * 3) % 4])

    plain = {
        partner.name: (partner.a, partner.e)
        for partner in Partner.objects.annotate(
            a=Count("agreement_links", distinct=True), e=Count("participations", distinct=True)
        )
    }
    assert {name: counts[:2] for name, counts in shown().items()} == plain
    assert shown() == counted()
