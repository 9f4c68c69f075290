"""Search documents, name indexes and free-text indexes for people, engagements and
indicators, as 0010 and 0016 made them for the other types; on PostgreSQL only.

A stored `search_document` kept by a trigger, with its GIN index; a GIN index of
the names (the fields search weighs A) for search's candidates; trigram indexes
for the lists' free-text filter. The fields and weights are fixed here, as
search declares them now (partnerships/entry_types.py); a test checks that the
stored documents equal search's expression and that each query uses its index.
"""

import importlib

from django.db import migrations

documents = importlib.import_module("partnerships.migrations.0010_text_and_search_documents")
names = importlib.import_module("partnerships.migrations.0016_search_name_indexes")

TEXT_COLUMNS = {
    "partnerships_person": ["name", "summary"],
    "partnerships_engagement": ["title", "place", "summary"],
    "partnerships_indicator": ["name", "subject", "summary"],
}

# table: (index, [(column, weight)])
DOCUMENTS = {
    "partnerships_person": ("person_search_idx", [("name", "A"), ("summary", "C")]),
    "partnerships_engagement": (
        "engagement_search_idx",
        [("title", "A"), ("place", "B"), ("summary", "C")],
    ),
    "partnerships_indicator": (
        "indicator_search_idx",
        [("name", "A"), ("subject", "B"), ("summary", "C")],
    ),
}

NAMES = {
    "partnerships_person": ("person_name_search_idx", ["name"]),
    "partnerships_engagement": ("engagement_name_search_idx", ["title"]),
    "partnerships_indicator": ("indicator_name_search_idx", ["name"]),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    documents.create_text_indexes(schema_editor, TEXT_COLUMNS)
    for table, (index, fields) in DOCUMENTS.items():
        columns = ", ".join(column for column, _ in fields)
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN search_document tsvector")
        schema_editor.execute(
            f"CREATE FUNCTION {table}_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_document := {documents.document(fields)}; RETURN NEW; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER search_document BEFORE INSERT OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_document()"
        )
        first = fields[0][0]
        schema_editor.execute(f"UPDATE {table} SET {first} = {first}")  # through the trigger
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_document)")
    names.create_name_indexes(schema_editor, NAMES)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    names.drop_name_indexes(schema_editor, NAMES)
    documents.drop_documents(schema_editor, DOCUMENTS)
    documents.drop_text_indexes(schema_editor, TEXT_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0021_people_engagements_indicators"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
