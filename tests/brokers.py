"""Real brokers for tests: mosquitto, RabbitMQ and nats-server from the system packages.

Each starts on a free port on 127.0.0.1 with its state in a temporary folder, is waited for
with a bound, and is always stopped. A fixture skips (with the reason) only where the broker's
program is not installed. Tests using them carry `pytest.mark.xdist_group("brokers")`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

BROKERS = pytest.mark.xdist_group("brokers")

MOSQUITTO = "/usr/sbin/mosquitto"
RABBITMQ = "/usr/lib/rabbitmq/bin/rabbitmq-server"  # the script the Debian wrapper runs
RABBITMQ_WRAPPER = "/usr/sbin/rabbitmq-server"
NATS_SERVER = "/usr/sbin/nats-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _program(*paths: str) -> str | None:
    for path in paths:
        if os.access(path, os.X_OK):
            return path
    return None


class _PortTaken(RuntimeError):
    """The broker could not bind its port: another process has it."""


class Broker:
    """One broker process: `start()` (on the same port each time), `stop()`, `url`."""

    name = "broker"
    start_timeout = 15.0

    def __init__(self, program: str) -> None:
        self.program = program
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{self.name}-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.folder / "output.log"
        self.started = False  # once started, it keeps its port (clients reconnect to it)

    @property
    def url(self) -> str:
        raise NotImplementedError

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def start(self) -> None:
        # A port found free may be taken before a slow broker binds it (another test's client
        # socket gets it as its own port): a first start takes new ports and tries again.
        for attempt in range(3):
            try:
                self._start()
            except _PortTaken:
                if self.started or attempt == 2:
                    raise
                self.new_ports()
                continue
            self.started = True
            return

    def new_ports(self) -> None:
        self.port = free_port()

    def _start(self) -> None:
        if self.process is not None:
            return
        with self.log.open("ab") as log:
            offset = log.tell()  # this start's output is what follows
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.environment(),
                cwd=self.folder,
                start_new_session=True,  # its children are stopped with it
            )
        deadline = time.monotonic() + self.start_timeout
        while not _listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                with self.log.open("rb") as log:
                    log.seek(offset)
                    output = log.read().decode(errors="replace")[-3000:]
                self.stop()
                taken = re.search("eaddrinuse|address already in use", output, re.IGNORECASE)
                error = _PortTaken if taken else RuntimeError
                raise error(f"{self.name} did not start on {self.port}:\n{output}")
            time.sleep(0.05)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self._reap_group(process.pid)
        deadline = time.monotonic() + 5.0
        while _listening(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def _reap_group(self, pgid: int) -> None:
        try:
            os.killpg(pgid, signal.SIGKILL)  # children left behind by the main process
        except (ProcessLookupError, PermissionError):
            pass

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Mosquitto(Broker):
    name = "mosquitto"

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        config = self.folder / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            "max_queued_messages 0\n"
        )
        return [self.program, "-c", str(config)]


class RabbitMq(Broker):
    name = "rabbitmq"
    start_timeout = 60.0

    def __init__(self, program: str) -> None:
        super().__init__(program)
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.node = f"asyncgen-test-{uuid.uuid4().hex[:8]}@localhost"

    def new_ports(self) -> None:
        super().new_ports()
        self.dist_port = free_port()
        self.epmd_port = free_port()

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        return [self.program]

    def environment(self) -> dict[str, str]:
        folder = self.folder
        (folder / "enabled_plugins").write_text("[].\n")
        (folder / "rabbitmq.conf").write_text("loopback_users.guest = true\n")
        (folder / "rabbitmq-env.conf").write_text("")
        env = dict(os.environ)
        env.update(
            HOME=str(folder),  # the Erlang cookie
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_MNESIA_BASE=str(folder / "mnesia"),
            RABBITMQ_LOG_BASE=str(folder / "log"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(folder / "enabled_plugins"),
            RABBITMQ_CONFIG_FILE=str(folder / "rabbitmq.conf"),
            RABBITMQ_CONF_ENV_FILE=str(folder / "rabbitmq-env.conf"),
            RABBITMQ_PID_FILE=str(folder / "rabbitmq.pid"),
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}",
            ERL_EPMD_ADDRESS="127.0.0.1",
            ERL_EPMD_PORT=str(self.epmd_port),
        )
        return env

    def cleanup(self) -> None:
        super().cleanup()
        epmd = shutil.which("epmd")
        if epmd is not None:  # the node started its own epmd on a private port
            subprocess.run(
                [epmd, "-kill"],
                env={**os.environ, "ERL_EPMD_PORT": str(self.epmd_port)},
                capture_output=True,
                timeout=10,
                check=False,
            )


class NatsServer(Broker):
    name = "nats-server"

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [self.program, "-a", "127.0.0.1", "-p", str(self.port)]


class NatsServerWithToken(NatsServer):
    """A nats-server that admits clients presenting `token` only."""

    token = "s3cret-token"

    def command(self) -> list[str]:
        return [*super().command(), "--auth", self.token]


def _running(kind: type[Broker], *programs: str) -> Iterator[Broker]:
    program = _program(*programs)
    if program is None:
        pytest.skip(f"{kind.name} is not installed ({' or '.join(programs)} missing)")
    broker = kind(program)
    try:
        broker.start()
        yield broker
    finally:
        broker.cleanup()


@pytest.fixture(scope="session")
def mosquitto() -> Iterator[Broker]:
    yield from _running(Mosquitto, MOSQUITTO)


@pytest.fixture(scope="session")
def rabbitmq() -> Iterator[Broker]:
    yield from _running(RabbitMq, RABBITMQ)


@pytest.fixture(scope="session")
def nats_server() -> Iterator[Broker]:
    yield from _running(NatsServer, NATS_SERVER)


@pytest.fixture
def mosquitto_private() -> Iterator[Broker]:
    """A broker of the test's own, which it may stop and start."""
    yield from _running(Mosquitto, MOSQUITTO)


@pytest.fixture
def rabbitmq_private() -> Iterator[Broker]:
    yield from _running(RabbitMq, RABBITMQ)


@pytest.fixture
def nats_server_private() -> Iterator[Broker]:
    yield from _running(NatsServer, NATS_SERVER)


@pytest.fixture(scope="session")
def nats_server_token() -> Iterator[Broker]:
    yield from _running(NatsServerWithToken, NATS_SERVER)
