"""GIN indexes for the search page's full-text match on sources, on PostgreSQL only.

Why RunPython and not Meta.indexes/AddIndex: a GinIndex on a tsvector
expression exists only on PostgreSQL, while SQLite (the default database) must
migrate too. Declared in Meta.indexes, the index would be part of the model
state: SQLite would be asked to build a GIN index, and `makemigrations --check`
would track it. A RunPython step that does nothing on other databases leaves
the model state untouched, so migrations stay clean on both.

The expressions are fixed here, as they were when this migration was written,
so that later changes to partnerships.search never change what it does. They
are the ones search's queries use (`SearchType.vector()`); a test checks with
EXPLAIN that every query uses its index. If search's fields or weights change,
add a migration that drops these indexes and makes new ones.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"

# model: (index name, [(field, weight)])
INDEXES = {
    "source": (
        "source_search_idx",
        [("title", "A"), ("publisher", "B"), ("author", "B"), ("full_text", "D")],
    )
}


def _indexes(apps):
    for model_name, (name, fields) in INDEXES.items():
        vectors = [SearchVector(field, config=CONFIG, weight=weight) for field, weight in fields]
        expression = vectors[0]
        for vector in vectors[1:]:
            expression = expression + vector
        yield apps.get_model("sources", model_name), GinIndex(expression, name=name)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
