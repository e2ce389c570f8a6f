"""An optional second factor for co-ordinators: a time-based code (RFC 6238) from an
authenticator app, checked after the password (pyotp), set up from a QR code (segno)."""

import pyotp
import segno
from django.conf import settings
from django.db import transaction

ISSUER = "Scrutiny"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.get_username(), issuer_name=f"{ISSUER} ({settings.COUNCIL_NAME})"
    )


def qr_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your app")


def code_is_valid(secret: str, code: str) -> bool:
    code = "".join(code.split())
    # One step either side allows for a phone clock that is slightly out.
    return code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


@transaction.atomic
def two_factor_enable(*, user, secret: str, code: str) -> None:
    from django.core.exceptions import ValidationError

    from .models import SecondFactor

    if not code_is_valid(secret, code):
        raise ValidationError({"code": "Enter the 6-digit code your app shows now"})
    SecondFactor.objects.update_or_create(user=user, defaults={"secret": secret})


@transaction.atomic
def two_factor_disable(*, user) -> None:
    from .models import SecondFactor

    SecondFactor.objects.filter(user=user).delete()
