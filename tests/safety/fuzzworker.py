"""Imports evidence files one at a time for the mutation fuzz (test_fuzz.py).

    python -m tests.safety.fuzzworker DATA_DIR

Reads commands as JSON lines on stdin and answers each with one JSON line:
``{"add": PATH}`` adds the file to the fuzz case through Workspace.add_evidence
(what the window and the CLI do); ``{"build": PATH}`` builds the case's packet.
Memory is capped (RLIMIT_AS) so a decompression bomb ends in MemoryError, not
in the machine swapping; the parent enforces the time limit and notices a crash.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from tests import netguard

netguard.install(strict=True)

try:
    import resource

    _LIMIT = 3 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (_LIMIT, _LIMIT))
except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX
    pass

import datetime as dt  # noqa: E402

from pdpacket.api import Workspace  # noqa: E402
from pdpacket.errors import PdpacketError  # noqa: E402
from pdpacket.model import BuildOptions, Client  # noqa: E402


class _Unexpected(logging.Handler):
    """Counts intake errors that were not IntakeErrors (caught by the façade's net)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "intake failed unexpectedly" in record.getMessage() and record.exc_info:
            exc = record.exc_info[1]
            self.records.append(f"{type(exc).__name__}: {str(exc)[:120]}")


def main() -> int:
    data = Path(sys.argv[1])
    ws = Workspace.open(data)
    cases = ws.list_cases()
    case_id = cases[0].id if cases else ws.create_case(Client(name="Fuzz Case"))
    handler = _Unexpected()
    logging.getLogger("pdpacket").addHandler(handler)
    print(json.dumps({"ready": True}), flush=True)
    for raw in sys.stdin:
        cmd = json.loads(raw)
        t0 = time.monotonic()
        handler.records.clear()
        if "add" in cmd:
            [res] = ws.add_evidence(case_id, [cmd["add"]])
            out = {
                "status": res.status,
                "message": res.message,
                "pages": res.pages,
                "unexpected": list(handler.records),
            }
        else:
            try:
                r = ws.build_packet(
                    case_id, cmd["build"], BuildOptions(build_date=dt.date(2026, 1, 1))
                )
                out = {"status": "built", "pages": r.pages, "message": ""}
            except PdpacketError as exc:
                out = {"status": "refused", "message": str(exc), "pages": 0}
        out["seconds"] = round(time.monotonic() - t0, 3)
        print(json.dumps(out), flush=True)
    ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
