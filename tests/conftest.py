"""Shared test helpers: build a spec into a temporary package and import it."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest
from brokers import (  # noqa: F401  (fixtures: real brokers, see brokers.py)
    mosquitto,
    mosquitto_private,
    nats_server,
    nats_server_private,
    nats_server_token,
    rabbitmq,
    rabbitmq_private,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"  # third-party test data, see PROVENANCE.md
SPECS = ROOT / "specs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden snapshots (generated/ and tests/fixtures/*/expected) from the specs",
    )


def build(spec: Path, out_root: Path, package: str) -> dict[str, str]:
    """Generate `spec` as `out_root/package`; fail the test with the problems if it does not."""
    from asyncgen.output import write
    from asyncgen.pipeline import generate

    result = generate(spec, package)
    if result.files is None:
        pytest.fail(f"{spec} did not generate:\n{result.problems.format()}")
    write(out_root / package, result.files)
    return result.files


def import_package(out_root: Path, package: str) -> dict[str, ModuleType]:
    """Import a generated package (and its modules) from `out_root`."""
    if str(out_root) not in sys.path:
        sys.path.insert(0, str(out_root))
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            del sys.modules[name]
    modules = {"package": importlib.import_module(package)}
    modules_ = ("models", "validators", "client", "server", "codec")
    for module in (*modules_, "mqtt_client", "amqp_client", "nats_client"):
        if (out_root / package / f"{module}.py").is_file():
            modules[module] = importlib.import_module(f"{package}.{module}")
    return modules


@pytest.fixture(scope="session")
def generated_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@pytest.fixture(scope="session")
def cartesia(generated_root: Path) -> dict[str, ModuleType]:
    """The Cartesia package built from specs/cartesia.yaml, imported as `cartesia_under_test`."""
    build(SPECS / "cartesia.yaml", generated_root, "cartesia_under_test")
    return import_package(generated_root, "cartesia_under_test")
