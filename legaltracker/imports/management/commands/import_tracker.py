"""`manage.py import_tracker FILE [--dry-run] [--mapping MAPPING] [--as USERNAME]`

Imports a council's live cases from its spreadsheet tracker (docs/imports.md). Exit codes:
0 every row imported (or would be), or was already; 1 some rows were not imported (each is
listed with its row, column, value and what to do); 2 the file, the mapping or the person
cannot be used at all (nothing was written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from legaltracker.core.errors import DomainError
from legaltracker.imports import parsing, services

SOME_ROWS_FAILED = 1
CANNOT_START = 2


class Command(BaseCommand):
    help = "Import live cases from a council's spreadsheet tracker (CSV or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The tracker: a .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report its problems; write nothing",
        )
        parser.add_argument(
            "--mapping",
            default="",
            help="Your headings to the tracker's fields: a JSON file, or "
            "'Heading=field;Heading=field'",
        )
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="The head of service the import acts as (the audit trail names them)",
        )

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(CANNOT_START)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not options["username"]:
            self._fail(
                "Name the head of service the import acts as, with --as USERNAME: the audit "
                "trail records every case as opened by them."
            )
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            self._fail(f"There is no active user '{options['username']}'.")
        if not services.may_import(user):
            self._fail(services.NOT_PERMITTED)
        try:
            mapping = _mapping(options["mapping"])
        except (DomainError, OSError) as error:
            self._fail(f"The mapping cannot be used: {getattr(error, 'message', error)}")
        if not path.is_file():
            self._fail(f"There is no file '{path}'.")
        if path.stat().st_size > parsing.MAX_BYTES:
            self._fail(
                f"The file is larger than the limit of {parsing.MAX_BYTES // 1024 // 1024} MB: "
                "split it into smaller files."
            )
        try:
            report = services.import_sheet(
                actor=user,
                content=path.read_bytes(),
                file_name=path.name,
                mapping=mapping,
                dry_run=options["dry_run"],
            )
        except DomainError as error:
            self._fail(f"Nothing was imported: {error.message}")
        self.stdout.write(f"File {path.name}, SHA-256 {report.sha256}")
        if report.ignored_headings:
            self.stdout.write("Columns not imported: " + ", ".join(report.ignored_headings))
        for problem in report.problems:
            self.stdout.write(problem.line())
        self.stdout.write(report.summary())
        if report.counts.get(services.Outcome.FAILED):
            raise SystemExit(SOME_ROWS_FAILED)


def _mapping(raw: str) -> dict[str, str]:
    raw = raw.strip()
    if not raw:
        return {}
    if not raw.startswith("{") and ("=" not in raw or raw.endswith(".json")):
        if len(raw) > 4096:
            raise CommandError("The mapping is too long.")
        raw = Path(raw).read_text(encoding="utf-8")[:100_000]
    return parsing.parse_mapping(raw.replace(";", "\n") if not raw.startswith("{") else raw)
