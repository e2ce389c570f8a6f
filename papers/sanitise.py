"""Every PDF a council publishes is rebuilt, keeping only what a paper needs.

Looking for scripts by pattern misses what the pattern did not foresee: a link whose
action chains through /Next to JavaScript, a script on a bookmark, a form field's
keystroke action, an XFA form, a file associated with the catalogue. So the file is
not searched for what to take out: qpdf writes it again from what is on these lists,
and whatever is not on them is left behind. Inside what is kept (a page's resources,
the tagging structure) a last sweep removes anything that could still run or open a
file, wherever it hangs.

Kept: the pages (their content and the fonts, images and forms it draws, their boxes
and rotation), links to web and email addresses and to places in the document, the
bookmarks that go to a place in the document, the document's title, language and
tagging structure (which screen readers follow). What a reader saw of comments, stamps
and filled-in form fields becomes part of the page, so a box drawn over some text still
covers it.

Left behind: scripts, actions of every other kind, forms, attached and associated files,
sound, video and 3D, and anything else a viewer could run or open.
"""

import contextlib
import dataclasses
import io
from decimal import Decimal
from urllib.parse import urlsplit

import pikepdf
from pikepdf import Array, Dictionary, Name, ObjectSet, Stream, String

from scrutiny.pdf import CopyDepth, is_tagged


class PdfLocked(Exception):
    """The PDF cannot be opened without a password."""


class PdfUnreadable(Exception):
    """qpdf cannot open the PDF, or it has no pages."""


@dataclasses.dataclass(frozen=True)
class SanitisedPdf:
    pdf: bytes = dataclasses.field(repr=False)
    page_count: int
    removed: tuple[str, ...]  # what the file carried that was left behind, for the uploader
    tagged: bool = False  # whether it carries tags for screen readers


# What was removed, in words an uploader knows, in the order they are reported.
JAVASCRIPT = "JavaScript"
FORM_FIELDS = "form fields"
ATTACHED_FILES = "attached files"
MEDIA = "sound, video or 3D content"
EXTERNAL = "links that open files or programs"
OTHER_ADDRESSES = "links to addresses that are not web or email addresses"
OTHER_ACTIONS = "other actions"
REPORT_ORDER = (
    JAVASCRIPT,
    FORM_FIELDS,
    ATTACHED_FILES,
    MEDIA,
    EXTERNAL,
    OTHER_ADDRESSES,
    OTHER_ACTIONS,
)

# What a page keeps. Inherited attributes are already on the page: qpdf pushes them
# down from the page tree when it opens the file.
PAGE_KEYS = frozenset(
    {
        "/Type",
        "/Parent",
        "/Resources",
        "/Contents",
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/Rotate",
        "/UserUnit",
        "/Group",
        "/Annots",
        "/StructParents",
        "/Tabs",
    }
)
# What the catalogue keeps: the outline is rebuilt, the rest cannot run anything.
CATALOG_KEYS = frozenset(
    {
        "/Type",
        "/Pages",
        "/Lang",
        "/MarkInfo",
        "/StructTreeRoot",
        "/Metadata",
        "/ViewerPreferences",
        "/PageLabels",
        "/PageLayout",
        "/OCProperties",
        "/OutputIntents",
    }
)
PAGE_MODES = frozenset({"/UseNone", "/UseOutlines", "/UseThumbs", "/FullScreen", "/UseOC"})
INFO_KEYS = (
    "/Title",
    "/Author",
    "/Subject",
    "/Keywords",
    "/Creator",
    "/Producer",
    "/CreationDate",
    "/ModDate",
)
FIT_TYPES = frozenset({"/XYZ", "/Fit", "/FitH", "/FitV", "/FitR", "/FitB", "/FitBH", "/FitBV"})
LINK_HIGHLIGHTS = frozenset({"/N", "/I", "/O", "/P"})
WEB_SCHEMES = frozenset({"http", "https"})

