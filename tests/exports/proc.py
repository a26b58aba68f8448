"""Helper commands for the real-process test, each run in its own process against the
shared database: `python -m tests.exports.proc seed|request|download ...`.

- `seed`: migrate, then the staff of two teams and cases on the board of each; prints
  {"references": [team north's references], "other": [team south's]} as JSON.
- `request USERNAME`: ask for the whole board as XLSX as that person (the service the
  board's link calls; the task is queued on the shared queue); prints the job's id.
- `download USERNAME JOB_ID`: the download view through Django's test client, signed
  in as that person; prints {"status": ..., "references": [the file's first column]}.
"""

from __future__ import annotations

import io
import json
import sys


def seed() -> dict[str, list[str]]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from legaltracker.cases.choices import Stage
    from tests.factories import Staff, TeamFactory, case_at

    north = Staff(TeamFactory(code="north", name="North Family Support"))
    south = Staff(TeamFactory(code="south", name="South Family Support"))
    mine = [case_at(stage, north).reference for stage in (Stage.LEGAL_GATEWAY,) * 30]
    theirs = [case_at(Stage.LEGAL_GATEWAY, south).reference for _ in range(5)]
    return {"references": mine, "other": theirs}


def request(username: str) -> int:
    from legaltracker.accounts.models import User
    from legaltracker.core import clock
    from legaltracker.exports.services import export_request

    job = export_request(
        actor=User.objects.get(username=username),
        kind="board",
        file_format="xlsx",
        params={},
        today=clock.today(),
    )
    return job.pk


def download(username: str, job_id: str) -> dict[str, object]:
    from django.test import Client
    from openpyxl import load_workbook

    from legaltracker.accounts.models import User
    from legaltracker.security.sessions import mark_second_factor

    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    session = client.session
    mark_second_factor(session, user)
    session.save()
    response = client.get(f"/exports/{job_id}/download/")
    if response.status_code != 200:
        return {"status": response.status_code, "references": []}
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    return {"status": 200, "references": [row[0] for row in rows[1:]]}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *rest = argv
    if command == "seed":
        print(json.dumps(seed()))
    elif command == "request":
        print(json.dumps(request(*rest)))
    elif command == "download":
        print(json.dumps(download(*rest)))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
