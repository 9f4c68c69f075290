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

from partnerships.search import index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_editor_and_reviewer_groups"),
    ]

    operations = [
        index_operation("partnerships"),
    ]
