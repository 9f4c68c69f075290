"""Labels only (verbose names), for the admin in every language: nothing in the
database changes (partnerships.migration_operations.RelabelFields)."""

import django.db.models.deletion
from django.db import migrations, models

from partnerships.migration_operations import RelabelFields


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0026_labels_in_every_language"),
        ("sources", "0014_source_furniture"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="citation",
            options={
                "ordering": ["pk"],
                "verbose_name": "citation",
                "verbose_name_plural": "citations",
            },
        ),
        migrations.AlterModelOptions(
            name="source",
            options={
                "ordering": ["title", "pk"],
                "verbose_name": "source",
                "verbose_name_plural": "sources",
            },
        ),
        RelabelFields(
            "citation",
            [
                (
                    "agreement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="partnerships.agreement",
                        verbose_name="agreement",
                    ),
                ),
                (
                    "engagement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="partnerships.engagement",
                        verbose_name="engagement",
                    ),
                ),
                (
                    "exercise",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="partnerships.exercise",
                        verbose_name="exercise",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="partnerships.indicator",
                        verbose_name="indicator",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="A short note for readers on what the quote says, e.g. “value of $500 million”.",
                        max_length=250,
                        verbose_name="note",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="partnerships.person",
                        verbose_name="person",
                    ),
                ),
                (
                    "procurement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="citations",
                        to="partnerships.procurement",
                        verbose_name="procurement",
                    ),
                ),
                (
                    "quote",
                    models.TextField(
                        help_text="The sentence from the source, copied verbatim. It is checked against the source's text; curly or straight quotes and line breaks do not matter.",
                        verbose_name="quote",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="citations",
                        to="sources.source",
                        verbose_name="source",
                    ),
                ),
                (
                    "stance",
                    models.CharField(
                        choices=[("supports", "Supports"), ("disputes", "Disputes")],
                        default="supports",
                        help_text="“Disputes” when the source contradicts the entry; readers see the dispute.",
                        max_length=8,
                        verbose_name="stance",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalcitation",
            [
                (
                    "agreement",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.agreement",
                        verbose_name="agreement",
                    ),
                ),
                (
                    "engagement",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.engagement",
                        verbose_name="engagement",
                    ),
                ),
                (
                    "exercise",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.exercise",
                        verbose_name="exercise",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.indicator",
                        verbose_name="indicator",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="A short note for readers on what the quote says, e.g. “value of $500 million”.",
                        max_length=250,
                        verbose_name="note",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.person",
                        verbose_name="person",
                    ),
                ),
                (
                    "procurement",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.procurement",
                        verbose_name="procurement",
                    ),
                ),
                (
                    "quote",
                    models.TextField(
                        help_text="The sentence from the source, copied verbatim. It is checked against the source's text; curly or straight quotes and line breaks do not matter.",
                        verbose_name="quote",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="sources.source",
                        verbose_name="source",
                    ),
                ),
                (
                    "stance",
                    models.CharField(
                        choices=[("supports", "Supports"), ("disputes", "Disputes")],
                        default="supports",
                        help_text="“Disputes” when the source contradicts the entry; readers see the dispute.",
                        max_length=8,
                        verbose_name="stance",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalsource",
            [
                (
                    "author",
                    models.CharField(
                        blank=True,
                        help_text="Only as the document names it; else leave empty.",
                        max_length=200,
                        verbose_name="author",
                    ),
                ),
                (
                    "full_text",
                    models.TextField(
                        help_text="The document's text, verbatim. Citations are checked against it.",
                        verbose_name="full text",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("news", "News report"),
                            ("analysis", "Analysis"),
                            ("explainer", "Explainer"),
                            ("official", "Official document"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("ar", "Arabic"),
                            ("fr", "French"),
                            ("es", "Spanish"),
                        ],
                        default="en",
                        help_text="The language of the text.",
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                (
                    "publication_date",
                    models.DateField(
                        blank=True,
                        help_text="As the document dates itself; empty when it does not.",
                        null=True,
                        verbose_name="publication date",
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        blank=True,
                        help_text="Only as the document names it; else leave empty.",
                        max_length=200,
                        verbose_name="publisher",
                    ),
                ),
                (
                    "reliability_note",
                    models.TextField(
                        blank=True,
                        help_text="A reviewer's note on how far this document can be trusted, and why.",
                        verbose_name="reliability note",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /sources/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The title as the document shows it.",
                        max_length=300,
                        verbose_name="title",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "source",
            [
                (
                    "author",
                    models.CharField(
                        blank=True,
                        help_text="Only as the document names it; else leave empty.",
                        max_length=200,
                        verbose_name="author",
                    ),
                ),
                (
                    "full_text",
                    models.TextField(
                        help_text="The document's text, verbatim. Citations are checked against it.",
                        verbose_name="full text",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("news", "News report"),
                            ("analysis", "Analysis"),
                            ("explainer", "Explainer"),
                            ("official", "Official document"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("ar", "Arabic"),
                            ("fr", "French"),
                            ("es", "Spanish"),
                        ],
                        default="en",
                        help_text="The language of the text.",
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                (
                    "publication_date",
                    models.DateField(
                        blank=True,
                        help_text="As the document dates itself; empty when it does not.",
                        null=True,
                        verbose_name="publication date",
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        blank=True,
                        help_text="Only as the document names it; else leave empty.",
                        max_length=200,
                        verbose_name="publisher",
                    ),
                ),
                (
                    "reliability_note",
                    models.TextField(
                        blank=True,
                        help_text="A reviewer's note on how far this document can be trusted, and why.",
                        verbose_name="reliability note",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /sources/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="The title as the document shows it.",
                        max_length=300,
                        verbose_name="title",
                    ),
                ),
            ],
        ),
    ]
