"""Minute text is sanitised on the way in; cross references become links."""

import pytest

from minutes.text import (
    cross_references,
    html_to_plain,
    link_cross_references,
    minute_text_to_html,
    sanitise,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "<a href='javascript:alert(1)'>click</a>",
    "<a href='JaVaScRiPt:alert(1)'>click</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
    "<p style='background:url(javascript:alert(1))'>styled</p>",
    "<p onclick='alert(1)'>clicked</p>",
    "<body onload=alert(1)>",
    "<object data='evil.swf'></object>",
    "<embed src='evil.swf'>",
    "<form action='https://evil.example'><input name=x></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "<a href='&#106;avascript:alert(1)'>encoded</a>",
    "<div><style>@import 'evil.css';</style></div>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<base href='https://evil.example/'>",
    "<link rel=stylesheet href='https://evil.example/x.css'>",
    "<!--<script>alert(1)</script>-->",
    "<p>safe</p><script src=https://evil.example/x.js></script>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives(payload):
    cleaned = minute_text_to_html(f"<p>The Committee noted the report.</p>{payload}")
    lowered = cleaned.lower()
    for dangerous in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<style",
        "style=",
        "<meta",
        "<base",
        "<link",
        "data:text",
        "<svg",
        "<math",
    ):
        assert dangerous not in lowered, (payload, cleaned)
    assert "The Committee noted the report." in cleaned


def test_the_formatting_minutes_need_is_kept():
    markup = (
        "<p>Members received a <strong>presentation</strong> entitled <em>Kent Integrated "
        "Domestic Abuse Services</em>.</p><ul><li>first</li><li>second</li></ul>"
        '<p><a href="https://www.kent.gov.uk/">KCC</a></p>'
    )
    cleaned = sanitise(markup)
    assert "<strong>presentation</strong>" in cleaned
    assert "<em>Kent Integrated Domestic Abuse Services</em>" in cleaned
    assert "<ul><li>first</li><li>second</li></ul>" in cleaned
    assert 'href="https://www.kent.gov.uk/"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_typed_text_becomes_paragraphs_lists_and_emphasis():
    typed = (
        "Members received a presentation entitled *Kent Integrated Domestic Abuse "
        "Services*.\n\n- the DA Framework\n- **3** DA homicides in 2016-17\n\nA <b> is text."
    )
    # A tag in typed text no longer makes the whole minute HTML: the paragraphs and the
    # list are kept and the tag shows as typed.
    assert minute_text_to_html(typed) == (
        "<p>Members received a presentation entitled <em>Kent Integrated Domestic Abuse "
        "Services</em>.</p><ul><li>the DA Framework</li><li><strong>3</strong> DA homicides "
        "in 2016-17</li></ul><p>A &lt;b&gt; is text.</p>"
    )


def test_plain_text_round_trips_for_editing():
    typed = "First paragraph with *emphasis*.\n\n- one\n- two\n\nLast."
    assert html_to_plain(minute_text_to_html(typed)) == typed


def test_cross_references_are_found_and_linked():
    text = (
        "<p>The 2017 Refresh document [Min. No. 14 refers] updated the Strategy "
        "[Min. No. 25 refers]. The Chairman was appointed [GAC Min. No. 36 refers].</p>"
    )
    assert cross_references(text) == [("", 14), ("", 25), ("GAC", 36)]
    linked = link_cross_references(
        text, {("", 14): "/meetings/1/minutes/#minute-14", ("GAC", 36): "/meetings/9/m/#x"}
    )
    assert '<a href="/meetings/1/minutes/#minute-14">[Min. No. 14 refers]</a>' in linked
    assert '<a href="/meetings/9/m/#x">[GAC Min. No. 36 refers]</a>' in linked
    assert "[Min. No. 25 refers]." in linked and "#minute-25" not in linked


