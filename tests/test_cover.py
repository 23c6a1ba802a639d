"""Cover images (healthinfo/exporters/_cover.py): the distributors' sizes, a book's own
cover fitted inside the EPUB's limits, generated covers that keep their text inside the
margins in readable colours, the same bytes in every process, and warnings with stable
codes for what a cover cannot be or show."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypedDict, TypeVar, cast

import pytest
from PIL import Image as PILImage
from PIL import features

from healthinfo.exporters import _cover, _cover_design, _cover_type
from healthinfo.exporters._base import ExportWarning
from healthinfo.exporters._cover import (
    COVER_RATIO,
    EBOOK_COVER,
    MARKETING_COVER,
    MAX_PIXELS,
    MIN_SHORT_SIDE,
    cover_warnings,
    fitted_cover,
    generated_cover,
    marketing_cover,
)
from healthinfo.exporters._cover_design import PALETTE, contrast_ratio
from healthinfo.schema import Image, Publisher

from .conftest import CORPUS, ROOT

IQWIG = Publisher(id="iqwig", name="Institute for Quality and Efficiency in Health Care", short_name="IQWiG")
IQWIG_DE = Publisher(
    id="iqwig", name="Institut für Qualität und Wirtschaftlichkeit im Gesundheitswesen", short_name="IQWiG"
)


class Texts(TypedDict):
    title: str
    subtitle: str | None
    topic: str | None
    publisher: Publisher
    lang: str


def changed(base: Texts, **changes: str | None) -> Texts:
    merged = dict(base)
    merged.update(changes)
    return cast(Texts, merged)


SHORT: Texts = {
    "title": "Metastatic breast cancer",
    "subtitle": "Treatment options and supportive care",
    "topic": "Cancer",
    "publisher": IQWIG,
    "lang": "en",
}
LONG_TITLE = (
    "Living well with chronic obstructive pulmonary disease: breathing exercises, medication, pulmonary "
    "rehabilitation, and what family members and carers can do to help every day, at home and at work, too"
)
LONG = changed(SHORT, title=LONG_TITLE, subtitle="A guide for patients and families", topic="Lung health")
GERMAN: Texts = {
    "title": "Brustkrebs: „Behandlungsmöglichkeiten“ und unterstützende Maßnahmen",
    "subtitle": "Was Frauen über die Therapie wissen müssen – für Ärztinnen, Ärzte und Angehörige",
    "topic": "Metastasierter Brustkrebs",
    "publisher": IQWIG_DE,
    "lang": "de",
}
ARABIC = changed(SHORT, title="سرطان الثدي النقيلي", subtitle="خيارات العلاج والرعاية الداعمة", lang="ar")


def png_image(width: int, height: int, path: str = "images/own.png", colour: str = "#336699") -> Image:
    """A PNG cover of one colour with a white square in the middle (so that scaling has
    something to smooth)."""
    pixels = PILImage.new("RGB", (width, height), colour)
    pixels.paste("#ffffff", (width // 4, height // 4, width // 2, height // 2))
    out = io.BytesIO()
    pixels.save(out, "PNG")
    return Image(path=path, media_type="image/png", width=width, height=height, data=out.getvalue())


def decoded(data: bytes) -> PILImage.Image:
    with PILImage.open(io.BytesIO(data)) as opened:
        opened.load()
        return opened.copy()


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG file, in order."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, kinds = 8, []
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kinds.append(data[at + 4 : at + 8])
        at += 12 + length
    return kinds


Params = ParamSpec("Params")
Result = TypeVar("Result")


def recorded(function: Callable[Params, Result], *args: Params.args, **kwargs: Params.kwargs) -> tuple[Result, list[str]]:
    """The result of a call and the codes of the ExportWarnings it issued."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, [w.message.code for w in caught if isinstance(w.message, ExportWarning)]


def shipped_cover() -> Image:
    data = (CORPUS / "images" / "cover.png").read_bytes()
    return Image(path="images/cover.png", media_type="image/png", width=1600, height=2560, data=data)


# ---------------------------------------------------------------- sizes


def test_the_sizes_meet_the_distributors_rules() -> None:
    width, height = EBOOK_COVER
    assert width * height <= MAX_PIXELS
    assert min(EBOOK_COVER) >= MIN_SHORT_SIDE
    assert abs(height / width / COVER_RATIO - 1) < 0.001
    assert MARKETING_COVER == (1600, 2560)
    assert MARKETING_COVER[1] / MARKETING_COVER[0] == COVER_RATIO
    assert MARKETING_COVER[0] * MARKETING_COVER[1] > MAX_PIXELS  # why it cannot go inside as it is


