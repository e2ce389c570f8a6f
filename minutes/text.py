"""Minute text: what the co-ordinator types becomes safe HTML, and cross references
such as "[Min. No. 14 refers]" become links.

Typed text is the markup that resolutions and covering reports share; the HTML is
made and sanitised with nh3 when the minute is saved, so no stored minute can carry a
script, an event handler, a frame or a style, whatever was pasted into it. Only the
HTML is stored: the text box is filled from it again for the next edit.
"""

import html
import re

from scrutiny.markup import html_to_markup, render_markup, sanitise

# HTML that opens with a block (as pasted page source does, and as every stored minute
# does, which a restored version brings back). A tag further in is not enough: "a <b>
# is bold" or "x<b" in a typed minute would otherwise turn the whole minute into HTML
# and lose its paragraphs and lists.
PASTED_HTML = re.compile(
    r"\s*<(?:p|ul|ol|div|h[1-6]|table|blockquote|section|article|html|body|!doctype)\b",
    re.IGNORECASE,
)


def minute_text_to_html(text: str) -> str:
    """What the co-ordinator entered, as safe HTML. Pasted HTML is sanitised; anything
    else is the papers' one markup (scrutiny/markup.py), where a tag typed in the text
    shows as typed."""
    text = text or ""
    if PASTED_HTML.match(text):
        return sanitise(text)
    return render_markup(text)


def html_to_plain(markup: str) -> str:
    """Stored HTML back to the typed form, for editing in a plain text box."""
    return html_to_markup(markup)


# "[Min. No. 14 refers]", "[GAC Min. No. 36 refers]", "[Min. Nos. 14 and 15 refer]" is rare
# enough to be left as text.
CROSS_REFERENCE = re.compile(
    r"\[(?:(?P<committee>[A-Z][A-Za-z&]{1,11})\s+)?Min\.?\s*No\.?\s*(?P<number>\d+)\s+refers\]"
)


def cross_references(markup: str) -> list[tuple[str, int]]:
    """(committee short name or "", minute number) for every reference in the text."""
    return [
        (match["committee"] or "", int(match["number"]))
        for match in CROSS_REFERENCE.finditer(markup)
    ]


def link_cross_references(markup: str, targets: dict[tuple[str, int], str]) -> str:
    """Wrap each reference whose target is known ({(committee, number): url}) in a link."""

    def replace(match):
        url = targets.get((match["committee"] or "", int(match["number"])))
        if not url:
            return match[0]
        return f'<a href="{html.escape(url)}">{match[0]}</a>'

    return CROSS_REFERENCE.sub(replace, markup)


def word_diff(old: str, new: str) -> str:
    """HTML showing what changed between two plain texts, word by word: removed words in
    <del>, added ones in <ins> (both also say so in words for screen readers)."""
    import difflib

    before, after = old.split(), new.split()
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            removed = html.escape(" ".join(before[a1:a2]))
            out.append(f'<del><span class="visually-hidden">removed: </span>{removed}</del>')
        if op in ("insert", "replace"):
            added = html.escape(" ".join(after[b1:b2]))
            out.append(f'<ins><span class="visually-hidden">added: </span>{added}</ins>')
    return " ".join(out)
