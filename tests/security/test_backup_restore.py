"""Backups restore: the documented procedure (docs/operations.md, "Backups") run for real.
Letters are made, the database is dumped with pg_dump and the letter files archived with
tar; both are restored into a fresh database and a fresh folder, and every letter's
SHA-256 recorded in the restored database is checked against its restored file.

PostgreSQL only (pg_dump). The restored database is named after the test database
(`test_<name>` -> `<name>_restore`: lt_security_restore in development,
legaltracker_ci_<pid>_restore in CI) and dropped afterwards.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from letters import conf, storage
from letters.models import Letter
from tests.letters.conftest import add_expectation, family_case, generate, set_details
from tests.markers import postgresql_only


def _pg(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", settings_dict["HOST"] or "127.0.0.1", "-p", str(settings_dict["PORT"] or 5432)]
    if settings_dict["USER"]:
        args += ["-U", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def restore_name(test_name: str) -> str:
    return test_name.removeprefix("test_") + "_restore"


def mismatches(dbname: str, settings_dict: dict[str, Any], root: Path) -> tuple[int, list[str]]:
    """Every letter in the restored database against its restored file."""
    wrong = []
    with psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        dbname=dbname,
    ) as db:
        rows = db.execute(
            f"SELECT id, case_id, file_sha256 FROM {Letter._meta.db_table} ORDER BY id"
        ).fetchall()
    for letter_id, case_id, digest in rows:
        path = root / f"case-{case_id}" / f"{digest}.docx"
        if not path.is_file():
            wrong.append(f"letter {letter_id}: no file")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            wrong.append(f"letter {letter_id}: checksum differs")
    return len(rows), wrong


@pytest.mark.slow
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_dump_and_the_letter_files_restore_and_every_checksum_matches(
    staff, today, tmp_path, settings
):
    original_root = tmp_path / "private" / "letters"
    settings.LETTERS_STORAGE_ROOT = str(original_root)
    case = family_case("pre_proceedings", staff)
    add_expectation(case, staff.social_worker)
    set_details(case, staff.social_worker)
    adults = [a for a in case.adults.all() if a.parental_responsibility]
    made = [generate(case, staff.social_worker, recipient=adult) for adult in adults]
    made.append(generate(case, staff.legal, recipient=adults[0]))
    assert len(made) >= 3
    assert conf.storage_root() == original_root
    for letter in made:
        assert storage.letter_path(case.pk, letter.file_sha256, "docx").is_file()

    settings_dict = connection.settings_dict
    args, env = _pg(settings_dict)
    dump = tmp_path / "backup" / "legaltracker.dump"
    archive = tmp_path / "backup" / "letters.tar.gz"
    dump.parent.mkdir()
    # The backup, as docs/operations.md gives it.
    subprocess.run(
        ["pg_dump", *args, "--format=custom", "--file", str(dump), settings_dict["NAME"]],
        env=env,
        check=True,
    )
    subprocess.run(["tar", "-C", str(original_root), "-czf", str(archive), "."], check=True)

    # The restore, into a fresh database and a fresh folder.
    target = restore_name(settings_dict["NAME"])
    restored_root = tmp_path / "restored" / "letters"
    restored_root.mkdir(parents=True)
    subprocess.run(["dropdb", *args, "--if-exists", target], env=env, check=True)
    subprocess.run(["createdb", *args, target], env=env, check=True)
    try:
        subprocess.run(
            ["pg_restore", *args, "--no-owner", "--exit-on-error", "-d", target, str(dump)],
            env=env,
            check=True,
        )
        subprocess.run(["tar", "-C", str(restored_root), "-xzf", str(archive)], check=True)

        count, wrong = mismatches(target, settings_dict, restored_root)
        assert count == Letter.objects.count() == len(made)
        assert not wrong, wrong

        # The check can fail: a damaged file is found, for every letter stored in it
        # (files are named by their content, so identical letters share one).
        victim = next(restored_root.glob("case-*/*.docx"))
        victim.write_bytes(victim.read_bytes() + b"\0")
        sharing = Letter.objects.filter(file_sha256=victim.stem).count()
        assert len(mismatches(target, settings_dict, restored_root)[1]) == sharing >= 1
        print(f"\nbackup and restore: {count} letters restored, every SHA-256 matched")
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", target], env=env, check=True)


def test_the_restored_database_is_named_after_the_test_database():
    assert restore_name("test_lt_security") == "lt_security_restore"
    assert restore_name("test_legaltracker_ci_4242") == "legaltracker_ci_4242_restore"
