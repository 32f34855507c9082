"""The `crmkit` command: thin handlers over the same functions the notebooks call.

Every deliberate crmkit error (a CrmkitError: the user's input or options, or the portal's
refusal) ends with a one-line message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crmkit import __version__
from crmkit.errors import ConfigError, CrmkitError, RunFinished

EXIT_OK = 0
EXIT_INCOMPLETE = 1  # the command ran but not every valid record landed
EXIT_USAGE = 2  # a CrmkitError: the input, the options or the portal refused
EXIT_INTERRUPTED = 130


def _cmd_sandbox(args: argparse.Namespace) -> int:
    from crmkit.sandbox import SandboxOptions, serve

    serve(
        SandboxOptions(
            host=args.host,
            port=args.port,
            db=args.db,
            token=args.token,
            tier=args.tier,
            latency_ms=args.latency_ms,
            fault_rate=args.fault_rate,
            seed=args.seed,
            window_s=args.window_s,
            hang_s=args.hang_s,
            daily_limit=args.daily_limit,
            owners=args.owners or (),
        )
    )
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from crmkit.pipeline import ImportOptions, run_import

    sources = tuple((t, f) for t in ("companies", "contacts", "tickets") for f in getattr(args, t))
    discovery = None
    if args.resume is None:  # each decision on the files, before the plan (which reuses them)
        from crmkit.sources import discover

        overrides = {t: [f for k, f in sources if k == t] for t, _ in sources}
        with contextlib.suppress(CrmkitError):  # the run says what is wrong, token first
            discovery = discover(args.data, overrides)
        for line in discovery.lines() if discovery else []:
            print(line)
    result = run_import(
        ImportOptions(
            sources=sources,
            data_dir=Path(args.data) if args.data else None,
            mapping_file=Path(args.mapping) if args.mapping else None,
            target=args.target,
            tier=args.tier,
            concurrency=args.concurrency,
            dry_run=args.dry_run,
            resume=args.resume,
            run_id=args.run_id,
            output_dir=Path(args.output),
            progress=not args.no_progress,
            create_contacts_from_tickets=not args.no_contacts_from_tickets,
            replan=args.replan,
            date_order=args.date_order,
            strict=args.strict,
            update_policy=args.update_policy,
            compare=not args.no_compare,
            discovery=discovery,
        )
    )
    print(result.summary_text, end="")
    if result.next_step:  # the summary's last word, again where a script's user looks
        print(f"crmkit: {result.next_step}", file=sys.stderr)
    from crmkit.pipeline.outcome import outcome_lines

    print("\n".join(["Outcome per file:", *outcome_lines(result.report)]))
    planned = result.report.get("status") == "planned"  # a dry run: nothing was to land
    return EXIT_OK if result.complete or planned else EXIT_INCOMPLETE


def _cmd_rollback(args: argparse.Namespace) -> int:
    from crmkit.pipeline import rollback

    confirm = None if args.yes else _ask
    text = rollback(
        args.run_id, output_dir=Path(args.output), target=args.target, progress=True,
        confirm=confirm,
    )  # fmt: skip
    print(text)
    return EXIT_INCOMPLETE if "conflicts left alone" in text else EXIT_OK


def _ask(question: str) -> bool:
    """Show what will happen; go on only on an explicit yes (never when not interactive)."""
    print(question)
    if not sys.stdin.isatty():
        print("crmkit: not a terminal, so not asking: pass --yes to go ahead", file=sys.stderr)
        return False
    return input("Proceed? [y/N] ").strip().lower() in ("y", "yes")


def _cmd_verify(args: argparse.Namespace) -> int:
    from crmkit.pipeline.verify import verify

    result = verify(args.run_id, output_dir=Path(args.output), target=args.target)
    print(result.text(Path(args.output) / "runs" / args.run_id))
    return EXIT_OK if result.ok else EXIT_INCOMPLETE


def _cmd_run(args: argparse.Namespace) -> int:
    from crmkit.notebooks import run_notebooks

    params: dict[str, str] = {}
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ConfigError(f"-p expects name=value, got {item!r}")
        params[name] = value
    report = run_notebooks(
        data_dir=Path(args.data),
        target=args.target,
        run_id=args.run_id,
        params=params,
        output_dir=Path(args.output),
    )
    print(f"report: {report}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from crmkit.demo import demo

    return demo(data_dir=Path(args.data), output_dir=Path(args.output))


class _HelpFormatter(argparse.HelpFormatter):
    """Shows a flag's default after its help, where the default says something."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        quiet: tuple[object, ...] = (None, False, argparse.SUPPRESS, [], "")
        if "%(default)" not in text and action.option_strings and action.default not in quiet:
            text += " (default: %(default)s)"
        return text


