"""Block nodes: paragraphs, lists, callouts, figures, tables, quotes and included blocks."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ._base import ContentStr, Id, Node, NonEmptyStr, Region
from .inline import Inline

__all__ = [
    "BLOCK_TYPES",
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
    "Table",
    "TableCell",
    "TableRow",
]

#: Image media types that every output format can carry (DOCX cannot embed SVG).
MEDIA_TYPES = ("image/png", "image/jpeg")


class Paragraph(Node):
    """A paragraph of running text."""

    type: Literal["paragraph"] = "paragraph"
    children: list[Inline] = Field(min_length=1)


class ListItem(Node):
    """One item of a list. Holds blocks: a paragraph for a simple item, more
    paragraphs or a nested list for a complex one."""

    blocks: list[Block] = Field(min_length=1)


class List(Node):
    """A bulleted (``ordered=False``) or numbered list."""

    type: Literal["list"] = "list"
    ordered: bool = False
    start: int | None = Field(
        default=None, ge=0, description="First number of a numbered list when it is not 1."
    )
    items: list[ListItem] = Field(min_length=1)

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
    blocks: list[Block] = Field(min_length=1)


class Image(Node):
    """An image file of the corpus, carried with its bytes so that an article or a
    book can be exported without the corpus folder."""

    path: NonEmptyStr = Field(
        description="Path inside the corpus, with '/' separators (e.g. images/infusion.png)."
    )
    media_type: Literal["image/png", "image/jpeg"]
    width: int = Field(gt=0, description="Width in pixels.")
    height: int = Field(gt=0, description="Height in pixels.")
    data: bytes = Field(repr=False, description="The file's bytes (base64 in JSON).")


class Figure(Node):
    """An image with alternative text, an optional caption and credit."""

    type: Literal["figure"] = "figure"
    id: Id | None = None
    image: Image
    alt: NonEmptyStr = Field(description="Alternative text: what the image shows, for people who cannot see it.")
    caption: list[Inline] = Field(default_factory=list)
    credit: ContentStr | None = Field(default=None, description="Who made the image (copyright, photographer).")


class TableCell(Node):
    """A cell of a table."""

    children: list[Inline] = Field(default_factory=list)
    align: Literal["left", "center", "right"] | None = None


class TableRow(Node):
    cells: list[TableCell] = Field(min_length=1)


class Table(Node):
    """A simple table: header rows, body rows, an optional caption."""

    type: Literal["table"] = "table"
    id: Id | None = None
    caption: list[Inline] = Field(default_factory=list)
    head: list[TableRow] = Field(default_factory=list)
    body: list[TableRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _rectangular(self) -> Table:
        widths = {len(row.cells) for row in [*self.head, *self.body]}
        if len(widths) > 1:
            raise ValueError("every row of a table must have the same number of cells")
        return self


class Quote(Node):
    """A quotation set off from the text, with an optional attribution."""

    type: Literal["quote"] = "quote"
    blocks: list[Block] = Field(min_length=1)
    attribution: ContentStr | None = None


class Include(Node):
    """A reusable block of the corpus (a disclaimer, a standard paragraph), inserted by
    id. The loader resolves it: ``blocks`` holds its content, ``ref`` remembers where
    it came from, so that exporters can treat it as the shared text it is."""

    type: Literal["include"] = "include"
    ref: Id
    title: ContentStr | None = None
    blocks: list[Block] = Field(min_length=1)


Block = Annotated[
    Paragraph | List | Note | Figure | Table | Quote | Include,
    Field(discriminator="type"),
]

#: Every block node class, in schema order.
BLOCK_TYPES: tuple[type[Node], ...] = (Paragraph, List, Note, Figure, Table, Quote, Include)

_REBUILT: tuple[type[Node], ...] = (ListItem, *BLOCK_TYPES)
for _cls in _REBUILT:
    _cls.model_rebuild()
