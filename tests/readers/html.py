"""Text of an HTML export, read with lxml's HTML parser (not the exporter's code).

The text a reader sees: the body, without <script> (the JSON-LD) and <style>."""

from __future__ import annotations

import lxml.html
from lxml import etree

from healthinfo.exporters import Rendered


def tree(rendered: Rendered | bytes) -> lxml.html.HtmlElement:
    """The parsed document (UTF-8, as the exporter declares it)."""
    data = rendered.data if isinstance(rendered, Rendered) else rendered
    return lxml.html.document_fromstring(data.decode("utf-8"))


def text(rendered: Rendered) -> str:
    root = tree(rendered)
    etree.strip_elements(root, "script", "style", with_tail=False)
    body = root.find("body")
    return (body if body is not None else root).text_content()
