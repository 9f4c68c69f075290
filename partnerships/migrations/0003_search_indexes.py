"""GIN indexes for the search page's full-text match, on PostgreSQL only.

Why RunPython and not Meta.indexes/AddIndex: a GinIndex on a tsvector
expression exists only on PostgreSQL, while SQLite (the default database) must
migrate too. Declared in Meta.indexes, the index would be part of the model
state: SQLite would be asked to build a GIN index, and `makemigrations --check`
would track it. A RunPython step that does nothing on other databases leaves
the model state untouched, so migrations stay clean on both; the cost is that
the index is invisible to the autodetector and must be managed here by hand.

The expressions come from partnerships.search, the module whose queries use
them, so a fresh database always gets an index the query can use (a test checks
it with EXPLAIN). If those expressions change, add a migration that drops and
re-creates the indexes: databases migrated earlier keep the old ones.
"""

from django.db import migrations

from partnerships.search import SEARCH_TYPES

APP_LABEL = "partnerships"


def _indexed(apps):
    for kind in SEARCH_TYPES:
        if kind.model._meta.app_label == APP_LABEL:
            yield apps.get_model(APP_LABEL, kind.model._meta.model_name), kind.index()


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexed(apps):
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexed(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_editor_and_reviewer_groups"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
