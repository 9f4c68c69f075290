"""Each partner's agreements, exercises and equipment deals, counted as they change; on
PostgreSQL only.

The partners list shows three counts for each partner, sorts by them, and a
partner's page heads its sections with them. Counted at every request
(CountOf: a subquery per partner and count), the partners list sorted by
agreements read every one of the partners' 160,000 agreement links at the
generated sizes, 18 ms for each page; the busiest partner's own three counts
took 3 ms. The counts are now kept in `partnerships_partner_tally`, a row per
partner that has any link, by triggers on the three link tables: a link
added, removed or moved to another partner changes its partners' counts in
the same statement, and so in the same transaction. A deal counts once for a
partner that is both its supplier and its maker, as CountOf counted it.
TRUNCATE, which fires no row trigger, empties the tallies it makes wrong.

Why RunPython, not a model: as with the search documents (0010), nothing but
the counts' expression (models.TalliedCount) reads the table, and no form,
export, history, fixture or backup treats it as content: it follows the
links. pg_dump copies it with the rows it counts. SQLite counts as before.

The table has no foreign key to the partners, so that Django's flush may
truncate the partners without it; a deleted partner has no links left to
count (they protect it), and its row is removed by a trigger.
"""

from django.db import migrations

TALLY = "partnerships_partner_tally"

# link table: (the tally's column, the link's partner columns: a row counts once for
# each distinct partner among them)
LINKS = {
    "partnerships_agreementparty": ("agreements", ["partner_id"]),
    "partnerships_exerciseparticipant": ("exercises", ["partner_id"]),
    "partnerships_procurement": ("equipment", ["supplier_id", "manufacturer_id"]),
}
COLUMNS = ["agreements", "exercises", "equipment"]


def _partners(record, columns):
    """SQL for the distinct partners of `record` (NEW or OLD) in `columns`, NULLs left out."""
    values = ", ".join(f"({record}.{column})" for column in columns)
    return f"SELECT DISTINCT p FROM (VALUES {values}) AS linked(p) WHERE p IS NOT NULL"


def _count(record, column, columns, delta):
    return (
        f"INSERT INTO {TALLY} (partner_id, {column}) "
        f"SELECT p, {delta} FROM ({_partners(record, columns)}) AS moved(p) "
        f"ON CONFLICT (partner_id) DO UPDATE SET {column} = {TALLY}.{column} + {delta};"
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    counts = ", ".join(f"{column} integer NOT NULL DEFAULT 0" for column in COLUMNS)
    run(f"CREATE TABLE {TALLY} (partner_id bigint PRIMARY KEY, {counts})")
    for table, (column, columns) in LINKS.items():
        run(
            f"CREATE FUNCTION {table}_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {_count('OLD', column, columns, -1)} END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_count('NEW', column, columns, 1)} END IF; "
            "RETURN NULL; END $$"
        )
        run(
            f"CREATE TRIGGER partner_tally AFTER INSERT OR DELETE OR UPDATE OF "
            f"{', '.join(columns)} ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_tally()"
        )
        run(
            f"CREATE FUNCTION {table}_tally_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN UPDATE {TALLY} SET {column} = 0 WHERE {column} <> 0; RETURN NULL; END $$"
        )
        run(
            f"CREATE TRIGGER partner_tally_truncated AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_tally_truncated()"
        )
    run(
        "CREATE FUNCTION partnerships_partner_untally() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN DELETE FROM {TALLY} WHERE partner_id = OLD.id; RETURN NULL; END $$"
    )
    run(
        "CREATE TRIGGER partner_untally AFTER DELETE ON partnerships_partner "
        "FOR EACH ROW EXECUTE FUNCTION partnerships_partner_untally()"
    )
    run(
        "CREATE FUNCTION partnerships_partner_untally_all() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN DELETE FROM {TALLY}; RETURN NULL; END $$"
    )
    run(
        "CREATE TRIGGER partner_untally_all AFTER TRUNCATE ON partnerships_partner "
        "FOR EACH STATEMENT EXECUTE FUNCTION partnerships_partner_untally_all()"
    )
    retally(schema_editor)


def retally(schema_editor):
    """Counts every partner's links afresh (the links already there when this migrates)."""
    run = schema_editor.execute
    run(f"DELETE FROM {TALLY}")
    for table, (column, columns) in LINKS.items():
        linked = " UNION ".join(
            f"SELECT id AS link, {partner} AS p FROM {table} WHERE {partner} IS NOT NULL"
            for partner in columns
        )
        run(
            f"INSERT INTO {TALLY} (partner_id, {column}) "
            f"SELECT p, COUNT(*) FROM ({linked}) AS links GROUP BY p "
            f"ON CONFLICT (partner_id) DO UPDATE SET {column} = EXCLUDED.{column}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    for table in LINKS:
        run(f"DROP TRIGGER partner_tally ON {table}")
        run(f"DROP TRIGGER partner_tally_truncated ON {table}")
        run(f"DROP FUNCTION {table}_tally()")
        run(f"DROP FUNCTION {table}_tally_truncated()")
    run("DROP TRIGGER partner_untally ON partnerships_partner")
    run("DROP TRIGGER partner_untally_all ON partnerships_partner")
    run("DROP FUNCTION partnerships_partner_untally()")
    run("DROP FUNCTION partnerships_partner_untally_all()")
    run(f"DROP TABLE {TALLY}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0013_partner_link_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
