"""One tagged PDF from many: the agenda pack keeps the structure of every part.

WeasyPrint renders the front sheet, covering reports and minutes as tagged PDF/UA, and
councils' own PDFs are often tagged too. Merging pages alone drops every structure
tree, so a screen reader would find the pack untagged. Here (with pikepdf, on qpdf)
each part's pages are copied with its structure tree, which becomes one `Part` under
the pack's `Document` element; the parent tree is renumbered part by part (each page's
/StructParents and each annotation's /StructParent move by the same offset), the role
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

from scrutiny.pdf import CopyDepth, is_tagged
from scrutiny.pdf_overlay import HELVETICA, PageView, artifact, pikepdf_font

PAGE_NUMBER_FONT = "FPackNumber"
# Keys of a part's parent tree, and of the pack's: a part uses one or two a page (and
# one a link), so more than this is no paper; the pack's stay within a 32-bit integer,
# as readers expect.
MAX_PART_KEYS = 1 << 20
MAX_PACK_KEYS = (1 << 31) - 1
# The standard structure types of PDF 1.7 and 2.0, which a role map may not remap.
STANDARD_ROLES = frozenset(
    Name("/" + role)
    for role in (  # noqa: SIM905 (a list of words)
        "Document DocumentFragment Part Art Sect Div Aside NonStruct Private BlockQuote "
        "Caption TOC TOCI Index P H H1 H2 H3 H4 H5 H6 Title FENote Sub L LI Lbl LBody Table "
        "TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Em "
        "Strong Ruby RB RT RP Warichu WT WP Figure Formula Form Artifact"
    ).split()
)


class UnmergeablePdf(ValueError):
    """A PDF whose pages cannot be copied into the pack; the message says why."""


def _key(value) -> int | None:
    """A parent tree key as stored: a whole number from 0 up to MAX_PART_KEYS; None for
    anything else."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < MAX_PART_KEYS else None


def _parent_entries(tree, pages, offset: int) -> tuple[dict, int] | None:
    """The entries of a part's parent tree and its next free key, or None when the tree,
    a page's /StructParents or a link's /StructParent is not what a parent tree holds
    (a key that is not a number, negative, or absurdly large, which would point into
    other parts' structure or past what readers count to): such a part is merged
    untagged rather than tagged wrongly."""
    entries: dict = {}
    parent_tree = tree.get(Name.ParentTree)
    try:
        if parent_tree is not None:
            if not isinstance(parent_tree, Dictionary):
                return None
            for key, value in NumberTree(parent_tree).items():
                if _key(key) is None:
                    return None
                entries[key] = value
        next_key = max(entries, default=-1) + 1
        declared = _key(tree.get(Name.ParentTreeNextKey))
        if declared is not None:
            next_key = max(next_key, declared)
        for page in pages:
            used = [page.obj.get(Name.StructParents)] if Name.StructParents in page.obj else []
            for annotation in _as_list(page.obj.get(Name.Annots)):
                if isinstance(annotation, Dictionary) and Name.StructParent in annotation:
                    used.append(annotation.get(Name.StructParent))
            for key in used:
                if _key(key) is None:
                    return None
                next_key = max(next_key, key + 1)
    except (pikepdf.PdfError, TypeError, ValueError, OverflowError):
        return None
    if offset + next_key > MAX_PACK_KEYS:
        return None
    return entries, next_key


def pdf_is_tagged(data: bytes) -> bool:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return is_tagged(pdf)


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, Array):
        return list(value)
    return [value]


def _is_element(kid, tree) -> bool:
    """A structure element, which a part can hold: not the tree's root (a tree that
    names itself among its elements), nor anything that is not an element."""
    return (
        isinstance(kid, Dictionary)
        and Name.S in kid
        and kid.get(Name.Type, Name.StructElem) == Name.StructElem
        and not (kid.is_indirect and tree.is_indirect and kid.objgen == tree.objgen)
    )


def _top_elements(tree) -> list:
    """The elements a part holds: the tree's own, or, where it holds one Document
    element (as WeasyPrint writes), that element's, since the part stands for it."""
    kids = [kid for kid in _as_list(tree.get(Name.K)) if _is_element(kid, tree)]
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

    def add(self, data: bytes, *, title: str, rendered_here: bool = False) -> int:
        """Append a PDF's pages as a part called `title`; return its first page's index.
        Raise UnmergeablePdf for a PDF whose pages cannot be copied safely. A structure
        tree that cannot be merged as it stands (out-of-range or malformed keys, nested
        too deeply to copy) is left behind, and the part named as untagged.

        `rendered_here`: a PDF WeasyPrint made from this site's templates, whose nesting
        follows the HTML's (markup is parsed with a nesting limit), is not walked for
        depth: the walk is most of the cost of merging a long report."""
        source = pikepdf.open(io.BytesIO(data))
        self._sources.append(source)
        depth = None if rendered_here else CopyDepth()
        # Checked before qpdf copies anything: too deep a copy kills the process.
        if depth is not None and depth.too_deep(*(page.obj for page in source.pages)):
            raise UnmergeablePdf("it holds objects nested too deeply to be copied")
        first = len(self.pdf.pages)
        self.pdf.pages.extend(source.pages)
        part = self.pdf.make_indirect(
            Dictionary(
                Type=Name.StructElem, S=Name.Part, P=self.document, T=String(title), K=Array()
            )
        )
        self.document.K.append(part)
        pages = self.pdf.pages[first:]
        tree = source.Root.get(Name.StructTreeRoot) if is_tagged(source) else None
        copied = entries = None
        if tree is not None and (depth is None or not depth.too_deep(tree)):
            try:
                copied = self.pdf.copy_foreign(tree)
            except pikepdf.PdfError:
                copied = None
        if copied is not None:
            # What is copied and not referenced from the pack is not written.
            entries = _parent_entries(copied, pages, self._next_key)
        if entries is None:
            self.untagged_parts.append(title)
            for page in pages:
                # Keys into a parent tree that is not copied would point elsewhere.
                if Name.StructParents in page.obj:
                    del page.obj[Name.StructParents]
                for annotation in _as_list(page.obj.get(Name.Annots)):
                    if isinstance(annotation, Dictionary) and Name.StructParent in annotation:
                        del annotation[Name.StructParent]
            return first
        # The copy's page references are the pages just added: qpdf maps each foreign
        # object once per source.
        for kid in _top_elements(copied):
            kid.P = part
            part.K.append(kid)
        offset = self._next_key
        parents, next_key = entries
        for key, value in parents.items():
            self._parents[offset + key] = value
        for page in pages:
            if Name.StructParents in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in _as_list(page.obj.get(Name.Annots)):
                if isinstance(annotation, Dictionary) and Name.StructParent in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        self._next_key = offset + next_key
        for mine, theirs in ((self._role_map, Name.RoleMap), (self._class_map, Name.ClassMap)):
            theirs = copied.get(theirs)
            for name, value in (theirs if isinstance(theirs, Dictionary) else {}).items():
                # A standard role is never remapped (PDF/UA): a part that tried would
                # change what every other part's paragraphs and headings are. Of the
                # rest, the first part to name a role or class decides it: WeasyPrint's
                # parts agree.
                if mine is self._role_map and (
                    name in STANDARD_ROLES or not isinstance(value, Name)
                ):
                    continue
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
        # The parts are PDF 1.7 (WeasyPrint writes PDF/UA-1, which is based on it); a new
        # PDF would say 1.3, older than its own tags, language and marked content.
        pdf.save(out, min_version="1.7")
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
