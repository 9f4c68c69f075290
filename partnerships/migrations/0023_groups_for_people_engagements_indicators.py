"""The editors' and reviewers' permissions on people, engagements and indicators and the
rows edited with them, as 0002 gave them on the other entry types."""

import importlib

from django.db import migrations

groups = importlib.import_module("partnerships.migrations.0002_editor_and_reviewer_groups")

NEW_MODELS = {
    "partnerships": [
        "person",
        "position",
        "engagement",
        "engagementpartner",
        "engagementperson",
        "indicator",
        "indicatorvalue",
    ],
}
ROLES = {
    "Editors": (["add", "change", "delete", "view"], ["view", "change"]),
    "Reviewers": (["view"], ["view"]),
}


def _codenames(actions, history_actions):
    for model in NEW_MODELS["partnerships"]:
        yield from (f"{action}_{model}" for action in actions)
        yield from (f"{action}_historical{model}" for action in history_actions)


def grant(apps, schema_editor):
    groups._ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, (actions, history_actions) in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="partnerships",
                codename__in=list(_codenames(actions, history_actions)),
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, (actions, history_actions) in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="partnerships",
                    codename__in=list(_codenames(actions, history_actions)),
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0022_search_people_engagements_indicators"),
        ("sources", "0013_citations_of_people_engagements_indicators"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
