"""The README documents every command, and every command has help text with an example."""

import pathlib
import re

import pytest
from click.testing import CliRunner

from quotetrack.cli import cli

README = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
COMMANDS = sorted(cli.commands)


def test_the_cli_has_the_commands_the_design_names():
    assert set(COMMANDS) >= {"extract", "build", "serve", "export", "speakers", "eval"}


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented_in_the_readme(command):
    assert re.search(rf"`quotetrack {command}\b", README), f"README does not show `quotetrack {command}`"


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_a_summary_and_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "quotetrack " + command in result.output.split("Example:", 1)[1]


def test_readme_states_the_two_setup_commands_and_ci_runs_the_test_one():
    assert "make demo" in README and "make test" in README
    ci = (pathlib.Path(__file__).resolve().parent.parent / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci
