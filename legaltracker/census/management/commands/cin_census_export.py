"""`manage.py cin_census_export --year 2026 --format xml|csv|xlsx [--out FILE] [--check]
[--user USERNAME]`

Write the census year's pre-proceedings blocks (docs/census-export.md):
XML nested as in the national return, or CSV/XLSX with the case reference, written while
the blocks are streamed. Without `--out` the XML or CSV goes to stdout; XLSX needs
`--out`. The file is written beside its name and moved into place when complete, readable
by its owner only.

`--check` validates only: it prints the counts and every error and query. The command
exits with 1 while errors remain (queries alone do not fail it); the summary goes to
stderr when the file goes to stdout. Every run is recorded in the access log (action
"command cin_census_export"), against `--user` when given.
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from legaltracker.census import exporting
from legaltracker.census.blocks import CensusBlock
from legaltracker.census.rules import Finding
from legaltracker.exports import writers


def _finding_line(finding: Finding) -> str:
    where = finding.la_child_id or (f"child {finding.child_id}" if finding.child_id else "")
    where = where or "the return"
    fields = f" [{', '.join(finding.fields)}]" if finding.fields else ""
    return f"{finding.severity.upper()} {finding.code} {where}{fields}: {finding.message}"


class Command(BaseCommand):
    help = (
        "Export the CIN census pre-proceedings and FGDM blocks of a census year as XML, "
        "CSV or XLSX, or check them (--check). Exits with 1 while errors remain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", required=True, help="Census year: 2026 for 1 April 2026 to 31 March 2027"
        )
        parser.add_argument("--format", choices=exporting.FORMATS, default="xml")
        parser.add_argument("--out", help="Write to this file instead of stdout")
        parser.add_argument(
            "--check", action="store_true", help="Validate only: counts, errors and queries"
        )
        parser.add_argument("--user", help="Username recorded in the access log as running it")
        parser.add_argument(
            "--chunk-size", type=int, default=exporting.CHUNK_SIZE, help=argparse.SUPPRESS
        )

    def handle(
        self,
        *args: Any,
        year: str,
        format: str,
        out: str | None,
        check: bool,
        user: str | None,
        chunk_size: int,
        **options: Any,
    ) -> None:
        census_year, error = exporting.parse_year(year)
        if census_year is None:
            raise CommandError(f"--year: {error}")
        if chunk_size < 1:
            raise CommandError("--chunk-size must be 1 or more.")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"--user: there is no active user {user!r}.")
        if not check and format == "xlsx" and not out:
            raise CommandError("--format xlsx needs --out FILE: a workbook is not text.")
        target = Path(out) if out and not check else None
        if target is not None and not target.parent.is_dir():
            raise CommandError(f"--out: the folder {target.parent} does not exist.")

        exporting.record_run(
            actor=actor,
            year=census_year,
            file_format="check" if check else format,
            action=exporting.COMMAND_ACTION,
            status=0,
        )
        counts = exporting.Counts(year=census_year)
        checked = exporting.checked_blocks(census_year, counts, chunk_size=chunk_size)
        # The summary goes beside the file, or to stderr when the file is on stdout.
        report = self.stdout if (check or target is not None) else self.stderr
        if check:
            for _, findings in checked:
                for finding in findings:
                    self.stdout.write(_finding_line(finding))
        else:
            blocks = self._blocks(checked, report)
            if target is not None:
                self._write_file(target, format, census_year, blocks)
            else:
                # The wrapped stream itself: the wrapper ends every write with a newline.
                stream: Any = self.stdout._out
                if format == "xml":
                    exporting.write_xml(stream, census_year, blocks)
                else:
                    self._write_csv_stream(stream, blocks)
            self.stdout.flush()
        for finding in counts.return_level:
            report.write(_finding_line(finding) + "\n")
        report.write(
            f"Census year {exporting.year_label(census_year)}: {counts.blocks} blocks, "
            f"{counts.children} children, {counts.errors} errors, {counts.queries} queries.\n"
        )
        if target is not None:
            report.write(f"Written to {target}.\n")
        if counts.errors:
            raise CommandError(
                f"{counts.errors} errors remain: fix them (the census return page lists "
                "them), then export again.",
                returncode=1,
            )

    def _blocks(
        self, checked: Iterator[tuple[CensusBlock, list[Finding]]], report: OutputWrapper
    ) -> Iterator[CensusBlock]:
        for block, findings in checked:
            for finding in findings:
                if finding.severity == exporting.ERROR:
                    report.write(_finding_line(finding) + "\n")
            yield block

    def _write_csv_stream(self, out: Any, blocks: Iterator[CensusBlock]) -> None:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(exporting.HEADERS)
        for row in exporting.block_rows(blocks):
            writer.writerow([writers.csv_cell(value) for value in row])

    def _write_file(
        self, target: Path, file_format: str, year: int, blocks: Iterator[CensusBlock]
    ) -> None:
        """Written to a temporary file beside the target, moved into place once complete:
        a failed run leaves no half-written return."""
        descriptor, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
        part = Path(name)
        try:
            os.close(descriptor)
            os.chmod(part, 0o600)
            if file_format == "xml":
                with part.open("w", encoding="utf-8") as handle:
                    exporting.write_xml(handle, year, blocks)
            elif file_format == "csv":
                writers.write_csv(part, exporting.HEADERS, exporting.block_rows(blocks))
            else:
                writers.write_xlsx(
                    part,
                    exporting.HEADERS,
                    exporting.block_rows(blocks),
                    title=exporting.KIND.sheet_title,
                    layout=exporting.LAYOUT,
                )
            part.replace(target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
