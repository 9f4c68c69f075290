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
COLUMNS = [column for column, _ in LINKS.values()]


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


def triggers():
    """(table, trigger, when it fires, FOR EACH ROW or STATEMENT, its function's body):
    the tally's triggers, each calling a function of its own."""
    for table, (column, columns) in LINKS.items():
        yield (
            table,
            "partner_tally",
            f"INSERT OR DELETE OR UPDATE OF {', '.join(columns)}",
            "ROW",
            f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {_count('OLD', column, columns, -1)} END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_count('NEW', column, columns, 1)} END IF;",
        )
        yield (
            table,
            "partner_tally_truncated",
            "TRUNCATE",
            "STATEMENT",
            f"UPDATE {TALLY} SET {column} = 0 WHERE {column} <> 0;",
        )
    partners = "partnerships_partner"
    yield (
        partners,
        "partner_untally",
        "DELETE",
        "ROW",
        f"DELETE FROM {TALLY} WHERE partner_id = OLD.id;",
    )
    yield partners, "partner_untally_all", "TRUNCATE", "STATEMENT", f"DELETE FROM {TALLY};"


def function(table, trigger):
    """The function `trigger` on `table` calls: partnerships_agreementparty_tally()."""
    return f"{table}_{trigger.removeprefix('partner_')}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    counts = ", ".join(f"{column} integer NOT NULL DEFAULT 0" for column in COLUMNS)
    run(f"CREATE TABLE {TALLY} (partner_id bigint PRIMARY KEY, {counts})")
    for table, trigger, event, each, body in triggers():
        run(
            f"CREATE FUNCTION {function(table, trigger)}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {body} RETURN NULL; END $$"
        )
        run(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} "
            f"FOR EACH {each} EXECUTE FUNCTION {function(table, trigger)}()"
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
    for table, trigger, *_ in triggers():
        schema_editor.execute(f"DROP TRIGGER {trigger} ON {table}")
        schema_editor.execute(f"DROP FUNCTION {function(table, trigger)}()")
    schema_editor.execute(f"DROP TABLE {TALLY}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0013_partner_link_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
