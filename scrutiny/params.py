"""Values read from a request's query or form, made safe for the database: an id that
is not a whole number in range, or text with a NUL character (which PostgreSQL refuses),
reads as nothing rather than failing the page."""

MAX_ID_DIGITS = 18  # PostgreSQL's bigint holds 18 digits whatever they are


def id_param(value) -> int | None:
    value = str(value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None


def text_param(value, *, limit: int = 200) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]
