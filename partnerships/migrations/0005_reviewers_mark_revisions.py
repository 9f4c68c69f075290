"""Reviewers may mark revisions reviewed; editors may see the marks in the admin.

Superusers may anyway. No group gets more: marks are never changed or deleted,
and the model has no such permissions to give.
"""

from django.db import migrations

GRANTS = {
    "Reviewers": ["add_reviewmark", "view_reviewmark"],
    "Editors": ["view_reviewmark"],
}


def _ensure_permissions(apps):
    # As in 0002: permissions are made after all migrations; the grant needs them now.
    from django.contrib.auth.management import create_permissions

    for app_label in ("auth", "contenttypes", "partnerships"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_review_permissions(apps, schema_editor):
    """Also run by tests/e2e/conftest.py after it re-creates the groups of 0002."""
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="partnerships", codename__in=codenames
            )
        )


def revoke_review_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="partnerships", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_review_marks_and_history_indexes"),
        ("partnerships", "0002_editor_and_reviewer_groups"),
    ]

    operations = [migrations.RunPython(grant_review_permissions, revoke_review_permissions)]
