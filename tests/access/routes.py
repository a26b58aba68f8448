"""Every URL pattern of the project, read from the URL resolver (recursively), so that
tests can insist that each one is covered: a new page or endpoint without an entry in
the access matrix or the axe crawl fails those tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from django.urls.resolvers import RoutePattern


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", as reverse() takes it
    pattern: str  # the full route, for messages
    params: tuple[tuple[str, str], ...]  # (parameter, converter: "int", "slug", "str", "regex")

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""


def _converter(converter: object) -> str:
    for cls, label in ((IntConverter, "int"), (SlugConverter, "slug"), (StringConverter, "str")):
        if type(converter) is cls:
            return label
    return type(converter).__name__


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = entry.pattern
            if isinstance(pattern, RoutePattern):
                params = tuple((k, _converter(v)) for k, v in pattern.converters.items())
            else:
                params = tuple((k, "regex") for k in pattern.regex.groupindex)
            name = entry.name or f"<unnamed {prefix}{pattern}>"
            yield Route(
                name=f"{namespace}:{name}" if namespace else name,
                pattern=prefix + str(pattern),
                params=params,
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver(), "", ""))
