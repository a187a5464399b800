"""Which client modules each corpus document's package gets, as a Markdown table.

    python scripts/corpus_clients.py

Generates every document of tests/data/corpus/MANIFEST.tsv (nothing is written) and prints one
row per document: its protocols as the manifest lists them, then the client modules of its
package (`client.py`/`server.py` for WebSocket, `mqtt_client.py`, `amqp_client.py`,
`nats_client.py`, `codec.py`), or why it does not generate.
"""

from __future__ import annotations

import csv
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
MODULES = ("client.py", "server.py", "mqtt_client.py", "amqp_client.py", "nats_client.py", "codec.py")


def modules(document: str) -> str:
    from asyncgen.pipeline import Reading, generate

    result = generate(CORPUS / document, package="corpus_pkg", reading=Reading(root=CORPUS))
    if result.files is None:
        rules = sorted({p.rule for p in result.problems.errors})
        return "does not generate (" + ", ".join(rules) + ")"
    return ", ".join(f"`{m}`" for m in MODULES if m in result.files) or "models only"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [(r["local_file"], r["protocols"]) for r in csv.DictReader(handle, delimiter="\t")]
    with ProcessPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(modules, [document for document, _ in rows]))
    print("| document | protocols | client modules |")
    print("|---|---|---|")
    for (document, protocols), clients in zip(rows, found):
        print(f"| `{document}` | {protocols} | {clients} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
