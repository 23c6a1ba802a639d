"""PDF: the structure tree Typst writes, completed after layout, and the boxes of a
print PDF.

Typst tags what it has elements for (ISO 32000-1 §14.8.4: ``P``, ``H1``-``H6``,
``L``, ``Table``, ``Figure`` …) as the children of one ``Document`` element. The
writer's plan (:class:`.source.Group`) says which of those children belong together:
:func:`build_groups` puts them into ``Art`` (an article of a book), ``Sect`` (a
section with its heading), ``Note`` (a callout), ``Div`` (a regional passage, a
reusable block, the contents) elements, each with a unique ``/ID`` (PDF/UA-1 §7.9
asks one of every ``Note``), also inside list items and quotations (the plan of a
``Leaf``'s children), and wraps each entry of a list of sources in a ``BibEntry``.
Each link to a glossary entry or a source gets its description (the annotation's
``/Contents``), and each link to a source is wrapped in a ``Reference``. Only
structure elements move: the marked content keeps its ``/StructParents`` entries,
except inside a ``BibEntry``, whose parent-tree entries are pointed at it.

:func:`print_boxes` gives a print PDF its ``BleedBox`` (ISO 32000-1 §14.11.2) — Typst
writes the ``TrimBox`` inside the bled page — and crop marks outside the bleed, as
artifacts of type ``Page`` ("production aids such as cut marks", §14.8.2.2.2).
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .._base import ExportError
from .source import Group, InnerLink, Leaf

__all__ = ["build_groups", "print_boxes"]


def _children(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(node: pikepdf.Object) -> bool:
    return isinstance(node, Dictionary) and "/S" in node


def _take(plan: list[Leaf | Group], kids: Iterator[pikepdf.Object], parent: pikepdf.Object,
          pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    placed: list[pikepdf.Object] = []
    for step in plan:
        if isinstance(step, Leaf):
            kid = next(kids, None)
            found = str(kid.get("/S"))[1:] if kid is not None and _is_element(kid) else None
            if kid is None or found not in step.tags:
                raise ExportError(
                    f"the PDF's structure tree does not follow its plan: expected {'/'.join(step.tags)}, "
                    f"found {found or 'nothing'} (please report this)"
                )
            kid.P = parent
            placed.append(kid)
            if step.inner is not None:
                inner = iter(_children(kid))
                kept = _take(step.inner, inner, kid, pdf)
                rest = list(inner)
                if any(_is_element(k) for k in rest):
                    raise ExportError(f"the PDF's structure tree has elements its plan does not, in a {found} "
                                      "(please report this)")
                kid.K = Array(kept + rest)
            elif step.links is not None:
                _inner_links(pdf, kid, step.links)
            continue
        element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + step.type), P=parent,
                                               ID=String(step.id)))
        if step.title is not None:
            element.T = String(step.title)
        if step.lang is not None:
            element.Lang = String(step.lang)
        element.K = Array(_take(step.children, kids, element, pdf))
        placed.append(element)
    return placed


def _link_elements(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The Link elements inside ``element`` that go to a place in the document (their
    annotations have a /Dest; a link to the web has a URI action), in order."""
    for kid in _children(element):
        if not _is_element(kid):
            continue
        if str(kid.S) == "/Link":
            annotations = [k.Obj for k in _children(kid) if isinstance(k, Dictionary) and "/Obj" in k]
            if annotations and all("/Dest" in a for a in annotations):
                yield kid
                continue
        yield from _link_elements(kid)


def _same(node: object, element: pikepdf.Object) -> bool:
    return isinstance(node, pikepdf.Object) and node.is_indirect and node.objgen == element.objgen


def _inner_links(pdf: pikepdf.Pdf, element: pikepdf.Object, links: tuple[InnerLink, ...]) -> None:
    """Each link of ``element`` to a glossary entry or a source gets its description
    (the annotation's /Contents, PDF/UA-1 §7.18.5: Typst writes "page N"); a link to a
    source is wrapped in a Reference element (ISO 32000-1 §14.8.4.4.1)."""
    found = list(_link_elements(element))
    if len(found) != len(links):
        raise ExportError(
            f"the PDF's structure tree does not follow its plan: {len(links)} links to glossary entries and "
            f"sources expected in a {element.S}, {len(found)} found (please report this)"
        )
    for link, planned in zip(found, links, strict=True):
        for kid in _children(link):
            if isinstance(kid, Dictionary) and "/Obj" in kid:
                kid.Obj.Contents = String(planned.description)
        if planned.kind != "cite":
            continue
        parent = link.P
        reference = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Reference, P=parent, K=Array([link])))
        if "/Pg" in link:
            reference.Pg = link.Pg
        kids = _children(parent)
        parent.K = Array([reference if _same(k, link) else k for k in kids])
        link.P = reference


