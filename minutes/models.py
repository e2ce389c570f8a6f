"""The record of a meeting: who attended, declarations of interest, the minutes and
their resolutions, and every revision of them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from scrutiny.models import Person
from scrutiny.storage import random_name


class AttendanceCapacity(models.TextChoices):
    MEMBER = "member", "Member of the committee"
    INVITEE = "invitee", "Invitee"
    CABINET = "cabinet", "Cabinet member"
    OFFICER = "officer", "Council officer"
    GUEST = "guest", "Present to respond to issues"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    capacity = models.CharField(max_length=10, choices=AttendanceCapacity.choices)
    status = models.CharField(
        max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    substitute_for = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substituted_by",
        help_text="The member this person substituted for.",
    )
    role_note = models.CharField(
        max_length=200,
        blank=True,
        help_text='As the minutes print it after the name: "Chairman", "Portfolio Holder for '
        'Community Development".',
    )
    portfolio = models.CharField(
        max_length=200,
        blank=True,
        help_text='For a Cabinet member: "Portfolio Holder for Community Development". They are '
        "listed under CABINET MEMBERS.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_one_row_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(substitute_for__isnull=True)
                | models.Q(status=AttendanceStatus.PRESENT, capacity=AttendanceCapacity.MEMBER),
                name="attendance_substitute_is_a_present_member",
            ),
        ]

    def __str__(self):
        return f"{self.person} at {self.meeting}: {self.get_status_display()}"


class InterestKind(models.TextChoices):
    PECUNIARY = "pecuniary", "Disclosable pecuniary interest"
    OTHER_SIGNIFICANT = "other_significant", "Other significant interest"
    VOLUNTARY = "voluntary", "Voluntary announcement of another interest"


class Declaration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    kind = models.CharField(max_length=20, choices=InterestKind.choices)
    nature = models.TextField(help_text="The nature of the interest, as declared.")

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CIRCULATED = "circulated", "Circulated to the Chairman"
    PUBLISHED = "published", "Published as draft (unconfirmed)"
    CONFIRMED = "confirmed", "Confirmed"


class ChairmanResponse(models.TextChoices):
    APPROVED = "approved", "Approved"
    COMMENTS = "comments", "Returned with comments"


class MinutesPart(models.TextChoices):
    """The parts of the minutes besides each minute's own text, as a sentence names
    them when they change after the Chairman has answered."""

    ORDER = "order", "the order of the minutes"
    REGISTER = "register", "the attendance register"
    DECLARATIONS = "declarations", "the declarations of interest"
    CLOSING_TIME = "closing_time", "the closing time"


def minutes_pdf_path(minutes: "Minutes", filename: str) -> str:
    return random_name("minutes", minutes.meeting_id, "pdf")


class Minutes(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    closing_time = models.TimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmed_minutes",
        help_text="The meeting whose resolution confirmed these minutes.",
    )
    signed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The chairman who signed them as a correct record.",
    )
    # The Chairman's answer to the minutes as circulated to them; circulating them again
    # clears it, so it always answers the latest circulation.
    circulated_at = models.DateTimeField(null=True, blank=True)
    chairman_response = models.CharField(
        max_length=10, choices=ChairmanResponse.choices, blank=True
    )
    chairman_comments = models.TextField(blank=True)
    chairman_responded_at = models.DateTimeField(null=True, blank=True)
    chairman_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The Chairman answers the minutes he read: every change to what they record counts
    # here, the answer names the version it is about, and an answer given on an earlier
    # reading is refused.
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up with every change to the minutes: a minute's text or "
        "resolutions, their order, the register, the declarations, the closing time.",
    )
    chairman_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The version of the minutes the Chairman answered."
    )
    changed_parts = models.JSONField(
        default=list,
        blank=True,
        help_text="Which parts (MinutesPart) besides the minutes' own text have changed "
        "since the Chairman answered.",
    )
    pdf = models.FileField(upload_to=minutes_pdf_path, blank=True, max_length=200)
    pdf_built_at = models.DateTimeField(null=True, blank=True)
    pdf_source_hash = models.CharField(
        max_length=64, blank=True, help_text="Of the HTML the PDF was rendered from."
    )

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="confirmed")
                | models.Q(confirmed_at__isnull=False, confirmed_by_meeting__isnull=False),
                name="minutes_confirmed_at_a_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(chairman_response="")
                | models.Q(chairman_responded_at__isnull=False),
                name="minutes_chairman_response_is_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(chairman_response="comments") | ~models.Q(chairman_comments=""),
                name="minutes_chairman_comments_are_written",
            ),
        ]

    def __str__(self):
        return f"Minutes of {self.meeting}"

    def get_absolute_url(self):
        return reverse("minutes:minutes_detail", kwargs={"meeting_pk": self.meeting_id})

    @property
    def is_public(self) -> bool:
        return self.status in (MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED)

    @property
    def is_draft(self) -> bool:
        return self.status == MinutesStatus.DRAFT

    @property
    def is_circulated(self) -> bool:
        return self.status == MinutesStatus.CIRCULATED

    @property
    def is_confirmed(self) -> bool:
        return self.status == MinutesStatus.CONFIRMED


class MinuteOutcome(models.TextChoices):
    TAKEN = "taken", "Considered"
    NOT_REACHED = "not_reached", "Not reached"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DEFERRED = "deferred", "Deferred"


class Minute(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="minutes"
    )
    order = models.PositiveIntegerField(help_text="The order in which the items were taken.")
    number = models.PositiveIntegerField(null=True, blank=True)
    # Where the number counts: the committee, and the municipal year it restarts in (the
    # year the May-to-May year starts; 0 for a committee that numbers continuously).
    # Kept beside the number so that the database refuses two minutes with one number.
    committee = models.ForeignKey(
        "scrutiny.Committee", null=True, editable=False, on_delete=models.CASCADE, related_name="+"
    )
    numbering_year = models.PositiveSmallIntegerField(default=0, editable=False)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True, help_text="Sanitised HTML.")
    outcome = models.CharField(
        max_length=12, choices=MinuteOutcome.choices, default=MinuteOutcome.TAKEN
    )
    is_exempt = models.BooleanField(
        default=False,
        help_text="The minute itself discloses exempt information: only those entitled "
        "read it; the public minutes carry its public summary (s.100C).",
    )
    public_summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["minutes", "order"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "order"], name="minute_unique_order"),
            models.UniqueConstraint(
                fields=["committee", "numbering_year", "number"],
                condition=models.Q(number__isnull=False),
                name="minute_number_unique_per_committee_and_year",
            ),
            models.CheckConstraint(
                condition=models.Q(is_exempt=False) | ~models.Q(public_summary=""),
                name="exempt_minute_has_a_public_summary",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def is_written(self) -> bool:
        """Whether anything is written in the minute: its text or a resolution."""
        return bool(self.text.strip()) or self.resolutions.exists()


class Resolution(models.Model):
    minute = models.ForeignKey(Minute, on_delete=models.CASCADE, related_name="resolutions")
    position = models.PositiveIntegerField()
    text = models.TextField()
    is_free_text = models.BooleanField(
        default=False, help_text='Confirmed as worded although it does not begin "That".'
    )

    class Meta:
        ordering = ["minute", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["minute", "position"], name="resolution_unique_position"
            ),
        ]

    def __str__(self):
        return self.text[:80]


class MinuteRevision(models.Model):
    """A saved state of a minute: who saved it, when, and exactly what it said."""

    minute = models.ForeignKey(Minute, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=MinuteOutcome.choices)
    is_exempt = models.BooleanField(default=False)
    public_summary = models.TextField(blank=True)
    resolutions = models.JSONField(default=list, help_text="[[text, is_free_text], ...]")
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["minute", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["minute", "version"], name="minute_revision_unique_version"
            ),
        ]

    def __str__(self):
        return f"{self.minute}, version {self.version}"
