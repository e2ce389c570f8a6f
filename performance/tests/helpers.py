"""Files of observations for the tests."""

import io

from django.core.files.base import ContentFile

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
