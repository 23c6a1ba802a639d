"""What decides that an output is unchanged, besides its corpus files: a fingerprint
of everything the output of a format (or a corpus-level target) depends on.

That is the code that runs when a worker loads a document and renders it: the
exporter's package and every module of healthinfo it imports, transitively (found by
reading the ``import`` statements with :mod:`ast`, so nothing is executed; imports
under ``if TYPE_CHECKING:`` do not run and are not followed), with every package it
reaches: the templates, stylesheets and other files in that package's folder. The
content model (``schema/``) and the loader (``loader/``) are always in, as workers
load the content themselves; and the healthinfo version. (Not the libraries'
versions: finding the distribution of each imported module would cost more than a
no-change rebuild. After upgrading python-docx or EbookLib, build with ``--force``.)

A changed template of the HTML exporter so changes the fingerprint of html, epub
(which renders through the HTML writer) and the site, not that of jats or docx.

Files named by an option (the HTML exporter's ``template_dir``) are the user's, not
the package's: :func:`option_files` hashes their names and bytes on every build.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .._version import __version__

__all__ = ["PACKAGE", "FingerprintCache", "code_files", "code_fingerprint", "option_files"]

#: The folder of the healthinfo package (a parameter of every function below, so that
#: a test can change a copy of the package).
PACKAGE = Path(__file__).resolve().parent.parent

#: Packages every format depends on, whatever it imports: the workers load the
#: content with them.
ALWAYS = ("schema", "loader")


@functools.cache
def _module_file(name: str, root: Path) -> Path | None:
    """The source file of module ``name``: inside ``root`` by its path, elsewhere (an
    exporter registered from outside healthinfo) where Python finds it."""
    parts = name.split(".")
    if parts[0] == root.name:
        base = root.parent.joinpath(*parts)
        for candidate in (base / "__init__.py", base.with_suffix(".py")):
            if candidate.is_file():
                return candidate
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    origin = spec.origin if spec is not None else None
    return Path(origin) if origin and origin.endswith(".py") else None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_statements(source: str) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of a module that run, also those inside functions (lazy
    imports), but not those under ``if TYPE_CHECKING:``."""
    todo: list[ast.AST] = [ast.parse(source)]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))


def _imported_names(module: str, file: Path, source: str) -> Iterator[str]:
    """The absolute names of the modules ``module`` may import (a name imported from a
    package may be a submodule: both are returned, only existing files count)."""
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    for node in _import_statements(source):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, *([base] if base else [])])
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def _with_parents(name: str) -> list[str]:
    """Importing ``a.b.c`` runs ``a`` and ``a.b`` first."""
    parts = name.split(".")
    return [".".join(parts[: n + 1]) for n in range(len(parts))]


@functools.cache
def _file_imports(module: str, file: Path) -> list[str]:
    """The modules (with their parent packages) the file of ``module`` imports; each
    file is parsed once per process."""
    source = file.read_text(encoding="utf-8")
    return [parent for imported in _imported_names(module, file, source) for parent in _with_parents(imported)]


def _walk_modules(start: list[str], root: Path) -> dict[str, Path]:
    """The modules reached from ``start`` (name -> file): healthinfo's transitively,
    a start module from outside healthinfo (an exporter registered by a user) itself."""
    reached: dict[str, Path] = {}
    queue = [parent for name in start for parent in _with_parents(name)]
    while queue:
        name = queue.pop()
        if name in reached or not name or (name.split(".")[0] != root.name and name not in start):
            continue
        file = _module_file(name, root)
        if file is not None:
            reached[name] = file
            queue += _file_imports(name, file)
    return reached


