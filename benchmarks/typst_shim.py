"""A `typst compile IN OUT` command for pandoc's ``--pdf-engine=typst``, made of the
PyPI ``typst`` package (the Python binding healthinfo's PDF exporter uses), for
machines without the typst program. The benchmark writes a two-line ``typst`` script
that runs this file, so that pandoc and healthinfo are timed with the same engine.
"""
from __future__ import annotations

import sys

import typst


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "compile":
        print("usage: typst compile INPUT OUTPUT", file=sys.stderr)
        return 2
    source, output = argv[1], argv[2]
    # pandoc extracts the images to a temporary folder and names them by absolute
    # paths, which Typst resolves inside its root: the root is the file system's.
    try:
        typst.compile(source, output=output, root="/")
    except (RuntimeError, OSError) as error:  # typst.TypstError is a RuntimeError; a missing file an OSError
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
