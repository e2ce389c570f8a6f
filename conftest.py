"""Test-wide settings overrides, role fixtures and factory fixtures."""

import datetime
import itertools
import os

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from scrutiny.access import Role

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str):
    """Outside CI a missing service or browser skips; in CI it fails the run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Re-create the role groups, which a transactional test's flush removes."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.contrib.auth.models import Permission

    from scrutiny.roles import ensure_roles

    ensure_roles(Group, Permission)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    from scrutiny.testing import SITE_URL

    cache.clear()  # sign-in throttling counts live in the cache
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SCRUTINY_SITE_URL = SITE_URL  # so that tests can tell an absolute link
    settings.STORAGES = {
        "default": {
            "BACKEND": "scrutiny.storage.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- factories ----------------------------------------------------------------

_sequence = itertools.count(1)


@pytest.fixture
def make_user(django_user_model):
    def make(*, role: str | None = None, username: str | None = None, **fields):
        user = django_user_model.objects.create_user(
            username=username or f"user{next(_sequence)}",
            password="correct-horse-battery",
            **fields,
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def make_committee():
    from scrutiny.models import Committee

    def make(**fields):
        number = next(_sequence)
        fields.setdefault("name", f"Test Committee {number}")
        fields.setdefault("slug", f"test-committee-{number}")
        return Committee.objects.create(**fields)

    return make


@pytest.fixture
def make_person():
    from scrutiny.models import Person, PersonKind

    def make(**fields):
        fields.setdefault("kind", PersonKind.COUNCILLOR)
        fields.setdefault("forenames", "A B")
        fields.setdefault("surname", f"Person{next(_sequence)}")
        return Person.objects.create(**fields)

    return make


@pytest.fixture
def make_membership(make_person):
    from scrutiny.models import MembershipRole
    from scrutiny.services import membership_create

    def make(*, committee, person=None, role=MembershipRole.MEMBER, **fields):
        fields.setdefault("start_date", timezone.localdate() - datetime.timedelta(days=30))
        return membership_create(
            committee=committee, person=person or make_person(), role=role, **fields
        )

    return make


@pytest.fixture
def make_meeting():
    from meetings.models import Meeting, MeetingStatus

    def make(*, committee, status=MeetingStatus.AGENDA_PUBLISHED, **fields):
        fields.setdefault(
            "starts_at", timezone.now() + datetime.timedelta(days=next(_sequence) + 10)
        )
        fields.setdefault("venue", "Council Chamber")
        if status != MeetingStatus.DRAFT:
            fields.setdefault("published_at", timezone.now())
        return Meeting.objects.create(committee=committee, status=status, **fields)

    return make


@pytest.fixture
def draft_meeting(committee):
    """A draft meeting on Wednesday 20 February 2030, 7 pm, with the standard items."""
    import zoneinfo

    from meetings.services import meeting_create

    return meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        venue="Council Chamber",
    )


@pytest.fixture
def demo_data(settings):
    """The demo committee from the seed papers, with its logins."""
    import io

    from django.core.management import call_command

    settings.DEBUG = True  # demo logins are created only in development
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


# --- the committee and one user per role ------------------------------------


@pytest.fixture
def committee(make_committee):
    return make_committee(name="Crime and Disorder Committee", slug="crime-and-disorder")


@pytest.fixture
def coordinator(make_user, committee):
    user = make_user(role=Role.COORDINATOR, username="coordinator", is_staff=True)
    committee.coordinators.add(user)
    return user


@pytest.fixture
def member(make_user, make_person, make_membership, committee):
    """A councillor sitting on the committee."""
    user = make_user(role=Role.MEMBER, username="member")
    make_membership(committee=committee, person=make_person(user=user))
    return user


@pytest.fixture
def councillor(make_user, make_person):
    """A councillor who sits on no committee: a public member of the council."""
    user = make_user(role=Role.MEMBER, username="councillor")
    make_person(user=user)
    return user


@pytest.fixture
def officer(make_user, make_person):
    from scrutiny.models import PersonKind

    user = make_user(role=Role.OFFICER, username="officer")
    make_person(user=user, kind=PersonKind.OFFICER, job_title="Community Safety Manager")
    return user


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def anon_client(client):
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    return _client_for(client, coordinator)


@pytest.fixture
def member_client(client, member):
    return _client_for(client, member)


@pytest.fixture
def councillor_client(client, councillor):
    return _client_for(client, councillor)


@pytest.fixture
def officer_client(client, officer):
    return _client_for(client, officer)


@pytest.fixture
def verified_client_for():
    """verified_client_for(user) -> a new Client signed in as the user, its session
    verified by the user's authenticator app (one is set up if the user has none), as
    after the code step of sign-in. The admin needs this."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def make(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app")
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


# --- browser tests: Playwright on Debian's Chromium, checked with axe-core ----

