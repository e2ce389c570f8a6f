"""Create the three roles as groups, with explicit permission codenames.

Permissions are created here rather than waiting for post_migrate, so the
groups are complete on a fresh database. The roles are written out as they were
when this migration was made (never imported from scrutiny.roles, which moves on):
a later change to a role comes with its own migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Co-ordinator": [
        "scrutiny.view_committee",
        "scrutiny.change_committee",
        "scrutiny.view_person",
        "scrutiny.add_person",
        "scrutiny.change_person",
        "scrutiny.view_membership",
        "scrutiny.add_membership",
        "scrutiny.change_membership",
        "meetings.view_meeting",
        "meetings.add_meeting",
        "meetings.change_meeting",
    ],
    "Member": [],
    "Officer": [],
}


def set_roles(apps, roles: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in (dotted.split(".") for dotted in codenames)
            ]
        )


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    set_roles(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0001_initial"),
        ("meetings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
