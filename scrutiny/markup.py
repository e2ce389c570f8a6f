"""The one markup people type into minutes, resolutions and covering reports.

It is CommonMark, parsed by markdown-it-py, cut down to what council papers use:
paragraphs, line breaks, bullet and numbered lists, bold, italic and links. Whatever
the parser makes is then sanitised with nh3, so no text typed or pasted into any of
these fields can carry a script, an event handler or a javascript: link onto a page or
into a PDF.
"""

import dataclasses
import re
import threading
from html.parser import HTMLParser

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

INLINE_MARKUP_HINT = (
    "Put *asterisks* round words for italic and **two** for bold. Web addresses "
    "(https://\u2026) and e-mail addresses become links."
)
MARKUP_HINT = (
    "Leave a blank line between paragraphs. Start a line with \u201c- \u201d for a bullet "
    f"point or \u201c1. \u201d for a numbered list. {INLINE_MARKUP_HINT}"
)

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": True})
    parser.enable("linkify")
    # Rules whose output the papers have no place for would otherwise lose text or
    # surprise: a line of dashes under a sentence would make it a heading, an indented
    # paragraph a code block, "[1]: ..." would vanish as a link definition. Left off,
    # what they would have matched stays as typed.
    parser.disable(
        [
            "code",
            "fence",
            "blockquote",
            "hr",
            "reference",
            "html_block",
            "heading",
            "lheading",
            "backticks",
            "image",
            "html_inline",
        ]
    )
    # Autolinks stay on: "<https://www.dartford.gov.uk>" and "<name@dartford.gov.uk>" are
    # how addresses are written in letters and e-mails, and markdown-it refuses to make
    # a link of "<javascript:...>" (it stays text), as nh3 would after it.
    # Only addresses typed with their scheme (and e-mail addresses) become links: with
    # fuzzy matching "[Min.No. 14 refers]" would link to a site in Norway.
    parser.linkify.set({"fuzzy_link": False})
    return parser


# One parser per thread: the link finder keeps the state of its last search on itself.
_local = threading.local()


def _markdown() -> MarkdownIt:
    if not hasattr(_local, "parser"):
        _local.parser = _parser()
    return _local.parser


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


def _typed(text: str) -> str:
    """The typed text with its line endings made one kind.

    Nothing shaped like a tag is taken out: "x<y and y>z", "<Chief Executive>" or an
    address in angle brackets are words the minute needs, and a minute stores only
    what is rendered, so whatever was taken out would be lost for good. The parser
    (html off) prints a tag as the text it is, and nh3 checks its output."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _safe(rendered: str) -> SafeString:
    # markdown-it puts a newline after each block and after each <br>; no newline
    # means anything else in its output, so the HTML can be kept on one line. What
    # nh3 lets through is only the markup above, so it is safe to print as it is.
    return mark_safe(sanitise(rendered.replace("\n", "")))  # noqa: S308


def render_markup(text: str) -> SafeString:
    """Typed text as safe HTML: paragraphs, lists, bold, italic and links."""
    return _safe(_markdown().render(_typed(text)))


def render_markup_inline(text: str) -> SafeString:
    """One line of typed text (a resolution, a recommendation) as safe HTML, without
    the paragraph round it: bold, italic and links only."""
    return _safe(_markdown().renderInline(_typed(text)))


@dataclasses.dataclass(frozen=True)
class Block:
    """A top-level block of typed text as safe HTML: a paragraph's content, without the
    <p> so that a caller can print a number before it, or a whole list."""

    kind: str  # "paragraph" or "list"
    html: SafeString


def markup_blocks(text: str) -> list[Block]:
    """The paragraphs and lists of typed text in order, for a covering report that
    numbers its paragraphs but not its bullet points."""
    text = _typed(text)
    markdown = _markdown()
    tokens = markdown.parse(text)
    blocks = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.nesting != 1:
            index += 1
            continue
        close = token.type.replace("_open", "_close")
        end = index + 1
        while not (tokens[end].type == close and tokens[end].level == 0):
            end += 1
        if token.type == "paragraph_open":
            rendered = markdown.renderer.render(tokens[index + 1 : end], markdown.options, {})
            blocks.append(Block(kind="paragraph", html=_safe(rendered)))
        else:
            rendered = markdown.renderer.render(tokens[index : end + 1], markdown.options, {})
            blocks.append(Block(kind="list", html=_safe(rendered)))
        index = end + 1
    return blocks


class _MarkupWriter(HTMLParser):
    """Sanitised HTML back to the markup that makes it, for editing in a text box."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # [kind, next number, indent of the items' text]
        self.link: list[str | None] = []

    def _at_line_start(self) -> bool:
        text = "".join(self.out).rstrip(" ")
        return not text or text.endswith("\n")

    def _end_block(self):
        text = "".join(self.out).rstrip(" ")
        self.out = [text.rstrip("\n") + "\n\n" if text.strip() else ""]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p" and not self.lists:
            self._end_block()
        elif tag == "p":
            # A loose list's item: a second paragraph in it is indented to its text.
            if self._at_line_start():
                self.out.append(" " * self.lists[-1][2])
        elif tag == "br":
            self.out.append("\n" + (" " * self.lists[-1][2] if self.lists else ""))
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._end_block()
            elif not self._at_line_start():
                self.out.append("\n")
            start = attrs.get("start") or "1"
            indent = self.lists[-1][2] if self.lists else 0
            self.lists.append([tag, int(start) if start.isdigit() else 1, indent])
        elif tag == "li" and self.lists:
            current = self.lists[-1]
            outer = self.lists[-2][2] if len(self.lists) > 1 else 0
            if current[0] == "ol":
                marker = f"{current[1]}. "
                current[1] += 1
            else:
                marker = "- "
            if not self._at_line_start():
                self.out.append("\n")
            self.out.append(" " * outer + marker)
            current[2] = outer + len(marker)
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a":
            self.link.append(attrs.get("href"))
            self.out.append("\x00")  # where the link's text starts

    def handle_endtag(self, tag):
        if tag == "p" and not self.lists:
            self._end_block()
        elif tag == "p":
            self.out.append("\n\n")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self._end_block()
            elif not self._at_line_start():
                self.out.append("\n")
        elif tag == "li" and not self._at_line_start():
            self.out.append("\n")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a" and self.link:
            href = self.link.pop()
            text = "".join(self.out)
            start = text.rfind("\x00")
            label = text[start + 1 :]
            if not href or href in (label, f"mailto:{label}"):
                written = label  # made into a link again when rendered
            else:
                written = (
                    f"[{label}](<{href}>)" if re.search(r"[\s()]", href) else f"[{label}]({href})"
                )
            self.out = [text[:start] + written]

    def handle_data(self, data):
        data = re.sub(r"[ \t\n\r\f]+", " ", data)  # not \s, which takes no-break spaces
        if self._at_line_start():
            data = data.lstrip(" ")
        if not self.link:
            # An asterisk that was text stays text: it was typed escaped, or came from
            # pasted HTML.
            data = data.replace("*", "\\*")
        self.out.append(data)

    def markup(self) -> str:
        text = "".join(self.out).replace("\x00", "")
        return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ ]+\n", "\n", text)).strip()


def html_to_markup(markup: str) -> str:
    """Stored HTML (made by render_markup, or pasted and sanitised) as the text that
    renders to it again, for editing in a plain text box."""
    writer = _MarkupWriter()
    writer.feed(markup or "")
    writer.close()
    return writer.markup()
