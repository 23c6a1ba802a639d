"""The generated cover's design: colours, layout and motif, drawn with Pillow.

The design follows the corpus's own cover (``corpus/images/cover.png``): a dark teal
field with the topic as a kicker, the title large and white, a coral rule and the
subtitle; a motif of overlapping circles and a line; a light band at the bottom with
the publisher. Every text colour has a contrast of at least 4.5:1 with its background
(WCAG 2.2, success criterion 1.4.3, "Contrast (Minimum)"), which
:data:`PALETTE.text_pairs` lists for the tests.

Sizes are in units of 1/1600 of the cover's width, so the e-book cover (1563×2500) and
the store cover (1600×2560) are the same design; a landscape image (the site's social
card, 1200×630) is 1575 units high, the same design with the texts to its left. The motif varies with the texts (a
SHA-256 of them, never ``hash()``, which changes with PYTHONHASHSEED): each book gets
its own cover, and the same book always the same.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from ._cover_type import Fitted, TextSpec, can_shape, fit_text, font, missing_characters, needs_bidi

__all__ = ["PALETTE", "CoverTexts", "DrawnCover", "Palette", "contrast_ratio", "draw_cover"]

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]


def _luminance(colour: RGB) -> float:
    """Relative luminance (WCAG 2.2, "relative luminance")."""
    channels = []
    for value in colour:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(first: RGB, second: RGB) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Palette:
    """The cover's colours (those of ``corpus/images/cover.png``)."""

    field: RGB = (0x17, 0x40, 0x4D)
    band: RGB = (0xEA, 0xF3, 0xF1)
    title: RGB = (0xFF, 0xFF, 0xFF)
    subtitle: RGB = (0xDB, 0xEE, 0xEB)
    kicker: RGB = (0x8F, 0xCA, 0xB9)
    publisher: RGB = (0x17, 0x40, 0x4D)
    publisher_name: RGB = (0x2C, 0x6A, 0x74)
    accent: RGB = (0xEE, 0x9A, 0x8A)
    #: The motif, drawn in this order: deep and mid teal, mint, coral, sand; the line.
    shapes: tuple[RGB, ...] = ((0x22, 0x54, 0x5F), (0x2C, 0x6A, 0x74), (0x8F, 0xCA, 0xB9), (0xEE, 0x9A, 0x8A), (0xF4, 0xD9, 0xA5))
    line: RGB = (0xCD, 0xE2, 0xE3)

    @property
    def text_pairs(self) -> tuple[tuple[str, RGB, RGB], ...]:
        """Every text colour with the colour behind it: (role, text, background)."""
        return (
            ("kicker", self.kicker, self.field),
            ("title", self.title, self.field),
            ("subtitle", self.subtitle, self.field),
            ("publisher", self.publisher, self.band),
            ("publisher name", self.publisher_name, self.band),
        )


    def colours(self) -> list[RGB]:
        """The colours of the drawn cover: each colour of the palette, and eight steps
        between every two that meet (the anti-aliased edges of text and shapes)."""
        grounds = [self.field, *self.shapes]
        meeting = [(fg, bg) for _role, fg, bg in self.text_pairs]
        meeting += [(self.accent, self.field), (self.accent, self.band), (self.band, self.field)]
        meeting += [(a, b) for i, a in enumerate(grounds) for b in grounds[i + 1 :]]
        meeting += [(self.line, ground) for ground in grounds]
        colours = list(dict.fromkeys([self.field, self.band, self.accent, self.line, *self.shapes, *(fg for fg, _ in meeting)]))
        for first, second in meeting:
            for step in range(1, 9):
                t = step / 9
                blend = (
                    round(first[0] * t + second[0] * (1 - t)),
                    round(first[1] * t + second[1] * (1 - t)),
                    round(first[2] * t + second[2] * (1 - t)),
                )
                if blend not in colours:
                    colours.append(blend)
        return colours


PALETTE: Final = Palette()


@functools.cache
def _palette_image() -> PILImage.Image:
    colours = PALETTE.colours()
    assert len(colours) <= 256, "a PNG palette holds 256 colours"
    image = PILImage.new("P", (1, 1))
    image.putpalette([channel for colour in colours for channel in colour])
    return image

