"""Queries compiled once per process (partnerships/compiled.py): each call runs the SQL
Django compiled the first time with its own values, and gets what the ORM would have
made of it, objects, related objects, annotations and deferred fields alike."""

import pytest
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from partnerships import page_queries, search
from partnerships.compiled import Compiled
from partnerships.history.entry_pages import LAST_CHANGE
from partnerships.models import Agreement, Partner

from .conftest import make_agreement, make_citation, make_partner, make_procurement

pytestmark = pytest.mark.django_db


def state(obj):
    """An object's loaded values, its related objects' and its annotations, as compared."""
    values = {
        name: value for name, value in vars(obj).items() if name not in ("_state", "_prefetched")
    }
    related = {name: state(rel) for name, rel in obj._state.fields_cache.items() if rel}
    return values, related, obj._state.db, obj._state.adding, obj.get_deferred_fields()


def by_slug(queryset):
    return Compiled(lambda slug: queryset.filter(slug=slug)[:1], slug=str)


def test_it_makes_the_objects_the_orm_makes():
    country = make_partner(name="Spain")
    company = make_partner(name="Navantia", kind=Partner.Kind.COMPANY, parent=country)
    make_agreement(parties=[company])
    make_procurement(supplier=company, manufacturer=country)
    query = by_slug(Partner.objects.for_detail())

    compiled = query.first(slug=company.slug)

    expected = Partner.objects.for_detail().get(slug=company.slug)
    assert state(compiled) == state(expected)
    assert (compiled.agreement_count, compiled.equipment_count) == (1, 1)
    with CaptureQueriesContext(connection) as reads:
        assert compiled.parent.name == "Spain"  # selected with it
    assert len(reads) == 0


def test_it_leaves_deferred_fields_deferred_as_only_does():
    agreement = make_agreement()
    make_procurement(agreement=agreement, system="Barak MX")
    compiled = page_queries.PROCUREMENTS.all(entry=agreement.pk)
    expected = list(Agreement.objects.procurements_of(agreement.pk))
    assert [state(obj) for obj in compiled] == [state(obj) for obj in expected]
    assert compiled[0].get_deferred_fields() >= {"category", "quantity"}


def test_each_call_runs_the_same_sql_with_its_own_values():
    first, second = make_partner(name="Alpha"), make_partner(name="Beta")
    query = by_slug(Partner.objects.all())
    assert query.first(slug=first.slug) == first
    assert query.first(slug=second.slug) == second
    assert query.first(slug="no-such-partner") is None
    assert len(query._shapes) == 1


def test_it_compiles_once(monkeypatch):
    partner = make_partner()
    query = by_slug(Partner.objects.with_counts())
    query.first(slug=partner.slug)
    compiled = []
    original = query._compile
    monkeypatch.setattr(query, "_compile", lambda *args: compiled.append(args) or original(*args))
    for _ in range(3):
        assert query.first(slug=partner.slug) == partner
    assert compiled == []


def test_a_value_used_several_times_goes_everywhere():
    spain = make_partner(name="Spain", short_name="ES")
    query = Compiled(
        lambda name: Partner.objects.filter(Q(name=name) | Q(short_name=name)), name=str
    )
    assert query.all(name="Spain") == [spain]
    assert query.all(name="ES") == [spain]
    assert query.all(name="France") == []


def test_constants_choose_among_shapes_each_compiled_once():
    partner = make_partner()
    citations = [make_citation(partner) for _ in range(3)]
    assert page_queries.FOOTNOTES.all("partner", entry=partner.pk) == citations
    agreement = make_agreement()
    assert page_queries.FOOTNOTES.all("agreement", entry=agreement.pk) == []
    limited = page_queries.SOURCE_CITATIONS.all(2, entry=citations[0].source_id)
    assert limited == [citations[0]]
    assert {key[1] for key in page_queries.FOOTNOTES._shapes} >= {("partner",), ("agreement",)}


def test_footnotes_carry_their_sources_as_the_prefetch_did():
    citation = make_citation(supports="its naval cooperation")
    [found] = page_queries.FOOTNOTES.all("partner", entry=citation.partner_id)
    with CaptureQueriesContext(connection) as reads:
        assert found.source.title == citation.source.title
    assert len(reads) == 0
    assert "full_text" in found.source.get_deferred_fields()
    assert found.supports == "its naval cooperation"


def test_values_list_rows_come_converted():
    agreement = make_agreement()
    [row] = LAST_CHANGE.all("agreement", entry=agreement.pk)
    date, summary, *_ = row
    assert date.tzinfo is not None and isinstance(summary, str)


