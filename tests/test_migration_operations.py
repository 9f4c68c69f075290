"""RelabelFields (partnerships/migration_operations.py): the label migrations change
the models' state, and ask nothing of the database."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db

LABELS = [
    ("partnerships", "0026_labels_in_every_language"),
    ("sources", "0015_labels_in_every_language"),
]


# sqlmigrate's schema editor cannot run inside a test's transaction on SQLite.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("app", "name"), LABELS)
def test_a_label_migration_runs_no_sql(app, name):
    out = StringIO()
    call_command("sqlmigrate", app, name, stdout=out)
    statements = [
        line
        for line in out.getvalue().splitlines()
        if line.strip() and not line.startswith("--") and line.strip() not in {"BEGIN;", "COMMIT;"}
    ]
    assert statements == []
    out = StringIO()
    call_command("sqlmigrate", app, name, backwards=True, stdout=out)
    assert not re.search(r"^(ALTER|CREATE|DROP|INSERT|UPDATE)", out.getvalue(), re.M)


def test_the_state_after_it_has_the_labels_and_before_it_had_not():
    loader = MigrationLoader(connection)
    before = loader.project_state(("partnerships", "0025_search_documents_in_three_languages"))
    after = loader.project_state(LABELS[0])

    def field(state, model, name):
        return state.apps.get_model("partnerships", model)._meta.get_field(name)

    # An auto-generated label before ("value currency"), the given one after.
    assert str(field(before, "Procurement", "value_currency").verbose_name) == ("value currency")
    assert str(field(after, "Procurement", "value_currency").verbose_name) == "currency"
    # A relation relabelled still points where it did.
    supplier = field(after, "Procurement", "supplier")
    assert str(supplier.verbose_name) == "supplier"
    assert supplier.related_model._meta.model_name == "partner"
    # The history models' copies are relabelled too.
    assert str(field(after, "HistoricalProcurement", "system").verbose_name) == "system"