_KICKER: Final = TextSpec("bold", 46, 34, 1.3, 2, tracking=0.12)
_TITLE: Final = TextSpec("bold", 150, 64, 1.1, 9, preferred_lines=4, compact_size=100)
_SUBTITLE: Final = TextSpec("regular", 78, 50, 1.28, 4)
_PUBLISHER: Final = TextSpec("bold", 110, 64, 1.1, 1)
_PUBLISHER_LONG: Final = TextSpec("bold", 72, 44, 1.18, 2)
_PUBLISHER_NAME: Final = TextSpec("regular", 44, 30, 1.3, 2)

_SUBTITLE_RATIO: Final = 0.7
_MARGIN: Final = 150
_TOP: Final = 250
_BAND: Final = 0.17  # of the height
_SUPERSAMPLE: Final = 4  # shapes are drawn 4× and reduced: smooth edges


@dataclass(frozen=True)
class CoverTexts:
    """What a generated cover says."""

    title: str
    subtitle: str | None
    topic: str | None
    publisher: str
    publisher_name: str | None
    rtl: bool
    #: For libraqm's shaping (a BCP 47 tag).
    lang: str


@dataclass(frozen=True)
class _Layout:
    width: int
    height: int
    unit: float
    rtl: bool

    def px(self, units: float) -> int:
        return round(units * self.unit)

    @property
    def text_width(self) -> int:
        return self.width - 2 * self.px(_MARGIN)

    @property
    def band_top(self) -> int:
        return round(self.height * (1 - _BAND))


def _scaled(spec: TextSpec, layout: _Layout) -> TextSpec:
    """``spec`` with its sizes in pixels of this cover."""
    return replace(
        spec, size=layout.px(spec.size), min_size=layout.px(spec.min_size), compact_size=layout.px(spec.compact_size)
    )


