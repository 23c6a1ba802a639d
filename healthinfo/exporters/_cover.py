"""TEMPORARY shim (replaced by the real module)."""
from __future__ import annotations
import io
from PIL import Image as PImage
from ..schema import Image
__all__ = ["fitted_cover", "generated_cover"]
def fitted_cover(image: Image) -> Image:
    if image.width * image.height <= 4_000_000:
        return image
    im = PImage.open(io.BytesIO(image.data)).convert("RGB").resize((1563, 2500), PImage.Resampling.LANCZOS)
    out = io.BytesIO(); im.save(out, format="PNG")
    return Image(path=image.path, media_type="image/png", width=1563, height=2500, data=out.getvalue())
def generated_cover(*, title: str, subtitle: str | None, topic: str | None, publisher: str, lang: str) -> Image:
    im = PImage.new("RGB", (1563, 2500), (20, 60, 70))
    out = io.BytesIO(); im.save(out, format="PNG")
    return Image(path="images/cover.png", media_type="image/png", width=1563, height=2500, data=out.getvalue())
