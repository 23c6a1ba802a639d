"""``healthinfo serve``: the site of a corpus, built into a temporary folder, served on
this machine, rebuilt as the corpus is edited, and reloaded in the browser.

- The site is built with the build's planner (``healthinfo.build`` of html with the
  site, incremental): an edit rebuilds what it changed, nothing else.
- The corpus is watched with watchfiles (file-system notifications; editors' swap
  and backup files are ignored); a burst of saves is one rebuild.
- The pages are served by the standard library's threading HTTP server. Each HTML page
  gets a small script (only here, never in a build) that listens to the server's
  events (Server-Sent Events: plain HTTP, which the browser reconnects by itself) and
  reloads the page when a rebuild is done. The standard library is enough for this;
  livereload would bring Tornado, and starlette with uvicorn an ASGI stack, for the
  same two endpoints.
- While the corpus has problems, every page is a page that lists them (file:line:
  what to fix); the server keeps running, and fixing the file brings the pages back.
- Ctrl-C (or SIGTERM) stops the watcher and the server and removes the temporary folder.

docs/cli.md ("healthinfo serve") describes it for authors.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import signal
import socketserver
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ._errors import CorpusError, HealthinfoError, Problem

__all__ = ["EVENTS", "RELOAD_SCRIPT", "Preview", "problems_page", "stop_on_sigterm"]

#: The server's stream of rebuild events (text/event-stream): each is the number of
#: the build the pages now show.
EVENTS = "/__healthinfo__/events"
#: The script each served HTML page gets.
RELOAD_SCRIPT = "/__healthinfo__/reload.js"

_SCRIPT = b"""// healthinfo serve: reloads this page when the site was built again.
(() => {
  "use strict";
  const shown = document.currentScript.dataset.build;
  const events = new EventSource("/__healthinfo__/events");
  events.onmessage = event => { if (event.data !== shown) location.reload(); };
})();
"""

#: How long an event stream waits for a rebuild before it sends a comment (so that a
#: closed connection is noticed).
_KEEPALIVE = 10.0


@dataclass
class _State:
    """What the server shows: the number of the last build, its problems."""

    build: int = 0
    problems: list[str] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False


class Preview:
    """The preview of one corpus: :meth:`rebuild`, :meth:`watch`, :meth:`serve`."""

    def __init__(self, corpus: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 say: Callable[[str], None] = print) -> None:
        self.corpus = corpus
        self.state = _State()
        self.say = say
        self.server = _Server((host, port), _handler(self))  # an OSError here leaves nothing behind
        self.folder = Path(tempfile.mkdtemp(prefix="healthinfo-serve-"))
        self._serving = False

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def site(self) -> Path:
        return self.folder / "site"

    def rebuild(self) -> list[str]:
        """Builds the site again (what changed); the problems found, as lines."""
        from ._build import build

        try:
            report = build(self.corpus, self.folder, ["html"], site=True, jobs=1)
        except CorpusError as error:
            problems = [str(problem) for problem in error.problems]
        except HealthinfoError as error:
            problems = [str(Problem(str(self.corpus), None, str(error)))]
        else:
            problems = [str(p) for p in report.problems] + [f"failed: {f}" for f in report.failed if not f.problems]
        with self.state.condition:
            self.state.build += 1
            self.state.problems = problems
            self.state.condition.notify_all()
        return problems

    def watch(self, stop: threading.Event) -> None:
        """Rebuilds after each burst of changes to the corpus, until ``stop`` is set."""
        import watchfiles

        for changes in watchfiles.watch(self.corpus, stop_event=stop, debounce=400, step=50, raise_interrupt=False):
            names = sorted({Path(path).name for _, path in changes})
            problems = self.rebuild()
            if problems:
                self.say(f"changed {', '.join(names)}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
                for line in problems:
                    self.say(f"  {line}")
            else:
                self.say(f"changed {', '.join(names)}: rebuilt")

    def serve(self, ready: Callable[[], None] | None = None) -> None:
        """Serves until Ctrl-C (KeyboardInterrupt), then stops cleanly; ``ready`` is
        called once the server and the watcher run."""
        stop = threading.Event()
        watcher = threading.Thread(target=self.watch, args=(stop,), name="healthinfo-watch", daemon=True)
        try:
            watcher.start()
            serving = self.start()
            if ready is not None:
                ready()
            while serving.is_alive():
                serving.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            self.close()
            watcher.join(5)

    def start(self) -> threading.Thread:
        """Starts serving the pages in a thread (without watching the corpus); the
        thread. :meth:`close` stops it."""
        serving = threading.Thread(target=self.server.serve_forever, name="healthinfo-serve", daemon=True)
        serving.start()
        self._serving = True
        return serving

    def close(self) -> None:
        """Stops the server and the event streams, removes the temporary folder."""
        with self.state.condition:
            self.state.stopping = True
            self.state.condition.notify_all()
        if self._serving:  # shutdown() waits for serve_forever(), which must have started
            self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)



def problems_page(corpus: Path, problems: Sequence[str]) -> bytes:
    """The page every address shows while the corpus has problems."""
    from .exporters.html.options import Options
    from .exporters.html.pages import page
    from .exporters.html.templates import load_templates

    t = load_templates(Options())
    content = Markup(t.get("preview-problems.j2").render(problems=list(problems), corpus=str(corpus)))
    return page(t, lang="en", title=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} – healthinfo serve",
                description=None, canonical=None, jsonld={}, content=content, page_size="A4", site=None,
                publisher=None, rights=None, license=None, kind="preview-problems", robots="noindex")


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True  # an open event stream does not keep the process alive
    allow_reuse_address = True


def _handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(preview.site), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows the rebuilds, not every request

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == EVENTS:
                self._events()
                return
            if path == RELOAD_SCRIPT:
                self._send(200, "text/javascript; charset=utf-8", _SCRIPT)
                return
            with preview.state.condition:
                build, problems = preview.state.build, list(preview.state.problems)
            target = Path(self.translate_path(path))
            if target.is_dir():
                target = target / "index.html"
            if problems and (target.suffix == ".html" or not target.exists()):
                self._send(200, "text/html; charset=utf-8", _with_script(problems_page(preview.corpus, problems), build))
            elif target.suffix == ".html" and target.is_file():
                self._send(200, "text/html; charset=utf-8", _with_script(target.read_bytes(), build))
            elif not target.exists() and (preview.site / "404.html").is_file():
                self._send(404, "text/html; charset=utf-8", _with_script((preview.site / "404.html").read_bytes(), build))
            else:
                super().do_GET()

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            state = preview.state
            shown = -1
            with contextlib.suppress(OSError):
                while True:
                    with state.condition:
                        state.condition.wait_for(functools.partial(_news, state, shown), timeout=_KEEPALIVE)
                        if state.stopping:
                            return
                        build = state.build
                    message = f"data: {build}\n\n" if build != shown else ": still here\n\n"
                    shown = build
                    self.wfile.write(message.encode())
                    self.wfile.flush()

    return Handler


def stop_on_sigterm() -> None:
    """Makes SIGTERM (``kill``, a process manager) stop the preview as Ctrl-C does
    (for the command line; a library caller decides its own signals)."""
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _news(state: _State, shown: int) -> bool:
    """Whether an event stream that showed build ``shown`` has something to send."""
    return state.build != shown or state.stopping


def _with_script(page: bytes, build: int) -> bytes:
    """The page with the reload script, which knows the build it shows."""
    tag = f'<script src="{RELOAD_SCRIPT}" data-build="{build}"></script>\n'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag
