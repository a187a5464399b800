"""Code that is the same in every generated package, kept here as ordinary source.

Each module in this folder is formatted, linted, type-checked and unit-tested like the rest of
asyncgen, and a build copies it verbatim (under the generated-file header) into the package it
writes, under the same private name. The modules import only the standard library, `websockets`
(the WebSocket ones), their protocol's library (the broker links) and each other (relatively),
never asyncgen itself, so the copies work on their own.
"""

from __future__ import annotations

from importlib import resources

# Copied into every package, in this order (the header is prepended, nothing else changes).
MODULES = ("_errors.py", "_wire.py", "_models.py")

# Copied, besides, into the packages that get the WebSocket client and server (a document with
# a ws server, or with no server at all): the only modules that import `websockets`.
WEBSOCKET_MODULES = (
    "_ws_core.py",
    "_ws_routing.py",
    "_ws_queues.py",
    "_ws_client.py",
    "_ws_blocking.py",
    "_ws_server.py",
)

# Copied, besides, into the packages whose documents have servers of that protocol (each
# protocol's link imports its library; only that protocol's client module imports the link).
PROTOCOL_MODULES = {
    "mqtt": ("_addresses.py", "_broker.py", "_mqtt.py"),
    "amqp": ("_addresses.py", "_broker.py", "_amqp.py"),
    "nats": ("_addresses.py", "_broker.py", "_nats.py"),
}


def sources(protocols: tuple[str, ...] = (), websocket: bool = True) -> dict[str, str]:
    """File name → source text of every runtime module a package gets: with the WebSocket
    client and server when `websocket`, and with the broker clients of `protocols`."""
    folder = resources.files(__name__)
    names = [*MODULES, *(WEBSOCKET_MODULES if websocket else ())]
    for protocol in protocols:
        names += [n for n in PROTOCOL_MODULES[protocol] if n not in names]
    return {name: folder.joinpath(name).read_text(encoding="utf-8") for name in names}
