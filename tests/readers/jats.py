"""Text of a JATS export, read with lxml's XML parser (not the exporter's code)."""

from __future__ import annotations

from lxml import etree

from healthinfo.exporters import Rendered


def text(rendered: Rendered) -> str:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(rendered.data, parser)
    return "".join(root.itertext())
