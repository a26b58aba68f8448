"""The small pictures of the easy-read letters, drawn here in code, reproducibly.

    python -m letters.build_easy_read     # writes them with the easy-read templates

Each picture is drawn on a 100 x 100 grid in one flat style: a pale teal disc behind,
dark outlines of the same width, teal, yellow and skin tones as the only fills. The
drawing is done at three times the size and averaged down (smooth edges), then written
as a PNG with the same writer as the council's logo (`build_templates._png`), so the
same code always gives the same bytes. No picture comes from anywhere else: they are
part of the project and licensed with it (docs/letter-formats.md).

Every shape is filled row by row (spans), so a picture takes a fraction of a second.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from .build_templates import _png

SIZE = 150  # pixels of the written PNG (about 150 dpi at the 2.5 cm the letters use)
SCALE = 3  # drawn at three times the size, then averaged down
LINE = 3.6  # the outline width, in grid units (the grid is 100 wide)

# The palette: index -> RGB. 0 is the paper.
PAPER, DISC, INK, TEAL, YELLOW, SKIN, WHITE, RED, GREY = range(9)
PALETTE: tuple[tuple[int, int, int], ...] = (
    (255, 255, 255),  # paper
    (222, 240, 238),  # the pale disc behind every picture
    (29, 43, 58),  # ink: every outline
    (0, 118, 112),  # teal (the council's colour)
    (244, 184, 40),  # yellow
    (241, 201, 165),  # skin
    (255, 255, 255),  # white inside shapes
    (196, 60, 48),  # red (only the date ringed on the calendar)
    (200, 208, 214),  # grey
)

Point = tuple[float, float]


class Canvas:
    """A palette-indexed drawing surface, `SIZE * SCALE` pixels a side, addressed in
    grid units (0 to 100)."""

    def __init__(self) -> None:
        self.n = SIZE * SCALE
        self.k = self.n / 100.0
        self.pixels = bytearray(self.n * self.n)

    # -- spans ------------------------------------------------------------------------

    def _span(self, row: int, left: float, right: float, colour: int) -> None:
        """Fill the pixels of a row whose centres lie between `left` and `right`."""
        if row < 0 or row >= self.n:
            return
        x0 = max(0, math.ceil(left - 0.5))
        x1 = min(self.n, math.floor(right - 0.5) + 1)
        if x1 > x0:
            start = row * self.n
            self.pixels[start + x0 : start + x1] = bytes([colour]) * (x1 - x0)

    def _rows(self, top: float, bottom: float) -> range:
        return range(max(0, math.floor(top)), min(self.n, math.ceil(bottom) + 1))

    # -- shapes (grid units) ----------------------------------------------------------

    def circle(self, cx: float, cy: float, r: float, colour: int) -> None:
        k = self.k
        cx, cy, r = cx * k, cy * k, r * k
        for row in self._rows(cy - r, cy + r):
            dy = row + 0.5 - cy
            if abs(dy) < r:
                half = math.sqrt(r * r - dy * dy)
                self._span(row, cx - half, cx + half, colour)

    def polygon(self, points: Sequence[Point], colour: int) -> None:
        k = self.k
        pts = [(x * k, y * k) for x, y in points]
        top = min(y for _, y in pts)
        bottom = max(y for _, y in pts)
        edges = list(zip(pts, pts[1:] + pts[:1], strict=True))
        for row in self._rows(top, bottom):
            yc = row + 0.5
            crossings = []
            for (xa, ya), (xb, yb) in edges:
                if (ya <= yc < yb) or (yb <= yc < ya):
                    crossings.append(xa + (yc - ya) * (xb - xa) / (yb - ya))
            crossings.sort()
            for left, right in zip(crossings[::2], crossings[1::2], strict=False):
                self._span(row, left, right, colour)

    def rect(
        self, x0: float, y0: float, x1: float, y1: float, colour: int, radius: float = 0.0
    ) -> None:
        if radius <= 0:
            self.polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], colour)
            return
        r = min(radius, (x1 - x0) / 2, (y1 - y0) / 2)
        self.rect(x0 + r, y0, x1 - r, y1, colour)
        self.rect(x0, y0 + r, x1, y1 - r, colour)
        for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
            self.circle(cx, cy, r, colour)

    def line(self, a: Point, b: Point, colour: int = INK, width: float = LINE) -> None:
        (xa, ya), (xb, yb) = a, b
        length = math.hypot(xb - xa, yb - ya)
        if length > 0:
            nx, ny = -(yb - ya) / length * width / 2, (xb - xa) / length * width / 2
            self.polygon(
                [(xa + nx, ya + ny), (xb + nx, yb + ny), (xb - nx, yb - ny), (xa - nx, ya - ny)],
                colour,
            )
        self.circle(xa, ya, width / 2, colour)
        self.circle(xb, yb, width / 2, colour)

    def path(
        self,
        points: Sequence[Point],
        colour: int = INK,
        width: float = LINE,
        closed: bool = False,
    ) -> None:
        pairs = list(pairwise(points))
        if closed:
            pairs.append((points[-1], points[0]))
        for a, b in pairs:
            self.line(a, b, colour, width)

    def shape(self, points: Sequence[Point], fill: int, outline: int = INK) -> None:
        """A filled polygon with the common outline."""
        self.polygon(points, fill)
        self.path(points, outline, closed=True)

    def box(
        self, x0: float, y0: float, x1: float, y1: float, fill: int, radius: float = 0.0
    ) -> None:
        """A filled (rounded) rectangle with the common outline."""
        half = LINE / 2
        self.rect(x0 - half, y0 - half, x1 + half, y1 + half, INK, radius + half if radius else 0)
        self.rect(x0 + half, y0 + half, x1 - half, y1 - half, fill, max(radius - half, 0))

    def disc(self, cx: float, cy: float, r: float, fill: int) -> None:
        """A filled circle with the common outline."""
        self.circle(cx, cy, r + LINE / 2, INK)
        self.circle(cx, cy, r - LINE / 2, fill)

    def arc(
        self,
        cx: float,
        cy: float,
        r: float,
        start: float,
        end: float,
        colour: int = INK,
        width: float = LINE,
    ) -> None:
        """An arc from `start` to `end` degrees (0 = right, 90 = down)."""
        steps = max(6, int(abs(end - start) / 8))
        points = [
            (
                cx + r * math.cos(math.radians(start + (end - start) * i / steps)),
                cy + r * math.sin(math.radians(start + (end - start) * i / steps)),
            )
            for i in range(steps + 1)
        ]
        self.path(points, colour, width)

    # -- output ---------------------------------------------------------------------------

    def png(self) -> bytes:
        n, s = self.n, SCALE
        area = s * s
        pixels = self.pixels
        out: list[list[tuple[int, int, int, int]]] = []
        for y in range(SIZE):
            row_out = []
            for x in range(SIZE):
                r = g = b = 0
                for sy in range(s):
                    base = (y * s + sy) * n + x * s
                    for colour in pixels[base : base + s]:
                        pr, pg, pb = PALETTE[colour]
                        r += pr
                        g += pg
                        b += pb
                row_out.append((r // area, g // area, b // area, 255))
            out.append(row_out)
        return _png(SIZE, SIZE, lambda x, y: out[y][x])


def _person(c: Canvas, x: float, y: float, scale: float, body: int) -> None:
    """A person from the chest up: head centre (x, y)."""
    c.box(x - 13 * scale, y + 11 * scale, x + 13 * scale, y + 34 * scale, body, radius=11 * scale)
    c.disc(x, y, 9 * scale, SKIN)


# --- the pictures ------------------------------------------------------------------------


def family(c: Canvas) -> None:
    """A house with a grown-up and a child in front of it."""
    c.shape([(18, 44), (50, 18), (82, 44)], TEAL)
    c.box(24, 44, 76, 80, WHITE)
    c.box(60, 50, 71, 60, YELLOW)
    _person(c, 38, 56, 0.85, TEAL)
    _person(c, 58, 68, 0.55, YELLOW)
    c.line((10, 86), (90, 86))


def worried(c: Canvas) -> None:
    """A worried face: raised brows and a turned-down mouth."""
    c.disc(50, 50, 30, YELLOW)
    c.circle(39, 46, 3.6, INK)
    c.circle(61, 46, 3.6, INK)
    c.line((31, 36), (43, 33))
    c.line((57, 33), (69, 36))
    c.arc(50, 74, 12, 220, 320)


def checklist(c: Canvas) -> None:
    """A sheet with three lines, each with a tick."""
    c.box(26, 16, 74, 86, WHITE, radius=3)
    for y in (32, 51, 70):
        c.path([(33, y), (37, y + 5), (45, y - 5)], TEAL, width=4.2)
        c.line((51, y), (66, y), GREY, width=4.0)


def calendar(c: Canvas) -> None:
    """A calendar page with one day ringed."""
    c.box(20, 24, 80, 82, WHITE, radius=4)
    c.rect(21.8, 25.8, 78.2, 38, TEAL)
    c.line((20, 38), (80, 38))
    c.line((34, 17), (34, 30), width=4.5)
    c.line((66, 17), (66, 30), width=4.5)
    for row, y in enumerate((48, 59, 70)):
        for col, x in enumerate((31, 43, 55, 67)):
            if (row, col) == (1, 2):
                c.circle(x, y, 6.5, RED)
                c.circle(x, y, 3.7, WHITE)
            c.rect(x - 2.5, y - 2.5, x + 2.5, y + 2.5, INK)


def meeting(c: Canvas) -> None:
    """Three people round a table."""
    _person(c, 28, 32, 0.75, TEAL)
    _person(c, 50, 27, 0.75, YELLOW)
    _person(c, 72, 32, 0.75, TEAL)
    c.box(14, 56, 86, 66, WHITE, radius=2)
    c.line((24, 66), (24, 86))
    c.line((76, 66), (76, 86))


def solicitor(c: Canvas) -> None:
    """A person with a briefcase."""
    _person(c, 42, 30, 1.1, TEAL)
    c.path([(40, 42), (42, 58), (44, 42)], WHITE, width=3)
    c.box(56, 62, 84, 82, YELLOW, radius=2)
    c.box(64, 56, 76, 62, WHITE, radius=1.5)
    c.line((56, 70), (84, 70))


def phone(c: Canvas) -> None:
    """A mobile phone."""
    c.box(34, 14, 66, 86, TEAL, radius=6)
    c.box(39, 24, 61, 70, WHITE, radius=1)
    c.circle(50, 78, 3.2, WHITE)
    c.line((45, 19), (55, 19), WHITE, width=2.2)


def court(c: Canvas) -> None:
    """A court building: a roof, columns and steps."""
    c.shape([(16, 36), (50, 15), (84, 36)], TEAL)
    c.box(20, 36, 80, 42, WHITE)
    for x in (28, 42, 58, 72):
        c.box(x - 3.5, 42, x + 3.5, 72, WHITE)
    c.box(18, 72, 82, 78, WHITE)
    c.box(13, 78, 87, 85, WHITE)


def talk(c: Canvas) -> None:
    """Two speech bubbles."""
    c.shape([(16, 22), (60, 22), (60, 50), (34, 50), (24, 60), (26, 50), (16, 50)], TEAL)
    c.shape([(42, 46), (84, 46), (84, 72), (76, 72), (78, 82), (66, 72), (42, 72)], YELLOW)
    for x in (28, 38, 48):
        c.circle(x, 36, 2.8, WHITE)
    for x in (54, 63, 72):
        c.circle(x, 59, 2.8, INK)


def letter(c: Canvas) -> None:
    """An envelope."""
    c.box(16, 28, 84, 74, WHITE, radius=2)
    c.shape([(16, 28), (50, 54), (84, 28)], YELLOW)
    c.line((16, 74), (42, 50))
    c.line((84, 74), (58, 50))


@dataclass(frozen=True)
class Picture:
    name: str
    alt: str
    draw: Callable[[Canvas], None]

    @property
    def file_name(self) -> str:
        return f"{self.name}.png"

    def png(self) -> bytes:
        canvas = Canvas()
        canvas.circle(50, 50, 48, DISC)
        self.draw(canvas)
        return canvas.png()


PICTURES: dict[str, Picture] = {
    p.name: p
    for p in (
        Picture("family", "A drawing of a house with a parent and a child", family),
        Picture("worried", "A drawing of a worried face", worried),
        Picture("checklist", "A drawing of a list with ticks", checklist),
        Picture("calendar", "A drawing of a calendar with a date circled", calendar),
        Picture("meeting", "A drawing of people sitting round a table", meeting),
        Picture("solicitor", "A drawing of a solicitor with a briefcase", solicitor),
        Picture("phone", "A drawing of a phone", phone),
        Picture("court", "A drawing of a court building", court),
        Picture("talk", "A drawing of two speech bubbles", talk),
        Picture("letter", "A drawing of a letter in an envelope", letter),
    )
}


@cache
def picture_png(name: str) -> bytes:
    """The PNG of a picture, drawn once a process."""
    return PICTURES[name].png()
