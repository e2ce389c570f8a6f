"""Faults, against real services this module starts and stops itself: its own
PostgreSQL cluster and Redis server on loopback, the site under gunicorn with
production settings (behind a TLS proxy, as it would be), and a Celery worker.

Each test stops a part the way it fails in life (the database stops, Redis stops, the
worker is killed with SIGKILL in the middle of a pack build) and checks what readers,
co-ordinators and the health endpoint see, and that nothing is lost when it is back.
"""

import http.client
import http.cookies
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from scrutiny.tests.fault_services import OwnPostgres, OwnRedis, free_port, wait_for

pytestmark = [pytest.mark.services, pytest.mark.faults]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SECRET = "fault-tests-" + "k" * 50


class Site:
    """The site under gunicorn, a worker, and a reader's browser (cookies kept by hand:
    the site sets them Secure, as production does behind its TLS proxy)."""

    def __init__(self, env: dict, workdir: Path):
        self.env = env
        self.port = int(env["SCRUTINY_SITE_URL"].rsplit(":", 1)[1])
        self.workdir = workdir
        self.web = None
        self.worker = None

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start_web(self):
        self.web = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "scrutiny.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=2",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.workdir / "gunicorn.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: self._port_open(), what="gunicorn", timeout=60)

    def start_worker(self):
        self.worker = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "celery"),
                "-A",
                "scrutiny",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.workdir / "worker.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: SIGKILL reaches the pool's children
        )

    def kill_worker(self):
        if self.worker and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=30)
        self.worker = None

    def stop(self):
        self.kill_worker()
        if self.web and self.web.poll() is None:
            self.web.terminate()
            self.web.wait(timeout=30)

    def _port_open(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def browser(self) -> "Browser":
        return Browser(self.port)


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None):
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), content.decode("utf-8", "replace")

    def get(self, path: str, follow: bool = True):
        status, headers, text = self.request("GET", path)
        while follow and status in (301, 302, 303):
            path = urllib.parse.urlsplit(headers["Location"]).path or "/"
            status, headers, text = self.request("GET", path)
        return status, headers, text

    def post(self, path: str, data: dict):
        return self.request(
            "POST", path, {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )

    def sign_in(self, username: str, password: str):
        self.get("/accounts/login/")
        status, headers, _ = self.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        assert status == 302, f"sign-in answered {status}"


@pytest.fixture(scope="module")
def parts():
    postgres = OwnPostgres.launch()
    redis = OwnRedis.launch()
    yield postgres, redis
    redis.stop()
    postgres.stop(remove=True)


@pytest.fixture(scope="module")
def site(parts, tmp_path_factory):
    postgres, redis = parts
    workdir = tmp_path_factory.mktemp("site")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SCRUTINY_"))},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SCRUTINY_SITE_URL": f"http://127.0.0.1:{free_port()}",
        "DATABASE_URL": postgres.url,
        "CELERY_BROKER_URL": redis.url,
        "SCRUTINY_CACHE_URL": redis.url.replace("/0", "/1"),
        "SCRUTINY_PRIVATE_STORAGE": str(workdir / "private"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # A task taken by a worker that is killed goes back on the queue this soon.
        "SCRUTINY_TASK_VISIBILITY_TIMEOUT": "5",
        "SCRUTINY_PACK_BUILD_DELAY": "0",
        "SCRUTINY_HEALTH_REPORT_SECONDS": "0",  # each check reads the parts afresh
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    running = Site(env, workdir)
    running.manage("migrate", "--no-input", "-v0")
    running.manage("load_demo", "--with-logins")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        running.manage("collectstatic", "--no-input", "-v0")
    running.start_web()
    # The demo's packs were queued as it loaded: a worker builds them.
    running.start_worker()
    wait_for(
        lambda: (
            sql(postgres, "SELECT count(*) FROM packs_pack WHERE state IN ('queued', 'building')")
            == [(0,)]
        ),
        what="the demo's packs",
        timeout=600,
        every=1,
    )
    running.kill_worker()
    yield running
    running.stop()


def sql(postgres, query: str, *params):
    import psycopg2

    connection = psycopg2.connect(postgres.url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()
    finally:
        connection.close()


def demo_meeting_with_packs(postgres) -> int:
    rows = sql(
        postgres,
        "SELECT meeting_id FROM packs_pack WHERE kind = 'public' AND file <> '' "
        "ORDER BY meeting_id DESC LIMIT 1",
    )
    assert rows, "the demo has no built pack"
    return rows[0][0]


def public_pack(postgres, meeting_id: int) -> dict:
    (row,) = sql(
        postgres,
        "SELECT state, file, built_at FROM packs_pack WHERE meeting_id = %s AND kind = 'public'",
        meeting_id,
    )
    return {"state": row[0], "file": row[1], "built_at": row[2]}


def health(browser) -> tuple[int, dict]:
    status, _, text = browser.get("/healthz")
    return status, json.loads(text)


def test_with_the_database_stopped_pages_say_503_and_health_says_which_part(site, parts):
    postgres, _ = parts
    reader = site.browser()
    meeting_id = demo_meeting_with_packs(postgres)
    status, report = health(reader)
    assert status == 200 and report["status"] == "ok", report
    assert {name: part["status"] for name, part in report["parts"].items()} == {
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
        "storage": "ok",
    }
    status, _, shown = reader.get(f"/meetings/{meeting_id}/")
    assert status == 200

    postgres.stop()
    try:
        reader.get("/accounts/login/")  # a page that reads nothing from the database
        # A public page kept in the shared cache is still served, and so is one made
        # from data kept since the last change (scrutiny.fragments.kept); the rest say 503.
        status, _, kept = reader.get(f"/meetings/{meeting_id}/")
        assert status == 200 and kept == shown
        status, _, rendered = reader.get(f"/meetings/{meeting_id}/?from=outage")
        assert status == 200 and 'id="agenda-heading"' in rendered
        answers = [
            reader.get(path)
            for path in (
                "/meetings/",
                "/feeds/updates.rss",
                "/search/?q=x",
            )
        ]
        answers.append(reader.post("/accounts/login/", {"username": "x", "password": "y" * 12}))
        for status, headers, text in answers:
            assert status == 503, (status, text[:300])
            assert "Sorry, the service is unavailable" in text
            assert headers.get("Retry-After") == "30"
            for leak in ("Traceback", "psycopg", "OperationalError", "5432", postgres.url):
                assert leak not in text
        status, report = health(reader)
        assert status == 503
        assert report["status"] == "down"
        assert report["parts"]["database"] == {
            "status": "down",
            "error": report["parts"]["database"]["error"],
            "ms": report["parts"]["database"]["ms"],
        }
        assert "127.0.0.1" not in json.dumps(report)
        assert report["parts"]["broker"]["status"] == "ok"
        assert report["parts"]["storage"]["status"] == "ok"
    finally:
        postgres.start()
    # Each web process drops its broken connection and opens a new one.
    wait_for(lambda: reader.get(f"/meetings/{meeting_id}/")[0] == 200, what="the page again")
    assert health(reader)[1]["status"] == "ok"


def test_with_redis_stopped_pages_work_and_a_build_waits_until_it_is_back(site, parts):
    postgres, redis = parts
    meeting_id = demo_meeting_with_packs(postgres)
    before = public_pack(postgres, meeting_id)
    coordinator = site.browser()
    coordinator.sign_in("coordinator", "scrutiny-demo-2026")
    reader = site.browser()

    redis.stop()
    try:
        assert reader.get(f"/meetings/{meeting_id}/")[0] == 200
        status, _, pdf = reader.get(f"/meetings/{meeting_id}/packs/public.pdf")
        assert status == 200 and pdf.startswith("%PDF")
        status, report = health(reader)
        assert status == 200 and report["status"] == "degraded"
        assert report["parts"]["database"]["status"] == "ok"
        assert report["parts"]["broker"]["status"] == "down"
        assert report["parts"]["cache"]["status"] == "down"

        status, headers, _ = coordinator.post(f"/meetings/{meeting_id}/packs/rebuild/", {})
        assert status == 302
        status, _, page = coordinator.get(f"/meetings/{meeting_id}/")
        assert status == 200
        assert "The task queue cannot be reached just now, so 1 background job" in page
        assert "building the agenda packs" in page
        assert "The agenda packs are being rebuilt." not in page
        assert "The build is waiting" in page
        kept = sql(postgres, "SELECT task_name, args FROM scrutiny_undeliveredtask")
        assert [name for name, _ in kept] == ["packs.tasks.build_meeting_packs"]
        assert kept[0][1][0] == meeting_id
        # Readers keep the last good pack meanwhile.
        assert reader.get(f"/meetings/{meeting_id}/packs/public.pdf")[0] == 200
    finally:
        redis.start()

    site.start_worker()
    try:
        wait_for(
            lambda: (
                public_pack(postgres, meeting_id)["built_at"] > before["built_at"]
                and public_pack(postgres, meeting_id)["state"] == "ready"
            ),
            what="the waiting build",
            timeout=180,
        )
        assert sql(postgres, "SELECT count(*) FROM scrutiny_undeliveredtask") == [(0,)]
        status, _, page = coordinator.get(f"/meetings/{meeting_id}/")
        assert "The build is waiting" not in page
    finally:
        site.kill_worker()


def test_a_worker_killed_mid_build_leaves_the_good_pack_and_the_next_run_completes(site, parts):
    postgres, _ = parts
    meeting_id = demo_meeting_with_packs(postgres)
    reader = site.browser()
    before = public_pack(postgres, meeting_id)
    good = reader.get(f"/meetings/{meeting_id}/packs/public.pdf")[2]
    coordinator = site.browser()
    coordinator.sign_in("coordinator", "scrutiny-demo-2026")

    site.start_worker()
    coordinator.post(f"/meetings/{meeting_id}/packs/rebuild/", {})
    wait_for(
        lambda: public_pack(postgres, meeting_id)["state"] == "building",
        what="the build to start",
        timeout=120,
        every=0.02,
    )
    site.kill_worker()  # SIGKILL, the pool's child included, mid-render

    after_kill = public_pack(postgres, meeting_id)
    assert after_kill["file"] == before["file"]  # no half-written file replaced it
    assert after_kill["state"] == "building"
    status, _, served = reader.get(f"/meetings/{meeting_id}/packs/public.pdf")
    assert status == 200 and served == good

    site.start_worker()  # the task was never acknowledged: Redis hands it out again
    try:
        wait_for(
            lambda: public_pack(postgres, meeting_id)["state"] == "ready",
            what="the build after the kill",
            timeout=180,
        )
        rebuilt = public_pack(postgres, meeting_id)
        assert rebuilt["built_at"] > before["built_at"]
        assert rebuilt["file"] != before["file"]
        status, _, served = reader.get(f"/meetings/{meeting_id}/packs/public.pdf")
        assert status == 200 and served.startswith("%PDF")
        log = (site.workdir / "worker.log").read_text(errors="replace")
        assert re.search(r"build_meeting_packs\[[^\]]+\] succeeded", log)
    finally:
        site.kill_worker()
