"""Writes for performance data: check a file of observations, preview what it would
change, import it in one transaction or not at all, cancel, revert; and name the
officers who may upload.

Only the committee's data officers upload (scrutiny/access.py). The command line
(`manage.py import_observations`) passes no user: whoever runs it already holds the
database. Every upload action, and every refused attempt, goes in the access log.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from exempt.models import AccessEvent, AccessLog
from meetings.law import ExemptParagraph
from meetings.models import AgendaItem, ItemKind, Meeting, MeetingStatus
from meetings.services import agenda_item_update
from scrutiny import access
from scrutiny.csv_safe import FORMULA_STARTS
from scrutiny.models import Committee

from .files import COLUMNS, Problem, UnreadableFile, max_rows, read_table, read_upload
from .models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    Area,
    DataOfficer,
    Indicator,
    Observation,
    ObservationRevision,
    ObservationStatus,
    Period,
    PeriodKey,
    RevisionCause,
    RowChange,
    Unit,
    Upload,
    UploadSource,
    UploadState,
    parse_period,
)

REQUIRED_COLUMNS = ("indicator", "area", "period", "value")
# The template names each code; those columns are there to help, and are not read.
REFERENCE_COLUMNS = ("indicator name", "area name")
MISSING_MARKERS = frozenset({"", "n/a", "na", "-", "..", "not available"})
# A change larger than this against the quarter before is probably a typing error.
JUMP_WARNING_PERCENT = Decimal(50)
EARLIEST_YEAR = 1990
NOTE_LENGTH = 500
VALUE_LIMIT = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
PLACES = Decimal(1).scaleb(-VALUE_PLACES)
NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
STATUSES = {
    **{value: value for value in ObservationStatus.values},
    **{label.casefold(): value for value, label in ObservationStatus.choices},
}
MAY_NOT_UPLOAD = "Only the committee's data officers may upload performance data"
SHOWN_STALE_ROWS = 5


@dataclasses.dataclass(frozen=True, slots=True)
class ParsedRow:
    row: int
    indicator: Indicator
    area: Area
    period: PeriodKey
    value: Decimal | None
    status: str
    note: str


@dataclasses.dataclass
class ValidationResult:
    file_name: str
    file_format: str
    size: int
    sha256: str
    rows: list[ParsedRow]
    problems: list[Problem]

    @property
    def is_valid(self) -> bool:
        return not self.problems


class ObservationsInvalid(ValidationError):
    """A file with problems: nothing was saved. `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__([str(problem) for problem in problems])
        self.problems = problems


class PreviewRow(NamedTuple):
    """One row of a preview as the upload keeps it (as a JSON list, in this order)."""

    row: int
    indicator_id: int
    area_id: int
    start_year: int
    quarter: int
    value: str | None
    status: str
    note: str
    change: str
    old_value: str | None = None
    old_status: str = ""
    old_note: str = ""

    @property
    def key(self) -> tuple[int, int, PeriodKey]:
        return self.indicator_id, self.area_id, PeriodKey(self.start_year, self.quarter)

    @property
    def decimal_value(self) -> Decimal | None:
        return None if self.value is None else Decimal(self.value)

    @property
    def old(self) -> tuple[Decimal | None, str, str]:
        value = None if self.old_value is None else Decimal(self.old_value)
        return value, self.old_status, self.old_note


# --- validation ------------------------------------------------------------------------


def observations_validate(*, file, name: str, committee: Committee) -> ValidationResult:
    """Read a CSV or XLSX file of observations for the committee's indicators and report
    every problem, each with its row, column, value and what to do. Saves nothing."""
    try:
        data = read_upload(file)
    except UnreadableFile as error:
        return ValidationResult(name, "", 0, "", [], [Problem(None, "", "", error.messages[0])])
    size, sha256 = len(data), hashlib.sha256(data).hexdigest()
    try:
        table = read_table(data)
        del data
        rows, problems = _read_rows(table, committee)
    except UnreadableFile as error:
        return ValidationResult(
            name, "", size, sha256, [], [Problem(None, "", "", error.messages[0])]
        )
    problems.sort(key=lambda problem: (problem.row or 0, problem.column))
    return ValidationResult(name, table.format, size, sha256, rows, problems)


def _heading(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _read_rows(table, committee: Committee) -> tuple[list[ParsedRow], list[Problem]]:
    problems = list(table.problems)
    positions: dict[str, int] = {}
    read = set()
    for index, heading in enumerate(table.header):
        name = _heading(heading)
        if not name:
            continue
        read.add(index)
        if name in positions:
            problems.append(
                Problem(1, heading, "", f"Two columns are called \u201c{name}\u201d. Keep one")
            )
        elif name in COLUMNS:
            positions[name] = index
        elif name not in REFERENCE_COLUMNS:
            problems.append(
                Problem(
                    1,
                    heading,
                    "",
                    "This is not a column the upload reads. Name the columns indicator, area, "
                    "period, value, status and note, or delete this one",
                )
            )
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    for column in missing:
        problems.append(
            Problem(
                1,
                column,
                "",
                f"The file has no \u201c{column}\u201d column. Row 1 must name the columns: "
                "indicator, area, period and value (and status and note if you use them)",
            )
        )
    if missing:
        return [], problems

    reader = _RowReader(committee, positions, read, problems)
    limit = max_rows()
    for row_number, cells, blocked in table.rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(reader.rows) + reader.rejected >= limit:
            problems.append(
                Problem(
                    None,
                    "",
                    "",
                    f"The file has more than {limit:,} rows of observations. Split it into "
                    "smaller files and upload each",
                )
            )
            break
        reader.read(row_number, cells, blocked)
    if not reader.rows and not reader.rejected and not problems:
        problems.append(Problem(None, "", "", "The file has no observations under its headings"))
    return reader.rows, problems


class _RowReader:
    """Checks rows one by one, remembering what earlier rows held (for duplicates)."""

    def __init__(self, committee, positions, read_columns, problems):
        self.indicators = {
            indicator.code.casefold(): indicator
            for indicator in Indicator.objects.filter(committee=committee)
        }
        self.areas = {area.code.casefold(): area for area in Area.objects.all()}
        self.positions = positions
        self.read_columns = read_columns
        self.problems = problems
        self.rows: list[ParsedRow] = []
        self.rejected = 0
        self.seen: dict[tuple, int] = {}
        self.unnamed_reported: set[int] = set()
        self.current_quarter = PeriodKey.containing(timezone.localdate())

    def cell(self, cells, name) -> str:
        index = self.positions.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    def read(self, row: int, cells: list[str], blocked: frozenset[int]) -> None:
        problems: list[Problem] = []

        def problem(column, value, message):
            problems.append(Problem(row, column, value, message))

        for index, text in enumerate(cells):
            if (
                index not in self.read_columns
                and index not in self.unnamed_reported
                and index not in blocked
                and text.strip()
            ):
                self.unnamed_reported.add(index)
                problem(
                    "",
                    text.strip()[:100],
                    "This cell is in a column with no heading. Give the column a heading "
                    "or delete it",
                )
        is_blocked = {
            name: self.positions.get(name) in blocked for name in COLUMNS if name in self.positions
        }

        indicator = area = period = None
        code = self.cell(cells, "indicator")
        if not is_blocked["indicator"]:
            indicator = self.indicators.get(code.casefold())
            if indicator is None:
                problem(
                    "indicator",
                    code,
                    "Enter an indicator code from the template"
                    if code
                    else "Enter the indicator's code",
                )
        code = self.cell(cells, "area")
        if not is_blocked["area"]:
            area = self.areas.get(code.casefold())
            if area is None:
                problem(
                    "area",
                    code,
                    "Enter an area code from the template" if code else "Enter the area's code",
                )
        text = self.cell(cells, "period")
        if not is_blocked["period"]:
            period = self._period(text, problem)

        note = self.cell(cells, "note")
        if note[:1] == "'" and note[1:2] and note[1:2] in FORMULA_STARTS:
            note = note[1:]  # our own exports keep a formula-like note as text this way
        if len(note) > NOTE_LENGTH:
            problem("note", note[:100], f"The note must be {NOTE_LENGTH} characters or fewer")
        text = self.cell(cells, "status")
        status = STATUSES.get(text.casefold()) if text else ObservationStatus.PROVISIONAL
        if status is None:
            problem("status", text, "Enter provisional or audited, or leave it empty")

        value = None
        text = self.cell(cells, "value")
        if not is_blocked["value"]:
            value = self._value(text, indicator, note, problem)

        if indicator and area and period:
            key = (indicator.pk, area.pk, period)
            first = self.seen.get(key)
            if first is not None:
                problem(
                    "",
                    f"{indicator.code}, {area.code}, {period.label}",
                    f"Row {row} repeats row {first}: each indicator, area and period may "
                    "appear once",
                )
            else:
                self.seen[key] = row
        if problems or any(is_blocked.values()):
            self.problems.extend(problems)
            self.rejected += 1
            return
        self.rows.append(ParsedRow(row, indicator, area, period, value, status, note))

    def _period(self, text, problem) -> PeriodKey | None:
        try:
            period = parse_period(text)
        except ValueError:
            problem(
                "period",
                text,
                "Enter the period as a financial-year quarter, such as 2017-18 Q1, 2017/18 Q1 "
                "or Q1 2017-18",
            )
            return None
        if period.start_year < EARLIEST_YEAR:
            problem("period", text, f"Enter a quarter from {EARLIEST_YEAR} onwards")
            return None
        if period.index > self.current_quarter.index:
            problem("period", text, "The quarter has not started yet: check the year")
            return None
        return period

    def _value(self, text, indicator, note, problem) -> Decimal | None:
        if text.casefold() in MISSING_MARKERS:
            if indicator is None:
                problem("value", text, "Enter a number")
            elif not indicator.allows_missing_reason:
                problem(
                    "value",
                    text,
                    f"Enter a number: \u201c{indicator.name}\u201d needs a value for every area "
                    "and quarter",
                )
            elif not note:
                problem(
                    "note",
                    "",
                    "Give the reason the value is missing in the note column",
                )
            return None
        number = text.replace("\u00a0", "").replace(" ", "")
        is_percentage = number.endswith("%")
        if is_percentage:
            number = number[:-1]
        if not NUMBER.fullmatch(number):
            problem("value", text, "Enter a number, such as 1234, 1,234 or 12.5")
            return None
        try:
            value = Decimal(number.replace(",", ""))
        except InvalidOperation:
            problem("value", text, "Enter a number, such as 1234, 1,234 or 12.5")
            return None
        if abs(value) >= VALUE_LIMIT:
            problem("value", text, "The number is too large: check it")
            return None
        value = value.quantize(PLACES, rounding=ROUND_HALF_UP)
        if indicator is None:
            return value
        if is_percentage and indicator.unit != Unit.PERCENTAGE:
            problem(
                "value",
                text,
                f"Enter the {indicator.get_unit_display().lower()} without a per cent sign: "
                f"\u201c{indicator.name}\u201d is not a percentage",
            )
        elif indicator.unit == Unit.PERCENTAGE and not 0 <= value <= 100:
            problem("value", text, "Enter a percentage from 0 to 100")
        elif indicator.unit == Unit.COUNT and value < 0:
            problem("value", text, "A count cannot be negative")
        elif indicator.unit == Unit.RATE_PER_1000 and value < 0:
            problem("value", text, "A rate cannot be negative")
        return value


# --- the access log ----------------------------------------------------------------------


def _log(event: str, *, user, committee: Committee, what: str) -> None:
    signed_in = user if user is not None and user.is_authenticated else None
    if user is None:
        username = "(command line)"
    else:
        username = signed_in.get_username() if signed_in else "(not signed in)"
    AccessLog.objects.create(
        user=signed_in, username=username, event=event, committee=committee, what=what[:300]
    )


def _require_uploader(user, committee: Committee, *, what: str) -> None:
    """Refuse (and log the attempt) unless the user may upload for the committee."""
    if user is None or access.can_upload_observations(user, committee):
        return
    _log(
        AccessEvent.DATA_REFUSED, user=user, committee=committee, what=f"{what}: not a data officer"
    )
    raise PermissionDenied(MAY_NOT_UPLOAD)


def upload_page_refused(*, user, committee: Committee, what: str) -> None:
    """Log a refused visit to the upload pages (the form, the list, a preview), as the
    services log a refused upload: whoever is turned away, the attempt is recorded."""
    _log(
        AccessEvent.DATA_REFUSED,
        user=user,
        committee=committee,
        what=f"{what}: not a data officer",
    )


def _actor_name(user) -> str:
    return "(command line)" if user is None else user.get_username()


# --- preview -------------------------------------------------------------------------------


def upload_preview(
    *,
    file,
    name: str,
    user,
    committee: Committee,
    source: str = UploadSource.WEB,
    note: str = "",
) -> Upload:
    """Check the file and keep, as an upload waiting for confirmation, what each row would
    change (new, changed from what, unchanged) and warnings about implausible jumps.
    Raises ObservationsInvalid listing every problem when the file has any."""
    name = (name or "upload")[:255]
    _require_uploader(user, committee, what=f"upload of {name}")
    upload_previews_expire()
    result = observations_validate(file=file, name=name, committee=committee)
    if not result.is_valid:
        _log(
            AccessEvent.DATA_REFUSED,
            user=user,
            committee=committee,
            what=f"upload of {name}: {len(result.problems)} problem(s), nothing saved",
        )
        raise ObservationsInvalid(result.problems)
    rows, warnings = _compare(result.rows)
    earlier = (
        Upload.objects.filter(
            committee=committee, sha256=result.sha256, state=UploadState.CONFIRMED
        )
        .order_by("-confirmed_at")
        .first()
    )
    if earlier is not None:
        warnings.insert(
            0, {"row": None, "message": f"This file was imported before, as {earlier.description}"}
        )
    counts = {change: 0 for change in RowChange.values}
    for row in rows:
        counts[row.change] += 1
    with transaction.atomic():
        upload = Upload(
            committee=committee,
            uploaded_by=user,
            uploaded_by_name=_actor_name(user),
            source=source,
            file_name=name,
            file_format=result.file_format,
            size=result.size,
            sha256=result.sha256,
            row_count=len(rows),
            new_count=counts[RowChange.NEW],
            changed_count=counts[RowChange.CHANGED],
            unchanged_count=counts[RowChange.UNCHANGED],
            warnings=warnings,
            rows=rows,
            note=note,
        )
        upload.full_clean(exclude=["rows", "warnings", "uploaded_by"])
        upload.save()
        _log(
            AccessEvent.DATA_PREVIEWED,
            user=user,
            committee=committee,
            what=f"{upload.description}: {upload.new_count} new, {upload.changed_count} "
            f"changed, {upload.unchanged_count} unchanged",
        )
    return upload


def _periods_by_key(keys: Iterable[PeriodKey]) -> dict[PeriodKey, int]:
    keys = set(keys)
    years = {key.start_year for key in keys}
    return {
        period.key: period.pk
        for period in Period.objects.filter(start_year__in=years)
        if period.key in keys
    }


class Stored(NamedTuple):
    """What is stored for a row: lighter than an Observation, for tens of thousands."""

    pk: int
    value: Decimal | None
    status: str
    note: str
    upload_id: int

    @property
    def content(self) -> tuple[Decimal | None, str, str]:
        return self.value, self.status, self.note


def _current(keys, *, lock=False) -> dict[tuple[int, int, PeriodKey], Stored]:
    """What is stored for these (indicator id, area id, quarter) keys, by key."""
    period_ids = _periods_by_key(key[2] for key in keys)
    if not period_ids:
        return {}
    key_of_period = {pk: key for key, pk in period_ids.items()}
    observations = Observation.objects.filter(
        indicator_id__in={key[0] for key in keys},
        area_id__in={key[1] for key in keys},
        period_id__in=period_ids.values(),
    )
    if lock:
        observations = observations.select_for_update()
    found = {}
    for pk, indicator_id, area_id, period_id, *content in observations.values_list(
        "pk", "indicator_id", "area_id", "period_id", "value", "status", "note", "upload_id"
    ):
        key = (indicator_id, area_id, key_of_period[period_id])
        if key in keys:
            found[key] = Stored(pk, *content)
    return found


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _compare(parsed: list[ParsedRow]) -> tuple[list[PreviewRow], list[dict]]:
    keys = {(row.indicator.pk, row.area.pk, row.period) for row in parsed}
    earlier_keys = {(indicator, area, period.shifted(-1)) for indicator, area, period in keys}
    stored = _current(keys | earlier_keys)
    in_file = {(row.indicator.pk, row.area.pk, row.period): row.value for row in parsed}
    rows, warnings = [], []
    for row in parsed:
        key = (row.indicator.pk, row.area.pk, row.period)
        old = stored.get(key)
        if old is None:
            change, previous = RowChange.NEW, (None, "", "")
        else:
            previous = (_text(old.value), old.status, old.note)
            same = old.content == (row.value, row.status, row.note)
            change = RowChange.UNCHANGED if same else RowChange.CHANGED
        rows.append(
            PreviewRow(
                row.row,
                row.indicator.pk,
                row.area.pk,
                row.period.start_year,
                row.period.quarter,
                _text(row.value),
                row.status,
                row.note,
                change,
                *previous,
            )
        )
        # A figure restated unchanged was checked when it first came.
        warning = (
            ""
            if old is not None and old.value == row.value
            else _jump_warning(row, in_file, stored)
        )
        if warning:
            warnings.append({"row": row.row, "message": warning})
    return rows, warnings


def _jump_warning(row: ParsedRow, in_file, stored) -> str:
    earlier_period = row.period.shifted(-1)
    earlier_key = (row.indicator.pk, row.area.pk, earlier_period)
    if earlier_key in in_file:
        earlier = in_file[earlier_key]
    else:
        observation = stored.get(earlier_key)
        earlier = observation.value if observation else None
    if row.value is None or not earlier:
        return ""
    percent = (row.value - earlier) / abs(earlier) * 100
    if abs(percent) <= JUMP_WARNING_PERCENT:
        return ""
    return (
        f"{row.indicator.name}, {row.area.name}, {row.period.label}: {row.value.normalize():f} "
        f"is {abs(percent):.0f}% {'higher' if percent > 0 else 'lower'} than "
        f"{earlier.normalize():f} in {earlier_period.label}. Check the figure before you confirm"
    )


# --- confirm, cancel, revert --------------------------------------------------------------


class StaleUpload(ValidationError):
    """The stored figures changed after the preview was made."""


def _locked_upload(upload: Upload, state: str, action: str) -> Upload:
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.state != state:
        raise ValidationError(
            f"This upload cannot be {action}: it is {upload.get_state_display().lower()}"
        )
    return upload


def _refused(event_what: str, *, user, committee, error: ValidationError) -> None:
    _log(
        AccessEvent.DATA_REFUSED,
        user=user,
        committee=committee,
        what=f"{event_what}: {error.messages[0]}",
    )


def upload_confirm(*, upload: Upload, user) -> Upload:
    """Import every row of the preview in one transaction, or none: refused if the stored
    figures changed since the preview was made."""
    committee = upload.committee
    _require_uploader(user, committee, what=f"import of {upload.description}")
    # A preview kept too long is refused, not imported: this one whatever else waits.
    upload_previews_expire(only=upload)
    upload_previews_expire()
    try:
        with transaction.atomic():
            upload = _locked_upload(upload, UploadState.PREVIEWED, "imported")
            _import(upload, user)
            upload.state = UploadState.CONFIRMED
            upload.confirmed_by = user
            upload.confirmed_at = timezone.now()
            upload.save(update_fields=["state", "confirmed_by", "confirmed_at"])
            _log(
                AccessEvent.DATA_IMPORTED,
                user=user,
                committee=committee,
                what=f"{upload.description}: {upload.new_count} new, "
                f"{upload.changed_count} changed",
            )
    except IntegrityError as error:
        stale = StaleUpload(
            "Someone else imported figures for the same rows at the same time. Upload the "
            "file again to see what it would change now"
        )
        _refused(f"import of {upload.description}", user=user, committee=committee, error=stale)
        raise stale from error
    except ValidationError as error:
        _refused(f"import of {upload.description}", user=user, committee=committee, error=error)
        raise
    return upload


def _describe_row(row: PreviewRow, indicators, areas) -> str:
    return (
        f"row {row.row} ({indicators[row.indicator_id].code}, {areas[row.area_id].code}, "
        f"{PeriodKey(row.start_year, row.quarter).label})"
    )


def _names(rows: list[PreviewRow]):
    indicators = Indicator.objects.in_bulk({row.indicator_id for row in rows})
    areas = Area.objects.in_bulk({row.area_id for row in rows})
    return indicators, areas


def _listed(descriptions: list[str]) -> str:
    shown = ", ".join(descriptions[:SHOWN_STALE_ROWS])
    more = len(descriptions) - SHOWN_STALE_ROWS
    return f"{shown} and {more} more" if more > 0 else shown


# Rows written per statement batch: bounded memory however large the file.
BATCH = 2000


def _batches(rows: list) -> Iterable[list]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _write_values(observations: list[Observation]) -> None:
    """Write new values over stored observations: one upsert on their unique key per
    batch, where bulk_update's CASE per row grows slow with thousands of rows."""
    Observation.objects.bulk_create(
        observations,
        update_conflicts=True,
        unique_fields=["indicator", "area", "period"],
        update_fields=["value", "status", "note", "upload"],
    )


def _is_stale(row: PreviewRow, stored: Stored | None) -> bool:
    """Whether the stored figure is no longer the one the preview compared with."""
    if row.change == RowChange.NEW:
        return stored is not None
    return stored is None or stored.content != row.old


def _import(upload: Upload, user) -> None:
    rows = list(map(PreviewRow._make, upload.rows))
    keys = {row.key for row in rows}
    Period.objects.bulk_create(
        [Period(start_year=key.start_year, quarter=key.quarter) for key in {k[2] for k in keys}],
        ignore_conflicts=True,
    )
    period_ids = _periods_by_key(key[2] for key in keys)
    current = _current(keys, lock=True)
    stale = [row for row in rows if _is_stale(row, current.get(row.key))]
    if stale:
        indicators, areas = _names(stale)
        raise StaleUpload(
            "The stored figures changed after this preview was made, for "
            f"{_listed([_describe_row(row, indicators, areas) for row in stale])}. Upload the "
            "file again to see what it would change now"
        )
    now = timezone.now()
    for batch in _batches([row for row in rows if row.change != RowChange.UNCHANGED]):
        observations = [
            Observation(
                indicator_id=row.indicator_id,
                area_id=row.area_id,
                period_id=period_ids[row.key[2]],
                value=row.decimal_value,
                status=row.status,
                note=row.note,
                upload=upload,
                created_by=user,
                created_at=now,
            )
            for row in batch
        ]
        Observation.objects.bulk_create(
            [o for o, row in zip(observations, batch, strict=True) if row.change == RowChange.NEW]
        )
        changed = [
            (o, row)
            for o, row in zip(observations, batch, strict=True)
            if row.change == RowChange.CHANGED
        ]
        if not changed:
            continue
        _write_values([o for o, _ in changed])
        ObservationRevision.objects.bulk_create(
            ObservationRevision(
                observation_id=current[row.key].pk,
                value=current[row.key].value,
                status=current[row.key].status,
                note=current[row.key].note,
                upload_id=current[row.key].upload_id,
                cause=RevisionCause.UPLOAD,
                replaced_by_upload=upload,
                replaced_by=user,
                replaced_at=now,
            )
            for _, row in changed
        )


def upload_cancel(*, upload: Upload, user) -> Upload:
    """Drop a preview: nothing was saved, and the rows (and warnings) it held are no
    longer kept."""
    committee = upload.committee
    _require_uploader(user, committee, what=f"cancelling {upload.description}")
    try:
        with transaction.atomic():
            upload = _locked_upload(upload, UploadState.PREVIEWED, "cancelled")
            upload.state = UploadState.CANCELLED
            upload.cancelled_at = timezone.now()
            upload.rows = upload.warnings = []  # the warnings quote figures too
            upload.save(update_fields=["state", "cancelled_at", "rows", "warnings"])
            _log(
                AccessEvent.DATA_CANCELLED, user=user, committee=committee, what=upload.description
            )
    except ValidationError as error:
        _refused(f"cancelling {upload.description}", user=user, committee=committee, error=error)
        raise
    return upload


def upload_preview_is_stale(upload: Upload, *, now=None) -> bool:
    """Whether a preview has waited longer than SCRUTINY_UPLOAD_PREVIEW_DAYS."""
    limit = timedelta(days=settings.SCRUTINY_UPLOAD_PREVIEW_DAYS)
    return upload.state == UploadState.PREVIEWED and upload.uploaded_at < (
        (now or timezone.now()) - limit
    )


def upload_previews_expire(*, now=None, batch: int = 100, only: Upload | None = None) -> int:
    """Expire previews left unconfirmed for SCRUTINY_UPLOAD_PREVIEW_DAYS: nothing was
    saved from them, and the rows they held (the figures, some confidential) are no
    longer kept. A batch each time a file is uploaded (`only`: the one being confirmed);
    `manage.py expire_upload_previews` does them all. Returns how many expired."""
    days = settings.SCRUTINY_UPLOAD_PREVIEW_DAYS
    now = now or timezone.now()
    with transaction.atomic():
        previews = Upload.objects.all() if only is None else Upload.objects.filter(pk=only.pk)
        stale = list(
            previews.select_for_update(skip_locked=True)
            .filter(state=UploadState.PREVIEWED, uploaded_at__lt=now - timedelta(days=days))
            .defer("rows", "warnings")
            .order_by("uploaded_at")[:batch]
        )
        for upload in stale:
            upload.state = UploadState.EXPIRED
            upload.cancelled_at = now
            upload.rows = upload.warnings = []  # the warnings quote figures too
            upload.save(update_fields=["state", "cancelled_at", "rows", "warnings"])
            AccessLog.objects.create(
                user=None,
                username="(expiry)",
                event=AccessEvent.DATA_CANCELLED,
                committee_id=upload.committee_id,
                what=f"{upload.description}: expired unconfirmed after {days} "
                f"day{'s' if days != 1 else ''}"[:300],
            )
    return len(stale)


def upload_revert(*, upload: Upload, user) -> Upload:
    """Put back what an imported upload replaced, and remove what it added. Refused while
    a later upload has changed any of the same figures: that one is reverted first."""
    committee = upload.committee
    _require_uploader(user, committee, what=f"reverting {upload.description}")
    try:
        with transaction.atomic():
            upload = _locked_upload(upload, UploadState.CONFIRMED, "reverted")
            _revert(upload, user)
            upload.state = UploadState.REVERTED
            upload.reverted_by = user
            upload.reverted_at = timezone.now()
            upload.save(update_fields=["state", "reverted_by", "reverted_at"])
            _log(
                AccessEvent.DATA_REVERTED,
                user=user,
                committee=committee,
                what=f"{upload.description}: {upload.new_count} removed, "
                f"{upload.changed_count} restored",
            )
    except ValidationError as error:
        _refused(f"reverting {upload.description}", user=user, committee=committee, error=error)
        raise
    return upload


def _revert(upload: Upload, user) -> None:
    rows = [row for row in map(PreviewRow._make, upload.rows) if row.change != RowChange.UNCHANGED]
    keys = {row.key for row in rows}
    current = _current(keys, lock=True)
    blocked, later = [], set()
    for row in rows:
        stored = current.get(row.key)
        if stored is None or stored.upload_id != upload.pk:
            blocked.append(row)
            if stored is not None:
                later.add(stored.upload_id)
    if blocked:
        indicators, areas = _names(blocked)
        later_uploads = [
            later_upload.description
            for later_upload in Upload.objects.filter(pk__in=later).order_by("pk")
        ]
        since = f" by {_listed(later_uploads)}" if later_uploads else ""
        raise ValidationError(
            f"A later upload changed the same figures{since}, for "
            f"{_listed([_describe_row(row, indicators, areas) for row in blocked])}. Revert "
            "the later upload first"
        )
    # What each changed figure was before this upload, from the history it wrote.
    replaced = {
        observation_id: Stored(observation_id, *content)
        for observation_id, *content in ObservationRevision.objects.filter(
            replaced_by_upload=upload, cause=RevisionCause.UPLOAD
        )
        .order_by("replaced_at", "pk")
        .values_list("observation_id", "value", "status", "note", "upload_id")
    }
    period_ids = _periods_by_key(key[2] for key in keys)
    now = timezone.now()
    changed = [row for row in rows if row.change == RowChange.CHANGED]
    for batch in _batches(changed):
        ObservationRevision.objects.bulk_create(
            ObservationRevision(
                observation_id=current[row.key].pk,
                value=current[row.key].value,
                status=current[row.key].status,
                note=current[row.key].note,
                upload=upload,
                cause=RevisionCause.REVERT,
                replaced_by_upload=upload,
                replaced_by=user,
                replaced_at=now,
            )
            for row in batch
        )
        restored = [replaced[current[row.key].pk] for row in batch]
        _write_values(
            [
                Observation(
                    indicator_id=row.indicator_id,
                    area_id=row.area_id,
                    period_id=period_ids[row.key[2]],
                    value=previous.value,
                    status=previous.status,
                    note=previous.note,
                    upload_id=previous.upload_id,
                    created_at=now,
                )
                for row, previous in zip(batch, restored, strict=True)
            ]
        )
    # What is left recorded by this upload is what it added.
    Observation.objects.filter(upload=upload).delete()


# --- data officers ---------------------------------------------------------------------------


@transaction.atomic
def data_officer_assign(*, committee: Committee, user, by) -> DataOfficer:
    """Name an officer to upload the partnership's figures for the committee."""
    if not access.can_manage_data_officers(by, committee):
        raise PermissionDenied("Only the committee's co-ordinators name its data officers")
    if not user.is_active or not access.has_role(user, access.Role.OFFICER):
        raise ValidationError(
            f"{user.get_username()} is not an officer. Only officers can be data officers"
        )
    officer, created = DataOfficer.objects.get_or_create(
        committee=committee, user=user, defaults={"assigned_by": by}
    )
    if created:
        _log_entitlement(committee=committee, user=user, by=by, what="made a data officer")
    return officer


@transaction.atomic
def data_officer_remove(*, committee: Committee, user, by) -> None:
    if not access.can_manage_data_officers(by, committee):
        raise PermissionDenied("Only the committee's co-ordinators name its data officers")
    deleted, _ = DataOfficer.objects.filter(committee=committee, user=user).delete()
    if deleted:
        _log_entitlement(committee=committee, user=user, by=by, what="no longer a data officer")


def _log_entitlement(*, committee, user, by, what: str) -> None:
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        event=AccessEvent.ENTITLEMENT,
        committee=committee,
        what=f"{user.get_username()} {what} (by {by.get_username()})"[:300],
    )


# --- the quarterly report on an agenda -----------------------------------------------------

# Schedule 12A paragraphs a report of confidential partnership figures is exempt under:
# information supplied in confidence about the partners' affairs (3), or about action
# taken to prevent, investigate or prosecute crime (7).
REPORT_EXEMPT_PARAGRAPHS = (ExemptParagraph.FINANCIAL, ExemptParagraph.CRIME)
REPORT_EXEMPT_REASON = (
    "Obligation of confidence: the report carries figures that partner agencies supply "
    "from their front-line recording systems to be treated as confidential."
)
REPORT_PUBLIC_INTEREST = (
    "The public interest in maintaining the exemption outweighs the public interest in "
    "disclosure: the partners supply these figures in confidence and might not supply them "
    "again if they were published, and the public interest is met by the public covering "
    "report, the public version of the report and the minutes."
)


def report_target_items(*, committee: Committee, period: PeriodKey) -> list[AgendaItem]:
    """The items of business a report for this quarter can go to, numbered as on their
    agendas: those of the committee's meetings to be held (after the quarter ends), not
    cancelled, soonest first. Two queries."""
    from meetings.selectors import number_agenda

    meetings = list(
        Meeting.objects.filter(
            committee=committee,
            starts_at__date__gt=period.end_date,
            starts_at__gt=timezone.now(),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )
    by_meeting = {meeting.pk: [] for meeting in meetings}
    items = AgendaItem.objects.filter(meeting__in=meetings).order_by("section", "position")
    for item in items:
        by_meeting[item.meeting_id].append(item)
    targets = []
    for meeting in meetings:
        for item in number_agenda(by_meeting[meeting.pk]):
            item.meeting = meeting
            if item.kind == ItemKind.BUSINESS:
                targets.append(item)
    return targets


def performance_report_attach(
    *,
    report,
    item: AgendaItem,
    user,
    exempt_paragraph: int | None = None,
    exempt_reason: str = "",
    public_interest_reasoning: str = "",
    confirm_past: bool = False,
):
    """Render the report (performance/reports.py) to PDF and put it on the agenda item
    of a meeting to be held (`confirm_past` for the demo's history): a new document, or
    the next version of the report already there. A report carrying confidential
    indicators is exempt in itself, so that it stays exempt whatever becomes of its
    item: a public item becomes exempt under paragraph 3 or 7 with its reason and
    public interest test, and the paper takes the same paragraph; on an item already
    exempt, the paper takes the item's paragraph (which the exclusion resolution cites)
    and the item keeps its own reason. No user is the command line (the demo), as for
    the uploads, and no one is the document's author: a generated report is read by
    the item's rules alone."""
    # Imported here: reports read through selectors, which read this module.
    from papers.models import Document
    from papers.services import document_exemption_set, document_replace, document_upload

    from .reports import report_document_title, report_file_name, report_pdf

    committee = report.committee
    if user is not None and not access.can_edit_committee(user, committee):
        raise PermissionDenied("Only the committee's co-ordinators put papers on its agendas")
    if item.meeting.committee_id != committee.pk:
        raise ValidationError({"item": "Select an item of this committee's agendas"})
    if item.kind != ItemKind.BUSINESS or item.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"item": "Select an item of business of a meeting to be held"})
    if item.meeting.starts_at <= timezone.now() and not confirm_past:
        raise ValidationError(
            {"item": "That meeting has been held: its papers are part of the record"}
        )
    changes = {}
    if report.is_exempt and item.is_exempt:
        # The item's paragraph, which its exclusion resolution cites, is the paper's too.
        exempt_paragraph = item.exempt_paragraph
    elif report.is_exempt:
        errors = {}
        if exempt_paragraph not in REPORT_EXEMPT_PARAGRAPHS:
            errors["exempt_paragraph"] = "Select paragraph 3 or 7: the report is exempt information"
        if not exempt_reason.strip():
            errors["exempt_reason"] = "Enter the reason the item is exempt"
        if not public_interest_reasoning.strip():
            errors["public_interest_reasoning"] = "Enter the public interest test"
        if errors:
            raise ValidationError(errors)
        changes = {
            "exempt_paragraph": exempt_paragraph,
            "exempt_reason": exempt_reason.strip(),
            "public_interest_reasoning": public_interest_reasoning.strip(),
        }
    elif item.is_exempt:
        exempt_paragraph = item.exempt_paragraph
    report = dataclasses.replace(
        report, exempt_paragraph=exempt_paragraph if (report.is_exempt or item.is_exempt) else None
    )
    # Rendered before any row is locked: a long report does not hold up the agenda.
    pdf = report_pdf(report)
    title = report_document_title(report)
    upload = ContentFile(pdf, name=report_file_name(report))
    as_of = report.figures_as_of
    source = (
        f"from figures imported up to {timezone.localtime(as_of):%-d %B %Y, %H:%M}"
        if as_of
        else "from the figures of the day"
    )
    by = f" by {user.get_full_name() or user.get_username()}" if user is not None else ""
    with transaction.atomic():
        if changes:
            item = agenda_item_update(item=item, by=user, **changes)
        existing = (
            Document.objects.filter(item=item, title=title, is_report=False, is_draft=False)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            if report.is_exempt and not (
                existing.is_exempt and existing.exempt_paragraph == exempt_paragraph
            ):
                # Whatever became of it since (made public, say), what it now carries is
                # exempt in itself: every version is withheld again.
                document_exemption_set(
                    document=existing,
                    is_exempt=True,
                    exempt_paragraph=exempt_paragraph,
                    in_itself=True,
                    by=user,
                )
                existing.refresh_from_db()
            return document_replace(
                document=existing,
                uploaded_file=upload,
                user=None,
                change_note=f"The report again{by}, {source}",
            )
        return document_upload(
            item=item,
            title=title,
            uploaded_file=upload,
            user=None,
            is_exempt=report.is_exempt,
            exempt_paragraph=exempt_paragraph if report.is_exempt else None,
            exempt_in_itself=True,
            change_note=f"Put on the agenda{by}, {source}"[:300],
        )
