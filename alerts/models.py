"""E-mail alerts: anyone may subscribe to a committee (confirming by e-mail first), and
is told when an agenda is published, an item is added to it, minutes are published and
what was decided, each once, until they unsubscribe in one click."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models import Meeting
from scrutiny.models import Committee


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Topic(models.TextChoices):
    AGENDA = "agenda", "An agenda is published"
    SUPPLEMENT = "supplement", "An item is added to a published agenda"
    MINUTES = "minutes", "Minutes are published"
    DECISIONS = "decisions", "What the committee decided"


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Stopped: e-mails to the address bounced"


class Subscription(models.Model):
    email = models.EmailField()
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    on_agenda = models.BooleanField(Topic.AGENDA.label, default=True)
    on_supplement = models.BooleanField(Topic.SUPPLEMENT.label, default=True)
    on_minutes = models.BooleanField(Topic.MINUTES.label, default=True)
    on_decisions = models.BooleanField(Topic.DECISIONS.label, default=True)
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    # A member is subscribed by their membership, their login's address confirmed.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "committee"], name="subscription_one_per_address_and_committee"
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(confirmed_at__isnull=False),
                name="subscription_active_is_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.committee} ({self.status})"

    @property
    def topics(self) -> list[str]:
        return [topic.label for topic in Topic if getattr(self, f"on_{topic.value}")]


class AlertKind(models.TextChoices):
    AGENDA = "agenda", "Agenda published"
    SUPPLEMENT = "supplement", "Item added"
    MINUTES = "minutes", "Minutes published"
    DECISIONS = "decisions", "Decisions"


class AlertEvent(models.Model):
    """Something to tell subscribers about. What the e-mail says is worked out when it is
    sent, from what the public may read then."""

    kind = models.CharField(max_length=12, choices=AlertKind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80, unique=True, help_text="Raised once per key.")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.key


class AlertDelivery(models.Model):
    """One subscriber told of one event: recorded so that it is told once."""

    event = models.ForeignKey(AlertEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="alert_delivery_once")
        ]

    def __str__(self):
        return f"{self.event} to {self.subscription_id}"
