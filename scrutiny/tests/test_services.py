import datetime

import pytest
from django.core.exceptions import ValidationError

from scrutiny.models import Membership, MembershipRole
from scrutiny.services import membership_create, membership_end

pytestmark = pytest.mark.django_db

MAY_2017 = datetime.date(2017, 5, 1)


def test_membership_create_saves_a_valid_membership(committee, make_person):
    person = make_person()
    membership = membership_create(
        committee=committee, person=person, role=MembershipRole.CHAIR, start_date=MAY_2017
    )
    assert Membership.objects.get() == membership
    assert membership.person == person


def test_committee_has_one_chair_at_a_time(committee, make_person):
    first = make_person(surname="Wells")
    membership_create(
        committee=committee, person=first, role=MembershipRole.CHAIR, start_date=MAY_2017
    )
    with pytest.raises(ValidationError, match="Wells is already Chairman"):
        membership_create(
            committee=committee,
            person=make_person(),
            role=MembershipRole.CHAIR,
            start_date=datetime.date(2018, 1, 1),
        )
    assert Membership.objects.count() == 1


def test_a_new_chair_may_follow_one_whose_term_ended(committee, make_person):
    first = membership_create(
        committee=committee, person=make_person(), role=MembershipRole.CHAIR, start_date=MAY_2017
    )
    membership_end(membership=first, end_date=datetime.date(2018, 5, 8))
    second = membership_create(
        committee=committee,
        person=make_person(),
        role=MembershipRole.CHAIR,
        start_date=datetime.date(2018, 5, 9),
    )
    assert second.pk


def test_many_members_may_sit_at_once(committee, make_person):
    for _ in range(3):
        membership_create(
            committee=committee,
            person=make_person(),
            role=MembershipRole.MEMBER,
            start_date=MAY_2017,
        )
    assert Membership.objects.count() == 3


def test_membership_end_refuses_an_end_before_the_start(committee, make_person):
    membership = membership_create(
        committee=committee, person=make_person(), role=MembershipRole.MEMBER, start_date=MAY_2017
    )
    with pytest.raises(ValidationError):
        membership_end(membership=membership, end_date=datetime.date(2017, 1, 1))
    membership.refresh_from_db()
    assert membership.end_date is None


# --- e-mails sent once, and the keys that guard them forgotten in time -------------


@pytest.mark.django_db
def test_an_email_is_sent_once_for_its_key(mailoutbox):
    from django.core.mail import EmailMessage

    from scrutiny.services import mail_send_once

    def message():
        return EmailMessage("Agenda published", "Read it online.", to=["member@example.org"])

    assert mail_send_once(key="notice-1", message=message()) is True
    assert mail_send_once(key="notice-1", message=message()) is False
    assert mail_send_once(key="notice-2", message=message()) is True
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_sent_mail_keys_are_forgotten_after_the_keeping_period(settings):
    import datetime

    from django.utils import timezone

    from scrutiny.models import SentMail
    from scrutiny.services import sent_mail_prune

    settings.SCRUTINY_SENT_MAIL_KEEP_DAYS = 30
    now = timezone.now()
    SentMail.objects.create(key="old", sent_at=now - datetime.timedelta(days=31))
    SentMail.objects.create(key="recent", sent_at=now - datetime.timedelta(days=29))
    assert sent_mail_prune(now=now) == 1
    assert list(SentMail.objects.values_list("key", flat=True)) == ["recent"]


def test_beat_prunes_sent_mail_daily(settings):
    from scrutiny.tasks import prune_sent_mail

    entry = settings.CELERY_BEAT_SCHEDULE["prune-sent-mail"]
    assert entry["task"] == prune_sent_mail.name
