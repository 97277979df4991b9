"""What the ``cog`` blocks of README.md print: each command's ``--help`` and real ``extract`` output.

``make readme`` rewrites the blocks; ``make check`` (part of ``make test``) fails when they are stale:

    cog -I scripts -p "from readme_cog import *" -r README.md       # rewrite
    cog -I scripts -p "from readme_cog import *" --check README.md  # verify
"""

from __future__ import annotations

import cog
from click.testing import CliRunner

from quotetrack.cli import cli

__all__ = ["cli_output", "cli_reference"]

WIDTH = 120  # the project's line length: option help rarely wraps


def _invoke(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args, prog_name="quotetrack", terminal_width=WIDTH, max_content_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"quotetrack {' '.join(args)} exited {result.exit_code}: {result.output}")
    return result.stdout


def cli_help(command: str) -> None:
    """A subsection for one command: its usage as the heading, its summary line and examples,
    then its options (the rest of ``--help`` is one ``quotetrack COMMAND -h`` away).

    The line about ``--help`` itself is left out: every command has it.
    """
    usage, _, rest = _invoke([command, "--help"]).partition("\n\n")
    text, _, options = rest.partition("\nOptions:\n")
    summary = text.strip().splitlines()[0].strip()
    examples = text[text.index("Example:") :].rstrip() if "Example:" in text else ""
    kept = [f"  {summary}\n", *([f"\n  {examples}\n"] if examples else []), "\nOptions:\n"]
    kept += [line for line in options.splitlines(keepends=True) if not line.lstrip().startswith("-h, --help")]
    cog.out(f"### `{usage.removeprefix('Usage: ')}`\n\n```\n{''.join(kept)}```\n")


def cli_reference() -> None:
    """One subsection per command, in the order cli.py defines them."""
    for i, command in enumerate(cli.commands):
        cog.out("\n" * (i > 0))
        cli_help(command)


def cli_output(args: str, *, lines: slice = slice(None), pipe: str = "", more: bool = False) -> None:
    """A console block: the command, then the chosen lines of what it prints (trailing spaces cut).

    ``pipe`` is shown after the command (``| sed -n 3p``) and must select the same ``lines``.
    """
    out = [line.rstrip() for line in _invoke(args.split()).splitlines()][lines]
    shown = f"$ quotetrack {args}{' ' + pipe if pipe else ''}"
    cog.out("```console\n" + "\n".join([shown, *out, *(["..."] if more else [])]) + "\n```\n")
