"""The ``composer`` command line.

::

    composer validate PATH [--format text|json]   check a manifest; connects to nothing
    composer serve PATH [--host H] [--port P]     serve it until SIGTERM/SIGINT
    composer openapi PATH                         print the OpenAPI document
    composer routes PATH                          print the route table
    composer graph PATH                           print the resolved dependency graph
    composer migrate PATH [--rebuild] [--dry-run] create or extend the SQL schema
    composer schema [--out FILE]                  print or write the manifest's JSON Schema
    composer new NAME                             scaffold a runnable project
    composer discover --url URL [--out DIR]       write models for an existing database

Exit codes: 0 success, 1 a user error (missing path, invalid manifest, a
datasource that cannot connect, a busy port), 2 a command-line usage error.
A user error is printed as one clear message (a manifest error as every
issue), never a traceback unless ``--debug`` or ``COMPOSER_DEBUG=1``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from composer.errors import ComposerError, ManifestError

if TYPE_CHECKING:
    from composer.ops import App
    from composer.spec import AppSpec

# Commands import what they use when they run: `composer validate` must not pay
# for aiohttp, SQLAlchemy's engines or dependency-injector (a rejected manifest
# answers in well under a second).

T = TypeVar("T")

_DEBUG_ENV = "COMPOSER_DEBUG"


def _debug_enabled(ctx: click.Context) -> bool:
    obj = ctx.find_root().obj
    return bool(obj and obj.get("debug"))


@contextmanager
def _user_errors(ctx: click.Context) -> Iterator[None]:
    """Turn composer's errors into a message and exit code 1 (a traceback only in debug)."""
    try:
        yield
    except ManifestError as exc:
        if _debug_enabled(ctx):
            traceback.print_exc()
        click.echo(exc.render(), err=True)
        n = len(exc.issues)
        click.echo(f"composer: {n} error{'s' if n != 1 else ''} in the manifest", err=True)
        ctx.exit(1)
    except ComposerError as exc:
        if _debug_enabled(ctx):
            traceback.print_exc()
        click.echo(f"composer: error: {exc}", err=True)
        ctx.exit(1)
    except OSError as exc:
        if _debug_enabled(ctx):
            traceback.print_exc()
        click.echo(
            f"composer: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True
        )
        ctx.exit(1)


def _load_spec(path: str, data_dir: str | None) -> tuple[AppSpec, Path, Path]:
    from composer.boot import check

    app_spec, raw = check(path, data_dir=data_dir)
    return app_spec, raw.root, raw.data_dir


_path_argument = click.argument("path", type=click.Path(path_type=str))
_data_dir_option = click.option(
    "--data-dir",
    envvar="COMPOSER_DATA_DIR",
    default=None,
    help="Where composer writes files (SQLite databases...). Default: PATH/.composer",
)


def _with_errors(fn: Callable[..., T]) -> Callable[..., T | None]:
    """Run a command body inside :func:`_user_errors`."""

    def wrapper(*args: Any, **kwargs: Any) -> T | None:
        ctx = click.get_current_context()
        with _user_errors(ctx):
            return fn(*args, **kwargs)
        return None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--debug",
    is_flag=True,
    envvar=_DEBUG_ENV,
    help="Show tracebacks, and stack traces in 5xx responses. Also COMPOSER_DEBUG=1.",
)
@click.version_option(package_name="composer", prog_name="composer")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """composer: a declarative API composer (LoopBack-style manifests on aiohttp)."""
    ctx.obj = {"debug": debug}


@cli.command("validate")
@_path_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints {valid, issues: [{code, path, file, line, column, message, hint}]}.",
)
@_data_dir_option
@click.pass_context
def validate_command(
    ctx: click.Context, path: str, output_format: str, data_dir: str | None
) -> None:
    """Check the manifest at PATH (a project folder or one file) and report every problem."""
    try:
        app_spec, _root, _data = _load_spec(path, data_dir)
    except ManifestError as exc:
        if output_format == "json":
            issues = [issue.to_json() for issue in exc.issues]
            click.echo(json.dumps({"valid": False, "issues": issues}, indent=2))
            ctx.exit(1)
        with _user_errors(ctx):
            raise
        return
    except ComposerError as exc:
        with _user_errors(ctx):
            raise exc
        return
    if output_format == "json":
        click.echo(json.dumps({"valid": True, "issues": []}, indent=2))
        return
    models = len(app_spec.models)
    sources = len(app_spec.datasources)
    click.echo(
        f"{path}: ok ({app_spec.name}: {models} model{'s' if models != 1 else ''}, "
        f"{sources} datasource{'s' if sources != 1 else ''})"
    )