def test_entry_or_404_finds_or_raises():
    partner = make_partner()
    assert page_queries.entry_or_404(page_queries.PARTNER, partner.slug) == partner
    with pytest.raises(Http404):
        page_queries.entry_or_404(page_queries.PARTNER, "no-such-partner")


def test_it_refuses_what_it_cannot_carry_over():
    with pytest.raises(ValueError, match="does not prefetch"):
        Compiled(
            lambda pk: Partner.objects.filter(pk=pk).prefetch_related("companies"), pk=int
        ).all(pk=1)
    with pytest.raises(TypeError, match=r"no place for \['pk'\]"):
        Compiled(lambda pk: Partner.objects.all(), pk=int).all(pk=1)
    with pytest.raises(ValueError, match="models or tuples"):
        Compiled(lambda pk: Partner.objects.filter(pk=pk).values("name"), pk=int).all(pk=1)
    with pytest.raises(TypeError, match="int, str or date"):
        Compiled(lambda day: Partner.objects.filter(pk=day), day=float).all(day=1.0)
    query = Compiled(lambda pk: Partner.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="takes"):
        query.all(id=1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_search_rows_are_what_the_orm_finds():
    make_partner(name="Drone makers", summary="They build drones and more drones.")
    make_agreement(title="Drone agreement", summary="On drones.")
    for n in range(4):
        make_partner(name=f"Drone partner {n}", summary="Drones." * n)

    def seen(rows):
        return [(obj.pk, obj.rank, obj.headline, obj.total) for obj in rows]

    for text in ("drone", "drone -agreement", '"drone makers"', "nothing-like-it"):
        for start, stop in ((0, search.PER_GROUP), (2, 4)):
            for kind in search.search_types():
                compiled, _ = search._postgres_rows(kind, text, start, stop)
                expected = list(search.postgres_matches(kind, text, start, stop))
                assert seen(compiled) == seen(expected), (text, start, kind.key)


def test_dates_are_parameters_too():
    import datetime

    from partnerships.dates import DatePrecision

    early = make_agreement(date=datetime.date(1994, 1, 1), date_precision=DatePrecision.YEAR)
    late = make_agreement(date=datetime.date(2021, 3, 4), date_precision=DatePrecision.DAY)
    query = Compiled(
        lambda day: Agreement.objects.filter(date__gte=day).order_by("date"), day=datetime.date
    )

    assert query.all(day=datetime.date(1990, 1, 1)) == [early, late]
    assert query.all(day=datetime.date(2000, 1, 1)) == [late]
    assert query.all(day=datetime.date(2022, 1, 1)) == []


def test_a_shape_takes_the_values_of_the_parameters_it_uses():
    spain, italy = make_partner(name="Spain"), make_partner(name="Italy")
    query = Compiled(
        lambda named, name: Partner.objects.filter(name=name) if named else Partner.objects.all(),
        name=str,
    )

    assert query.all(True, name="Spain") == [spain]
    assert set(query.all(False)) == {spain, italy}
    with pytest.raises(TypeError, match=r"needs \['name'\]"):
        query.all(True)
    with pytest.raises(TypeError, match=r"no place for \['name'\]"):
        query.all(False, name="Spain")


def test_history_skeletons_are_what_the_orm_reads():
    from partnerships.history import entry as history
    from partnerships.history.registry import entry_types

    israel, spain = make_partner(name="Israel"), make_partner(name="Spain")
    agreement = make_agreement(parties=[israel])
    other = make_agreement(parties=[spain])
    make_citation(agreement)
    link = agreement.party_links.get()
    link.agreement = other  # a party moved to another agreement is followed there
    link.save()
    relations = entry_types.by_name("agreement").relations

    rows = {}
    for entry in (agreement, other):
        compiled = history.ENTRY_RECORDS.all("agreement", pk=entry.pk)
        assert compiled == list(history._entry_skeletons("agreement", entry.pk))
        for number, relation in enumerate(relations):
            compiled = history.RELATION_RECORDS.all("agreement", number, pk=entry.pk)
            assert compiled == list(history._relation_skeletons("agreement", number, entry.pk))
            rows[entry, relation.token] = compiled
    # The moved party's two revisions are read for both agreements; the citation's for its own.
    assert len(rows[agreement, "party"]) == len(rows[other, "party"]) - 1 == 2
    assert len(rows[agreement, "citation"]) == 1 and rows[other, "citation"] == []
