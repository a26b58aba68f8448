"""The state diagram is generated from the model, and the README shows the current one."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from legaltracker.cases.choices import OPEN_STAGES, Stage
from legaltracker.cases.management.commands.state_diagram import (
    END_MARKER,
    START_MARKER,
    current_block,
    mermaid,
    readme_block,
)
from legaltracker.cases.models import Case
from legaltracker.cases.transitions import TRANSITIONS

ROOT = Path(settings.BASE_DIR)


def test_diagram_has_every_edge_of_the_state_machine():
    diagram = mermaid()
    lines = diagram.splitlines()

    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> concern" in lines
    assert "    closed --> [*]" in lines
    for transition in Case._meta.get_field("stage").get_all_transitions(Case):
        assert f"    {transition.source} --> {transition.target}: {transition.name}" in lines
    edges = [line for line in lines if "-->" in line and "[*]" not in line]
    assert {line.split(": ")[1] for line in edges} == set(TRANSITIONS)
    closing = [line for line in edges if line.endswith(": close")]
    assert len(closing) == len(OPEN_STAGES)  # a case can be closed from any open stage


def test_command_prints_the_diagram():
    out = io.StringIO()
    call_command("state_diagram", stdout=out)
    assert out.getvalue() == mermaid()


def test_readme_shows_the_diagram_generated_from_the_code():
    block = current_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block is not None, "README.md lost its state-diagram markers"
    assert block == readme_block(), (
        "README.md's state diagram is out of date: run "
        "`python manage.py state_diagram --write-readme`"
    )


def test_write_readme_replaces_only_the_block(tmp_path):
    stale = f"# Title\n\nBefore.\n\n{START_MARKER}\nold diagram\n{END_MARKER}\n\nAfter.\n"
    (tmp_path / "README.md").write_text(stale, encoding="utf-8")

    with override_settings(BASE_DIR=tmp_path):
        call_command("state_diagram", "--write-readme", stdout=io.StringIO())
        text = (tmp_path / "README.md").read_text(encoding="utf-8")
        assert text == stale.replace(f"{START_MARKER}\nold diagram\n{END_MARKER}", readme_block())
        out = io.StringIO()
        call_command("state_diagram", "--write-readme", stdout=out)
        assert "already up to date" in out.getvalue()


def test_write_readme_without_markers_says_what_to_do(tmp_path):
    (tmp_path / "README.md").write_text("# No markers\n", encoding="utf-8")
    with override_settings(BASE_DIR=tmp_path), pytest.raises(CommandError, match="markers"):
        call_command("state_diagram", "--write-readme", stdout=io.StringIO())


def test_every_stage_is_in_the_diagram():
    for stage in Stage:
        assert re.search(rf"\b{stage.value}\b", mermaid())


# --- the README and .env.example document every setting -------------------------------

# env("X"), env_bool("X"), env_list("X"), and any direct os.environ / getenv read.
ENV_READ = re.compile(
    r"(?:\benv(?:_bool|_list)?\(|environ\.get\(|environ\[|getenv\()\s*[\"']([A-Z][A-Z0-9_]*)[\"']"
)


def settings_variables() -> set[str]:
    names = set()
    for path in (ROOT / "legaltracker" / "settings").glob("*.py"):
        names |= set(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_settings_read_variables_at_all():
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"} <= settings_variables()


@pytest.mark.parametrize("document", ["README.md", ".env.example"])
def test_every_environment_variable_is_documented(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    missing = sorted(
        name
        for name in settings_variables()
        if f"`{name}`" not in text and not re.search(rf"^#?\s*{name}=", text, re.MULTILINE)
    )
    assert not missing, f"{document} does not describe: {', '.join(missing)}"


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", text, re.DOTALL)
    assert first_block is not None
    assert text.index(first_block.group(0)) < text.index("##")
    commands = [line for line in first_block.group(1).splitlines() if line.startswith("bash ")]
    assert commands == ["bash scripts/start", "bash scripts/test"]
    for command in commands:
        assert (ROOT / command.split()[1]).is_file()
