"""What each module of asyncgen may import: the stages stay in one direction, with no circle.

`RULES` is the design's one-line "may import" rule per module (docs/design.md shows the same
table); the test reads every import statement in `generator/` (function-level ones included) and
fails on any import the rule does not allow, and on any cycle among the modules.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SOURCE = ROOT / "generator"

# module (or package, for every module in it) -> what it may import from asyncgen.
# "asyncgen" alone is the package root (its `__version__`).
RULES: dict[str, set[str]] = {
    "asyncgen": {"asyncgen.validation"},
    "asyncgen.diagnostics": set(),
    "asyncgen.naming": set(),
    "asyncgen.yaml_events": set(),
    "asyncgen.reading": {"asyncgen.diagnostics", "asyncgen.yaml_events"},
    "asyncgen.sources": {"asyncgen.reading"},
    "asyncgen.loading": {"asyncgen.diagnostics", "asyncgen.reading", "asyncgen.sources"},
    "asyncgen.overlays": {"asyncgen.diagnostics", "asyncgen.loading"},
    "asyncgen.ir": {"asyncgen.diagnostics"},
    "asyncgen.asyncapi": {
        "asyncgen.asyncapi",
        "asyncgen.diagnostics",
        "asyncgen.loading",
        "asyncgen.ir",
        "asyncgen.naming",
    },
    # Which client each server gets and the broker channels: the parser's pieces only.
    "asyncgen.asyncapi.brokers": {"asyncgen.asyncapi", "asyncgen.ir", "asyncgen.naming"},
    "asyncgen.runtime": {"asyncgen.runtime"},
    "asyncgen.layout_lines": set(),
    "asyncgen.layout_splits": {"asyncgen.layout_lines"},
    "asyncgen.layout": {"asyncgen.layout_lines", "asyncgen.layout_splits"},
    "asyncgen.validation": {"asyncgen.validation", "asyncgen.runtime", "asyncgen.layout"},
    "asyncgen.views": {
        "asyncgen",
        "asyncgen.views",
        "asyncgen.ir",
        "asyncgen.naming",
        "asyncgen.validation",
        "asyncgen.layout",
    },
    # The broker modules' views: no validation compiler, no package version.
    "asyncgen.views.brokers": {"asyncgen.ir", "asyncgen.naming", "asyncgen.views", "asyncgen.layout"},
    "asyncgen.views.codec": {"asyncgen.ir", "asyncgen.naming", "asyncgen.views"},
    "asyncgen.views.layout": {"asyncgen.layout"},
    "asyncgen.render": {"asyncgen.layout"},
    "asyncgen.formatting": set(),
    "asyncgen.emit": {
        "asyncgen.ir",
        "asyncgen.runtime",
        "asyncgen.formatting",
        "asyncgen.render",
        "asyncgen.validation",
        "asyncgen.views",
    },
    "asyncgen.output": set(),
    "asyncgen.settings": {"asyncgen.asyncapi", "asyncgen.sources"},  # asyncapi: types only
    "asyncgen.fingerprint": {"asyncgen", "asyncgen.output", "asyncgen.settings"},
    "asyncgen.building": {
        "asyncgen.console",
        "asyncgen.diagnostics",
        "asyncgen.project",
        "asyncgen.fingerprint",
        "asyncgen.naming",
        "asyncgen.output",
        "asyncgen.pipeline",
        "asyncgen.settings",
    },
    "asyncgen.watch": {"asyncgen.building", "asyncgen.fingerprint"},
    "asyncgen.__main__": {"asyncgen.cli"},
    "asyncgen.pipeline": {
        "asyncgen.asyncapi",
        "asyncgen.diagnostics",
        "asyncgen.emit",
        "asyncgen.ir",
        "asyncgen.loading",
        "asyncgen.naming",
        "asyncgen.overlays",
        "asyncgen.render",
        "asyncgen.settings",
        "asyncgen.validation",
    },
    "asyncgen.help_text": set(),
    "asyncgen.project": {"asyncgen", "asyncgen.ir"},
    "asyncgen.console": {"asyncgen", "asyncgen.diagnostics"},
    "asyncgen.cli": {
        "asyncgen.building",
        "asyncgen.console",
        "asyncgen.help_text",
        "asyncgen.pipeline",
        "asyncgen.naming",
        "asyncgen.settings",
        "asyncgen.sources",
        "asyncgen.watch",
    },
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(["asyncgen", *parts])] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The asyncgen modules `name` imports (a `from package import module` counts as the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "asyncgen"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "asyncgen":
                target = node.module
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return found


def _rule(name: str) -> set[str]:
    while name not in RULES:
        name = name.rpartition(".")[0]
        assert name, "every module needs a rule"
    return RULES[name]


def _allowed(target: str, allowed: set[str]) -> bool:
    return any(target == a or target.startswith(a + ".") for a in allowed if a != "asyncgen") or (
        target == "asyncgen" and "asyncgen" in allowed
    )


GRAPH = {name: _imports(name, path, set(_modules())) for name, path in _modules().items()}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_module_imports_only_what_its_rule_allows(name: str) -> None:
    allowed = _rule(name)
    wrong = sorted(t for t in GRAPH[name] - {name} if not _allowed(t, allowed))
    assert not wrong, f"{name} imports {wrong}; its rule allows {sorted(allowed)}"


def test_runtime_modules_import_nothing_of_asyncgen_but_each_other() -> None:
    for name, targets in GRAPH.items():
        if name.startswith("asyncgen.runtime."):
            assert all(t.startswith("asyncgen.runtime") for t in targets), (name, targets)


# The libraries each runtime module may import besides the standard library and its siblings:
# a generated package imports a protocol's library only from that protocol's client.
RUNTIME_LIBRARIES = {
    "_mqtt": {"aiomqtt", "paho"},
    "_amqp": {"aio_pika", "aiormq"},
    "_nats": {"nats"},
    "_ws_client": {"websockets"},
    "_ws_blocking": {"websockets"},
    "_ws_server": {"websockets"},
    "_ws_core": {"websockets"},
}


@pytest.mark.parametrize("path", sorted((SOURCE / "runtime").glob("_*.py")), ids=lambda p: p.stem)
def test_runtime_modules_import_only_the_standard_library_and_their_protocol(path: Path) -> None:
    allowed = RUNTIME_LIBRARIES.get(path.stem, set()) | set(sys.stdlib_module_names)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    assert found <= allowed, f"{path.name} imports {sorted(found - allowed)}"


def test_no_import_cycle() -> None:
    # Edges between modules only (a package's __init__ re-exporting its own modules is not a
    # dependency on them from outside).
    edges = {
        n: {t for t in ts if t in GRAPH and t != n and not n.startswith(t + ".")}
        for n, ts in GRAPH.items()
    }
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycle = path[path.index(target) :] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