class _Setter:
    """Fits the texts, draws them, and keeps account of what could not be drawn."""

    def __init__(self, draw: ImageDraw.ImageDraw, layout: _Layout, lang: str) -> None:
        self.draw = draw
        self.layout = layout
        self.lang = lang
        self.warnings: list[tuple[str, str]] = []
        #: The size the title was set in (the subtitle stays smaller).
        self.title_size = layout.px(_TITLE.size)
        #: Where the ink of each drawn line is: (role, (left, top, right, bottom)).
        self.boxes: list[tuple[str, Box]] = []

    def prepare(self, role: str, text: str, spec: TextSpec) -> str | None:
        """The text as it can be drawn: spaces made single, characters the font lacks
        left out (and reported); None when nothing of it can be drawn."""
        clean = " ".join(text.split())
        missing = missing_characters(clean, spec.font)
        if missing:
            named = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing)
            self.warnings.append(
                ("epub:cover-glyphs", f"the cover's font has no glyph for {named} of the {role}: left out of the cover")
            )
            clean = " ".join("".join(char for char in clean if char not in missing).split())
        if needs_bidi(clean) and not can_shape():
            self.warnings.append(
                (
                    "epub:cover-direction",
                    f"the {role} {clean!r} is written right to left, which Pillow cannot lay out without libraqm: "
                    "left out of the cover",
                )
            )
            return None
        return clean or None

    def fit(self, role: str, text: str, spec: TextSpec, max_height: int, cap: int | None = None) -> Fitted:
        """``text`` fitted to the text column, its size at most ``cap`` pixels."""
        scaled = _scaled(spec, self.layout)
        if cap is not None and cap < scaled.size:
            scaled = replace(scaled, size=cap, min_size=min(cap, scaled.min_size))
        fitted = fit_text(text, scaled, self.layout.text_width, max_height, needs_bidi(text))
        if fitted.shortened:
            self.warnings.append(("epub:cover-text", f"the {role} is too long for the cover: shortened to fit"))
        return fitted

    def draw_lines(self, role: str, fitted: Fitted, spec: TextSpec, top: int, colour: RGB) -> int:
        """Draws the lines from ``top`` (the top of the first line box) and notes where
        their ink is; returns the bottom of the last line box."""
        face = font(spec.font, fitted.size, shaped=fitted.direction is not None)
        ascent, descent = face.getmetrics()
        baseline = top + round((fitted.line_height + ascent - descent) / 2)
        x_margin = self.layout.width - self.layout.px(_MARGIN) if self.layout.rtl else self.layout.px(_MARGIN)
        anchor = "rs" if self.layout.rtl else "ls"
        for line in fitted.lines:
            x = self._inside(x_margin, line, face, anchor, fitted.direction)
            if fitted.direction is not None:
                way, lang = fitted.direction, self.lang
                self.draw.text((x, baseline), line, fill=colour, font=face, anchor=anchor, direction=way, language=lang)
                box = self.draw.textbbox((x, baseline), line, font=face, anchor=anchor, direction=way, language=lang)
            elif spec.tracking:
                box = self._tracked(line, x, baseline, face, round(spec.tracking * fitted.size), colour)
            else:
                self.draw.text((x, baseline), line, fill=colour, font=face, anchor=anchor)
                box = self.draw.textbbox((x, baseline), line, font=face, anchor=anchor)
            self.boxes.append((role, (round(box[0]), round(box[1]), round(box[2]), round(box[3]))))
            baseline += fitted.line_height
        return top + fitted.height

    def _inside(self, x: int, line: str, face: ImageFont.FreeTypeFont, anchor: str, way: str | None) -> int:
        """Where to put a line so that its ink does not stick out over the margin: some
        glyphs reach beyond their origin ("T", "J"), and the margin is a hard edge."""
        left, _top, right, _bottom = face.getbbox(line, anchor=anchor, direction=way)
        if self.layout.rtl:
            return x - max(0, math.ceil(right))
        return x + max(0, -math.floor(left))

    def _tracked(self, line: str, x: int, baseline: int, face: ImageFont.FreeTypeFont, extra: int, colour: RGB) -> Box:
        """Letter-spaced capitals, one character at a time (Pillow has no tracking);
        returns their ink box."""
        widths = [face.getlength(char) for char in line]
        total = sum(widths) + extra * max(0, len(line) - 1)
        position = float(x - total if self.layout.rtl else x)
        boxes = []
        for char, advance in zip(line, widths, strict=True):
            at = (round(position), baseline)
            self.draw.text(at, char, fill=colour, font=face, anchor="ls")
            if not char.isspace():
                boxes.append(self.draw.textbbox(at, char, font=face, anchor="ls"))
            position += advance + extra
        return (
            round(min(b[0] for b in boxes)),
            round(min(b[1] for b in boxes)),
            round(max(b[2] for b in boxes)),
            round(max(b[3] for b in boxes)),
        )


def _motif_seed(texts: CoverTexts) -> bytes:
    """The motif's variation: one per publisher, so that a publisher's covers share
    their design as a series does, and a drawn motif can be reused for every cover
    with the same room for it (:func:`_motif_strip`)."""
    return hashlib.sha256(texts.publisher.encode("utf-8")).digest()


#: The motif of the corpus's cover, in units of a 1600×1000 box: (x, y, radius).
_CIRCLES: Final = ((230, 480, 300), (1170, 420, 420), (320, 300, 170), (1000, 480, 230), (1190, 150, 110))
_LINE: Final = ((90, 120), (420, -40), (760, 760), (1390, 520))  # a cubic Bézier


def _disc(image: PILImage.Image, centre: tuple[float, float], radius: float, colour: RGB, clip: tuple[int, int]) -> None:
    """A filled circle with smooth edges, clipped to the rows ``clip``."""
    left, right = max(0, int(centre[0] - radius) - 1), min(image.width, int(centre[0] + radius) + 2)
    top, bottom = max(clip[0], int(centre[1] - radius) - 1), min(clip[1], int(centre[1] + radius) + 2)
    if left >= right or top >= bottom:
        return
    s = _SUPERSAMPLE
    mask = PILImage.new("L", ((right - left) * s, (bottom - top) * s), 0)
    cx, cy = (centre[0] - left) * s, (centre[1] - top) * s
    ImageDraw.Draw(mask).ellipse((cx - radius * s, cy - radius * s, cx + radius * s, cy + radius * s), fill=255)
    image.paste(colour, (left, top, right, bottom), mask.reduce(s))


