"""Type for the generated cover images: the shipped fonts, their character maps, and
lines of text measured, wrapped and fitted into a box.

The cover is drawn with DejaVu Sans and DejaVu Sans Bold (version 2.37, shipped
unmodified in ``exporters/fonts/`` with their licence; docs/dependencies.md), never a
font of the system, so that the same Pillow draws the same pixels on every machine.
Pillow's own bundled font (``ImageFont.load_default``) has no glyph for ä, ö, ü, ß or
„: it cannot set a German title.

Left-to-right text is laid out with Pillow's basic layout engine, which does not depend
on anything outside Pillow's wheel. Text with right-to-left characters needs
bidirectional reordering and shaping (Unicode UAX #9; Arabic joining): only libraqm does
that, and Pillow loads its FriBiDi part from the system when it is there
(``features.check("raqm")``). Without it such text is left out and reported, never
drawn in the wrong order.
"""

from __future__ import annotations

import functools
import struct
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from typing import Final, Literal

from PIL import ImageFont, features

__all__ = [
    "ELLIPSIS",
    "Fitted",
    "FontName",
    "TextSpec",
    "base_direction",
    "can_shape",
    "character_map",
    "fit_text",
    "font",
    "font_bytes",
    "measure_for",
    "missing_characters",
    "needs_bidi",
]

FontName = Literal["regular", "bold"]

_FONT_FILES: Final[dict[FontName, str]] = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}

ELLIPSIS: Final = "…"

#: Bidi classes of the characters that make text right to left (UAX #9: R, AL).
_RTL_CLASSES: Final = frozenset({"R", "AL"})


@functools.cache
def font_bytes(name: FontName) -> bytes:
    """The bytes of one shipped font file."""
    return resources.files(__package__).joinpath("fonts", _FONT_FILES[name]).read_bytes()


def can_shape() -> bool:
    """Whether Pillow can lay out right-to-left text here (libraqm with FriBiDi)."""
    return bool(features.check("raqm"))


@functools.lru_cache(maxsize=64)
def font(name: FontName, size: int, shaped: bool = False) -> ImageFont.FreeTypeFont:
    """A shipped font at ``size`` pixels: basic layout, or libraqm's when ``shaped``."""
    engine = ImageFont.Layout.RAQM if shaped else ImageFont.Layout.BASIC
    return ImageFont.truetype(BytesIO(font_bytes(name)), max(1, size), layout_engine=engine)


def _cmap_format_12(data: bytes, offset: int) -> frozenset[int]:
    (groups,) = struct.unpack_from(">I", data, offset + 12)
    chars: set[int] = set()
    for index in range(groups):
        first, last, _glyph = struct.unpack_from(">III", data, offset + 16 + 12 * index)
        chars.update(range(first, last + 1))
    return frozenset(chars)


def _cmap_format_4(data: bytes, offset: int) -> frozenset[int]:
    (doubled,) = struct.unpack_from(">H", data, offset + 6)
    count = doubled // 2
    ends = struct.unpack_from(f">{count}H", data, offset + 14)
    starts = struct.unpack_from(f">{count}H", data, offset + 16 + doubled)
    deltas = struct.unpack_from(f">{count}h", data, offset + 16 + 2 * doubled)
    ranges_at = offset + 16 + 3 * doubled
    range_offsets = struct.unpack_from(f">{count}H", data, ranges_at)
    chars: set[int] = set()
    for k in range(count):
        for char in range(starts[k], ends[k] + 1):
            if range_offsets[k] == 0:
                glyph = (char + deltas[k]) & 0xFFFF
            else:
                at = ranges_at + 2 * k + range_offsets[k] + 2 * (char - starts[k])
                (glyph,) = struct.unpack_from(">H", data, at)
            if glyph and char != 0xFFFF:
                chars.add(char)
    return frozenset(chars)