def _folder_files(folder: Path) -> Iterator[Path]:
    """The files of a package folder that are not modules (templates, stylesheets),
    also in its subfolders that are not packages themselves."""
    for path in sorted(folder.iterdir()):
        if path.is_dir():
            if path.name != "__pycache__" and not (path / "__init__.py").is_file():
                yield from (p for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
        elif path.suffix not in (".py", ".pyc"):
            yield path


def _start_modules(module: str, root: Path) -> list[str]:
    """``module``, the version, and every module of the packages of :data:`ALWAYS`."""
    names = [module, f"{root.name}._version"]
    for package in ALWAYS:
        for file in sorted((root / package).rglob("*.py")):
            parts = file.relative_to(root.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def code_files(module: str, root: Path = PACKAGE) -> list[Path]:
    """Every file the output made by ``module`` (an exporter's or a target's package,
    e.g. ``healthinfo.exporters.docx``) depends on, sorted."""
    files = set(_walk_modules(_start_modules(module, root), root).values())
    for file in list(files):
        if file.name == "__init__.py" and file.is_relative_to(root):
            files.update(_folder_files(file.parent))
    return sorted(files)


@functools.cache
def code_fingerprint(module: str, root: Path = PACKAGE) -> str:
    """SHA-256 over the version and every file of
    :func:`code_files` (names relative to the package's parent folder, and bytes).
    Kept per process: code does not change while it runs."""
    digest = hashlib.sha256(__version__.encode())
    for file in code_files(module, root):
        name = file.relative_to(root.parent) if file.is_relative_to(root.parent) else Path(file.name)
        digest.update(name.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def option_files(options: BaseModel) -> str:
    """SHA-256 over the files that options name (each ``Path`` value: a folder's file
    names and bytes, or a file's bytes); "" when none does. Read on every build: the
    user may change them at any time."""
    digest = hashlib.sha256()
    named = False
    for field in sorted(type(options).model_fields):
        value = getattr(options, field)
        if not isinstance(value, Path):
            continue
        named = True
        files = sorted(p for p in value.rglob("*") if p.is_file()) if value.is_dir() else [value]
        digest.update(field.encode() + b"\0")
        for file in files:
            digest.update(file.relative_to(value).as_posix().encode() + b"\0" if file != value else b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest() if named else ""


def _stats(files: list[Path], root: Path) -> list[list[Any]]:
    """Size and modification time of each file and of each folder holding one (a file
    added to a template folder changes the folder's time)."""
    paths = sorted({*files, *(file.parent for file in files)})
    out: list[list[Any]] = []
    for path in paths:
        stat = path.stat()
        out.append([str(path), stat.st_size if path.is_file() else 0, stat.st_mtime_ns])
    return out


class FingerprintCache:
    """Code fingerprints kept between builds in a small JSON file of the output folder
    (``OUT/.healthinfo-cache/code.json``): a fingerprint is taken from the file while
    every file it covers, and every folder holding one, has the size and modification
    time recorded with it; otherwise it is computed again (and recorded). Reading the
    imports and hashing the files of every format costs a fifth of a second, a stat of
    each file well under a millisecond: the difference matters for a one-change
    rebuild. A damaged or foreign cache file is ignored."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.changed = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == __version__ and isinstance(data.get("modules"), dict):
            self.entries = data["modules"]

    def fingerprint(self, module: str, root: Path = PACKAGE) -> str:
        key = f"{root}:{module}"
        entry = self.entries.get(key)
        if isinstance(entry, dict) and isinstance(entry.get("stats"), list):
            try:
                if _stats([Path(p) for p, _, _ in entry["stats"] if Path(p).is_file()], root) == entry["stats"]:
                    return str(entry["fingerprint"])
            except (OSError, TypeError, ValueError):
                pass
        fingerprint = code_fingerprint(module, root)
        self.entries[key] = {"fingerprint": fingerprint, "stats": _stats(code_files(module, root), root)}
        self.changed = True
        return fingerprint

    def save(self) -> None:
        """Write the cache when it changed (atomically; a cache that cannot be written
        only costs the next build the fifth of a second)."""
        if not self.changed:
            return
        from .write import write_atomic

        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps({"version": __version__, "modules": self.entries}, sort_keys=True).encode())
