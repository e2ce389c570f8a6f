"""Pages of the core app, per role, with fixed query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import MeetingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_url(committee):
    return reverse("committee_detail", kwargs={"slug": committee.slug})


def test_home_lists_committees_with_next_public_meeting(anon_client, committee, make_meeting):
    meeting = make_meeting(committee=committee, starts_at=timezone.now() + datetime.timedelta(7))
    response = anon_client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert committee.name in page
    assert reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk}) in page
    assert "<title>Committees - " in page


def test_home_does_not_reveal_a_draft_meeting_to_the_public(anon_client, committee, make_meeting):
    draft = make_meeting(committee=committee, status=MeetingStatus.DRAFT)
    page = anon_client.get(reverse("home")).content.decode()
    assert reverse("meetings:meeting_detail", kwargs={"pk": draft.pk}) not in page
    assert "No meeting is scheduled." in page


def test_committee_page_lists_members_by_role_and_meetings(
    anon_client, committee, committee_url, make_person, make_membership, make_meeting
):
    from scrutiny.models import MembershipRole

    make_membership(
        committee=committee,
        person=make_person(surname="Zed", forenames="A"),
        role=MembershipRole.MEMBER,
    )
    make_membership(
        committee=committee,
        person=make_person(surname="Wells", forenames="R J"),
        role=MembershipRole.CHAIR,
    )
    past = make_meeting(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=40),
        status=MeetingStatus.HELD,
    )
    upcoming = make_meeting(committee=committee)
    page = anon_client.get(committee_url).content.decode()
    assert page.index("Councillor R J Wells") < page.index("Councillor A Zed")
    assert "Chairman" in page
    upcoming_section = page[page.index("Upcoming meetings") : page.index("Past meetings")]
    assert upcoming.get_absolute_url() in upcoming_section
    assert past.get_absolute_url() in page[page.index("Past meetings") :]


def test_committee_page_hides_former_members(
    anon_client, committee, committee_url, make_person, make_membership
):
    make_membership(
        committee=committee,
        person=make_person(surname="Shippam", forenames="C J"),
        start_date=datetime.date(2015, 5, 1),
        end_date=datetime.date(2017, 5, 1),
    )
    assert "Shippam" not in anon_client.get(committee_url).content.decode()


@pytest.mark.parametrize(
    ("client_fixture", "sees_draft"),
    [
        ("anon_client", False),
        ("councillor_client", False),
        ("member_client", False),
        ("officer_client", False),
        ("coordinator_client", True),
    ],
)
def test_committee_page_shows_draft_meetings_only_to_its_coordinator(
    request, client_fixture, sees_draft, committee, committee_url, make_meeting
):
    client = request.getfixturevalue(client_fixture)
    draft = make_meeting(committee=committee, status=MeetingStatus.DRAFT)
    page = client.get(committee_url).content.decode()
    assert (draft.get_absolute_url() in page) is sees_draft


def test_unknown_committee_is_404(anon_client):
    response = anon_client.get(reverse("committee_detail", kwargs={"slug": "no-such"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_committee_page_query_count_does_not_grow_with_members_or_meetings(
    member_client,
    committee,
    committee_url,
    make_membership,
    make_meeting,
    django_assert_max_num_queries,
):
    for _ in range(3):
        make_membership(committee=committee)
        make_meeting(committee=committee)
        make_meeting(committee=committee, starts_at=timezone.now() - datetime.timedelta(400))
    with django_assert_max_num_queries(10) as few:
        member_client.get(committee_url)
    for _ in range(30):
        make_membership(committee=committee)
        make_meeting(committee=committee)
        make_meeting(committee=committee, starts_at=timezone.now() - datetime.timedelta(400))
    with django_assert_max_num_queries(len(few.captured_queries)):
        member_client.get(committee_url)


def test_home_query_count_does_not_grow_with_committees(
    anon_client, make_committee, make_meeting, django_assert_max_num_queries
):
    make_meeting(committee=make_committee())
    with django_assert_max_num_queries(5) as few:
        anon_client.get(reverse("home"))
    for _ in range(20):
        make_meeting(committee=make_committee())
    with django_assert_max_num_queries(len(few.captured_queries)):
        anon_client.get(reverse("home"))


def test_login_with_blank_form_shows_gds_error_summary(anon_client):
    response = anon_client.post(reverse("login"), {"username": "", "password": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in - " in page
    assert "There is a problem" in page
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page
    assert page.index("There is a problem") < page.index("<h1>")
    assert "asteriskField" not in page  # GDS: no asterisks on required fields


def test_login_with_wrong_password_says_what_to_do(anon_client, member):
    response = anon_client.post(
        reverse("login"), {"username": "member", "password": "not-the-password"}
    )
    assert "Enter a correct username and password" in response.content.decode()


def test_login_then_logout(anon_client, member):
    response = anon_client.post(
        reverse("login"), {"username": "member", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert "Signed in as member" in anon_client.get(reverse("home")).content.decode()
    anon_client.post(reverse("logout"))
    assert "Sign in" in anon_client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("address", ["logout", "logout_everywhere"])
def test_signing_out_clears_what_the_browser_kept(member_client, address):
    # Minute text kept as it was typed (autosave.js) must not outlive the session on a
    # shared computer: the browser is asked to clear its storage, and the page after
    # says the user signed out, where sign-out.js clears it if the browser did not.
    response = member_client.post(reverse(address))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'
    signed_out = member_client.get(response["Location"])
    assert not signed_out.wsgi_request.user.is_authenticated
    assert "data-signed-out" in signed_out.content.decode()
    assert "data-signed-out" not in member_client.get(reverse("home")).content.decode()


def test_password_reset_sends_a_link_by_email(anon_client, member, mailoutbox):
    member.email = "member@example.gov.uk"
    member.save()
    response = anon_client.post(reverse("password_reset"), {"email": "member@example.gov.uk"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body
    assert mailoutbox[0].to == ["member@example.gov.uk"]


def test_password_reset_with_bad_email_shows_error(anon_client):
    response = anon_client.post(reverse("password_reset"), {"email": "not-an-email"})
    assert "Enter an email address in the correct format" in response.content.decode()


def test_pages_have_skip_link_landmarks_and_language(anon_client, committee_url):
    for url in (reverse("home"), committee_url, reverse("login"), reverse("accessibility")):
        page = anon_client.get(url).content.decode()
        assert '<html lang="en-GB">' in page
        assert 'href="#main-content"' in page
        assert '<main id="main-content"' in page


def test_uploaded_files_are_never_served_from_a_public_url(anon_client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("papers/exempt-appendix.pdf", ContentFile(b"%PDF-1.7 secret"))
    with pytest.raises(NotImplementedError, match="no public URL"):
        default_storage.url(name)
    for prefix in ("/media/", "/", "/static/", "/files/"):
        response = anon_client.get(prefix + name)
        assert response.status_code == 404
        assert b"secret" not in response.content


def test_past_meetings_are_paged_most_recent_first(
    anon_client, committee, committee_url, make_meeting
):
    now = timezone.now()
    meetings = [
        make_meeting(
            committee=committee,
            starts_at=now - datetime.timedelta(days=30 * n),
            status=MeetingStatus.HELD,
        )
        for n in range(1, 15)
    ]
    first_page = anon_client.get(committee_url).content.decode()
    assert meetings[0].get_absolute_url() in first_page
    assert meetings[13].get_absolute_url() not in first_page
    assert "Showing meetings 1 to 12 of 14" in first_page
    second_page = anon_client.get(committee_url + "?page=2").content.decode()
    assert meetings[13].get_absolute_url() in second_page
    assert meetings[0].get_absolute_url() not in second_page


def test_sign_in_is_refused_after_repeated_failures(client, member):
    from scrutiny.testing import text_of

    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "member", "password": "wrong"})
        assert "Enter a correct username and password" in text_of(response)
    # The fifth failure locks the username (django-axes answers 429 Too Many Requests).
    response = client.post("/accounts/login/", {"username": "member", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(
        "/accounts/login/", {"username": "member", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "You cannot sign in for 15 minutes" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_sign_out_everywhere_ends_every_session(member):
    from django.http import HttpRequest
    from django.test import Client

    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        # django-axes checks every authenticate() call, which needs the request.
        assert device.login(
            request=HttpRequest(), username="member", password="correct-horse-battery"
        )
    assert phone.get("/").wsgi_request.user.is_authenticated
    laptop.post("/accounts/logout-everywhere/")
    assert not phone.get("/").wsgi_request.user.is_authenticated
    assert not laptop.get("/").wsgi_request.user.is_authenticated
