# A citation's free-text "what it supports" became a note for readers when citations
# began to name the facts they state (Citation.facts); the column is renamed, its text kept.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0011_citation_partner_membership_fact"),
    ]

    operations = [
        migrations.RenameField(model_name="citation", old_name="supports", new_name="note"),
        migrations.RenameField(
            model_name="historicalcitation", old_name="supports", new_name="note"
        ),
        *(
            migrations.AlterField(
                model_name=model_name,
                name="note",
                field=models.CharField(
                    blank=True,
                    help_text=(
                        "A short note for readers on what the quote says, e.g. “value of "
                        "$500 million”."
                    ),
                    max_length=250,
                ),
            )
            for model_name in ("citation", "historicalcitation")
        ),
    ]