def _subcommand(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, **kwargs: Any
) -> argparse.ArgumentParser:
    return sub.add_parser(name, formatter_class=_HelpFormatter, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmkit",
        description="Load CRM exports (companies, contacts, tickets) into HubSpot: validate, map, "
        "link, import at the rate limit, report. The token is read from HUBSPOT_ACCESS_TOKEN only.",
    )
    parser.add_argument("--version", action="version", version=f"crmkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    sb = _subcommand(sub, "sandbox", help="serve a local HubSpot-compatible CRM API")
    sb.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    sb.add_argument("--port", type=int, default=0, help="0 picks a free port")
    sb.add_argument("--db", default=":memory:", help="SQLite file; data survives restarts")
    sb.add_argument("--token", default=None, help="bearer token to accept (random if unset)")
    sb.add_argument(
        "--tier", default="professional", help="HubSpot tier whose rate limits to enforce"
    )
    sb.add_argument(
        "--latency-ms", type=float, default=0.0, help="added to every answer, like a real network"
    )
    sb.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of requests that fail on purpose"
    )
    sb.add_argument("--seed", type=int, default=0, help="seed of the fault draws (repeatable)")
    sb.add_argument("--window-s", type=float, default=10.0, help="rate window (scaled for bench)")
    sb.add_argument("--hang-s", type=float, default=35.0, help="how long a hang fault holds")
    sb.add_argument("--daily-limit", type=int, default=None, help="override the tier's daily limit")
    sb.add_argument("--owners", help="CSV or JSON file of owners (email, firstName, lastName)")
    sb.set_defaults(func=_cmd_sandbox)

    imp = _subcommand(sub, "import", help="validate, plan and import a data folder")
    imp.add_argument(
        "--data",
        help="folder (or an export's zip) of CSV, Excel and JSON files: each is placed as "
        "companies, contacts or tickets by its name or headers (not needed with --resume)",
    )
    for object_type in ("companies", "contacts", "tickets"):
        imp.add_argument(
            f"--{object_type}",
            action="append",
            default=[],
            metavar="FILE",
            help=f"a {object_type} file (book.xlsx:Sheet for a sheet); repeatable; always wins",
        )
    imp.add_argument("--mapping", help="mapping JSON that overrides the automatic mapping")
    imp.add_argument("--target", help="portal or sandbox base URL")
    imp.add_argument(
        "--tier",
        default="professional",
        help="the portal's HubSpot tier (free, starter, professional, enterprise, addon): its rate"
        " limits",
    )
    imp.add_argument("--concurrency", type=int, default=16, help="batches in flight at once")
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help="plan only, no writes; with --target and a token: compare with the portal (diff.csv)",
    )
    imp.add_argument(
        "--update-policy",
        choices=("overwrite", "fill-blanks", "never"),
        default="overwrite",
        help="how existing records' values change (blank cells never clear a value)",
    )
    imp.add_argument(
        "--resume", metavar="RUN_ID", help="continue a run from wherever it stopped or was killed"
    )
    imp.add_argument("--run-id", help="name a new run; an unfinished run of that name continues")
    imp.add_argument(
        "--replan", action="store_true", help="with --resume: plan again from the current files"
    )
    imp.add_argument("--output", default="output", help="folder for runs/<run_id>/")
    imp.add_argument("--no-progress", action="store_true", help="no progress bars (for logs)")
    imp.add_argument(
        "--no-contacts-from-tickets",
        action="store_true",
        help="report unknown ticket requesters instead of creating them as contacts",
    )
    imp.add_argument(
        "--date-order",
        choices=("dmy", "mdy"),
        help="day or month first for dates like 03/04/2024 that nothing in the file decides",
    )
    imp.add_argument(
        "--strict",
        action="store_true",
        help="reject a row for any bad value (default: leave the value out, land the row)",
    )
    imp.add_argument(
        "--no-compare",
        action="store_true",
        help="send every record without reading the portal first (faster first load; rollback"
        " then cannot restore updated values)",
    )
    imp.set_defaults(func=_cmd_import)

    rb = _subcommand(
        sub,
        "rollback",
        help="undo a run: archive what it created, restore what it updated, remove its links",
    )
    rb.add_argument("run_id", help="the run to undo")
    rb.add_argument("--target", help="portal base URL (default: the one the run recorded)")
    rb.add_argument("--output", default="output", help="folder holding runs/<run_id>/")
    rb.add_argument("--yes", action="store_true", help="do not ask before rolling back")
    rb.set_defaults(func=_cmd_rollback)

    vf = _subcommand(sub, "verify", help="read back what a run wrote and compare (verify.csv)")
    vf.add_argument("run_id", help="the run to verify")
    vf.add_argument("--target", help="portal base URL (default: the one the run recorded)")
    vf.add_argument("--output", default="output", help="folder holding runs/<run_id>/")
    vf.set_defaults(func=_cmd_verify)

    run = _subcommand(sub, "run", help="run the notebooks with papermill and export report.html")
    run.add_argument("--data", required=True, help="folder of exports, as for crmkit import")
    run.add_argument("--target", help="portal or sandbox base URL; without it, an embedded sandbox")
    run.add_argument("--run-id", help="name the run")
    run.add_argument("--output", default="output", help="folder for runs/<run_id>/")
    run.add_argument(
        "-p",
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="a notebook parameter (e.g. dry_run=true); repeatable; never the token",
    )
    run.set_defaults(func=_cmd_run)

    dm = _subcommand(sub, "demo", help="start a sandbox, run everything on data/, write the report")
    dm.add_argument("--data", default="data", help="folder of exports to import")
    dm.add_argument("--output", default="output", help="folder for runs/<run_id>/")
    dm.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except RunFinished as exc:  # nothing to do is not a failure; the status says how it ended
        print(f"crmkit: {exc}", file=sys.stderr)
        return EXIT_OK if exc.status == "complete" else EXIT_INCOMPLETE
    except CrmkitError as exc:
        print(f"crmkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print("crmkit: interrupted", file=sys.stderr)
        for note in getattr(exc, "__notes__", []):  # the run's resume hint, when there is one
            print(f"crmkit: {note}", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
