"""The main queries' plans on PostgreSQL: each list's page read in order from an index,
never by sorting every row; a busy partner's filtered matches counted from indexes
alone; the free-text filter matched through trigram indexes;
search matching and counting through the stored documents' GIN index, with
headlines cut for the shown rows only and the count stopping at its limit.

The plans are those of the queries the pages really make (captured from a
request), on a wiki generated once for the module, large enough that the
planner prefers an index wherever one serves. Where a plan depends on costs
rather than on what exists (a deep page, a small table), the test turns the
alternative off for its transaction (`enable_sort`, `enable_seqscan`): the
planner can then still only sort or scan if no index serves, which is what the
test proves.

PostgreSQL only: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiki (any
database name) .venv/bin/pytest --create-db tests/test_query_plans.py`.
"""

import json
import re

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from partnerships.lists.pages import MAX_PAGES
from partnerships.search import PER_GROUP, PER_PAGE, postgres_matches, search_types
from partnerships.timeline import FIRST_READ, SOURCES
from partnerships.timeline import PER_PAGE as PER_PAGE_OF_TIMELINE

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "query plans are PostgreSQL's: run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiki (any database name)"
        ),
    ),
    pytest.mark.django_db,
]

AGREEMENTS, EXERCISES, PROCUREMENTS = 10_000, 4_000, 4_000
PEOPLE, ENGAGEMENTS, INDICATORS = 2_000, 4_000, 400

# One row in ten mentions "drone", one in a thousand "zeppelin".
SUMMARY = (
    "(CASE WHEN g % 1000 = 7 THEN 'zeppelin ' ELSE '' END) || "
    "(array['drone', 'naval', 'radar', 'training', 'border', 'coastal', 'cyber', "
    "'logistics', 'pilot', 'artillery'])[1 + g % 10] || ' cooperation over ' || "
    "(array['five years', 'a decade', 'the coast', 'the south'])[1 + g / 10 % 4] || "
    "'. The parties agreed to meet every year, to exchange officers and to review the "
    "programme, whose cost and schedule were not made public at the time.'"
)


def translations(*fields):
    """The French and Arabic columns of translated `fields` (partnerships.translations),
    given empty, as an entry without translations has them."""
    return ", ".join(f"{field}_{code}" for field in fields for code in ("fr", "ar"))


def untranslated(*fields):
    return ", ".join("''" for _field in fields for _code in ("fr", "ar"))


