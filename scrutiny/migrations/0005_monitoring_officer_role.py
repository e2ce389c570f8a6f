"""The Monitoring Officer role, for databases created before it existed."""

from django.db import migrations

from scrutiny.roles import ensure_roles


def create_roles(apps, schema_editor):
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Monitoring Officer").delete()


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0004_second_factor")]

    operations = [migrations.RunPython(create_roles, remove_role)]
