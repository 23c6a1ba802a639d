"""Text of a DOCX export, read with python-docx (not the exporter's code): the body's
paragraphs and table cells (nested tables too) in document order, then every header
and footer."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from healthinfo.exporters import Rendered


def _block_texts(container: object) -> Iterator[str]:
    for item in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Paragraph):
            yield item.text
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    yield from _block_texts(cell)


def text(rendered: Rendered) -> str:
    document = docx.Document(io.BytesIO(rendered.data))
    parts = list(_block_texts(document))
    for section in document.sections:
        for story in (section.header, section.footer):
            if not story.is_linked_to_previous:
                parts.extend(_block_texts(story))
    return "\n".join(parts)
