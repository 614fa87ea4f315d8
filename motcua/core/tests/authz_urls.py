"""Every URL the resolver knows (Django views, the admin and the Ninja API), with its path filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str   # "namespace:name", or "namespace:?" for an unnamed pattern
    route: str  # the pattern as written, e.g. "mot-cua/ho-so/<str:code>/"

    @property
    def key(self) -> str:
        return self.name if not self.name.endswith(":?") and self.name != "?" else self.route


def all_routes() -> list[Route]:
    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                yield Route(namespace + (pattern.name or "?"), prefix + str(pattern.pattern))

    return list(walk(get_resolver().url_patterns, "", ""))


def fill(route: str, values: dict[str, str]) -> str:
    """The concrete path: placeholders replaced by VALUES; the admin's regular expressions by fixed examples."""
    path = route.replace("^(?P<app_label>", "(?P<app_label>")
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "dossiers", path)
    path = path.replace("(?P<url>.*)$", "khong-co-trang-nay/").replace("/$", "/").rstrip("$")
    missing = [name for name in _PLACEHOLDER.findall(path) if name not in values]
    if missing:
        raise KeyError(f"no value for path parameter(s) {missing} of {route}")
    return "/" + _PLACEHOLDER.sub(lambda m: values[m[1]], path)
