"""Test helpers that look inside an exported file with each format's own independent
reader (lxml's HTML parser; the EPUB's zip with its names and sizes checked first),
never the exporter's code: the HTML and EPUB tests inspect structure with them. The
exporter contract test reads every format with the exporter's own ``read_text``
(``exporters/<format>/outline.py``), which imports no writer code."""
