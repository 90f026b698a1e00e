"""The ``olive-studio`` command line: one entry point over every component.

Thin on purpose: each subcommand parses its arguments and hands them to its component, imported lazily,
so ``validate`` never pays for the language server and nothing here imports the ML stack. The torch-free
commands (``validate``, ``migrate``, ``schema``) live in this package; ``run`` and ``fetch-default-model``
belong to the runner, ``lsp`` to the language server.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

VERSION_HELP = (
    "the Olive release to check against, e.g. 0.6.2 or 0.6 (its newest patch); "
    "default: the olive-ai installed in this Python, else the newest known"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="olive-studio", description="Check, edit and run Olive workflow configs.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser("validate", help="check configs and print findings as FILE:LINE:COL")
    validate.add_argument("files", nargs="+", metavar="FILE", help="olive-config.json files")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    validate.add_argument("--olive-version", metavar="X", help=VERSION_HELP)
    validate.add_argument(
        "--no-file-checks", action="store_true", help="skip the checks that look for scripts, data and model files"
    )

    migrate = sub.add_parser("migrate", help="rewrite a config for another Olive release (shows a diff)")
    migrate.add_argument("file", metavar="FILE", help="the olive-config.json to migrate")
    migrate.add_argument("--to", metavar="X", dest="to_version", help="target release (default: the newest known)")
    migrate.add_argument("--write", action="store_true", help="write the result back to FILE")

    run = sub.add_parser("run", help="run a workflow config (LoRA/QLoRA -> merge -> ModelBuilder) and evaluate it")
    run.add_argument("config", metavar="CONFIG", help="the olive-config.json to run (old or current format)")
    run.add_argument("--output-dir", help="where the final model and run_summary.json go (default: the config's)")
    run.add_argument("--cache-dir", help="where pass outputs are cached (default: the config's cache_dir)")
    run.add_argument("--events", metavar="PATH", help="write JSON-lines events to PATH ('-' for stdout)")
    run.add_argument("--events-fd", type=int, metavar="N", help="write JSON-lines events to file descriptor N")
    run.add_argument("--no-eval", dest="evaluate", action="store_false", help="skip the accuracy/speed report")
    run.add_argument("--accelerator", choices=("cpu", "cuda"), default="cpu", help="device for the passes")
    run.add_argument("--quiet", action="store_true", help="no progress display")

    fetch = sub.add_parser("fetch-default-model", help="materialize SmolLM2-135M-Instruct as a local HF folder")
    fetch.add_argument("--dest", help="target folder")

    sub.add_parser("lsp", help="run the language server on stdin/stdout")

    schema = sub.add_parser("schema", help="print or regenerate the JSON Schema of olive-config.json")
    schema.add_argument("--write", action="store_true", help="rewrite the committed schema file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        from olive_studio.validate_command import run_validate

        return run_validate(
            args.files,
            args.format,
            sys.stdout,
            sys.stderr,
            olive_version=args.olive_version,
            file_checks=not args.no_file_checks,
        )
    if args.command == "migrate":
        from olive_studio.migrate_command import run_migrate

        return run_migrate(args.file, args.to_version, args.write, sys.stdout, sys.stderr)
    if args.command == "run":
        from olive_runner.run_command import run_run

        return run_run(
            args.config,
            args.output_dir,
            args.cache_dir,
            args.events,
            args.events_fd,
            args.evaluate,
            args.accelerator,
            args.quiet,
        )
    if args.command == "fetch-default-model":
        from olive_runner.default_model_command import run_fetch_default_model

        return run_fetch_default_model(args.dest)
    if args.command == "lsp":
        from olive_lsp.server import serve

        serve()
        return 0
    from olive_schema import schema_build

    if args.write:
        print(f"wrote {schema_build.write()}", file=sys.stderr)
    else:
        sys.stdout.write(schema_build.render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
