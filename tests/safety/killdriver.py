"""A busy user, to be killed: opens a workspace and, forever, imports evidence and
manifests, edits, builds packets to one fixed path, exports and imports archives,
backs up and restores.  tests/safety/test_kill.py SIGKILLs it at random moments
and checks that nothing was lost.

    python -m tests.safety.killdriver DATA_DIR WORK_DIR SEED

Prints ``READY`` once the workspace is open, then ``OP <name>`` before and
``DONE <name>`` after each operation (flushed), so the parent knows what was
running when it struck.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

from tests import netguard

netguard.install(strict=True)  # a socket here ends the process with exit code 97

from PIL import Image  # noqa: E402
from reportlab.lib.pagesizes import letter  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from pdpacket.api import Workspace  # noqa: E402
from pdpacket.errors import PdpacketError  # noqa: E402
from pdpacket.model import BuildOptions, Client, FactorAnswer  # noqa: E402

BUILD = BuildOptions(build_date=dt.date(2026, 3, 1))
MAX_CASES = 4


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write_pdf(path: Path, rng: random.Random, pages: int) -> Path:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for n in range(pages):
        c.setFont("Helvetica", 12)
        for line in range(30):
            c.drawString(72, 720 - 20 * line, f"{path.stem} p{n} l{line} {rng.random():.12f}")
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def write_jpeg(path: Path, rng: random.Random) -> Path:
    img = Image.new("RGB", (900, 700), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(200):
        x, y = rng.randrange(880), rng.randrange(680)
        img.paste(tuple(rng.randrange(256) for _ in range(3)), (x, y, x + 20, y + 20))
    img.save(path, "JPEG", quality=85)
    return path


def new_files(work: Path, rng: random.Random, k: int) -> list[Path]:
    folder = work / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for _ in range(k):
        stem = f"doc {rng.randrange(10**9)} café"
        if rng.random() < 0.3:
            out.append(write_jpeg(folder / f"{stem}.jpg", rng))
        else:
            out.append(write_pdf(folder / f"{stem}.pdf", rng, rng.randint(1, 4)))
    return out


def manifest(work: Path, rng: random.Random) -> Path:
    folder = work / f"m{rng.randrange(10**9)}"
    folder.mkdir(parents=True)
    files = [write_pdf(folder / f"e{i}.pdf", rng, rng.randint(1, 3)) for i in range(3)]
    data = {
        "client": {"name": f"Kill Test Client {rng.randrange(1000)}", "a_number": "A201-555-001"},
        "factors": [{"id": "long_residence", "notes": "since 2009"}],
        "exhibits": [{"title": f"Exhibit {f.stem}", "files": [f.name]} for f in files],
    }
    path = folder / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def step(ws: Workspace, work: Path, rng: random.Random) -> None:
    cases = ws.list_cases(include_archived=True)
    if not cases:
        say("OP import")
        ws.import_manifest(manifest(work, rng))
        say("DONE import")
        return
    case = rng.choice(cases)
    exhibits = ws.exhibits(case.id)
    ops = ["add", "add", "edit", "edit", "build", "build", "factor", "reorder", "export"]
    if len(cases) < MAX_CASES:
        ops += ["import", "import_archive"]
    else:
        ops += ["delete_case"]
    if len(exhibits) > 3:
        ops.append("remove")
    ops += ["backup", "restore"] if rng.random() < 0.15 else []
    op = rng.choice(ops)
    say(f"OP {op}")
    try:
        if op == "add":
            ws.add_evidence(case.id, new_files(work, rng, rng.randint(1, 3)))
        elif op == "import":
            ws.import_manifest(manifest(work, rng))
        elif op == "edit" and exhibits:
            ex = rng.choice(exhibits)
            ws.store.update_exhibit(ex.id, title=f"Edited {rng.randrange(10**6)}")
            ws.store.update_client(case.id, name=f"{case.client.name.split(' #')[0]} #{op}")
        elif op == "factor":
            ws.store.set_factor_answer(case.id, FactorAnswer("long_residence", True, "edited"))
        elif op == "reorder" and len(exhibits) > 1:
            ids = [e.id for e in exhibits]
            rng.shuffle(ids)
            ws.store.reorder_exhibits(case.id, ids)
        elif op == "remove":
            ws.store.remove_exhibit(rng.choice(exhibits).id)
        elif op == "build" and any(e.files for e in exhibits):
            ws.build_packet(case.id, work / "packet.pdf", BUILD)
        elif op == "export" and exhibits:
            ws.export_case(case.id, work / "case.pdpacket")
        elif op == "import_archive" and (work / "case.pdpacket").exists():
            ws.import_archive(work / "case.pdpacket")
        elif op == "delete_case":
            ws.store.delete_case(case.id)
        elif op == "backup":
            ws.backup_now()
        elif op == "restore":
            manual = [b for b in ws.list_backups() if b.reason == "manual"]
            if manual:
                ws.restore_backup(manual[0].name)
    except PdpacketError as exc:  # a refusal is a normal outcome; say it and go on
        say(f"REFUSED {op}: {exc}")
    say(f"DONE {op}")


def main() -> int:
    data, work, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    ws = Workspace.open(data)
    say("READY")
    if not ws.list_cases(include_archived=True):
        ws.create_case(Client(name="Seed Client"))
    while True:
        step(ws, work, rng)


if __name__ == "__main__":
    raise SystemExit(main())
