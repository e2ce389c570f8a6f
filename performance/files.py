"""Reading a file of observations: what it is, from its content (never its name), and
its rows as text, with the row numbers a spreadsheet shows.

A CSV may be UTF-8, with or without the byte order mark Excel writes, or Windows-1252
(Excel's plain "CSV"). A workbook is read with openpyxl in read-only mode: formulas are
never evaluated and external links never followed. Anything a reader of the sheet
would not see (hidden sheets, rows and columns) and any formula is reported as a
problem, because hidden data must not slip into published papers, and a formula's
result is whatever Excel last cached.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from papers.files import OLE2_SIGNATURE, sniff_format
from papers.models import DocumentFormat

from .models import FileFormat

ACCEPTED = "a CSV file or an Excel workbook (XLSX)"
# The upload format, which exports also follow.
COLUMNS = ("indicator", "area", "period", "value", "status", "note")
# Limits: SCRUTINY_OBSERVATION_UPLOAD_MAX_BYTES and _MAX_ROWS. A quarter's return is
# about a thousand rows; ten years of them for fifty indicators and twenty areas is
# forty thousand. The benchmark (benchmarks/bench_import.py) keeps an import of 50,000
# rows, and a re-import changing all of them, under 300 MB.

# Characters that never appear in a spreadsheet saved as text, but do in binary files
# that happen to decode as Windows-1252.
_CONTROL = {chr(code) for code in range(32)} - {"\t", "\n", "\r"}


def max_bytes() -> int:
    return settings.SCRUTINY_OBSERVATION_UPLOAD_MAX_BYTES


def max_rows() -> int:
    return settings.SCRUTINY_OBSERVATION_UPLOAD_MAX_ROWS


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. `row` is the spreadsheet's row number (the heading
    is row 1), or None for the file as a whole; `column` is the column's heading (or
    its letter in a workbook)."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self):
        where = [f"Row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column \u201c{self.column}\u201d")
        if self.value:
            where.append(f"\u201c{self.value}\u201d")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class UnreadableFile(ValidationError):
    """The file cannot be read as a table at all."""


@dataclasses.dataclass
class Table:
    format: str
    header: list[str]
    # (row number, cell texts, indexes of cells that must not be read: formulas)
    rows: Iterator[tuple[int, list[str], frozenset[int]]]
    problems: list[Problem]


def read_upload(file) -> bytes:
    """The file's bytes, refusing an empty or too large file before reading it all."""
    limit = max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UnreadableFile(f"The selected file must be smaller than {filesizeformat(limit)}")
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if not data:
        raise UnreadableFile("The selected file is empty")
    if len(data) > limit:
        raise UnreadableFile(f"The selected file must be smaller than {filesizeformat(limit)}")
    return data


def read_table(data: bytes) -> Table:
    """The rows of a CSV file or of a workbook's one sheet, or UnreadableFile saying why
    the file is neither."""
    file_format = _binary_format(data)
    if file_format == FileFormat.XLSX:
        return _read_workbook(data)
    return _read_csv(_decode(data))


# --- recognising the file ----------------------------------------------------------------

_NAMED_FORMATS = {
    DocumentFormat.PDF: "a PDF",
    DocumentFormat.DOCX: "a Word document",
    DocumentFormat.DOC: "a Word document",
    DocumentFormat.RTF: "a Rich Text document",
    DocumentFormat.PPTX: "a PowerPoint presentation",
}


def _binary_format(data: bytes) -> str | None:
    """XLSX for a workbook, None for what may be text; anything else is refused."""
    try:
        document_format = sniff_format(data)
    except ValidationError as error:  # macros, or an archive that is not safe to open
        raise UnreadableFile(error.messages[0]) from error
    if document_format == DocumentFormat.XLSX:
        return FileFormat.XLSX
    if document_format in _NAMED_FORMATS:
        raise UnreadableFile(
            f"The selected file is {_NAMED_FORMATS[document_format]}, not a spreadsheet. "
            f"Upload {ACCEPTED}"
        )
    if data.startswith(OLE2_SIGNATURE):
        raise UnreadableFile(
            "The selected file is an old Excel 97-2003 workbook. Save it as an Excel "
            "Workbook (XLSX) or as CSV UTF-8, and upload that"
        )
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            f"The selected file is a zip archive, not a spreadsheet. Upload {ACCEPTED}"
        )
    return None


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(
            "The selected file is saved as Unicode Text (UTF-16). Save it as CSV UTF-8 "
            "and upload that"
        )
    not_a_spreadsheet = UnreadableFile(f"The selected file is not a spreadsheet. Upload {ACCEPTED}")
    if b"\x00" in data:
        raise not_a_spreadsheet
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                "The selected file is not saved as UTF-8 or Windows-1252 text. Save it "
                "from Excel as CSV UTF-8 and upload that"
            ) from error
    if any(character in _CONTROL for character in text[:65536]):
        raise not_a_spreadsheet
    return text


# --- CSV ----------------------------------------------------------------------------------