# Every kind of action (ISO 32000-2, 12.6.4), and what removing it is called. A link to a
# web address or a place in the document is kept; every other action goes.
ACTION_LABELS = {
    "/JavaScript": JAVASCRIPT,
    "/SubmitForm": FORM_FIELDS,
    "/ResetForm": FORM_FIELDS,
    "/ImportData": FORM_FIELDS,
    "/Launch": EXTERNAL,
    "/GoToR": EXTERNAL,
    "/GoToE": EXTERNAL,
    "/GoToDp": EXTERNAL,
    "/Sound": MEDIA,
    "/Movie": MEDIA,
    "/Rendition": MEDIA,
    "/RichMediaExecute": MEDIA,
    "/GoTo3DView": MEDIA,
    "/Named": OTHER_ACTIONS,
    "/Hide": OTHER_ACTIONS,
    "/SetOCGState": OTHER_ACTIONS,
    "/Thread": OTHER_ACTIONS,
    "/Trans": OTHER_ACTIONS,
    "/URI": None,  # unless the address is not a web or email address
    "/GoTo": None,
}
ANNOTATION_LABELS = {
    "/Widget": FORM_FIELDS,
    "/FileAttachment": ATTACHED_FILES,
    "/Sound": MEDIA,
    "/Movie": MEDIA,
    "/Screen": MEDIA,
    "/RichMedia": MEDIA,
    "/3D": MEDIA,
}
ANNOTATION_SUBTYPES = frozenset(
    {
        *ANNOTATION_LABELS,
        "/Text",
        "/Link",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Caret",
        "/Stamp",
        "/Ink",
        "/Popup",
        "/PrinterMark",
        "/TrapNet",
        "/Watermark",
        "/Redact",
        "/Projection",
    }
)
# Annotations whose look is not turned into page content: links stay links, and the
# rest only stand for something removed.
NOT_FLATTENED = frozenset({"/Link", "/Popup", *ANNOTATION_LABELS} - {"/Widget"})
# Keys removed wherever they are found, even inside what is kept (a structure element
# may carry associated files; a form XObject may point at another file with /Ref).
REMOVED_KEYS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,
    "/AA": None,  # additional actions: named by what they would have run
    "/OpenAction": None,
    "/AcroForm": None,
    "/XFA": FORM_FIELDS,
    "/AF": None,  # associated files: named by what the file specification holds
    "/EmbeddedFiles": ATTACHED_FILES,
    "/EF": ATTACHED_FILES,
    "/RichMediaContent": MEDIA,
    "/RichMediaSettings": MEDIA,
    "/3DD": MEDIA,
    "/OPI": None,
    "/PieceInfo": None,
}
# Within a stream (a form XObject), /Ref points at a page of another file.
REMOVED_STREAM_KEYS = {**REMOVED_KEYS, "/Ref": EXTERNAL}
# Keys only an action has (what it opens, runs or goes to next); no structure element
# carries them.
ACTION_PAYLOAD = frozenset({"/F", "/Win", "/Unix", "/Mac", "/JS", "/URI", "/Next", "/NewWindow"})
# Bookmarks deeper or more numerous than this are left out: no paper needs them.
OUTLINE_DEPTH = 32
OUTLINE_ITEMS = 10_000
# Page text is decoded whenever a reader's watermark is drawn into it: a paper whose
# page content inflates to more than this is refused, so a small upload cannot make
# every later download inflate gigabytes. (Each stream is also capped by qpdf's limit,
# set in papers.apps.)
MAX_DECODED_PAGE_CONTENT = 64 * 1024 * 1024


def _check_page_content_size(pdf: pikepdf.Pdf) -> None:
    total = 0
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        for stream in streams:
            if isinstance(stream, pikepdf.Stream):
                total += len(stream.read_bytes())
                if total > MAX_DECODED_PAGE_CONTENT:
                    raise PdfUnreadable("The pages' content is too large once unpacked.")


def _check_copy_depth(pdf: pikepdf.Pdf) -> None:
    """Refuse what the agenda pack could not copy: pages or a structure tree reaching
    objects nested so deeply that qpdf's copy would overflow the stack of the worker
    building the pack (scrutiny.pdf.CopyDepth)."""
    depth = CopyDepth()
    tree = pdf.Root.get("/StructTreeRoot")
    if depth.too_deep(*(page.obj for page in pdf.pages), *([] if tree is None else [tree])):
        raise PdfUnreadable("Objects nested too deeply to be copied.")


