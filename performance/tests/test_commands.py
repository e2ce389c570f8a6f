"""`manage.py import_observations` and `export_observations`: the same checks for scripts,
and an export that imports unchanged."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from exempt.models import AccessEvent, AccessLog
from performance.models import Observation, Unit, Upload, UploadSource, UploadState

from .helpers import csv_text, values, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD = csv_text(
    "all-crime,dartford,2017-18 Q1,2526,audited,",
    'all-crime,kent,2017-18 Q1,"33,950",,',
)


@pytest.fixture
def setting(committee, crime, district, county, make_indicator):
    make_indicator(
        code="da-withdrawals", allows_missing_reason=True, is_confidential=True, unit=Unit.COUNT
    )
    make_indicator(code="repeat", unit=Unit.PERCENTAGE)


def write(tmp_path, content, name="q1.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported(setting, tmp_path):
    out, err = run("import_observations", write(tmp_path, GOOD))
    assert "Imported upload" in out and "2 new, 0 changed, 0 unchanged" in out
    assert err == ""
    assert values(Observation.objects)[("all-crime", "kent", "2017-18 Q1")] == Decimal("33950")
    upload = Upload.objects.get()
    assert (upload.source, upload.state, upload.uploaded_by_name) == (
        UploadSource.COMMAND,
        UploadState.CONFIRMED,
        "(command line)",
    )


def test_a_file_with_problems_exits_non_zero_with_numbered_rows_on_stderr_and_saves_nothing(
    setting, tmp_path
):
    path = write(
        tmp_path,
        csv_text("all-crime,dartford,2017-18 Q1,2526,,", "all-crime,nowhere,2017 Q1,abc,,"),
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(
        CommandError, match=r"3 problem\(s\) in the file: nothing was saved"
    ) as failed:
        call_command("import_observations", path, stdout=out, stderr=err)
    assert failed.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "Row 3, column \u201carea\u201d, \u201cnowhere\u201d: Enter an area code from the template",
        "Row 3, column \u201cperiod\u201d, \u201c2017 Q1\u201d: Enter the period as a "
        "financial-year quarter, such as 2017-18 Q1, 2017/18 Q1 or Q1 2017-18",
        "Row 3, column \u201cvalue\u201d, \u201cabc\u201d: Enter a number, such as 1234, "
        "1,234 or 12.5",
    ]
    assert not Observation.objects.exists() and not Upload.objects.exists()


def test_the_exit_status_is_non_zero_from_the_shell(setting, tmp_path, monkeypatch, capsys):
    from django.core.management import ManagementUtility, base

    # Run as from the shell, but keep the test's database connection open (a command
    # run from argv closes every connection when it ends); the system checks are the
    # test runner's concern, not this command's.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    path = write(tmp_path, csv_text("all-crime,dartford,2017-18 Q1,abc,,"))
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_observations", path, "--skip-checks"]).execute()
    assert exited.value.code == 1
    assert "Row 2" in capsys.readouterr().err
    assert not Observation.objects.exists()


def test_a_dry_run_checks_and_saves_nothing(setting, tmp_path):
    out, _ = run("import_observations", write(tmp_path, GOOD), "--dry-run")
    assert "2 rows, no problems. Nothing was saved." in out
    assert not Observation.objects.exists() and not Upload.objects.exists()
    with pytest.raises(CommandError):
        run("import_observations", write(tmp_path, csv_text("x,y,z,1,,")), "--dry-run")


def test_a_workbook_is_imported_too(setting, tmp_path):
    rows = [["Indicator", "Area", "Period", "Value"], ["all-crime", "dartford", "2017-18 Q1", 2526]]
    run("import_observations", write(tmp_path, xlsx_bytes(rows), "q1.xlsx"))
    assert Observation.objects.get().value == Decimal("2526")


def test_importing_as_a_user_needs_a_data_officer(setting, tmp_path, data_officer, officer):
    run("import_observations", write(tmp_path, GOOD), "--user", "dataofficer")
    assert Upload.objects.get().uploaded_by == data_officer
    with pytest.raises(CommandError, match="may not upload"):
        run("import_observations", write(tmp_path, GOOD), "--user", "officer")
    assert AccessLog.objects.filter(event=AccessEvent.DATA_REFUSED, user=officer).exists()
    with pytest.raises(CommandError, match="No user is called nobody"):
        run("import_observations", write(tmp_path, GOOD), "--user", "nobody")


def test_a_missing_file_is_reported(setting, tmp_path):
    with pytest.raises(CommandError, match="could not be opened"):
        run("import_observations", str(tmp_path / "missing.csv"))


def test_the_export_writes_the_upload_format(setting, tmp_path):
    run("import_observations", write(tmp_path, GOOD))
    out, _ = run("export_observations")
    assert out.splitlines() == [
        "indicator,area,period,value,status,note",
        "all-crime,dartford,2017-18 Q1,2526,audited,",
        "all-crime,kent,2017-18 Q1,33950,provisional,",
    ]
    out, _ = run("export_observations", "--area", "KENT", "--indicator", "all-crime")
    assert out.splitlines()[1:] == ["all-crime,kent,2017-18 Q1,33950,provisional,"]
    with pytest.raises(CommandError, match="No area has the code atlantis"):
        run("export_observations", "--area", "atlantis")
    with pytest.raises(CommandError, match="No indicator has the code nope"):
        run("export_observations", "--indicator", "nope")


def test_an_export_imports_unchanged(setting, tmp_path):
    original = csv_text(
        "all-crime,dartford,2017-18 Q1,2526,audited,",
        'all-crime,kent,2017-18 Q1,33950.5,,"Quoted, with a comma"',
        "da-withdrawals,dartford,2017-18 Q1,n/a,,Not supplied by the Witness Care Unit",
        "repeat,dartford,2017-18 Q1,12.25%,,=SUM(A1) typed as a note",
        "repeat,kent,2017-18 Q2,0,audited,- dash first",
    )
    run("import_observations", write(tmp_path, original))
    exported, _ = run("export_observations")
    assert "'=SUM(A1)" in exported  # never a formula when opened in a spreadsheet
    before = list(
        Observation.objects.values_list(
            "indicator__code",
            "area__code",
            "period__start_year",
            "period__quarter",
            "value",
            "status",
            "note",
            "upload_id",
        )
    )
    out, _ = run("import_observations", write(tmp_path, exported, "export.csv"))
    assert "0 new, 0 changed, 5 unchanged" in out
    after = list(
        Observation.objects.values_list(
            "indicator__code",
            "area__code",
            "period__start_year",
            "period__quarter",
            "value",
            "status",
            "note",
            "upload_id",
        )
    )
    assert after == before
    again, _ = run("export_observations")
    assert again == exported


def test_the_committee_is_named_when_more_than_one_has_indicators(
    setting, tmp_path, make_committee, make_indicator
):
    other = make_committee(slug="licensing")
    make_indicator(code="licences", committee=other)
    with pytest.raises(CommandError, match="--committee"):
        run("import_observations", write(tmp_path, GOOD))
    run("import_observations", write(tmp_path, GOOD), "--committee", "crime-and-disorder")
    assert Observation.objects.count() == 2
    with pytest.raises(CommandError, match="No committee has the slug nope"):
        run("export_observations", "--committee", "nope")
