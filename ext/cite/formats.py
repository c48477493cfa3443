"""Reference-manager exports of CSL-JSON records: CSL-JSON, BibTeX (biblatex) and RIS.

All three are line- or brace-structured text that forum text could break out of, so every value is
made inert first: BibTeX values are LaTeX-escaped with balanced braces only, RIS values are one line
each (any line break or other control character becomes a space), URLs are percent-encoded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from .dates import iso
from .records import Record

LATEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%", "&": r"\&",
         "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
LATEX_CHARS = re.compile("[" + re.escape("".join(LATEX)) + "]")
URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
CONTROL_RUNS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")  # C0, C1, line and paragraph separators


def one_line(text: str) -> str:
    """``text`` on one line: each run of line breaks, tabs and other control characters becomes one space."""
    return CONTROL_RUNS.sub(" ", text).strip()


def safe_url(url: str) -> str:
    """Percent-encode anything that is not plain URL syntax (spaces, braces, backslashes, non-ASCII)."""
    return quote(one_line(url), safe=URL_SAFE)


def _parts(record: Record, key: str) -> list[int] | None:
    value = record.get(key)
    return [int(v) for v in value["date-parts"][0]] if value and value.get("date-parts") else None


def _name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def _sentence(genre: str) -> str:
    return genre[:1].upper() + genre[1:]


@dataclass(frozen=True)
class Writer:
    """A format's text is its entries joined: a thread's file and the corpus file are made of the same entries."""

    entry: Callable[[Record], str]
    join: Callable[[Iterable[str]], str]

    def __call__(self, records: Iterable[Record]) -> str:
        return self.join(map(self.entry, records))


def csl_entry(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False)


# A CSL-JSON array with one record per line (compact, and diffs stay readable).
csl_json = Writer(csl_entry, lambda entries: "[\n" + ",\n".join(entries) + "\n]\n")


# BibTeX (biblatex)

def latex(text: str) -> str:
    return LATEX_CHARS.sub(lambda m: LATEX[m.group()], one_line(text))


def bib_key(record_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.\-]", "-", record_id) or "item"


def bibtex_entry(record: Record) -> str:
    """One biblatex ``@online`` entry (every record of the corpus is a post or a web page).

    The forum or the article's site is the ``organization``; the genre ("Online forum post") the
    ``titleaddon``, which biblatex-apa prints in brackets after the title as APA asks.
    """
    fields: list[tuple[str, str]] = []
    for name in record.get("author", []):
        # a literal name (a user handle) is one brace group, so biber never splits it into parts
        fields.append(("author", "{" + latex(name["literal"]) + "}" if "literal" in name else latex(_name(name))))
    if record.get("title"):
        fields.append(("title", latex(record["title"])))
    if record.get("genre"):
        fields.append(("titleaddon", latex(_sentence(record["genre"]))))
    if record.get("container-title"):
        fields.append(("organization", latex(record["container-title"])))
    if issued := _parts(record, "issued"):
        fields.append(("date", iso(issued)))
    if accessed := _parts(record, "accessed"):
        fields.append(("urldate", iso(accessed)))
    if record.get("URL"):
        fields.append(("url", safe_url(record["URL"])))
    authors = [value for key, value in fields if key == "author"]
    merged = ([("author", " and ".join(authors))] if authors else []) + [f for f in fields if f[0] != "author"]
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in merged)
    return f"@online{{{bib_key(str(record['id']))},\n{body}\n}}\n"


bibtex = Writer(bibtex_entry, "\n".join)


# RIS

def _ris_date(parts: list[int]) -> str:
    padded = [f"{parts[0]:04d}"] + [f"{v:02d}" for v in parts[1:]] + [""] * (3 - len(parts))
    return "/".join(padded) + "/"


def ris_entry(record: Record) -> str:
    """One RIS record, type ``ELEC`` (web page), closed by ``ER``; one value per line."""
    lines: list[tuple[str, str]] = [("TY", "ELEC")]
    lines += [("AU", _name(name)) for name in record.get("author", [])]
    for tag, key in (("TI", "title"), ("T2", "container-title")):
        if record.get(key):
            lines.append((tag, record[key]))
    if record.get("genre"):
        lines.append(("M3", _sentence(record["genre"])))
    if issued := _parts(record, "issued"):
        lines += [("PY", f"{issued[0]:04d}"), ("DA", _ris_date(issued))]
    if accessed := _parts(record, "accessed"):
        lines.append(("Y2", _ris_date(accessed)))
    if record.get("URL"):
        lines.append(("UR", safe_url(record["URL"])))
    lines.append(("ID", str(record["id"])))
    text = "".join(f"{tag}  - {one_line(value)}\n" for tag, value in lines)
    return text + "ER  - \n"


ris = Writer(ris_entry, "\n".join)


FORMATS: dict[str, tuple[str, Writer]] = {  # label -> (file extension, writer)
    "BibTeX": ("bib", bibtex),
    "RIS": ("ris", ris),
    "CSL-JSON": ("csl.json", csl_json),
}
