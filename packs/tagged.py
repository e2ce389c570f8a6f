"""One tagged PDF from many: the agenda pack keeps the structure of every part.

WeasyPrint renders the front sheet, covering reports and minutes as tagged PDF/UA, and
councils' own PDFs are often tagged too. Merging pages alone drops every structure
tree, so a screen reader would find the pack untagged. Here (with pikepdf, on qpdf)
each part's pages are copied with its structure tree, which becomes one `Part` under
the pack's `Document` element; the parent trees become one, numbered afresh (each page's
/StructParents and each annotation's /StructParent follow their entry), the role
and class maps are merged, and the pack is marked as tagged with its language and
title. A part without a structure tree (an untagged upload) is still named in the tree,
with nothing under it: its pages are read as the PDF they came from.

Page numbers are pagination artifacts (`/Artifact` marked content), so that assistive
technology does not read them as text of the page.
"""

import dataclasses
import io

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree, OutlineItem, String

from scrutiny.pdf import is_tagged
from scrutiny.pdf_overlay import HELVETICA, PageView, artifact, pikepdf_font

PAGE_NUMBER_FONT = "FPackNumber"


def pdf_is_tagged(data: bytes) -> bool:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return is_tagged(pdf)


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, Array):
        return list(value)
    return [value]


def _renumber(holder: Dictionary, key: Name, renumbered: dict[int, int]) -> None:
    """A page's /StructParents or an annotation's /StructParent, as the pack numbers it;
    taken off where the part's parent tree has no such key."""
    if key not in holder:
        return
    new = renumbered.get(int(holder[key]))
    if new is None:
        del holder[key]
    else:
        holder[key] = new


def _top_elements(tree) -> list:
    """The elements a part holds: the tree's own, or, where it holds one Document
    element (as WeasyPrint writes), that element's, since the part stands for it."""
    kids = [kid for kid in _as_list(tree.get(Name.K)) if isinstance(kid, Dictionary)]
    if len(kids) == 1 and kids[0].get(Name.S) == Name.Document:
        inner = _as_list(kids[0].get(Name.K))
        # Only elements: content marked on the Document itself keeps it.
        if inner and all(isinstance(kid, Dictionary) and Name.S in kid for kid in inner):
            return inner
    return kids


@dataclasses.dataclass
class Outline:
    """An outline entry: a title, the index of its first page, and its children."""

    title: str
    page_index: int
    children: list["Outline"] = dataclasses.field(default_factory=list)


