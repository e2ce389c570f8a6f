"""The second factor: set up from the app, asked for after the password, each code good
once, and turned off only with a current code."""

import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.testing import client_for, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _no_wait_after_a_wrong_code(settings):
    """django-otp makes the next try wait a second or more after a wrong code; these
    tests type the right code straight after a wrong one (the wait is tested below)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_from_key(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


def unused_code(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one if the device has just accepted it
    (one step of tolerance lets the next code through)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift += device.last_t - totp.t() + 1
    return f"{totp.token():06d}"


def enable(user) -> TOTPDevice:
    client = client_for(user)
    page = client.get(reverse("two_factor_setup"))
    assert "<svg" in page.content.decode()
    typed = page.context["secret"].replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    wrong = client.post(reverse("two_factor_setup"), {"action": "enable", "code": "000000"})
    assert "Enter the 6-digit code your app shows now" in text_of(wrong)
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("two_factor_setup"), {"action": "enable", "code": code_from_key(key)})
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.bin_key == key and device.name == "Authenticator app"
    # The code just given verifies the session that set it up.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    return device


def sign_in_with_password(client, username="coordinator"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_setting_up_shows_the_same_key_as_a_qr_code_and_as_text(coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert "Turn the second factor on" in text_of(page)
    key = bytes.fromhex(client.session["two_factor_setup_key"])
    typed = page.context["secret"]
    assert typed.replace(" ", "") == base64.b32encode(key).decode().rstrip("=")
    # Until it is confirmed, coming back shows the same key; nothing is saved yet.
    assert client.get(reverse("two_factor_setup")).context["secret"] == typed
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


def test_sign_in_asks_for_the_code_after_the_password(coordinator):
    device = enable(coordinator)
    client = Client()
    response = sign_in_with_password(client)
    assert response["Location"] == reverse("two_factor")
    assert "_auth_user_id" not in client.session  # not signed in yet
    wrong = client.post(reverse("two_factor"), {"code": "123456"})
    assert "Enter the 6-digit code your app shows now" in text_of(wrong)
    assert "_auth_user_id" not in client.session
    client.post(reverse("two_factor"), {"code": unused_code(device)})
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/").wsgi_request.user.is_verified()


def test_a_code_cannot_be_used_twice(coordinator):
    device = enable(coordinator)
    code = unused_code(device)
    first = Client()
    sign_in_with_password(first)
    first.post(reverse("two_factor"), {"code": code})
    assert first.session["_auth_user_id"] == str(coordinator.pk)

    second = Client()
    sign_in_with_password(second)
    replayed = second.post(reverse("two_factor"), {"code": code})
    assert "That code has already been used" in text_of(replayed)
    assert "_auth_user_id" not in second.session


def test_five_wrong_codes_lock_sign_in(coordinator):
    device = enable(coordinator)
    client = Client()
    sign_in_with_password(client)
    for _ in range(4):
        response = client.post(reverse("two_factor"), {"code": "111111"})
        assert response.status_code == 200
    response = client.post(reverse("two_factor"), {"code": "111111"})
    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in text_of(response)
    # The attempt is over, and the password alone cannot start another for now.
    assert client.get(reverse("two_factor"))["Location"] == reverse("login")
    assert sign_in_with_password(client).status_code == 429
    assert client.post(reverse("two_factor"), {"code": unused_code(device)}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_lock_out_during_the_code_step_stops_it(coordinator):
    """Failures elsewhere that lock the username also refuse a code already asked for."""
    device = enable(coordinator)
    client = Client()
    sign_in_with_password(client)
    for _ in range(5):
        Client().post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    response = client.post(reverse("two_factor"), {"code": unused_code(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_codes_make_the_next_try_wait(coordinator, settings):
    device = enable(coordinator)
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client = Client()
    sign_in_with_password(client)
    client.post(reverse("two_factor"), {"code": "111111"})
    response = client.post(reverse("two_factor"), {"code": unused_code(device)})
    assert "Wait 1 minute, then enter the code your app shows now" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_the_code_page_needs_the_password_first(client):
    assert client.get(reverse("two_factor"))["Location"] == reverse("login")


def test_users_without_a_second_factor_sign_in_with_the_password(member):
    client = Client()
    response = sign_in_with_password(client, "member")
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_turning_it_off_needs_a_current_code(coordinator):
    device = enable(coordinator)
    client = client_for(coordinator)
    page = client.get(reverse("two_factor_setup"))
    assert "enter the code your app shows now" in text_of(page)

    no_code = client.post(reverse("two_factor_setup"), {"action": "disable"})
    assert "Enter the 6-digit code your app shows now" in text_of(no_code)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    wrong = client.post(reverse("two_factor_setup"), {"action": "disable", "code": "000000"})
    assert "Enter the 6-digit code your app shows now" in text_of(wrong)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    client.post(reverse("two_factor_setup"), {"action": "disable", "code": unused_code(device)})
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert sign_in_with_password(Client())["Location"] == reverse("home")


def test_an_out_of_date_page_changes_nothing(coordinator):
    """A second press of "Turn on" (the first one worked) does not turn it off."""
    device = enable(coordinator)
    client = client_for(coordinator)
    response = client.post(reverse("two_factor_setup"), {"action": "enable", "code": "123456"})
    assert response["Location"] == reverse("two_factor_setup")
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


@pytest.mark.django_db(transaction=True)
def test_secrets_from_before_move_to_authenticator_app_devices(django_user_model):
    """Migration 0006 carries each SecondFactor's base32 secret into a TOTPDevice that
    gives the same codes (RFC 6238's SHA-1 test key: 287082 at 59 seconds)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("scrutiny", "0005_monitoring_officer_role")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        user = django_user_model.objects.create_user(username="early-adopter")
        rfc_key = base64.b32encode(b"12345678901234567890").decode()
        old_apps.get_model("scrutiny", "SecondFactor").objects.create(
            user_id=user.pk, secret=rfc_key
        )

        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.name == "Authenticator app"
        assert (device.step, device.digits, device.tolerance, device.t0) == (30, 6, 1, 0)
        assert device.key == b"12345678901234567890".hex()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
        totp.time = 59
        assert totp.token() == 287082

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        factor = old_apps.get_model("scrutiny", "SecondFactor").objects.get(user_id=user.pk)
        assert factor.secret == rfc_key.rstrip("=")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