DATE = "CASE WHEN g % 10 = 0 THEN NULL ELSE DATE '1960-01-01' + (g * 7919) % 23000 END"
PRECISION = "CASE WHEN g % 10 = 0 THEN '' ELSE 'day' END"
GENERATE = [
    f"""INSERT INTO partnerships_partner (name, slug, kind, membership, short_name, aliases,
        summary, {translations("name", "aliases", "summary")}, country_code)
    SELECT 'Partner ' || (g * 7919) % 400, 'plan-partner-' || g,
        CASE WHEN g % 4 = 0 THEN 'company' ELSE 'country' END, '', '', '', {SUMMARY},
        {untranslated("name", "aliases", "summary")}, ''
    FROM generate_series(1, 400) g""",
    f"""INSERT INTO partnerships_agreement (title, slug, kind, date, date_precision,
        date_approximate, start_date_precision, start_date_approximate, end_date_precision,
        end_date_approximate, status, value_amount, value_currency, summary,
        {translations("title", "summary")})
    SELECT 'Agreement ' || (g * 7919) % {AGREEMENTS}, 'plan-agreement-' || g,
        (array['treaty', 'memorandum', 'cooperation', 'contract'])[1 + g % 4],
        {DATE}, {PRECISION}, false, '', false, '', false,
        (array['reported', 'signed', 'in_force'])[1 + g % 3],
        CASE WHEN g % 2 = 0 THEN NULL ELSE g * 1000 END,
        CASE WHEN g % 2 = 0 THEN '' ELSE 'USD' END, {SUMMARY}, {untranslated("title", "summary")}
    FROM generate_series(1, {AGREEMENTS}) g""",
    f"""INSERT INTO partnerships_exercise (name, slug, series, start_date, start_date_precision,
        start_date_approximate, end_date_precision, end_date_approximate, location, domains,
        summary, {translations("name", "summary")})
    SELECT 'Exercise ' || (g * 7919) % {EXERCISES}, 'plan-exercise-' || g, 'Series ' || g % 20,
        {DATE}, {PRECISION}, false, '', false,
        'Place ' || g % 50, 'land', {SUMMARY}, {untranslated("name", "summary")}
    FROM generate_series(1, {EXERCISES}) g""",
    f"""INSERT INTO partnerships_procurement (system, slug, category, supplier_id, quantity,
        order_date, order_date_precision, order_date_approximate, delivery_date_precision,
        delivery_date_approximate, status, value_amount, value_currency, summary,
        {translations("system", "summary")})
    SELECT 'System ' || (g * 7919) % {PROCUREMENTS}, 'plan-procurement-' || g,
        (array['uav', 'naval_vessel', 'air_defense'])[1 + g % 3],
        (SELECT min(id) FROM partnerships_partner WHERE kind = 'country') + g % 100,
        CASE WHEN g % 3 = 0 THEN NULL ELSE g % 70 END,
        {DATE}, {PRECISION}, false, '', false,
        (array['reported', 'ordered', 'delivered'])[1 + g % 3],
        CASE WHEN g % 2 = 0 THEN NULL ELSE g * 1000 END,
        CASE WHEN g % 2 = 0 THEN '' ELSE 'USD' END, {SUMMARY}, {untranslated("system", "summary")}
    FROM generate_series(1, {PROCUREMENTS}) g""",
    f"""INSERT INTO partnerships_person (name, slug, summary, {translations("name", "summary")})
    SELECT 'Person ' || (g * 7919) % {PEOPLE}, 'plan-person-' || g, {SUMMARY},
        {untranslated("name", "summary")}
    FROM generate_series(1, {PEOPLE}) g""",
    f"""INSERT INTO partnerships_engagement (title, slug, kind, date, date_precision,
        date_approximate, end_date_precision, end_date_approximate, place, hedge, summary,
        {translations("title", "summary")})
    SELECT 'Engagement ' || (g * 7919) % {ENGAGEMENTS}, 'plan-engagement-' || g,
        (array['visit', 'meeting', 'statement', 'training', 'initiative'])[1 + g % 5],
        {DATE}, {PRECISION}, false, '', false, 'Place ' || g % 50,
        CASE WHEN g % 7 = 0 THEN 'reportedly' ELSE '' END, {SUMMARY},
        {untranslated("title", "summary")}
    FROM generate_series(1, {ENGAGEMENTS}) g""",
    f"""INSERT INTO partnerships_indicator (name, slug, subject, measure, unit, currency,
        summary, {translations("name", "summary")})
    SELECT 'Indicator ' || (g * 7919) % {INDICATORS}, 'plan-indicator-' || g,
        'Subject ' || g % 30, 'amount', 'billion', 'USD', {SUMMARY},
        {untranslated("name", "summary")}
    FROM generate_series(1, {INDICATORS}) g""",
    f"""INSERT INTO sources_source (title, slug, kind, publisher, author, url, language,
        publication_date, publication_date_precision, publication_date_approximate,
        full_text, reliability_note, furniture)
    SELECT 'Report ' || g, 'plan-source-' || g, 'news', 'Publisher ' || g % 9, '', '', 'en',
        {DATE}, {PRECISION}, false, repeat({SUMMARY} || '. ', 20), '', ''
    FROM generate_series(1, 300) g""",
    # A third of the agreements and exercises have one partner in common (BUSY),
    # each of the others one of the other partners.
    *(
        f"""INSERT INTO {link} ({entry}_id, partner_id{extra_columns})
        SELECT e.id, p.id{extra_values} FROM {table} e JOIN partnerships_partner p
            ON p.slug = 'plan-partner-' || CASE WHEN e.id % 3 = 0 THEN 1 ELSE 2 + e.id % 399 END"""
        for link, entry, table, extra_columns, extra_values in (
            ("partnerships_agreementparty", "agreement", "partnerships_agreement", "", ""),
            (
                "partnerships_exerciseparticipant",
                "exercise",
                "partnerships_exercise",
                ", role",
                ", 'participant'",
            ),
            (
                "partnerships_engagementpartner",
                "engagement",
                "partnerships_engagement",
                ", role",
                ", 'visitor'",
            ),
        )
    ),
    # As autovacuum would, in time: the GIN indexes, filled row by row (their
    # pending lists, their statistics), rebuilt; then the planner's statistics.
    *(
        f"REINDEX TABLE {table}"
        for table in (
            "partnerships_partner",
            "partnerships_agreement",
            "partnerships_exercise",
            "partnerships_procurement",
            "partnerships_person",
            "partnerships_engagement",
            "partnerships_indicator",
            "sources_source",
        )
    ),
    "ANALYZE",
    # As vacuum would, in time: every page all-visible in the planner's statistics,
    # so that it costs an index-only scan as production's, not as reading every
    # row again (VACUUM cannot run in this transaction; the executor still checks
    # the real visibility map, so results are unchanged).
    """UPDATE pg_class SET relallvisible = relpages
    WHERE relname LIKE 'partnerships\\_%' OR relname LIKE 'sources\\_%'""",
]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """The generated wiki, made once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with connection.cursor() as cursor:
            for statement in GENERATE:
                cursor.execute(statement)
        yield
        transaction.set_rollback(True)


# -- reading plans -------------------------------------------------------------------------


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def page_query(client, url, table):
    """The query that reads the page's rows, as the list made it."""
    (sql,) = [
        sql
        for sql in queries_of(client, url)
        if sql.startswith(f'SELECT "{table}"."id"') and " LIMIT 25" in sql
    ]
    return sql


