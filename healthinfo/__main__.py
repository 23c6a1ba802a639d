"""``python -m healthinfo`` runs the command line."""

from .cli import main

main()