def test_the_shipped_cover_is_fitted_to_the_ebook_size() -> None:
    fitted, codes = recorded(fitted_cover, shipped_cover())
    assert (fitted.width, fitted.height) == EBOOK_COVER
    assert fitted.width * fitted.height == 3_907_500 <= MAX_PIXELS
    assert fitted.media_type == "image/png"
    assert fitted.path == "images/cover-1563x2500.png"  # says it is made from images/cover.png
    assert decoded(fitted.data).size == EBOOK_COVER
    assert cover_warnings(fitted) == [] and codes == []


def test_a_cover_within_the_limit_is_used_as_it_is() -> None:
    own = png_image(1600, 2500)
    assert fitted_cover(own) is own


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((3000, 3000), (2000, 2000)),  # the pixel limit binds
        ((2000, 3200), (1563, 2500)),  # the long side: the e-book cover's size
        ((5000, 1000), (2500, 500)),
        ((1601, 2499), (1601, 2499)),  # 4,000,899 pixels: just over, just under after
    ],
)
def test_a_large_cover_is_scaled_down_within_the_limits(size: tuple[int, int], expected: tuple[int, int]) -> None:
    own = png_image(*size)
    fitted = fitted_cover(own)
    assert fitted.width * fitted.height <= MAX_PIXELS
    assert max(fitted.width, fitted.height) <= EBOOK_COVER[1]
    if size == (1601, 2499):
        assert fitted.width < size[0] and fitted.height < size[1]
    else:
        assert (fitted.width, fitted.height) == expected
    assert abs(fitted.height / fitted.width - size[1] / size[0]) < 0.002  # the ratio is kept
    assert decoded(fitted.data).size == (fitted.width, fitted.height)


def test_a_large_jpeg_stays_a_jpeg_without_exif() -> None:
    pixels = PILImage.new("RGB", (2000, 3200), "#884422")
    exif = PILImage.Exif()
    exif[0x010F] = "A camera"  # Make
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=80, exif=exif)
    own = Image(path="images/photo.jpg", media_type="image/jpeg", width=2000, height=3200, data=out.getvalue())
    fitted = fitted_cover(own)
    assert (fitted.media_type, fitted.path) == ("image/jpeg", "images/photo-1563x2500.jpg")
    with PILImage.open(io.BytesIO(fitted.data)) as again:
        assert again.format == "JPEG" and again.size == (1563, 2500)
        assert "exif" not in again.info and not again.getexif()
    assert fitted_cover(own).data == fitted.data


@pytest.mark.parametrize("image", [png_image(3000, 3000), shipped_cover()], ids=["rgb", "palette"])
def test_written_pngs_carry_no_time_or_text(image: Image) -> None:
    for data in (fitted_cover(image).data, generated_cover(**SHORT).data, marketing_cover(None, **SHORT)):
        chunks = png_chunks(data)
        assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND"
        assert set(chunks) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}, chunks


def test_a_small_or_odd_cover_warns_and_is_still_used() -> None:
    small = png_image(800, 1280)
    assert fitted_cover(small) is small
    found = cover_warnings(small)
    assert [code for code, _ in found] == ["epub:cover-size"]
    assert "800×1280" in found[0][1] and "1400" in found[0][1]
    square = png_image(1500, 1500)
    found = cover_warnings(fitted_cover(square))
    assert [code for code, _ in found] == ["epub:cover-size"] and "1.6" in found[0][1]
    assert cover_warnings(png_image(1400, 2240)) == []  # just the minimum, ratio exact
    assert cover_warnings(png_image(1563, 2530)) == []  # 1.619: within 2 %


# ---------------------------------------------------------------- generated covers


def drawn(texts: Texts, size: tuple[int, int] = EBOOK_COVER) -> _cover_design.DrawnCover:
    return _cover_design.draw_cover(_cover._texts(**texts), size)


