"""Every PDF is stored as the sanitiser rebuilt it: scripts, actions, forms and attached
files are left behind, however they are reached; pages, web links, bookmarks and the
tagging structure stay."""

import hashlib
import io

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from pikepdf import Array, Dictionary, Name, String
from pypdf import PdfReader

from packs.models import BuildState, Pack, PackKind
from papers.files import inspect_upload
from papers.models import DocumentVersion
from papers.sanitise import (
    ATTACHED_FILES,
    EXTERNAL,
    FORM_FIELDS,
    JAVASCRIPT,
    OTHER_ACTIONS,
    OTHER_ADDRESSES,
    PdfUnreadable,
    sanitise_pdf,
)
from papers.services import document_replace, document_upload, document_version_convert
from papers.tests import hostile_pdfs
from papers.tests.hostile_pdfs import HOSTILE, PAGE_TEXT, WEB_LINK, active_content, paper
from scrutiny.testing import docx_bytes, text_of, upload

pytestmark = pytest.mark.django_db

# What the uploader is told was removed, for each construct.
EXPECTED = {
    "a link whose /Next runs JavaScript": JAVASCRIPT,
    "a link whose /Next array reaches /Launch": EXTERNAL,
    "a /Launch link": EXTERNAL,
    "a javascript: address": JAVASCRIPT,
    "a bookmark running JavaScript": JAVASCRIPT,
    "a form field whose /AA runs JavaScript": JAVASCRIPT,
    "an XFA form": FORM_FIELDS,
    "a file associated with the catalogue (/AF)": ATTACHED_FILES,
    "a file associated with a page (/AF)": ATTACHED_FILES,
    "an /EmbeddedFiles name tree": ATTACHED_FILES,
    "a file attachment annotation": ATTACHED_FILES,
    "an /OpenAction script": JAVASCRIPT,
    "a page /AA script": JAVASCRIPT,
    "a document-level /Names /JavaScript": JAVASCRIPT,
    "a link with /AA": JAVASCRIPT,
    "a script in the trailer": JAVASCRIPT,
}


@pytest.fixture
def item(draft_meeting, make_item):
    return make_item(meeting=draft_meeting)


