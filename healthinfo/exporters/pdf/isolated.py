"""PDF: Typst's layout in a process started afresh, for a process forked from one that
ran Typst already (see ``writer._compile``). Reads the source and its files from
standard input and writes the PDF and Typst's warnings to standard output, both as
pickles of plain data that only this package writes and reads.
"""

from __future__ import annotations

import pickle
import subprocess
import sys

__all__ = ["compile_isolated"]


def compile_isolated(text: str, files: dict[str, bytes]) -> tuple[bytes, list[str]]:
    """``writer._typst(text, files)``, run by a new Python process."""
    done = subprocess.run(
        [sys.executable, "-m", "healthinfo.exporters.pdf.isolated"],
        input=pickle.dumps((text, files)), capture_output=True, check=False,
    )
    if done.returncode != 0:
        from .writer import _LayoutError

        raise _LayoutError(done.stderr.decode("utf-8", "replace").strip()[-2000:])
    data, messages = pickle.loads(done.stdout)
    return bytes(data), [str(m) for m in messages]


def _main() -> None:
    from .writer import _LayoutError, _typst

    text, files = pickle.loads(sys.stdin.buffer.read())
    try:
        result = _typst(text, files)
    except _LayoutError as error:  # reported by the calling process, in Typst's words
        sys.stderr.write(error.message)
        sys.exit(1)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _main()
