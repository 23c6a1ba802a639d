"""The console script's entry point. ``healthinfo --version`` answers without
importing the CLI framework, the content model or any exporter."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ._version import __version__

        sys.stdout.write(f"healthinfo {__version__}\n")
        return
    from .cli import main as cli_main

    cli_main()
