"""What a rendered page links to and what its forms send, read with the standard
library's HTML parser: enough to check that links carry only ids and identifiers, and
that every POST form carries a CSRF token."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote, urlsplit

from .world import personal_words

# A path segment or query value in our own links: a number or a lower-case identifier
# (stage, kind, transition name, team code, sort key, file name). Names have capitals,
# spaces or accents, so they do not fit.
IDENTIFIER = re.compile(r"^[a-z0-9_.\-]*$")


@dataclass
class Form:
    method: str
    action: str
    has_csrf: bool = False


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name in ("href", "src", "action", "formaction"):
            if values.get(name):
                self.links.append(values[name])
        if tag == "form":
            self.forms.append(Form(values.get("method", "get").lower(), values.get("action", "")))
        if (
            tag == "input"
            and values.get("name") == "csrfmiddlewaretoken"
            and values.get("value")
            and self.forms
        ):
            self.forms[-1].has_csrf = True


@dataclass
class PageLinks:
    what: str
    actor: str
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)

    @classmethod
    def parse(cls, what: str, actor: str, html: str) -> PageLinks:
        reader = _Reader()
        reader.feed(html)
        return cls(what, actor, reader.links, reader.forms)

    @staticmethod
    def words() -> list[str]:
        return personal_words()

    @property
    def post_forms_have_csrf(self) -> bool:
        return all(form.has_csrf for form in self.forms if form.method == "post")

    @property
    def post_forms(self) -> list[Form]:
        return [form for form in self.forms if form.method == "post"]

    def personal_data_in_links(self) -> list[str]:
        found = []
        for link in self.links:
            problem = _problem(link)
            if problem:
                found.append(f"{self.what} as {self.actor}: link {link!r} {problem}")
        return found


def _problem(link: str) -> str | None:
    text = unquote(link)
    lowered = text.lower()
    for word in personal_words():
        if word.lower() in lowered:
            return f"contains personal data ({word})"
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return "points outside the service"
    for segment in parts.path.split("/"):
        if not IDENTIFIER.match(unquote(segment)):
            return f"has a path segment that is not an id or identifier ({segment!r})"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if not IDENTIFIER.match(key) or not IDENTIFIER.match(value):
            return f"has a query parameter that is not an id or identifier ({key}={value!r})"
    if parts.fragment and not IDENTIFIER.match(parts.fragment):
        return f"has a fragment that is not an identifier ({parts.fragment!r})"
    return None
