"""Queries compiled once per process (partnerships/compiled.py): each call runs the SQL
Django compiled the first time with its own values, and gets what the ORM would have
made of it, objects, related objects, annotations and deferred fields alike."""

import pytest
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from partnerships import page_queries, search
from partnerships.compiled import Compiled, planned_for_each_call
from partnerships.history.entry_pages import LAST_CHANGE
from partnerships.lists.names import reading, translations
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
    # The page reads the system's French and Arabic names too (lists.names.reading).
    expected = list(
        reading(Agreement.objects.procurements_of(agreement.pk), *translations("system"))
    )
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
    citation = make_citation(note="its naval cooperation")
    [found] = page_queries.FOOTNOTES.all("partner", entry=citation.partner_id)
    with CaptureQueriesContext(connection) as reads:
        assert found.source.title == citation.source.title
    assert len(reads) == 0
    assert "full_text" in found.source.get_deferred_fields()
    assert found.note == "its naval cooperation"


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
    with pytest.raises(TypeError, match="int, str, date or YEAR"):
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are psycopg's")
def test_queries_planned_for_each_call_are_sent_unprepared():
    spain = make_partner(name="Spain")
    query = Compiled(lambda name: Partner.objects.filter(name=name), name=str)
    connection.ensure_connection()
    kept = connection.connection.prepare_threshold
    assert kept is not None  # settings.py: a query sent twice is prepared

    with planned_for_each_call():
        assert connection.connection.prepare_threshold is None
        for _ in range(3):
            assert query.all(name="Spain") == [spain]
    assert connection.connection.prepare_threshold == kept
    with pytest.raises(RuntimeError), planned_for_each_call():
        raise RuntimeError("a query failed")
    assert connection.connection.prepare_threshold == kept


def test_planning_for_each_call_changes_nothing_on_sqlite_and_returns_the_rows():
    spain = make_partner(name="Spain")
    query = Compiled(lambda name: Partner.objects.filter(name=name), name=str)
    with planned_for_each_call():
        assert query.all(name="Spain") == [spain]


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


# -- a list's page, compiled for the shape of its filters (lists/page_query.py) ----------


def list_kinds():
    from partnerships import views
    from sources.views import SOURCES

    return {
        "partners": views.PARTNERS,
        "agreements": views.AGREEMENTS,
        "exercises": views.EXERCISES,
        "equipment": views.PROCUREMENTS,
        "sources": SOURCES,
    }


# Each filter of each list, alone and together, a value of each kind: a partner, a
# choice, a year, words (with the characters a LIKE pattern escapes), a sort.
LIST_QUERIES = {
    "partners": [
        "",
        "q=spa",
        "q=50%25_off+navy",
        "kind=country&has_agreements=yes&sort=-agreements",
        "has_agreements=no&has_exercises=yes&has_equipment=no&sort=name",
    ],
    "agreements": [
        "",
        "partner={spain}&status=in_force&sort=-date",
        "partner={company}&kind=cooperation&year_from=2000&year_to=2021&value=known",
        "q=drone+50%25&value=unknown&sort=value",
        "year_to=1999",
    ],
    "exercises": [
        "partner={spain}&year_from=2020&sort=-start",
        "domain=sea&q=lion",
        "domain=land&year_to=2019&sort=location",
    ],
    "equipment": [
        "partner={spain}&status=delivered&sort=-ordered",
        "partner={company}&category=air_defense&year_from=2010&value=known&sort=supplier",
        "q=barak&year_to=2030",
    ],
    "sources": [
        "kind=analysis&year_from=2015&sort=-published",
        "publisher=Le+Desk&language=en&q=report",
        "year_to=2019&sort=publisher",
    ],
}


