"""`python -m asyncgen`: the `asyncgen` command."""

from .cli import main

main(prog_name="asyncgen")
