"""`manage.py subject_access_export --by USERNAME --child-id N --adult-id N ... [--output FILE]`

Export, as JSON, everything held about one person for a subject access request: every
case the given child and adult rows are on (see legaltracker/audit/subject_access.py).
A person is one row per case they appear on, so give every row that is them: repeat
`--child-id` / `--adult-id`, or use `--person-id child:N` / `--person-id adult:N`.

`--by` names the administrator handling the request: the export is recorded in the
access log against them (action `command:subject_access_export`) before it is built.
The request id of that row is printed on stderr. With `--output`, the file is created
readable by its owner only; it must not already exist.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from legaltracker.audit import services
from legaltracker.core.errors import DomainError

_PERSON = re.compile(r"^(child|adult):(\d{1,18})$")


class Command(BaseCommand):
    help = "Export everything held about one person (subject access request) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", required=True, help="Username of the administrator handling it")
        parser.add_argument("--child-id", type=int, action="append", default=[], dest="child_ids")
        parser.add_argument("--adult-id", type=int, action="append", default=[], dest="adult_ids")
        parser.add_argument(
            "--person-id",
            action="append",
            default=[],
            dest="person_ids",
            help="child:<id> or adult:<id>",
        )
        parser.add_argument("--output", help="Write to this new file instead of stdout")

    def handle(
        self,
        *args: Any,
        by: str,
        child_ids: list[int],
        adult_ids: list[int],
        person_ids: list[str],
        output: str | None,
        **options: Any,
    ) -> None:
        children, adults = list(child_ids), list(adult_ids)
        for person in person_ids:
            match = _PERSON.match(person.strip())
            if match is None:
                raise CommandError(
                    f"--person-id must be child:<id> or adult:<id> (got {person!r})."
                )
            (children if match.group(1) == "child" else adults).append(int(match.group(2)))
        actor = get_user_model().objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"There is no active user {by!r}.")
        request_id = uuid.uuid4()
        try:
            data = services.subject_access_export(
                actor=actor,
                child_ids=children,
                adult_ids=adults,
                request_id=request_id,
                action="command:subject_access_export",
                status=0,
            )
        except DomainError as err:
            raise CommandError(err.message) from err
        body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        if output:
            try:
                descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError as exc:
                raise CommandError(f"{output} already exists: choose a new file.") from exc
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(body + "\n")
        else:
            self.stdout.write(body)
        self.stderr.write(
            f"Exported {len(data['cases'])} case(s); "
            f"recorded in the access log as request {request_id}."
        )
