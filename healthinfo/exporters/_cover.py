"""Cover images of e-books: a book's own cover fitted to the distributors' limits, a
generated cover for everything else, and the full-size cover for a store's upload.

Every EPUB has a raster cover image, the manifest item with the ``cover-image``
property (EPUB 3.3, §5.6.2 "Manifest properties" and D.2 "Manifest properties
vocabulary"). The sizes follow the distributors' rules:

- Amazon KDP cover guidelines: height/width 1.6:1, ideally 2560×1600 pixels; a cover
  whose ratio is far from it is refused or shown with bars.
- Apple Books asset guide: at least 1400 pixels on the short side; no image inside the
  EPUB over 4,000,000 pixels.

So the cover inside the EPUB is :data:`EBOOK_COVER` (1563×2500 = 3,907,500 pixels), and
:func:`marketing_cover` makes the :data:`MARKETING_COVER` (1600×2560) that is uploaded
beside the EPUB. A book's own cover goes in as it is when it has at most
:data:`MAX_PIXELS`; a larger one is scaled down (:func:`fitted_cover`).

Every image is written deterministically: Pillow's PNG and JPEG writers with fixed
settings, no tIME or text chunks, no EXIF; the generated cover uses only the fonts
shipped with the package. The same texts give the same bytes with the same Pillow (its
wheels bring FreeType and zlib). Problems are reported with stable codes:
``epub:cover-size``, ``epub:cover-glyphs``, ``epub:cover-direction``,
``epub:cover-text`` and ``epub:cover-marketing`` (docs/exporters/epub.md, "Cover
image").
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import math
from io import BytesIO
from pathlib import Path
from typing import Final

import PIL
from PIL import Image as PILImage
from PIL import ImageOps

from .._kept import keep_file
from .._version import __version__
from ..schema import Image, Publisher
from ._base import warn
from ._cache import compiled_folder
from ._cover_design import CoverTexts, draw_cover
from ._i18n import is_rtl

__all__ = [
    "COVER_RATIO",
    "EBOOK_COVER",
    "MARKETING_COVER",
    "MAX_PIXELS",
    "MIN_SHORT_SIDE",
    "RATIO_TOLERANCE",
    "SOCIAL_CARD",
    "CoverWarning",
    "cover_warnings",
    "fitted_cover",
    "generated_cover",
    "marketing_cover",
    "social_card",
]

#: The cover inside an EPUB, (width, height): 1.6:1, under Apple's pixel limit.
EBOOK_COVER: Final = (1563, 2500)
#: The image of a page's social card (Open Graph's recommended 1.91:1).
SOCIAL_CARD: Final = (1200, 630)
#: The cover uploaded to a store beside the EPUB (KDP's ideal size).
MARKETING_COVER: Final = (1600, 2560)
#: The most pixels an image inside an EPUB may have (Apple Books).
MAX_PIXELS: Final = 4_000_000
#: The fewest pixels on a cover's short side (Apple Books).
MIN_SHORT_SIDE: Final = 1400
#: Height / width of a cover (KDP).
COVER_RATIO: Final = 1.6
#: How far (relative) a cover's ratio may be from :data:`COVER_RATIO` without a warning.
RATIO_TOLERANCE: Final = 0.02

#: (code, message), as :func:`healthinfo.exporters._base.warn` takes them.
CoverWarning = tuple[str, str]

_JPEG_QUALITY: Final = 90


def _fitted_size(width: int, height: int) -> tuple[int, int]:
    """The size a cover of ``width``×``height`` is scaled to: at most MAX_PIXELS and
    its long side at most the e-book cover's height (so a 1600×2560 cover becomes
    1563×2500, the size of a generated one), ratio kept."""
    scale = min(math.sqrt(MAX_PIXELS / (width * height)), EBOOK_COVER[1] / max(width, height))
    size = (max(1, math.floor(width * scale + 0.5)), max(1, math.floor(height * scale + 0.5)))
    if size[0] * size[1] > MAX_PIXELS:  # rounding up went over: round down
        size = (max(1, math.floor(width * scale)), max(1, math.floor(height * scale)))
    return size


def _decoded(image: Image) -> PILImage.Image:
    """The image's pixels, turned as its EXIF orientation says (the EXIF is not
    written again), in a mode that scales smoothly."""
    with PILImage.open(BytesIO(image.data)) as opened:
        opened.load()
        turned = ImageOps.exif_transpose(opened)
    if turned.mode in ("RGB", "RGBA", "L", "LA"):
        return turned
    if turned.mode == "P" and "transparency" in turned.info:
        return turned.convert("RGBA")
    return turned.convert("RGB")


#: zlib level of a drawn cover. Measured on a 1563×2500 cover: level 9 takes 100 ms
#: for 49 KB, level 6 18 ms for 56 KB, level 3 9 ms for 77 KB. Every article e-book
#: gets one, so the build's time weighs more than the bytes.
_DRAWN_LEVEL = 3


def _encoded(
    pixels: PILImage.Image, media_type: str, icc_profile: bytes | None, palette: bool, level: int = 9
) -> bytes:
    """PNG or JPEG bytes with fixed settings and no metadata but the colour profile."""
    out = BytesIO()
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if media_type == "image/jpeg":
        rgb = pixels if pixels.mode in ("RGB", "L") else pixels.convert("RGB")
        rgb.save(out, "JPEG", quality=_JPEG_QUALITY, subsampling=0, optimize=False, progressive=False, **extra)
    else:
        if palette and pixels.mode == "RGB":
            # A palette source (a drawn cover, like the corpus's) stays a palette
            # image: a third of the bytes, no visible change.
            pixels = pixels.quantize(256, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
        pixels.save(out, "PNG", compress_level=level, optimize=False, **extra)
    return out.getvalue()


def _derived_path(path: str, size: tuple[int, int]) -> str:
    """``images/cover.png`` -> ``images/cover-1563x2500.png``: the file is made from the
    corpus's and must not pass for it."""
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}-{size[0]}x{size[1]}{dot}{suffix}"


