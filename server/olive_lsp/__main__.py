"""``python -m olive_lsp``: the language server on stdin/stdout (what the VS Code extension starts)."""

from olive_lsp.server import serve

if __name__ == "__main__":
    serve()
