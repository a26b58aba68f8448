"""What can be exported: each kind says who may use it, how its filters are read, how
many rows it has and what they are. Apps register their kinds when they start
(`AppConfig.ready`); this app knows none of them.

A kind's rows are computed as the person who asked, at the time the task runs: what
they may see then is what goes into the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .writers import Cell, Layout

# (params, errors): the cleaned filters, or for each field the messages to show.
Parsed = tuple[dict[str, Any], dict[str, list[str]]]


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str  # "Tracker board": says what the file holds
    headers: Sequence[str]
    may_use: Callable[[Any], bool]
    refused_message: str
    parse: Callable[[Any, Mapping[str, Any]], Parsed]
    count: Callable[[Any, dict[str, Any], dt.date], int]
    rows: Callable[[Any, dict[str, Any], dt.date], Iterator[Sequence[Cell]]]
    file_stem: Callable[[dt.date], str]  # the downloaded file's name, without extension
    back_url: Callable[[dict[str, Any]], str]  # the page the export was asked from
    describe: Callable[[dict[str, Any]], list[str]] = lambda params: []
    sheet_title: str = "Export"
    layout: Layout = field(default_factory=Layout)  # the XLSX file's widths and colours


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing is not kind:
        raise ValueError(f"The export kind {kind.name!r} is registered twice.")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> ExportKind | None:
    return _KINDS.get(name)


def names() -> list[str]:
    return sorted(_KINDS)
