"""Whether a field of a model takes a value, as the loader's validation would: for the
tests that check the JSON Schema and the model agree."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

__all__ = ["model_accepts"]


def model_accepts(model: type[BaseModel], name: str, value: Any) -> bool:
    """Whether field ``name`` of ``model`` validates ``value`` (its type and constraints)."""
    info = model.model_fields[name]
    field_type: Any = Annotated[info.annotation, info]
    try:
        TypeAdapter(field_type).validate_python(value)
    except ValidationError:
        return False
    return True
