"""The thread model as JSON (``schemas/thread.schema.json``): the format any scraper can emit."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from ..errors import ConversionError
from ..model import Thread, normalize_text

NAME = "thread-json"
SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "thread.schema.json"


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))


def detect(text: str) -> float:
    head = text.lstrip()[:4096]
    return 1.0 if head.startswith("{") and '"forum-thread"' in head else 0.0


def _normalized(value: Any) -> Any:
    """Every string of the document as the model keeps text (JSON alone can carry NUL and lone surrogates)."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in value.items()}
    return value


def parse(text: str, path: str) -> Thread:
    try:
        data: Any = _normalized(json.loads(text))
    except json.JSONDecodeError as err:
        truncated = " (the file ends early: truncated?)" if err.pos >= len(text.rstrip()) else ""
        raise ConversionError(path, err.lineno, f"invalid JSON ({err.msg}){truncated}; expected a thread model") from None
    except RecursionError:
        raise ConversionError(path, None, "JSON nested too deeply; expected a thread model") from None
    except ValueError as err:  # e.g. an integer too long to read
        raise ConversionError(path, None, f"unreadable JSON ({err}); expected a thread model") from None
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise ConversionError(path, None, f"at {where}: {error.message} (see schemas/thread.schema.json)")
    try:
        thread = Thread.from_json(data)
    except (ValueError, KeyError, TypeError) as err:  # what the schema allows but the model does not
        raise ConversionError(path, None, f"not a valid thread model: {err} (see schemas/thread.schema.json)") from None
    thread.source = thread.source or path
    return thread
