"""The GIN index for the search page's full-text match on sources, on PostgreSQL only.

Done the same way, for the same reasons, as partnerships 0003_search_indexes:
a RunPython step that does nothing on SQLite leaves the model state (and
`makemigrations --check`) untouched, and the expression comes from
partnerships.search, where the query that must use the index is built.
"""

from django.db import migrations

from partnerships.search import index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_initial"),
    ]

    operations = [
        index_operation("sources"),
    ]
