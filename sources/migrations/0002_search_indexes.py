"""The GIN index for the search page's full-text match on sources, on PostgreSQL only.

Done the same way, for the same reasons, as partnerships 0003_search_indexes:
a RunPython step that does nothing on SQLite leaves the model state (and
`makemigrations --check`) untouched, and the expression comes from
partnerships.search, where the query that must use the index is built.
"""

from django.db import migrations

from partnerships.search import SEARCH_TYPES

APP_LABEL = "sources"


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
        ("sources", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