@pytest.fixture
def listed():
    import datetime

    from partnerships.dates import DatePrecision
    from partnerships.models import Agreement, Exercise, Procurement
    from sources.models import Source

    from .conftest import make_exercise, make_source

    spain = make_partner(name="Spain", short_name="ES")
    company = make_partner(name="Navy_50% off", kind=Partner.Kind.COMPANY)
    day = DatePrecision.DAY
    for n, year in enumerate((1994, 2004, 2021, 2022)):
        make_agreement(
            parties=[spain, company][: 1 + n % 2],
            title=f"Drone 50% agreement {n}",
            status=Agreement.Status.IN_FORCE if n % 2 else Agreement.Status.SIGNED,
            date=datetime.date(year, 3, 4),
            date_precision=day,
            value_amount=1000 * n or None,
            value_currency="USD" if n else "",
        )
        make_exercise(
            participants=[spain],
            name=f"Lion {n}",
            location=f"Place {n}",
            domains=[Exercise.Domain.SEA, Exercise.Domain.LAND][: 1 + n % 2],
            start_date=datetime.date(2017 + n, 5, 1),
            start_date_precision=day,
        )
        make_procurement(
            system=f"Barak {n}",
            supplier=company if n % 2 else spain,
            manufacturer=company,
            status=Procurement.Status.DELIVERED,
            order_date=datetime.date(2008 + 5 * n, 1, 1),
            order_date_precision=day,
            value_amount=10 * n or None,
            value_currency="USD" if n else "",
        )
        make_source(
            kind=Source.Kind.ANALYSIS if n % 2 else Source.Kind.NEWS,
            publisher="Le Desk" if n % 2 else "Hespress",
            publication_date=datetime.date(2014 + 2 * n, 1, 1),
            publication_date_precision=day,
        )
    return {"spain": spain.slug, "company": company.slug}


def list_pages(listed):
    from django.http import QueryDict

    for name, kind in list_kinds().items():
        for query in LIST_QUERIES[name]:
            filterset = kind.filterset(QueryDict(query.format(**listed)), kind.queryset.all())
            assert filterset.is_valid(), (name, query, filterset.errors)
            for bottom, top, at_most in ((0, 25, 275), (1, 3, 50)):
                yield kind, query, filterset, (bottom, top, at_most)


def test_a_list_page_compiles_to_the_orms_sql_with_the_values_in_place(listed):
    from partnerships.lists import page_query

    for kind, query, filterset, page in list_pages(listed):
        compiled = page_query.page_query(kind, filterset, *page)
        assert compiled is not None, (kind.name, query)
        sql, params = page_query.SHAPES.sql(*compiled)
        orm = page_query.counted_rows(filterset.qs, *page).query.get_compiler("default")
        orm_sql, orm_params = orm.as_sql()
        assert (sql, params) == (orm_sql, list(orm_params)), (kind.name, query)


def test_a_compiled_list_page_reads_the_rows_the_orm_reads(listed):
    from partnerships.lists import page_query

    seen_rows = 0
    for kind, query, filterset, page in list_pages(listed):
        compiled = page_query.page_rows(kind, filterset, *page)
        expected = list(page_query.counted_rows(filterset.qs, *page))
        assert [state(obj) for obj in compiled] == [state(obj) for obj in expected], (
            kind.name,
            query,
        )
        seen_rows += len(compiled)
    assert seen_rows > 40  # the queries find rows, not only nothing


def test_each_shape_of_a_list_is_compiled_once(listed, client):
    from partnerships.lists import page_query

    page_query.SHAPES._shapes.clear()
    client.get(f"/agreements/?partner={listed['company']}&status=in_force")
    shapes = dict(page_query.SHAPES._shapes)
    response = client.get(f"/agreements/?partner={listed['spain']}&status=signed")
    assert response.status_code == 200
    assert dict(page_query.SHAPES._shapes) == shapes  # the same shape, other values
    assert "Drone 50% agreement 0" in response.text
    assert "Drone 50% agreement 1" not in response.text  # in force, not signed
    client.get(f"/agreements/?partner={listed['spain']}&status=signed&page=2")
    assert len(page_query.SHAPES._shapes) == len(shapes) + 1  # another page, another shape


def test_many_words_are_searched_by_the_orm(listed, client):
    from partnerships.lists import page_query

    words = "+".join(["drone"] * 7)
    page_query.SHAPES._shapes.clear()
    response = client.get(f"/agreements/?q={words}")
    assert response.status_code == 200 and "Drone 50% agreement 3" in response.text
    assert page_query.SHAPES._shapes == {}


def test_the_oldest_shapes_make_way_for_new_ones(listed, client, monkeypatch):
    from partnerships.lists import page_query

    monkeypatch.setattr(page_query.SHAPES, "maximum", 2)
    page_query.SHAPES._shapes.clear()
    for sort in ("title", "kind", "date"):
        assert client.get(f"/agreements/?sort={sort}").status_code == 200
    assert [key[1][-1] for key in page_query.SHAPES._shapes] == [
        ("sort", ("kind",)),
        ("sort", ("date",)),
    ]
