"""Provisioning from the command line: add_team, add_user, api_token (README.md).

Each command states an account as it should be; running it again changes nothing."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from legaltracker.accounts.models import Team, User
from legaltracker.api.models import ApiToken
from legaltracker.api.tokens import key_hash as token_hash

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


# --- add_team ---------------------------------------------------------------------------


def test_add_team_creates_then_is_idempotent_then_renames(db):
    out, _ = run("add_team", "north", "North Family Support")
    assert out == "Created team north (North Family Support)."
    out, _ = run("add_team", "north", "North Family Support")
    assert out == "Team north (North Family Support) already exists."
    assert Team.objects.filter(code="north").count() == 1
    out, _ = run("add_team", "north", "North Children's Services")
    assert out == "Renamed team north from North Family Support to North Children's Services."
    assert Team.objects.get(code="north").name == "North Children's Services"
    assert Team.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "name", "words"),
    [
        ("north team", "North", "cannot be a team code"),
        ("north/east", "North", "cannot be a team code"),
        ("x" * 41, "North", "at most 40 characters"),
        ("north", "   ", "Give the team a name"),
        ("north", "\x00\x07", "Give the team a name"),
    ],
)
def test_add_team_refuses_what_cannot_be_stored(db, code, name, words):
    with pytest.raises(CommandError, match=words):
        run("add_team", code, name)
    assert not Team.objects.exists()


# --- add_user ---------------------------------------------------------------------------


@pytest.fixture
def north(db):
    return Team.objects.create(code="north", name="North Family Support")


def test_add_user_creates_a_social_worker_in_a_team(north):
    out, _ = run(
        "add_user", "sam", "--role", "social_worker", "--team", "north", "--password", PASSWORD
    )
    assert out == "Created user sam (social worker in team north)."
    user = User.objects.get(username="sam")
    assert (user.role, user.team, user.is_active) == ("social_worker", north, True)
    assert user.check_password(PASSWORD)


def test_add_user_again_changes_nothing(north):
    run("add_user", "sam", "--role", "social_worker", "--team", "north", "--password", PASSWORD)
    before = User.objects.get(username="sam")
    out, _ = run(
        "add_user", "sam", "--role", "social_worker", "--team", "north", "--password", PASSWORD
    )
    assert out == "User sam (social worker in team north) is already up to date."
    after = User.objects.get(username="sam")
    assert after.password == before.password
    assert User.objects.count() == 1


def test_add_user_updates_role_and_team(north):
    south = Team.objects.create(code="south", name="South")
    run("add_user", "sam", "--role", "social_worker", "--team", "north")
    out, _ = run("add_user", "sam", "--role", "team_manager", "--team", "south")
    assert out == "Updated user sam (team manager in team south): role, team."
    user = User.objects.get(username="sam")
    assert (user.role, user.team) == ("team_manager", south)
    # A cross-team role given no team holds none.
    run("add_user", "sam", "--role", "legal")
    user.refresh_from_db()
    assert (user.role, user.team) == ("legal", None)


def test_add_user_makes_a_performance_officer_with_no_team_and_no_staff_status(db):
    out, _ = run("add_user", "petra", "--role", "performance_officer", "--password", PASSWORD)
    assert out.startswith("Created user petra (performance officer")
    user = User.objects.get(username="petra")
    assert (user.role, user.team, user.is_staff, user.is_superuser) == (
        "performance_officer",
        None,
        False,
        False,
    )
    assert user.check_password(PASSWORD)


def test_add_user_without_a_password_keeps_the_one_they_have(north):
    run("add_user", "sam", "--role", "social_worker", "--team", "north", "--password", PASSWORD)
    run("add_user", "sam", "--role", "team_manager", "--team", "north")
    assert User.objects.get(username="sam").check_password(PASSWORD)


def test_a_new_user_without_a_password_cannot_log_in_until_given_one(north):
    run("add_user", "sam", "--role", "social_worker", "--team", "north")
    user = User.objects.get(username="sam")
    assert not user.has_usable_password()
    out, _ = run(
        "add_user", "sam", "--role", "social_worker", "--team", "north", "--password", PASSWORD
    )
    assert out.endswith(": password.")
    assert User.objects.get(username="sam").check_password(PASSWORD)


@pytest.mark.parametrize("role", ["head_of_service", "legal", "court_liaison_officer"])
def test_cross_team_roles_need_no_team(db, role):
    run("add_user", "pat", "--role", role)
    user = User.objects.get(username="pat")
    assert (user.role, user.team) == (role, None)


def test_an_administrator_can_sign_in_to_the_admin_site(db):
    run("add_user", "ada", "--role", "administrator", "--password", PASSWORD)
    assert User.objects.get(username="ada").is_staff


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--role", "wizard", "--team", "north"],
            "Unknown role 'wizard'. Choose one of: social_worker, team_manager",
        ),
        (["--role", "social_worker", "--team", "east"], "There is no team with the code 'east'"),
        (["--role", "social_worker"], "A social worker works for a team: give it with --team"),
        (["--role", "team_manager"], "A team manager works for a team"),
        (["--role", "legal", "--password", "short"], "The password is not accepted"),
        (["--role", "legal", "--password", "12345678901234"], "entirely numeric"),
    ],
)
def test_add_user_refuses_with_a_clear_message(north, args, words):
    with pytest.raises(CommandError, match=words):
        run("add_user", "sam", *args)
    assert not User.objects.filter(username="sam").exists()


def test_add_user_refuses_a_username_that_cannot_sign_in(north):
    with pytest.raises(CommandError, match="cannot be a username"):
        run("add_user", "sam smith", "--role", "legal")


def test_a_refused_password_leaves_an_existing_user_as_they_were(north):
    run("add_user", "sam", "--role", "social_worker", "--team", "north", "--password", PASSWORD)
    with pytest.raises(CommandError):
        run("add_user", "sam", "--role", "legal", "--password", "short")
    user = User.objects.get(username="sam")
    assert (user.role, user.team) == ("social_worker", north)
    assert user.check_password(PASSWORD)


def test_role_is_required(north):
    with pytest.raises(CommandError, match="--role"):
        run("add_user", "sam", "--team", "north")


# --- api_token --------------------------------------------------------------------------


def test_api_token_prints_a_key_that_authenticates(north):
    # Only a hash is kept (docs/security.md, API tokens): each run makes a new token.
    run("add_user", "sam", "--role", "social_worker", "--team", "north")
    key, err = run("api_token", "sam", "--name", "nightly report", "--days", "30")
    assert err.startswith("Created an API token for sam (nightly report), expiring on ")
    assert len(key) == 40 and key.isalnum()
    token = ApiToken.objects.get(user__username="sam")
    assert token.name == "nightly report"
    assert token.key_hash != key and key not in token.key_hash
    assert (token.expires_at - token.created_at).days == 30
    again, _ = run("api_token", "sam")
    assert again != key
    assert ApiToken.objects.get(key_hash=token_hash(again)).name == "Made on the command line"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/cases/").status_code == 200


def test_api_token_for_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="There is no user 'ghost'"):
        run("api_token", "ghost")
    assert not ApiToken.objects.exists()


def test_api_token_for_an_inactive_user_is_an_error(north):
    run("add_user", "sam", "--role", "legal")
    User.objects.filter(username="sam").update(is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        run("api_token", "sam")


@pytest.mark.slow
def test_the_commands_exit_non_zero_with_the_message_on_stderr(tmp_path):
    """From a shell, as a council's script runs them (a fresh SQLite file database): a
    failure is a non-zero exit status with the message on standard error."""
    env = {
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "legaltracker.settings.local",
        "PATH": "",
    }

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "--noinput").returncode == 0
    missing = manage("api_token", "ghost")
    assert missing.returncode != 0
    assert "There is no user 'ghost'" in missing.stderr
    assert missing.stdout == ""
    unknown = manage("add_user", "kim", "--role", "wizard")
    assert unknown.returncode != 0
    assert "Unknown role 'wizard'" in unknown.stderr