def _read_csv(text: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise UnreadableFile(f"Row 1 could not be read as CSV ({error})") from error
    if header is None or not any(cell.strip() for cell in header):
        raise UnreadableFile("The selected file is empty")
    if len(header) == 1 and any(separator in header[0] for separator in ";\t"):
        raise UnreadableFile(
            "The columns must be separated by commas. Save the file from Excel as CSV "
            "UTF-8 and upload that"
        )
    return Table(format=FileFormat.CSV, header=header, rows=_csv_rows(reader), problems=[])


def _csv_rows(reader) -> Iterator[tuple[int, list[str], frozenset[int]]]:
    row_number = 1
    no_blocked = frozenset()
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnreadableFile(
                f"Row {row_number + 1} could not be read as CSV ({error}). "
                "Check its quotation marks"
            ) from error
        row_number += 1
        yield row_number, cells, no_blocked


# --- workbooks --------------------------------------------------------------------------

UNREADABLE_WORKBOOK = (
    "The selected workbook could not be read. Save it again in Excel and upload the new copy"
)
HIDDEN = "Hidden data must not reach published papers"


def _read_workbook(data: bytes) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False, keep_vba=False
        )
    except (InvalidFileException, zipfile.BadZipFile) as error:
        raise UnreadableFile(UNREADABLE_WORKBOOK) from error
    except Exception as error:  # a damaged part: each XML parser raises its own errors
        raise UnreadableFile(UNREADABLE_WORKBOOK) from error
    try:
        problems = []
        sheets = workbook.worksheets
        for sheet in sheets:
            if sheet.sheet_state != "visible":
                problems.append(
                    Problem(
                        None,
                        "",
                        sheet.title,
                        f"The workbook has a hidden sheet. {HIDDEN}: delete the sheet, "
                        "then upload the file again",
                    )
                )
        visible = [sheet for sheet in sheets if sheet.sheet_state == "visible"]
        if not visible:
            raise UnreadableFile("The selected workbook has no sheet to read")
        if len(visible) > 1:
            names = ", ".join(f"\u201c{sheet.title}\u201d" for sheet in visible)
            problems.append(
                Problem(
                    None,
                    "",
                    "",
                    f"The workbook has more than one sheet ({names}). Keep the observations "
                    "on one sheet, delete the others, and upload the file again",
                )
            )
        rows = _sheet_rows(workbook, visible[0], problems)
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(UNREADABLE_WORKBOOK) from error
    finally:
        workbook.close()
    if not rows:
        raise UnreadableFile("The selected file is empty")
    header_number, header, _ = rows[0]
    if header_number != 1:
        raise UnreadableFile("Row 1 must name the columns: indicator, area, period and value")
    return Table(format=FileFormat.XLSX, header=header, rows=iter(rows[1:]), problems=problems)


def _sheet_rows(workbook, sheet, problems: list[Problem]) -> list[tuple[int, list[str], frozenset]]:
    """The sheet's rows as text, adding a problem for each formula and for each hidden
    row or column that holds anything.

    openpyxl's read-only worksheet does not expose which rows and columns are hidden,
    so its sheet parser is driven directly here, as that worksheet drives it: one
    streaming pass yields the cells and keeps the row and column properties."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.utils import column_index_from_string, get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    rows = []
    used_columns: set[int] = set()
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            workbook.shared_strings,
            data_only=False,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for row_number, cells in parser.parse():
            texts: list[str] = []
            blocked = set()
            for cell in cells:
                if cell["value"] is None:
                    continue
                column = cell["column"]
                used_columns.add(column)
                while len(texts) < column:
                    texts.append("")
                if cell["data_type"] == "f":
                    coordinate = f"{get_column_letter(column)}{row_number}"
                    problems.append(
                        Problem(
                            row_number,
                            get_column_letter(column),
                            str(cell["value"])[:100],
                            f"Cell {coordinate} holds a formula. Copy the cells and paste "
                            "them back as plain numbers, then upload the file again",
                        )
                    )
                    blocked.add(column - 1)
                    continue
                read_only = ReadOnlyCell(
                    sheet, row_number, column, cell["value"], cell["data_type"], cell["style_id"]
                )
                texts[column - 1] = _cell_text(read_only)
            if any(text.strip() for text in texts) or blocked:
                rows.append((row_number, texts, frozenset(blocked)))
        hidden_rows = {
            int(number)
            for number, attributes in parser.row_dimensions.items()
            if attributes.get("hidden") in ("1", "true")
        }
        hidden_columns = set()
        for attributes in parser.column_dimensions.values():
            if attributes.get("hidden") in ("1", "true"):
                first = column_index_from_string(attributes["index"])
                last = int(attributes.get("max", first))
                hidden_columns.update(range(first, last + 1))
    for row_number, _, _ in rows:
        if row_number in hidden_rows:
            problems.append(
                Problem(
                    row_number,
                    "",
                    "",
                    f"Row {row_number} is hidden. {HIDDEN}: unhide the row or delete it, "
                    "then upload the file again",
                )
            )
    for column in sorted(hidden_columns & used_columns):
        letter = get_column_letter(column)
        problems.append(
            Problem(
                None,
                letter,
                "",
                f"Column {letter} is hidden. {HIDDEN}: unhide the column or delete it, "
                "then upload the file again",
            )
        )
    return rows


def _cell_text(cell) -> str:
    """A cell's value as the text a CSV of the sheet would hold."""
    value = cell.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (cell.number_format or ""):
            return f"{number * 100:f}%"
        return f"{number:f}"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)
