"""Start-up configuration: bad settings stop start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 30 + "-production-secret-for-the-check-only-1234",
    "DJANGO_ALLOWED_HOSTS": "committees.example.gov.uk",
    "SCRUTINY_SITE_URL": "https://committees.example.gov.uk",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("CELERY_BROKER_URL", None)
    clean["SCRUTINY_VAR_DIR"] = env.pop("var_dir")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def var_dir(tmp_path):
    return str(tmp_path)


def assert_one_line_error(result, *fragments):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Scrutiny configuration error:")
    for fragment in fragments:
        assert fragment in lines[0]


def test_production_without_secret_key_refuses_to_start(var_dir):
    env = {**PRODUCTION}
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", var_dir=var_dir, **env)
    assert_one_line_error(result, "DJANGO_SECRET_KEY is not set")


def test_production_needs_the_sites_address_for_links_in_e_mails(var_dir):
    env = {**PRODUCTION}
    del env["SCRUTINY_SITE_URL"]
    assert_one_line_error(manage("check", var_dir=var_dir, **env), "SCRUTINY_SITE_URL is not set")
    env["SCRUTINY_SITE_URL"] = "committees.example.gov.uk"
    assert_one_line_error(
        manage("check", var_dir=var_dir, **env), "SCRUTINY_SITE_URL must be an http"
    )


def test_production_with_a_short_secret_key_refuses_to_start(var_dir):
    result = manage("check", var_dir=var_dir, **{**PRODUCTION, "DJANGO_SECRET_KEY": "short"})
    assert_one_line_error(result, "DJANGO_SECRET_KEY is too short")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root@localhost/db", "must start with postgres://"),
        ("not a url at all", "no scheme"),
        ("postgres://postgres@127.0.0.1:5432", "names no database"),
        ("postgres://postgres@127.0.0.1:notaport/scrutiny", "malformed"),
    ],
)
def test_malformed_database_url_stops_start_up(var_dir, url, fragment):
    result = manage("check", var_dir=var_dir, DJANGO_DEBUG="true", DATABASE_URL=url)
    assert_one_line_error(result, "DATABASE_URL", fragment)


def test_bad_boolean_stops_start_up(var_dir):
    result = manage("check", var_dir=var_dir, DJANGO_DEBUG="maybe")
    assert_one_line_error(result, "DJANGO_DEBUG must be true or false")


def test_bad_broker_url_stops_start_up(var_dir):
    result = manage("check", var_dir=var_dir, DJANGO_DEBUG="true", CELERY_BROKER_URL="http://x")
    assert_one_line_error(result, "CELERY_BROKER_URL")


def test_production_settings_pass_the_deployment_check(var_dir):
    result = manage("check", "--deploy", "--fail-level", "WARNING", var_dir=var_dir, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_needs_no_configuration(var_dir):
    result = manage("migrate", "--no-input", var_dir=var_dir, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert (Path(var_dir) / "scrutiny.sqlite3").exists()


@pytest.mark.parametrize(("broker", "eager"), [("", "True"), ("redis://127.0.0.1:6379/0", "False")])
def test_tasks_run_in_process_only_without_a_broker(var_dir, broker, eager):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
        var_dir=var_dir,
        DJANGO_DEBUG="true",
        CELERY_BROKER_URL=broker,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == eager


def test_bad_cache_url_stops_start_up(var_dir):
    result = manage(
        "check", var_dir=var_dir, DJANGO_DEBUG="true", SCRUTINY_CACHE_URL="memcache://x"
    )
    assert_one_line_error(result, "SCRUTINY_CACHE_URL")


def test_a_page_cache_needs_a_shared_cache_and_a_short_life(var_dir):
    result = manage("check", var_dir=var_dir, DJANGO_DEBUG="true", SCRUTINY_PAGE_CACHE_SECONDS="60")
    assert_one_line_error(result, "SCRUTINY_PAGE_CACHE_SECONDS needs SCRUTINY_CACHE_URL")
    result = manage(
        "check",
        var_dir=var_dir,
        DJANGO_DEBUG="true",
        SCRUTINY_CACHE_URL="redis://127.0.0.1:6379/1",
        SCRUTINY_PAGE_CACHE_SECONDS="3600",
    )
    assert_one_line_error(result, "between 0 and 300")
