"""The performance pages, role by role: who reads the figures (and which), who uploads,
who names the data officers; confidential figures never reach anyone not entitled, in
pages or CSV; and the upload journey through the test client."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exempt.models import AccessEvent, AccessLog
from performance.models import (
    DataOfficer,
    Observation,
    Upload,
    UploadState,
)
from scrutiny.access import Role
from scrutiny.testing import client_for, text_of

from .helpers import (
    ENTITLED,
    Q1,
    ROLES,
    SECRET_NAME,
    SECRET_NOTE,
    SECRET_VALUES,
    client_as,
    csv_text,
)

pytestmark = pytest.mark.django_db


def url(name, committee, **kwargs):
    return reverse(f"performance:{name}", kwargs={"slug": committee.slug, **kwargs})


def body(response) -> str:
    return response.content.decode()


def assert_no_secret(text: str, where: str, *, code=True):
    assert SECRET_NAME not in text, where
    if code:  # a page at the indicator's own address names it in its sign-in link
        assert "da-withdrawals" not in text, where
    assert SECRET_NOTE not in text, where
    for value in SECRET_VALUES:
        assert value not in text, where


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- reading the figures ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_summary_shows_confidential_indicators_only_to_those_entitled(
    request, role, committee, figures
):
    client = client_as(request, role)
    response = client.get(url("summary", committee))
    assert response.status_code == 200
    text = text_of(response)
    assert "All crime" in text
    assert "2,526" in text and "2,603" in text  # the quarter and the one before
    assert "Improvement" in text  # all crime fell by 3 per cent
    if role in ENTITLED:
        assert SECRET_NAME in text
        assert "9,281" in text and "9,173" in text
        assert "Confidential" in text
        assert "obligation of confidence" not in text  # nothing withheld from them
    else:
        assert_no_secret(body(response), role)
        assert "obligation of confidence" in text  # told that something is withheld


@pytest.mark.parametrize("role", ROLES)
def test_summary_csv_carries_the_same_indicators_as_the_page(request, role, committee, figures):
    client = client_as(request, role)
    response = client.get(url("summary_csv", committee), {"area": "dartford", "quarter": Q1.label})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    codes = {row["indicator"] for row in rows}
    assert {"all-crime", "hate-crime", "crime-rate"} <= codes
    crime = next(row for row in rows if row["indicator"] == "all-crime")
    assert crime["value"] == "2526"
    assert crime["prior quarter value"] == "2603"
    assert crime["direction on prior quarter"] == "Improvement"
    assert crime["county"] == "Kent"
    downloads = AccessLog.objects.filter(event=AccessEvent.DOWNLOADED)
    if role in ENTITLED:
        secret = next(row for row in rows if row["indicator"] == "da-withdrawals")
        assert secret["value"] == "9281"
        assert downloads.count() == 1
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert_no_secret(body(response), role)
        assert not downloads.exists()


@pytest.mark.parametrize("role", ROLES)
def test_confidential_indicator_page_is_no_page_at_all_to_those_not_entitled(
    request, role, committee, figures
):
    client = client_as(request, role)
    for name in ("indicator", "indicator_csv"):
        response = client.get(url(name, committee, code="da-withdrawals"))
        if role in ENTITLED:
            assert response.status_code == 200
            assert "9281" in body(response).replace(",", "")
        else:
            assert response.status_code == 404
            assert_no_secret(body(response), role, code=False)


def test_reading_and_downloading_confidential_figures_is_logged(request, committee, figures):
    client = client_as(request, "member")
    client.get(url("summary", committee))
    client.get(url("indicator", committee, code="da-withdrawals"))
    client.get(url("indicator_csv", committee, code="da-withdrawals"))
    client.get(url("indicator", committee, code="all-crime"))  # public: not logged
    entries = list(
        AccessLog.objects.filter(username="member").order_by("pk").values_list("event", "what")
    )
    assert [event for event, _ in entries] == ["viewed", "viewed", "downloaded"]
    assert all("confidential" in what and SECRET_NAME not in what for _, what in entries)


@pytest.mark.parametrize(("role", "suppressed"), [("anonymous", True), ("member", False)])
def test_small_numbers_are_suppressed_for_the_public(request, role, suppressed, committee, figures):
    client = client_as(request, role)
    page = body(client.get(url("indicator", committee, code="hate-crime")))
    download = body(client.get(url("indicator_csv", committee, code="hate-crime")))
    assert ('<td data-label="Dartford">fewer than 5</td>' in page) is suppressed
    assert ('<td data-label="Dartford">3</td>' in page) is not suppressed
    assert ("fewer than 5" in download) is suppressed


def test_summary_compares_with_the_county_and_ranks_rates(client, committee, figures):
    response = client.get(url("summary", committee), {"area": "dartford", "quarter": Q1.label})
    text = text_of(response)
    assert "Kent, against its prior quarter" in text
    assert "33,950" in text
    assert "A slight decrease in Dartford against a small increase in Kent" in text
    assert "3rd of 5, counting from the lowest" in text
    assert "Same quarter last year (2016-17 Q1)" in text


def test_the_picker_chooses_another_quarter_and_says_what_is_wrong(client, committee, figures):
    response = client.get(url("summary", committee), {"area": "dartford", "quarter": "2016-17 Q4"})
    assert "Performance indicators: Dartford, 2016-17 Q4" in text_of(response)
    assert "2,603" in text_of(response)
    response = client.get(url("summary", committee), {"area": "atlantis", "quarter": Q1.label})
    assert response.status_code == 200
    text = text_of(response)
    assert "Error:" in text and "Select an area from the list" in text
    response = client.get(url("summary_csv", committee), {"quarter": "2099-00 Q1"})
    assert response.status_code == 404


def test_the_indicator_page_shows_the_series_and_the_breaks_it_spans(
    client, committee, figures, crime
):
    from performance.models import SeriesBreak

    SeriesBreak.objects.create(
        date=Q1.start_date, title="Crime recording corrected", note="HMIC inspection."
    )
    response = client.get(url("indicator", committee, code="all-crime"))
    text = text_of(response)
    assert "Lower is better" in text
    assert "6 quarters, newest first" in text
    assert "Series break, 1 April 2017: Crime recording corrected" in text
    assert "Figures from 2017-18 Q1 on are not directly comparable" in text
    assert "HMIC inspection." in text
    rows = csv_rows(client.get(url("indicator_csv", committee, code="all-crime")))
    assert [row["quarter"] for row in rows][:2] == ["2017-18 Q1", "2016-17 Q4"]
    assert rows[0]["series break since the prior quarter"].startswith("1 April 2017")
    assert rows[1]["series break since the prior quarter"] == ""


def test_an_indicator_of_another_committee_is_not_found_here(
    client, committee, figures, make_committee
):
    other = make_committee(name="Licensing", slug="licensing")
    assert client.get(url("indicator", other, code="all-crime")).status_code == 404
    assert client.get(url("indicator", committee, code="no-such")).status_code == 404


def test_the_committee_page_links_to_its_indicators(client, committee):
    response = client.get(committee.get_absolute_url())
    assert url("summary", committee) in body(response)


def test_a_committee_without_figures_says_so(client, committee):
    response = client.get(url("summary", committee))
    assert response.status_code == 200
    assert "No performance figures have been reported" in text_of(response)


# --- who may upload ----------------------------------------------------------------------


UPLOAD_PAGES = ["upload", "upload_list", "upload_template"]
READS_UPLOADS = {"data_officer", "coordinator"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", UPLOAD_PAGES)
def test_upload_pages_by_role(request, role, page, committee, figures):
    client = client_as(request, role)
    response = client.get(url(page, committee))
    allowed = role == "data_officer" or (page != "upload" and role in READS_UPLOADS)
    refusals = AccessLog.objects.filter(event=AccessEvent.DATA_REFUSED)
    if allowed:
        assert response.status_code == 200
        assert not refusals.exists()
    else:
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 403
        [refusal] = refusals
        assert refusal.what.endswith("not a data officer")
        assert_no_secret(body(response), role)


@pytest.mark.parametrize("role", ROLES)
def test_upload_preview_and_actions_by_role(request, role, committee, figures, data_officer):
    from performance.services import upload_preview

    from .helpers import csv_upload

    preview = upload_preview(
        file=csv_upload(csv_text("all-crime,dartford,2017-18 Q1,2527,audited,")),
        name="restated.csv",
        user=data_officer,
        committee=committee,
    )
    client = client_as(request, role)
    detail = client.get(url("upload_detail", committee, pk=preview.pk))
    if role in READS_UPLOADS:
        assert detail.status_code == 200
        assert "2,527" in text_of(detail)
        assert ("Confirm and import" in text_of(detail)) is (role == "data_officer")
    else:
        assert detail.status_code in (302, 403)
    for action in ("upload_cancel", "upload_confirm"):
        response = client.post(url(action, committee, pk=preview.pk))
        if role != "data_officer":
            assert response.status_code in (302, 403)
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/")
    preview.refresh_from_db()
    expected = UploadState.CANCELLED if role == "data_officer" else UploadState.PREVIEWED
    assert preview.state == expected


def test_an_upload_of_another_committee_is_not_found(
    committee, figures, data_officer, make_committee
):
    other = make_committee(name="Licensing", slug="licensing")
    client = client_for(data_officer)
    assert client.get(url("upload_detail", committee, pk=figures.pk)).status_code == 200
    # Not a data officer of the other committee: refused before anything is looked up.
    assert client.get(url("upload_detail", other, pk=figures.pk)).status_code == 403
    assert client.get(url("upload_detail", committee, pk=figures.pk + 100)).status_code == 404


def test_the_template_lists_every_indicator_and_area(committee, figures, data_officer):
    response = client_for(data_officer).get(url("upload_template", committee))
    assert response["Content-Disposition"].endswith('.csv"')
    text = body(response)
    assert text.startswith("indicator,area,period,value,status,note,indicator name,area name")
    assert "hate-crime,dartford,2017-18 Q2" in text


# --- the upload journey ----------------------------------------------------------------------


def csv_file(*rows, name="q1.csv"):
    return SimpleUploadedFile(name, csv_text(*rows).encode(), content_type="text/csv")


def test_upload_journey_errors_then_corrected_then_confirmed(committee, figures, data_officer):
    client = client_for(data_officer)
    stored = Observation.objects.count()
    uploads = Upload.objects.count()

    bad = client.post(
        url("upload", committee),
        {
            "file": csv_file(
                "all-crime,dartford,2017-18 Q2,2611,provisional,",
                "all-crime,nowhere,2017-18 Q2,2611,,",
                "hate-crime,dartford,2017-18 Q9,n/a,,",
                "all-crime,kent,2017-18 Q2,-4,,",
            ),
            "note": "Q2 return",
        },
    )
    assert bad.status_code == 200
    text = text_of(bad)
    assert text.startswith("Error:")
    assert "q1.csv has 4 problems, listed below. Nothing was saved." in text
    for expected in (
        "Row 3 area nowhere Enter an area code from the template",
        "Row 4 period 2017-18 Q9 Enter the period as a financial-year quarter",
        "Row 4 value n/a Enter a number",
        "Row 5 value -4 A count cannot be negative",
    ):
        assert expected in text
    assert 'href="#id_file"' in body(bad)  # the summary leads to the file input
    assert Observation.objects.count() == stored
    assert Upload.objects.count() == uploads

    good = client.post(
        url("upload", committee),
        {
            "file": csv_file(
                "all-crime,dartford,2017-18 Q2,2611,provisional,",
                "all-crime,dartford,2017-18 Q1,2530,audited,Restated when audited",
                "all-crime,kent,2017-18 Q1,33950,,",
                "hate-crime,dartford,2017-18 Q2,12,,",
            ),
            "note": "Q2 return",
        },
    )
    upload = Upload.objects.latest("pk")
    assert good.status_code == 302
    assert good["Location"] == url("upload_detail", committee, pk=upload.pk)
    assert Observation.objects.count() == stored  # a preview saves no figure

    preview = text_of(client.get(good["Location"]))
    assert "Check the figures before you import them" in preview
    assert "2 new figures" in preview
    assert "1 changed figure" in preview
    assert "1 figure the same as recorded" in preview
    # The changed row with what is recorded now and what the file says.
    assert "Row 3 All crime Dartford 2017-18 Q1 2,526 Provisional 2,530 Audited" in preview
    # Hate crime from 3 to 12 is a jump worth a second look.
    assert "Check these figures" in preview and "300% higher than 3" in preview

    confirmed = client.post(url("upload_confirm", committee, pk=upload.pk), follow=True)
    message = text_of(confirmed)
    assert "q1.csv is imported: 2 figures added and 1 figure changed. 1 figure matched" in message
    assert Observation.objects.count() == stored + 2
    assert (
        Observation.objects.get(
            indicator__code="all-crime",
            area__code="dartford",
            period__start_year=2017,
            period__quarter=1,
        ).value
        == 2530
    )
    upload.refresh_from_db()
    assert upload.state == UploadState.CONFIRMED

    listed = text_of(client.get(url("upload_list", committee)))
    assert "q1.csv Q2 return" in listed
    assert upload.sha256[:12] in listed
    assert "2 new, 1 changed, 1 unchanged" in listed
    assert "Imported" in listed


def test_cancelling_a_preview_saves_nothing(committee, figures, data_officer):
    client = client_for(data_officer)
    stored = list(Observation.objects.values_list("pk", "value"))
    client.post(url("upload", committee), {"file": csv_file("all-crime,dartford,2017-18 Q2,1,,")})
    upload = Upload.objects.latest("pk")
    response = client.post(url("upload_cancel", committee, pk=upload.pk), follow=True)
    assert "The upload of q1.csv is cancelled. Nothing was saved." in text_of(response)
    assert response.redirect_chain[-1][0] == url("upload", committee)
    assert list(Observation.objects.values_list("pk", "value")) == stored
    upload.refresh_from_db()
    assert upload.state == UploadState.CANCELLED
    # Nothing left to confirm.
    again = client.post(url("upload_confirm", committee, pk=upload.pk))
    assert "This upload cannot be imported: it is cancelled" in text_of(again)


def test_a_stale_preview_shows_the_services_message(committee, figures, data_officer):
    client = client_for(data_officer)
    for name in ("first.csv", "second.csv"):
        client.post(
            url("upload", committee),
            {"file": csv_file("all-crime,dartford,2017-18 Q1,2600,,", name=name)},
        )
    first, second = Upload.objects.order_by("-pk")[:2][::-1]
    client.post(url("upload_confirm", committee, pk=second.pk))
    response = client.post(url("upload_confirm", committee, pk=first.pk))
    assert response.status_code == 200
    text = text_of(response)
    assert text.startswith("Error:")
    assert "The stored figures changed after this preview was made" in text
    assert "Upload the file again" in text
    first.refresh_from_db()
    assert first.state == UploadState.PREVIEWED


def test_reverting_asks_first_then_puts_the_figures_back(committee, figures, data_officer):
    client = client_for(data_officer)
    client.post(
        url("upload", committee), {"file": csv_file("all-crime,dartford,2017-18 Q1,2600,,")}
    )
    upload = Upload.objects.latest("pk")
    client.post(url("upload_confirm", committee, pk=upload.pk))
    listed = body(client.get(url("upload_list", committee)))
    assert url("upload_revert", committee, pk=upload.pk) in listed

    ask = client.get(url("upload_revert", committee, pk=upload.pk))
    assert "Revert the upload of q1.csv?" in text_of(ask)
    assert "puts the 1 figure it changed back as they were" in text_of(ask)
    done = client.post(url("upload_revert", committee, pk=upload.pk), follow=True)
    assert "is reverted: 0 figures it added removed, and 1 figure it changed put back" in text_of(
        done
    )
    crime = Observation.objects.get(
        indicator__code="all-crime",
        area__code="dartford",
        period__start_year=2017,
        period__quarter=1,
    )
    assert crime.value == 2526
    upload.refresh_from_db()
    assert upload.state == UploadState.REVERTED


def test_a_revert_blocked_by_a_later_upload_says_so(committee, figures, data_officer):
    client = client_for(data_officer)
    for value in (2600, 2700):
        client.post(
            url("upload", committee), {"file": csv_file(f"all-crime,dartford,2017-18 Q1,{value},,")}
        )
        client.post(url("upload_confirm", committee, pk=Upload.objects.latest("pk").pk))
    earlier = Upload.objects.order_by("-pk")[1]
    response = client.post(url("upload_revert", committee, pk=earlier.pk))
    text = text_of(response)
    assert text.startswith("Error:")
    assert "A later upload changed the same figures" in text
    earlier.refresh_from_db()
    assert earlier.state == UploadState.CONFIRMED


def test_the_coordinator_reads_uploads_but_is_not_offered_to_upload(
    committee, figures, coordinator
):
    client = client_for(coordinator)
    listed = body(client.get(url("upload_list", committee)))
    assert url("upload_detail", committee, pk=figures.pk) in listed
    assert url("upload", committee) not in listed
    assert url("upload_revert", committee, pk=figures.pk) not in listed


# --- data officers ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_committees_coordinators_manage_data_officers(request, role, committee):
    client = client_as(request, role)
    response = client.get(url("data_officers", committee))
    if role == "coordinator":
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_the_coordinator_names_and_removes_a_data_officer(
    committee, coordinator, officer, member, data_officer
):
    client = client_for(coordinator)
    page = client.get(url("data_officers", committee))
    choices = page.context["form"].fields["user"].queryset
    assert officer in choices and member not in choices and data_officer not in choices
    assert "dataofficer" in text_of(page)

    response = client.post(url("data_officers", committee), {"user": officer.pk}, follow=True)
    assert "is now a data officer of the Crime and Disorder Committee" in text_of(response)
    assert DataOfficer.objects.filter(committee=committee, user=officer).exists()
    added = AccessLog.objects.get(event=AccessEvent.ENTITLEMENT, user=officer)
    assert "made a data officer (by coordinator)" in added.what

    response = client.post(url("data_officers", committee), {"user": member.pk})
    assert response.status_code == 200
    assert "Select an officer from the list" in text_of(response)

    response = client.post(url("data_officer_remove", committee, user_pk=officer.pk), follow=True)
    assert "is no longer a data officer" in text_of(response)
    assert not DataOfficer.objects.filter(committee=committee, user=officer).exists()
    assert AccessLog.objects.filter(
        event=AccessEvent.ENTITLEMENT, what__contains="no longer a data officer"
    ).exists()
    assert client.post(url("data_officer_remove", committee, user_pk=officer.pk)).status_code == 404


@pytest.mark.parametrize("role", ["member", "data_officer", "other_coordinator"])
def test_no_one_else_removes_a_data_officer(request, role, committee, data_officer):
    client = client_as(request, role)
    response = client.post(url("data_officer_remove", committee, user_pk=data_officer.pk))
    assert response.status_code == 403
    assert DataOfficer.objects.filter(user=data_officer).exists()


def test_a_named_officer_can_upload_at_once(committee, coordinator, make_user):
    officer = make_user(role=Role.OFFICER, username="newofficer")
    client = client_for(officer)
    assert client.get(url("upload", committee)).status_code == 403
    client_for(coordinator).post(url("data_officers", committee), {"user": officer.pk})
    assert client.get(url("upload", committee)).status_code == 200


def test_a_data_officer_finds_the_upload_page_in_the_menu(client, committee, data_officer, officer):
    page = client_for(data_officer).get("/").content.decode()
    assert f'href="{url("upload", committee)}"' in page
    assert "Upload figures" in page
    assert "Upload figures" not in client_for(officer).get("/").content.decode()
    assert "Upload figures" not in client.get("/").content.decode()


def test_a_preview_kept_too_long_offers_no_confirmation(committee, figures, data_officer):
    import datetime

    from django.utils import timezone

    client = client_for(data_officer)
    client.post(url("upload", committee), {"file": csv_file("all-crime,dartford,2017-18 Q2,1,,")})
    upload = Upload.objects.latest("pk")
    Upload.objects.filter(pk=upload.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=15)
    )
    page = text_of(client.get(url("upload_detail", committee, pk=upload.pk)))
    assert "This preview waited more than 14 days and can no longer be imported" in page
    assert "Confirm and import" not in page
    response = client.post(url("upload_confirm", committee, pk=upload.pk))
    assert "This upload cannot be imported: it is expired" in text_of(response)
    assert not Observation.objects.filter(period__start_year=2017, period__quarter=2).exists()