def count_query(client, url):
    """The query that counts the list's matching rows: the subquery the page's rows
    carry their count in (lists.page_query.capped_count), as a query of its own."""
    (sql,) = [sql for sql in queries_of(client, url) if "(SELECT COUNT(*) FROM (" in sql]
    start = sql.index("(SELECT COUNT(*) FROM (")
    depth = 0
    for end, char in enumerate(sql[start:], start):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return sql[start + 1 : end]
    raise AssertionError(f"No whole count in {sql}")


def search_query(kind, text, start=0, stop=PER_GROUP):
    """The query that finds one type's results, as search makes it."""
    connection.ensure_connection()
    # The site binds parameters on the server; a client-side cursor spells them out.
    return psycopg.ClientCursor(connection.connection).mogrify(
        *postgres_matches(kind, text, start, stop).query.sql_with_params()
    )


def plan_of(sql, analyze=False, **planner):
    """The plan of `sql` as a tree of nodes, with the `planner` settings for it alone."""
    options = "FORMAT JSON, VERBOSE" + (", ANALYZE" if analyze else "")
    with connection.cursor() as cursor:
        for name, value in planner.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        (result,) = cursor.fetchone()
        for name in planner:
            cursor.execute(f"RESET {name}")
    return (json.loads(result) if isinstance(result, str) else result)[0]["Plan"]


def nodes(plan):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def indexes_read(plan):
    return [node["Index Name"] for node in nodes(plan) if "Index Name" in node]


def sorts(plan):
    """Nodes that sort all their input (an Incremental Sort sorts runs of equal keys)."""
    return [node for node in nodes(plan) if node["Node Type"] == "Sort"]


# -- the lists' orders ----------------------------------------------------------------------

