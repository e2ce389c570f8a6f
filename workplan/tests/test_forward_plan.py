"""The forward plan of key decisions: the 28 clear days' notice, closed decisions, the
Regulation 9 notice for a period as a page, a PDF and a paper on an agenda."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add
from scrutiny.testing import pdf_text, text_of
from workplan.models import ExecutiveMember, KeyDecision
from workplan.services import key_decision_save

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2030, 1, 14)
TODAY = timezone.localdate()


def decision(**fields):
    """Published on the notice today, to be taken in about two months."""
    fields.setdefault("title", "Homeless Strategy 2030")
    fields.setdefault("author_name", "Jackie Pye")
    fields.setdefault("first_notice_on", TODAY)
    fields.setdefault("decision_date", TODAY + datetime.timedelta(days=60))
    return KeyDecision(**fields)


def test_a_notice_of_fewer_than_28_clear_days_needs_its_reason():
    # 14 January 2030 to 22 February: 28 working days strictly between; the 21st gives 27.
    key_decision_save(
        decision=decision(first_notice_on=MONDAY, decision_date=datetime.date(2030, 2, 22))
    )
    with pytest.raises(ValidationError) as error:
        key_decision_save(
            decision=decision(first_notice_on=MONDAY, decision_date=datetime.date(2030, 2, 21))
        )
    message = error.value.message_dict["late_notice_reason"][0]
    assert "27 clear days, not 28" in message and "due by" in message
    late = key_decision_save(
        decision=decision(
            first_notice_on=MONDAY,
            decision_date=datetime.date(2030, 2, 21),
            late_notice_reason="General exception: the contract must be let by March.",
        )
    )
    assert late.clear_days == 27


def test_a_closed_decision_names_its_paragraph_and_reason():
    with pytest.raises(ValidationError) as error:
        key_decision_save(decision=decision(is_closed=True))
    assert set(error.value.message_dict) == {"exempt_paragraph", "closed_reason"}
    with pytest.raises(ValidationError):
        key_decision_save(decision=decision(exempt_paragraph=3))
    closed = key_decision_save(
        decision=decision(is_closed=True, exempt_paragraph=3, closed_reason="Exempt appendix")
    )
    assert closed.pk


def test_the_notice_lists_the_periods_decisions_and_the_cabinet(client):
    ExecutiveMember.objects.create(name="Councillor J A Kite, MBE", portfolio="Leader")
    inside = key_decision_save(decision=decision(title="Budget 2030/31"))
    key_decision_save(
        decision=decision(title="Far off", decision_date=TODAY + datetime.timedelta(days=400))
    )
    closed = key_decision_save(
        decision=decision(
            title="Write-off of rates", is_closed=True, exempt_paragraph=3, closed_reason="Debts"
        )
    )
    params = {
        "start": TODAY.isoformat(),
        "end": (TODAY + datetime.timedelta(days=120)).isoformat(),
    }
    page = text_of(client.get(reverse("workplan:forward_plan"), params))
    assert inside.title in page and closed.title in page and "Far off" not in page
    assert "CLOSED" in page and "Paragraph 3" in page
    assert "Councillor J A Kite, MBE, Portfolio: Leader" in page
    assert "Put this notice on an agenda" not in page
    pdf = client.get(reverse("workplan:forward_plan_pdf"), params)
    text = pdf_text(pdf.content)
    assert "Regulation 9 Notice" in text and "Budget 2030/31" in text
    for nonsense in ({"start": "x", "end": "2030-99-99"}, {"start": "9" * 40}):
        assert client.get(reverse("workplan:forward_plan"), nonsense).status_code == 200


def test_a_coordinator_puts_the_notice_on_their_own_committees_agenda(
    client, coordinator, member, next_meeting, make_committee, make_meeting
):
    key_decision_save(decision=decision(title="Budget 2030/31"))
    item = agenda_item_add(meeting=next_meeting, title="Regulation 9 Notice")
    other_meeting = make_meeting(committee=make_committee())
    other_item = agenda_item_add(meeting=other_meeting, title="Regulation 9 Notice")
    url = reverse("workplan:forward_plan")
    params = {
        "start": TODAY.isoformat(),
        "end": (TODAY + datetime.timedelta(days=120)).isoformat(),
    }
    assert client.post(url, {"item": item.pk, **params}).status_code == 302  # to sign in
    client.force_login(member)
    assert client.post(url, {"item": item.pk, **params}).status_code == 403
    client.force_login(coordinator)
    response = client.post(url, {"item": other_item.pk, **params})
    assert "Select an agenda item from the list" in response.content.decode()
    assert not other_item.documents.exists()
    response = client.post(url, {"item": item.pk, **params}, follow=True)
    assert "The Regulation 9 Notice is on item" in text_of(response)
    document = item.documents.get()
    assert "Budget 2030/31" in pdf_text(document.current_version.file)
    client.post(url, {"item": item.pk, **params})
    assert document.versions.count() == 2


def test_the_admin_form_checks_the_notice_rules(verified_client_for, coordinator, officer):
    admin = verified_client_for(coordinator)
    add = reverse("admin:workplan_keydecision_add")
    response = admin.post(
        add,
        {
            "title": "Late decision",
            "decision_taker": "Cabinet",
            "decision_date": "2030-01-20",
            "first_notice_on": "2030-01-14",
            "author_name": "Jackie Pye",
        },
    )
    assert response.status_code == 200
    assert "clear days, not 28" in response.content.decode()
    assert not KeyDecision.objects.exists()
    # Only Member Services keep the forward plan.
    officer.is_staff = True
    officer.save()
    assert verified_client_for(officer).get(add).status_code == 403


def test_a_work_plan_item_scrutinises_a_key_decision_before_it_is_taken(
    client, coordinator, make_plan_item, next_meeting
):
    budget = key_decision_save(decision=decision(title="Budget 2030/31"))
    item = make_plan_item(target_meeting=next_meeting, topic="Draft budget")
    client.force_login(coordinator)
    edit = reverse("workplan:item_edit", kwargs={"slug": item.committee.slug, "pk": item.pk})
    client.post(
        edit,
        {
            "topic": "Draft budget",
            "category": "discretionary",
            "requested_how": "work_programme",
            "key_decision": budget.pk,
            "version": item.version,
        },
    )
    item.refresh_from_db()
    assert item.key_decision == budget
    client.logout()
    page = text_of(client.get(item.get_absolute_url()))
    assert "Pre-decision scrutiny of Budget 2030/31" in page
    programme = reverse("workplan:programme", args=[item.committee.slug])
    assert "Pre-decision scrutiny: Budget 2030/31" in text_of(client.get(programme))


def test_a_decision_is_listed_once_its_notice_is_published(client):
    key_decision_save(
        decision=decision(
            title="Not yet announced",
            first_notice_on=TODAY + datetime.timedelta(days=7),
            decision_date=TODAY + datetime.timedelta(days=90),
        )
    )
    params = {"start": TODAY.isoformat(), "end": (TODAY + datetime.timedelta(days=120)).isoformat()}
    assert "Not yet announced" not in text_of(client.get(reverse("workplan:forward_plan"), params))
    for hostile in ({"start": "9999-12-01"}, {"start": "9999-01-01", "end": "9999-02-01"}):
        assert client.get(reverse("workplan:forward_plan"), hostile).status_code == 200
        assert client.get(reverse("workplan:forward_plan_pdf"), hostile).status_code == 200


def test_a_date_out_of_range_is_a_field_error(verified_client_for, coordinator):
    from workplan.services import key_decision_errors

    errors = key_decision_errors(
        decision(first_notice_on=datetime.date(1, 1, 2), decision_date=datetime.date(1, 1, 20))
    )
    assert errors == {"decision_date": "Enter a real date", "first_notice_on": "Enter a real date"}
