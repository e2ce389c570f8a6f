"""Move each authenticator app from SecondFactor (a base32 secret used with pyotp) to a
confirmed django-otp TOTPDevice (the same secret, hex-encoded), so that nobody has to
set their app up again. The codes are the same: SHA-1, 30-second steps, 6 digits, one
step of tolerance either side as before."""

import base64
import binascii

from django.db import migrations

DEVICE_NAME = "Authenticator app"


def base32_to_hex(secret: str) -> str:
    text = "".join(secret.split()).upper()
    text += "=" * (-len(text) % 8)
    return binascii.hexlify(base64.b32decode(text)).decode()


def hex_to_base32(key: str) -> str:
    return base64.b32encode(binascii.unhexlify(key)).decode().rstrip("=")


def forwards(apps, schema_editor):
    SecondFactor = apps.get_model("scrutiny", "SecondFactor")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for factor in SecondFactor.objects.all():
        device = TOTPDevice.objects.create(
            user_id=factor.user_id,
            name=DEVICE_NAME,
            confirmed=True,
            key=base32_to_hex(factor.secret),
            step=30,
            t0=0,
            digits=6,
            tolerance=1,
        )
        # auto_now_add stamps the device now; keep the day the app was set up.
        TOTPDevice.objects.filter(pk=device.pk).update(created_at=factor.created_at)


def backwards(apps, schema_editor):
    SecondFactor = apps.get_model("scrutiny", "SecondFactor")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.filter(confirmed=True, step=30, t0=0, digits=6):
        SecondFactor.objects.update_or_create(
            user_id=device.user_id, defaults={"secret": hex_to_base32(device.key)}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0005_monitoring_officer_role"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