def fitted_cover(image: Image) -> Image:
    """A book's own cover as it may go inside the EPUB: ``image`` itself when it has at
    most :data:`MAX_PIXELS`, else scaled down (LANCZOS, never up, ratio kept) to at
    most that many pixels and at most 2500 on its long side, in the same media type."""
    if image.width * image.height <= MAX_PIXELS:
        return image
    pixels = _decoded(image)
    with PILImage.open(BytesIO(image.data)) as opened:
        icc_profile = opened.info.get("icc_profile")
        palette = opened.mode == "P"
    size = _fitted_size(pixels.width, pixels.height)
    scaled = pixels.resize(size, PILImage.Resampling.LANCZOS)
    data = _encoded(scaled, image.media_type, icc_profile, palette)
    return Image(
        path=_derived_path(image.path, size), media_type=image.media_type, width=size[0], height=size[1], data=data
    )


def cover_warnings(image: Image) -> list[CoverWarning]:
    """What distributors would refuse in a cover as it goes inside the EPUB (after
    :func:`fitted_cover`): a short side under :data:`MIN_SHORT_SIDE` pixels, a ratio
    more than :data:`RATIO_TOLERANCE` off :data:`COVER_RATIO`. The cover is still used."""
    found: list[CoverWarning] = []
    short = min(image.width, image.height)
    if short < MIN_SHORT_SIDE:
        found.append(
            (
                "epub:cover-size",
                f"the cover {image.path} is {image.width}×{image.height} pixels: Apple Books wants at least "
                f"{MIN_SHORT_SIDE} on the short side (1600×2560 is ideal)",
            )
        )
    ratio = image.height / image.width
    if abs(ratio / COVER_RATIO - 1) > RATIO_TOLERANCE:
        found.append(
            (
                "epub:cover-size",
                f"the cover {image.path} is {image.width}×{image.height} pixels, a height/width ratio of {ratio:.2f}: "
                f"Amazon KDP wants {COVER_RATIO} (1600×2560)",
            )
        )
    return found


def _texts(title: str, subtitle: str | None, topic: str | None, publisher: Publisher, lang: str) -> CoverTexts:
    short_name = publisher.short_name
    return CoverTexts(
        title=title,
        subtitle=subtitle,
        topic=topic,
        publisher=short_name or publisher.name,
        publisher_name=publisher.name if short_name else None,
        rtl=is_rtl(lang),
        lang=lang,
    )


def _report(found: list[CoverWarning]) -> None:
    for code, message in found:
        warn(code, message)


def _generated_png(texts: CoverTexts, size: tuple[int, int]) -> tuple[bytes, list[CoverWarning]]:
    """The drawn cover's PNG and what could not be drawn. A cover drawn without a
    warning is kept in the build's cache folder when there is one (exporters/_cache.py),
    named by everything it is made from (the texts, the size, the drawing code, the
    fonts, Pillow's and healthinfo's versions): a rebuild's fresh process reads it
    instead of drawing it again (about 30 ms of processor time each)."""
    path = _kept_cover(texts, size)
    if path is not None:
        with contextlib.suppress(OSError):
            kept = path.read_bytes()
            if kept.startswith(_PNG_START) and kept.endswith(_PNG_END):  # else damaged: drawn again
                return kept, []
    drawn = draw_cover(texts, size)
    data = _encoded(drawn.image, "image/png", None, palette=False, level=_DRAWN_LEVEL)
    if path is not None and not drawn.warnings:  # a cover with warnings is drawn again, and warns again
        keep_file(path, data)
    return data, drawn.warnings


#: The first and last bytes of every PNG file (its signature; the IEND chunk with its CRC).
_PNG_START: Final = b"\x89PNG\r\n\x1a\n"
_PNG_END: Final = b"IEND\xaeB`\x82"


