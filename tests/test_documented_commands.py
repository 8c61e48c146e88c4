"""Every command the README, the docs or the admin shows runs as written in a new shell after `make setup`."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.urls import reverse

from carnk_site.content_files.importer import import_content
from carnk_site.evidence.models import Claim

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMAND = re.compile(r"\.venv/bin/python manage\.py ([a-z_]+)([^`\n#]*)")


def documented_commands():
    return [
        pytest.param(match.group(1), match.group(2), id=f"{path.name}: {match.group(0).strip()}")
        for path in DOCUMENTS
        for match in COMMAND.finditer(path.read_text())
    ]


@pytest.mark.parametrize(("name", "arguments"), documented_commands())
def test_each_documented_command_exists_with_the_options_shown(name, arguments):
    commands = get_commands()
    assert name in commands, f"no command {name}"
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    known = {option for action in parser._actions for option in action.option_strings}
    shown = set(re.findall(r"(?<!\S)(--[a-z][a-z-]*)", arguments))
    assert shown <= known, f"{name} has no {shown - known}"


def test_the_readme_shows_createeditor_without_a_terminal_and_for_a_reviewer():
    readme = (ROOT / "README.md").read_text()
    assert "EDITOR_PASSWORD=" in readme and ".venv/bin/python manage.py createeditor NAME" in readme
    assert re.search(r"createeditor NAME --clinical-reviewer --display-name \S.* --role \S", readme)


@pytest.mark.parametrize("path", [*ROOT.glob("templates/**/*.html"), ROOT / "README.md"], ids=lambda p: p.name)
def test_commands_shown_name_the_projects_python(path):
    """A bare `python manage.py` or `manage.py` fails outside the virtual environment: No module named 'django'."""
    for match in re.finditer(r"(\S*)\s*manage\.py", path.read_text()):
        assert match.group(1).endswith(".venv/bin/python"), match.group(0)


@pytest.mark.django_db
def test_the_overview_shows_the_export_command_as_it_runs(admin_client, small_content):
    import_content(small_content)
    claim = Claim.objects.get()
    claim.statement = "In a small early trial, 8 of 11 people responded."
    claim.save()
    page = admin_client.get(reverse("admin:articles_article_overview")).content.decode()
    assert "<code>.venv/bin/python manage.py exportcontent</code>" in page


def test_make_setup_writes_the_development_env():
    """`make test` and `make run` both go through `make setup`, so a new shell can run manage.py after either."""
    for target in ("setup", "test", "run"):
        planned = subprocess.run(
            ["make", "--dry-run", "--always-make", target], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert planned.returncode == 0, planned.stderr
        assert '"DJANGO_DEBUG=1" > .env' in planned.stdout, target