AGREEMENT, EXERCISE, PROCUREMENT, PARTNER = (
    "partnerships_agreement",
    "partnerships_exercise",
    "partnerships_procurement",
    "partnerships_partner",
)
ORDERS = [
    ("/agreements/", AGREEMENT, "agreement_list_idx"),
    ("/agreements/?sort=title", AGREEMENT, "agreement_title_idx"),
    ("/agreements/?sort=-title", AGREEMENT, "agreement_title_idx"),
    ("/agreements/?sort=kind", AGREEMENT, "agreement_kind_idx"),
    ("/agreements/?sort=-kind", AGREEMENT, "agreement_kind_idx"),
    ("/agreements/?sort=date", AGREEMENT, "agreement_date_idx"),
    ("/agreements/?sort=-date", AGREEMENT, "agreement_date_desc_idx"),
    ("/agreements/?status=in_force&sort=-date", AGREEMENT, "agreement_status_date_idx"),
    ("/agreements/?sort=status", AGREEMENT, "agreement_status_idx"),
    ("/agreements/?sort=-status", AGREEMENT, "agreement_status_idx"),
    ("/agreements/?sort=value", AGREEMENT, "agreement_value_idx"),
    ("/agreements/?sort=-value", AGREEMENT, "agreement_value_desc_idx"),
    ("/exercises/", EXERCISE, "exercise_list_idx"),
    ("/exercises/?sort=name", EXERCISE, "exercise_name_idx"),
    ("/exercises/?sort=-name", EXERCISE, "exercise_name_idx"),
    ("/exercises/?sort=start", EXERCISE, "exercise_start_idx"),
    ("/exercises/?sort=-start", EXERCISE, "exercise_start_desc_idx"),
    ("/exercises/?sort=location", EXERCISE, "exercise_location_idx"),
    ("/exercises/?sort=-location", EXERCISE, "exercise_location_idx"),
    ("/equipment/", PROCUREMENT, "procurement_list_idx"),
    ("/equipment/?sort=system", PROCUREMENT, "procurement_system_idx"),
    ("/equipment/?sort=-system", PROCUREMENT, "procurement_system_idx"),
    ("/equipment/?sort=category", PROCUREMENT, "procurement_category_idx"),
    ("/equipment/?sort=quantity", PROCUREMENT, "procurement_quantity_idx"),
    ("/equipment/?sort=-quantity", PROCUREMENT, "procurement_quantity_desc_idx"),
    ("/equipment/?sort=ordered", PROCUREMENT, "procurement_order_idx"),
    ("/equipment/?sort=-ordered", PROCUREMENT, "procurement_order_desc_idx"),
    ("/equipment/?sort=status", PROCUREMENT, "procurement_status_idx"),
    ("/equipment/?sort=value", PROCUREMENT, "procurement_value_idx"),
    ("/equipment/?sort=-value", PROCUREMENT, "procurement_value_desc_idx"),
    ("/partners/", PARTNER, "partner_name_idx"),
    ("/partners/?sort=-name", PARTNER, "partner_name_idx"),
    ("/partners/?sort=kind", PARTNER, "partner_kind_idx"),
]


@pytest.mark.parametrize(("url", "table", "index"), ORDERS)
def test_it_reads_a_lists_first_page_in_order_from_an_index(client, generated, url, table, index):
    plan = plan_of(page_query(client, url, table))

    assert index in indexes_read(plan)
    assert sorts(plan) == []


@pytest.mark.parametrize(
    ("url", "link_index"),
    [
        (
            "/agreements/?partner=plan-partner-1&status=in_force&sort=-date",
            "agreement_party_unique",
        ),
        ("/agreements/?partner=plan-partner-1", "agreement_party_unique"),
        ("/exercises/?partner=plan-partner-1&sort=-start", "exercise_participant_unique"),
    ],
)
def test_it_tells_a_partners_rows_from_the_index_of_both_keys(client, generated, url, link_index):
    """Walking the rows in their order, each row's link to the partner is looked up in
    the index of (row, partner), never in the link table itself."""
    table = AGREEMENT if url.startswith("/agreements/") else EXERCISE
    plan = plan_of(page_query(client, url, table), analyze=True)

    # Index only: once VACUUM has marked the pages all-visible (not in this test's
    # transaction), no link row is read at all.
    (probe,) = [node for node in nodes(plan) if node.get("Index Name") == link_index]
    assert probe["Node Type"] == "Index Only Scan"


@pytest.mark.parametrize(
    ("url", "table", "index"),
    [
        (f"{url}{'&' if '?' in url else '?'}page={MAX_PAGES}", table, index)
        for url, table, index in ORDERS
        if table != PARTNER  # 400 partners: 16 pages
    ],
)
def test_it_can_read_a_deep_page_in_order_from_an_index(client, generated, url, table, index):
    # The deepest page (offset 975): reading that many rows along an index or
    # sorting them all is a matter of cost; with sorting off, only an index in
    # that order avoids one.
    plan = plan_of(page_query(client, url, table), enable_sort="off")

    assert index in indexes_read(plan)
    assert sorts(plan) == []


