"""Community Safety Partnership performance data: indicators, areas, quarters, the
observations officers upload for them, and the uploads themselves.

The partnership reports to one committee (the Crime and Disorder Committee in the
demo): its indicators belong to that committee, and a confidential indicator's
values are exempt material of that committee (scrutiny/access.py).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from scrutiny.models import Committee

# Observations are stored to four decimal places: enough for rates per 1,000 and
# percentages, and exact, unlike floats.
VALUE_DIGITS = 14
VALUE_PLACES = 4

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    "Use letters, numbers, hyphens, full stops and underscores, with no spaces.",
)


# --- quarters ---------------------------------------------------------------------

QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}
_FINANCIAL_YEAR = r"(?P<year>\d{4})\s*[-/]\s*(?P<next>\d{2}|\d{4})"
_QUARTER = r"Q(?P<quarter>[1-4])"
_PERIOD_FORMS = [
    re.compile(rf"^{_FINANCIAL_YEAR}\s+{_QUARTER}$", re.IGNORECASE),  # 2017-18 Q1, 2017/18 Q1
    re.compile(rf"^{_QUARTER}\s+{_FINANCIAL_YEAR}$", re.IGNORECASE),  # Q1 2017-18
]


class PeriodKey(NamedTuple):
    """A financial-year quarter as plain values: 2017-18 Q1 is April to June 2017."""

    start_year: int
    quarter: int

    @classmethod
    def containing(cls, day: datetime.date) -> PeriodKey:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def index(self) -> int:
        """Quarters since year 0, so that keys can be counted and shifted."""
        return self.start_year * 4 + self.quarter - 1

    def shifted(self, quarters: int) -> PeriodKey:
        start_year, position = divmod(self.index + quarters, 4)
        return PeriodKey(start_year, position + 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d} Q{self.quarter}"

    @property
    def start_date(self) -> datetime.date:
        first_month = QUARTER_MONTHS[self.quarter][0]
        year = self.start_year + (1 if self.quarter == 4 else 0)
        return datetime.date(year, first_month, 1)

    @property
    def end_date(self) -> datetime.date:
        return self.shifted(1).start_date - datetime.timedelta(days=1)

    @property
    def months_label(self) -> str:
        """As the reports name a quarter: "April to June 2017"."""
        return f"{self.start_date:%B} to {self.end_date:%B %Y}"


def parse_period(text: str) -> PeriodKey:
    """Read a quarter written as "2017-18 Q1", "2017/18 Q1" or "Q1 2017-18" (the second
    year may be written in full). ValueError if it is none of these."""
    cleaned = " ".join(str(text).split())
    for form in _PERIOD_FORMS:
        match = form.match(cleaned)
        if match:
            year, following = int(match["year"]), match["next"]
            expected = year + 1 if len(following) == 4 else (year + 1) % 100
            if int(following) != expected:
                raise ValueError(f"{year} is followed by {following}")
            return PeriodKey(year, int(match["quarter"]))
    raise ValueError("not a financial-year quarter")


class Period(models.Model):
    """A financial-year quarter. Created as observations for it arrive."""

    start_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2017 for 2017-18."
    )
    quarter = models.PositiveSmallIntegerField(
        choices=[(n, f"Q{n}") for n in range(1, 5)],
        help_text="Q1 is April to June, Q4 January to March.",
    )

    class Meta:
        ordering = ["start_year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["start_year", "quarter"], name="period_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def key(self) -> PeriodKey:
        return PeriodKey(self.start_year, self.quarter)

    @property
    def label(self) -> str:
        return self.key.label

    @property
    def start_date(self) -> datetime.date:
        return self.key.start_date

    @property
    def end_date(self) -> datetime.date:
        return self.key.end_date

    @property
    def months_label(self) -> str:
        return self.key.months_label


# --- indicators and areas ------------------------------------------------------------


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000 population"
    PERCENTAGE = "percentage", "Percentage"


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    NEITHER = "neither", "Neither (no judgement)"


class DataQuality(models.TextChoices):
    AUDITED = "audited", "Audited figures, as released to the public"
    FRONT_LINE = "front_line", "Taken from front-line recording systems"


class Indicator(models.Model):
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="The committee that receives the partnership's performance reports. "
        "A confidential indicator's values are exempt material of this committee.",
    )
    code = models.CharField(max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    no_change_band = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(0)],
        help_text="A change within this many per cent of the earlier value, either way, "
        "counts as no change.",
    )
    source_agency = models.CharField(max_length=200, blank=True)
    data_quality = models.CharField(
        max_length=20, choices=DataQuality.choices, default=DataQuality.AUDITED
    )
    is_confidential = models.BooleanField(
        default=False,
        help_text="Received under an obligation of confidence: its values are exempt and "
        "reach only those entitled to the committee's exempt papers.",
    )
    suppress_below = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text='Values below this show as "fewer than N" in any output that is not '
        "exempt. Leave blank to show every value.",
    )
    target = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    baseline = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    allows_missing_reason = models.BooleanField(
        default=False,
        help_text="A quarter's value may be left out (\u201cn/a\u201d or empty) when the note "
        "gives the reason, as partner agencies sometimes cannot supply one.",
    )
    is_crime = models.BooleanField(
        default=False,
        help_text="Counts recorded crime: series breaks for all crime indicators apply to it.",
    )
    note = models.TextField(
        blank=True, help_text="Shown wherever the indicator's figures are shown."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in tables.")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="indicator_code_unique_any_case"),
            models.CheckConstraint(
                condition=Q(no_change_band__gte=0), name="indicator_band_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(suppress_below__isnull=True) | Q(suppress_below__gte=1),
                name="indicator_suppression_threshold_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_rate(self) -> bool:
        return self.unit == Unit.RATE_PER_1000


class AreaKind(models.TextChoices):
    DISTRICT = "district", "District (this council)"
    PARTNER_DISTRICT = "partner_district", "Partner district"
    COUNTY = "county", "County"
    PEER = "peer", "Most-similar-group peer"


class Area(models.Model):
    code = models.CharField(max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    county = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="districts",
        limit_choices_to={"kind": AreaKind.COUNTY},
        help_text="The county the area is compared with.",
    )
    most_similar = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="in_groups_of",
        help_text="The other partnerships in this area's most similar group (iQuanta), "
        "for ranking rates.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("code"), name="area_code_unique_any_case"),
        ]

    def __str__(self):
        return self.name


class AreaPopulation(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(help_text="Mid-year estimate for this year.")
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["area", "year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_population_unique"),
        ]

    def __str__(self):
        return f"{self.area}, {self.year}: {self.population:,}"


class SeriesBreakQuerySet(models.QuerySet):
    def for_indicator(self, indicator: Indicator):
        """Breaks in this indicator's series: its own, and those of all crime indicators."""
        condition = Q(indicator=indicator)
        if indicator.is_crime:
            condition |= Q(indicator__isnull=True)
        return self.filter(condition)