def sanitise_pdf(data: bytes) -> SanitisedPdf:
    """The PDF rebuilt with only what a paper needs. Raises PdfLocked or PdfUnreadable."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise PdfLocked from error
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise PdfUnreadable from error
    with pdf:
        try:
            removed = _sweep(pdf.trailer, remove=False, skip=frozenset({"/Encrypt"}))
            page_count = _rebuild(pdf)
            tagged = is_tagged(pdf)
            _check_page_content_size(pdf)
            _check_copy_depth(pdf)
            out = io.BytesIO()
            pdf.save(
                out,
                encryption=False,
                # Streams are copied as they are, never inflated.
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,  # the XMP is kept as it is, never parsed
                deterministic_id=True,
            )
        except (
            pikepdf.PdfError,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            IndexError,
            NotImplementedError,
            RecursionError,
        ) as error:
            raise PdfUnreadable from error
    return SanitisedPdf(
        pdf=out.getvalue(),
        page_count=page_count,
        removed=tuple(label for label in REPORT_ORDER if label in removed),
        tagged=tagged,
    )


def removed_note(removed: tuple[str, ...] | list[str]) -> str:
    """The note for the uploader, such as "Removed from the PDF: JavaScript and attached
    files.", or "" when nothing was removed."""
    if not removed:
        return ""
    names = list(removed)
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Removed from the PDF: {listed}."


# --- rebuilding -------------------------------------------------------------------


def _rebuild(pdf: pikepdf.Pdf) -> int:
    pages = [page.obj for page in pdf.pages]
    if not pages:
        raise PdfUnreadable("no pages")
    _flatten_what_readers_see(pdf, pages)
    root = pdf.Root
    place = _Destinations(root, pages)
    links = ObjectSet()
    for page in pages:
        kept = [link for link in _links(pdf, page, place) if links.add(link)]
        for key in list(page.keys()):
            if key not in PAGE_KEYS:
                del page[key]
        if kept:
            page.Annots = Array(kept)
        elif "/Annots" in page:
            del page.Annots
    outline = _read_outline(root.get("/Outlines"), place)
    for key in list(root.keys()):
        if key not in CATALOG_KEYS and not (key == "/PageMode" and _name(root[key]) in PAGE_MODES):
            del root[key]
    root.Type = Name.Catalog
    # One flat page tree: the intermediate nodes of the old one are left behind.
    tree = root.Pages
    for key in list(tree.keys()):
        del tree[key]
    tree.Type = Name.Pages
    tree.Kids = Array(pages)
    tree.Count = len(pages)
    for page in pages:
        page.Parent = tree
    if outline:
        _write_outline(pdf, outline)
    _rebuild_info(pdf)
    for key in list(pdf.trailer.keys()):
        if key not in ("/Root", "/Info", "/ID", "/Size", "/Encrypt"):
            del pdf.trailer[key]
    _sweep(root, remove=True, keep=links, pages=ObjectSet(pages))
    return len(pages)


def _flatten_what_readers_see(pdf: pikepdf.Pdf, pages: list) -> None:
    """Draw the appearance of comments, stamps and form fields into the page content."""
    set_aside = []
    flatten = False
    for page in pages:
        annotations = page.get("/Annots")
        if not isinstance(annotations, Array):
            set_aside.append([])
            continue
        others = [a for a in annotations if isinstance(a, Dictionary)]
        keep = [a for a in others if _name(a.get("/Subtype")) in NOT_FLATTENED]
        rest = [a for a in others if _name(a.get("/Subtype")) not in NOT_FLATTENED]
        flatten = flatten or bool(rest)
        set_aside.append(keep)
        page.Annots = Array(rest)
    if flatten:
        # A field that has no look of its own and none can be made is left out.
        with contextlib.suppress(pikepdf.PdfError):
            pdf.generate_appearance_streams()
        pdf.flatten_annotations("screen")
    for page, keep in zip(pages, set_aside, strict=True):
        page.Annots = Array(keep)


