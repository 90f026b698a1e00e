"""``python -m olive_studio ...``: the ``olive-studio`` command (the language server spawns runs this way)."""

from olive_studio.main import main

if __name__ == "__main__":
    raise SystemExit(main())
