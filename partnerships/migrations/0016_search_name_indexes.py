"""A GIN index of each searched type's names (the fields its search document weighs
A), on PostgreSQL only, for search's candidates (partnerships.search):

Search ranks the first COUNT_LIMIT + 1 matches it finds and every match in a
name, which this index finds without reading the rest. Its expression is
exactly search.NameDocument's, constants and all, or a query would not use
it; a test checks with EXPLAIN that every type's does. RunPython, not
AddIndex, for the reasons 0010 gives: SQLite migrates too, and has no GIN.
"""

from django.db import migrations

CONFIG = "english"

# table: (index, [name columns]), as search's weighted fields were when this was written
NAMES = {
    "partnerships_partner": ("partner_name_search_idx", ["name", "short_name"]),
    "partnerships_agreement": ("agreement_name_search_idx", ["title"]),
    "partnerships_exercise": ("exercise_name_search_idx", ["name"]),
    "partnerships_procurement": ("procurement_name_search_idx", ["system"]),
}


def name_document(columns):
    """The SQL of search.NameDocument(*columns)."""
    joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"to_tsvector('{CONFIG}'::regconfig, {joined})"


def create_name_indexes(schema_editor, names):
    for table, (index, columns) in names.items():
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} USING gin (({name_document(columns)}))"
        )


def drop_name_indexes(schema_editor, names):
    for index, _ in names.values():
        schema_editor.execute(f"DROP INDEX {index}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        create_name_indexes(schema_editor, NAMES)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        drop_name_indexes(schema_editor, NAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0015_list_filter_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