def _links(pdf: pikepdf.Pdf, page, place: "_Destinations") -> list:
    """The page's links to web and email addresses and to places in the document, each
    rebuilt in place (so that the tagging structure still finds it) with nothing else."""
    links = []
    for annotation in page.get("/Annots") or []:
        if not isinstance(annotation, Dictionary) or annotation.get("/Subtype") != Name.Link:
            continue
        if "/AA" in annotation:
            continue
        fields = _link_fields(annotation, place)
        if fields is None:
            continue
        fields["/P"] = page
        if annotation.is_indirect:
            for key in list(annotation.keys()):
                del annotation[key]
            for key, value in fields.items():
                annotation[key] = value
            links.append(annotation)
        else:
            links.append(pdf.make_indirect(Dictionary(fields)))
    return links


def _link_fields(annotation, place: "_Destinations") -> dict | None:
    rect = _numbers(annotation.get("/Rect"), 4)
    if rect is None:
        return None
    fields = {"/Type": Name.Annot, "/Subtype": Name.Link, "/Rect": rect}
    action = annotation.get("/A")
    if action is not None:
        if not isinstance(action, Dictionary):
            return None
        if action.get("/S") == Name.URI:
            address = web_address(action.get("/URI"))
            if address is None:
                return None
            fields["/A"] = Dictionary(S=Name.URI, URI=String(address))
        elif action.get("/S") == Name.GoTo:
            destination = place.explicit(action.get("/D"))
            if destination is None:
                return None
            fields["/Dest"] = destination
        else:
            return None
    else:
        destination = place.explicit(annotation.get("/Dest"))
        if destination is None:
            return None
        fields["/Dest"] = destination
    border = annotation.get("/Border")
    if isinstance(border, Array) and 3 <= len(border) <= 4:
        widths = _numbers(Array(list(border)[:3]), 3)
        if widths is not None:
            fields["/Border"] = widths
    colour = _numbers(annotation.get("/C"))
    if colour is not None and len(colour) in (0, 1, 3, 4):
        fields["/C"] = colour
    quads = _numbers(annotation.get("/QuadPoints"))
    if quads is not None and quads and len(quads) % 8 == 0:
        fields["/QuadPoints"] = quads
    if _name(annotation.get("/H")) in LINK_HIGHLIGHTS:
        fields["/H"] = Name(str(annotation.H))
    for key in ("/F", "/StructParent"):
        value = annotation.get(key)
        if isinstance(value, int) and _is_number(value):
            fields[key] = value
    contents = annotation.get("/Contents")
    if isinstance(contents, String):
        fields["/Contents"] = String(bytes(contents))
    return fields


def web_address(value) -> str | None:
    """A link's address if it is a web (http, https) or email (mailto) address."""
    if not isinstance(value, String):
        return None
    raw = bytes(value)
    # An address is ASCII; some writers use UTF-8, others a text string (PDFDocEncoding
    # or UTF-16), which pikepdf decodes.
    try:
        address = str(value) if raw.startswith(b"\xfe\xff") else raw.decode("utf-8")
    except UnicodeDecodeError:
        address = str(value)
    address = address.strip()
    if not address or any(ord(c) < 0x20 or ord(c) == 0x7F for c in address):
        return None
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES and parts.netloc:
        return address
    if scheme == "mailto" and parts.path:
        return address
    return None


def _is_script_address(value) -> bool:
    if not isinstance(value, String):
        return False
    address = bytes(value).decode("latin-1")
    return "".join(address.split()).lower().startswith("javascript:")


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _numbers(value, count: int | None = None) -> Array | None:
    if not isinstance(value, Array) or (count is not None and len(value) != count):
        return None
    items = list(value)
    return Array(items) if all(_is_number(n) for n in items) else None