def _curve(points: Sequence[tuple[float, float]], steps: int = 96) -> list[tuple[float, float]]:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    out = []
    for step in range(steps + 1):
        t = step / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return out


def _motif_shapes(seed: bytes) -> tuple[list[tuple[float, float, float, RGB]], list[tuple[float, float]]]:
    """The circles (x, y, radius, colour) and the line's points of the motif, in units
    of the 1600×1000 box, moved and sized a little by ``seed``."""
    circles = []
    for index, ((x, y, radius), colour) in enumerate(zip(_CIRCLES, PALETTE.shapes, strict=True)):
        dx, dy = (seed[2 * index] - 128) / 128 * 50, (seed[2 * index + 1] - 128) / 128 * 40
        grow = 1 + (seed[10 + index] - 128) / 128 * 0.08
        circles.append((x + dx, y + dy, radius * grow, colour))
    controls = [
        (x + (seed[16 + 2 * i] - 128) / 128 * 50, y + (seed[17 + 2 * i] - 128) / 128 * 40) for i, (x, y) in enumerate(_LINE)
    ]
    return circles, _curve(controls)


def _quantized(image: PILImage.Image) -> PILImage.Image:
    """``image`` mapped without dithering to the cover's palette: each pixel on its own
    (nearest colour), so a part mapped alone is the same as the whole mapped at once."""
    return image.quantize(palette=_palette_image(), dither=PILImage.Dither.NONE)


@functools.lru_cache(maxsize=16)
def _motif_strip(layout: _Layout, top: int, bottom: int, seed: bytes) -> PILImage.Image:
    """The rows ``top`` to ``bottom`` of the field with the motif drawn on them, in
    palette mode. Drawing the smooth shapes is most of a cover's drawing time, and the
    covers of a corpus have only a few different rooms for the motif (a title of one,
    two, three lines…), so each is drawn once per process and pasted."""
    canvas = PILImage.new("RGB", (layout.width, layout.height), PALETTE.field)
    _draw_motif_on(canvas, layout, top, bottom, seed)
    return _quantized(canvas.crop((0, top, layout.width, bottom)))


@functools.lru_cache(maxsize=8)
def _band_strip(layout: _Layout, texts: CoverTexts) -> tuple[PILImage.Image, int, tuple[tuple[str, str], ...], tuple[tuple[str, Box], ...]]:
    """The band with the publisher (:func:`_draw_band`) in palette mode, the row it
    starts at, and what its setter noted (warnings, ink boxes): the same on every cover
    of a publisher, so drawn once per process. ``texts`` is keyed by its publisher's
    fields only (:func:`_band_key`)."""
    canvas = PILImage.new("RGB", (layout.width, layout.height), PALETTE.field)
    setter = _Setter(ImageDraw.Draw(canvas), layout, texts.lang)
    _draw_band(setter, texts)
    top = layout.band_top - layout.px(14)
    return _quantized(canvas.crop((0, top, layout.width, layout.height))), top, tuple(setter.warnings), tuple(setter.boxes)


@functools.cache
def _field_index() -> int:
    """The palette index of the field's colour."""
    index = _quantized(PILImage.new("RGB", (1, 1), PALETTE.field)).getpixel((0, 0))
    assert isinstance(index, int)
    return index


def _band_key(texts: CoverTexts) -> CoverTexts:
    """``texts`` with only what the band shows (the cache key of :func:`_band_strip`)."""
    return CoverTexts("", None, None, texts.publisher, texts.publisher_name, texts.rtl, texts.lang)


