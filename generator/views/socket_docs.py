"""The docstrings of the generated client: `connect`, the clients, each socket's `open` and
conversations. Every URL is printed as the template the handshake fills in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import ir
from .handshake import Param, describe

if TYPE_CHECKING:
    from .socket_types import ChannelView, Route, Send


def url_template(servers: tuple[ir.Server, ...], channel: ir.Channel, address: str) -> str:
    """The socket's URL as its handshake builds it: its server's URL + its address."""
    server = next((s for s in servers if s.name in channel.server_names[:1]), None)
    if server is None:
        server = servers[0] if servers else None
    base = server.url.rstrip("/") if server is not None else "<url>"
    return base + address if address else (server.url if server is not None else "<url>")


def connect_doc(servers: tuple[ir.Server, ...], arguments: list[Param], *, blocking: bool) -> str:
    lines = [
        "Prepare a client. No socket opens here: each socket opens on `open(...)` or first use.",
        "",
        "Args:",
    ]
    if servers:
        names = ", ".join(f"`{s.name}` ({s.url})" for s in servers)
        lines.append(
            f"    server: the document's servers are {names}. Each socket uses the first server "
            "that serves it; a server given here is used for every socket it serves, and its "
            "credentials are checked at once (another server's when a socket on it opens)."
        )
        lines.append(
            "    url: replaces the server's scheme, host and port (e.g. `ws://127.0.0.1:8080`) and "
            "keeps its path unless `url` has a path of its own; channel addresses are appended. "
            "With a URL, credentials are not checked."
        )
    else:
        lines.append(
            "    url: the server's URL (e.g. `ws://127.0.0.1:8080`); channel addresses are appended to it."
        )
    for p in arguments:
        lines.append("    " + describe(p))
    lines += [
        "    validate: check outgoing messages against their schema before sending them.",
        (
            "    validate_incoming: check received frames against their schema (False: a frame is "
            "only matched to its message, by tag, consts and required properties, and built as it "
            "is; for documents whose schemas are wrong or stricter than the server)."
        ),
        (
            "    unknown_frames: what a received frame that fits none of the channel's messages "
            'becomes: "raise" (its consumer raises `InvalidFrame`) or "yield" (it receives an '
            "`UnknownFrame` holding the frame, its JSON and the error, and iteration goes on)."
        ),
        (
            "    max_queue: frames buffered per conversation and for each channel stream. When one "
            "is full, the socket's reader waits for its consumer (back-pressure on the socket)."
        ),
        "    open_timeout: seconds allowed for each opening handshake.",
    ]
    if not blocking:
        lines += [
            (
                "    reconnect: attempts at re-opening a socket lost without `close()` (0: never). "
                "Open conversations end with `ConnectionClosed` and nothing is re-sent; the channel "
                "stream raises `ConnectionClosed` once and goes on on the new socket."
            ),
            (
                "    reconnect_delay: seconds before the first attempt, doubled after each (at most "
                "30, with jitter). Network errors, timeouts, HTTP 429 and 5xx are retried; other "
                "rejections are not."
            ),
        ]
    lines.append(
        "    websocket_options: more keyword arguments for the `websockets` connect call "
        "(`max_size`, `ping_interval`, `compression`, ...)."
    )
    return "\n".join(lines)


def client_doc(api: ir.Api, views: list[ChannelView], *, blocking: bool) -> str:
    kind = "Blocking client (one reader thread per socket)" if blocking else "asyncio client"
    lines = [f"{kind} of {api.title or 'the API'}; make it with `connect(...)`.", ""]
    if views:
        lines.append("Sockets:")
        for view in views:
            cls = view.blocking_cls if blocking else view.cls
            line = f"    {view.attr}: {view.url} ({cls})"
            if view.carries:
                line += ", carrying channels " + ", ".join(f"`{c}`" for c in view.carries)
            lines.append(line)
    return "\n".join(lines)


def socket_doc(view_url: str, carries: tuple[str, ...], description: str) -> str:
    doc = f"`{view_url}`."
    if carries:
        doc += " One socket carrying the channels " + ", ".join(f"`{c}`" for c in carries) + "."
    if description:
        doc += "\n\n" + description
    return doc


def open_doc(url: str, own: list[Param]) -> str:
    lines = [f"Open the socket at `{url}`."]
    if own:
        lines += ["", "Args:"] + ["    " + describe(p) for p in own]
    else:
        lines += ["", "It also opens by itself on first use (send, iteration, conversation)."]
    return "\n".join(lines)


def context_doc(path: str, routes: list[Route], cancel: Send | None) -> str:
    ends = [r.cls for r in routes if r.ends]
    text = f"A conversation on `{path}`: the frames that carry its correlation id, in order."
    if ends:
        text += (
            " It ends after " + " or ".join(f"`{c}`" for c in ends) + " (`x-conversation: end`)."
        )
    else:
        text += " No message ends it (none is marked `x-conversation: end`): close it when done."
    text += (
        " A frame of these messages that arrives without a correlation id reaches every open"
        " conversation" + (" (and ends them if it is a last frame)." if ends else ".")
    )
    if cancel is not None:
        text += f" `cancel()` sends `{cancel.message.key}`."
    return text