@functools.cache
def _drawing_code() -> bytes:
    """A digest of what draws a cover: these modules and the shipped fonts."""
    digest = hashlib.sha256(repr((__version__, PIL.__version__)).encode())
    here = Path(__file__).parent
    for module in ("_cover.py", "_cover_design.py", "_cover_type.py"):
        digest.update((here / module).read_bytes())
    for font in sorted((here / "fonts").iterdir()):
        digest.update(font.name.encode() + b"\0" + font.read_bytes())
    return digest.digest()


def _kept_cover(texts: CoverTexts, size: tuple[int, int]) -> Path | None:
    folder = compiled_folder()
    if folder is None:
        return None
    try:
        code = _drawing_code()
    except OSError:
        return None
    digest = hashlib.sha256(code + repr((dataclasses.astuple(texts), size)).encode())
    return folder / f"cover-{digest.hexdigest()[:32]}.png"


def generated_cover(
    *,
    title: str,
    subtitle: str | None,
    topic: str | None,
    publisher: Publisher,
    lang: str,
    size: tuple[int, int] = EBOOK_COVER,
) -> Image:
    """A cover drawn from the texts (PNG, ``images/cover.png``): the topic as a kicker,
    the title, the subtitle, the publisher in a band at the bottom. What it cannot
    draw is reported (``epub:cover-glyphs``, ``epub:cover-direction``,
    ``epub:cover-text``)."""
    data, found = _generated_png(_texts(title, subtitle, topic, publisher, lang), size)
    _report(found)
    return Image(path="images/cover.png", media_type="image/png", width=size[0], height=size[1], data=data)


def _store_sized(image: Image) -> bytes | None:
    """The book's own cover at MARKETING_COVER, or None when it is smaller (it would
    have to be enlarged). A cover of another ratio is fitted inside and the rest filled
    with the colour of its edges, so the store shows it whole."""
    width, height = MARKETING_COVER
    scale = min(width / image.width, height / image.height)
    if scale > 1:
        return None
    if (image.width, image.height) == MARKETING_COVER and image.media_type == "image/png":
        return image.data  # the publisher's own file, as it is
    pixels = _decoded(image).convert("RGB")
    inner = (min(width, round(image.width * scale)), min(height, round(image.height * scale)))
    if inner != (pixels.width, pixels.height):
        pixels = pixels.resize(inner, PILImage.Resampling.LANCZOS)
    if inner != MARKETING_COVER:
        pixels = ImageOps.pad(pixels, MARKETING_COVER, color=_edge_colour(pixels))
    with PILImage.open(BytesIO(image.data)) as opened:
        icc_profile, palette = opened.info.get("icc_profile"), opened.mode == "P"
    return _encoded(pixels, "image/png", icc_profile, palette)


def _edge_colour(pixels: PILImage.Image) -> tuple[int, int, int]:
    """The most common colour of the image's outermost rows and columns."""
    w, h = pixels.size
    strips = [pixels.crop(box) for box in ((0, 0, w, 1), (0, h - 1, w, h), (0, 0, 1, h), (w - 1, 0, w, h))]
    counts: dict[tuple[int, int, int], int] = {}
    for strip in strips:
        for count, colour in strip.getcolors(w * h) or []:
            assert isinstance(colour, tuple)  # an RGB image's colours are (r, g, b)
            rgb = (int(colour[0]), int(colour[1]), int(colour[2]))
            counts[rgb] = counts.get(rgb, 0) + count
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]


def marketing_cover(
    image: Image | None,
    *,
    title: str,
    subtitle: str | None,
    topic: str | None,
    publisher: Publisher,
    lang: str,
) -> bytes:
    """The 1600×2560 PNG for a store's upload: the book's own cover scaled to it when
    it is at least that big, else the generated cover drawn at that size.

    The generated cover's text warnings are reported with the e-book cover
    (:func:`generated_cover`), so they are reported here only when the e-book cover was
    the book's own; a book cover too small for the store is ``epub:cover-marketing``."""
    if image is not None:
        sized = _store_sized(image)
        if sized is not None:
            return sized
    data, found = _generated_png(_texts(title, subtitle, topic, publisher, lang), MARKETING_COVER)
    if image is not None:
        found.insert(
            0,
            (
                "epub:cover-marketing",
                f"the cover {image.path} ({image.width}×{image.height}) is smaller than the store's "
                f"{MARKETING_COVER[0]}×{MARKETING_COVER[1]}: the store cover is generated from the texts",
            ),
        )
        _report(found)
    return data


def social_card(*, title: str, topic: str | None, publisher: Publisher, lang: str) -> bytes:
    """The 1200×630 PNG of a page's social card (Open Graph's ``og:image``): the
    generated cover's design in landscape, with the topic, the title and the
    publisher. What it cannot draw is reported as ``site:card-glyphs``,
    ``site:card-direction`` and ``site:card-text``."""
    data, found = _generated_png(_texts(title, None, topic, publisher, lang), SOCIAL_CARD)
    _report([(code.replace("epub:cover-", "site:card-"), message.replace("the cover", "the social card"))
             for code, message in found])
    return data
