"""The optional second factor: set up from the app, asked for after the password."""

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.models import SecondFactor
from scrutiny.testing import client_for, text_of

pytestmark = pytest.mark.django_db


def enable(user) -> str:
    client = client_for(user)
    page = client.get(reverse("two_factor_setup"))
    secret = page.context["secret"]
    assert "<svg" in page.content.decode()
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "Enter the 6-digit code your app shows now" in text_of(wrong)
    assert not SecondFactor.objects.filter(user=user).exists()
    client.post(reverse("two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    assert SecondFactor.objects.filter(user=user).exists()
    return secret


def test_sign_in_asks_for_the_code_after_the_password(coordinator):
    secret = enable(coordinator)
    client = Client()
    response = client.post(
        reverse("login"), {"username": "coordinator", "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("two_factor")
    assert "_auth_user_id" not in client.session  # not signed in yet
    wrong = client.post(reverse("two_factor"), {"code": "123456"})
    assert "Enter the 6-digit code your app shows now" in text_of(wrong)
    assert "_auth_user_id" not in client.session
    client.post(reverse("two_factor"), {"code": pyotp.TOTP(secret).now()})
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_five_wrong_codes_end_the_attempt(coordinator):
    enable(coordinator)
    client = Client()
    client.post(reverse("login"), {"username": "coordinator", "password": "correct-horse-battery"})
    for _ in range(5):
        client.post(reverse("two_factor"), {"code": "111111"})
    response = client.post(reverse("two_factor"), {"code": "111111"})
    assert response["Location"] == reverse("login")


def test_the_code_page_needs_the_password_first(client):
    assert client.get(reverse("two_factor"))["Location"] == reverse("login")


def test_turning_it_off(coordinator):
    enable(coordinator)
    client_for(coordinator).post(reverse("two_factor_setup"), {"action": "disable"})
    assert not SecondFactor.objects.filter(user=coordinator).exists()
