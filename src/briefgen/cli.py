"""The command line: options in, one library call, errors mapped to exit codes.

Heavy imports (spaCy, reportlab, python-docx, the batch machinery) happen inside the commands so
`briefgen --help` stays instant. Defaults and bounds come from `options.BuildOptions`; the hint on
how to raise a limit is phrased here (`hint`), since only the CLI knows its flag names.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__, defaults
from .defaults import KEY_POINTS_DEFAULT, KEY_POINTS_RANGE
from .errors import BriefgenError, LimitError, SettingError
from .textutil import printable

EXIT_USAGE = 2
EXIT_INTERNAL = 3


class _Group(click.Group):
    """Turns BriefgenError into one line on stderr and exit code 2 (a traceback with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BriefgenError as err:
            if _debug(ctx):
                raise
            click.echo(f"briefgen: error: {message(err)}", err=True)
            ctx.exit(err.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # The reader went away (`briefgen audiences | head`): stop quietly, as Unix tools do.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("briefgen: interrupted", err=True)
            ctx.exit(130)
        except Exception as err:  # a bug or an environment problem; still one line
            if _debug(ctx):
                raise
            click.echo(
                f"briefgen: internal error: {message(err)} (run with --debug for the traceback)", err=True
            )
            ctx.exit(EXIT_INTERNAL)


# The flag for each setting an error can name (LimitError.limit, SettingError.name, remedies).
_FLAGS = {
    "max_bytes": "--max-bytes",
    "max_chars": "--max-chars",
    "timeout": "--timeout",
    "host": "--host",
    "token": "--token",
    "trust_remote_user": "--trust-remote-user",
    "manifest": "--manifest",
    "scheduler": "--scheduler",
    "report_path": "--report",
    "wait_lock": "--wait",
}


def message(err: BaseException) -> str:
    """One printable line for an error, phrased in flags: a setting by its flag, a limit with the
    flag that raises it, and the flags that would let the run go on."""
    if isinstance(err, BriefgenError):
        text = str(err)
        if isinstance(err, SettingError) and err.name in _FLAGS:
            shown = _FLAGS[err.name] if err.value is None else f"{_FLAGS[err.name]} {err.value}"
            text = f"{shown} {err.problem}"
        if isinstance(err, LimitError) and err.limit in _FLAGS:
            text += f" (raise it with {_FLAGS[err.limit]})"
        flags = [_FLAGS[name] for name in err.remedies if name in _FLAGS]
        if flags:
            text += f" (pass {' or '.join(flags)})"
    else:
        text = f"{type(err).__name__}: {err}"
    return printable(" ".join(text.split()))


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


def _set_debug(ctx: click.Context, _param, value: bool) -> bool:
    if value:
        ctx.ensure_object(dict)["debug"] = True
        root = ctx.find_root()
        root.ensure_object(dict)["debug"] = True
    return value


debug_option = click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_debug,
    help="Show tracebacks instead of one-line errors.",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@debug_option
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Turn source documents into cited policy memos (DOCX and PDF)."""
    ctx.ensure_object(dict)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=defaults.MAX_BYTES,
    show_default=True,
    help="Refuse sources larger than this.",
)
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=defaults.TIMEOUT,
    show_default=True,
    help="Seconds one source may take; a source that takes longer fails with this limit named.",
)
key_points_range = click.IntRange(*KEY_POINTS_RANGE)


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--key-points",
    "key_points",
    type=key_points_range,
    default=KEY_POINTS_DEFAULT,
    show_default=True,
    help="How many key points to select.",
)
@max_bytes_option
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=defaults.MAX_CHARS,
    show_default=True,
    help="Refuse sources whose text is longer than this.",
)
@timeout_option
@debug_option
@click.pass_context
def extract(
    ctx: click.Context,
    sources: tuple[Path, ...],
    key_points: int,
    max_bytes: int,
    max_chars: int,
    timeout: float,
) -> None:
    """Print the analysis of each SOURCE as JSON (JSON Lines for several)."""
    from .limits import time_limit
    from .pipeline import extract as run_extract

    def one(source: Path) -> None:
        with time_limit(timeout, source):
            brief = run_extract(source, key_points=key_points, max_bytes=max_bytes, max_chars=max_chars)
        data = brief.to_json()
        if len(sources) == 1:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            click.echo(json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    _each_source(ctx, sources, one)


def _each_source(ctx: click.Context, sources: tuple[Path, ...], work) -> None:
    """Run `work` on every source; a source that fails prints its one line and the others still
    run. The exit code comes at the end: 2 when a source was bad, 3 when briefgen itself failed."""
    if len(sources) == 1 or _debug(ctx):
        for source in sources:
            work(source)  # the group's handler says what went wrong
        return
    code = 0
    for source in sources:
        try:
            work(source)
        except BriefgenError as err:
            click.echo(f"briefgen: error: {message(err)}", err=True)
            code = max(code, err.exit_code)
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as err:
            click.echo(
                f"briefgen: internal error: {printable(str(source))}: {message(err)} "
                "(run with --debug for the traceback)",
                err=True,
            )
            code = EXIT_INTERNAL
    if code:
        ctx.exit(code)


def _date(_ctx, _param, value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


templates_option = click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path),
    help="A folder of audiences that adds to and overrides the built-ins.",
)


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-a", "--audience", "audiences", multiple=True, help="Audience (repeatable; default: memo).")
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["docx", "pdf"]),
    help="Output format (repeatable; default: both).",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path(defaults.DEFAULT_OUT),
    show_default=True,
    help="Output folder.",
)
@templates_option
@click.option("--classification", help="Banner at the top and bottom of every page.")
@click.option("--to", "to", help="The TO line of the memo header.")
@click.option("--from", "from_", help="The FROM line of the memo header.")
@click.option(
    "--perspective", help='Whose memo it is (e.g. "United States"): other parties\' terms are attributed.'
)
@click.option("--date", callback=_date, help="Memo date (YYYY-MM-DD); default SOURCE_DATE_EPOCH or today.")
@click.option(
    "--key-points",
    "key_points",
    type=key_points_range,
    default=None,
    help="Override the audience's number of key points.",
)
@max_bytes_option
@timeout_option
@debug_option
@click.pass_context
def build(
    ctx: click.Context,
    sources,
    audiences,
    formats,
    out_dir,
    templates_dir,
    classification,
    to,
    from_,
    perspective,
    date,
    key_points,
    max_bytes,
    timeout,
) -> None:
    """Render memos for each SOURCE into OUT/<source stem>/<audience>.<format>."""
    from .build import build_sources
    from .dates import memo_date
    from .fsutil import check_writable, unsafe_output_folder
    from .limits import time_limit
    from .options import BuildOptions

    options = BuildOptions(
        audiences=tuple(audiences) or defaults.DEFAULT_AUDIENCES,
        formats=tuple(formats) or defaults.DEFAULT_FORMATS,
        out_dir=out_dir,
        templates_dir=templates_dir,
        classification=classification,
        to=to,
        from_=from_,
        perspective=perspective,
        date=memo_date(date),  # once, before any source is read: a bad SOURCE_DATE_EPOCH fails first
        key_points=key_points,
        max_bytes=max_bytes,
        timeout=timeout,
    )
    # The environment is checked before minutes of analysis: a read-only, full or system folder.
    reason = unsafe_output_folder(out_dir)
    if reason:
        raise BriefgenError(f"--out {reason}")
    check_writable(out_dir)

    def one(source: Path) -> None:
        with time_limit(timeout, source):
            written = build_sources([source], options)
        for path in written:
            click.echo(printable(str(path)))

    _each_source(ctx, sources, one)


@main.command()
@templates_option
@debug_option
def audiences(templates_dir: Path | None) -> None:
    """List the audiences: name, then a short description."""
    from .compose import list_audiences

    found = list_audiences(templates_dir)
    width = max((len(a.name) for a in found), default=0)
    for audience in found:
        click.echo(f"{audience.name.ljust(width)}  {audience.description}")


@main.group()
def templates() -> None:
    """Create and check custom audience templates."""


@templates.command("init")
@click.argument("name")
@click.option("--from", "from_", default="memo", show_default=True, help="Audience to copy.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    default=Path("templates"),
    show_default=True,
    help="Folder of custom audiences.",
)
@debug_option
def templates_init(name: str, from_: str, directory: Path) -> None:
    """Copy an audience as the starting point of a custom one."""
    from .compose import init_audience

    click.echo(str(init_audience(name, from_audience=from_, directory=directory)))


@templates.command("check")
@click.argument("directory", type=click.Path(path_type=Path))
@debug_option
@click.pass_context
def templates_check(ctx: click.Context, directory: Path) -> None:
    """Validate a folder of audiences and report every problem at once."""
    from .compose import check_templates

    problems = check_templates(directory)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        ctx.exit(EXIT_USAGE)
    click.echo(f"{directory}: ok")


@main.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the core count).",
)
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786.")
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring the cache.")
@click.option("--dry-run", is_flag=True, help="Say what would be built, build nothing.")
@click.option("--prune", is_flag=True, help="Remove outputs no job produces any more.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help=f"Seconds one source may take (default: each job's `timeout`, else {defaults.TIMEOUT:g}).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Where to write the JSON report (default: OUT/briefgen-report.json).",
)
@click.option(
    "--wait/--no-wait",
    "wait_lock",
    default=False,
    help="If another batch holds the output folder, wait for it instead of exiting.",
)
@debug_option
@click.pass_context
def batch(
    ctx: click.Context,
    manifest: Path,
    jobs,
    executor,
    scheduler,
    force,
    dry_run,
    prune,
    timeout,
    report_path,
    wait_lock,
) -> None:
    """Build every memo a MANIFEST.toml asks for, incrementally."""
    from .batch import BatchOptions, Terminated, run_batch

    options = BatchOptions(
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        force=force,
        dry_run=dry_run,
        prune=prune,
        timeout=timeout,
        report_path=report_path,
        wait_lock=wait_lock,
    )
    try:
        result = run_batch(manifest, options, echo=lambda line: click.echo(line, err=True))
    except Terminated:
        click.echo(
            "briefgen: terminated; the memos already built are kept, run again to build the rest", err=True
        )
        ctx.exit(143)  # 128 + SIGTERM, as a shell reports it
    ctx.exit(result.exit_code)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workspace",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("briefgen-workspace"),
    show_default=True,
    help="Folder for uploads, analyses and memos (one private part per user).",
)
@click.option(
    "--token",
    envvar="BRIEFGEN_TOKEN",
    help="Access token asked once per browser (required for a --host other than loopback, "
    "unless --trust-remote-user); also read from $BRIEFGEN_TOKEN.",
)
@click.option(
    "--trust-remote-user",
    is_flag=True,
    help="Behind an SSO proxy: the Remote-User header names the user (the proxy must set it).",
)
@click.option("--manifest", type=click.Path(path_type=Path), help="A batch manifest the page can run.")
@max_bytes_option
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse sources whose text is longer than this (default: 2,000,000 characters).",
)
@debug_option
def serve(host, port, workspace, token, trust_remote_user, manifest, max_bytes, max_chars) -> None:
    """Serve the web page: upload a source, read its analysis, build and download memos."""
    from .web import WebConfig
    from .web import serve as run_server

    config = WebConfig(
        workspace=workspace.resolve(),
        host=host,
        port=port,
        token=token,
        trust_remote_user=trust_remote_user,
        manifest=manifest.resolve() if manifest else None,
        max_bytes=max_bytes,
        max_chars=max_chars or defaults.MAX_CHARS,
    )
    run_server(config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
