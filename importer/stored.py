"""Parsed forms as plain JSON and back, so a file is parsed once and its forms are read back later.

The conversion walks the dataclasses by their type hints, so a field added to ParsedForm or to its
figures is kept without a change here. Decimals travel as strings (exact), tuples as lists. No pickle:
what is stored is data, never code. Plain Python, no Django.
"""

import dataclasses
import types
import typing
from decimal import Decimal
from enum import Enum
from functools import cache


def to_json(value):
    """`value` (dataclasses, Decimals, tuples, lists, dicts, scalars) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(hint, data):
    """The value of type `hint` that to_json turned into `data`."""
    if data is None:
        return None
    if dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        return hint(**{
            f.name: from_json(hints[f.name], data[f.name])
            for f in dataclasses.fields(hint) if f.init and f.name in data
        })
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        present = [arg for arg in args if arg is not type(None)]
        if len(present) != 1:
            raise TypeError(f"cannot tell which of {hint} was stored")
        return from_json(present[0], data)
    if origin is list:
        return [from_json(args[0], item) for item in data]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_json(args[0], item) for item in data)
        return tuple(from_json(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is dict:
        return {key: from_json(args[1], item) for key, item in data.items()}
    if hint is Decimal:
        return Decimal(data)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    return data


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)
