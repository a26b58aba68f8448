"""The database settings: SQLite by default, PostgreSQL from DATABASE_URL."""

from legaltracker.settings.base import database_config


def test_postgresql_connections_turn_jit_off():
    config = database_config("postgres://app@db.example.invalid:5432/legaltracker")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "legaltracker"
    assert config["OPTIONS"]["options"] == "-c jit=off"


def test_sqlite_is_the_default_and_takes_the_write_lock_at_begin(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLITE_PATH", str(tmp_path / "db.sqlite3"))

    config = database_config(None)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
