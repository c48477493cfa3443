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


# Files people mistake for captures, by their first bytes: named in the error instead of "binary data".
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32 text"), (b"\x00\x00\xfe\xff", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text"), (b"\xfe\xff", "UTF-16 text"),
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x1f\x8b", "a gzip archive"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"SQLite format 3\x00", "an SQLite database"),
)


def read_text(path: str, data: bytes) -> str:
    """Decode a capture as UTF-8, rejecting empty, binary, truncated and mis-encoded files with the line at fault."""
    if not data.strip():
        raise ConversionError(path, None, "the file is empty; expected a captured forum thread")
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            raise ConversionError(path, 1, f"this is {kind}; expected a text capture saved as UTF-8")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise ConversionError(path, line, "binary data (NUL byte); expected a text capture")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        if err.reason == "unexpected end of data":
            raise ConversionError(path, line, "the file ends inside a UTF-8 character (truncated?); "
                                  "expected complete UTF-8 text") from None
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
