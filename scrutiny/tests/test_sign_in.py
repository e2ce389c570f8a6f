"""One way in: the sign-in lock-out (django-axes) by username, the client's address
behind trusted proxies, and an admin that needs the password and the code."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.client import client_ip
from scrutiny.testing import client_for, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.2"
OFFICE = "81.2.69.160"  # the council office's one public address


def sign_in(client, username, password=PASSWORD, *, path=None, **headers):
    return client.post(
        path or reverse("login"), {"username": username, "password": password}, **headers
    )


def code_now(device) -> str:
    device.refresh_from_db()
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


# --- the client's address ---------------------------------------------------------


def request_with(remote_addr, forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_with_no_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with("192.0.2.7", "6.6.6.6")) == "192.0.2.7"
    assert client_ip(request_with("192.0.2.7")) == "192.0.2.7"


def test_behind_one_proxy_a_forged_left_most_address_is_not_taken(settings):
    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended what it saw.
    assert client_ip(request_with(PROXY, f"6.6.6.6, {OFFICE}")) == OFFICE
    assert client_ip(request_with(PROXY, OFFICE)) == OFFICE
    assert client_ip(request_with(PROXY, '=HYPERLINK("http://x","y")')) == PROXY


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with(PROXY, f"6.6.6.6, {OFFICE}, 198.51.100.1")) == OFFICE


def test_without_the_header_behind_a_proxy_the_connection_is_used(settings):
    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_with(PROXY)) == PROXY


# --- the lock-out -------------------------------------------------------------------


def test_five_failures_lock_the_username_for_15_minutes(client, member):
    for _ in range(4):
        response = sign_in(client, "member", "wrong")
        assert "Enter a correct username and password" in text_of(response)
    response = sign_in(client, "member", "wrong")
    assert response.status_code == 429
    page = text_of(response)
    assert "You cannot sign in for 15 minutes" in page
    assert "You can try again in 15 minutes" in page
    assert '<html lang="en-GB">' in response.content.decode()  # the site's layout
    # The right password is refused too, from anywhere.
    assert sign_in(Client(), "member").status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_person_behind_the_office_proxy_does_not_lock_out_the_office(settings, member, officer):
    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 1
    office = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": OFFICE}
    for _ in range(5):
        sign_in(Client(), "member", "wrong", **office)
    assert sign_in(Client(), "member", **office).status_code == 429
    colleague = Client()
    response = sign_in(colleague, "officer", **office)
    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(officer.pk)


def test_failures_are_recorded_with_the_trusted_address(settings, member):
    from axes.models import AccessAttempt

    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 1
    sign_in(
        Client(), "member", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {OFFICE}"
    )
    assert AccessAttempt.objects.get(username="member").ip_address == OFFICE


def test_signing_in_clears_earlier_failures(client, member):
    for _ in range(4):
        sign_in(Client(), "member", "wrong")
    assert sign_in(client, "member").status_code == 302
    assert sign_in(Client(), "member", "wrong").status_code == 200  # one failure, not five


# --- the admin ----------------------------------------------------------------------


def test_the_admin_login_page_signs_nobody_in(client, coordinator):
    response = sign_in(client, "coordinator", path="/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert "_auth_user_id" not in client.session


def test_the_admin_login_locks_after_five_failures(client, coordinator):
    """Its sign-in is the site's, under the same lock-out: the right password after
    five wrong ones is refused."""
    login_url = client.get("/admin/login/")["Location"]
    assert login_url == "/accounts/login/?next=/admin/"
    for _ in range(5):
        response = sign_in(client, "coordinator", "wrong", path=login_url)
    assert response.status_code == 429
    assert sign_in(client, "coordinator", path=login_url).status_code == 429
    assert sign_in(client, "coordinator", path="/admin/login/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admin_needs_the_code_as_well_as_the_password(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="Authenticator app")
    response = sign_in(client, "coordinator", path="/accounts/login/?next=/admin/")
    assert response["Location"] == reverse("two_factor")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    response = client.post(reverse("two_factor"), {"code": code_now(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_password_only_session_gives_the_code_before_the_admin(coordinator):
    """A session signed in without the code (from before the second factor was asked
    for) is sent to the code page, then on to the admin."""
    device = TOTPDevice.objects.create(user=coordinator, name="Authenticator app")
    client = client_for(coordinator)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('two_factor')}?next=/admin/"
    assert "Enter your code" in text_of(response)
    response = client.post(f"{reverse('two_factor')}?next=/admin/", {"code": code_now(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_second_factor_are_told_to_set_one_up(coordinator_client, coordinator):
    response = coordinator_client.get("/admin/", follow=True)
    assert response.status_code == 403
    page = text_of(response)
    assert "Set up a second factor to use the admin" in page
    setup_url = f"{reverse('two_factor_setup')}?next=/admin/"
    assert f'href="{setup_url}"' in response.content.decode()

    page = coordinator_client.get(setup_url)
    key = bytes.fromhex(coordinator_client.session["two_factor_setup_key"])
    assert page.status_code == 200
    response = coordinator_client.post(
        setup_url, {"action": "enable", "code": f"{TOTP(key).token():06d}"}
    )
    assert response["Location"] == "/admin/"
    assert coordinator_client.get("/admin/").status_code == 200


def test_the_admin_is_refused_to_people_who_are_not_staff(member_client):
    response = member_client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You cannot see this page" in text_of(response)


def test_a_verified_client_opens_the_admin(verified_client_for, coordinator, member):
    assert verified_client_for(coordinator).get("/admin/").status_code == 200
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 1
    assert verified_client_for(coordinator).get("/admin/").status_code == 200
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1  # reused
    assert verified_client_for(member).get("/admin/").status_code == 302  # not staff