BUSY = "plan-partner-1"


@pytest.mark.parametrize(
    ("url", "table", "index"),
    [
        (f"/agreements/?partner={BUSY}&year_from=2000", AGREEMENT, "agreement_filter_idx"),
        (
            f"/agreements/?partner={BUSY}&kind=treaty&value=known",
            AGREEMENT,
            "agreement_filter_idx",
        ),
        (f"/exercises/?partner={BUSY}&domain=land", EXERCISE, "exercise_filter_idx"),
        (f"/exercises/?partner={BUSY}&year_to=2000", EXERCISE, "exercise_filter_idx"),
    ],
)
def test_it_counts_a_partners_matches_without_reading_every_link_or_row(
    client, generated, url, table, index
):
    # Counting the first matches of a partner with thousands of links: hashing all
    # of its links is a matter of cost; with hash joins off, the count is read
    # from indexes alone, never from the entries' rows, when an index holds every
    # column the filters test in the order of the links' index.
    plan = plan_of(count_query(client, url), enable_hashjoin="off")

    scans = [node for node in nodes(plan) if node.get("Relation Name") == table]
    assert [(node["Node Type"], node["Index Name"]) for node in scans] == [
        ("Index Only Scan", index)
    ]


@pytest.mark.parametrize("url", ["/agreements/?partner=plan-partner-1", "/exercises/?q=zeppelin"])
def test_it_counts_a_pages_matches_once_in_the_query_of_its_rows(client, generated, url):
    (sql,) = [sql for sql in queries_of(client, url) if "(SELECT COUNT(*) FROM (" in sql]
    plan = plan_of(sql, analyze=True)

    counts = [node for node in nodes(plan) if node.get("Subplan Name", "").startswith("InitPlan")]
    assert [node["Actual Loops"] for node in counts] == [1]
    assert not [node for node in nodes(plan) if node.get("Parent Relationship") == "SubPlan"]


@pytest.mark.parametrize("url", ["/equipment/?sort=supplier", "/equipment/?sort=-supplier"])
def test_it_reads_equipment_by_supplier_through_the_partners_name_index(client, generated, url):
    plan = plan_of(page_query(client, url, PROCUREMENT))

    # Partners in name order, each one's procurements sorted by id as they come.
    assert "partner_name_idx" in indexes_read(plan)
    assert sorts(plan) == []
    assert any(node["Node Type"] == "Incremental Sort" for node in nodes(plan))


# Reading every row, from the table or along an index.
READING_ALL_OFF = {"enable_seqscan": "off", "enable_indexscan": "off"}


# -- free text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "indexes", "planner"),
    [
        (
            "/agreements/?q=zeppelin",
            ["agreement_title_trgm_idx", "agreement_summary_trgm_idx"],
            {},
        ),
        (
            "/exercises/?q=zeppelin",
            [f"exercise_{field}_trgm_idx" for field in ("name", "series", "location", "summary")],
            {},
        ),
        (
            "/equipment/?q=zeppelin",
            ["procurement_system_trgm_idx", "procurement_summary_trgm_idx"],
            {},
        ),
        # 400 partners and 300 sources: reading all of them costs less, in table
        # or title order; the trigram indexes can serve.
        (
            "/partners/?q=zeppelin",
            [f"partner_{field}_trgm_idx" for field in ("name", "short_name", "aliases")],
            READING_ALL_OFF,
        ),
        (
            "/sources/?q=zeppelin",
            [f"source_{field}_trgm_idx" for field in ("title", "publisher", "author")],
            READING_ALL_OFF,
        ),
    ],
)
def test_it_matches_free_text_through_trigram_indexes(client, generated, url, indexes, planner):
    plan = plan_of(count_query(client, url), **planner)

    assert sorted(set(indexes_read(plan)) & set(indexes)) == sorted(indexes)
    assert not [node for node in nodes(plan) if node["Node Type"] == "Seq Scan"]


