"""The committee's rolling work programme: what it means to consider, at which meeting,
who asked for it, and every move of it from one meeting to another."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from meetings.law import ExemptParagraph
from meetings.models import AgendaItem, Meeting
from minutes.models import Minute, Resolution
from scrutiny.models import Committee


class Category(models.TextChoices):
    STATUTORY = "statutory", "Statutory business"
    STANDING = "standing", "Standing item"
    DISCRETIONARY = "discretionary", "Discretionary topic"
    DRAW_DOWN = "draw_down", "Draw-down through the Chairman"


class RequestedHow(models.TextChoices):
    WORK_PROGRAMME = "work_programme", "The agreed work programme"
    RESOLUTION = "resolution", "A resolution of the committee"
    MEMBER = "member", "A Member"
    CHAIRMAN = "chairman", "The Chairman"
    PARTNER = "partner", "A partner agency"
    OFFICER = "officer", "An officer"
    REFERENCE = "reference", "Another committee"


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SCHEDULED = "scheduled", "Scheduled"
    ON_AGENDA = "on_agenda", "On an agenda"
    CONSIDERED = "considered", "Considered"
    POSTPONED = "postponed", "Postponed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Items still to be dealt with: they may be moved, postponed or withdrawn.
OPEN_STATUSES = (Status.PROPOSED, Status.SCHEDULED, Status.POSTPONED)
# Items a meeting's agenda may take from the plan.
PLACEABLE_STATUSES = OPEN_STATUSES


class Recurrence(models.TextChoices):
    NONE = "", "Does not recur"
    EVERY_MEETING = "every_meeting", "At every meeting"
    ANNUAL = "annual", "Once a municipal year, at the same time of year"


class WorkPlanItem(models.Model):
    """A topic on the committee's work programme. The programme is published: nothing
    exempt is written here (an exempt paper belongs to the agenda item it becomes)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="work_plan")
    topic = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    requested_how = models.CharField(
        "who asked",
        max_length=20,
        choices=RequestedHow.choices,
        default=RequestedHow.WORK_PROGRAMME,
    )
    requested_by = models.CharField(
        "asked by",
        max_length=200,
        blank=True,
        help_text='For example "Lead Member for Enforcement & Community Safety".',
    )
    source_resolution = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_plan_items",
    )
    # The minute keeps the link if the resolution's wording is later rewritten away.
    source_minute = models.ForeignKey(
        Minute, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_plan_items"
    )
    lead = models.CharField(
        "lead officer or presenter",
        max_length=200,
        blank=True,
        help_text='For example "Community Safety Manager" or "Kent Police".',
    )
    # PROTECT: a meeting or agenda item is not deleted from under the plan (the admin
    # says which items hold it); the agenda builder unlinks an item it removes.
    target_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_plan_items",
        help_text="Empty while the item is to be scheduled.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    agenda_item = models.OneToOneField(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_plan_item",
    )
    recurrence = models.CharField(
        max_length=20, choices=Recurrence.choices, blank=True, default=Recurrence.NONE
    )
    key_decision = models.ForeignKey(
        "KeyDecision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_plan_items",
        help_text="For pre-decision scrutiny: the key decision the item looks at.",
    )
    recurs_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recurrences",
        help_text="The first item of the series this one was rolled forward from.",
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["committee", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "on_agenda"])
                | Q(target_meeting__isnull=False),
                name="work_plan_item_scheduled_has_a_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(status="on_agenda") | Q(agenda_item__isnull=False),
                name="work_plan_item_on_agenda_has_its_item",
            ),
            models.UniqueConstraint(
                fields=["recurs_from", "target_meeting"],
                condition=Q(recurs_from__isnull=False, target_meeting__isnull=False),
                name="work_plan_item_recurs_once_per_meeting",
            ),
        ]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("workplan:item_detail", kwargs={"slug": self.committee.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def series_id(self) -> int:
        return self.recurs_from_id or self.pk


class ChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    EDITED = "edited", "Edited"
    MOVED = "moved", "Moved"
    POSTPONED = "postponed", "Postponed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REINSTATED = "reinstated", "Reinstated"
    PLACED = "placed", "Placed on the agenda"
    REMOVED = "removed", "Taken off the agenda"
    CONSIDERED = "considered", "Considered"
    DEFERRED = "deferred", "Deferred at the meeting"
    ROLLED_FORWARD = "rolled_forward", "Added for the next municipal year"


class WorkPlanChange(models.Model):
    """One entry in a work plan item's history: what changed, why, who, when."""

    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The agenda item a change concerns (placed on it, taken off it, its minute's outcome):
    # the change is read only by those who may read that item in full.
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    reason = models.TextField(blank=True)
    detail = models.CharField(
        max_length=300, blank=True, help_text="What an edit changed, in words."
    )

    class Meta:
        ordering = ["item", "at", "pk"]

    def __str__(self):
        return f"{self.item}: {self.get_kind_display()}"


# --- the recommendations and actions tracker -----------------------------------------


def minute_discloses_exempt(minute) -> bool:
    """Whether what a minute records (its resolutions, what they ask) is exempt: the
    minute is marked exempt, or it is the minute of an exempt item. Needs item loaded."""
    return minute.is_exempt or (minute.item is not None and minute.item.is_exempt)


class ActionStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting response"
    RESPONDED = "responded", "Responded"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    IMPLEMENTED = "implemented", "Implemented"


CLOSED_ACTION_STATUSES = (ActionStatus.ACCEPTED, ActionStatus.REJECTED, ActionStatus.IMPLEMENTED)


class TrackedAction(models.Model):
    """Something a resolution asks of someone (officers to respond to Members, a
    recommendation to Cabinet or the Community Safety Partnership), followed to its
    outcome. It is overdue while awaiting a response after its due date."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="actions")
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    minute = models.ForeignKey(
        Minute, on_delete=models.PROTECT, related_name="actions", help_text="Where it was asked."
    )
    description = models.TextField(help_text="What is asked, and of whom.")
    owner_name = models.CharField(
        "owner",
        max_length=200,
        help_text='Who must respond: "Community Safety Manager", "Cabinet".',
    )
    owner = models.ForeignKey(
        "scrutiny.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The person reminded, when they have a login with an e-mail address.",
    )
    owner_email = models.EmailField(
        "owner's e-mail address",
        blank=True,
        help_text="For an owner without a login (a partner agency's contact).",
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.AWAITING
    )
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When it was accepted, rejected or implemented: the tracker reports it "
        "once more, at the next meeting, and then leaves it out.",
    )
    reminder_sent_on = models.DateField(
        null=True, blank=True, help_text="The owner's reminder is sent once."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="awaiting") | ~Q(response=""),
                name="tracked_action_answered_has_a_response",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def is_exempt(self) -> bool:
        """Asked in an exempt minute, or in the minute of an exempt item: read only by
        those entitled, and never in an e-mail. Needs minute__item loaded."""
        return minute_discloses_exempt(self.minute)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_ACTION_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == ActionStatus.AWAITING and self.due_date < today


class ActionDigest(models.Model):
    """A weekly digest of overdue actions sent to a committee's co-ordinators: one row
    per committee and week, so that each week's digest is sent once."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday of the week it was sent in.")
    sent_at = models.DateTimeField(default=timezone.now)
    overdue = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "week"], name="action_digest_once_a_week")
        ]

    def __str__(self):
        return f"{self.committee}: week of {self.week}"


