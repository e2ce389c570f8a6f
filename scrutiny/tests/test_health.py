"""/healthz reports each part; a database that cannot be reached is a plain 503 page."""

import pytest
from django.db import OperationalError

from scrutiny import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_report(monkeypatch, settings):
    monkeypatch.setattr(health, "_last", None)
    settings.SCRUTINY_HEALTH_REPORT_SECONDS = 0


def test_a_report_is_made_at_most_every_few_seconds(client, monkeypatch, settings):
    settings.SCRUTINY_HEALTH_REPORT_SECONDS = 5
    runs = []
    monkeypatch.setitem(health.CHECKS, "broker", lambda: runs.append(1) or "ok")
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert runs == [1]


def test_health_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert {name: part["status"] for name, part in report["parts"].items()} == {
        "database": "ok",
        "broker": "in-process",  # no broker configured: tasks run in the web process
        "cache": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_is_degraded_without_storage_and_down_without_the_database(client, monkeypatch):
    def fails(error):
        def check():
            raise error

        return check

    monkeypatch.setitem(
        health.CHECKS, "storage", fails(PermissionError("/var/private: permission denied"))
    )
    response = client.get("/healthz")
    assert response.status_code == 200  # pages still work: keep the process in service
    report = response.json()
    assert report["status"] == "degraded"
    assert report["parts"]["storage"]["status"] == "down"
    assert report["parts"]["storage"]["error"] == "PermissionError"
    assert "/var/private" not in response.content.decode()

    monkeypatch.setitem(health.CHECKS, "database", fails(OperationalError("host 10.0.0.5")))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.parametrize(
    ("error", "status", "says"),
    [
        (OperationalError("connection to server at 10.0.0.5 failed"), 503, "unavailable"),
        (ValueError("a bug"), 500, "there is a problem with the service"),
    ],
)
def test_a_database_that_cannot_be_reached_is_a_plain_503(client, monkeypatch, error, status, says):
    from scrutiny import views

    def broken(self, request, *args, **kwargs):
        raise error

    monkeypatch.setattr(views.HomeView, "get", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == status
    text = response.content.decode()
    assert says in text
    assert "10.0.0.5" not in text and "Traceback" not in text
    assert (response.get("Retry-After") == "30") == (status == 503)