class SeriesBreak(models.Model):
    """A date from which figures are not comparable with those before it: counting
    rules or recording practice changed."""

    date = models.DateField(help_text="Figures from this date on follow the new practice.")
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="series_breaks",
        help_text="Leave blank for a break in all crime indicators.",
    )
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    objects = SeriesBreakQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date:%-d %B %Y}: {self.title}"

    def applies_to(self, indicator: Indicator) -> bool:
        if self.indicator_id is None:
            return indicator.is_crime
        return self.indicator_id == indicator.pk

    def splits(self, first: PeriodKey, last: PeriodKey) -> bool:
        """Whether figures from `first` to `last` lie on both sides of the break."""
        return first.start_date < self.date <= last.end_date


# --- who supplies the figures --------------------------------------------------------


class DataOfficer(models.Model):
    """An officer named by the committee's co-ordinator to upload the partnership's
    performance data for the committee."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_officer_roles"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["committee", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="data_officer_unique"),
        ]

    def __str__(self):
        return f"{self.user} uploads performance data for {self.committee}"


# --- uploads and observations ----------------------------------------------------------


class UploadState(models.TextChoices):
    PREVIEWED = "previewed", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Imported"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"
    REVERTED = "reverted", "Reverted"


class UploadSource(models.TextChoices):
    WEB = "web", "Uploaded on the website"
    COMMAND = "command", "Imported with manage.py import_observations"
    DEMO = "demo", "Loaded with the demo"


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel spreadsheet (XLSX)"


class RowChange(models.TextChoices):
    NEW = "new", "New"
    CHANGED = "changed", "Changed"
    UNCHANGED = "unchanged", "Unchanged"


class Upload(models.Model):
    """One file of observations: previewed, then imported (or cancelled), and perhaps
    reverted. `rows` keeps the preview (each row, what it changes and the value it
    replaces), so that confirming needs no second upload and a revert knows what to undo."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observation_uploads",
    )
    uploaded_by_name = models.CharField(max_length=150, help_text="Kept if the user goes.")
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=10, choices=UploadSource.choices)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10, choices=FileFormat.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=UploadState.choices, default=UploadState.PREVIEWED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reverted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["confirmed", "reverted"]) | Q(confirmed_at__isnull=False),
                name="upload_imported_has_confirmation",
            ),
            models.CheckConstraint(
                condition=~Q(state="reverted") | Q(reverted_at__isnull=False),
                name="upload_reverted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["cancelled", "expired"]) | Q(cancelled_at__isnull=False),
                name="upload_cancelled_has_time",
            ),
        ]

    def __str__(self):
        return f"Upload {self.pk}: {self.file_name}"

    @property
    def description(self) -> str:
        """How refusals and the log name an upload: "upload 12 (q1.csv, 3 July 2017, by jr)"."""
        when = timezone.localtime(self.confirmed_at or self.uploaded_at)
        return f"upload {self.pk} ({self.file_name}, {when:%-d %B %Y}, by {self.uploaded_by_name})"


