"""Private notes: written on an item (or one of its papers) the author may read, read by
their author alone, kept but hidden while the author may not read the item, exported,
and deleted with the account."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from notes.models import Note
from notes.selectors import note_get, notes_for_item, notes_for_meeting, notes_of
from notes.services import note_add, note_delete, note_update
from scrutiny import access
from scrutiny.models import Membership
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db

SECRET = "Operation Nightjar"


@pytest.fixture
def public_item(committee):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title="Community Safety Performance Report")
    agenda_publish(meeting=meeting)
    item.refresh_from_db()
    return item


@pytest.fixture
def exempt_item(make_exempt_item):
    return make_exempt_item(title="Closed business", full_title=SECRET)


def _fresh(user):
    """The user as the next request sees them: entitlement caches are per request."""
    access.forget(user)
    return type(user).objects.get(pk=user.pk)


def test_a_note_is_its_authors_alone(public_item, member, councillor, coordinator):
    note = note_add(user=member, item=public_item, text="  Ask about the 2017 figures  ")
    assert note.text == "Ask about the 2017 figures"
    assert notes_for_item(user=member, item=public_item) == [note]
    for other in (councillor, coordinator):
        assert notes_for_item(user=other, item=public_item) == []
        assert notes_for_meeting(user=other, meeting=public_item.meeting) == []
        with pytest.raises(Note.DoesNotExist):
            note_get(user=other, pk=note.pk)
        with pytest.raises(PermissionDenied):
            note_update(note=note, user=other, text="Mine now", based_on=note.version)
        with pytest.raises(PermissionDenied):
            note_delete(note=note, user=other, based_on=note.version)
    assert Note.objects.get().text == "Ask about the 2017 figures"


def test_a_note_on_an_exempt_item_needs_the_entitlement_and_hides_while_it_is_lost(
    exempt_item, member, councillor
):
    with pytest.raises(PermissionDenied):
        note_add(user=councillor, item=exempt_item, text="Curious")
    note = note_add(user=member, item=exempt_item, text="Ask who the informant is")
    # The member leaves the committee: the note is kept, but not shown.
    Membership.objects.filter(person__user=member).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1),
        start_date=timezone.localdate() - datetime.timedelta(days=400),
    )
    member = _fresh(member)
    assert notes_for_item(user=member, item=exempt_item) == []
    assert notes_of(user=member) == ([], 1)
    with pytest.raises(Note.DoesNotExist):
        note_get(user=member, pk=note.pk)
    with pytest.raises(PermissionDenied):
        note_update(note=note, user=member, text="x", based_on=note.version)
    assert Note.objects.filter(pk=note.pk).exists()
    # Entitlement returns, and the note with it.
    Membership.objects.filter(person__user=member).update(end_date=None)
    member = _fresh(member)
    assert notes_for_item(user=member, item=exempt_item) == [note]


def test_bad_notes_are_refused(public_item, member, make_document, committee, make_item):
    with pytest.raises(ValidationError) as error:
        note_add(user=member, item=public_item, text="   ")
    assert error.value.message_dict["text"] == ["Enter the note"]
    with pytest.raises(ValidationError):
        note_add(user=member, item=public_item, text="x" * 10_001)
    other_item = make_item(meeting=public_item.meeting, title="Budget")
    paper = make_document(item=other_item)
    with pytest.raises(ValidationError) as error:
        note_add(user=member, item=public_item, text="On the wrong paper", document=paper)
    assert "paper of this item" in error.value.message_dict["document"][0]


def test_a_note_changed_on_another_device_is_not_overwritten(public_item, member):
    note = note_add(user=member, item=public_item, text="First thoughts")
    note_update(note=note, user=member, text="From the tablet", based_on=1)
    with pytest.raises(ValidationError, match="changed elsewhere"):
        note_update(note=note, user=member, text="From the laptop", based_on=1)
    assert Note.objects.get().text == "From the tablet"


def test_line_breaks_count_once_as_the_browser_counts_them(public_item, member):
    text = "\r\n".join(["x" * 99] * 100)  # 10,000 characters to the browser
    note = note_add(user=member, item=public_item, text=text)
    assert len(text) > 10_000 and len(note.text) == 9_999 and "\r" not in note.text


def test_a_note_typed_as_the_session_ran_out_leads_back_to_its_item(client, public_item, member):
    url = reverse(
        "notes:note_add", kwargs={"meeting_pk": public_item.meeting_id, "pk": public_item.pk}
    )
    response = client.post(url, {"text": "Lost?"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(member)
    response = client.get(url)  # where signing in sends them
    assert response.status_code == 302 and response["Location"].endswith("#notes")


def test_reading_notes_on_exempt_items_is_logged(client, exempt_item, member):
    from exempt.models import AccessLog

    note_add(user=member, item=exempt_item, text="On the closed item")
    client.force_login(member)
    client.get(reverse("notes:note_list"))
    client.get(reverse("notes:note_export"))
    pages = list(AccessLog.objects.filter(item=exempt_item).values_list("what", flat=True))
    assert any(what.startswith("notes:") for what in pages)
    assert any(what.startswith("notes export:") for what in pages)


def test_notes_are_deleted_with_the_account(public_item, member):
    note_add(user=member, item=public_item, text="Mine")
    member.delete()
    assert not Note.objects.exists()


def test_the_item_page_offers_notes_to_readers_in_full_only(
    client, public_item, exempt_item, member, councillor
):
    item_url = reverse(
        "meetings:item_detail",
        kwargs={"meeting_pk": public_item.meeting_id, "pk": public_item.pk},
    )
    assert "Your private notes" not in text_of(client.get(item_url))
    client.force_login(member)
    response = client.post(
        reverse(
            "notes:note_add",
            kwargs={"meeting_pk": public_item.meeting_id, "pk": public_item.pk},
        ),
        {"text": "Ask about the 2017 figures"},
        follow=True,
    )
    page = text_of(response)
    assert "Your note is saved. Only you can read it." in page
    assert "Ask about the 2017 figures" in page
    meeting_page = text_of(client.get(public_item.meeting.get_absolute_url()))
    assert "Your private notes on this meeting" in meeting_page
    assert "Ask about the 2017 figures" in meeting_page
    # An empty note: the error, and nothing saved.
    response = client.post(
        reverse(
            "notes:note_add",
            kwargs={"meeting_pk": public_item.meeting_id, "pk": public_item.pk},
        ),
        {"text": ""},
    )
    assert "Enter the note" in text_of(response) and Note.objects.count() == 1
    # A councillor not entitled to the exempt item finds nothing to write on.
    client.force_login(councillor)
    exempt_add = reverse(
        "notes:note_add", kwargs={"meeting_pk": exempt_item.meeting_id, "pk": exempt_item.pk}
    )
    assert client.post(exempt_add, {"text": "Curious"}).status_code == 404
    assert "Ask about the 2017 figures" not in text_of(client.get(item_url))
    assert "Ask about" not in text_of(client.get(public_item.meeting.get_absolute_url()))
    assert Note.objects.count() == 1


def test_only_the_author_opens_a_notes_pages(client, public_item, member, councillor):
    note = note_add(user=member, item=public_item, text="Mine")
    for name in ("notes:note_edit", "notes:note_delete"):
        url = reverse(name, kwargs={"pk": note.pk})
        assert client.get(url).status_code == 302  # to sign in
        client.force_login(councillor)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Yours", "version": 1}).status_code == 404
        client.logout()
    assert Note.objects.get().text == "Mine"
    client.force_login(member)
    edit = reverse("notes:note_edit", kwargs={"pk": note.pk})
    response = client.post(edit, {"text": "Mine, changed", "version": 1})
    assert response.status_code == 302
    response = client.post(edit, {"text": "Stale words", "version": 1})
    page = text_of(response)
    assert "changed elsewhere" in page and "The note as it is now" in page
    assert "Mine, changed" in page and "Stale words" in page
    delete = reverse("notes:note_delete", kwargs={"pk": note.pk})
    # A delete form read before the last change deletes nothing unseen.
    response = client.post(delete, {"version": 1})
    assert "changed elsewhere" in text_of(response) and Note.objects.exists()
    assert 'value="2"' in response.content.decode()
    response = client.post(delete, {"version": 2})
    assert response.status_code == 302 and not Note.objects.exists()


def test_the_export_has_the_notes_the_author_may_read_as_safe_csv(
    client, public_item, exempt_item, member, councillor
):
    note_add(user=member, item=public_item, text='=HYPERLINK("http://evil")')
    note_add(user=member, item=exempt_item, text="On the closed item")
    note_add(user=councillor, item=public_item, text="The councillor's own")
    client.force_login(member)
    response = client.get(reverse("notes:note_export"))
    assert response["Content-Disposition"].startswith('attachment; filename="my-notes-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Committee", "Meeting", "Item", "Paper", "Note"]
    notes = {row[4]: row[2] for row in rows[1:]}
    assert notes == {
        '\'=HYPERLINK("http://evil")': "Community Safety Performance Report",
        "On the closed item": SECRET,
    }
    client.force_login(councillor)
    rows = list(csv.reader(io.StringIO(client.get(reverse("notes:note_export")).content.decode())))
    assert [row[4] for row in rows[1:]] == ["The councillor's own"]
    listing = text_of(client.get(reverse("notes:note_list")))
    assert "The councillor's own" in listing and SECRET not in listing


def test_the_meeting_page_lists_notes_in_a_fixed_number_of_queries(
    client, public_item, member, make_item, django_assert_max_num_queries
):
    client.force_login(member)
    note_add(user=member, item=public_item, text="One")
    url = public_item.meeting.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured.captured_queries)
    for number in range(5):
        item = make_item(meeting=public_item.meeting, title=f"Item {number}")
        note_add(user=member, item=item, text=f"Note {number}")
    with django_assert_max_num_queries(few + 1):
        assert "Note 4" in text_of(client.get(url))


def test_the_notes_list_pages_by_fifty_in_a_fixed_number_of_queries(
    client, public_item, member, django_assert_max_num_queries
):
    client.force_login(member)
    note_add(user=member, item=public_item, text="Note 0")
    url = reverse("notes:note_list")
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured.captured_queries)
    for number in range(1, 60):
        note_add(user=member, item=public_item, text=f"Note {number}")
    with django_assert_max_num_queries(few):
        first = text_of(client.get(url))
    assert first.count("Note ") == 50 and "Page 1 of 2" in first
    second = text_of(client.get(url, {"page": 2}))
    assert second.count("Note ") == 10 and "Page 2 of 2" in second
