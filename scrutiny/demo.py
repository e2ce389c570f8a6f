"""The demo committee, built from the seed papers of Dartford Borough Council's
Crime and Disorder (Overview and Scrutiny) Committee (minutes of 26 July 2017,
agenda pack of 21 February 2018). Names and roles are public record.

Everything here is idempotent: loading twice changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .access import Role
from .models import Committee, Membership, MembershipRole, MinuteNumbering, Person, PersonKind
from .services import membership_create

COMMITTEE_NAME = "Crime and Disorder (Overview and Scrutiny) Committee"
COMMITTEE_SLUG = "crime-and-disorder"

# From the "Background" of the committee's rolling Work Programme (seed 004).
COMMITTEE_PURPOSE = """\
The Crime and Disorder (Overview and Scrutiny) Committee scrutinises the responsible \
authorities of the Dartford and Gravesham Community Safety Partnership (CSP) in the \
discharge of their crime and disorder functions.

On a statutory basis it considers the CSP's annual Strategic Assessment and the CSP's \
Community Safety Strategy and its annual Refresh documents.

On a discretionary basis, and with the prior agreement of the CSP as appropriate, it \
reviews the contributions made by CSP partner agencies to the aims of the Partnership. \
It also considers the CSP's mid-term Performance Report, receives updates from the \
Council's Kent Police and Crime Panel representative, receives the Dartford Town Against \
Crime (D-TAC) Annual Review, and considers draw-down topics via the Chairman.

The Committee's Work Programme is subject to review at each meeting."""

# The seeds do not give appointment dates: memberships run from the start of
# the 2017-18 municipal year, the year of both seed meetings.
MUNICIPAL_YEAR_2017_START = datetime.date(2017, 5, 1)


@dataclass(frozen=True)
class DemoPerson:
    key: str
    kind: str
    surname: str
    forenames: str = ""
    honorific: str = ""
    post_nominals: str = ""
    job_title: str = ""
    organisation: str = ""
    role: str | None = None
    note: str = ""


DBC = "Dartford Borough Council"