class _Destinations:
    """Places in the document, as explicit destinations on the rebuilt pages."""

    def __init__(self, root, pages: list):
        self.pages = pages
        self.known = ObjectSet(pages)
        names = root.get("/Names")
        tree = names.get("/Dests") if isinstance(names, Dictionary) else None
        self.tree = None
        if isinstance(tree, Dictionary):
            try:
                self.tree = pikepdf.NameTree(tree)
            except pikepdf.PdfError:
                self.tree = None
        old_style = root.get("/Dests")  # PDF 1.1: a dictionary of names
        self.old_style = old_style if isinstance(old_style, Dictionary) else None

    def explicit(self, destination, *, named: bool = True) -> Array | None:
        if isinstance(destination, Dictionary):
            destination = destination.get("/D")
        if isinstance(destination, String | Name) and named:
            return self.explicit(self._named(destination), named=False)
        if not isinstance(destination, Array) or not 2 <= len(destination) <= 6:
            return None
        target, fit, *numbers = list(destination)
        if isinstance(target, int) and not isinstance(target, bool):
            if not 0 <= target < len(self.pages):
                return None
            target = self.pages[target]
        elif not isinstance(target, Dictionary) or target not in self.known:
            return None
        if not isinstance(fit, Name) or fit not in FIT_TYPES:
            return None
        if not all(n is None or _is_number(n) for n in numbers):
            return None
        return Array([target, Name(str(fit)), *numbers])

    def _named(self, name):
        try:
            if isinstance(name, String) and self.tree is not None:
                return self.tree.get(str(name))
            if isinstance(name, Name) and self.old_style is not None:
                return self.old_style.get(name)
        except (pikepdf.PdfError, KeyError, ValueError):
            return None
        return None


@dataclasses.dataclass
class _Bookmark:
    title: str
    destination: Array | None
    closed: bool
    children: list["_Bookmark"]


def _read_outline(outlines, place: _Destinations) -> list[_Bookmark]:
    """The bookmarks that go to a place in the document, and those that hold them."""
    if not isinstance(outlines, Dictionary):
        return []
    seen = ObjectSet()
    budget = [OUTLINE_ITEMS]

    def read(first, depth: int) -> list[_Bookmark]:
        items = []
        node = first
        while isinstance(node, Dictionary) and seen.add(node) and budget[0] > 0:
            budget[0] -= 1
            children = read(node.get("/First"), depth + 1) if depth < OUTLINE_DEPTH else []
            destination = None
            action = node.get("/A")
            if "/Dest" in node:
                destination = place.explicit(node.get("/Dest"))
            elif isinstance(action, Dictionary) and action.get("/S") == Name.GoTo:
                destination = place.explicit(action.get("/D"))
            title = node.get("/Title")
            count = node.get("/Count")
            if destination is not None or children:
                items.append(
                    _Bookmark(
                        title=str(title) if isinstance(title, String) else "",
                        destination=destination,
                        closed=isinstance(count, int) and count < 0,
                        children=children,
                    )
                )
            node = node.get("/Next")
        return items

    return read(outlines.get("/First"), 0)


def _write_outline(pdf: pikepdf.Pdf, bookmarks: list[_Bookmark]) -> None:
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))

    def link(parent, items: list[_Bookmark]) -> int:
        """Attach the items under parent; returns how many show when parent is open."""
        nodes, showing = [], 0
        for item in items:
            node = pdf.make_indirect(Dictionary(Title=String(item.title), Parent=parent))
            if item.destination is not None:
                node.Dest = item.destination
            showing += 1
            if item.children:
                below = link(node, item.children)
                node.Count = -below if item.closed else below
                showing += 0 if item.closed else below
            nodes.append(node)
        for before, after in zip(nodes, nodes[1:], strict=False):
            before.Next = after
            after.Prev = before
        parent.First, parent.Last = nodes[0], nodes[-1]
        return showing

    outlines.Count = link(outlines, bookmarks)
    pdf.Root.Outlines = outlines


def _rebuild_info(pdf: pikepdf.Pdf) -> None:
    info = pdf.trailer.get("/Info")
    kept = Dictionary()
    if isinstance(info, Dictionary):
        for key in INFO_KEYS:
            value = info.get(key)
            if isinstance(value, String):
                kept[key] = String(bytes(value))
    if "/Info" in pdf.trailer:
        del pdf.trailer.Info
    if len(kept.keys()):
        pdf.trailer.Info = pdf.make_indirect(kept)


# --- the sweep ------------------------------------------------------------------------