# -- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [(0, PER_GROUP), (PER_GROUP, PER_GROUP + PER_PAGE)],
    ids=["the best, for every type's page", "further rows, for a type's later page"],
)
@pytest.mark.parametrize(
    "key",
    [
        "agreements",
        "exercises",
        "equipment",
        "partners",
        "people",
        "engagements",
        "indicators",
        "sources",
    ],
)
def test_it_searches_the_stored_documents_and_cuts_headlines_for_the_shown_rows(
    generated, key, rows
):
    (kind,) = [kind for kind in search_types() if kind.key == key]
    # 400 partners, 400 indicators and 300 sources: a scan costs less; the index can serve.
    small = ("partners", "indicators", "sources")
    planner = {"enable_seqscan": "off"} if key in small else {}
    plan = plan_of(search_query(kind, "drone", *rows), analyze=True, **planner)
    shown = rows[1] - rows[0]

    # The matches ranked and their count, both from the GIN index; the matches in a
    # name from the names' index, and the document's on those rows alone.
    assert indexes_read(plan).count(kind.index_name) == 2
    assert indexes_read(plan).count(kind.name_index_name) == 1
    scans = [node for node in nodes(plan) if "@@" in node.get("Recheck Cond", "")]
    documents = [node for node in scans if "search_document" in node["Recheck Cond"]]
    (names,) = [node for node in scans if node not in documents]
    assert "to_tsvector" in names["Recheck Cond"] and "search_document" in names["Filter"]
    # The documents are read as stored, never computed again; only the names are.
    assert "to_tsvector" not in json.dumps([{**node, "Plans": []} for node in documents])
    assert json.dumps(plan).count("to_tsvector") == 2  # the names' scan, in its index
    # The matches are ranked, but only the rows shown get a headline.
    assert max(node["Actual Rows"] for node in documents) > rows[1]
    headlines = [n for n in nodes(plan) if any("ts_headline" in o for o in n.get("Output", ()))]
    assert headlines and all(node["Actual Rows"] <= shown for node in headlines)
    # What the result line needs of related rows is read for the shown rows only.
    tables = {
        kind.model._meta.get_field(path.split("__")[0]).related_model._meta.db_table
        for _, path in kind.looked_up
    }
    related = [n for n in nodes(plan) if n.get("Relation Name") in tables]
    assert bool(related) == bool(tables)
    assert all(node["Actual Rows"] * node["Actual Loops"] <= shown for node in related)


def test_it_stops_counting_search_matches_at_the_limit(generated, monkeypatch):
    monkeypatch.setattr("partnerships.search.COUNT_LIMIT", 500)
    (kind,) = [kind for kind in search_types() if kind.key == "agreements"]
    plan = plan_of(search_query(kind, "drone"), analyze=True)

    # 1,000 agreements mention drones; the count reads 501 of them.
    (count,) = [
        node
        for node in nodes(plan)
        if node.get("Parent Relationship") == "InitPlan" and node["Node Type"] == "Aggregate"
    ]
    limits = [node for node in nodes(count) if node["Node Type"] == "Limit"]
    assert [node["Actual Rows"] for node in limits] == [501]
    assert postgres_matches(kind, "drone")[0].total == 501


def test_it_ranks_the_first_matches_found_up_to_the_limit_and_every_match_in_a_name(
    generated, monkeypatch
):
    monkeypatch.setattr("partnerships.search.COUNT_LIMIT", 500)
    (kind,) = [kind for kind in search_types() if kind.key == "agreements"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_agreement SET title = 'Drone accord ' || id "
            "WHERE id IN (SELECT max(id) FROM partnerships_agreement WHERE summary LIKE 'drone%')"
        )
    plan = plan_of(search_query(kind, "drone", 0, PER_PAGE), analyze=True)

    limits = [node["Actual Rows"] for node in nodes(plan) if node["Node Type"] == "Limit"]
    # 1,000 agreements mention drones: 500 of them are ranked, and the one named so;
    # a page of the best is picked, and the count stops at 501.
    assert sorted(limits) == [1, PER_PAGE, 500, 501]
    best = postgres_matches(kind, "drone", 0, PER_PAGE)
    assert best[0].title.startswith("Drone accord ")
    assert best[0].total == 501


