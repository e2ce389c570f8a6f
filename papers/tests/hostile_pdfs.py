"""PDFs built for the sanitiser's tests: an ordinary two-page paper with a web link and a
bookmark, and each construct that once got active content past the upload check."""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, String

PAGE_TEXT = ("Crime and Disorder Committee", "Appendix A Performance Report")
WEB_LINK = "https://www.dartford.gov.uk/committees"

# What must not be anywhere in a stored PDF: as a key or as a name.
ACTIVE = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/XFA",
        "/AA",
        "/AF",
        "/OpenAction",
        "/AcroForm",
        "/Widget",
        "/FileAttachment",
        "/SubmitForm",
        "/GoToR",
    }
)


def script(code: str = "app.alert('hello')") -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def paper(modify=None) -> bytes:
    """A two-page paper with text, a web link on page 1 and a bookmark to page 2."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for text in PAGE_TEXT:
        page = pdf.add_blank_page(page_size=(595, 842)).obj
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        page.Contents = pdf.make_stream(f"BT /F1 20 Tf 72 720 Td ({text}) Tj ET".encode())
    add_link(pdf, Dictionary(S=Name.URI, URI=String(WEB_LINK)))
    with pdf.open_outline() as outline:
        outline.root.append(OutlineItem("Appendix A", 1))
    if modify is not None:
        modify(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def add_link(pdf, action=None, *, page=0, **fields) -> Dictionary:
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 700, 400, 740], **fields)
    if action is not None:
        link.A = action
    link = pdf.make_indirect(link)
    target = pdf.pages[page].obj
    if "/Annots" not in target:
        target.Annots = Array()
    target.Annots.append(link)
    return link


def link_chaining_to_a_script(pdf):
    add_link(pdf, Dictionary(S=Name.URI, URI=String("https://example.org/"), Next=script()))


def link_chaining_through_an_array(pdf):
    harmless = Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]))
    add_link(
        pdf,
        Dictionary(S=Name.URI, URI=String("https://example.org/"), Next=Array([harmless])),
    )
    harmless.Next = Dictionary(S=Name.Launch, F=String("calc.exe"))


def launch_link(pdf):
    add_link(pdf, Dictionary(S=Name.Launch, Win=Dictionary(F=String("cmd.exe"))))


def javascript_address(pdf):
    add_link(pdf, Dictionary(S=Name.URI, URI=String("javascript:app.alert(1)")))


def bookmark_script(pdf):
    with pdf.open_outline() as outline:
        outline.root.append(OutlineItem("Open me", action=script()))


def form_field_keystroke_script(pdf):
    look = pdf.make_stream(
        b"0 0 1 rg 0 0 200 20 re f",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=[0, 0, 200, 20],
    )
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("name"),
            V=String("Councillor"),
            Rect=[72, 600, 272, 620],
            F=4,
            P=pdf.pages[0].obj,
            AP=Dictionary(N=look),
            AA=Dictionary(K=script("event.rc = true; app.launchURL('https://x.test')")),
        )
    )
    pdf.pages[0].obj.Annots.append(field)
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def xfa_form(pdf):
    xfa = pdf.make_stream(b"<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")
    if "/AcroForm" not in pdf.Root:
        pdf.Root.AcroForm = Dictionary(Fields=Array())
    pdf.Root.AcroForm.XFA = xfa
    pdf.Root.NeedsRendering = True


def catalog_associated_file(pdf):
    embedded = pdf.make_stream(b"MZ payload", Type=Name.EmbeddedFile)
    spec = pdf.make_indirect(
        Dictionary(
            Type=Name.Filespec,
            F=String("payload.exe"),
            UF=String("payload.exe"),
            EF=Dictionary(F=embedded),
            AFRelationship=Name.Source,
        )
    )
    pdf.Root.AF = Array([spec])


def page_associated_file(pdf):
    embedded = pdf.make_stream(b"MZ payload", Type=Name.EmbeddedFile)
    spec = Dictionary(Type=Name.Filespec, F=String("data.xlsm"), EF=Dictionary(F=embedded))
    pdf.pages[0].obj.AF = Array([spec])


def embedded_files(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ payload")


def file_attachment_annotation(pdf):
    embedded = pdf.make_stream(b"MZ payload", Type=Name.EmbeddedFile)
    spec = Dictionary(Type=Name.Filespec, F=String("run.exe"), EF=Dictionary(F=embedded))
    annotation = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 20, 20], FS=spec)
    )
    pdf.pages[0].obj.Annots.append(annotation)


def open_action_script(pdf):
    pdf.Root.OpenAction = script()


def page_open_script(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=script(), C=script("app.alert('bye')"))


def document_script(pdf):
    tree = pikepdf.NameTree.new(pdf)
    tree["init"] = pdf.make_indirect(script())
    pdf.Root.Names = Dictionary(JavaScript=tree.obj)


def link_with_additional_actions(pdf):
    add_link(
        pdf,
        Dictionary(S=Name.URI, URI=String("https://example.org/hover")),
        AA=Dictionary(E=script()),
    )


def script_in_the_trailer(pdf):
    pdf.trailer.Extra = script()


HOSTILE = {
    "a link whose /Next runs JavaScript": link_chaining_to_a_script,
    "a link whose /Next array reaches /Launch": link_chaining_through_an_array,
    "a /Launch link": launch_link,
    "a javascript: address": javascript_address,
    "a bookmark running JavaScript": bookmark_script,
    "a form field whose /AA runs JavaScript": form_field_keystroke_script,
    "an XFA form": xfa_form,
    "a file associated with the catalogue (/AF)": catalog_associated_file,
    "a file associated with a page (/AF)": page_associated_file,
    "an /EmbeddedFiles name tree": embedded_files,
    "a file attachment annotation": file_attachment_annotation,
    "an /OpenAction script": open_action_script,
    "a page /AA script": page_open_script,
    "a document-level /Names /JavaScript": document_script,
    "a link with /AA": link_with_additional_actions,
    "a script in the trailer": script_in_the_trailer,
}


def everything_at_once(pdf):
    for modify in HOSTILE.values():
        modify(pdf)


def active_content(data: bytes) -> set[str]:
    """Every key or name from ACTIVE found anywhere in the file's objects."""
    found = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pending = [pdf.trailer, *pdf.objects]
        seen = pikepdf.ObjectSet()
        while pending:
            obj = pending.pop()
            if isinstance(obj, Name) and str(obj) in ACTIVE:
                found.add(str(obj))
            if not isinstance(obj, Dictionary | Array | pikepdf.Stream) or not seen.add(obj):
                continue
            if isinstance(obj, Array):
                pending.extend(obj)
                continue
            for key in obj.keys():  # noqa: SIM118 (a stream's keys)
                if key in ACTIVE:
                    found.add(key)
                pending.append(obj.get(key))
    return found