CHROMIUM = "/usr/bin/chromium"
AXE_SCRIPT = os.path.join(os.path.dirname(__file__), "node_modules", "axe-core", "axe.min.js")

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run under a running loop unless told this thread is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe_check():
    """Run axe-core on the page; fail on any serious or critical violation."""
    if not os.path.exists(AXE_SCRIPT):
        skip_or_fail("axe-core is not installed (npm ci)")

    def check(page):
        # Evaluated through the browser's debugging protocol, which the pages'
        # Content-Security-Policy (no inline scripts) does not govern.
        with open(AXE_SCRIPT, encoding="utf-8") as handle:
            page.evaluate(f"() => {{ {handle.read()}\n }}")
        results = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
        )
        serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in serious
        )
        assert not serious, f"axe found violations on {page.url}:\n{details}"
        return results

    return check


@pytest.fixture
def login_page(page, live_server):
    """Sign a page in through the real login form."""

    def login(username: str, password: str = "correct-horse-battery"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return login


# --- papers ---------------------------------------------------------------------


@pytest.fixture
def make_item():
    from meetings.services import agenda_item_add

    def make(*, meeting, title="Community Safety Performance Report", **fields):
        return agenda_item_add(meeting=meeting, title=title, **fields)

    return make


@pytest.fixture
def make_exempt_item(committee):
    """An exempt item on a meeting of the committee, its agenda published unless told
    otherwise (publish=False leaves the meeting a draft)."""
    from meetings.services import agenda_item_add, agenda_publish, meeting_create

    def make(*, title, full_title, days_ahead=20, publish=True, paragraph=7):
        meeting = meeting_create(
            committee=committee,
            starts_at=timezone.now() + datetime.timedelta(days=days_ahead),
            venue="Council Chamber",
        )
        item = agenda_item_add(
            meeting=meeting,
            title=title,
            full_title=full_title,
            exempt_paragraph=paragraph,
            exempt_reason="Information relating to crime prevention",
        )
        if publish:
            agenda_publish(meeting=meeting)
        item.refresh_from_db()
        return item

    return make


@pytest.fixture
def make_document(coordinator):
    """An uploaded PDF on an item, by the co-ordinator unless told otherwise."""
    from papers.services import document_upload
    from scrutiny.testing import pdf_bytes, upload

    def make(*, item, title="Appendix A", pages=2, user=None, **fields):
        return document_upload(
            item=item,
            title=title,
            uploaded_file=upload(pdf_bytes(pages)),
            user=user or coordinator,
            **fields,
        )

    return make


REPORT_CONTENT = {
    "summary": "To note the Quarterly Performance Report.",
    "recommendations": "That the Committee notes the report.\nThat officers report back.",
    "background": "First paragraph.\n\nSecond paragraph.",
    "corporate_plan": "Safer Communities.",
    "implications": {"risk": "Any reduction in service would harm the Borough."},
    "confidence": "",
    "appendices": "Appendix A - Performance Report (exempt)",
    "background_papers": [],
}


@pytest.fixture
def report_content():
    import copy

    return copy.deepcopy(REPORT_CONTENT)


@pytest.fixture
def submit_written_report(officer, coordinator, report_content):
    """Factory: the officer asked for an item's report writes it in the browser and
    submits it; returns the request, waiting to be accepted."""
    from papers.services import report_request_create, report_request_submit, report_write

    def submit(item):
        request = report_request_create(item=item, officer=officer, requested_by=coordinator)
        document = report_write(
            item=item,
            title="D-TAC Progress Report",
            content=report_content,
            user=officer,
            is_draft=True,
        )
        return report_request_submit(request=request, document=document)

    return submit


# --- minutes ---------------------------------------------------------------------


@pytest.fixture
def held_meeting(committee):
    """A meeting held a week ago, its agenda published, its minutes published with a
    resolution asking for a topic (minute of "Performance"), and an exempt item whose
    exempt minute's resolution asks for another."""
    from meetings.services import agenda_item_add, agenda_publish, meeting_create
    from minutes.services import (
        ResolutionInput,
        minute_save,
        minutes_advance,
        minutes_prefill,
        minutes_update,
    )

    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Performance")
    agenda_item_add(
        meeting=meeting,
        title="Closed business",
        full_title="Operation Nightjar",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting)
    minute_save(
        minute=minutes.entries.get(title="Performance"),
        user=None,
        based_on=1,
        title="Performance",
        text="Members discussed crime recording.",
        resolutions=[
            ResolutionInput("That the report be noted."),
            ResolutionInput(
                "That a presentation by a crime data expert be added to the Work Plan."
            ),
        ],
    )
    minute_save(
        minute=minutes.entries.get(item__title="Closed business"),
        user=None,
        based_on=1,
        title="Operation Nightjar",
        text="",
        resolutions=[ResolutionInput("That Operation Nightjar's informant be invited back.")],
        is_exempt=True,
        public_summary="A confidential matter was discussed.",
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    return meeting