def _draw_motif_on(image: PILImage.Image, layout: _Layout, top: int, bottom: int, seed: bytes) -> None:
    """Circles and a line between the texts and the band, as large as the room allows
    (never cut at the top or bottom), left out when there is hardly any room."""
    circles, line = _motif_shapes(seed)
    high = min([y - r for _x, y, r, _c in circles] + [y for _x, y in line])
    low = max([y + r for _x, y, r, _c in circles] + [y for _x, y in line])
    room = bottom - top
    scale = min(layout.unit, room / (low - high))
    if scale < 0.3 * layout.unit:
        return
    mirror = bool(seed[31] & 1) != layout.rtl
    origin = top + (room - (low - high) * scale) / 2 - high * scale

    def place(x: float, y: float) -> tuple[float, float]:
        # Anchored at the outer edge, as on the corpus's cover: the big circle bleeds.
        across = layout.width - (1600 - x) * scale
        return (layout.width - across if mirror else across, origin + y * scale)

    for x, y, radius, colour in circles:
        _disc(image, place(x, y), radius * scale, colour, (top, bottom))
    _draw_line(image, [place(x, y) for x, y in line], max(2, round(7 * scale)), (top, bottom))


def _draw_line(image: PILImage.Image, points: list[tuple[float, float]], width: int, clip: tuple[int, int]) -> None:
    s = _SUPERSAMPLE
    top, bottom = clip
    mask = PILImage.new("L", (image.width * s, (bottom - top) * s), 0)
    scaled = [(x * s, (y - top) * s) for x, y in points]
    pen = ImageDraw.Draw(mask)
    pen.line(scaled, fill=255, width=width * s, joint="curve")
    for x, y in (scaled[0], scaled[-1]):  # round caps
        pen.ellipse((x - width * s / 2, y - width * s / 2, x + width * s / 2, y + width * s / 2), fill=255)
    image.paste(PALETTE.line, (0, top, image.width, bottom), mask.reduce(s))


