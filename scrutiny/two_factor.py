"""The second factor: a time-based code (RFC 6238) from an authenticator app, asked for
after the password. The app is a django-otp TOTP device; its QR code is drawn by segno.

django-otp refuses a code twice (each device remembers the time step of the last code
it accepted) and, after a wrong code, makes the next try wait 1, 2, 4... seconds."""

import math
from base64 import b32encode

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

DEVICE_NAME = "Authenticator app"

WRONG_CODE = "Enter the 6-digit code your app shows now"
USED_CODE = "That code has already been used. Wait for your app to show a new code, then enter it"


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def new_key() -> str:
    """A fresh secret for an app not yet set up, hex-encoded as django-otp keeps it."""
    return random_hex(20)


def setup_device(user, key: str) -> TOTPDevice:
    """The device an app would become with this key (not saved): for its QR code."""
    return TOTPDevice(user=user, key=key, name=DEVICE_NAME, confirmed=False)


def key_for_typing(device: TOTPDevice) -> str:
    """The key as apps ask for it when typed: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your app")


def _token(code: str) -> int | None:
    code = "".join(code.split())
    return int(code) if code.isdigit() and len(code) == 6 else None


def _wait_message(locked_until) -> str:
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds < 60:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"Wait {wait}, then enter the code your app shows now"


def _was_used(device: TOTPDevice, token: int) -> bool:
    """True if the code is right for now but its time step has been used already."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.verify(token, device.tolerance)


def two_factor_verify(*, user, code: str) -> TOTPDevice:
    """The user's device if `code` is a current code it has not accepted before.

    Raises ValidationError (for the code field) with code "wrong_code" for a wrong or
    reused code, which counts as a failed sign-in, and "throttled" while django-otp
    makes the user wait after wrong codes.
    """
    token = _token(code)
    # Lock the device row so that two requests cannot both spend one code; commit the
    # result (last step used, or one more failure) before raising.
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise ValidationError("The second factor is not on", code="not_on")
        allowed, why = device.verify_is_allowed()
        verified = allowed and token is not None and device.verify_token(token)
    if verified:
        return device
    if not allowed:
        raise ValidationError(_wait_message(why["locked_until"]), code="throttled")
    message = USED_CODE if token is not None and _was_used(device, token) else WRONG_CODE
    raise ValidationError(message, code="wrong_code")


@transaction.atomic
def two_factor_enable(*, user, key: str, code: str) -> TOTPDevice:
    """Turn the second factor on: the app set up with `key` must show `code` now."""
    if has_second_factor(user):
        raise ValidationError("The second factor is already on", code="already_on")
    TOTPDevice.objects.filter(user=user).delete()  # any app set up but never confirmed
    device = setup_device(user, key)
    device.full_clean()
    device.save()
    token = _token(code)
    if token is None or not device.verify_token(token):
        # Raising rolls the unconfirmed device back with everything else.
        raise ValidationError(WRONG_CODE, code="wrong_code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def two_factor_disable(*, user, code: str) -> None:
    """Turn the second factor off, which takes a current code from the app."""
    two_factor_verify(user=user, code=code)
    TOTPDevice.objects.filter(user=user).delete()