# --- the forward plan of key decisions (the "Regulation 9 notice") ---------------------


class ExecutiveMember(models.Model):
    """A Cabinet member and portfolio, as the notice lists them above its table."""

    name = models.CharField(max_length=200, help_text='"Councillor J A Kite, MBE".')
    portfolio = models.CharField(max_length=200, help_text='"Leader & Overall Strategy".')
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name}, Portfolio: {self.portfolio}"


class KeyDecision(models.Model):
    """A key decision the executive is to take, published on the forward plan at least
    28 clear days before it is taken (or with the reason it could not be)."""

    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="The matter to be decided, briefly.")
    decision_taker = models.CharField(
        "decided by",
        max_length=200,
        default="Cabinet",
        help_text='"Cabinet", "General Assembly of the Council (Budget)".',
    )
    decision_date = models.DateField("date of decision")
    further_decision = models.CharField(
        "then",
        max_length=200,
        blank=True,
        help_text='A later stage: "General Assembly of the Council, 19 March 2018".',
    )
    consultation = models.TextField("who is consulted, and how", blank=True)
    background_papers = models.TextField(blank=True)
    author_name = models.CharField("report author", max_length=200)
    author_title = models.CharField("author's job title", max_length=200, blank=True)
    author_phone = models.CharField("author's telephone", max_length=40, blank=True)
    author_email = models.EmailField("author's e-mail address", blank=True)
    is_closed = models.BooleanField(
        "closed", default=False, help_text="The public are likely to be excluded."
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=ExemptParagraph.choices, null=True, blank=True
    )
    closed_reason = models.TextField(blank=True, help_text="Why it is taken in closed session.")
    first_notice_on = models.DateField(
        "first published on the notice", help_text="28 clear days are counted from this day."
    )
    late_notice_reason = models.TextField(
        blank=True,
        help_text="With less than 28 clear days' notice: why (general exception or special "
        "urgency, regulations 10 and 11).",
    )

    class Meta:
        ordering = ["decision_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_closed=False) | Q(exempt_paragraph__isnull=False),
                name="key_decision_closed_names_its_paragraph",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def clear_days(self) -> int:
        from meetings.law import clear_days_between

        return clear_days_between(self.first_notice_on, self.decision_date)


# --- the committee's annual report ---------------------------------------------------------


class AnnualReport(models.Model):
    """The co-ordinator's words for the committee's annual report of a municipal year.
    Everything else in the report (meetings, attendance, topics, resolutions,
    recommendations and their outcomes, business carried forward) is read from the
    record when it is generated."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    year_start = models.DateField(help_text="1 May of the municipal year it reports on.")
    foreword = models.TextField("Chairman's foreword", blank=True)
    introduction = models.TextField(
        blank=True, help_text="The committee's role and how it worked this year."
    )
    highlights = models.TextField(
        "the year in summary",
        blank=True,
        help_text="What the committee looked at and what difference it made.",
    )
    looking_ahead = models.TextField(
        "looking ahead", blank=True, help_text="The committee's priorities for next year."
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year_start"], name="annual_report_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.committee}: annual report {self.year_start.year}"
