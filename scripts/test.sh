#!/usr/bin/env bash
# Sets up everything the tests need (Python venv, Node, code-server, Chromium, Neovim, the .vsix)
# and runs lint, type checks and the whole test suite, end-to-end tests in real editors included.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup-runner.sh
bash scripts/setup-e2e.sh

echo "==> ruff"
.venv/bin/ruff check .
echo "==> mypy"
.venv/bin/mypy
echo "==> import layers (pyproject.toml [tool.importlinter])"
.venv/bin/lint-imports --no-cache
echo "==> generated files up to date (event docs, event schema, extension types)"
.venv/bin/python -m olive_events.render || { echo "run: .venv/bin/python -m olive_events.render --write"; exit 1; }
echo "==> schema file up to date"
.venv/bin/olive-studio schema | diff -q - schemas/olive_schema/olive-config.schema.json \
    || { echo "schemas/olive_schema/olive-config.schema.json is stale: run olive-studio schema --write"; exit 1; }
echo "==> extension: type check and unit tests (the results panel)"
(cd extension && PATH="$ROOT/.tools/bin:$PATH" npm run --silent typecheck && PATH="$ROOT/.tools/bin:$PATH" npm test)
echo "==> pytest"
.venv/bin/python -m pytest "$@"
