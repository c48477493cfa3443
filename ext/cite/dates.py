"""Dates as CSL ``date-parts``: post and article dates are free text from captures, citations need parts.

Only what can be read without guessing becomes a date: ISO 8601 (``2023-05-27``, ``2023-05``,
``2023``, with or without a time) and English dates with a month name (``May 27, 2023``,
``27 May 2023``, ``SATURDAY, MAY 27, 2023 - 04:20 AM``, ``May 2023``). Numeric dates like
``05/06/2023`` are ambiguous (day or month first) and relative ones ("Yesterday") need a reference
time, so they give ``None`` and the citation says "n.d." as its style prescribes.
"""

from __future__ import annotations

import datetime
import re

MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?:[T ][0-9:.+\-Z ]*)?")
WORDED = [re.compile(rf"\b{pattern}\b", re.IGNORECASE) for pattern in (
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",   # May 27, 2023
    rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",   # 27 May 2023
    rf"{_MONTH},?\s+{_YEAR}",            # May 2023
)]


def _parts(year: str, month: str | None, day: str | None) -> list[int] | None:
    parts = [int(year)] + [int(v) for v in (month, day) if v is not None]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts


def date_parts(text: str | None) -> list[int] | None:
    """``[year, month, day]`` (month and day when known) for ``text``, or ``None`` if it is not a clear date."""
    if not text or not text.strip():
        return None
    text = text.strip()
    iso = ISO.fullmatch(text)
    if iso:
        return _parts(iso["year"], iso["month"], iso["day"])
    for pattern in WORDED:
        found = pattern.search(text)
        if found:
            month = str(MONTHS[found["month"].lower()])
            return _parts(found["year"], month, found.groupdict().get("day"))
    return None


def csl_date(text: str | None) -> dict[str, list[list[int]]] | None:
    """The CSL-JSON date object for ``text``, or ``None``."""
    parts = date_parts(text)
    return {"date-parts": [parts]} if parts else None


def iso(parts: list[int]) -> str:
    """``2023-05-27`` / ``2023-05`` / ``2023``: how BibTeX ``date`` fields and meta tags want it."""
    return "-".join(f"{v:04d}" if i == 0 else f"{v:02d}" for i, v in enumerate(parts))
