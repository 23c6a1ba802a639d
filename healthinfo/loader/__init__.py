"""Reading a corpus folder (Markdown + YAML) into the content model."""

from ._corpus import MAX_FILE_BYTES, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, DocumentReader, load_corpus

__all__ = ["MAX_FILE_BYTES", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "DocumentReader", "load_corpus"]
