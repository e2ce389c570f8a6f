"""The Monitoring Officer role, for databases created before it existed."""

from django.db import migrations


def create_roles(apps, schema_editor):
    # As the role was made (see 0002 for why it is written out, not imported).
    apps.get_model("auth", "Group").objects.get_or_create(name="Monitoring Officer")


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Monitoring Officer").delete()


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0004_second_factor")]

    operations = [migrations.RunPython(create_roles, remove_role)]
