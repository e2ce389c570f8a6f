"""How the performance pages word a change: "down 3.0%", "up 11.1%"."""

from django import template

register = template.Library()


@register.filter
def movement(change) -> str:
    """The size of a change in words, whatever its direction of travel."""
    if change is None:
        return ""
    went_up = change.later > change.earlier
    if change.later == change.earlier:
        return "unchanged"
    if change.percent is None:  # from nought: no percentage to give
        return "up from 0" if went_up else "down"
    size = change.percent_text.lstrip("+-")
    return f"{'up' if went_up else 'down'} {size}"
