"""The second factor now lives in django-otp's TOTPDevice (moved by 0006)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0006_second_factor_to_totp_device")]

    operations = [migrations.DeleteModel(name="SecondFactor")]
