"""Block nodes: paragraphs, lists, callouts, figures, tables, quotes and included blocks."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from .._paths import path_fault
from ._base import ContentStr, Id, Node, NonEmptyStr, Region, StrictBool, StrictInt
from .inline import Inline

__all__ = [
    "BLOCK_TYPES",
    "IMAGE_SUFFIXES",
    "MEDIA_TYPES",
    "Block",
    "Figure",
    "Image",
    "Include",
    "List",
    "ListItem",
    "Note",
    "NoteKind",
    "Paragraph",
    "Quote",
    "RegionalPassage",
    "Table",
    "TableCell",
    "TableRow",
]

#: Image media types that every output format can carry (DOCX cannot embed SVG).
MEDIA_TYPES = ("image/png", "image/jpeg")


class Paragraph(Node):
    """A paragraph of running text."""

    type: Literal["paragraph"] = "paragraph"
    children: tuple[Inline, ...] = Field(min_length=1)


class ListItem(Node):
    """One item of a list. Holds blocks: a paragraph for a simple item, more
    paragraphs or a nested list for a complex one."""

    blocks: tuple[Block, ...] = Field(min_length=1)


class List(Node):
    """A bulleted (``ordered=False``) or numbered list."""

    type: Literal["list"] = "list"
    ordered: StrictBool = False
    start: StrictInt | None = Field(
        default=None, ge=0, description="First number of a numbered list when it is not 1."
    )
    items: tuple[ListItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _start_only_when_ordered(self) -> List:
        if self.start is not None and not self.ordered:
            raise ValueError("a bulleted list has no start number")
        return self


class NoteKind(str, Enum):
    """The kind of a callout, which sets its label and look."""

    note = "note"
    tip = "tip"
    important = "important"
    warning = "warning"
    caution = "caution"


class Note(Node):
    """A callout set apart from the running text ("Note: …")."""

    type: Literal["note"] = "note"
    kind: NoteKind = NoteKind.note
    title: ContentStr | None = Field(
        default=None, description="Heading of the callout; exporters label it by kind when absent."
    )
    region: Region | None = Field(
        default=None, description="Country the content applies to (ISO 3166-1 alpha-2)."
    )
    blocks: tuple[Block, ...] = Field(min_length=1)


#: The file name endings each media type may have (compared in lower case).
IMAGE_SUFFIXES = {"image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}

def _check_image_path(value: str) -> str:
    """An image path is a relative POSIX path inside the corpus: it becomes a file
    name of the outputs (EPUB members, the site's files), so it must not leave their
    folder whoever made the model (the loader, JSON, an imported JATS file)."""
    fault = path_fault(value)
    if fault is not None:
        raise ValueError(_IMAGE_PATH_FAULTS[fault].format(value))
    return value


#: What each fault of an image path is called (healthinfo/_paths.py has the rule).
_IMAGE_PATH_FAULTS = {
    "empty": "image path {!r} is empty; write it as images/photo.png",
    "control": "image path {!r} contains a control character",
    "backslash": "image path {!r} contains a backslash; separate folders with '/'",
    "absolute": "image path {!r} must be relative to the corpus folder, e.g. images/photo.png",
    "parent": "image path {!r} leaves the corpus folder; keep images in images/",
    "empty-part": "image path {!r} has an empty or '.' part; write it as images/photo.png",
}


ImagePath = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_check_image_path)]


class Image(Node):
    """An image file of the corpus, carried with its bytes so that an article or a
    book can be exported without the corpus folder."""

    path: ImagePath = Field(
        description="Relative path inside the corpus, with '/' separators (e.g. images/infusion.png): "
        "no '..', empty or '.' parts, backslashes, colons or control characters; "
        "it ends in .png (image/png) or .jpg/.jpeg (image/jpeg)."
    )
    media_type: Literal["image/png", "image/jpeg"]
    width: StrictInt = Field(gt=0, description="Width in pixels.")
    height: StrictInt = Field(gt=0, description="Height in pixels.")
    data: bytes = Field(repr=False, description="The file's bytes (base64 in JSON).")

    @model_validator(mode="after")
    def _suffix_fits_media_type(self) -> Image:
        suffixes = IMAGE_SUFFIXES[self.media_type]
        if not self.path.lower().endswith(suffixes):
            raise ValueError(
                f"image path {self.path!r} must end in {' or '.join(suffixes)} for its {self.media_type} data; "
                "rename the file"
            )
        return self


class Figure(Node):
    """An image with alternative text, an optional caption and credit."""

    type: Literal["figure"] = "figure"
    id: Id | None = None
    image: Image
    alt: NonEmptyStr = Field(description="Alternative text: what the image shows, for people who cannot see it.")
    caption: tuple[Inline, ...] = Field(default_factory=tuple)
    credit: ContentStr | None = Field(default=None, description="Who made the image (copyright, photographer).")


class TableCell(Node):
    """A cell of a table."""

    children: tuple[Inline, ...] = Field(default_factory=tuple)
    align: Literal["left", "center", "right"] | None = None


class TableRow(Node):
    cells: tuple[TableCell, ...] = Field(min_length=1)


class Table(Node):
    """A simple table: header rows, body rows, an optional caption."""

    type: Literal["table"] = "table"
    id: Id | None = None
    caption: tuple[Inline, ...] = Field(default_factory=tuple)
    head: tuple[TableRow, ...] = Field(default_factory=tuple)
    body: tuple[TableRow, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _rectangular(self) -> Table:
        widths = {len(row.cells) for row in [*self.head, *self.body]}
        if len(widths) > 1:
            raise ValueError("every row of a table must have the same number of cells")
        return self


class Quote(Node):
    """A quotation set off from the text, with an optional attribution."""

    type: Literal["quote"] = "quote"
    blocks: tuple[Block, ...] = Field(min_length=1)
    attribution: ContentStr | None = None


class Include(Node):
    """A reusable block of the corpus (a disclaimer, a standard paragraph), inserted by
    id. The loader resolves it: ``blocks`` holds its content, ``ref`` remembers where
    it came from, so that exporters can treat it as the shared text it is."""

    type: Literal["include"] = "include"
    ref: Id
    title: ContentStr | None = None
    blocks: tuple[Block, ...] = Field(min_length=1)


def _unique_regions(value: tuple[str, ...]) -> tuple[str, ...]:
    repeated = sorted({code for code in value if value.count(code) > 1})
    if repeated:
        raise ValueError(f"the region {', '.join(repeated)} is named twice")
    return value


class RegionalPassage(Node):
    """A run of blocks that applies only to some countries (``:::{region} DE``): the
    German specifics of an otherwise general text. Every output marks it visibly; a
    regional edition (``healthinfo build --edition AT``) leaves out the passages of
    other countries. Passages that follow one another directly are alternatives of
    one passage: an edition keeps the one for its country (docs/editions.md)."""

    type: Literal["region"] = "region"
    regions: Annotated[tuple[Region, ...], AfterValidator(_unique_regions)] = Field(
        min_length=1, description="The countries the passage applies to (ISO 3166-1 alpha-2), in the order written."
    )
    blocks: tuple[Block, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _notes_agree(self) -> RegionalPassage:
        from ._tree import walk

        for node in walk(list(self.blocks)):
            if isinstance(node, Note) and node.region is not None and node.region not in self.regions:
                raise ValueError(
                    f"a note for {node.region} inside a passage for {' '.join(self.regions)} is shown in no "
                    "edition; give the note the passage's region or move it out of the passage"
                )
            if isinstance(node, RegionalPassage) and not set(node.regions) <= set(self.regions):
                raise ValueError(
                    f"a passage for {' '.join(node.regions)} inside a passage for {' '.join(self.regions)} is "
                    "shown in no edition of the countries the outer one leaves out; name only the outer passage's "
                    "countries"
                )
        return self


Block = Annotated[
    Paragraph | List | Note | Figure | Table | Quote | Include | RegionalPassage,
    Field(discriminator="type"),
]

#: Every block node class, in schema order.
BLOCK_TYPES: tuple[type[Node], ...] = (Paragraph, List, Note, Figure, Table, Quote, Include, RegionalPassage)

_REBUILT: tuple[type[Node], ...] = (ListItem, *BLOCK_TYPES)
for _cls in _REBUILT:
    _cls.model_rebuild()
