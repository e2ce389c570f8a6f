"""Preview, import, cancel and revert: all rows or none, the history of every revised
value, and every action (and every refused attempt) in the access log."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exempt.models import AccessEvent, AccessLog
from performance.models import (
    Observation,
    ObservationRevision,
    ObservationStatus,
    Period,
    RevisionCause,
    RowChange,
    Upload,
    UploadState,
)
from performance.services import (
    ObservationsInvalid,
    PreviewRow,
    StaleUpload,
    data_officer_assign,
    data_officer_remove,
    upload_cancel,
    upload_confirm,
    upload_preview,
    upload_revert,
)
from scrutiny.access import Role

from .helpers import csv_text, csv_upload, values

pytestmark = pytest.mark.django_db

Q1 = "2017-18 Q1"


@pytest.fixture
def preview(committee, data_officer, crime, district, county):
    def preview(*rows, user=None, name="q1.csv"):
        return upload_preview(
            file=csv_upload(csv_text(*rows)),
            name=name,
            user=user or data_officer,
            committee=committee,
        )

    return preview


def log_events(**filters):
    return list(AccessLog.objects.filter(**filters).order_by("pk").values_list("event", flat=True))


# --- preview ---------------------------------------------------------------------------------


def test_a_preview_saves_no_observation_and_keeps_the_rows_for_confirmation(preview, data_officer):
    upload = preview(f"all-crime,dartford,{Q1},2526,,", f"all-crime,kent,{Q1},33950,audited,")
    assert upload.state == UploadState.PREVIEWED
    assert not Observation.objects.exists() and not Period.objects.exists()
    assert (upload.row_count, upload.new_count, upload.changed_count) == (2, 2, 0)
    assert upload.uploaded_by == data_officer and upload.uploaded_by_name == "dataofficer"
    assert (upload.file_name, upload.file_format, len(upload.sha256)) == ("q1.csv", "csv", 64)
    rows = list(map(PreviewRow._make, Upload.objects.get(pk=upload.pk).rows))
    assert [(r.row, r.value, r.status, r.change) for r in rows] == [
        (2, "2526.0000", ObservationStatus.PROVISIONAL, RowChange.NEW),
        (3, "33950.0000", ObservationStatus.AUDITED, RowChange.NEW),
    ]


def test_a_preview_says_what_is_new_changed_with_the_old_value_and_unchanged(preview, upload_rows):
    upload_rows(f"all-crime,dartford,{Q1},2526,,", f"all-crime,kent,{Q1},33950,,")
    upload = preview(
        f"all-crime,dartford,{Q1},2530,audited,Revised",
        f"all-crime,kent,{Q1},33950,,",
        "all-crime,dartford,2017-18 Q2,2742,,",
    )
    rows = {r.row: r for r in map(PreviewRow._make, upload.rows)}
    assert rows[2].change == RowChange.CHANGED
    assert rows[2].old == (Decimal("2526"), ObservationStatus.PROVISIONAL, "")
    assert (rows[2].decimal_value, rows[2].status, rows[2].note) == (
        Decimal("2530"),
        ObservationStatus.AUDITED,
        "Revised",
    )
    assert rows[3].change == RowChange.UNCHANGED
    assert rows[4].change == RowChange.NEW
    assert (upload.new_count, upload.changed_count, upload.unchanged_count) == (1, 1, 1)


def test_a_jump_of_more_than_half_against_the_quarter_before_is_a_warning(preview, upload_rows):
    upload_rows("all-crime,dartford,2016-17 Q4,1000,,")
    upload = preview(
        f"all-crime,dartford,{Q1},1600,,",  # against the stored 1,000
        "all-crime,kent,2016-17 Q4,100,,",
        f"all-crime,kent,{Q1},40,,",  # against 100 in the same file
        "all-crime,dartford,2017-18 Q2,1650,,",  # within half of 1,600
    )
    assert upload.warnings == [
        {
            "row": 2,
            "message": "All crime, Dartford, 2017-18 Q1: 1600 is 60% higher than 1000 in "
            "2016-17 Q4. Check the figure before you confirm",
        },
        {
            "row": 4,
            "message": "All crime, Kent, 2017-18 Q1: 40 is 60% lower than 100 in 2016-17 Q4. "
            "Check the figure before you confirm",
        },
    ]


def test_a_file_imported_before_is_a_warning(preview, upload_rows):
    upload_rows(f"all-crime,dartford,{Q1},2526,,", name="first.csv")
    again = preview(f"all-crime,dartford,{Q1},2526,,")
    assert again.warnings[0]["row"] is None
    assert again.warnings[0]["message"].startswith("This file was imported before, as upload")


def test_a_file_with_problems_is_refused_whole_and_logged(preview, data_officer):
    with pytest.raises(ObservationsInvalid) as refused:
        preview(f"all-crime,dartford,{Q1},2526,,", "all-crime,dartford,2017 Q2,abc,,")
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "period"), (3, "value")]
    assert not Upload.objects.exists()
    entry = AccessLog.objects.get(event=AccessEvent.DATA_REFUSED)
    assert entry.user == data_officer
    assert entry.what == "upload of q1.csv: 2 problem(s), nothing saved"


# --- confirm ---------------------------------------------------------------------------------


def test_confirming_saves_every_row_with_where_it_came_from(preview, data_officer):
    upload = preview(f"all-crime,dartford,{Q1},2526,audited,", f"all-crime,kent,{Q1},33950,,")
    upload = upload_confirm(upload=upload, user=data_officer)
    assert upload.state == UploadState.CONFIRMED
    assert upload.confirmed_by == data_officer and upload.confirmed_at
    assert values(Observation.objects) == {
        ("all-crime", "dartford", Q1): Decimal("2526"),
        ("all-crime", "kent", Q1): Decimal("33950"),
    }
    observation = Observation.objects.get(area__code="dartford")
    assert (observation.upload, observation.created_by) == (upload, data_officer)
    assert observation.status == ObservationStatus.AUDITED
    assert log_events() == [
        AccessEvent.ENTITLEMENT,
        AccessEvent.DATA_PREVIEWED,
        AccessEvent.DATA_IMPORTED,
    ]


def test_confirming_saves_all_rows_or_none(preview, upload_rows, data_officer, monkeypatch):
    upload_rows(f"all-crime,dartford,{Q1},2526,,")
    upload = preview(f"all-crime,dartford,{Q1},2600,,", f"all-crime,kent,{Q1},33950,,")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away half way")

    # New rows and changes are written before the history: fail at the very end.
    monkeypatch.setattr(ObservationRevision.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        upload_confirm(upload=upload, user=data_officer)
    assert values(Observation.objects) == {("all-crime", "dartford", Q1): Decimal("2526")}
    upload.refresh_from_db()
    assert upload.state == UploadState.PREVIEWED
    assert not ObservationRevision.objects.exists()


def test_a_changed_value_keeps_its_history(preview, upload_rows, data_officer):
    first = upload_rows(f"all-crime,dartford,{Q1},2526,provisional,")
    upload = upload_confirm(
        upload=preview(f"all-crime,dartford,{Q1},2530,audited,After audit"), user=data_officer
    )
    observation = Observation.objects.get()
    assert (observation.value, observation.status, observation.note, observation.upload) == (
        Decimal("2530"),
        ObservationStatus.AUDITED,
        "After audit",
        upload,
    )
    revision = observation.revisions.get()
    assert (revision.value, revision.status, revision.note) == (
        Decimal("2526"),
        ObservationStatus.PROVISIONAL,
        "",
    )
    assert (revision.upload, revision.replaced_by_upload, revision.replaced_by) == (
        first,
        upload,
        data_officer,
    )
    assert revision.cause == RevisionCause.UPLOAD


def test_unchanged_rows_are_not_rewritten(preview, upload_rows, data_officer):
    first = upload_rows(f"all-crime,dartford,{Q1},2526,,")
    upload_confirm(upload=preview(f"all-crime,dartford,{Q1},2526,,"), user=data_officer)
    assert Observation.objects.get().upload == first
    assert not ObservationRevision.objects.exists()


def test_confirming_is_refused_when_the_figures_changed_after_the_preview(
    preview, upload_rows, data_officer
):
    upload_rows(f"all-crime,dartford,{Q1},2526,,")
    stale = preview(f"all-crime,dartford,{Q1},2600,,", f"all-crime,kent,{Q1},100,,")
    upload_rows(f"all-crime,kent,{Q1},120,,", name="meanwhile.csv")
    with pytest.raises(StaleUpload) as refused:
        upload_confirm(upload=stale, user=data_officer)
    assert "changed after this preview was made, for row 3 (all-crime, kent, 2017-18 Q1)" in str(
        refused.value
    )
    assert values(Observation.objects)[("all-crime", "dartford", Q1)] == Decimal("2526")
    stale.refresh_from_db()
    assert stale.state == UploadState.PREVIEWED
    refusal = AccessLog.objects.filter(event=AccessEvent.DATA_REFUSED).get()
    assert refusal.what.startswith(f"import of upload {stale.pk} (q1.csv")


def test_a_preview_is_confirmed_once(preview, data_officer):
    upload = upload_confirm(upload=preview(f"all-crime,dartford,{Q1},1,,"), user=data_officer)
    with pytest.raises(ValidationError, match="cannot be imported: it is imported"):
        upload_confirm(upload=upload, user=data_officer)


# --- cancel ----------------------------------------------------------------------------------


def test_cancelling_a_preview_saves_nothing_and_drops_its_rows(preview, data_officer):
    upload = upload_cancel(upload=preview(f"all-crime,dartford,{Q1},1,,"), user=data_officer)
    upload.refresh_from_db()
    assert (upload.state, upload.rows, upload.row_count) == (UploadState.CANCELLED, [], 1)
    assert not Observation.objects.exists()
    with pytest.raises(ValidationError, match="cannot be imported"):
        upload_confirm(upload=upload, user=data_officer)
    assert AccessEvent.DATA_CANCELLED in log_events()


# --- revert ----------------------------------------------------------------------------------


def test_reverting_restores_what_the_upload_replaced_and_removes_what_it_added(
    preview, upload_rows, data_officer
):
    first = upload_rows(f"all-crime,dartford,{Q1},2526,provisional,")
    second = upload_rows(
        f"all-crime,dartford,{Q1},2530,audited,",
        "all-crime,dartford,2017-18 Q2,2742,,",
        name="q2.csv",
    )
    upload = upload_revert(upload=second, user=data_officer)
    assert (upload.state, upload.reverted_by) == (UploadState.REVERTED, data_officer)
    observation = Observation.objects.get()
    assert (observation.value, observation.status, observation.upload) == (
        Decimal("2526"),
        ObservationStatus.PROVISIONAL,
        first,
    )
    # The history keeps the value the revert undid.
    assert [(r.value, r.cause) for r in observation.revisions.all()] == [
        (Decimal("2530"), RevisionCause.REVERT),
        (Decimal("2526"), RevisionCause.UPLOAD),
    ]
    assert AccessEvent.DATA_REVERTED in log_events()
    # The first upload can be reverted in its turn, and the figure goes.
    upload_revert(upload=first, user=data_officer)
    assert not Observation.objects.exists()


def test_reverting_is_refused_while_a_later_upload_changed_the_same_figures(
    upload_rows, data_officer, crime, district, county
):
    first = upload_rows(f"all-crime,dartford,{Q1},2526,,", f"all-crime,kent,{Q1},100,,")
    later = upload_rows(f"all-crime,kent,{Q1},120,,", name="later.csv")
    with pytest.raises(ValidationError) as refused:
        upload_revert(upload=first, user=data_officer)
    message = refused.value.messages[0]
    assert f"A later upload changed the same figures by upload {later.pk} (later.csv" in message
    assert "row 3 (all-crime, kent, 2017-18 Q1)" in message
    assert "Revert the later upload first" in message
    assert Observation.objects.count() == 2
    assert AccessLog.objects.filter(event=AccessEvent.DATA_REFUSED).count() == 1
    upload_revert(upload=later, user=data_officer)
    upload_revert(upload=first, user=data_officer)
    assert not Observation.objects.exists()


def test_only_an_imported_upload_can_be_reverted(preview, data_officer):
    with pytest.raises(ValidationError, match="cannot be reverted: it is waiting"):
        upload_revert(upload=preview(f"all-crime,dartford,{Q1},1,,"), user=data_officer)


# --- who may upload ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["anonymous", "councillor", "member", "officer", "coordinator", "other_coordinator"]
)
def test_everyone_but_a_data_officer_is_refused_and_logged(
    who, request, committee, crime, district, data_officer
):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    file = csv_upload(csv_text(f"all-crime,dartford,{Q1},1,,"))
    with pytest.raises(PermissionDenied, match="Only the committee's data officers"):
        upload_preview(file=file, name="q1.csv", user=user, committee=committee)
    assert not Upload.objects.exists()
    entry = AccessLog.objects.filter(event=AccessEvent.DATA_REFUSED).get()
    assert entry.what == "upload of q1.csv: not a data officer"
    assert entry.committee == committee


def test_confirm_cancel_and_revert_are_refused_to_others_too(
    preview, upload_rows, officer, coordinator
):
    waiting = preview(f"all-crime,dartford,{Q1},1,,")
    imported = upload_rows("all-crime,kent,2017-18 Q1,1,,")
    for action, upload in (
        (upload_confirm, waiting),
        (upload_cancel, waiting),
        (upload_revert, imported),
    ):
        for user in (officer, coordinator):
            with pytest.raises(PermissionDenied):
                action(upload=upload, user=user)
    assert AccessLog.objects.filter(event=AccessEvent.DATA_REFUSED).count() == 6
    waiting.refresh_from_db()
    assert waiting.state == UploadState.PREVIEWED


def test_a_data_officer_of_another_committee_is_refused(
    committee, crime, district, make_committee, make_user, coordinator
):
    other = make_committee()
    other.coordinators.add(coordinator)
    user = make_user(role=Role.OFFICER)
    data_officer_assign(committee=other, user=user, by=coordinator)
    with pytest.raises(PermissionDenied):
        upload_preview(
            file=csv_upload(csv_text(f"all-crime,dartford,{Q1},1,,")),
            name="q1.csv",
            user=user,
            committee=committee,
        )


def test_a_data_officer_removed_between_preview_and_confirm_is_refused(
    preview, committee, data_officer, coordinator
):
    upload = preview(f"all-crime,dartford,{Q1},1,,")
    data_officer_remove(committee=committee, user=data_officer, by=coordinator)
    with pytest.raises(PermissionDenied):
        upload_confirm(upload=upload, user=data_officer)
    assert not Observation.objects.exists()


def test_the_command_line_uploads_without_a_user(committee, crime, district):
    upload = upload_preview(
        file=csv_upload(csv_text(f"all-crime,dartford,{Q1},1,,")),
        name="q1.csv",
        user=None,
        committee=committee,
    )
    upload_confirm(upload=upload, user=None)
    assert upload.uploaded_by_name == "(command line)"
    assert set(AccessLog.objects.values_list("username", flat=True)) == {"(command line)"}


# --- naming data officers -----------------------------------------------------------------------


def test_a_coordinator_names_and_removes_data_officers_and_it_is_logged(
    committee, coordinator, officer
):
    data_officer_assign(committee=committee, user=officer, by=coordinator)
    data_officer_assign(committee=committee, user=officer, by=coordinator)  # once is enough
    data_officer_remove(committee=committee, user=officer, by=coordinator)
    assert list(
        AccessLog.objects.filter(event=AccessEvent.ENTITLEMENT)
        .order_by("pk")
        .values_list("what", flat=True)
    ) == [
        "officer made a data officer (by coordinator)",
        "officer no longer a data officer (by coordinator)",
    ]


@pytest.mark.parametrize("who", ["member", "officer", "other_coordinator"])
def test_only_the_committees_coordinators_name_data_officers(who, request, committee, officer):
    with pytest.raises(PermissionDenied):
        data_officer_assign(committee=committee, user=officer, by=request.getfixturevalue(who))


def test_only_officers_can_be_data_officers(committee, coordinator, member):
    with pytest.raises(ValidationError, match="member is not an officer"):
        data_officer_assign(committee=committee, user=member, by=coordinator)


# --- previews left unconfirmed ----------------------------------------------------------


def test_previews_left_unconfirmed_expire_with_their_figures(
    committee, crime, district, data_officer, settings
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from performance.services import upload_previews_expire

    settings.SCRUTINY_UPLOAD_PREVIEW_DAYS = 14
    old = upload_preview(
        file=csv_upload(csv_text("all-crime,dartford,2017-18 Q1,100,,")),
        name="old.csv",
        user=data_officer,
        committee=committee,
    )
    recent = upload_preview(
        file=csv_upload(csv_text("all-crime,dartford,2017-18 Q2,100,,")),
        name="recent.csv",
        user=data_officer,
        committee=committee,
    )
    Upload.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert upload_previews_expire() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == UploadState.EXPIRED and old.rows == [] and old.cancelled_at
    assert recent.state == UploadState.PREVIEWED and recent.rows
    assert AccessLog.objects.filter(
        event=AccessEvent.DATA_CANCELLED, what__contains="expired unconfirmed after 14 days"
    ).exists()
    with pytest.raises(ValidationError, match="it is expired"):
        upload_confirm(upload=old, user=data_officer)
    assert not Observation.objects.exists()

    # A preview kept too long is refused when confirmed, even if no upload came since,
    # and its warnings (which quote figures) go with its rows.
    Upload.objects.filter(pk=recent.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=20),
        warnings=[{"row": 2, "message": "Domestic abuse: 40 is 1900% higher than 2"}],
    )
    with pytest.raises(ValidationError, match="it is expired"):
        upload_confirm(upload=recent, user=data_officer)
    recent.refresh_from_db()
    assert recent.state == UploadState.EXPIRED and recent.warnings == []
    assert not Observation.objects.exists()
    out = io.StringIO()
    call_command("expire_upload_previews", stdout=out)
    assert out.getvalue().strip() == "Expired 0 unconfirmed previews."
