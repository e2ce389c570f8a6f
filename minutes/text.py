"""Minute text: what the co-ordinator types becomes safe HTML, and cross references
such as "[Min. No. 14 refers]" become links.

Text is sanitised with nh3 when it is saved, so no stored minute can carry a script,
an event handler, a frame or a style, whatever was pasted into it.
"""

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

BULLET = re.compile(r"^\s*[-*\u2022]\s+")
EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
STRONG = re.compile(r"\*\*(?!\s)([^*\n]+?)(?<!\s)\*\*")


def sanitise(markup: str) -> str:
    """Keep paragraphs, lists, bold, italic and links; drop everything else."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


BARE_URL = re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")


def _inline(line: str) -> str:
    escaped = html.escape(line, quote=False)
    escaped = STRONG.sub(r"<strong>\1</strong>", escaped)
    escaped = EMPHASIS.sub(r"<em>\1</em>", escaped)
    return BARE_URL.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', escaped)


def plain_to_html(text: str) -> str:
    """Typed text to HTML: blank lines part paragraphs, "- " starts a bullet,
    *italic* and **bold** as people type them in e-mail."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(BULLET.sub('', line))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>")
    return "".join(out)


FORMATTING_TAG = re.compile(r"<\s*/?\s*(p|br|ul|ol|li|strong|b|em|i|a)\b", re.IGNORECASE)


def minute_text_to_html(text: str) -> str:
    """What the co-ordinator entered, as safe HTML. Formatted text (pasted HTML) is
    sanitised; typed text has any stray tags removed, then is converted."""
    text = text or ""
    if FORMATTING_TAG.search(text):
        return sanitise(text)
    stripped = html.unescape(nh3.clean(text, tags=set()))
    return sanitise(plain_to_html(stripped))


def html_to_plain(markup: str) -> str:
    """Stored HTML back to the typed form, for editing in a plain text box."""
    text = re.sub(r"</p>\s*", "\n\n", markup)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"</li>\s*", "\n", text)
    text = re.sub(r"</ul>\s*|</ol>\s*", "\n", text)
    text = re.sub(r"</?(strong|b)>", "**", text)
    text = re.sub(r"</?(em|i)>", "*", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(re.sub(r"\n{3,}", "\n\n", text)).strip()


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
