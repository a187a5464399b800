"""The examples at the end of each command's `--help` (click epilogs).

A paragraph that starts with a `\\b` line is printed as written (click rewraps the others).
"""

from __future__ import annotations

MAIN = """\
\b
Examples:
  asyncgen build specs/api.yaml            # writes generated/api/
  asyncgen check                           # the specs of [tool.asyncgen] are up to date?
  asyncgen validate --strict specs/*.yaml  # diagnostics only; warnings fail

Run `asyncgen COMMAND --help` for a command's options. Set NO_COLOR to print without colour.
"""

BUILD = """\
\b
Examples:
  asyncgen build specs/api.yaml
  asyncgen build specs/api.yaml -o src --package api_client
  asyncgen build specs/api.yaml --project -o dist   # an installable project
  asyncgen build --overlay fixes.yaml specs/vendor.yaml
  asyncgen build --templates my-templates specs/api.yaml   # template overrides
  asyncgen build                                    # the specs of [tool.asyncgen]
"""

CHECK = """\
\b
Examples:
  asyncgen check specs/api.yaml
  asyncgen check -q            # the specs of [tool.asyncgen]; only errors printed
"""

VALIDATE = """\
\b
Examples:
  asyncgen validate specs/api.yaml
  asyncgen validate --strict specs/*.yaml   # exit 1 on warnings too
"""

WATCH = """\
\b
Examples:
  asyncgen watch specs/api.yaml      # build, then build again on every change
  asyncgen watch                     # the specs of [tool.asyncgen]; Ctrl-C stops
"""
