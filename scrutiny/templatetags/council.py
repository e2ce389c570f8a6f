"""Dates and times written as the council's papers write them."""

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def council_date(value, with_weekday=False):
    """21 February 2018 (or Wednesday 21 February 2018 with `:"weekday"`)."""
    if not value:
        return ""
    value = _local(value)
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%A} {text}" if with_weekday else text


@register.filter
def council_time(value):
    """7.00 pm, as in the minutes ("The meeting closed at 9.25 pm")."""
    if not value:
        return ""
    value = _local(value)
    hour = value.hour % 12 or 12
    return f"{hour}.{value:%M} {'am' if value.hour < 12 else 'pm'}"


@register.filter
def pages(page_range):
    """ "Page 23" for one page, "Pages 23 - 25" for more, as a front sheet prints them."""
    if not page_range:
        return ""
    first, last = page_range
    return f"Page {first}" if first == last else f"Pages {first} - {last}"


@register.filter
def css_string(value):
    """Text as a quoted CSS string, for running headers in printed pages.

    Everything but letters, digits, spaces and common punctuation is written as a CSS
    hex escape, so no character can end the string or the rule (quotes, backslashes,
    angle brackets, and the carriage return and form feed that CSS also reads as line
    ends)."""
    plain = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.-&'()")
    text = "".join(
        char if char in plain else f"\\{ord(char):X} " for char in str(value).replace("\r\n", "\n")
    )
    return mark_safe(f'"{text}"')  # noqa: S308
