"""The ``mailbot`` command line: one sub-command per thing an operator does."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mailbot.errors import ConfigError

app = typer.Typer(
    name="mailbot",
    help="IPP's e-mail automation daemon: registrations, invoices, pre-session mailings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = PROJECT_ROOT / "config" / "catalog.toml"


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"mailbot: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help=".eml files to read")],
    json_lines: Annotated[
        bool, typer.Option("--json", help="one JSON object per file (JSON Lines)")
    ] = False,
    catalog: Annotated[
        Path | None, typer.Option(help="catalog file (default: config/catalog.toml)")
    ] = None,
) -> None:
    """Print what mailbot understands of each mail, without acting on it."""
    from mailbot.catalog import load_catalog
    from mailbot.understanding.runner import parse_files

    try:
        loaded = load_catalog(catalog or DEFAULT_CATALOG)
    except ConfigError as exc:
        _fail(str(exc))
        return
    code = parse_files(files, loaded, json_lines=json_lines, out=sys.stdout)
    raise typer.Exit(code)


def main() -> None:
    app()