@functools.cache
def character_map(name: FontName) -> frozenset[int]:
    """The code points a shipped font has a glyph for, read from its ``cmap`` table
    (OpenType spec, "cmap — Character to Glyph Index Mapping Table"): Pillow has no
    way to ask, and FreeType draws a missing character as the .notdef box."""
    data = font_bytes(name)
    (tables,) = struct.unpack_from(">H", data, 4)
    directory = {}
    for index in range(tables):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        directory[tag] = offset
    base = directory[b"cmap"]
    (subtables,) = struct.unpack_from(">H", data, base + 2)
    found: dict[tuple[int, int], int] = {}
    for index in range(subtables):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * index)
        found[(platform, encoding)] = base + offset
    if (3, 10) in found:  # Windows, full Unicode: format 12
        return _cmap_format_12(data, found[(3, 10)])
    return _cmap_format_4(data, found[(3, 1)])  # Windows, Unicode BMP: format 4


def missing_characters(text: str, name: FontName) -> list[str]:
    """The characters of ``text`` the font cannot draw, each once, in order (spaces and
    invisible format characters aside)."""
    known = character_map(name)
    missing: list[str] = []
    for char in text:
        if char.isspace() or unicodedata.category(char) == "Cf" or ord(char) in known:
            continue
        if char not in missing:
            missing.append(char)
    return missing


def needs_bidi(text: str) -> bool:
    """Whether ``text`` has right-to-left characters (bidi class R or AL)."""
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)


