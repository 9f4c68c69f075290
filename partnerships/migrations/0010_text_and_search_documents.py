"""Indexes for the lists' free-text filter, and a stored search document for the search
page, on partners, agreements, exercises and procurements; on PostgreSQL only.

Free text (?q= on each list, partnerships.lists.filters.TextFilter) is Django's
icontains, which PostgreSQL runs as `UPPER(col::text) LIKE UPPER('%word%')`. A
trigram GIN index (pg_trgm) on exactly `UPPER(col::text)` answers that LIKE
without reading every row; the same expression is what the query has, or the
index would not be used.

Search (partnerships.search) matched and ranked an expression: each type's
searched fields weighted into one tsvector, indexed by 0003, but computed again
for every match to rank it (to_tsvector over a source's whole text, for every
source that matched). The document is now stored: a `search_document` column,
kept up to date by a trigger on insert and on every update of a searched field,
with a GIN index on it. It is not a model field, so that nothing but search
ever reads it: no form, export, history table, diff or revert knows it is
there, and no query of the site fetches it by accident. Search names it
(search.StoredDocument).

Why RunPython, and not AddIndex/AddField: the index methods, the tsvector type
and triggers exist only on PostgreSQL, while SQLite (the default database)
must migrate too; a step that does nothing on SQLite leaves the model state
untouched, so migrations stay clean on both. SQLite keeps icontains and its
simpler search, which need none of this.

The fields and weights are fixed here, as they were when this migration was
written (those of 0003), so that later changes to search never change what it
does. A test checks that each stored document equals the expression search
declares (`Searched.vector()`). If search's fields or weights change, or a
searched field is renamed, add a migration that makes the function again and
rewrites the documents (`UPDATE … SET col = col` does, through the trigger).
"""

import importlib

from django.db import migrations

CONFIG = "english"

# table: the columns the lists' free-text filter matches (partnerships.filters)
TEXT_COLUMNS = {
    "partnerships_partner": ["name", "short_name", "aliases"],
    "partnerships_agreement": ["title", "summary"],
    "partnerships_exercise": ["name", "series", "location", "summary"],
    "partnerships_procurement": ["system", "summary"],
}

# table: (name of 0003's expression index, which this one replaces, [(column, weight)])
DOCUMENTS = {
    "partnerships_partner": (
        "partner_search_idx",
        [("name", "A"), ("short_name", "A"), ("aliases", "B"), ("summary", "C")],
    ),
    "partnerships_agreement": ("agreement_search_idx", [("title", "A"), ("summary", "C")]),
    "partnerships_exercise": (
        "exercise_search_idx",
        [("name", "A"), ("series", "B"), ("location", "B"), ("summary", "C")],
    ),
    "partnerships_procurement": ("procurement_search_idx", [("system", "A"), ("summary", "C")]),
}


def trigram_index(table, column):
    return f"{table.split('_', 1)[1]}_{column}_trgm_idx"


def document(fields):
    """The weighted tsvector of NEW's `fields`, as search's SearchVector expressions make it."""
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}', COALESCE(NEW.{column}::text, '')), '{weight}')"
        for column, weight in fields
    )


def create_text_indexes(schema_editor, text_columns):
    for table, columns in text_columns.items():
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX {trigram_index(table, column)} ON {table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def drop_text_indexes(schema_editor, text_columns):
    for table, columns in text_columns.items():
        for column in columns:
            schema_editor.execute(f"DROP INDEX {trigram_index(table, column)}")


def create_documents(schema_editor, documents):
    for table, (index, fields) in documents.items():
        columns = ", ".join(column for column, _ in fields)
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN search_document tsvector")
        schema_editor.execute(
            f"CREATE FUNCTION {table}_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_document := {document(fields)}; RETURN NEW; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER search_document BEFORE INSERT OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_document()"
        )
        first = fields[0][0]
        schema_editor.execute(f"UPDATE {table} SET {first} = {first}")  # through the trigger
        schema_editor.execute(f"DROP INDEX {index}")
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_document)")


def drop_documents(schema_editor, documents):
    for table, (index, _) in documents.items():
        schema_editor.execute(f"DROP INDEX {index}")
        schema_editor.execute(f"DROP TRIGGER search_document ON {table}")
        schema_editor.execute(f"DROP FUNCTION {table}_search_document()")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Not TrigramExtension(): undoing it fails on SQLite (Django 5.2).
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        create_text_indexes(schema_editor, TEXT_COLUMNS)
        create_documents(schema_editor, DOCUMENTS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        drop_documents(schema_editor, DOCUMENTS)
        # 0003's expression indexes, as 0003 made them.
        importlib.import_module("partnerships.migrations.0003_search_indexes").create(
            apps, schema_editor
        )
        drop_text_indexes(schema_editor, TEXT_COLUMNS)
        schema_editor.execute("DROP EXTENSION IF EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_list_order_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
