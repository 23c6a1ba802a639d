"""HTML5: the Jinja2 templates that hold all of a page's markup, and the stylesheet.

pandoc's split: the writer (:mod:`.writer`) renders the body by calling one macro per
node type (``nodes.j2``), and templates wrap it (``page.j2`` and the others of
:data:`TEMPLATE_NAMES`). Autoescaping escapes every string that comes from the corpus;
``finalize`` (:func:`.text.finalize`) first replaces the characters HTML cannot carry.
``Options.template_dir`` puts a folder of templates before the built-in ones (a Jinja2
ChoiceLoader); the built-in ones stay reachable as ``default/<name>`` for
``{% extends %}`` (docs/exporters/html.md, "Overriding templates").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, Template
from jinja2.bccache import BytecodeCache, FileSystemBytecodeCache
from markupsafe import Markup

from .._base import ExportError
from .._cache import compiled_folder
from .._i18n import direction
from .options import Options
from .text import finalize

__all__ = [
    "STYLESHEET",
    "TEMPLATE_DIR",
    "TEMPLATE_NAMES",
    "Templates",
    "builtin_templates",
    "load_templates",
]

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STYLESHEET = PACKAGE_DIR / "static" / "html.css"

#: The templates a ``template_dir`` can replace (docs/exporters/html.md).
TEMPLATE_NAMES = (
    "page.j2",
    "article.j2",
    "book.j2",
    "parts.j2",
    "nodes.j2",
    "site-index.j2",
    "glossary-page.j2",
    "not-found.j2",
    "search-page.j2",
    "preview-problems.j2",
)

#: What ``getattr`` finds on a dict: its methods and the other attributes of its type
#: (a dict instance has no attributes of its own).
_DICT_ATTRIBUTES = frozenset(dir(dict))


@functools.lru_cache(maxsize=4)
def _bytecode_cache(folder: Path | None) -> BytecodeCache | None:
    """Compiled templates kept in ``folder`` (the build's cache, see
    exporters/_cache.py). Compiling the templates is most of the first page a process
    renders (a fifth of a second); a rebuild's fresh process loads them instead.
    Jinja2's FileSystemBytecodeCache keys each compiled template by its name and a
    SHA-1 of its source, so a changed template (or a user's template of the same
    name) is compiled again, never taken stale, and writes each file atomically, so
    parallel workers can share the folder."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # an unwritable folder only costs the compiling
    return FileSystemBytecodeCache(str(folder))


class _Environment(Environment):
    """Jinja2's environment, with a faster ``x.y`` for the dicts the writer passes to
    the templates (the views of articles, references, glossary entries, labels).

    Jinja2 looks ``x.y`` up as an attribute first and as an item second, so every
    ``a.title`` on a dict raises and catches an AttributeError first: a microsecond,
    hundreds of times per page. For a plain dict the attribute lookup can only succeed
    for a name of _DICT_ATTRIBUTES, so the item is looked up first for every other
    name: the same result, without the exception."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # Jinja2 decides what a missing key is (StrictUndefined)
        return super().getattr(obj, attribute)


class Templates:
    """The Jinja2 environment of one template folder, and the node macros.

    ``epub``: the templates write the XML serialisation of HTML (void elements closed
    with "/>") and the EPUB structural semantics (epub:type with the matching DPUB-ARIA
    role) for EPUB content documents; ``before``: built-in folders searched before the
    HTML templates (the EPUB exporter's own templates). Both are for
    healthinfo.exporters.epub, which renders blocks and inlines with the HTML writer
    instead of a second copy."""

    def __init__(self, template_dir: str | None, *, epub: bool = False, before: tuple[str, ...] = ()) -> None:
        builtin = FileSystemLoader(str(TEMPLATE_DIR))
        loaders: list[Any] = [*(FileSystemLoader(folder) for folder in before), builtin]
        if template_dir is not None:
            loaders.insert(0, FileSystemLoader(template_dir))
        # The built-in templates stay reachable as default/<name>, so that a user's
        # page.j2 can {% extends "default/page.j2" %} and change one block.
        loaders.append(PrefixLoader({"default": builtin}))
        self.env = _Environment(
            loader=ChoiceLoader(loaders),
            bytecode_cache=_bytecode_cache(compiled_folder()),
            # The templates do not change while a process runs: no stat() of the
            # template files each time one is used.
            auto_reload=False,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
            finalize=finalize,
        )
        self.env.filters["isodate"] = lambda value: value.isoformat()
        self.env.filters["direction"] = direction
        self.env.globals["epub"] = epub
        self._macros = self._node_macros()
        self.css = Markup(STYLESHEET.read_text(encoding="utf-8"))

    def _node_macros(self) -> dict[str, Callable[..., Markup]]:
        # A user's nodes.j2 may define only some macros; the others are the built-in ones.
        builtin_nodes = self.env.get_template("default/nodes.j2").module
        nodes = self.env.get_template("nodes.j2").module
        macros: dict[str, Callable[..., Markup]] = {}
        for source in (builtin_nodes, nodes):
            for name in dir(source):
                if not name.startswith("_"):
                    value = getattr(source, name)
                    if callable(value):
                        macros[name] = value
        return macros

    def macro(self, name: str, **kwargs: Any) -> Markup:
        """The macro ``name`` of nodes.j2, called with ``kwargs``."""
        try:
            macro = self._macros[name]
        except KeyError:
            raise ExportError(f"the HTML templates have no macro {name!r} (nodes.j2)") from None
        result = macro(**kwargs)
        # A macro of an autoescaping environment returns Markup already.
        return result if type(result) is Markup else Markup(result)

    def get(self, name: str) -> Template:
        """The template ``name`` (``page.j2`` …)."""
        return self.env.get_template(name)


def builtin_templates(*, epub: bool = False, before: tuple[str, ...] = ()) -> Templates:
    """The built-in templates (with ``epub`` and ``before`` as :class:`Templates` takes
    them), made once per process (and compiled-template folder): they are package data
    and do not change."""
    return _builtin_templates(epub, before, compiled_folder())


@functools.lru_cache(maxsize=8)
def _builtin_templates(epub: bool, before: tuple[str, ...], folder: Path | None) -> Templates:
    return Templates(None, epub=epub, before=before)


def load_templates(options: Options) -> Templates:
    """The templates of a page: the built-in ones, or ``options.template_dir`` before
    them."""
    if options.template_dir is None:
        return builtin_templates()
    folder = Path(options.template_dir)
    if not folder.is_dir():
        raise ExportError(f"template_dir {str(folder)!r} is not a folder")
    # Not cached: a user's templates may change between calls.
    return Templates(str(folder.resolve()))
