"""Indexes for the sources list's free-text filter, and a stored search document for the
search page, on sources; on PostgreSQL only.

The same as partnerships 0010 for the sources table (read its docstring for why
and how): trigram GIN indexes on `UPPER(col::text)` for icontains, and a
`search_document` column kept by a trigger, with a GIN index that replaces
0002's expression index. pg_trgm is made by partnerships 0010.

The fields and weights are fixed here, as they were when this migration was
written (those of 0002).
"""

import importlib

from django.db import migrations

searchable = importlib.import_module("partnerships.migrations.0010_text_and_search_documents")

TEXT_COLUMNS = {"sources_source": ["title", "publisher", "author"]}

DOCUMENTS = {
    "sources_source": (
        "source_search_idx",
        [("title", "A"), ("publisher", "B"), ("author", "B"), ("full_text", "D")],
    )
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        searchable.create_text_indexes(schema_editor, TEXT_COLUMNS)
        searchable.create_documents(schema_editor, DOCUMENTS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        searchable.drop_documents(schema_editor, DOCUMENTS)
        # 0002's expression index, as 0002 made it.
        importlib.import_module("sources.migrations.0002_search_indexes").create(
            apps, schema_editor
        )
        searchable.drop_text_indexes(schema_editor, TEXT_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0006_list_order_indexes"),
        ("partnerships", "0010_text_and_search_documents"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
