from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "partnerships": [
        "partner",
        "agreement",
        "agreementparty",
        "exercise",
        "exerciseparticipant",
        "procurement",
    ],
    "sources": ["source", "citation"],
}


def _ensure_permissions(apps):
    # Permissions are normally created after all migrations have run; a fresh
    # database needs them now to put them in the groups.
    for app_label in ("auth", "contenttypes", *CONTENT_MODELS):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _codenames(actions, history_actions):
    for models in CONTENT_MODELS.values():
        for model in models:
            yield from (f"{action}_{model}" for action in actions)
            yield from (f"{action}_historical{model}" for action in history_actions)


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    apps_labels = list(CONTENT_MODELS)
    roles = {
        # Editors curate content and may revert it to an earlier revision
        # (change on a history model); they get nothing on users or groups.
        "Editors": _codenames(["add", "change", "delete", "view"], ["view", "change"]),
        # Reviewers read content and its full history, and change nothing.
        "Reviewers": _codenames(["view"], ["view"]),
    }
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=apps_labels, codename__in=list(codenames)
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
