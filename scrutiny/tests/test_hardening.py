"""Small guards found by attacking the site: text that reaches a PDF's style sheet
and numbers too large for the database."""

import logging
import re

import pytest

from scrutiny.templatetags.council import css_string

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "hostile",
    [
        'Audit Committee"; } @page { background: url(http://127.0.0.1/probe) }',
        "Audit Committee\r; } } @page { background: url(http://127.0.0.1/probe) }",
        "Audit Committee\f} @import url(x);",
        'Audit \\" Committee\n</style><script>',
    ],
)
def test_text_in_a_css_string_can_never_end_it(hostile):
    quoted = str(css_string(hostile))
    assert quoted.startswith('"') and quoted.endswith('"')
    inside = quoted[1:-1]
    # Nothing that ends a CSS string or rule is left raw: only escapes.
    assert not re.search(r'["\r\n\f{};<>]', inside)
    assert re.sub(r"\\[0-9A-F]+ ", "", inside).count("\\") == 0


def test_numbers_too_large_for_the_database_are_ignored(client, coordinator, committee):
    from scrutiny.testing import client_for

    huge = "9" * 25
    page = client.get(f"/committees/{committee.slug}/decisions/?meeting={huge}")
    assert page.status_code == 200
    log = client_for(coordinator).get(f"/exempt/log/?item={huge}")
    assert log.status_code == 200


def test_ids_that_are_not_numbers_are_not_found_rather_than_failing(coordinator, committee):
    from scrutiny.testing import client_for

    client = client_for(coordinator)
    for field in ("revoke", "approve", "refuse"):
        response = client.post("/exempt/grants/", {field: "abc"})
        assert response.status_code == 404, field
    assert client.post("/exempt/requests/", {"request": "1 OR 1=1"}).status_code == 404


def test_text_with_a_nul_character_is_searched_without_it(client, committee):
    from scrutiny.params import text_param

    assert text_param("crime\x00data") == "crimedata"
    page = client.get(f"/committees/{committee.slug}/decisions/?q=%00crime")
    assert page.status_code == 200


def test_the_favicon_is_found(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_a_refusal_logs_a_line_and_no_traceback(councillor, committee, draft_meeting):

    from scrutiny.logging import RefusalsWithoutTraceback

    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden", None, sys.exc_info()
        )
    record.status_code = 403
    assert RefusalsWithoutTraceback().filter(record)
    assert record.exc_info is None
    fault = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Error", None, None)
    fault.status_code = 500
    fault.exc_info = (ValueError, ValueError("x"), None)
    RefusalsWithoutTraceback().filter(fault)
    assert fault.exc_info is not None


def test_the_sign_in_link_never_nests_the_next_address(client):
    from scrutiny.testing import text_of  # noqa: F401

    page = client.get("/accounts/login/?next=/meetings/").content.decode()
    assert "next=/accounts/login/" not in page
    assert "next=%2Faccounts%2Flogin%2F" not in page