@cli.command("serve")
@_path_argument
@click.option("--host", default=None, help="Override rest.host.")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Override rest.port.")
@_data_dir_option
@click.pass_context
@_with_errors
def serve_command(
    ctx: click.Context, path: str, host: str | None, port: int | None, data_dir: str | None
) -> None:
    """Serve the manifest at PATH until SIGTERM or SIGINT."""
    from composer.boot import boot
    from composer.ops import serve

    app = boot(path, data_dir=data_dir, debug=_debug_enabled(ctx))

    def ready(started: App) -> None:
        click.echo(f"composer: serving {started.spec.name} at {started.url}", err=True)
        if started.spec.rest.explorer.enabled:
            explorer = started.spec.rest.explorer.path.rstrip("/")
            click.echo(f"composer: API explorer at {started.url}{explorer}/", err=True)

    serve(app, host=host, port=port, on_ready=ready)
    click.echo("composer: stopped", err=True)


@cli.command("openapi")
@_path_argument
@_data_dir_option
@_with_errors
def openapi_command(path: str, data_dir: str | None) -> None:
    """Print the OpenAPI 3 document of the manifest at PATH."""
    from composer.rest import openapi_document

    app_spec, _root, _data = _load_spec(path, data_dir)
    click.echo(json.dumps(openapi_document(app_spec), indent=2))


@cli.command("routes")
@_path_argument
@_data_dir_option
@_with_errors
def routes_command(path: str, data_dir: str | None) -> None:
    """Print the route table of the manifest at PATH."""
    from composer.rest import route_table

    app_spec, _root, _data = _load_spec(path, data_dir)
    routes = route_table(app_spec)
    width = max((len(r.method) for r in routes), default=6)
    path_width = max((len(r.path) for r in routes), default=4)
    for route in routes:
        click.echo(f"{route.method:<{width}}  {route.path:<{path_width}}  {route.operation_id}")


@cli.command("graph")
@_path_argument
@_data_dir_option
@_with_errors
def graph_command(path: str, data_dir: str | None) -> None:
    """Print the resolved dependency graph of the manifest at PATH, in start order."""
    from composer.container import plan

    app_spec, _root, _data = _load_spec(path, data_dir)
    click.echo(plan(app_spec).render())


@cli.command("migrate")
@_path_argument
@click.option("--rebuild", is_flag=True, help="Drop and recreate every model table: DELETES DATA.")
@click.option("--dry-run", is_flag=True, help="Print the DDL without running it.")
@_data_dir_option
@_with_errors
def migrate_command(path: str, rebuild: bool, dry_run: bool, data_dir: str | None) -> None:
    """Create or extend the tables of every SQL datasource of PATH, printing the DDL."""
    import asyncio

    from composer.ops.migration import migrate_datasources, render_plan

    app_spec, root, data = _load_spec(path, data_dir)
    asyncio.run(
        migrate_datasources(
            app_spec,
            root=root,
            data_dir=data,
            rebuild=rebuild,
            dry_run=dry_run,
            report=lambda migration: click.echo(render_plan(migration)),
        )
    )


@cli.command("schema")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@_with_errors
def schema_command(out: Path | None) -> None:
    """Print the manifest's JSON Schema, or write it to --out."""
    from composer.spec import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)


@cli.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "parent",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Folder to create the project in (default: the current folder).",
)
@_with_errors
def new_command(name: str, parent: Path) -> None:
    """Scaffold a runnable project NAME: a SQLite datasource and one model."""
    from composer.scaffold import write_project

    target = write_project(name, parent)
    click.echo(f"created {target}")
    click.echo(f"next: composer serve {target}")


@cli.command("discover")
@click.option(
    "--url",
    envvar="DATABASE_URL",
    required=True,
    help="The database: sqlite:///file.db, postgresql://..., mysql://..., mariadb://... "
    "Also DATABASE_URL.",
)
@click.option("--schema", default=None, help="The PostgreSQL schema or MySQL database to read.")
@click.option("--tables", default=None, help="Only these tables, comma-separated.")
@click.option("--views", is_flag=True, help="Also discover views (served read-only).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="The project folder to write (default: the current folder).",
)
@click.option("--force", is_flag=True, help="Overwrite model and datasource files that exist.")
@_with_errors
def discover_command(
    *, url: str, schema: str | None, tables: str | None, views: bool, out: Path, force: bool
) -> None:
    """Write a model per table of the database at --url, and its datasource.

    The files validate and serve as written (migrate: none). The password of
    the URL is never written: the datasource reads ${DATABASE_URL}.
    """
    import asyncio

    from composer.discover import discover, write_files

    wanted = [name.strip() for name in tables.split(",") if name.strip()] if tables else None
    found = asyncio.run(
        discover(
            url,
            schema=schema,
            tables=wanted,
            views=views,
            progress=lambda line: click.echo(line, err=True),
        )
    )
    for note in found.notes:
        click.echo(f"note: {note}", err=True)
    written = write_files(found.files, out, force=force)
    click.echo(f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {out}")
    click.echo(f"next: composer serve {out}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``composer`` console script and ``python -m composer``."""
    try:
        # Without standalone mode click returns the exit code of ctx.exit() instead of exiting.
        code = cli.main(args=argv, prog_name="composer", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A bug, not a user error: one line, the traceback only on request.
        if "--debug" in (argv if argv is not None else sys.argv) or os.environ.get(_DEBUG_ENV):
            raise
        click.echo(f"composer: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("composer: run with --debug for the traceback", err=True)
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
