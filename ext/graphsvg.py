"""A thread's quote graph (who quoted whom) drawn as inline SVG, in Python, with no external tool.

Why not Graphviz: ``dot`` is one more system package a fresh machine must have, a process per
thread page, and ``sphinx.ext.graphviz`` embeds SVG with ``<object>``, which the site's
Content-Security-Policy (``object-src 'none'``) blocks. An inline SVG needs nothing, takes the
theme's colours from the stylesheet (light and dark), and its member names are links.

Members sit on a circle in the order they first posted; an arrow points from the member who quoted
to the member quoted, thicker for more quotes; a member's dot grows with their posts in the thread.
Members who are quoted but did not post in the thread are drawn hollow. Every name is escaped and
its invisible characters shown as marks; no ``style`` attribute is written (the CSP forbids them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from .invisible import split_invisible

LABEL_CHARS = 22  # longer names are shortened in the picture (the full name is in the tooltip)
SPACING = 44  # units of arc between two members on the circle
MIN_RADIUS = 90
LABEL_GAP = 6  # between a dot and its label
CHAR_WIDTH = 7.2  # a label's average character width at the stylesheet's 12px, for the picture's margins
EDGE_BEND = 0.16  # how far an edge bows out of the straight line (so A→B and B→A do not overlap)


@dataclass(frozen=True)
class Person:
    """A node: a member, their posts in this thread (0: quoted from elsewhere) and their page's URL."""

    name: str
    posts: int
    href: str | None = None


@dataclass(frozen=True)
class Edge:
    """``source`` (index of the member who quoted) quoted ``target`` ``count`` times."""

    source: int
    target: int
    count: int


def _shown(name: str) -> str:
    """The name as it is drawn: invisible characters replaced by their visible marks."""
    parts = split_invisible(name)
    return name if parts is None else "".join(part.astext() for part in parts)


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def node_radius(posts: int) -> float:
    return 4.0 if posts == 0 else min(14.0, 4.0 + 2.2 * math.sqrt(posts))


def edge_width(count: int) -> float:
    return min(6.0, 1.0 + 1.2 * math.log2(count))


def layout(n: int) -> tuple[float, list[tuple[float, float]]]:
    """The circle's radius and each member's position, clockwise from the top."""
    radius = max(MIN_RADIUS, SPACING * n / (2 * math.pi))
    return radius, [(radius * math.cos(-math.pi / 2 + 2 * math.pi * i / n),
                     radius * math.sin(-math.pi / 2 + 2 * math.pi * i / n)) for i in range(n)]


def _toward(p: tuple[float, float], q: tuple[float, float], distance: float) -> tuple[float, float]:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy) or 1.0
    return p[0] + dx / length * distance, p[1] + dy / length * distance


def _edge_path(p0: tuple[float, float], p2: tuple[float, float], r0: float, r2: float) -> str:
    """A quadratic curve from the rim of one dot to just outside the rim of the other (room for the arrowhead)."""
    dx, dy = p2[0] - p0[0], p2[1] - p0[1]
    mid = ((p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2)
    control = (mid[0] - dy * EDGE_BEND, mid[1] + dx * EDGE_BEND)
    start, end = _toward(p0, control, r0 + 1), _toward(p2, control, r2 + 2)
    return f"M{_num(start[0])},{_num(start[1])} Q{_num(control[0])},{_num(control[1])} {_num(end[0])},{_num(end[1])}"


def _loop_path(p: tuple[float, float], r: float) -> str:
    """A small loop on the inner side of a dot (labels are outside): a member quoting their own post."""
    c = _toward((0.0, 0.0), p, math.hypot(*p) - r - 6) if any(p) else (p[0], p[1] + r + 6)
    return f"M{_num(c[0] - 7)},{_num(c[1])} a7,7 0 1,1 14,0 a7,7 0 1,1 -14,0"


def render(people: list[Person], edges: list[Edge], graph_id: str, title: str) -> str:
    """The SVG element (a string of markup; every name escaped) for ``people`` and the ``edges`` between them."""
    radius, points = layout(len(people))
    labels = [_short(_shown(p.name)) for p in people]
    half_w = radius + 14 + LABEL_GAP + CHAR_WIDTH * max(len(label) for label in labels)
    half_h = radius + 14 + LABEL_GAP + 16
    # Drawn at its natural size (labels at the stylesheet's 12px) where there is room; CSS shrinks it on phones.
    out = [f'<svg class="qg" xmlns="http://www.w3.org/2000/svg" viewBox="{_num(-half_w)} {_num(-half_h)} '
           f'{_num(2 * half_w)} {_num(2 * half_h)}" width="{round(2 * half_w)}" height="{round(2 * half_h)}" '
           f'role="group" aria-labelledby="{escape(graph_id)}-title">',
           f'<title id="{escape(graph_id)}-title">{escape(title)}</title>',
           f'<defs><marker id="{escape(graph_id)}-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="9" '
           'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path class="qg-arrowhead" '
           'd="M0,0 L10,5 L0,10 z"/></marker></defs>', '<g class="qg-edges">']
    radii = [node_radius(p.posts) for p in people]
    for edge in sorted(edges, key=lambda e: (e.count, e.source, e.target)):
        who, whom = _shown(people[edge.source].name), _shown(people[edge.target].name)
        tip = escape(f"{who} quoted {whom} {_plural(edge.count, 'time')}" if edge.source != edge.target
                     else f"{who} quoted their own post {_plural(edge.count, 'time')}")
        if edge.source == edge.target:
            out.append(f'<path class="qg-edge qg-self" d="{_loop_path(points[edge.source], radii[edge.source])}" '
                       f'stroke-width="{_num(edge_width(edge.count))}"><title>{tip}</title></path>')
            continue
        d = _edge_path(points[edge.source], points[edge.target], radii[edge.source], radii[edge.target])
        out.append(f'<path class="qg-edge" d="{d}" stroke-width="{_num(edge_width(edge.count))}" '
                   f'marker-end="url(#{escape(graph_id)}-arrow)"><title>{tip}</title></path>')
    out.append('</g><g class="qg-nodes">')
    for person, label, (x, y), r in zip(people, labels, points, radii):
        name = _shown(person.name)
        anchor = "middle" if abs(x) < 0.05 * radius else ("start" if x > 0 else "end")
        lx, ly = _toward((0.0, 0.0), (x, y), radius + r + LABEL_GAP)
        if anchor == "middle":
            ly += 5 if y > 0 else -3
        where = _plural(person.posts, "post") + " in this thread" if person.posts else "quoted from another thread"
        kind = "qg-node" + ("" if person.posts else " qg-visitor")
        item = (f'<title>{escape(name)} — {escape(where)}</title><circle class="{kind}" cx="{_num(x)}" '
                f'cy="{_num(y)}" r="{_num(r)}"/><text class="qg-label" x="{_num(lx)}" y="{_num(ly)}" '
                f'text-anchor="{anchor}" dominant-baseline="middle">{escape(label)}</text>')
        out.append(f'<a href="{escape(person.href, quote=True)}">{item}</a>' if person.href else f"<g>{item}</g>")
    out.append("</g></svg>")
    return "".join(out)
