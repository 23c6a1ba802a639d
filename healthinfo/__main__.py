"""``python -m healthinfo`` runs the command line."""

from ._entry import main

main()
