from django.db import migrations

# A meeting's status is public. It used to read "Minutes in draft" as soon as the
# minutes were started; it now does so only once they are published as draft, and a
# meeting whose minutes are still being written or are with the Chairman is "Held".


def held_until_published(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.filter(status="minutes_draft").exclude(
        minutes__status__in=["published", "confirmed"]
    ).update(status="held")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_exemption_wording"),
        ("minutes", "0005_chairman_response"),
    ]

    operations = [migrations.RunPython(held_until_published, migrations.RunPython.noop)]
