"""The one markup of minutes, resolutions and covering reports: CommonMark, cut down to
what the papers use, and never a way to put a script on a page."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from scrutiny.markup import (
    ALLOWED_TAGS,
    MARKUP_HINT,
    html_to_markup,
    markup_blocks,
    render_markup,
    render_markup_inline,
)

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>click</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](https://evil.example/x.png)",
    "<iframe src='https://evil.example'></iframe>",
    "<p onclick='alert(1)'>clicked</p>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


class _Elements(HTMLParser):
    """The elements and attributes a browser would make of some HTML (text aside)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(rendered: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(rendered)
    parser.close()
    return parser.found


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("render", [render_markup, render_markup_inline])
def test_nothing_typed_can_run(render, payload):
    rendered = render(f"The Committee noted the report. {payload}")
    assert "The Committee noted the report." in rendered
    lowered = rendered.lower()
    for dangerous in ("<script", "<img", "<iframe", 'href="javascript', 'href="data'):
        assert dangerous not in lowered, (payload, rendered)
    # A tag typed is shown as the text it is ("onerror=" may be read, never run): what
    # the browser builds is only the markup's own elements, links to the web or e-mail.
    for tag, attributes in elements(rendered):
        assert tag in ALLOWED_TAGS, (payload, rendered)
        assert set(attributes) <= {"href", "rel", "start"}, (payload, rendered)
        assert attributes.get("href", "https:").startswith(("https:", "http:", "mailto:"))


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<javascript:alert(1)>",
        "<JaVaScRiPt:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
        "<file:///etc/passwd>",
    ],
)
@pytest.mark.parametrize("render", [render_markup, render_markup_inline])
def test_a_tag_or_an_autolink_that_could_run_stays_text(render, payload):
    rendered = render(f"Noted {payload}")
    assert elements(rendered) == ([("p", {})] if render is render_markup else [])
    assert html_to_markup(rendered) == f"Noted {payload}"


@pytest.mark.parametrize(
    "typed, link",
    [
        ("See <https://www.dartford.gov.uk> for details", "https://www.dartford.gov.uk"),
        (
            "Contact Tony Henley <tony.henley@dartford.gov.uk>.",
            "mailto:tony.henley@dartford.gov.uk",
        ),
    ],
)
def test_an_address_in_angle_brackets_is_a_link(typed, link):
    rendered = render_markup_inline(typed)
    assert elements(rendered) == [("a", {"href": link, "rel": "noopener noreferrer"})]


def test_text_shaped_like_a_tag_is_kept():
    for typed in ("x<y and y>z", "Address it to <Chief Executive>", "Scores <5%", "a <b> c"):
        rendered = render_markup(typed)
        assert elements(rendered) == [("p", {})], rendered
        assert html_to_markup(rendered) == typed


def test_bullets_straight_after_a_line_of_text_are_a_list():
    assert render_markup("The Chairman proposed:\n- a presentation\n- a site visit") == (
        "<p>The Chairman proposed:</p><ul><li>a presentation</li><li>a site visit</li></ul>"
    )


def test_a_single_newline_still_breaks_the_line():
    assert render_markup("Kent Police\nDartford CSU") == "<p>Kent Police<br>Dartford CSU</p>"


def test_numbered_lists_bold_italic_and_links():
    rendered = render_markup(
        "1. ***Kent Police: Crime Data Integrity 2017***\n2. **bold** and *italic*\n\n"
        "See https://www.kent.gov.uk/idas or write to members@dartford.gov.uk."
    )
    assert rendered == (
        "<ol><li><em><strong>Kent Police: Crime Data Integrity 2017</strong></em></li>"
        "<li><strong>bold</strong> and <em>italic</em></li></ol>"
        '<p>See <a href="https://www.kent.gov.uk/idas" rel="noopener noreferrer">'
        "https://www.kent.gov.uk/idas</a> or write to "
        '<a href="mailto:members@dartford.gov.uk" rel="noopener noreferrer">'
        "members@dartford.gov.uk</a>.</p>"
    )


def test_what_the_papers_have_no_place_for_stays_as_typed():
    # No headings, rules, code blocks or link definitions: their text is kept as text.
    typed = "Text\n---\n\n# Not a heading\n\n    indented\n\n[1]: https://example.org"
    assert render_markup(typed) == (
        "<p>Text<br>---</p><p># Not a heading</p><p>indented</p><p>[1]: "
        '<a href="https://example.org" rel="noopener noreferrer">https://example.org</a></p>'
    )


def test_a_cross_reference_is_never_taken_for_a_web_address():
    assert render_markup_inline("[Min.No. 14 refers]") == "[Min.No. 14 refers]"


def test_a_resolution_is_one_line_of_inline_markup():
    assert render_markup_inline("That Members approve the *draft* 2017-18 Work Programme.") == (
        "That Members approve the <em>draft</em> 2017-18 Work Programme."
    )


@pytest.mark.parametrize(
    "typed",
    [
        "First paragraph with *emphasis*.\n\n- one\n- two\n\nLast.",
        "3. third\n4. fourth\n\nNot \\*emphasis\\*; 5 \\* 3.",
        "A [named link](https://www.kent.gov.uk/) and https://www.kent.gov.uk/idas",
        "- a\n  - nested\n- b",
        "Line one\nline two",
    ],
)
def test_the_html_turns_back_into_text_that_makes_it_again(typed):
    rendered = render_markup(typed)
    assert render_markup(html_to_markup(rendered)) == rendered


def test_minutes_saved_before_the_markup_become_lists_when_edited():
    # The old converter kept "- " lines after text inside the paragraph.
    old = "<p>The Chairman proposed:<br>- a presentation<br>- a site visit</p>"
    assert html_to_markup(old) == "The Chairman proposed:\n- a presentation\n- a site visit"
    assert "<ul><li>a presentation</li>" in render_markup(html_to_markup(old))


def test_blocks_part_paragraphs_from_lists():
    blocks = markup_blocks("1.1 *Numbered*.\n\nIntro\nin two lines:\n- a\n- b")
    assert [(b.kind, b.html) for b in blocks] == [
        ("paragraph", "1.1 <em>Numbered</em>."),
        ("paragraph", "Intro<br>in two lines:"),
        ("list", "<ul><li>a</li><li>b</li></ul>"),
    ]


def test_template_filters_and_hint():
    template = Template(
        "{% load markup %}{{ text|markup }}|{{ line|markup_inline }}|{% markup_hint %}"
    )
    rendered = template.render(Context({"text": "**a**\n- b", "line": "<b>x</b> *y*"}))
    # A tag typed shows as typed (it used to be dropped, and any text shaped like one).
    assert rendered == (
        "<p><strong>a</strong></p><ul><li>b</li></ul>|&lt;b&gt;x&lt;/b&gt; <em>y</em>|"
        f"{MARKUP_HINT}"
    )
