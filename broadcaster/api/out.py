"""Response bodies made from domain objects: the fields named alike are copied, the others
(enums sent as their value, links, nested lists) are said where each body is made."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def out_of(model: type[M], obj: object, **given: Any) -> M:
    """A ``model`` body for ``obj``: each of its fields read from ``obj``'s attribute of the
    same name, but for ``given`` (the fields that differ)."""
    copied = {k: getattr(obj, k) for k in model.model_fields if k not in given}
    return model(**copied, **given)
