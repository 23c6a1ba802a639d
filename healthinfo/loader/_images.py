"""Reading the images of a corpus: PNG or JPEG files inside the corpus folder,
named by paths relative to it, checked for size before they are decoded."""

from __future__ import annotations

import io
import os
from pathlib import Path, PurePosixPath

from PIL import Image as PILImage
from pydantic import ValidationError

from ..schema import Image
from ._files import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, FileReader, FileTooLarge, NotRegularFile, read_regular_file

__all__ = ["ImageReader"]


class ImageReader(FileReader):
    """Reads images, each once however often it is used."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        # Each image path met, with its image (None when it had a problem).
        self.images: dict[str, Image | None] = {}

    def image(self, src: str, path: Path, line: int | None) -> Image | None:
        """The image at ``src`` (relative to the corpus folder), read once however
        often it is used; None when it has a problem (reported at ``path``, ``line``)."""
        if src in self.images:
            return self.images[src]
        image = self._read_image(src, path, line)
        self.images[src] = image
        return image

    def _image_file(self, src: str, path: Path, line: int | None) -> Path | None:
        """The file an image path names, when it is a file inside the corpus folder."""
        pure = PurePosixPath(src)
        if not src or src.startswith(("/", "\\")) or pure.is_absolute() or ":" in src:
            self.problem(path, line, f"image path {src!r} must be relative to the corpus folder, e.g. images/photo.png")
            return None
        if ".." in pure.parts:
            self.problem(path, line, f"image path {src!r} leaves the corpus folder; keep images in images/")
            return None
        file = self.root / pure
        if not self.inside(file):
            self.problem(path, line, f"image path {src!r} points outside the corpus folder")
            return None
        if not os.path.lexists(file):
            self.problem(path, line, f"image {src!r} does not exist")
            return None
        return file

    def _read_image(self, src: str, path: Path, line: int | None) -> Image | None:
        file = self._image_file(src, path, line)
        if file is None:
            return None
        try:
            data = self.note_read(file, read_regular_file(file, MAX_IMAGE_BYTES))
        except NotRegularFile as error:
            self.problem(path, line, f"image {src!r} is not a regular file ({error.kind}); use a PNG or JPEG file")
            return None
        except FileTooLarge as error:
            self.problem(path, line, f"image {src!r} is {error.size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
            return None
        except (OSError, RuntimeError) as error:
            reason = getattr(error, "strerror", None) or error
            self.problem(path, line, f"image {src!r} cannot be read: {reason}")
            return None
        try:
            with PILImage.open(io.BytesIO(data)) as picture:
                kind = picture.format
                width, height = picture.size
                if width * height > MAX_IMAGE_PIXELS:
                    self.problem(path, line, f"image {src!r} is {width}x{height} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels")
                    return None
                picture.verify()
        except PILImage.DecompressionBombError:
            self.problem(path, line, f"image {src!r} is too large to open safely; the limit is {MAX_IMAGE_PIXELS:,} pixels")
            return None
        except Exception:  # noqa: BLE001 - Pillow raises many types for broken files
            self.problem(path, line, f"{src!r} is not a readable PNG or JPEG image")
            return None
        media_type = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(kind or "")
        if media_type is None:
            self.problem(path, line, f"image {src!r} is {kind}; use PNG or JPEG, which every output format can embed")
            return None
        try:
            return Image(path=PurePosixPath(src).as_posix(), media_type=media_type, width=width, height=height, data=data)
        except ValidationError as error:  # the path's form, or its ending for the media type
            for item in error.errors(include_url=False):
                self.problem(path, line, item["msg"].removeprefix("Value error, "))
            return None