def base_direction(text: str) -> Literal["ltr", "rtl"]:
    """The direction of the first strong character (UAX #9, rules P2 and P3)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


# ---------------------------------------------------------------- fitting text


@dataclass(frozen=True)
class TextSpec:
    """How one text of the cover is set: font, sizes it may take, lines it may fill."""

    font: FontName
    #: The size it is set in when it fits, in pixels.
    size: int
    #: The smallest size before the text is shortened.
    min_size: int
    #: Line height as a multiple of the size.
    leading: float
    max_lines: int
    #: Extra space between letters, as a multiple of the size (a tracked kicker).
    tracking: float = 0.0
    #: A text is first tried in at most this many lines, down to ``compact_size``: a
    #: title in four lines of 110 px reads better than in six of 150.
    preferred_lines: int | None = None
    compact_size: int = 0


@dataclass(frozen=True)
class Fitted:
    """A text wrapped into lines at a size, ready to draw."""

    lines: tuple[str, ...]
    size: int
    line_height: int
    #: Whether it was shortened (with an ellipsis) to fit.
    shortened: bool
    #: "rtl"/"ltr" when drawn with libraqm; None with the basic layout.
    direction: Literal["ltr", "rtl"] | None

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)


Measure = Callable[[str], float]


def measure_for(spec: TextSpec, size: int, direction: Literal["ltr", "rtl"] | None) -> Measure:
    """The width function of a text set by ``spec`` at ``size``."""
    face = font(spec.font, size, shaped=direction is not None)
    extra = spec.tracking * size
    if extra and direction is None:
        return lambda text: sum(float(face.getlength(char)) for char in text) + extra * max(0, len(text) - 1)

    def ink_width(text: str) -> float:
        # The advance, or the ink where it reaches further (a glyph's overhang).
        left, _top, right, _bottom = face.getbbox(text, anchor="ls", direction=direction)
        return max(float(face.getlength(text, direction=direction)), float(right)) - min(0.0, float(left))

    return ink_width


def _greedy(words: Sequence[str], measure: Measure, width: float) -> list[str] | None:
    """Words into lines no wider than ``width``; None when one word alone is wider."""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if measure(word) > width:
            return None
        lines.append(current)
        current = word
    lines.append(current)
    return lines


def _balanced(words: Sequence[str], measure: Measure, width: float) -> list[str] | None:
    """Greedy lines made even: the narrowest width that still needs no more lines, so
    that a title does not end on one short word (what a typesetter does by hand)."""
    lines = _greedy(words, measure, width)
    if lines is None or len(lines) == 1:
        return lines
    low, high = max(measure(word) for word in words), width
    while high - low > 1:
        middle = (low + high) / 2
        trial = _greedy(words, measure, middle)
        if trial is not None and len(trial) <= len(lines):
            high = middle
        else:
            low = middle
    return _greedy(words, measure, high)


def _broken(words: Sequence[str], measure: Measure, width: float) -> list[str]:
    """Lines of words where a word wider than the line is cut with a hyphen (the last
    resort, at the smallest size)."""
    pieces: list[str] = []
    for word in words:
        while measure(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut] + "-") > width:
                cut -= 1
            pieces.append(word[:cut] + "-")
            word = word[cut:]
        pieces.append(word)
    lines: list[str] = []
    for piece in pieces:
        if lines and not lines[-1].endswith("-") and measure(f"{lines[-1]} {piece}") <= width:
            lines[-1] = f"{lines[-1]} {piece}"
        elif lines and lines[-1].endswith("-") and measure(lines[-1][:-1] + piece) <= width:
            lines[-1] = lines[-1][:-1] + piece
        else:
            lines.append(piece)
    return lines


def _shortened(lines: list[str], keep: int, measure: Measure, width: float) -> list[str]:
    """The first ``keep`` lines, the last ending in an ellipsis that fits."""
    kept = lines[:keep]
    last = kept[-1].rstrip("-")
    while last and measure(last + ELLIPSIS) > width:
        last = last[:-1].rstrip()
    kept[-1] = last.rstrip(" ,;:.-") + ELLIPSIS
    return kept


#: Marks that may not begin a line: a dash standing alone stays with the word before it
#: (German and French set "müssen – für"; a line that begins with the dash reads as a
#: list item).
_NO_LINE_START: Final = frozenset({"–", "—", ":", ";", "!", "?", "»", "“"})


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in text.split(" "):
        if words and word in _NO_LINE_START:
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    return words


#: How much smaller a text may be set to avoid a lone short word on its last line.
_WIDOW_SHRINK: Final = 0.85


def _widowed(lines: Sequence[str], measure: Measure) -> bool:
    """Whether the last of several lines is one short word (under 40 % of the longest
    line): what a typesetter avoids by setting the text a little smaller."""
    if len(lines) < 2 or " " in lines[-1]:
        return False
    return measure(lines[-1]) < 0.4 * max(measure(line) for line in lines)


def _sizes(spec: TextSpec) -> list[int]:
    """The sizes tried, largest first: each 6 % smaller than the last."""
    sizes = [spec.size]
    while sizes[-1] > spec.min_size:
        sizes.append(max(spec.min_size, int(sizes[-1] * 0.94)))
    return sizes


def fit_text(text: str, spec: TextSpec, width: int, max_height: int, shaped: bool) -> Fitted:
    """``text`` wrapped into ``width`` and at most ``max_height``: at the largest size
    of ``spec`` that fits (in ``preferred_lines`` down to ``compact_size`` first), down
    to ``spec.min_size``; below that, words cut and the text shortened."""
    words = _words(text)
    direction = base_direction(text) if shaped else None
    passes: list[tuple[int, int]] = []  # (the most lines, the smallest size)
    if spec.preferred_lines is not None:
        passes.append((spec.preferred_lines, spec.compact_size))
    passes.append((spec.max_lines, spec.min_size))
    for most_lines, smallest in passes:
        found: Fitted | None = None
        for size in _sizes(spec):
            if size < smallest or (found is not None and size < found.size * _WIDOW_SHRINK):
                break
            line_height = round(spec.leading * size)
            max_lines = max(1, min(most_lines, max_height // max(1, line_height)))
            measure = measure_for(spec, size, direction)
            lines = _balanced(words, measure, width)
            if lines is None or len(lines) > max_lines:
                continue
            fitted = Fitted(tuple(lines), size, line_height, False, direction)
            if not _widowed(lines, measure):
                return fitted
            found = found or fitted  # kept, unless a little smaller has no lone last word
        if found is not None:
            return found
    size = spec.min_size
    line_height = round(spec.leading * size)
    max_lines = max(1, min(spec.max_lines, max_height // max(1, line_height)))
    measure = measure_for(spec, size, direction)
    lines = _broken(words, measure, width)
    if len(lines) <= max_lines:
        return Fitted(tuple(lines), size, line_height, False, direction)
    return Fitted(tuple(_shortened(lines, max_lines, measure, width)), size, line_height, True, direction)