class TaggedPack:
    """Pages and structure of several PDFs, one after another, in one tagged PDF."""

    def __init__(self):
        self.pdf = pikepdf.new()
        # Copied streams are read from their sources when the pack is saved.
        self._sources: list[pikepdf.Pdf] = []
        self.tree = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=self.tree, K=Array())
        )
        self.tree.K = Array([self.document])
        self._parents: dict[int, pikepdf.Object] = {}
        self._next_key = 0
        self._role_map = Dictionary()
        self._class_map = Dictionary()
        self._font = None
        self._save_state = None
        self.untagged_parts: list[str] = []

    @property
    def page_count(self) -> int:
        return len(self.pdf.pages)

    def add(self, data: bytes, *, title: str) -> int:
        """Append a PDF's pages as a part called `title`; return its first page's index."""
        source = pikepdf.open(io.BytesIO(data))
        self._sources.append(source)
        first = len(self.pdf.pages)
        self.pdf.pages.extend(source.pages)
        part = self.pdf.make_indirect(
            Dictionary(
                Type=Name.StructElem, S=Name.Part, P=self.document, T=String(title), K=Array()
            )
        )
        self.document.K.append(part)
        tree = source.Root.get(Name.StructTreeRoot) if is_tagged(source) else None
        if tree is None:
            self.untagged_parts.append(title)
            for page in self.pdf.pages[first:]:
                # Keys into a parent tree that is not copied would point elsewhere.
                if Name.StructParents in page.obj:
                    del page.obj[Name.StructParents]
            return first
        # The copy's page references are the pages just added: qpdf maps each foreign
        # object once per source.
        copied = self.pdf.copy_foreign(tree)
        for kid in _top_elements(copied):
            kid.P = part
            part.K.append(kid)
        # Every key of the part's parent tree gets the pack's next number, in order:
        # numbers stay dense whatever a part used (a hostile file could use 2**62).
        renumbered: dict[int, int] = {}
        parent_tree = copied.get(Name.ParentTree)
        if parent_tree is not None:
            for key, value in sorted(NumberTree(parent_tree).items(), key=lambda kv: int(kv[0])):
                renumbered[int(key)] = self._next_key
                self._parents[self._next_key] = value
                self._next_key += 1
        for page in self.pdf.pages[first:]:
            _renumber(page.obj, Name.StructParents, renumbered)
            for annotation in _as_list(page.obj.get(Name.Annots)):
                if isinstance(annotation, Dictionary):
                    _renumber(annotation, Name.StructParent, renumbered)
        for mine, theirs in ((self._role_map, Name.RoleMap), (self._class_map, Name.ClassMap)):
            for name, value in (copied.get(theirs) or Dictionary()).items():
                # The first part to name a role or class decides it: WeasyPrint's parts
                # agree, and a standard role cannot be remapped.
                if name not in mine:
                    mine[name] = value
        return first

    def number_page(self, index: int, text: str) -> None:
        """Write `text` at the foot of a page, centred as the page is shown, as a
        pagination artifact; the page's own content is wrapped in q/Q around it."""
        if self._font is None:
            self._font = pikepdf_font(self.pdf, HELVETICA)
            self._save_state = self.pdf.make_stream(b"q\n")
        page = self.pdf.pages[index]
        view = PageView.of(page)
        line = view.line(text, font=HELVETICA, resource=PAGE_NUMBER_FONT, size=9, y=18, centre=True)
        overlay = self.pdf.make_stream(b"\nQ\nq\n%s\nQ\n" % view.draw(artifact(line, "Footer")))
        contents = page.obj.get(Name.Contents)
        page.obj.Contents = Array([self._save_state, *_as_list(contents), overlay])
        resources = page.obj.get(Name.Resources)
        if resources is None:
            resources = page.obj.Resources = Dictionary()
        if Name.Font not in resources:
            resources.Font = Dictionary()
        resources.Font[Name("/" + PAGE_NUMBER_FONT)] = self._font

    def save(self, *, title: str, author: str, subject: str, outline: list[Outline]) -> bytes:
        """The pack: its structure tree, outline, language and title."""
        pdf = self.pdf
        parents = NumberTree.new(pdf)
        for key, value in sorted(self._parents.items()):
            parents[key] = value
        self.tree.ParentTree = parents.obj
        self.tree.ParentTreeNextKey = self._next_key
        if self._role_map:
            self.tree.RoleMap = self._role_map
        if self._class_map:
            self.tree.ClassMap = self._class_map
        pdf.Root.StructTreeRoot = self.tree
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.Lang = String("en-GB")
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.PageMode = Name.UseOutlines
        for page in pdf.pages:
            # Annotations (links) in the order of the structure, as PDF/UA asks.
            page.obj.Tabs = Name.S
        with pdf.open_outline() as outlines:
            outlines.root.extend(_outline_items(outline))
        pdf.docinfo[Name.Title] = title
        pdf.docinfo[Name.Author] = author
        pdf.docinfo[Name.Subject] = subject
        with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
            metadata["dc:title"] = title
            metadata["dc:creator"] = [author]
            metadata["dc:description"] = subject
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()

    def close(self) -> None:
        for source in self._sources:
            source.close()
        self.pdf.close()


def _outline_items(entries: list[Outline]) -> list[OutlineItem]:
    items = []
    for entry in entries:
        item = OutlineItem(entry.title, entry.page_index)
        item.children.extend(_outline_items(entry.children))
        items.append(item)
    return items
