"""Committees, the people who sit on or serve them, and their memberships."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class MinuteNumbering(models.TextChoices):
    MUNICIPAL_YEAR = "municipal_year", "Restart each municipal year (May to May)"
    CONTINUOUS = "continuous", "Continuous"


class Committee(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    short_name = models.CharField(
        max_length=12,
        blank=True,
        help_text='The abbreviation minutes use in cross references, as "GAC" in '
        '"[GAC Min. No. 36 refers]".',
    )
    purpose = models.TextField(
        blank=True, help_text="Terms of reference, as the constitution states them."
    )
    minute_numbering = models.CharField(
        max_length=20,
        choices=MinuteNumbering.choices,
        default=MinuteNumbering.MUNICIPAL_YEAR,
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_committees",
        help_text="Member Services staff who serve this committee (they must also "
        "be in the Co-ordinator group).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committee_detail", kwargs={"slug": self.slug})


class PersonKind(models.TextChoices):
    COUNCILLOR = "councillor", "Councillor"
    OFFICER = "officer", "Officer"


class Person(models.Model):
    """A councillor, or an officer of the council or a partner agency."""

    kind = models.CharField(max_length=20, choices=PersonKind.choices)
    honorific = models.CharField(
        max_length=20, blank=True, help_text='For example "Mrs." or "Insp."'
    )
    forenames = models.CharField(
        max_length=100, blank=True, help_text='Forenames or initials, as "R J".'
    )
    surname = models.CharField(max_length=100)
    post_nominals = models.CharField(max_length=40, blank=True, help_text='For example "MBE".')
    ward = models.CharField(max_length=100, blank=True)
    party = models.CharField(max_length=100, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login this person uses, if any.",
    )

    class Meta:
        ordering = ["surname", "forenames"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="councillor") | (Q(ward="") & Q(party="")),
                name="person_only_councillors_have_ward_and_party",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("person_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.kind != PersonKind.COUNCILLOR and (self.ward or self.party):
            raise ValidationError("Only councillors have a ward and a party.")

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.honorific, self.forenames, self.surname) if part)

    @property
    def display_name(self) -> str:
        """The name as the minutes print it: "Councillor A S Sandhu, MBE"."""
        name = self.name
        if self.kind == PersonKind.COUNCILLOR:
            name = f"Councillor {name}"
        if self.post_nominals:
            name = f"{name}, {self.post_nominals}"
        return name

    @property
    def description(self) -> str:
        """Job title and organisation for officers; ward and party for councillors."""
        if self.kind == PersonKind.COUNCILLOR:
            return ", ".join(part for part in (self.ward, self.party) if part)
        return ", ".join(part for part in (self.job_title, self.organisation) if part)


class MembershipRole(models.TextChoices):
    CHAIR = "chair", "Chairman"
    VICE_CHAIR = "vice_chair", "Vice-Chairman"
    MEMBER = "member", "Member"
    SUBSTITUTE = "substitute", "Substitute"
    INVITEE = "invitee", "Invitee"
    CO_OPTED = "co_opted", "Co-opted member"


# Roles that make a person a voting member of the committee, entitled to its
# exempt papers (substitutes are entitled only for the meetings they attend).
SITTING_ROLES = (
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.MEMBER,
    MembershipRole.CO_OPTED,
)

ROLE_ORDER = {role: position for position, role in enumerate(MembershipRole.values)}


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)

    def sitting(self):
        return self.filter(role__in=SITTING_ROLES)


class Membership(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave blank while it lasts.")
    note = models.CharField(
        max_length=200, blank=True, help_text='For example "by standing invitation".'
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["committee", "person", "start_date"],
                name="membership_unique_per_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.committee}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})
        councillor_only_roles = (
            MembershipRole.CHAIR,
            MembershipRole.VICE_CHAIR,
            MembershipRole.MEMBER,
            MembershipRole.SUBSTITUTE,
        )
        if (
            self.person_id
            and self.role in councillor_only_roles
            and self.person.kind != PersonKind.COUNCILLOR
        ):
            raise ValidationError(
                {"role": "Only councillors can be chair, vice-chair, member or substitute."}
            )


class ReaderVisit(models.Model):
    """When a reader last opened "My meetings": papers published since then are new to
    them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_visit"
    )
    my_meetings_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user_id} at {self.my_meetings_at}"


class UndeliveredTask(models.Model):
    """Background work the task queue could not take when it was asked for (the broker
    was down): kept here, with what was saved, and sent again when the queue is back
    (scrutiny.queue.undelivered_tasks_send)."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["task_name", "created_at"], name="undelivered_task_name")]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)!r}"


class SentMail(models.Model):
    """An e-mail a worker has sent, by the key it was queued with: a task run twice (its
    worker was killed before it could acknowledge it) does not send it twice."""

    key = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key
