"""The papers' one markup in templates: `{{ text|markup }}` for paragraphs and lists,
`{{ resolution.text|markup_inline }}` for a line printed inside a list item, and
`{% markup_hint %}` for the hint under a group of fields that take it."""

from django import template

from scrutiny.markup import MARKUP_HINT, render_markup, render_markup_inline

register = template.Library()


@register.filter
def markup(text):
    return render_markup(str(text or ""))


@register.filter
def markup_inline(text):
    return render_markup_inline(str(text or ""))


@register.simple_tag
def markup_hint():
    return MARKUP_HINT