def _draw_band(setter: _Setter, texts: CoverTexts) -> None:
    """The light band with the publisher: its short name large, its full name below;
    or the full name alone, in bold. The same on every cover of a publisher."""
    layout = setter.layout
    band_top = layout.band_top
    setter.draw.rectangle((0, band_top, layout.width, layout.height), fill=PALETTE.band)
    setter.draw.rectangle((0, band_top - layout.px(14), layout.width, band_top), fill=PALETTE.accent)
    room = layout.height - band_top - 2 * layout.px(90)
    gap = layout.px(16)
    spec = _PUBLISHER if texts.publisher_name else _PUBLISHER_LONG
    blocks: list[tuple[str, Fitted, TextSpec, RGB]] = []
    short = setter.prepare("publisher", texts.publisher, spec)
    if short is not None:
        fitted = setter.fit("publisher", short, spec, room // 2 if texts.publisher_name else room)
        blocks.append(("publisher", fitted, spec, PALETTE.publisher))
    name = setter.prepare("publisher's name", texts.publisher_name, _PUBLISHER_NAME) if texts.publisher_name else None
    if name is not None:
        left = room - sum(block[1].height + gap for block in blocks)
        fitted = setter.fit("publisher's name", name, _PUBLISHER_NAME, left)
        blocks.append(("publisher's name", fitted, _PUBLISHER_NAME, PALETTE.publisher_name))
    total = sum(block[1].height for block in blocks) + gap * (len(blocks) - 1)
    y = band_top + (layout.height - band_top - total) // 2
    for role, fitted, block_spec, colour in blocks:
        y = setter.draw_lines(role, fitted, block_spec, y, colour) + gap


def _kicker_text(topic: str, shaped: bool) -> str:
    # Capitals only where a script has them and letters may be spaced: not for text
    # that needs shaping (Arabic letters must join).
    return topic if shaped else topic.upper()


def _draw_texts(setter: _Setter, texts: CoverTexts) -> int:
    """Kicker, title, rule and subtitle from the top; returns where they end."""
    layout = setter.layout
    y = layout.px(_TOP)
    limit = layout.band_top - layout.px(140)
    topic = texts.topic if texts.topic and texts.topic.casefold() != texts.title.casefold() else None
    topic = setter.prepare("topic", topic, _KICKER) if topic else None
    if topic is not None:
        kicker = setter.fit("topic", _kicker_text(topic, needs_bidi(topic)), _KICKER, layout.px(140))
        y = setter.draw_lines("topic", kicker, _KICKER, y, PALETTE.kicker) + layout.px(36)
    subtitle = setter.prepare("subtitle", texts.subtitle, _SUBTITLE) if texts.subtitle else None
    subtitle_room = layout.px(_SUBTITLE.size * _SUBTITLE.leading * 3) if subtitle else 0
    title = setter.prepare("title", texts.title, _TITLE)
    if title is not None:
        fitted = setter.fit("title", title, _TITLE, limit - y - subtitle_room - layout.px(120))
        setter.title_size = fitted.size
        y = setter.draw_lines("title", fitted, _TITLE, y, PALETTE.title) + layout.px(48)
        rule_x = layout.width - layout.px(_MARGIN) - layout.px(220) if layout.rtl else layout.px(_MARGIN)
        setter.draw.rounded_rectangle(  # Pillow's corners are inclusive: hence the - 1
            (rule_x, y, rule_x + layout.px(220) - 1, y + layout.px(16) - 1), radius=layout.px(8), fill=PALETTE.accent
        )
        y += layout.px(16 + 56)
    if subtitle is not None:
        # The subtitle stays clearly smaller than the title, however small that is.
        room = max(limit - y, layout.px(_SUBTITLE.min_size))
        fitted = setter.fit("subtitle", subtitle, _SUBTITLE, room, cap=round(setter.title_size * _SUBTITLE_RATIO))
        y = setter.draw_lines("subtitle", fitted, _SUBTITLE, y, PALETTE.subtitle)
    return y


@dataclass(frozen=True)
class DrawnCover:
    """A drawn cover, what it could not show, and where its text is."""

    #: Palette mode, mapped without dithering to :meth:`Palette.colours` (the
    #: backgrounds keep their exact colours; a third of the bytes of RGB).
    image: PILImage.Image
    warnings: list[tuple[str, str]]
    #: The ink box of every line drawn, with its role ("title", "publisher", …).
    text_boxes: list[tuple[str, Box]]
    #: The text column: (left margin, right margin, top of the band).
    frame: tuple[int, int, int]


def draw_cover(texts: CoverTexts, size: tuple[int, int]) -> DrawnCover:
    """The cover at ``size``: the texts drawn in full colour on the rows they take,
    then put together in palette mode with the motif and the publisher's band (drawn
    once per process each: :func:`_motif_strip`, :func:`_band_strip`). Mapping to the
    palette is per pixel, so the parts give the same pixels as the whole would."""
    width, height = size
    # A landscape image (a social card, 1200×630) keeps the cover's proportion of text
    # to height on a field 1575 units high; a portrait one is 1600 units wide.
    unit = min(width / 1600, height / 2560) if height >= width else height / 1575
    layout = _Layout(width, height, unit, texts.rtl)
    text_area = PILImage.new("RGB", (width, layout.band_top), PALETTE.field)
    setter = _Setter(ImageDraw.Draw(text_area), layout, texts.lang)
    text_bottom = _draw_texts(setter, texts)
    motif_top, motif_bottom = text_bottom + layout.px(110), layout.band_top - layout.px(110)
    band, band_top, band_warnings, band_boxes = _band_strip(layout, _band_key(texts))
    image = _quantized(text_area.crop((0, 0, width, min(max(motif_top, 1), band_top))))
    cover = PILImage.new("P", size, _field_index())
    cover.putpalette(image.getpalette() or [])
    cover.paste(image, (0, 0))
    if motif_bottom > motif_top:
        cover.paste(_motif_strip(layout, motif_top, motif_bottom, _motif_seed(texts)), (0, motif_top))
    cover.paste(band, (0, band_top))
    return DrawnCover(
        image=cover,
        warnings=[*setter.warnings, *band_warnings],
        text_boxes=[*setter.boxes, *band_boxes],
        frame=(layout.px(_MARGIN), width - layout.px(_MARGIN), layout.band_top),
    )
