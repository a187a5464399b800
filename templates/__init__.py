"""Jinja templates that render a generated package; they only print what the IR holds."""