class ObservationStatus(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    AUDITED = "audited", "Audited"


class Observation(models.Model):
    """An indicator's value for an area in a quarter. A value may be missing only with
    its reason in the note, for indicators that allow it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="observations")
    value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    status = models.CharField(
        max_length=12, choices=ObservationStatus.choices, default=ObservationStatus.PROVISIONAL
    )
    note = models.CharField(max_length=500, blank=True)
    upload = models.ForeignKey(
        Upload,
        on_delete=models.PROTECT,
        related_name="observations",
        help_text="The upload that recorded the current value.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "area", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="observation_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(note=""),
                name="observation_missing_value_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["area", "period"])]

    def __str__(self):
        return f"{self.indicator.code} {self.area.code} {self.period}: {self.value}"

    def clean(self):
        if self.value is None and not self.note.strip():
            raise ValidationError({"note": "Give the reason the value is missing."})


class RevisionCause(models.TextChoices):
    UPLOAD = "upload", "Replaced by an upload"
    REVERT = "revert", "Undone when an upload was reverted"


class ObservationRevision(models.Model):
    """A value an observation no longer has: what it was, which upload had recorded it,
    and what replaced it, when and by whom."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    status = models.CharField(max_length=12, choices=ObservationStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    upload = models.ForeignKey(
        Upload,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The upload that had recorded this value.",
    )
    cause = models.CharField(max_length=10, choices=RevisionCause.choices)
    replaced_by_upload = models.ForeignKey(
        Upload,
        on_delete=models.PROTECT,
        related_name="revisions",
        help_text="The upload whose import (or revert) replaced this value.",
    )
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observation", "-replaced_at", "-pk"]

    def __str__(self):
        return f"{self.observation_id}: {self.value} until {self.replaced_at:%Y-%m-%d}"
