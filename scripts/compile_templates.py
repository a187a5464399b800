"""Writes `templates/compiled/`: the built-in templates compiled by Jinja ahead of time (see
`generator/render.py`). Run it after changing a template; the tests say when it is due."""

from __future__ import annotations

from pathlib import Path

from asyncgen.render import compiled_modules

FOLDER = Path(__file__).resolve().parents[1] / "templates" / "compiled"


def main() -> None:
    files = compiled_modules()
    FOLDER.mkdir(exist_ok=True)
    for stale in FOLDER.glob("*.py"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    print(f"{FOLDER}: {len(files)} files")


if __name__ == "__main__":
    main()
