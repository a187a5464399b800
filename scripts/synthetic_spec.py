"""Synthetic AsyncAPI 2.6 documents of any size, for measuring how generation scales.

A document of N messages spreads them over channels of ten (five each way) on one WebSocket
server. Every message's payload is a component schema of six properties of mixed kinds: a string
`const` tag (the discriminator), a string `enum`, a bounded integer, a bounded number, an array of
bounded strings and a nested object with an optional field; the last three are optional. The
document depends only on N.

    python scripts/synthetic_spec.py 1000 > big.json
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

MESSAGES_PER_CHANNEL = 10


def payload(index: int) -> dict[str, Any]:
    """The schema of message `index` (all differ: each has its own tag and bounds)."""
    return {
        "type": "object",
        "required": ["type", "status", "count"],
        "properties": {
            "type": {"type": "string", "const": f"event_{index}"},
            "status": {"type": "string", "enum": ["queued", "running", f"done_{index % 7}"]},
            "count": {"type": "integer", "minimum": 0, "maximum": 1000 + index},
            "score": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
            "labels": {
                "type": "array",
                "items": {"type": "string", "maxLength": 64},
                "maxItems": 16,
            },
            "origin": {
                "type": "object",
                "required": ["node"],
                "properties": {
                    "node": {"type": "string", "minLength": 1},
                    "retries": {"type": "integer", "minimum": 0},
                },
            },
        },
    }


def document(messages: int) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    components: dict[str, Any] = {"messages": {}, "schemas": {}}
    for first in range(0, messages, MESSAGES_PER_CHANNEL):
        channel = first // MESSAGES_PER_CHANNEL
        indices = range(first, min(first + MESSAGES_PER_CHANNEL, messages))
        half = (len(indices) + 1) // 2
        ways = {"publish": list(indices)[:half], "subscribe": list(indices)[half:]}
        operations: dict[str, Any] = {}
        for way, group in ways.items():
            if not group:
                continue
            refs = [{"$ref": f"#/components/messages/Event{i}"} for i in group]
            operations[way] = {
                "operationId": f"{way}Channel{channel}",
                "message": {"oneOf": refs} if len(refs) > 1 else refs[0],
            }
        channels[f"/streams/s{channel}"] = operations
        for i in indices:
            components["schemas"][f"Event{i}Payload"] = payload(i)
            components["messages"][f"Event{i}"] = {
                "name": f"event{i}",
                "contentType": "application/json",
                "payload": {"$ref": f"#/components/schemas/Event{i}Payload"},
            }
    return {
        "asyncapi": "2.6.0",
        "info": {"title": f"Synthetic {messages}", "version": "1.0.0"},
        "servers": {"main": {"url": "ws://localhost:8080", "protocol": "ws"}},
        "channels": channels,
        "components": components,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("messages", type=int)
    args = parser.parse_args()
    json.dump(document(args.messages), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