def test_tags_in_typed_text_show_as_text_and_the_rest_is_converted():
    # They used to be removed, with whatever merely looked like a tag ("x<y and y>z",
    # an address in angle brackets): only the HTML is stored, so that text was lost for
    # good. Shown as text, a script is as harmless and nothing typed disappears.
    typed = "Noted *well*.<script>alert(1)</script><img src=x onerror=alert(2)>\n\n- a"
    assert minute_text_to_html(typed) == (
        "<p>Noted <em>well</em>.&lt;script&gt;alert(1)&lt;/script&gt;"
        "&lt;img src=x onerror=alert(2)&gt;</p><ul><li>a</li></ul>"
    )


@pytest.mark.parametrize(
    "typed, kept",
    [
        (
            "Contact Tony Henley <tony.henley@dartford.gov.uk> for the data.",
            '<a href="mailto:tony.henley@dartford.gov.uk" rel="noopener noreferrer">'
            "tony.henley@dartford.gov.uk</a> for the data.",
        ),
        (
            "See <https://www.dartford.gov.uk>",
            '<a href="https://www.dartford.gov.uk" rel="noopener noreferrer">'
            "https://www.dartford.gov.uk</a>",
        ),
        ("Crime rose where x<y and y>z", "x&lt;y and y&gt;z"),
        ("Address it to <Chief Executive>", "&lt;Chief Executive&gt;"),
        ("The 'a<b' rule", "The 'a&lt;b' rule"),
        ('Cllr Smith said "<b>no</b>"', 'said "&lt;b&gt;no&lt;/b&gt;"'),
    ],
)
def test_nothing_typed_is_lost(typed, kept):
    rendered = minute_text_to_html(typed)
    assert kept in rendered
    # And the text box is filled with what makes the same minute again.
    assert minute_text_to_html(html_to_plain(rendered)) == rendered


def test_an_inline_tag_keeps_the_paragraphs_and_lists_of_a_typed_minute():
    typed = "The Chairman said <b>no</b>.\n\nMembers asked:\n\n- about crime\n- about ASB"
    assert minute_text_to_html(typed) == (
        "<p>The Chairman said &lt;b&gt;no&lt;/b&gt;.</p><p>Members asked:</p>"
        "<ul><li>about crime</li><li>about ASB</li></ul>"
    )


def test_pasted_html_and_stored_minutes_are_sanitised_as_html():
    pasted = "  <p>The Chairman said <b>no</b>.</p><script>alert(1)</script>"
    assert minute_text_to_html(pasted) == "<p>The Chairman said <b>no</b>.</p>"
    stored = minute_text_to_html("First.\n\n- one\n- two")
    assert minute_text_to_html(stored) == stored  # a version restored as it was


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<javascript:alert(1)>",
        "<JaVaScRiPt:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
        "[x](<javascript:alert(1)>)",
        "<a href='javascript:alert(1)'>click</a>",
    ],
)
def test_typed_tags_and_autolinks_never_run(typed):
    rendered = minute_text_to_html(f"The Committee noted the report. {typed}").lower()
    assert "the committee noted the report." in rendered
    for dangerous in ("<script", "<img", '<a href="javascript', '<a href="vbscript', 'href="data'):
        assert dangerous not in rendered, (typed, rendered)
    assert rendered.count("<a ") == 0, rendered


def test_angle_brackets_typed_as_text_stay_text():
    assert minute_text_to_html("Crime fell by < 5% &amp; ASB rose") == (
        "<p>Crime fell by &lt; 5% &amp; ASB rose</p>"
    )


def test_word_diff_marks_what_was_removed_and_added():
    from minutes.text import word_diff

    diff = word_diff("That the report be noted.", "That the revised report be approved.")
    assert "That the" in diff
    assert '<ins><span class="visually-hidden">added: </span>revised</ins>' in diff
    assert '<del><span class="visually-hidden">removed: </span>noted.</del>' in diff
    assert word_diff("<b>", "<i>").count("&lt;") == 2  # the texts are escaped


def test_bare_web_addresses_become_links():
    assert minute_text_to_html("See https://www.kent.gov.uk/idas.") == (
        '<p>See <a href="https://www.kent.gov.uk/idas" rel="noopener noreferrer">'
        "https://www.kent.gov.uk/idas</a>.</p>"
    )
