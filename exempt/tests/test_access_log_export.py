"""The access log's addresses and its CSV export: a trusted address, and no cell that a
spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.test import RequestFactory
from django.urls import reverse

from exempt import audit
from exempt.models import AccessEvent, AccessLog
from scrutiny.csv_safe import csv_cell
from scrutiny.testing import client_for

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


def export(coordinator) -> list[list[str]]:
    response = client_for(coordinator).get(reverse("exempt:access_log"), {"format": "csv"})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def record_from(user, **meta):
    request = RequestFactory().get("/meetings/1/", **meta)
    request.user = user
    audit.record(request, AccessEvent.REFUSED, what="the exempt agenda pack")
    return AccessLog.objects.latest("at")


def test_formula_text_is_exported_as_text(coordinator, committee, make_user):
    someone = make_user(username=FORMULA)
    AccessLog.objects.create(
        user=someone,
        username=someone.username,
        event=AccessEvent.VIEWED,
        committee=committee,
        what='+cmd|" /C calc"!A0',
        path="/meetings/1/?q=@SUM(1,1)",
        ip_address="192.0.2.7",
    )
    AccessLog.objects.create(
        username="\tmember", event=AccessEvent.REFUSED, committee=committee, what="-2+3"
    )
    rows = {row[1]: row for row in export(coordinator)[1:]}
    formula_row = rows["'" + FORMULA]
    assert formula_row[5] == '\'+cmd|" /C calc"!A0'
    assert formula_row[6] == "/meetings/1/?q=@SUM(1,1)"  # starts with "/": left alone
    assert formula_row[7] == "192.0.2.7"
    tab_row = rows["'\tmember"]
    assert tab_row[5] == "'-2+3"
    for row in rows.values():
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_every_formula_start_is_neutralised():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("Councillor A S Sandhu") == "Councillor A S Sandhu"
    assert csv_cell(None) == ""
    assert csv_cell(12) == "12"


def test_a_forged_address_never_reaches_the_log(settings, member):
    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 0
    entry = record_from(member, REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert entry.ip_address == "192.0.2.7"

    settings.SCRUTINY_TRUSTED_PROXY_COUNT = 1
    entry = record_from(member, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.160")
    assert entry.ip_address == "81.2.69.160"
    entry = record_from(member, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=FORMULA)
    assert entry.ip_address == "10.0.0.2"
