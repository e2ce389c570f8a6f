"""Files of observations for the tests, the roles the pages are tried as, and the
confidential indicator whose name and figures must not leak."""

import io

from django.core.files.base import ContentFile

from performance.models import PeriodKey
from scrutiny.testing import client_for

HEADER = "indicator,area,period,value,status,note"


def csv_upload(text: str, *, name="observations.csv", encoding="utf-8") -> ContentFile:
    return ContentFile(text.encode(encoding), name=name)


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def xlsx_bytes(rows, *, build=None) -> bytes:
    """A workbook with the rows on its first sheet; `build(workbook, sheet)` adds more."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Observations"
    for row in rows:
        sheet.append(row)
    if build:
        build(workbook, sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def values(observations) -> dict:
    return {
        (o.indicator.code, o.area.code, o.period.label): o.value
        for o in observations.select_related("indicator", "area", "period")
    }


Q1 = PeriodKey(2017, 1)
ROLES = [
    "anonymous",
    "councillor",
    "member",
    "officer",
    "data_officer",
    "coordinator",
    "other_coordinator",
]
ENTITLED = {"member", "data_officer", "coordinator"}
# The confidential indicator's name and figures: distinctive, so that a leak shows.
SECRET_NAME = "Domestic abuse: victim withdrawals"
SECRET_VALUES = ["9,173", "9,281", "9173", "9281"]
SECRET_NOTE = "Witness Care Unit count"


def client_as(request, role):
    if role == "anonymous":
        return request.getfixturevalue("client")
    return client_for(request.getfixturevalue(role))


def rows_for(code, area, values, *, last=Q1, note=""):
    count = len(values)
    return [
        f"{code},{area},{last.shifted(n - count + 1).label},{value},,{note}"
        for n, value in enumerate(values)
    ]