def links(data: bytes) -> list[tuple[int, str | int]]:
    """(page number, web address or the page number it goes to) for every link."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [page.obj for page in pdf.pages]
        for number, page in enumerate(pages, start=1):
            for annotation in page.get("/Annots") or []:
                assert annotation.Subtype == Name.Link
                if "/A" in annotation:
                    assert annotation.A.S == Name.URI and "/Next" not in annotation.A
                    found.append((number, str(annotation.A.URI)))
                else:
                    target = annotation.Dest[0]
                    found.append((number, 1 + [p.objgen for p in pages].index(target.objgen)))
    return found


def bookmarks(data: bytes) -> list[tuple[str, int]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [page.obj.objgen for page in pdf.pages]
        marks = []
        item = pdf.Root.Outlines.First if "/Outlines" in pdf.Root else None
        while item is not None:
            assert "/A" not in item
            marks.append((str(item.Title), 1 + pages.index(item.Dest[0].objgen)))
            item = item.get("/Next")
        return marks


def text(data: bytes) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(data)).pages]


def assert_the_paper_survives(data: bytes) -> None:
    assert text(data) == list(PAGE_TEXT)
    assert (1, WEB_LINK) in links(data)
    assert bookmarks(data) == [("Appendix A", 2)]


def test_an_ordinary_paper_keeps_its_pages_link_and_bookmark_and_nothing_is_reported():
    inspection = inspect_upload(upload(paper()))
    assert_the_paper_survives(inspection.content)
    assert links(inspection.content) == [(1, WEB_LINK)]
    assert inspection.removed == ()
    assert inspection.sanitised_note == ""


@pytest.mark.parametrize("construct", list(HOSTILE), ids=list(HOSTILE))
def test_each_hostile_construct_is_left_behind_and_the_paper_survives(construct):
    original = paper(HOSTILE[construct])
    assert active_content(original) or construct == "a javascript: address"
    inspection = inspect_upload(upload(original))
    assert active_content(inspection.content) == set()
    assert_the_paper_survives(inspection.content)
    assert EXPECTED[construct] in inspection.removed
    assert inspection.page_count == 2


def test_a_link_that_chains_to_a_script_is_kept_as_a_plain_web_link():
    inspection = inspect_upload(upload(paper(hostile_pdfs.link_chaining_to_a_script)))
    assert links(inspection.content) == [(1, WEB_LINK), (1, "https://example.org/")]


def test_links_to_places_in_the_document_are_kept_and_named_places_resolved():
    def places(pdf):
        tree = pikepdf.NameTree.new(pdf)
        tree["appendix"] = Array([pdf.pages[1].obj, Name.XYZ, 0, 800, None])
        pdf.Root.Names = Dictionary(Dests=tree.obj)
        hostile_pdfs.add_link(pdf, Dictionary(S=Name.GoTo, D=String("appendix")))
        hostile_pdfs.add_link(pdf, None, Dest=Array([pdf.pages[1].obj, Name.Fit]))
        hostile_pdfs.add_link(pdf, None, Dest=String("nowhere"))
        hostile_pdfs.add_link(pdf, Dictionary(S=Name.URI, URI=String("mailto:clerk@example.org")))
        hostile_pdfs.add_link(pdf, Dictionary(S=Name.URI, URI=String("file:///etc/passwd")))
        hostile_pdfs.add_link(pdf, Dictionary(S=Name.Named, N=Name.Print))

    sanitised = sanitise_pdf(paper(places))
    assert links(sanitised.pdf) == [
        (1, WEB_LINK),
        (1, 2),
        (1, 2),
        (1, "mailto:clerk@example.org"),
    ]
    with pikepdf.open(io.BytesIO(sanitised.pdf)) as pdf:
        assert "/Names" not in pdf.Root  # every place is now explicit
    assert sanitised.removed == (OTHER_ADDRESSES, OTHER_ACTIONS)


def test_every_construct_at_once_through_the_upload_service(item, coordinator):
    document = document_upload(
        item=item,
        title="Performance Report",
        uploaded_file=upload(paper(hostile_pdfs.everything_at_once), "report.pdf"),
        user=coordinator,
    )
    version = document.current_version
    with version.file.open("rb") as handle:
        stored = handle.read()
    assert active_content(stored) == set()
    assert_the_paper_survives(stored)
    assert (version.size, version.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())
    assert version.page_count == 2
    assert version.sanitised_at is not None
    assert version.sanitised_note == (
        "Removed from the PDF: JavaScript, form fields, attached files and links that open "
        "files or programs."
    )


def test_a_replacement_is_stored_sanitised_too(item, coordinator, make_document):
    document = make_document(item=item)
    document_replace(
        document=document,
        uploaded_file=upload(paper(hostile_pdfs.open_action_script)),
        user=coordinator,
        change_note="Corrected figures",
    )
    version = DocumentVersion.objects.get(document=document, number=2)
    with version.file.open("rb") as handle:
        assert active_content(handle.read()) == set()
    assert version.sanitised_note == "Removed from the PDF: JavaScript."


def test_the_editor_is_told_on_the_document_page_what_was_removed(
    item, coordinator, coordinator_client
):
    document = document_upload(
        item=item,
        title="Performance Report",
        uploaded_file=upload(paper(hostile_pdfs.embedded_files)),
        user=coordinator,
    )
    page = text_of(coordinator_client.get(reverse("papers:document_detail", args=[document.pk])))
    assert "Removed from the PDF: attached files." in page


def test_what_was_typed_in_a_form_and_a_box_drawn_over_text_stay_on_the_page():
    def filled_in(pdf):
        font = pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        )
        field = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Tx,
                T=String("name"),
                V=String("Councillor Mote"),
                DA=String("/Helv 12 Tf 0 g"),
                Rect=[72, 600, 372, 620],
                F=4,
                P=pdf.pages[0].obj,
            )
        )
        # No look of its own: the viewer was to draw it (NeedAppearances).
        pdf.Root.AcroForm = Dictionary(
            Fields=Array([field]),
            NeedAppearances=True,
            DR=Dictionary(Font=Dictionary(Helv=font)),
        )
        black = pdf.make_stream(
            b"0 0 0 rg 0 0 200 30 re f", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 200, 30]
        )
        box = Dictionary(
            Type=Name.Annot, Subtype=Name.Square, Rect=[72, 710, 272, 740], F=4, AP={"/N": black}
        )
        pdf.pages[0].obj.Annots.extend([field, pdf.make_indirect(box)])

    sanitised = sanitise_pdf(paper(filled_in))
    assert active_content(sanitised.pdf) == set()
    assert sanitised.removed == (FORM_FIELDS,)
    assert "Councillor Mote" in text(sanitised.pdf)[0]
    with pikepdf.open(io.BytesIO(sanitised.pdf)) as pdf:
        page = pdf.pages[0].obj
        assert [str(a.Subtype) for a in page.Annots] == ["/Link"]
        drawn = b"".join(part.read_bytes() for part in page.Contents)
        boxes = [x for x in page.Resources.XObject.values() if x.read_bytes().endswith(b"re f")]
        assert len(boxes) == 1 and b"1 0 0 1 72 710 cm" in drawn


def test_an_object_nobody_refers_to_is_not_copied():
    original = _with_orphan_script(paper())
    assert "/JS" in active_content(original)  # it is in the file, reachable from nothing
    sanitised = sanitise_pdf(original)
    assert active_content(sanitised.pdf) == set()
    assert b"orphan()" not in sanitised.pdf


def _with_orphan_script(data: bytes) -> bytes:
    """The file with an incremental update adding an object nothing refers to."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        number, root = int(pdf.trailer.Size), pdf.Root.objgen[0]
    previous = int(data.rsplit(b"startxref", 1)[1].split()[0])
    body = f"{number} 0 obj\n<< /S /JavaScript /JS (orphan()) >>\nendobj\n".encode()
    table = len(data) + len(body)
    return (
        data
        + body
        + (
            f"xref\n{number} 1\n{len(data):010d} 00000 n \ntrailer\n"
            f"<< /Size {number + 1} /Root {root} 0 R /Prev {previous} >>\n"
            f"startxref\n{table}\n%%EOF\n"
        ).encode()
    )


