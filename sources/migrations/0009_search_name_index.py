"""A GIN index of a source's title, the field its search document weighs A, on
PostgreSQL only: partnerships 0016 says why, and makes the others'.
"""

import importlib

from django.db import migrations

NAMES = {"sources_source": ("source_name_search_idx", ["title"])}

_indexes = importlib.import_module("partnerships.migrations.0016_search_name_indexes")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _indexes.create_name_indexes(schema_editor, NAMES)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _indexes.drop_name_indexes(schema_editor, NAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0016_search_name_indexes"),
        ("sources", "0008_citation_source_order_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
