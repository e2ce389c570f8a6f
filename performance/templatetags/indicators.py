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


@register.filter
def arrow(change) -> str:
    """The way a change moved as a character (for PDFs): up, down or level."""
    if change is None:
        return ""
    if change.movement == "no change":
        return "\u25ba"  # black right-pointing pointer
    return "\u25b2" if change.later > change.earlier else "\u25bc"
