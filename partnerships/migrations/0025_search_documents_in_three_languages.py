"""Search documents that hold the French and Arabic names and summaries too; on
PostgreSQL only.

Each translated field's French column is added to the stored document with the
`french` text-search configuration and its Arabic column with `arabic`, at the
English field's weight, after the English fields (partnerships.search:
`Searched.documented_fields`). The trigger is made again to compute that and to
run on updates of the new columns, and every document is rewritten through it.
The fields are fixed here as search declares them now; a test checks that the
stored documents equal search's expression.
"""

import importlib

from django.db import migrations

before = importlib.import_module("partnerships.migrations.0010_text_and_search_documents")
later = importlib.import_module(
    "partnerships.migrations.0022_search_people_engagements_indicators"
)

TRANSLATED = (("fr", "french"), ("ar", "arabic"))

# table: [(column, weight)] as 0010 and 0022 left them, and the translated columns.
ENGLISH = {
    table: fields for table, (_index, fields) in {**before.DOCUMENTS, **later.DOCUMENTS}.items()
}
TRANSLATED_COLUMNS = {
    "partnerships_partner": ["name", "aliases", "summary"],
    "partnerships_agreement": ["title", "summary"],
    "partnerships_exercise": ["name", "summary"],
    "partnerships_procurement": ["system", "summary"],
    "partnerships_person": ["name", "summary"],
    "partnerships_engagement": ["title", "summary"],
    "partnerships_indicator": ["name", "summary"],
}


def documented(table, translated):
    """[(column, weight, configuration)] of the table's document."""
    fields = [(column, weight, "english") for column, weight in ENGLISH[table]]
    if translated:
        for column, weight in ENGLISH[table]:
            if column in TRANSLATED_COLUMNS[table]:
                fields += [(f"{column}_{code}", weight, config) for code, config in TRANSLATED]
    return fields


def make_trigger(schema_editor, table, fields):
    document = " || ".join(
        f"setweight(to_tsvector('{config}', COALESCE(NEW.{column}::text, '')), '{weight}')"
        for column, weight, config in fields
    )
    columns = ", ".join(column for column, _weight, _config in fields)
    schema_editor.execute(f"DROP TRIGGER search_document ON {table}")
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {table}_search_document() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN NEW.search_document := {document}; RETURN NEW; END $$"
    )
    schema_editor.execute(
        f"CREATE TRIGGER search_document BEFORE INSERT OR UPDATE OF {columns} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_search_document()"
    )
    first = fields[0][0]
    schema_editor.execute(f"UPDATE {table} SET {first} = {first}")  # through the trigger


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TRANSLATED_COLUMNS:
            make_trigger(schema_editor, table, documented(table, translated=True))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TRANSLATED_COLUMNS:
            make_trigger(schema_editor, table, documented(table, translated=False))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0024_translations"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
