"""citeproc-js, the reference implementation of CSL (npm ``citeproc``, the processor of
Zotero and Mendeley), run inside this Python process in an embedded V8 (PyPI
``mini-racer``): no Node.js program is needed to format references.

The script is the npm package's own file, installed by ``npm ci`` in
``healthinfo/csl/js`` (its package-lock.json pins the version and its hash; it is
CPAL-1.0 OR AGPL-1.0, docs/dependencies.md). One V8 context per thread; in it one
``CSL.Engine`` per style and locale, kept for the next article.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .._errors import HealthinfoError
from .styles import StyleError, locale_xml

__all__ = ["CiteprocMissing", "Clusters", "Rendered", "citeproc_script", "render_bibliography", "render_citations"]

_JS_FOLDER = Path(__file__).with_name("js")
#: Where ``npm ci`` puts the processor; HEALTHINFO_CITEPROC_JS names another copy.
_SCRIPT = _JS_FOLDER / "node_modules" / "citeproc" / "citeproc_commonjs.js"


class CiteprocMissing(HealthinfoError):
    """citeproc-js is not installed (``npm ci`` in healthinfo/csl/js has not run)."""


def citeproc_script() -> Path:
    """The citeproc-js file this process uses."""
    named = os.environ.get("HEALTHINFO_CITEPROC_JS")
    path = Path(named) if named else _SCRIPT
    if not path.is_file():
        raise CiteprocMissing(
            f"citeproc-js, the CSL processor that formats references, is not installed ({path} is missing): "
            f"run `npm ci --ignore-scripts --prefix {_JS_FOLDER.as_posix()}` "
            "(the README's set-up does), or set HEALTHINFO_CITEPROC_JS to its citeproc_commonjs.js"
        )
    return path


# The glue between Python and citeproc-js: the sys object the engine asks for items and
# locales, and one function that formats a list of items.
_GLUE = r"""
var HEALTHINFO = {locales: {}, items: {}, engines: {}};
var healthinfoSys = {
  retrieveLocale: function (id) { return HEALTHINFO.locales[id] || false; },
  retrieveItem: function (id) { return HEALTHINFO.items[id]; }
};
function healthinfoAddLocale(id, xml) { HEALTHINFO.locales[id] = xml; return true; }
// In-text citations: the clusters of one article, in text order, twice: as the style
// writes them, and with each source's piece between marks (citeproc-js's citation
// wrapper, which needs the item's system_id and leaves out the layout's prefix and
// suffix); the source of a citation-number piece is the item of that number, the
// numbers being the order of the engine's bibliography.
var healthinfoCiteSys = {
  retrieveLocale: healthinfoSys.retrieveLocale,
  retrieveItem: function (id) {
    var item = HEALTHINFO.items[id], copy = {};
    for (var k in item) { copy[k] = item[k]; }
    copy.system_id = id;
    return copy;
  },
  wrapCitationEntry: function (str, id) { return "\u0001" + (id === undefined ? "" : id) + "\u0002" + str + "\u0003"; }
};
function healthinfoCitations(key, style, locale, itemsJson, clustersJson) {
  var items = JSON.parse(itemsJson), clusters = JSON.parse(clustersJson);
  HEALTHINFO.items = {};
  for (var i = 0; i < items.length; i++) { HEALTHINFO.items[items[i].id] = items[i]; }
  var citations = [];
  for (var c = 0; c < clusters.length; c++) {
    var cited = [];
    for (var j = 0; j < clusters[c].length; j++) { cited.push({id: clusters[c][j]}); }
    citations.push({citationID: "c" + c, citationItems: cited, properties: {noteIndex: 0}});
  }
  var out = {};
  var modes = [["plain", healthinfoSys, false], ["marked", healthinfoCiteSys, true]];
  for (var m = 0; m < modes.length; m++) {
    var name = key + ":" + modes[m][0];
    var engine = HEALTHINFO.engines[name];
    if (!engine) {
      engine = new CSL.Engine(modes[m][1], style, locale, true);
      engine.setOutputFormat("html");
      engine.opt.development_extensions.apply_citation_wrapper = modes[m][2];
      HEALTHINFO.engines[name] = engine;
    }
    var result = engine.rebuildProcessorState(citations, "html", []);
    var texts = [];
    for (var r = 0; r < result.length; r++) { texts.push(result[r][2]); }
    out[modes[m][0]] = texts;
    if (modes[m][2]) {
      var numbered = engine.makeBibliography(), order = [];
      if (numbered) { for (var n = 0; n < numbered[0].entry_ids.length; n++) { order.push(String(numbered[0].entry_ids[n][0])); } }
      out.numbered = order;
    }
  }
  return JSON.stringify(out);
}
function healthinfoBibliography(key, style, locale, itemsJson) {
  var items = JSON.parse(itemsJson);
  HEALTHINFO.items = {};
  var ids = [];
  for (var i = 0; i < items.length; i++) { HEALTHINFO.items[items[i].id] = items[i]; ids.push(items[i].id); }
  var engine = HEALTHINFO.engines[key];
  if (!engine) {
    engine = new CSL.Engine(healthinfoSys, style, locale, true);
    engine.setOutputFormat("html");
    engine.opt.development_extensions.wrap_url_and_doi = true;
    HEALTHINFO.engines[key] = engine;
  }
  engine.updateItems(ids);
  var result = engine.makeBibliography();
  if (!result) { return JSON.stringify({entries: [], ids: [], errors: []}); }
  var ordered = [];
  for (var j = 0; j < result[0].entry_ids.length; j++) { ordered.push(String(result[0].entry_ids[j][0])); }
  return JSON.stringify({entries: result[1], ids: ordered, errors: result[0].bibliography_errors});
}
"""


class _Context(threading.local):
    def __init__(self) -> None:
        self.racer: Any = None
        self.locales: set[str] = set()


_CONTEXT = _Context()

#: Every V8 context this process made (one per thread), closed when the interpreter
#: exits: a context still open then makes the exit hang, now and then, in mini-racer's
#: teardown (a script that started citeproc-js hung at its end in 6 of 10 runs).
_OPEN: list[Any] = []
_OPEN_LOCK = threading.Lock()


def _close_all() -> None:
    with _OPEN_LOCK:
        while _OPEN:
            _OPEN.pop().close()


def _racer() -> Any:
    if _CONTEXT.racer is None:
        from py_mini_racer import MiniRacer

        script = citeproc_script().read_text(encoding="utf-8")
        racer = MiniRacer()
        with _OPEN_LOCK:
            if not _OPEN:
                atexit.register(_close_all)
            _OPEN.append(racer)
        racer.eval("var module = {exports: {}}; var exports = module.exports;")
        racer.eval(script)
        racer.eval("var CSL = module.exports;")
        racer.eval(_GLUE)
        _CONTEXT.racer = racer
    return _CONTEXT.racer


def _add_locale(racer: Any, locale: str) -> None:
    for needed in (locale, "en-US"):  # en-US: CSL's last fallback for terms
        if needed not in _CONTEXT.locales:
            racer.call("healthinfoAddLocale", needed, locale_xml(needed))
            _CONTEXT.locales.add(needed)


def _call(function: str, what: str, style: str, locale: str, *data: str) -> Any:
    """The JSON result of the glue's ``function`` for ``style`` and ``locale``; an error
    of citeproc-js is a StyleError saying it cannot format ``what``."""
    from py_mini_racer import JSEvalException

    racer = _racer()
    _add_locale(racer, locale)
    key = hashlib.sha256(style.encode("utf-8")).hexdigest() + ":" + locale
    try:
        raw = racer.call(function, key, style, locale, *data)
    except JSEvalException as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StyleError(f"citeproc-js cannot format the {what} with this style: {message}") from None
    return json.loads(raw)


class Rendered:
    """A bibliography as citeproc-js wrote it: one HTML entry per item id."""

    __slots__ = ("entries", "errors")

    def __init__(self, entries: Mapping[str, str], errors: Sequence[Any]) -> None:
        #: in the order of the style's bibliography (its sort, else the items' order)
        self.entries = dict(entries)
        self.errors = list(errors)

    @property
    def order(self) -> tuple[str, ...]:
        """The item ids in the order the style lists them."""
        return tuple(self.entries)


def render_bibliography(style: str, locale: str, items: Sequence[Mapping[str, Any]]) -> Rendered:
    """The bibliography of ``items`` (CSL-JSON objects with unique ids) in the CSL
    ``style`` (its XML) and ``locale`` (a CSL locale id), as citeproc-js's HTML, in the
    style's order (registered in the order given: citation-number follows it)."""
    result = _call("healthinfoBibliography", "references", style, locale, json.dumps(list(items), ensure_ascii=False))
    entries = {item_id: html for item_id, html in zip(result["ids"], result["entries"], strict=True)}
    return Rendered(entries, result["errors"])


class Clusters:
    """An article's in-text citations as citeproc-js wrote them: each cluster as the
    style writes it (``plain``) and with each source's piece between the marks U+0001
    (then the item's id, empty for a citation number), U+0002 and U+0003 (``marked``);
    ``numbered``: the item ids in the order of their citation numbers."""

    __slots__ = ("marked", "numbered", "plain")

    def __init__(self, plain: Sequence[str], marked: Sequence[str], numbered: Sequence[str]) -> None:
        self.plain = list(plain)
        self.marked = list(marked)
        self.numbered = list(numbered)


def render_citations(
    style: str, locale: str, items: Sequence[Mapping[str, Any]], clusters: Sequence[Sequence[str]]
) -> Clusters:
    """The in-text citations ``clusters`` (each the ids of the items one citation cites,
    in text order) of ``items`` in the CSL ``style`` and ``locale``, as citeproc-js's
    HTML (its positions, disambiguation and citation numbers: the order first cited)."""
    result = _call("healthinfoCitations", "citations", style, locale, json.dumps(list(items), ensure_ascii=False),
                   json.dumps([list(cluster) for cluster in clusters]))
    return Clusters(result["plain"], result["marked"], result["numbered"])