def test_the_tagging_structure_is_kept_and_what_could_run_inside_it_is_not():
    from weasyprint import HTML

    tagged = HTML(
        string='<html lang="en-GB"><head><title>Performance Report</title></head><body>'
        '<h1>Crime and Disorder Committee</h1><p>See <a href="https://www.dartford.gov.uk/">'
        "the council's website</a>.</p></body></html>"
    ).write_pdf(pdf_variant="pdf/ua-1")
    with pikepdf.open(io.BytesIO(tagged)) as pdf:
        tree = pdf.Root.StructTreeRoot
        element = tree.K if isinstance(tree.K, Dictionary) else tree.K[0]
        # Junk that a hostile file could hang on the structure: an action, an associated
        # file, and a form field's widget (not on any page) referred to by an element.
        element.Extra = hostile_pdfs.script()
        element.AF = Array(
            [Dictionary(Type=Name.Filespec, EF=Dictionary(F=pdf.make_stream(b"MZ")))]
        )
        widget = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Btn,
                Rect=[0, 0, 10, 10],
                A=hostile_pdfs.script(),
            )
        )
        element.K = Array([*_as_list(element.K), Dictionary(Type=Name.OBJR, Obj=widget)])
        # A launch action dressed as a structure element (it has a parent, /P).
        element.Disguised = Dictionary(S=Name.Launch, P=element, F=String("calc.exe"))
        out = io.BytesIO()
        pdf.save(out)
    sanitised = sanitise_pdf(out.getvalue())
    assert active_content(sanitised.pdf) == set()
    assert JAVASCRIPT in sanitised.removed
    with pikepdf.open(io.BytesIO(sanitised.pdf)) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en-GB"
        assert root.MarkInfo.Marked
        assert "/Metadata" in root
        assert str(pdf.docinfo.Title) == "Performance Report"
        link = pdf.pages[0].obj.Annots[0]
        assert str(link.A.URI) == "https://www.dartford.gov.uk/"
        # The structure still finds the link, through its parent tree entry and its OBJR.
        parent = pikepdf.NumberTree(root.StructTreeRoot.ParentTree)[int(link.StructParent)]
        assert any(
            isinstance(kid, Dictionary) and kid.get("/Obj") is not None and kid.Obj == link
            for kid in _as_list(parent.K)
        )


def _as_list(value) -> list:
    return list(value) if isinstance(value, Array) else [value]


def test_a_pdf_with_no_pages_is_refused_as_damaged():
    empty = io.BytesIO()
    pikepdf.new().save(empty)
    with pytest.raises(PdfUnreadable):
        sanitise_pdf(empty.getvalue())


# --- PDFs converted from Office files -------------------------------------------------


def test_the_pdf_converted_from_an_office_file_is_sanitised(item, coordinator, monkeypatch):
    monkeypatch.setattr(
        "papers.conversion.convert_to_pdf",
        lambda data, extension: paper(hostile_pdfs.form_field_keystroke_script),
    )
    document = document_upload(
        item=item,
        title="Business Plan",
        uploaded_file=upload(docx_bytes("Business Plan"), "plan.docx"),
        user=coordinator,
    )
    assert document_version_convert(version_id=document.current_version_id) is True
    version = DocumentVersion.objects.get(pk=document.current_version_id)
    with version.converted_pdf.open("rb") as handle:
        converted = handle.read()
    assert active_content(converted) == set()
    assert_the_paper_survives(converted)
    assert version.page_count == 2
    assert version.sanitised_note == "Removed from the PDF: JavaScript and form fields."
    with version.file.open("rb") as handle:  # the Word file itself is kept as it came
        assert handle.read() == docx_bytes("Business Plan")