PEOPLE = [
    # Members, as listed under PRESENT and ABSENT in the minutes of 26 July 2017.
    DemoPerson("wells", PersonKind.COUNCILLOR, "Wells", "R J", role=MembershipRole.CHAIR),
    DemoPerson(
        "sandhu",
        PersonKind.COUNCILLOR,
        "Sandhu",
        "A S",
        post_nominals="MBE",
        role=MembershipRole.VICE_CHAIR,
    ),
    DemoPerson("jarnell", PersonKind.COUNCILLOR, "Jarnell", "S R", role=MembershipRole.MEMBER),
    DemoPerson("kelly", PersonKind.COUNCILLOR, "Kelly", "M B", role=MembershipRole.MEMBER),
    DemoPerson("lees", PersonKind.COUNCILLOR, "Lees", "R", role=MembershipRole.MEMBER),
    DemoPerson("maddison", PersonKind.COUNCILLOR, "Maddison", "M A", role=MembershipRole.MEMBER),
    DemoPerson("mclean", PersonKind.COUNCILLOR, "McLean", "C S", role=MembershipRole.MEMBER),
    DemoPerson("mote", PersonKind.COUNCILLOR, "Mote", "D J", role=MembershipRole.MEMBER),
    DemoPerson(
        "allen",
        PersonKind.COUNCILLOR,
        "Allen",
        "A D",
        honorific="Mrs.",
        post_nominals="MBE",
        role=MembershipRole.INVITEE,
        note="Cabinet Portfolio Holder for Community Development, by standing invitation",
    ),
    # Councillors who are not on the committee.
    DemoPerson("hammock", PersonKind.COUNCILLOR, "Hammock", "D A"),
    DemoPerson("kite", PersonKind.COUNCILLOR, "Kite", "J A", post_nominals="MBE"),
    DemoPerson("shippam", PersonKind.COUNCILLOR, "Shippam", "C J"),
    # Council officers.
    DemoPerson(
        "green",
        PersonKind.OFFICER,
        "Green",
        "Sheri",
        job_title="Strategic Director (External Services)",
        organisation=DBC,
    ),
    DemoPerson(
        "salisbury",
        PersonKind.OFFICER,
        "Salisbury",
        "Mark",
        job_title="EARS & CSU Manager",
        organisation=DBC,
    ),
    # Seed 004 names her as Head of Legal Services; the demo gives her the Monitoring
    # Officer's role, which councils usually give that post.
    DemoPerson(
        "kelly_stone",
        PersonKind.OFFICER,
        "Kelly-Stone",
        "Marie",
        job_title="Head of Legal Services",
        organisation=DBC,
    ),
    DemoPerson(
        "henley",
        PersonKind.OFFICER,
        "Henley",
        "Tony",
        job_title="Community Safety Manager, CSU",
        organisation=DBC,
    ),
    DemoPerson(
        "kirnon",
        PersonKind.OFFICER,
        "Kirnon",
        "Lewis",
        job_title="Town Centre & Business Support Manager, CSU",
        organisation=DBC,
    ),
    DemoPerson(
        "morgan",
        PersonKind.OFFICER,
        "Morgan",
        "Mike",
        job_title="D-TAC Intelligence Manager, CSU",
        organisation=DBC,
    ),
    DemoPerson(
        "ransley",
        PersonKind.OFFICER,
        "Ransley",
        "Jade",
        job_title="Community Safety Officer, CSU",
        organisation=DBC,
    ),
    DemoPerson(
        "hook",
        PersonKind.OFFICER,
        "Hook",
        "David",
        job_title="Committee Co-ordinator, Member Services",
        organisation=DBC,
    ),
    # Guests "present to respond to issues raised by the Scrutiny Committee".
    DemoPerson(
        "woodward",
        PersonKind.OFFICER,
        "Woodward",
        "Gary",
        honorific="Insp.",
        job_title="CSU Inspector",
        organisation="Kent Police",
    ),
    DemoPerson(
        "matthews",
        PersonKind.OFFICER,
        "Matthews",
        "Emily",
        job_title="DA Commissioning Officer",
        organisation="Kent County Council",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    person_key: str
    role: str
    describes: str


DEMO_PASSWORD = "scrutiny-demo-2026"

LOGINS = [
    DemoLogin("coordinator", "hook", Role.COORDINATOR, "committee co-ordinator (Member Services)"),
    DemoLogin("member", "mote", Role.MEMBER, "councillor on the committee"),
    DemoLogin("chairman", "wells", Role.MEMBER, "Chairman of the committee"),
    DemoLogin("councillor", "kite", Role.MEMBER, "councillor not on the committee"),
    DemoLogin("officer", "henley", Role.OFFICER, "officer (Community Safety Manager)"),
    DemoLogin(
        "dataofficer",
        "ransley",
        Role.OFFICER,
        "officer who uploads the partnership's performance data (Community Safety Officer)",
    ),
    DemoLogin(
        "monitoring",
        "kelly_stone",
        Role.MONITORING_OFFICER,
        "Monitoring Officer (Head of Legal Services)",
    ),
]


def load_committee() -> tuple[Committee, dict[str, Person]]:
    committee, _ = Committee.objects.update_or_create(
        slug=COMMITTEE_SLUG,
        defaults={
            "name": COMMITTEE_NAME,
            "purpose": COMMITTEE_PURPOSE,
            "minute_numbering": MinuteNumbering.MUNICIPAL_YEAR,
        },
    )
    people = {}
    for demo in PEOPLE:
        person, _ = Person.objects.update_or_create(
            kind=demo.kind,
            surname=demo.surname,
            forenames=demo.forenames,
            defaults={
                "honorific": demo.honorific,
                "post_nominals": demo.post_nominals,
                "job_title": demo.job_title,
                "organisation": demo.organisation,
            },
        )
        people[demo.key] = person
        if (
            demo.role
            and not Membership.objects.filter(
                committee=committee, person=person, start_date=MUNICIPAL_YEAR_2017_START
            ).exists()
        ):
            membership_create(
                committee=committee,
                person=person,
                role=demo.role,
                start_date=MUNICIPAL_YEAR_2017_START,
                note=demo.note,
            )
    return committee, people


def load_logins(*, committee: Committee, people: dict[str, Person]) -> list[DemoLogin]:
    """Create the demo logins (development only) and link each to its person."""
    User = get_user_model()
    for login in LOGINS:
        person = people[login.person_key]
        user, created = User.objects.get_or_create(
            username=login.username,
            defaults={
                "first_name": person.forenames,
                "last_name": person.surname,
                "email": f"{login.username}@demo.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = login.role == Role.COORDINATOR
        user.save()
        user.groups.set([Group.objects.get(name=login.role)])
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        if login.role == Role.COORDINATOR:
            committee.coordinators.add(user)
    # Members are subscribed to their committee's alerts, as a new membership would be.
    from alerts.services import member_subscription_ensure

    for membership in Membership.objects.current().filter(
        committee=committee, person__user__isnull=False
    ):
        member_subscription_ensure(membership=membership)
    return LOGINS