@pytest.mark.parametrize("size", [EBOOK_COVER, MARKETING_COVER], ids=["ebook", "marketing"])
@pytest.mark.parametrize("texts", [SHORT, LONG, GERMAN, ARABIC], ids=["short", "long", "german", "arabic"])
def test_generated_text_stays_inside_the_margins(texts: Texts, size: tuple[int, int]) -> None:
    if texts is ARABIC and not _cover_type.can_shape():
        pytest.skip("right-to-left text is drawn only with libraqm")
    cover = drawn(texts, size)
    left, right, band_top = cover.frame
    roles = {role for role, _ in cover.text_boxes}
    assert {"title", "subtitle", "publisher", "publisher's name"} <= roles
    for role, (x0, y0, x1, y1) in cover.text_boxes:
        assert left <= x0 and x1 <= right, (role, x0, x1)
        if role.startswith("publisher"):
            assert band_top < y0 and y1 < size[1], role
        else:
            assert y0 > 0 and y1 < band_top - 100, role
    image = cover.image.convert("RGB")
    assert image.size == size
    # The margin strips beside the texts (down to the last text line) and inside the
    # band are bare background: nothing is drawn there, whatever the boxes say.
    text_bottom = max(y1 for role, (_, _, _, y1) in cover.text_boxes if not role.startswith("publisher"))
    for x_range in (range(0, left), range(right, size[0])):
        for x in x_range[:: max(1, len(x_range) // 12)]:
            column = image.crop((x, 0, x + 1, text_bottom + 1))
            assert column.getcolors() == [(text_bottom + 1, PALETTE.field)], x
            band = image.crop((x, band_top + 1, x + 1, size[1]))
            assert band.getcolors() == [(size[1] - band_top - 1, PALETTE.band)], x


def test_a_long_title_is_wrapped_and_still_set_large() -> None:
    assert len(LONG_TITLE) >= 200
    cover = drawn(LONG)
    title_lines = [box for role, box in cover.text_boxes if role == "title"]
    assert 5 <= len(title_lines) <= 9
    assert all(y1 - y0 >= 60 for _, y0, _, y1 in title_lines)  # legible: at least 60 px of ink per line


def test_a_medium_title_takes_four_lines_rather_than_six_and_no_line_begins_with_a_dash() -> None:
    title = "Was Frauen über die Therapie wissen müssen – für Ärztinnen"
    cover = drawn(changed(GERMAN, title=title, subtitle=title, topic=None))
    title_lines = [box for role, box in cover.text_boxes if role == "title"]
    assert len(title_lines) <= 4
    fitted = _cover_type.fit_text(title, _cover_design._TITLE, 1000, 2000, shaped=False)
    assert len(fitted.lines) > 1 and not any(line.startswith("–") for line in fitted.lines)


def test_a_title_does_not_end_on_one_short_word_when_a_little_smaller_avoids_it() -> None:
    title = "Treatment options and supportive care"
    fitted = _cover_type.fit_text(title, _cover_design._scaled(_cover_design._TITLE, _layout()), 1270, 1500, False)
    assert len(fitted.lines) == 3 and fitted.lines[-1] == "supportive care"
    assert fitted.size >= 0.85 * 150 * EBOOK_COVER[0] / 1600


def _layout() -> _cover_design._Layout:
    return _cover_design._Layout(EBOOK_COVER[0], EBOOK_COVER[1], EBOOK_COVER[0] / 1600, False)


def test_a_title_longer_than_the_cover_holds_is_shortened_with_a_warning() -> None:
    endless = " ".join(["Brustkrebs"] * 150)
    image, codes = recorded(generated_cover, **changed(GERMAN, title=endless))
    assert codes == ["epub:cover-text"]
    cover = drawn(changed(GERMAN, title=endless))
    left, right, band_top = cover.frame
    assert all(left <= x0 and x1 <= right and y1 < band_top for r, (x0, _, x1, y1) in cover.text_boxes if r == "title")
    assert (image.width, image.height) == EBOOK_COVER


def test_a_word_wider_than_the_column_is_cut_not_overflowing() -> None:
    word = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
    cover = drawn(changed(GERMAN, title=word))
    left, right, _ = cover.frame
    boxes = [box for role, box in cover.text_boxes if role == "title"]
    assert len(boxes) >= 2 and all(left <= x0 and x1 <= right for x0, _, x1, _ in boxes)


def test_text_colours_have_enough_contrast() -> None:
    for role, text, background in PALETTE.text_pairs:
        assert contrast_ratio(text, background) >= 4.5, role
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio(PALETTE.field, PALETTE.field) == pytest.approx(1)


def test_the_cover_is_drawn_in_the_colours_whose_contrast_is_checked() -> None:
    image = decoded(generated_cover(**SHORT).data).convert("RGB")
    used = {colour for _count, colour in image.getcolors(1 << 16) or []}
    assert used <= set(PALETTE.colours())
    for _role, text, background in PALETTE.text_pairs:
        assert text in used and background in used
    assert image.getpixel((5, 5)) == PALETTE.field
    assert image.getpixel((5, EBOOK_COVER[1] - 5)) == PALETTE.band


def test_the_generated_cover_is_a_png_of_the_asked_size() -> None:
    cover = generated_cover(**SHORT)
    assert (cover.path, cover.media_type) == ("images/cover.png", "image/png")
    assert (cover.width, cover.height) == EBOOK_COVER
    assert decoded(cover.data).size == EBOOK_COVER
    other = generated_cover(**SHORT, size=(1000, 1600))
    assert decoded(other.data).size == (1000, 1600)


def test_a_drawn_cover_is_kept_in_the_build_cache_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cache folder (a build names one), a cover drawn without a warning is kept
    and the next process reads it instead of drawing; other texts are drawn; a cover
    with a warning is not kept, so it warns again."""
    from healthinfo.exporters._cache import keep_compiled_in

    monkeypatch.setattr("healthinfo.exporters._cache._FOLDER", [None])
    keep_compiled_in(tmp_path)
    first = generated_cover(**SHORT).data
    (kept,) = tmp_path.glob("cover-*.png")
    assert kept.read_bytes() == first

    def no_drawing(*args: object) -> None:
        raise AssertionError("the cover was drawn")

    monkeypatch.setattr(_cover, "draw_cover", no_drawing)
    assert generated_cover(**SHORT).data == first
    with pytest.raises(AssertionError, match="was drawn"):
        generated_cover(**changed(SHORT, title="Another title"))
    kept.write_bytes(first[: len(first) // 2])  # damaged: drawn again
    with pytest.raises(AssertionError, match="was drawn"):
        generated_cover(**SHORT)
    monkeypatch.undo()
    monkeypatch.setattr("healthinfo.exporters._cache._FOLDER", [tmp_path])
    endless = " ".join(["Brustkrebs"] * 150)
    for _ in range(2):
        _image, codes = recorded(generated_cover, **changed(GERMAN, title=endless))
        assert codes == ["epub:cover-text"]
    assert len(list(tmp_path.glob("cover-*.png"))) == 1
    keep_compiled_in(None)


def test_the_motif_differs_between_books_and_not_between_runs() -> None:
    first = generated_cover(**SHORT).data
    assert generated_cover(**SHORT).data == first
    assert generated_cover(**changed(SHORT, title="Breast cancer")).data != first


COVER_DIGEST_SCRIPT = """
import hashlib, sys
from healthinfo.exporters import _cover
from healthinfo.schema import Publisher
publisher = Publisher(id="iqwig", name="Institut für Qualität und Wirtschaftlichkeit im Gesundheitswesen", short_name="IQWiG")
texts = dict(title=sys.argv[1], subtitle=sys.argv[2], topic=sys.argv[3], publisher=publisher, lang="de")
print(hashlib.sha256(_cover.generated_cover(**texts).data).hexdigest())
print(hashlib.sha256(_cover.marketing_cover(None, **texts)).hexdigest())
"""


def test_the_bytes_are_the_same_in_a_fresh_interpreter_with_another_hash_seed() -> None:
    texts = GERMAN
    here = [
        hashlib.sha256(generated_cover(**texts).data).hexdigest(),
        hashlib.sha256(marketing_cover(None, **texts)).hexdigest(),
    ]
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-c", COVER_DIGEST_SCRIPT, GERMAN["title"], str(GERMAN["subtitle"]), str(GERMAN["topic"])],
            capture_output=True, text=True, env=env, cwd=Path(ROOT), check=True,
        )  # fmt: skip
        assert result.stdout.split() == here


# ---------------------------------------------------------------- what a cover cannot show


def test_right_to_left_text_without_libraqm_warns_and_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cover_design, "can_shape", lambda: False)
    image, codes = recorded(generated_cover, **ARABIC)
    assert codes.count("epub:cover-direction") == 2  # title and subtitle
    roles = {role for role, _ in drawn(ARABIC).text_boxes}
    assert "title" not in roles and "subtitle" not in roles and "publisher" in roles
    assert (image.width, image.height) == EBOOK_COVER


@pytest.mark.skipif(not features.check("raqm"), reason="needs libraqm")
def test_right_to_left_text_with_libraqm_is_set_from_the_right() -> None:
    _, codes = recorded(generated_cover, **ARABIC)
    assert codes == []
    cover = drawn(ARABIC)
    _left, right, _band = cover.frame
    title = [box for role, box in cover.text_boxes if role == "title"]
    assert title and all(right - 8 <= x1 <= right for _, _, x1, _ in title)


def test_characters_the_font_lacks_are_named_and_left_out() -> None:
    texts = changed(SHORT, title="乳腺癌 Breast cancer 🩺")
    with pytest.warns(ExportWarning) as caught:
        generated_cover(**texts)
    glyphs = [w.message for w in caught if isinstance(w.message, ExportWarning) and w.message.code == "epub:cover-glyphs"]
    assert len(glyphs) == 1
    message = str(glyphs[0])
    assert "U+4E73" in message and "U+764C" in message and "U+1FA7A" in message


def test_the_fonts_draw_what_german_french_and_spanish_titles_need() -> None:
    needed = "äöüÄÖÜßẞ„“‚‘»«–—…œŒçéèêëàâîïôûùÿñÑ¿¡€°’"
    for name in ("regular", "bold"):
        assert _cover_type.missing_characters(needed, name) == []
        assert ord("乳") not in _cover_type.character_map(name)
    fonts = ROOT / "healthinfo" / "exporters" / "fonts"
    assert "Bitstream Vera" in (fonts / "LICENSE.txt").read_text(encoding="utf-8")


def test_the_shipped_texts_give_no_warning() -> None:
    import healthinfo

    corpus = healthinfo.load_corpus(CORPUS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExportWarning)
        for book in corpus.books.values():
            topics = [a.topic for a in book.articles if a.topic]
            texts: Texts = {
                "title": book.title,
                "subtitle": book.subtitle,
                "topic": topics[0] if topics else None,
                "publisher": book.publisher,
                "lang": book.lang,
            }
            generated_cover(**texts)
            if book.cover is not None:
                assert cover_warnings(fitted_cover(book.cover)) == []
                marketing_cover(book.cover, **texts)
        for article in corpus.articles.values():
            generated_cover(title=article.title, subtitle=None, topic=article.topic, publisher=article.publisher, lang=article.lang)


# ---------------------------------------------------------------- the store's cover


def test_the_marketing_cover_without_an_own_cover_is_generated_at_store_size() -> None:
    data, codes = recorded(marketing_cover, None, **SHORT)
    assert decoded(data).size == MARKETING_COVER and codes == []
    assert data == marketing_cover(None, **SHORT)


def test_the_marketing_cover_is_the_books_own_when_it_is_big_enough() -> None:
    own = shipped_cover()
    assert marketing_cover(own, **SHORT) == own.data  # exactly the store's size: the file itself
    larger = png_image(2000, 3200)
    scaled = decoded(marketing_cover(larger, **SHORT)).convert("RGB")
    assert scaled.size == MARKETING_COVER
    assert scaled.getpixel((10, 10)) == (0x33, 0x66, 0x99)


def test_a_marketing_cover_of_another_ratio_is_padded_with_its_edge_colour() -> None:
    square = png_image(2000, 2000, colour="#aa3311")
    padded = decoded(marketing_cover(square, **SHORT)).convert("RGB")
    assert padded.size == MARKETING_COVER
    assert padded.getpixel((800, 5)) == (0xAA, 0x33, 0x11)  # the band added above
    # The picture scaled to 1600×1600 and centred: its white square is at 400-800 across
    # and 400-800 + 480 down.
    assert padded.getpixel((600, 1080)) == (0xFF, 0xFF, 0xFF)
    assert padded.getpixel((600, 1500)) == (0xAA, 0x33, 0x11)


def test_a_cover_too_small_for_the_store_gives_a_generated_marketing_cover() -> None:
    small = png_image(1000, 1600)
    data, codes = recorded(marketing_cover, small, **SHORT)
    assert codes == ["epub:cover-marketing"]
    assert data == marketing_cover(None, **SHORT)
