"""Labels only (verbose names), for the admin in every language: nothing in the
database changes (partnerships.migration_operations.RelabelFields)."""

import django.db.models.deletion
import django.utils.timezone
import multiselectfield.db.fields
from django.conf import settings
from django.db import migrations, models

from partnerships.migration_operations import RelabelFields


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0025_search_documents_in_three_languages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="agreement",
            options={
                "ordering": [
                    models.OrderBy(models.F("date"), descending=True, nulls_last=True),
                    "title",
                    "pk",
                ],
                "verbose_name": "agreement",
                "verbose_name_plural": "agreements",
            },
        ),
        migrations.AlterModelOptions(
            name="change",
            options={
                "default_permissions": ("view",),
                "ordering": ["-date", "-id"],
                "verbose_name": "change (one save)",
                "verbose_name_plural": "changes (one save each)",
            },
        ),
        migrations.AlterModelOptions(
            name="engagement",
            options={
                "ordering": [
                    models.OrderBy(models.F("date"), descending=True, nulls_last=True),
                    "title",
                    "pk",
                ],
                "verbose_name": "engagement",
                "verbose_name_plural": "engagements",
            },
        ),
        migrations.AlterModelOptions(
            name="exercise",
            options={
                "ordering": [
                    models.OrderBy(models.F("start_date"), descending=True, nulls_last=True),
                    "name",
                    "pk",
                ],
                "verbose_name": "exercise",
                "verbose_name_plural": "exercises",
            },
        ),
        migrations.AlterModelOptions(
            name="exerciseparticipant",
            options={
                "ordering": ["exercise", "partner__name"],
                "verbose_name": "exercise participant",
                "verbose_name_plural": "exercise participants",
            },
        ),
        migrations.AlterModelOptions(
            name="indicator",
            options={
                "ordering": ["name", "subject", "pk"],
                "verbose_name": "indicator",
                "verbose_name_plural": "indicators",
            },
        ),
        migrations.AlterModelOptions(
            name="indicatorvalue",
            options={
                "ordering": [
                    "indicator",
                    models.OrderBy(models.F("period"), nulls_last=True),
                    "basis",
                    "pk",
                ],
                "verbose_name": "value",
                "verbose_name_plural": "values",
            },
        ),
        migrations.AlterModelOptions(
            name="partner",
            options={
                "ordering": ["name", "pk"],
                "verbose_name": "partner",
                "verbose_name_plural": "partners",
            },
        ),
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["name", "pk"],
                "verbose_name": "person",
                "verbose_name_plural": "people",
            },
        ),
        migrations.AlterModelOptions(
            name="position",
            options={
                "ordering": ["person", "pk"],
                "verbose_name": "position",
                "verbose_name_plural": "positions",
            },
        ),
        migrations.AlterModelOptions(
            name="procurement",
            options={
                "ordering": [
                    models.OrderBy(models.F("order_date"), descending=True, nulls_last=True),
                    "system",
                    "pk",
                ],
                "verbose_name": "equipment procurement",
                "verbose_name_plural": "equipment procurements",
            },
        ),
        migrations.AlterModelOptions(
            name="reviewmark",
            options={
                "default_permissions": ("add", "view"),
                "ordering": ["-reviewed_at", "-pk"],
                "verbose_name": "review mark",
                "verbose_name_plural": "review marks",
            },
        ),
        RelabelFields(
            "agreement",
            [
                (
                    "date",
                    models.DateField(
                        blank=True,
                        help_text="When it was concluded or granted, as the source dates it.",
                        null=True,
                        verbose_name="date",
                    ),
                ),
                (
                    "end_date",
                    models.DateField(
                        blank=True,
                        help_text="When it ends or ended.",
                        null=True,
                        verbose_name="end date",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("treaty", "Treaty"),
                            ("memorandum", "Memorandum of understanding"),
                            ("cooperation", "Cooperation agreement"),
                            ("contract", "Contract"),
                            ("action_plan", "Action plan"),
                            ("framework", "Partnership framework"),
                            ("designation", "Status designation"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "parties",
                    models.ManyToManyField(
                        help_text="The partners Morocco concluded it with.",
                        related_name="agreements",
                        through="partnerships.AgreementParty",
                        to="partnerships.partner",
                        verbose_name="parties",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /agreements/this-slug/.",
                        max_length=250,
                        verbose_name="slug",
                    ),
                ),
                (
                    "start_date",
                    models.DateField(
                        blank=True,
                        help_text="When it took effect.",
                        null=True,
                        verbose_name="start date",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("reported", "Reported"),
                            ("announced", "Announced"),
                            ("signed", "Signed"),
                            ("in_force", "In force"),
                            ("expired", "Expired"),
                            ("suspended", "Suspended"),
                        ],
                        default="reported",
                        help_text="The furthest stage a source attests; “reported” when it says no more.",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What it covers. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                ("title", models.CharField(max_length=250, verbose_name="title")),
                (
                    "value_currency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("USD", "US dollar"),
                            ("EUR", "Euro"),
                            ("MAD", "Moroccan dirham"),
                            ("GBP", "Pound sterling"),
                            ("ILS", "Israeli new shekel"),
                        ],
                        help_text="Currency of the value. Give it exactly when a value is given.",
                        max_length=3,
                        verbose_name="currency",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "agreementparty",
            [
                (
                    "agreement",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="party_links",
                        to="partnerships.agreement",
                        verbose_name="agreement",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agreement_links",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "change",
            [
                (
                    "date",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="date"),
                ),
                (
                    "detail",
                    models.CharField(
                        blank=True,
                        help_text="For a save of one relation row alone: the row, as recent changes names it.",
                        max_length=300,
                        verbose_name="detail",
                    ),
                ),
                (
                    "entry_id",
                    models.BigIntegerField(
                        help_text="The entry's id (it outlives a deletion).",
                        verbose_name="entry id",
                    ),
                ),
                (
                    "entry_label",
                    models.CharField(
                        help_text="The entry's name at that moment.",
                        max_length=300,
                        verbose_name="entry label",
                    ),
                ),
                (
                    "entry_slug",
                    models.CharField(
                        help_text="The entry's address at that moment.",
                        max_length=200,
                        verbose_name="entry slug",
                    ),
                ),
                (
                    "entry_type",
                    models.CharField(
                        help_text="The entry type's name in the registry, e.g. “agreement”.",
                        max_length=30,
                        verbose_name="entry type",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("created", "Created"),
                            ("changed", "Changed"),
                            ("deleted", "Deleted"),
                            ("reverted", "Reverted"),
                            ("restored", "Restored"),
                        ],
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                (
                    "revisions",
                    models.JSONField(
                        default=list,
                        help_text="The revisions the save wrote: [history table, history id, +/~/-], in order.",
                        verbose_name="revisions",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True, help_text="The edit summary.", verbose_name="summary"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Who saved; empty for the fixture loader.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="changes",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "engagement",
            [
                ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "hedge",
                    models.CharField(
                        blank=True,
                        help_text="The source's own hedge when it does not assert the engagement outright, e.g. “reportedly”; readers see it beside the entry. Empty when the source asserts it.",
                        max_length=100,
                        verbose_name="hedge",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("visit", "Visit"),
                            ("meeting", "Meeting or dialogue"),
                            ("statement", "Statement"),
                            ("training", "Training or education course"),
                            ("initiative", "Initiative"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "partners",
                    models.ManyToManyField(
                        related_name="engagements",
                        through="partnerships.EngagementPartner",
                        to="partnerships.partner",
                        verbose_name="partners",
                    ),
                ),
                (
                    "people",
                    models.ManyToManyField(
                        related_name="engagements",
                        through="partnerships.EngagementPerson",
                        to="partnerships.person",
                        verbose_name="people",
                    ),
                ),
                (
                    "place",
                    models.CharField(
                        blank=True,
                        help_text="Where, in the source's words. Empty when not stated.",
                        max_length=250,
                        verbose_name="place",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /engagements/this-slug/.",
                        max_length=250,
                        verbose_name="slug",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What happened. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="A short name, e.g. “US delegation's visit to Morocco”.",
                        max_length=250,
                        verbose_name="title",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "engagementpartner",
            [
                (
                    "engagement",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="partner_links",
                        to="partnerships.engagement",
                        verbose_name="engagement",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="engagement_links",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("host", "Host"),
                            ("visitor", "Visitor"),
                            ("organizer", "Organizer"),
                            ("participant", "Participant"),
                            ("speaker", "Speaker or author"),
                            ("proposer", "Proposer"),
                            ("unstated", "Role not stated"),
                        ],
                        default="unstated",
                        max_length=11,
                        verbose_name="role",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "engagementperson",
            [
                (
                    "engagement",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="person_links",
                        to="partnerships.engagement",
                        verbose_name="engagement",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="engagement_links",
                        to="partnerships.person",
                        verbose_name="person",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("host", "Host"),
                            ("visitor", "Visitor"),
                            ("organizer", "Organizer"),
                            ("participant", "Participant"),
                            ("speaker", "Speaker or author"),
                            ("proposer", "Proposer"),
                            ("unstated", "Role not stated"),
                        ],
                        default="unstated",
                        max_length=11,
                        verbose_name="role",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "exercise",
            [
                (
                    "domains",
                    multiselectfield.db.fields.MultiSelectField(
                        blank=True,
                        choices=[
                            ("land", "Land"),
                            ("sea", "Sea"),
                            ("air", "Air"),
                            ("joint", "Joint"),
                            ("special_operations", "Special operations"),
                            ("cyber", "Cyber"),
                        ],
                        help_text="Only the domains a source names or plainly describes.",
                        max_length=60,
                        verbose_name="domains",
                    ),
                ),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "location",
                    models.CharField(
                        blank=True,
                        help_text="Where it was held, in the source's words.",
                        max_length=250,
                        verbose_name="location",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The edition's name, e.g. “African Lion 2024”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "participants",
                    models.ManyToManyField(
                        related_name="exercises",
                        through="partnerships.ExerciseParticipant",
                        to="partnerships.partner",
                        verbose_name="participants",
                    ),
                ),
                (
                    "series",
                    models.CharField(
                        blank=True,
                        help_text="The recurring series, e.g. “African Lion”.",
                        max_length=200,
                        verbose_name="series",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /exercises/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What happened. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "exerciseparticipant",
            [
                (
                    "exercise",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="partnerships.exercise",
                        verbose_name="exercise",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="participations",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("host", "Host"),
                            ("organizer", "Organizer"),
                            ("participant", "Participant"),
                            ("observer", "Observer"),
                            ("unstated", "Role not stated"),
                        ],
                        default="participant",
                        max_length=11,
                        verbose_name="role",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalagreement",
            [
                (
                    "date",
                    models.DateField(
                        blank=True,
                        help_text="When it was concluded or granted, as the source dates it.",
                        null=True,
                        verbose_name="date",
                    ),
                ),
                (
                    "end_date",
                    models.DateField(
                        blank=True,
                        help_text="When it ends or ended.",
                        null=True,
                        verbose_name="end date",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("treaty", "Treaty"),
                            ("memorandum", "Memorandum of understanding"),
                            ("cooperation", "Cooperation agreement"),
                            ("contract", "Contract"),
                            ("action_plan", "Action plan"),
                            ("framework", "Partnership framework"),
                            ("designation", "Status designation"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /agreements/this-slug/.",
                        max_length=250,
                        verbose_name="slug",
                    ),
                ),
                (
                    "start_date",
                    models.DateField(
                        blank=True,
                        help_text="When it took effect.",
                        null=True,
                        verbose_name="start date",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("reported", "Reported"),
                            ("announced", "Announced"),
                            ("signed", "Signed"),
                            ("in_force", "In force"),
                            ("expired", "Expired"),
                            ("suspended", "Suspended"),
                        ],
                        default="reported",
                        help_text="The furthest stage a source attests; “reported” when it says no more.",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What it covers. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                ("title", models.CharField(max_length=250, verbose_name="title")),
                (
                    "value_currency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("USD", "US dollar"),
                            ("EUR", "Euro"),
                            ("MAD", "Moroccan dirham"),
                            ("GBP", "Pound sterling"),
                            ("ILS", "Israeli new shekel"),
                        ],
                        help_text="Currency of the value. Give it exactly when a value is given.",
                        max_length=3,
                        verbose_name="currency",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalagreementparty",
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
            ],
        ),
        RelabelFields(
            "historicalengagement",
            [
                ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "hedge",
                    models.CharField(
                        blank=True,
                        help_text="The source's own hedge when it does not assert the engagement outright, e.g. “reportedly”; readers see it beside the entry. Empty when the source asserts it.",
                        max_length=100,
                        verbose_name="hedge",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("visit", "Visit"),
                            ("meeting", "Meeting or dialogue"),
                            ("statement", "Statement"),
                            ("training", "Training or education course"),
                            ("initiative", "Initiative"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "place",
                    models.CharField(
                        blank=True,
                        help_text="Where, in the source's words. Empty when not stated.",
                        max_length=250,
                        verbose_name="place",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /engagements/this-slug/.",
                        max_length=250,
                        verbose_name="slug",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What happened. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="A short name, e.g. “US delegation's visit to Morocco”.",
                        max_length=250,
                        verbose_name="title",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalengagementpartner",
            [
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
                    "role",
                    models.CharField(
                        choices=[
                            ("host", "Host"),
                            ("visitor", "Visitor"),
                            ("organizer", "Organizer"),
                            ("participant", "Participant"),
                            ("speaker", "Speaker or author"),
                            ("proposer", "Proposer"),
                            ("unstated", "Role not stated"),
                        ],
                        default="unstated",
                        max_length=11,
                        verbose_name="role",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalengagementperson",
            [
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
                    "role",
                    models.CharField(
                        choices=[
                            ("host", "Host"),
                            ("visitor", "Visitor"),
                            ("organizer", "Organizer"),
                            ("participant", "Participant"),
                            ("speaker", "Speaker or author"),
                            ("proposer", "Proposer"),
                            ("unstated", "Role not stated"),
                        ],
                        default="unstated",
                        max_length=11,
                        verbose_name="role",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalexercise",
            [
                (
                    "domains",
                    multiselectfield.db.fields.MultiSelectField(
                        blank=True,
                        choices=[
                            ("land", "Land"),
                            ("sea", "Sea"),
                            ("air", "Air"),
                            ("joint", "Joint"),
                            ("special_operations", "Special operations"),
                            ("cyber", "Cyber"),
                        ],
                        help_text="Only the domains a source names or plainly describes.",
                        max_length=60,
                        verbose_name="domains",
                    ),
                ),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "location",
                    models.CharField(
                        blank=True,
                        help_text="Where it was held, in the source's words.",
                        max_length=250,
                        verbose_name="location",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The edition's name, e.g. “African Lion 2024”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "series",
                    models.CharField(
                        blank=True,
                        help_text="The recurring series, e.g. “African Lion”.",
                        max_length=200,
                        verbose_name="series",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /exercises/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What happened. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalexerciseparticipant",
            [
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
                    "role",
                    models.CharField(
                        choices=[
                            ("host", "Host"),
                            ("organizer", "Organizer"),
                            ("participant", "Participant"),
                            ("observer", "Observer"),
                            ("unstated", "Role not stated"),
                        ],
                        default="participant",
                        max_length=11,
                        verbose_name="role",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalindicator",
            [
                (
                    "currency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("USD", "US dollar"),
                            ("EUR", "Euro"),
                            ("MAD", "Moroccan dirham"),
                            ("GBP", "Pound sterling"),
                            ("ILS", "Israeli new shekel"),
                        ],
                        help_text="For an amount of money only.",
                        max_length=3,
                        verbose_name="currency",
                    ),
                ),
                (
                    "measure",
                    models.CharField(
                        choices=[
                            ("amount", "Amount"),
                            ("rank", "Rank"),
                            ("percent", "Percentage"),
                        ],
                        default="amount",
                        help_text="A rank (“the third largest …”) is stored as a rank, not as an amount.",
                        max_length=7,
                        verbose_name="measure",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The metric, e.g. “Defense spending”, “Arms purchases, rank”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The partner the figures concern, when they concern one (e.g. trade with it).",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /indicators/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        help_text="What the figures are of, as the source names it: “Morocco”, “North Africa”.",
                        max_length=200,
                        verbose_name="subject",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the figures are. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        blank=True,
                        help_text="The unit the source counts in, e.g. “billion”; empty for a rank.",
                        max_length=50,
                        verbose_name="unit",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalindicatorvalue",
            [
                (
                    "as_stated",
                    models.CharField(
                        blank=True,
                        help_text="The figure exactly as the source writes it, e.g. “$3.6”, “third largest”.",
                        max_length=100,
                        verbose_name="as stated",
                    ),
                ),
                (
                    "basis",
                    models.CharField(
                        choices=[
                            ("reported", "Reported"),
                            ("estimate", "Estimate"),
                            ("projection", "Projection"),
                        ],
                        default="reported",
                        help_text="Whether the source reports the figure, estimates it or projects it.",
                        max_length=10,
                        verbose_name="basis",
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
                ("period", models.DateField(blank=True, null=True, verbose_name="period")),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=4,
                        help_text="The figure in the indicator's unit; for a rank, the rank (3 for “third”).",
                        max_digits=18,
                        verbose_name="value",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalpartner",
            [
                (
                    "aliases",
                    models.TextField(
                        blank=True,
                        help_text="Other names the sources use, one per line; search matches them too.",
                        verbose_name="aliases",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("country", "Country"),
                            ("organization", "International organization or alliance"),
                            ("company", "Defense company"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The name readers know, e.g. “Spain”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="For a company: its home country, when a source gives it.",
                        limit_choices_to={"kind": "country"},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.partner",
                        verbose_name="parent",
                    ),
                ),
                (
                    "short_name",
                    models.CharField(
                        blank=True,
                        help_text="An abbreviation the sources use, e.g. “NATO”, “IAI”.",
                        max_length=50,
                        verbose_name="short name",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The partner page's address: /partners/this-slug/. Lowercase letters, digits, hyphens.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the sources say of this partnership. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalperson",
            [
                (
                    "name",
                    models.CharField(
                        help_text="The name as the sources give it, e.g. “Jens Stoltenberg”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /people/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the sources say of this person. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalposition",
            [
                (
                    "body",
                    models.CharField(
                        blank=True,
                        help_text="The body as the source names it, when it is not a partner, e.g. a Moroccan ministry or a military command. Empty when the source names none.",
                        max_length=200,
                        verbose_name="body",
                    ),
                ),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The partner the position is held in, when it is one of ours (e.g. NATO).",
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
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                (
                    "title",
                    models.CharField(
                        help_text="The title as the source gives it, e.g. “Secretary General”.",
                        max_length=200,
                        verbose_name="title",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "historicalprocurement",
            [
                (
                    "agreement",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The agreement it was bought under, when a source links the two.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.agreement",
                        verbose_name="agreement",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("air_defense", "Air defense"),
                            ("combat_aircraft", "Combat aircraft"),
                            ("uav", "Unmanned aerial vehicle"),
                            ("naval_vessel", "Naval vessel"),
                            ("armored_vehicle", "Armored vehicle"),
                            ("communications", "Communications"),
                            ("small_arms", "Small arms"),
                            ("other", "Other"),
                        ],
                        max_length=15,
                        verbose_name="category",
                    ),
                ),
                (
                    "delivery_date",
                    models.DateField(blank=True, null=True, verbose_name="delivery date"),
                ),
                (
                    "manufacturer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The company that builds it, when a source names it.",
                        limit_choices_to={"kind": "company"},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.partner",
                        verbose_name="manufacturer",
                    ),
                ),
                ("order_date", models.DateField(blank=True, null=True, verbose_name="order date")),
                (
                    "quantity",
                    models.IntegerField(
                        blank=True,
                        help_text="Units, as the source counts them. Empty means unknown.",
                        null=True,
                        verbose_name="quantity",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /equipment/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("reported", "Reported"),
                            ("ordered", "Ordered"),
                            ("delivered", "Delivered"),
                            ("in_service", "In service"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="reported",
                        help_text="The furthest stage a source attests; “reported” when it says no more.",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the sources say. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                (
                    "supplier",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The supplying country.",
                        limit_choices_to={"kind": "country"},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.partner",
                        verbose_name="supplier",
                    ),
                ),
                (
                    "system",
                    models.CharField(
                        help_text="The designation as the source gives it, e.g. “Barak MX”.",
                        max_length=200,
                        verbose_name="system",
                    ),
                ),
                (
                    "value_currency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("USD", "US dollar"),
                            ("EUR", "Euro"),
                            ("MAD", "Moroccan dirham"),
                            ("GBP", "Pound sterling"),
                            ("ILS", "Israeli new shekel"),
                        ],
                        help_text="Currency of the value. Give it exactly when a value is given.",
                        max_length=3,
                        verbose_name="currency",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "indicator",
            [
                (
                    "currency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("USD", "US dollar"),
                            ("EUR", "Euro"),
                            ("MAD", "Moroccan dirham"),
                            ("GBP", "Pound sterling"),
                            ("ILS", "Israeli new shekel"),
                        ],
                        help_text="For an amount of money only.",
                        max_length=3,
                        verbose_name="currency",
                    ),
                ),
                (
                    "measure",
                    models.CharField(
                        choices=[
                            ("amount", "Amount"),
                            ("rank", "Rank"),
                            ("percent", "Percentage"),
                        ],
                        default="amount",
                        help_text="A rank (“the third largest …”) is stored as a rank, not as an amount.",
                        max_length=7,
                        verbose_name="measure",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The metric, e.g. “Defense spending”, “Arms purchases, rank”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        help_text="The partner the figures concern, when they concern one (e.g. trade with it).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="indicators",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /indicators/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        help_text="What the figures are of, as the source names it: “Morocco”, “North Africa”.",
                        max_length=200,
                        verbose_name="subject",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the figures are. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        blank=True,
                        help_text="The unit the source counts in, e.g. “billion”; empty for a rank.",
                        max_length=50,
                        verbose_name="unit",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "indicatorvalue",
            [
                (
                    "as_stated",
                    models.CharField(
                        blank=True,
                        help_text="The figure exactly as the source writes it, e.g. “$3.6”, “third largest”.",
                        max_length=100,
                        verbose_name="as stated",
                    ),
                ),
                (
                    "basis",
                    models.CharField(
                        choices=[
                            ("reported", "Reported"),
                            ("estimate", "Estimate"),
                            ("projection", "Projection"),
                        ],
                        default="reported",
                        help_text="Whether the source reports the figure, estimates it or projects it.",
                        max_length=10,
                        verbose_name="basis",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="values",
                        to="partnerships.indicator",
                        verbose_name="indicator",
                    ),
                ),
                ("period", models.DateField(blank=True, null=True, verbose_name="period")),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=4,
                        help_text="The figure in the indicator's unit; for a rank, the rank (3 for “third”).",
                        max_digits=18,
                        verbose_name="value",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "partner",
            [
                (
                    "aliases",
                    models.TextField(
                        blank=True,
                        help_text="Other names the sources use, one per line; search matches them too.",
                        verbose_name="aliases",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("country", "Country"),
                            ("organization", "International organization or alliance"),
                            ("company", "Defense company"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The name readers know, e.g. “Spain”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        help_text="For a company: its home country, when a source gives it.",
                        limit_choices_to={"kind": "country"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="companies",
                        to="partnerships.partner",
                        verbose_name="parent",
                    ),
                ),
                (
                    "short_name",
                    models.CharField(
                        blank=True,
                        help_text="An abbreviation the sources use, e.g. “NATO”, “IAI”.",
                        max_length=50,
                        verbose_name="short name",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The partner page's address: /partners/this-slug/. Lowercase letters, digits, hyphens.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the sources say of this partnership. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "person",
            [
                (
                    "name",
                    models.CharField(
                        help_text="The name as the sources give it, e.g. “Jens Stoltenberg”.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /people/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the sources say of this person. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "position",
            [
                (
                    "body",
                    models.CharField(
                        blank=True,
                        help_text="The body as the source names it, when it is not a partner, e.g. a Moroccan ministry or a military command. Empty when the source names none.",
                        max_length=200,
                        verbose_name="body",
                    ),
                ),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        help_text="The partner the position is held in, when it is one of ours (e.g. NATO).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="officials",
                        to="partnerships.partner",
                        verbose_name="partner",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="positions",
                        to="partnerships.person",
                        verbose_name="person",
                    ),
                ),
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                (
                    "title",
                    models.CharField(
                        help_text="The title as the source gives it, e.g. “Secretary General”.",
                        max_length=200,
                        verbose_name="title",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "procurement",
            [
                (
                    "agreement",
                    models.ForeignKey(
                        blank=True,
                        help_text="The agreement it was bought under, when a source links the two.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="procurements",
                        to="partnerships.agreement",
                        verbose_name="agreement",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("air_defense", "Air defense"),
                            ("combat_aircraft", "Combat aircraft"),
                            ("uav", "Unmanned aerial vehicle"),
                            ("naval_vessel", "Naval vessel"),
                            ("armored_vehicle", "Armored vehicle"),
                            ("communications", "Communications"),
                            ("small_arms", "Small arms"),
                            ("other", "Other"),
                        ],
                        max_length=15,
                        verbose_name="category",
                    ),
                ),
                (
                    "delivery_date",
                    models.DateField(blank=True, null=True, verbose_name="delivery date"),
                ),
                (
                    "manufacturer",
                    models.ForeignKey(
                        blank=True,
                        help_text="The company that builds it, when a source names it.",
                        limit_choices_to={"kind": "company"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="manufactured",
                        to="partnerships.partner",
                        verbose_name="manufacturer",
                    ),
                ),
                ("order_date", models.DateField(blank=True, null=True, verbose_name="order date")),
                (
                    "quantity",
                    models.IntegerField(
                        blank=True,
                        help_text="Units, as the source counts them. Empty means unknown.",
                        null=True,
                        verbose_name="quantity",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The page's address: /equipment/this-slug/.",
                        max_length=200,
                        verbose_name="slug",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("reported", "Reported"),
                            ("ordered", "Ordered"),
                            ("delivered", "Delivered"),
                            ("in_service", "In service"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="reported",
                        help_text="The furthest stage a source attests; “reported” when it says no more.",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "summary",
                    models.TextField(
                        blank=True,
                        help_text="What the sources say. Cite every claim below, and end each sentence with the number of the citation that states it in brackets, e.g. “[1]” for the first citation listed.",
                        verbose_name="summary",
                    ),
                ),
                (
                    "supplier",
                    models.ForeignKey(
                        help_text="The supplying country.",
                        limit_choices_to={"kind": "country"},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="supplied",
                        to="partnerships.partner",
                        verbose_name="supplier",
                    ),
                ),
                (
                    "system",
                    models.CharField(
                        help_text="The designation as the source gives it, e.g. “Barak MX”.",
                        max_length=200,
                        verbose_name="system",
                    ),
                ),
                (
                    "value_currency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("USD", "US dollar"),
                            ("EUR", "Euro"),
                            ("MAD", "Moroccan dirham"),
                            ("GBP", "Pound sterling"),
                            ("ILS", "Israeli new shekel"),
                        ],
                        help_text="Currency of the value. Give it exactly when a value is given.",
                        max_length=3,
                        verbose_name="currency",
                    ),
                ),
            ],
        ),
        RelabelFields(
            "reviewmark",
            [
                (
                    "change",
                    models.OneToOneField(
                        error_messages={"unique": "This save is already marked reviewed."},
                        help_text="The save reviewed.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review_mark",
                        to="partnerships.change",
                        verbose_name="change",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="What the reviewer checked, or anything the next reader should know.",
                        max_length=500,
                        verbose_name="note",
                    ),
                ),
                (
                    "reviewed_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="reviewed at"
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review_marks",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewer",
                    ),
                ),
            ],
        ),
    ]
