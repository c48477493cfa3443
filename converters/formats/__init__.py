"""Input formats as plug-ins: one module per format, found and chosen automatically.

A format module defines ``NAME``, ``detect(text) -> float`` (0 = not this format, 1 = certain) and
``parse(text, path) -> Thread``. Drop a new module in this package and it is registered.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from ..errors import ConversionError
from ..model import Thread

MIN_CONFIDENCE = 0.5


def available() -> list[ModuleType]:
    """Every format module in this package, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


def read_text(path: str, data: bytes) -> str:
    """Decode a capture as UTF-8, rejecting empty, binary and mis-encoded files with the line at fault."""
    if not data.strip():
        raise ConversionError(path, None, "the file is empty; expected a captured forum thread")
    if b"\0" in data[:8192]:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise ConversionError(path, line, "binary data (NUL byte); expected a text capture")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ConversionError(
            path, line, f"invalid UTF-8 (byte 0x{data[err.start]:02x}); expected UTF-8 text"
        ) from None


def parse(path: str, data: bytes, format_name: str | None = None) -> Thread:
    """Parse one capture with the named format, or the format that recognises it best."""
    text = read_text(path, data)
    formats = available()
    if format_name:
        chosen = [f for f in formats if f.NAME == format_name]
        if not chosen:
            names = ", ".join(f.NAME for f in formats)
            raise ConversionError(path, None, f"unknown format {format_name!r}; known: {names}")
        return chosen[0].parse(text, path)
    scored = sorted(((f.detect(text), f.NAME, f) for f in formats), key=lambda s: s[:2], reverse=True)
    score, _, best = scored[0]
    if score < MIN_CONFIDENCE:
        names = ", ".join(f.NAME for f in formats)
        raise ConversionError(path, 1, f"unrecognised format; expected one of: {names}")
    return best.parse(text, path)