def build_groups(pdf: pikepdf.Pdf, plan: list[Leaf | Group]) -> None:
    """Put the Document element's children into the plan's groups."""
    root = pdf.Root.StructTreeRoot
    documents = [k for k in _children(root) if _is_element(k)]
    if len(documents) != 1 or str(documents[0].S) != "/Document":
        raise ExportError("the PDF's structure tree has no single Document element (please report this)")
    document = documents[0]
    kids = iter(_children(document))
    placed = _take(plan, kids, document, pdf)
    rest = [str(k.get("/S")) if _is_element(k) else repr(k) for k in kids]
    if rest:
        raise ExportError(f"the PDF's structure tree has elements its plan does not: {', '.join(rest[:5])} "
                          "(please report this)")
    document.K = Array(placed)
    _bibliography_entries(pdf, plan, placed)


def _bibliography_entries(pdf: pikepdf.Pdf, plan: list[Leaf | Group], placed: list[pikepdf.Object]) -> None:
    """Each entry of a list of sources (the L of a ``references-`` section): its LBody's
    content inside a BibEntry."""
    moved: dict[tuple[int, int], pikepdf.Object] = {}
    for step, element in zip(plan, placed, strict=True):
        if not isinstance(step, Group):
            continue
        if step.id.startswith("references-"):
            for kid in _children(element):
                if _is_element(kid) and str(kid.S) == "/L":
                    for item in _children(kid):
                        for body in _children(item):
                            if _is_element(body) and str(body.S) == "/LBody":
                                moved[body.objgen] = _wrap(pdf, body, "BibEntry")
        else:
            _bibliography_entries(pdf, step.children, _children(element))
    if moved:
        _repoint_parent_tree(pdf.Root.StructTreeRoot.ParentTree, moved)


def _wrap(pdf: pikepdf.Pdf, element: pikepdf.Object, kind: str) -> pikepdf.Object:
    """A new element of ``kind`` holding ``element``'s children, as its only child."""
    inner = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + kind), P=element))
    if "/Pg" in element:
        inner.Pg = element.Pg
    kids = _children(element)
    for kid in kids:
        if _is_element(kid):
            kid.P = inner
    inner.K = Array(kids)
    element.K = Array([inner])
    return inner


def _repoint_parent_tree(node: pikepdf.Object, moved: dict[tuple[int, int], pikepdf.Object]) -> None:
    """The parent tree (a number tree, §14.7.4.4) names the element each piece of marked
    content belongs to: where it names a moved element's old parent, it names the new one."""
    for kid in node.get("/Kids", Array()):
        _repoint_parent_tree(kid, moved)
    nums = node.get("/Nums")
    if nums is None:
        return
    for index in range(1, len(nums), 2):
        value = nums[index]
        if isinstance(value, Array):
            for position, element in enumerate(value):
                if element.is_indirect and element.objgen in moved:
                    value[position] = moved[element.objgen]
        elif value.is_indirect and value.objgen in moved:
            nums[index] = moved[value.objgen]


#: How far the crop marks start outside the trim box, beyond the bleed, and their length (pt).
MARK_GAP = 2.0
MARK_LENGTH = 14.0


def print_boxes(pdf: pikepdf.Pdf, bleed_pt: float, crop_marks: bool) -> None:
    """BleedBox = the bled page Typst wrote; with crop marks, a MediaBox that has room
    for them and the marks at the four corners of the TrimBox."""
    for page in pdf.pages:
        media = [float(v) for v in page.obj.MediaBox]
        page.obj.BleedBox = Array(media)
        if not crop_marks:
            continue
        trim = [float(v) for v in page.obj.TrimBox]
        room = bleed_pt + MARK_GAP + MARK_LENGTH + 4.0
        page.obj.MediaBox = Array([trim[0] - room, trim[1] - room, trim[2] + room, trim[3] + room])
        start = bleed_pt + MARK_GAP
        end = start + MARK_LENGTH
        strokes = []
        for x, sx in ((trim[0], -1), (trim[2], 1)):
            for y, sy in ((trim[1], -1), (trim[3], 1)):
                strokes.append(f"{x + sx * start:.3f} {y:.3f} m {x + sx * end:.3f} {y:.3f} l S")
                strokes.append(f"{x:.3f} {y + sy * start:.3f} m {x:.3f} {y + sy * end:.3f} l S")
        marks = "/Artifact <</Type /Page>> BDC q 0.25 w 0 0 0 RG " + " ".join(strokes) + " Q EMC\n"
        page.contents_add(pikepdf.Stream(pdf, marks.encode("ascii")), prepend=False)