def test_a_generic_plan_parses_the_search_text_once(generated):
    """The site's statements are prepared, and a prepared statement may take a generic
    plan, where the text is a parameter: websearch_to_tsquery() must then run once, as
    an InitPlan, not once for every match ranked."""
    (kind,) = [kind for kind in search_types() if kind.key == "agreements"]
    sql, params = postgres_matches(kind, "drone").query.sql_with_params()
    numbered = iter(range(1, len(params) + 1))
    prepared = re.sub("%s", lambda _: f"${next(numbered)}", sql)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE generic_search AS {prepared}")
        arguments = ", ".join(quote_literal(str(param)) for param in params)
        cursor.execute(
            f"EXPLAIN (FORMAT JSON, VERBOSE, ANALYZE) EXECUTE generic_search({arguments})"
        )
        (result,) = cursor.fetchone()
        cursor.execute("DEALLOCATE generic_search")
        cursor.execute("RESET plan_cache_mode")
    plan = (json.loads(result) if isinstance(result, str) else result)[0]["Plan"]

    parsing = [
        node
        for node in nodes(plan)
        if "websearch_to_tsquery"
        in json.dumps({key: value for key, value in node.items() if key != "Plans"})
    ]
    assert parsing
    assert all(node["Parent Relationship"] == "InitPlan" for node in parsing)
    # Once, or not at all where its branch found nothing to check (no name matched).
    assert all(node["Actual Rows"] * node["Actual Loops"] <= 1 for node in parsing)
    assert any(node["Actual Rows"] * node["Actual Loops"] == 1 for node in parsing)
    # The matches were ranked: a thousand rows read, the text parsed once for them all.
    assert max(node["Actual Rows"] for node in nodes(plan)) > PER_GROUP
    # The names' index serves a generic plan too: NameDocument has no parameter.
    assert kind.name_index_name in indexes_read(plan)


def quote_literal(text):
    return "'" + text.replace("'", "''") + "'"


# -- the timeline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "place",
    [
        "",
        "?from=1990",
        "?after=1990-06-01.0.5000",
        "?after=1990-06-01.3.5000",
        "?before=1990-06-01.0.5000",
        "?before=1990-06-01.4.5000",
        "?type=exercise&after=2010-01-01.3.100",
        "?after=1990-06-01.6.2000",
        "?before=1990-06-01.6.2000",
        "?type=engagement&after=2010-01-01.6.100",
    ],
)
def test_a_timeline_page_reads_each_date_column_from_its_place_on(client, generated, place):
    """Each column is read along its (date, id) index from the page's place, however far
    into the past that place is: the day bounds the index range, and at most the rows
    of that one day are passed over."""
    reads = [
        sql
        for sql in queries_of(client, f"/timeline/{place}")
        if re.search(r"ORDER BY .* LIMIT \d+$", sql) and "month_no_year" not in sql
    ]
    first = [sql for sql in reads if sql.endswith(f"LIMIT {FIRST_READ}")]
    assert len(first) == (1 if "type=" in place else len(SOURCES))
    # A column read again is read from its last row on, a page's worth.
    assert all(sql.endswith(f"LIMIT {PER_PAGE_OF_TIMELINE + 1}") for sql in reads[len(first) :])
    for sql in reads:
        plan = plan_of(sql, analyze=True)
        (scan,) = [node for node in nodes(plan) if "Index Name" in node]
        assert scan["Node Type"] == "Index Scan"
        if place:
            (column,) = re.findall(r'ORDER BY "\w+"\."(\w+)"', sql)
            assert re.search(rf"{column} [<>]=? '\d{{4}}-\d{{2}}-\d{{2}}'", scan["Index Cond"])
        assert scan.get("Rows Removed by Filter", 0) <= 5
        assert scan["Actual Rows"] <= PER_PAGE_OF_TIMELINE + 1


@pytest.mark.parametrize("url", ["/timeline/", "/timeline/?partner=plan-partner-1"])
def test_the_year_not_stated_reads_find_their_few_rows_through_their_own_index(
    client, generated, url
):
    reads = [sql for sql in queries_of(client, url) if "month_no_year" in sql]
    assert len(reads) == 4  # agreements, exercises, equipment, engagements
    for sql in reads:
        plan = plan_of(sql, analyze=True)
        scans = [node.get("Index Name", "") for node in nodes(plan) if "Index Name" in node]
        assert any(name.endswith("_no_year_idx") for name in scans), scans
