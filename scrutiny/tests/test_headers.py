"""Security headers: a Content-Security-Policy that runs no inline script, and private,
unindexed responses for anything that depends on who is signed in."""

import pathlib
import re

import pytest
from django.conf import settings
from django.test import Client

from scrutiny.testing import client_for

pytestmark = pytest.mark.django_db


def test_every_page_has_a_policy_that_runs_no_inline_script(committee):
    response = Client().get(committee.get_absolute_url())
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_served_to_a_browser_carries_inline_script():
    """Inline scripts and event handler attributes would be refused by the policy: they
    live in files under static/js instead. (PDF templates are rendered by WeasyPrint.)"""
    offenders = []
    for path in pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if "/pdf/" in path.as_posix():
            continue
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path}: {tag}")
        offenders += [f"{path}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        offenders += [f"{path}: javascript: URL" for _ in re.findall(r"javascript:", text)]
    assert not offenders, "\n".join(offenders)


def test_signed_in_responses_are_private_and_unindexed(councillor, committee):
    response = client_for(councillor).get(committee.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert "Cookie" in response["Vary"]


def test_drafts_reach_coordinators_privately(coordinator, draft_meeting):
    response = client_for(coordinator).get(draft_meeting.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_anonymous_public_pages_may_be_cached(committee):
    response = Client().get(committee.get_absolute_url())
    assert "no-store" not in response.get("Cache-Control", "")
    assert "X-Robots-Tag" not in response