def _sweep(
    start,
    *,
    remove: bool,
    keep: ObjectSet | None = None,
    pages: ObjectSet | None = None,
    skip: frozenset[str] = frozenset(),
) -> set[str]:
    """Walk everything reachable from start and name the active content found.

    With remove, it is also taken out of what is kept: scripts and the keys that hold
    them, every action (the links, in keep, are not walked), file specifications and
    embedded files, annotations other than the kept links, pages not in the document.
    """
    sweep = _Sweep(keep=keep or ObjectSet(), pages=pages)
    pending = [start]
    while pending:
        container = pending.pop()
        if not sweep.seen.add(container):
            continue
        if isinstance(container, Array):
            slots = list(enumerate(container))
            removed_keys = REMOVED_KEYS
            paired = container in sweep.paired
        else:
            slots = [(k, v) for k, v in _entries(container).items() if k not in skip]
            removed_keys = REMOVED_STREAM_KEYS if isinstance(container, Stream) else REMOVED_KEYS
            paired = False
        dropped = []
        for slot, value in slots:
            drop = slot in removed_keys
            if drop:
                sweep.found.add(removed_keys[slot])
                if slot == "/AcroForm" and _holds_a_form(value):
                    sweep.found.add(FORM_FIELDS)
            if isinstance(value, Dictionary | Stream):
                if value in sweep.keep:
                    continue
                drop = sweep.unwanted(value) or drop
            if drop and remove:
                dropped.append(slot)
            elif isinstance(value, Dictionary | Stream | Array) and value not in sweep.seen:
                if slot in ("/Nums", "/Names") and isinstance(value, Array):
                    sweep.paired.add(value)
                pending.append(value)
        for slot in reversed(dropped):
            if paired:  # a number or name tree's [key value ...]: keep the pairs in step
                container[slot] = None
            else:
                del container[slot]
    sweep.found.discard(None)
    return sweep.found


def _entries(value) -> dict:
    return dict((value.stream_dict if isinstance(value, Stream) else value).items())


def _name(value) -> str | None:
    return str(value) if isinstance(value, Name) else None


@dataclasses.dataclass
class _Sweep:
    keep: ObjectSet
    pages: ObjectSet | None
    found: set = dataclasses.field(default_factory=set)
    seen: ObjectSet = dataclasses.field(default_factory=ObjectSet)
    judged: ObjectSet = dataclasses.field(default_factory=ObjectSet)
    dropped: ObjectSet = dataclasses.field(default_factory=ObjectSet)
    paired: ObjectSet = dataclasses.field(default_factory=ObjectSet)

    def unwanted(self, value) -> bool:
        """Whether a dictionary or stream goes; each is judged once, however reached."""
        if not self.judged.add(value):
            return value in self.dropped
        label, unwanted = self._judge(value, _entries(value))
        self.found.add(label)
        if unwanted:
            self.dropped.add(value)
        return unwanted

    def _judge(self, value, entries: dict) -> tuple[str | None, bool]:
        """(what it is called, whether it goes)."""
        kind = _name(entries.get("/Type"))
        subtype = _name(entries.get("/Subtype"))
        action = _name(entries.get("/S"))
        # A structure element's /S is its type, and it always has a parent (/P); an
        # action dressed up with a /P still carries what it would act on.
        if kind == "/Action" or (
            action in ACTION_LABELS and ("/P" not in entries or entries.keys() & ACTION_PAYLOAD)
        ):
            label = ACTION_LABELS.get(action, OTHER_ACTIONS)
            if action == "/URI" and web_address(entries.get("/URI")) is None:
                label = JAVASCRIPT if _is_script_address(entries.get("/URI")) else OTHER_ADDRESSES
            return label, True
        if kind == "/Filespec" or "/EF" in entries:
            return (ATTACHED_FILES if "/EF" in entries else EXTERNAL), True
        if kind == "/EmbeddedFile":
            return ATTACHED_FILES, True
        if "/FT" in entries:  # a form field
            return FORM_FIELDS, True
        if subtype in ANNOTATION_SUBTYPES and "/Rect" in entries:
            return ANNOTATION_LABELS.get(subtype), True
        if kind == "/Page" and self.pages is not None and value not in self.pages:
            return None, True
        if subtype == "/PS" and isinstance(value, Stream):  # PostScript, for printers
            return None, True
        if kind == "/OBJR":
            target = entries.get("/Obj")
            if isinstance(target, Dictionary | Stream) and target not in self.keep:
                return None, self.unwanted(target)
        return None, False


def _holds_a_form(acroform) -> bool:
    if not isinstance(acroform, Dictionary):
        return False
    fields = acroform.get("/Fields")
    return (isinstance(fields, Array) and len(fields) > 0) or "/XFA" in acroform
