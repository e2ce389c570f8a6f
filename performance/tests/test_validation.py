"""Checking a file of observations: every problem, with its row, column, value and what to
do, and nothing saved."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from performance.models import Observation, ObservationStatus, Unit, Upload
from performance.services import observations_validate
from scrutiny.testing import pdf_bytes

from .helpers import HEADER, csv_text, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(make_indicator, district, county):
    return {
        "crime": make_indicator(code="all-crime", name="All crime", is_crime=True),
        "rate": make_indicator(code="crime-rate", name="Crime rate", unit=Unit.RATE_PER_1000),
        "share": make_indicator(code="repeat", name="Repeat victims", unit=Unit.PERCENTAGE),
        "withdrawals": make_indicator(
            code="da-withdrawals", name="DA withdrawals", allows_missing_reason=True
        ),
    }


@pytest.fixture
def check(committee, indicators):
    def check(content, *, name="observations.csv"):
        if isinstance(content, str):
            content = content.encode("utf-8")
        return observations_validate(
            file=ContentFile(content, name=name), name=name, committee=committee
        )

    return check


def problems_of(result):
    return [(p.row, p.column, p.value, p.message) for p in result.problems]


def only_problem(result):
    assert len(result.problems) == 1, problems_of(result)
    return result.problems[0]


# --- a good file -------------------------------------------------------------------------


def test_a_good_file_is_read_row_by_row(check):
    result = check(
        csv_text(
            "all-crime,dartford,2017-18 Q1,2526,audited,",
            "crime-rate,dartford,2017/18 Q1,23.79,,",
            "repeat,kent,Q1 2017-18,12.5,Provisional,Partner data",
        )
    )
    assert result.is_valid, problems_of(result)
    assert result.file_format == "csv"
    assert [
        (r.row, r.indicator.code, r.area.code, r.period.label, r.value) for r in result.rows
    ] == [
        (2, "all-crime", "dartford", "2017-18 Q1", Decimal("2526")),
        (3, "crime-rate", "dartford", "2017-18 Q1", Decimal("23.79")),
        (4, "repeat", "kent", "2017-18 Q1", Decimal("12.5")),
    ]
    assert [r.status for r in result.rows] == [
        ObservationStatus.AUDITED,
        ObservationStatus.PROVISIONAL,  # empty is provisional
        ObservationStatus.PROVISIONAL,
    ]
    assert result.rows[2].note == "Partner data"
    assert len(result.sha256) == 64
    assert not Observation.objects.exists() and not Upload.objects.exists()


def test_headings_are_read_in_any_order_and_any_case(check):
    result = check("Value, PERIOD ,Area,Indicator\r\n1234,2017-18 Q1,DARTFORD,All-Crime\r\n")
    assert result.is_valid, problems_of(result)
    assert result.rows[0].value == Decimal("1234")
    assert result.rows[0].area.code == "dartford"


def test_thousands_separators_and_per_cent_signs_are_read_as_numbers(check):
    result = check(
        csv_text('all-crime,dartford,2017-18 Q1,"1,234",,', "repeat,dartford,2017-18 Q1,12%,,")
    )
    assert result.is_valid, problems_of(result)
    assert [r.value for r in result.rows] == [Decimal("1234"), Decimal("12")]


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(check):
    result = check(
        csv_text("all-crime,dartford,2017-18 Q1,1,,", ",,,,,", "", "bad,dartford,2017-18 Q1,1,,")
    )
    assert only_problem(result).row == 5


def test_the_template_reference_columns_are_not_read(check):
    result = check(
        csv_text(
            "all-crime,dartford,2017-18 Q1,100,,,All crime,Dartford",
            header=f"{HEADER},indicator name,area name",
        )
    )
    assert result.is_valid, problems_of(result)


def test_more_decimal_places_than_stored_are_rounded(check):
    result = check(csv_text("crime-rate,dartford,2017-18 Q1,23.456789,,"))
    assert result.rows[0].value == Decimal("23.4568")


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf-8", "utf-8 with BOM", "windows-1252"],
)
def test_csv_in_utf8_with_or_without_bom_or_windows_1252(check, encoding, bom):
    text = csv_text("all-crime,dartford,2017-18 Q1,100,,Cost \u00a3250 \u2013 caf\u00e9")
    result = check(bom + text.encode(encoding))
    assert result.is_valid, problems_of(result)
    assert result.rows[0].note == "Cost \u00a3250 \u2013 caf\u00e9"


def test_a_byte_windows_1252_does_not_define_is_refused(check):
    result = check(csv_text("all-crime,dartford,2017-18 Q1,100,,").encode() + b"\x81\x8d\xe9")
    assert "UTF-8 or Windows-1252" in only_problem(result).message


def test_utf16_is_refused_with_what_to_do(check):
    result = check(csv_text("all-crime,dartford,2017-18 Q1,100,,").encode("utf-16"))
    assert "Save it as CSV UTF-8" in only_problem(result).message


# --- not a spreadsheet ------------------------------------------------------------------------


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.csv", csv_text("all-crime,dartford,2017-18 Q1,100,,"))
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (zip_bytes, "observations.csv", "is a zip archive, not a spreadsheet"),
        (lambda: pdf_bytes(1), "observations.csv", "is a PDF, not a spreadsheet"),
        (lambda: b"\x00\x01\x02binary\xff" * 20, "observations.xlsx", "is not a spreadsheet"),
        (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "chart.csv", "is not a spreadsheet"),
        (
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "old.xls",
            "old Excel 97-2003 workbook",
        ),
    ],
    ids=["zip named .csv", "pdf", "binary named .xlsx", "png", "xls"],
)
def test_what_is_not_a_spreadsheet_is_refused_by_its_content(check, content, name, message):
    problem = only_problem(check(content(), name=name))
    assert message in problem.message
    assert problem.row is None


def test_a_csv_named_xlsx_is_read_as_the_csv_it_is(check):
    result = check(csv_text("all-crime,dartford,2017-18 Q1,100,,"), name="observations.xlsx")
    assert result.is_valid and result.file_format == "csv"


def test_an_empty_file_is_refused(check):
    assert only_problem(check(b"")).message == "The selected file is empty"
    assert only_problem(check(b"\r\n\r\n")).message == "The selected file is empty"


def test_a_file_with_headings_only_has_no_observations(check):
    assert "no observations" in only_problem(check(csv_text())).message


def test_a_file_too_large_is_refused_before_it_is_read(check, settings):
    settings.SCRUTINY_OBSERVATION_UPLOAD_MAX_BYTES = 100
    problem = only_problem(check(csv_text(*["all-crime,dartford,2017-18 Q1,100,,"] * 5)))
    assert problem.message == "The selected file must be smaller than 100\xa0bytes"


def test_a_file_with_too_many_rows_is_refused(check, settings):
    settings.SCRUTINY_OBSERVATION_UPLOAD_MAX_ROWS = 3
    rows = [
        f"all-crime,dartford,{year}-{(year + 1) % 100:02d} Q1,100,," for year in range(2010, 2015)
    ]
    problem = only_problem(check(csv_text(*rows)))
    assert "more than 3 rows" in problem.message


def test_semicolon_separated_files_are_refused_with_what_to_do(check):
    result = check("indicator;area;period;value\r\nall-crime;dartford;2017-18 Q1;1\r\n")
    assert "separated by commas" in only_problem(result).message


def test_unbalanced_quotation_marks_are_reported(check):
    result = check(csv_text('all-crime,dartford,2017-18 Q1,100,,"unclosed'))
    assert "could not be read as CSV" in only_problem(result).message


# --- headings ---------------------------------------------------------------------------------


def test_each_missing_required_column_is_reported(check):
    result = check("indicator,area\r\nall-crime,dartford\r\n")
    assert [(p.row, p.column) for p in result.problems] == [(1, "period"), (1, "value")]
    assert "no \u201cperiod\u201d column" in result.problems[0].message


def test_an_unknown_column_and_a_repeated_one_are_reported(check):
    result = check(
        csv_text("all-crime,dartford,2017-18 Q1,1,,,x,2", header=f"{HEADER},notes,value")
    )
    assert [(p.row, p.column) for p in result.problems] == [(1, "notes"), (1, "value")]
    assert "not a column the upload reads" in result.problems[0].message
    assert "Two columns are called" in result.problems[1].message


def test_values_in_a_column_without_a_heading_are_reported_once(check):
    result = check(
        csv_text("all-crime,dartford,2017-18 Q1,1,,,stray", "all-crime,kent,2017-18 Q1,1,,,x")
    )
    problem = only_problem(result)
    assert (problem.row, problem.value) == (2, "stray")


# --- rows -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (
            "nope,dartford,2017-18 Q1,1,,",
            "indicator",
            "nope",
            "Enter an indicator code from the template",
        ),
        (",dartford,2017-18 Q1,1,,", "indicator", "", "Enter the indicator's code"),
        (
            "all-crime,atlantis,2017-18 Q1,1,,",
            "area",
            "atlantis",
            "Enter an area code from the template",
        ),
        (
            "all-crime,dartford,2017 Q1,1,,",
            "period",
            "2017 Q1",
            "Enter the period as a financial-year quarter",
        ),
        (
            "all-crime,dartford,2017-19 Q1,1,,",
            "period",
            "2017-19 Q1",
            "Enter the period as a financial-year quarter",
        ),
        (
            "all-crime,dartford,2017-18 Q5,1,,",
            "period",
            "2017-18 Q5",
            "Enter the period as a financial-year quarter",
        ),
        (
            "all-crime,dartford,1980-81 Q1,1,,",
            "period",
            "1980-81 Q1",
            "Enter a quarter from 1990 onwards",
        ),
        (
            "all-crime,dartford,2090-91 Q1,1,,",
            "period",
            "2090-91 Q1",
            "The quarter has not started yet",
        ),
        ("all-crime,dartford,2017-18 Q1,abc,,", "value", "abc", "Enter a number, such as 1234"),
        ('all-crime,dartford,2017-18 Q1,"1,23",,', "value", "1,23", "Enter a number, such as 1234"),
        (
            "all-crime,dartford,2017-18 Q1,n/a,,",
            "value",
            "n/a",
            "Enter a number: \u201cAll crime\u201d needs a value",
        ),
        (
            "all-crime,dartford,2017-18 Q1,,,",
            "value",
            "",
            "Enter a number: \u201cAll crime\u201d needs a value",
        ),
        (
            "all-crime,dartford,2017-18 Q1,12%,,",
            "value",
            "12%",
            "\u201cAll crime\u201d is not a percentage",
        ),
        ("all-crime,dartford,2017-18 Q1,-3,,", "value", "-3", "A count cannot be negative"),
        ("crime-rate,dartford,2017-18 Q1,-0.5,,", "value", "-0.5", "A rate cannot be negative"),
        (
            "repeat,dartford,2017-18 Q1,100.5,,",
            "value",
            "100.5",
            "Enter a percentage from 0 to 100",
        ),
        ("repeat,dartford,2017-18 Q1,-1%,,", "value", "-1%", "Enter a percentage from 0 to 100"),
        ("all-crime,dartford,2017-18 Q1,12345678901,,", "value", "12345678901", "too large"),
        (
            "da-withdrawals,dartford,2017-18 Q1,n/a,,",
            "note",
            "",
            "Give the reason the value is missing",
        ),
        (
            "all-crime,dartford,2017-18 Q1,1,final,",
            "status",
            "final",
            "Enter provisional or audited",
        ),
        (
            "all-crime,dartford,2017-18 Q1,1,," + "x" * 501,
            "note",
            "x" * 100,
            "500 characters or fewer",
        ),
    ],
)
def test_each_problem_in_a_row_is_reported_with_its_place(check, row, column, value, message):
    problem = only_problem(check(csv_text(row)))
    assert (problem.row, problem.column, problem.value) == (2, column, value)
    assert message in problem.message


def test_a_missing_value_with_its_reason_is_accepted_where_the_indicator_allows_it(check):
    result = check(
        csv_text(
            "da-withdrawals,dartford,2017-18 Q1,n/a,,Not supplied by the Witness Care Unit",
            "da-withdrawals,kent,2017-18 Q1,,,Not supplied",
        )
    )
    assert result.is_valid, problems_of(result)
    assert [r.value for r in result.rows] == [None, None]
    assert result.rows[0].note == "Not supplied by the Witness Care Unit"


def test_an_indicator_of_another_committee_is_unknown(check, make_indicator, make_committee):
    make_indicator(code="licences", committee=make_committee())
    assert only_problem(check(csv_text("licences,dartford,2017-18 Q1,1,,"))).column == "indicator"


def test_duplicate_rows_are_reported_against_the_first(check):
    result = check(
        csv_text(
            "all-crime,dartford,2017-18 Q1,1,,",
            "all-crime,kent,2017-18 Q1,1,,",
            "ALL-CRIME,Dartford,2017/18 Q1,2,,",
        )
    )
    problem = only_problem(result)
    assert problem.row == 4
    assert "Row 4 repeats row 2" in problem.message


def test_every_problem_in_the_file_is_reported_in_row_order(check):
    result = check(
        csv_text(
            "nope,atlantis,2017 Q1,abc,final,",
            "all-crime,dartford,2017-18 Q1,1,,",
            "all-crime,dartford,2017-18 Q2,-1,,",
        )
    )
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "area"),
        (2, "indicator"),
        (2, "period"),
        (2, "status"),
        (2, "value"),
        (4, "value"),
    ]
    assert [r.row for r in result.rows] == [3]
    assert str(result.problems[0]) == (
        "Row 2, column \u201carea\u201d, \u201catlantis\u201d: Enter an area code from the template"
    )


# --- workbooks --------------------------------------------------------------------------------


GOOD_ROWS = [
    ["indicator", "area", "period", "value", "status", "note"],
    ["all-crime", "dartford", "2017-18 Q1", 2526, "audited", None],
    ["crime-rate", "dartford", "2017-18 Q1", 23.79, None, None],
]


def test_a_workbook_is_read_like_a_csv(check):
    result = check(xlsx_bytes(GOOD_ROWS), name="q1.xlsx")
    assert result.is_valid, problems_of(result)
    assert result.file_format == "xlsx"
    assert [(r.row, r.value) for r in result.rows] == [(2, Decimal("2526")), (3, Decimal("23.79"))]


def test_a_workbook_named_csv_is_read_as_the_workbook_it_is(check):
    result = check(xlsx_bytes(GOOD_ROWS), name="q1.csv")
    assert result.is_valid and result.file_format == "xlsx"


def test_a_cell_formatted_as_a_percentage_is_read_as_its_per_cent(check):
    def build(workbook, sheet):
        sheet.append(["repeat", "dartford", "2017-18 Q1", 0.125])
        sheet["D4"].number_format = "0.0%"

    result = check(xlsx_bytes(GOOD_ROWS, build=build))
    assert result.is_valid, problems_of(result)
    assert result.rows[-1].value == Decimal("12.5")


def test_formulas_are_refused_and_never_evaluated(check):
    def build(workbook, sheet):
        sheet.append(["all-crime", "kent", "2017-18 Q1", "=D2*10"])

    result = check(xlsx_bytes(GOOD_ROWS, build=build))
    problem = only_problem(result)
    assert (problem.row, problem.column, problem.value) == (4, "D", "=D2*10")
    assert "Cell D4 holds a formula" in problem.message
    assert [r.row for r in result.rows] == [2, 3]


def test_a_hidden_sheet_is_refused(check):
    def build(workbook, sheet):
        hidden = workbook.create_sheet("Workings")
        hidden.append(["secret", 1])
        hidden.sheet_state = "hidden"

    problem = only_problem(check(xlsx_bytes(GOOD_ROWS, build=build)))
    assert problem.value == "Workings"
    assert (
        "hidden sheet" in problem.message and "must not reach published papers" in problem.message
    )


def test_a_second_visible_sheet_is_refused(check):
    def build(workbook, sheet):
        workbook.create_sheet("Notes").append(["anything"])

    assert "more than one sheet" in only_problem(check(xlsx_bytes(GOOD_ROWS, build=build))).message


def test_a_hidden_row_is_refused(check):
    def build(workbook, sheet):
        sheet.row_dimensions[3].hidden = True

    problem = only_problem(check(xlsx_bytes(GOOD_ROWS, build=build)))
    assert problem.row == 3
    assert "Row 3 is hidden" in problem.message


def test_a_hidden_column_with_values_is_refused_and_an_empty_one_is_not(check):
    def build(workbook, sheet):
        sheet["H2"] = "secret"
        sheet.column_dimensions["H"].hidden = True
        sheet.column_dimensions["K"].hidden = True

    problems = check(xlsx_bytes(GOOD_ROWS, build=build)).problems
    assert [(p.column, p.message[:19]) for p in problems if p.column == "H" and p.row is None] == [
        ("H", "Column H is hidden.")
    ]
    assert not [p for p in problems if p.column == "K"]


def test_a_damaged_workbook_is_refused(check):
    data = bytearray(xlsx_bytes(GOOD_ROWS))
    start = data.index(b"xl/worksheets/sheet1.xml") + 40
    data[start : start + 200] = b"\x00" * 200
    assert "could not be read" in only_problem(check(bytes(data))).message


def test_a_workbook_whose_first_row_is_empty_is_refused(check):
    result = check(xlsx_bytes([[None], *GOOD_ROWS]))
    assert "Row 1 must name the columns" in only_problem(result).message


def test_a_macro_enabled_workbook_is_refused(check):
    data = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD_ROWS))) as source,
        zipfile.ZipFile(data, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"macro")
    assert "macros" in only_problem(check(data.getvalue())).message


def test_the_upload_is_checked_by_the_same_rules_whatever_its_format(check):
    rows = [GOOD_ROWS[0], ["all-crime", "dartford", "2017 Q1", "abc", None, None]]
    from_xlsx = problems_of(check(xlsx_bytes(rows)))
    from_csv = problems_of(check(csv_text("all-crime,dartford,2017 Q1,abc,,")))
    assert from_xlsx == from_csv and len(from_csv) == 2


def test_workbook_xml_is_parsed_safely(check):
    import openpyxl

    assert openpyxl.DEFUSEDXML, "openpyxl reads uploaded XML through defusedxml"
    source = io.BytesIO(xlsx_bytes(GOOD_ROWS))
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    data = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(data, "w") as copy:
        for item in original.infolist():
            content = original.read(item.filename)
            copy.writestr(item, bomb if item.filename == "xl/worksheets/sheet1.xml" else content)
    assert "could not be read" in only_problem(check(data.getvalue())).message