def test_a_converted_pdf_that_cannot_be_read_is_reported_by_name(item, coordinator, monkeypatch):
    monkeypatch.setattr(
        "papers.conversion.convert_to_pdf", lambda data, extension: b"%PDF-1.7 nothing"
    )
    document = document_upload(
        item=item,
        title="Business Plan",
        uploaded_file=upload(docx_bytes("Business Plan"), "plan.docx"),
        user=coordinator,
    )
    assert document_version_convert(version_id=document.current_version_id) is False
    version = DocumentVersion.objects.get(pk=document.current_version_id)
    assert version.conversion_error == (
        "\u201cBusiness Plan\u201d could not be converted to PDF: The PDF that LibreOffice "
        "made could not be read."
    )
    assert not version.converted_pdf


# --- papers stored before PDFs were sanitised ----------------------------------------


def _as_stored_before(version: DocumentVersion, field: str, data: bytes) -> str:
    """Put unsanitised bytes back as if stored before this change; returns the name."""
    stored = getattr(version, field)
    stored.save("old.pdf", ContentFile(data), save=False)
    DocumentVersion.objects.filter(pk=version.pk).update(
        **{field: stored.name, "sanitised_at": None, "sanitised_note": ""}
    )
    return stored.name


def test_sanitise_papers_rebuilds_what_was_stored_before_and_only_once(
    item, coordinator, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    hostile = paper(hostile_pdfs.everything_at_once)
    pdf = document_upload(
        item=item, title="Appendix A", uploaded_file=upload(paper()), user=coordinator
    )
    old_pdf = _as_stored_before(pdf.current_version, "file", hostile)
    office = document_upload(
        item=item,
        title="Business Plan",
        uploaded_file=upload(docx_bytes("Plan"), "plan.docx"),
        user=coordinator,
    )
    old_converted = _as_stored_before(office.current_version, "converted_pdf", hostile)
    waiting = document_upload(
        item=item,
        title="Minutes",
        uploaded_file=upload(docx_bytes("Minutes"), "minutes.docx"),
        user=coordinator,
    )
    DocumentVersion.objects.filter(pk=waiting.current_version_id).update(sanitised_at=None)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sanitise_papers", stdout=out)
    report = out.getvalue()
    assert "2 PDFs rebuilt, 2 of them with content removed; 1 Office file not yet converted" in (
        report
    )
    assert f"document {pdf.pk} version 1: removed JavaScript" in report

    version = DocumentVersion.objects.get(pk=pdf.current_version_id)
    with version.file.open("rb") as handle:
        stored = handle.read()
    assert active_content(stored) == set()
    assert_the_paper_survives(stored)
    assert (version.size, version.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())
    assert version.sanitised_note.startswith("Removed from the PDF: JavaScript")
    converted = DocumentVersion.objects.get(pk=office.current_version_id)
    with converted.converted_pdf.open("rb") as handle:
        assert active_content(handle.read()) == set()
    assert not default_storage.exists(old_pdf)
    assert not default_storage.exists(old_converted)
    assert not DocumentVersion.objects.filter(sanitised_at__isnull=True).exclude(format="report")

    again = io.StringIO()
    call_command("sanitise_papers", stdout=again)
    assert again.getvalue().startswith("0 PDFs rebuilt, 0 of them with content removed")


def test_sanitise_papers_withdraws_public_packs_made_from_a_file_with_scripts(
    make_meeting, committee, make_item, coordinator
):
    meeting = make_meeting(committee=committee)
    item = make_item(meeting=meeting)
    document = document_upload(
        item=item, title="Appendix A", uploaded_file=upload(paper()), user=coordinator
    )
    _as_stored_before(document.current_version, "file", paper(hostile_pdfs.open_action_script))
    Pack.objects.filter(meeting=meeting).update(
        state=BuildState.READY, file="packs/public.pdf", page_count=3
    )
    call_command("sanitise_papers", stdout=io.StringIO())
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    assert (public.file.name, public.state) == ("", BuildState.QUEUED)


def test_sanitise_papers_reports_a_stored_pdf_it_cannot_read_and_leaves_it(item, coordinator):
    from django.core.management.base import CommandError

    document = document_upload(
        item=item, title="Appendix A", uploaded_file=upload(paper()), user=coordinator
    )
    _as_stored_before(document.current_version, "file", b"%PDF-1.4 damaged")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("sanitise_papers", stdout=out)
    assert f"Could not be rebuilt, left as it is: document {document.pk} version 1" in (
        out.getvalue()
    )
    assert DocumentVersion.objects.get(pk=document.current_version_id).sanitised_at is None


def test_a_page_whose_text_unpacks_to_hundreds_of_megabytes_is_refused():
    """A 600 KB upload whose page content inflates to 600 MB would make every reader's
    watermark inflate it again: it is refused at upload, quickly."""
    import zlib

    from django.core.exceptions import ValidationError

    packer = zlib.compressobj(9)
    packed = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(600)) + packer.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    content = pikepdf.Stream(pdf, packed)
    content.Filter = Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(content)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(ValidationError, match="could not be read"):
        inspect_upload(upload(out.getvalue()))
