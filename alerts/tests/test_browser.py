"""Subscribing, confirming and unsubscribing in the browser; each page passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from alerts.models import Subscription, SubscriptionStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_resident_subscribes_confirms_and_unsubscribes(page, live_server, committee, axe_check):
    page.goto(f"{live_server.url}{committee.get_absolute_url()}")
    page.get_by_role("link", name="E-mail alerts").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("E-mail alerts")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your e-mail address")
    axe_check(page)
    page.get_by_label("Your e-mail address").fill("resident@example.com")
    page.get_by_label("Minutes are published").uncheck()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("Look for an e-mail to resident@example.com")).to_be_visible()
    subscription = Subscription.objects.get()
    assert not subscription.on_minutes and subscription.status == SubscriptionStatus.PENDING
    (confirmation,) = mail.outbox
    link = re.search(r"/alerts/confirm/[\w-]+/", confirmation.body)[0]
    page.goto(f"{live_server.url}{link}")
    axe_check(page)
    page.get_by_role("button", name="Confirm the alerts").click()
    expect(page.get_by_text("Your alerts from the")).to_be_visible()
    page.goto(f"{live_server.url}/alerts/unsubscribe/{subscription.token}/")
    axe_check(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("No more alerts")
    axe_check(page)
    assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED
