"""Uploads whose structure is built to break the pack: the merge neither crashes, nor
lets one part's keys or roles reach into the others. (The sanitiser keeps a paper's
structure tree as it is, so whatever it holds reaches packs/tagged.py.)"""

import io
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, NumberTree, String

from packs.build import PackBuildError, Source, _add_part
from packs.tagged import TaggedPack, UnmergeablePdf
from papers.sanitise import PdfUnreadable, sanitise_pdf
from scrutiny.pdf import MAX_COPY_DEPTH
from scrutiny.testing import tagged_pdf

FRONT = tagged_pdf("Front sheet")


def paper(modify=None, *, pages: int = 2) -> bytes:
    """A small tagged paper: each page's text marked as a paragraph of a Document."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array())
    )
    root.K = Array([document])
    nums = Array()
    for index in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842)).obj
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        page.Contents = pdf.make_stream(
            b"/P <</MCID 0>> BDC BT /F1 20 Tf 72 720 Td (Hostile %d) Tj ET EMC" % index
        )
        element = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.P, P=document, Pg=page, K=0)
        )
        document.K.append(element)
        page.StructParents = index
        nums.extend([index, Array([element])])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = pages
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    if modify is not None:
        modify(pdf, root)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def chain(pdf, length: int, *, key: str = "/Next") -> Dictionary:
    """`length` dictionaries, each pointing at the next."""
    head = current = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("layer")))
    for _ in range(length):
        following = pdf.make_indirect(Dictionary())
        current[key] = following
        current = following
    return head


def merged(*parts: tuple[str, bytes]) -> tuple[pikepdf.Pdf, TaggedPack]:
    pack = TaggedPack()
    try:
        pack.add(FRONT, title="Agenda")
        for title, data in parts:
            pack.add(data, title=title)
        pack.add(FRONT, title="After")
        data = pack.save(title="Pack", author="Council", subject="Pack", outline=[])
    finally:
        pack.close()
    return pikepdf.open(io.BytesIO(data)), pack


def front_sheet_keys_hold_its_own_elements(pdf) -> bool:
    """Every key the first page (the front sheet) uses finds marked content of that
    page in the parent tree: no later part took it over."""
    page = pdf.pages[0].obj
    entries = dict(NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
    elements = entries[int(page.StructParents)]
    return all(element.get("/Pg") in (None, page) for element in elements if element)


def every_key_is_small(pdf) -> bool:
    keys = [key for key, _ in NumberTree(pdf.Root.StructTreeRoot.ParentTree).items()]
    keys += [int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj]
    return all(0 <= key < 2**31 for key in keys)


def _negative_keys(pdf, root):
    root.ParentTree.Nums[0] = -1
    pdf.pages[0].obj.StructParents = -1


def _huge_keys(pdf, root):
    root.ParentTree.Nums[0] = 2**62
    pdf.pages[0].obj.StructParents = 2**62


def _key_not_a_number(pdf, root):
    root.ParentTree.Nums[0] = String("first")


def _page_key_not_a_number(pdf, root):
    pdf.pages[0].obj.StructParents = Name.First


def _link_key_too_large(pdf, root):
    pdf.pages[0].obj.Annots = Array(
        [
            pdf.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Link,
                    Rect=Array([72, 700, 400, 740]),
                    A=Dictionary(S=Name.URI, URI=String("https://example.org/")),
                    StructParent=2**63 - 1,
                )
            )
        ]
    )


@pytest.mark.parametrize(
    "modify",
    [_negative_keys, _huge_keys, _key_not_a_number, _page_key_not_a_number, _link_key_too_large],
)
def test_a_part_whose_parent_tree_keys_are_not_keys_is_merged_untagged(modify):
    hostile = sanitise_pdf(paper(modify)).pdf
    pdf, pack = merged(("Hostile paper", hostile), ("Hostile again", hostile))
    assert pack.untagged_parts == ["Hostile paper", "Hostile again"]
    assert len(pdf.pages) == len(pikepdf.open(io.BytesIO(FRONT)).pages) * 2 + 4
    assert every_key_is_small(pdf)
    assert front_sheet_keys_hold_its_own_elements(pdf)


def test_a_next_key_that_is_no_number_is_not_needed():
    def modify(pdf, root):
        root.ParentTreeNextKey = Name.Foo

    pdf, pack = merged(("Odd paper", sanitise_pdf(paper(modify)).pdf))
    assert pack.untagged_parts == []
    assert every_key_is_small(pdf)


def test_a_part_cannot_remap_the_standard_roles_of_the_whole_pack():
    def modify(pdf, root):
        root.RoleMap = Dictionary(
            P=Name.Artifact, Document=Name.NonStruct, H1=Name.Span, Heading=Name.H1
        )

    pdf, _ = merged(("Remapping paper", sanitise_pdf(paper(modify)).pdf))
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap") or Dictionary()
    assert "/P" not in role_map and "/Document" not in role_map and "/H1" not in role_map
    assert role_map.get("/Heading") == Name.H1  # a role of its own is still mapped


def test_a_tree_that_names_its_own_root_as_an_element_keeps_the_part_an_element():
    def modify(pdf, root):
        root.K = Array([root, *root.K])

    pdf, _ = merged(("Self-naming paper", sanitise_pdf(paper(modify)).pdf))
    parts = pdf.Root.StructTreeRoot.K[0].K
    for part in parts:
        for kid in part.K:
            assert kid.get("/Type", Name.StructElem) == Name.StructElem


@pytest.mark.parametrize("where", ["page", "structure"])
def test_an_upload_nested_too_deeply_to_copy_is_refused_as_damaged(where):
    def modify(pdf, root):
        if where == "page":
            pdf.pages[0].obj.Resources.Properties = Dictionary(MC0=chain(pdf, 2 * MAX_COPY_DEPTH))
        else:
            root.K[0].K[0].A = Dictionary(O=Name.Layout, Ref=chain(pdf, 2 * MAX_COPY_DEPTH))

    with pytest.raises(PdfUnreadable):
        sanitise_pdf(paper(modify))


def test_a_stored_paper_whose_pages_are_nested_too_deeply_is_named_not_copied():
    """Stored before the sanitiser refused them: the build names the paper."""

    def modify(pdf, root):
        pdf.pages[0].obj.Resources.Properties = Dictionary(MC0=chain(pdf, 2 * MAX_COPY_DEPTH))

    pack = TaggedPack()
    try:
        with pytest.raises(UnmergeablePdf):
            pack.add(paper(modify), title="Deep paper")
        source = Source(item=None, title="Deep paper", document=None, data=paper(modify))
        with pytest.raises(PackBuildError, match="\u201cDeep paper\u201d could not be put"):
            _add_part(pack, source)
    finally:
        pack.close()


def test_a_stored_paper_whose_structure_is_nested_too_deeply_is_merged_untagged():
    def modify(pdf, root):
        root.K[0].K[0].A = Dictionary(O=Name.Layout, Ref=chain(pdf, 2 * MAX_COPY_DEPTH))

    pdf, pack = merged(("Deep structure", paper(modify)))
    assert pack.untagged_parts == ["Deep structure"]
    assert front_sheet_keys_hold_its_own_elements(pdf)


CRASH = """
import io, sys
import pikepdf
from pikepdf import Array, Dictionary, Name
sys.path.insert(0, {root!r})
from packs.tagged import TaggedPack

pdf = pikepdf.new()
pdf.add_blank_page()
root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
current = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
root.K = Array([current])
for _ in range(200_000):
    following = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Sect, P=current))
    current.K = Array([following])
    current = following
pdf.Root.StructTreeRoot = root
pdf.Root.MarkInfo = Dictionary(Marked=True)
out = io.BytesIO()
pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
pack = TaggedPack()
pack.add(out.getvalue(), title="Deep")
pack.save(title="t", author="a", subject="s", outline=[])
print("merged untagged" if pack.untagged_parts == ["Deep"] else "merged tagged")
"""


def test_a_structure_tree_two_hundred_thousand_deep_does_not_kill_the_process():
    """qpdf's copy of it would overflow the stack (a segmentation fault): in a process
    of its own, so that a failure here does not end the test run."""
    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", CRASH.format(root=root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "merged untagged"


def test_markup_nested_without_end_renders_to_a_shallow_tree_the_pack_takes_unwalked():
    """Reports written here are not walked for depth (packs.build passes rendered_here):
    their markup is parsed with a nesting limit, so ten thousand quotes deep is twenty."""
    from scrutiny.markup import render_markup
    from scrutiny.pdf import CopyDepth, render_pdf

    html = render_markup("> " * 10_000 + "Deep")
    assert html.count("<blockquote>") <= 20
    data = render_pdf(f"<html lang='en-GB'><body>{html}</body></html>")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert not CopyDepth().too_deep(pdf.Root.StructTreeRoot)
    pack = TaggedPack()
    try:
        pack.add(data, title="Deep report", rendered_here=True)
        assert pack.untagged_parts == []
    finally:
        pack.close()
