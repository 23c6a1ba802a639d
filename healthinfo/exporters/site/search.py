"""The site's search: a static, chunked index made by Pagefind (https://pagefind.app,
MIT licence; its indexer is the binary of the PyPI package ``pagefind_bin``) and a
search page per language that queries it in the browser, without a server.

- :func:`search_bundle` indexes the article pages (``articles/*.html``) into
  ``pagefind/``: one index per language of the pages (``<html lang>``; Pagefind stems
  the words of the languages it knows, German among them), split into chunks that a
  query fetches as it needs them. The article's head (dates, publisher), its glossary
  and its sources are not indexed; its topic is the result's ``topic``.
- :func:`search_page_name`: the corpus language's search page is ``search.html``,
  another language's ``search-<lang>.html`` (a page's search box goes to its own
  language's, so a German article is searched with German stemming).
- ``search.js`` (static/) runs the query on the search page.

Pagefind's output is deterministic: the same pages give the same bytes. Its bundled
user interfaces are not copied (the search page is healthinfo's own, in the site's
design and words).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from .._base import ExportError

__all__ = ["SEARCH_SCRIPT", "search_bundle", "search_page_name"]

#: The search page's script, written beside the search pages.
SEARCH_SCRIPT = "search.js"

#: What the indexer leaves out of an article page: its head's dates and publisher,
#: its glossary, its sources, the skip link, the site's header and footer.
_EXCLUDED = ".meta, .glossary, .references, .site-header, .site-footer, .breadcrumb, .skip-link"

#: Pagefind's ready-made user interfaces: the search page does not use them.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


def search_page_name(lang: str, site_lang: str) -> str:
    """The search page of the pages in ``lang``."""
    if lang.casefold() == site_lang.casefold():
        return "search.html"
    return f"search-{lang.lower()}.html"


def script() -> bytes:
    """``search.js``."""
    return resources.files(__package__).joinpath("static", SEARCH_SCRIPT).read_bytes()


def _indexer() -> str:
    """The Pagefind binary (``PAGEFIND_BINARY_PATH`` overrides the packaged one)."""
    try:
        from pagefind.service import get_executable

        found = get_executable()
    except ImportError:
        found = None
    if found is None or not Path(found).is_file():
        raise ExportError(
            "the site's search index needs Pagefind's indexer, which is not installed: "
            "pip install 'pagefind[bin]' (a dependency of healthinfo), or set PAGEFIND_BINARY_PATH"
        )
    return str(found)


def search_bundle(pages: Mapping[str, bytes]) -> dict[str, bytes]:
    """The search index of the article pages among ``pages`` (path relative to the
    site's folder -> bytes): the files of ``pagefind/`` (path -> bytes); {} when
    there is no article page."""
    articles = {name: data for name, data in pages.items() if name.startswith("articles/") and name.endswith(".html")}
    if not articles:
        return {}
    indexer = _indexer()
    with tempfile.TemporaryDirectory(prefix="healthinfo-search-") as folder:
        site = Path(folder) / "site"
        for name, data in sorted(articles.items()):
            path = site / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        done = subprocess.run(
            [indexer, "--site", str(site), "--output-subdir", "pagefind", "--exclude-selectors", _EXCLUDED, "--silent"],
            capture_output=True, text=True, timeout=1800, check=False,
        )
        if done.returncode != 0:
            raise ExportError(f"Pagefind could not index the site (exit {done.returncode}): "
                              f"{(done.stderr or done.stdout).strip()[-2000:]}")
        bundle = site / "pagefind"
        files = {
            f"pagefind/{path.relative_to(bundle).as_posix()}": path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and not path.name.startswith(_UNUSED)
        }
    if _ENTRY in files:
        files[_ENTRY] = _in_order(files[_ENTRY])
    return files


#: The index's entry file: its version and its languages.
_ENTRY = "pagefind/pagefind-entry.json"


def _in_order(entry: bytes) -> bytes:
    """The entry file with its languages in the order of their tags: Pagefind lists
    them in the order of a hash map, which changes from run to run (a site in two
    languages would not be the same bytes twice). Readers look a language up by its
    tag, so the order means nothing."""
    data = json.loads(entry)
    if isinstance(data, dict) and isinstance(data.get("languages"), dict):
        data["languages"] = dict(sorted(data["languages"].items()))
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
