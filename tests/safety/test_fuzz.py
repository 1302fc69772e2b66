"""Hostile and odd inputs (#8): a mutation fuzz over PDF and image evidence.

Seeds (text PDFs, a PDF with object streams, a PDF full of JavaScript, actions,
links, attachments and planted metadata, JPEG with EXIF, PNG, G4 TIFF, GIF, BMP)
and hand-made hostile files (deep nesting, a page-tree loop, two billion pages,
200,000 objects, a huge MediaBox, a PNG claiming 60000x60000 pixels, a real
256-megapixel PNG bomb) are mutated (truncated, bytes flipped, inserted or
zeroed, numbers after /Count, /Length, /Size... made absurd, image dimensions
made huge) and fed one by one to Workspace.add_evidence in a worker process
with a memory cap.  Every input must end in a clean import or a refusal that
names the file, within the time limit; the worker must never crash; the case
must stay intact; and the packet built from everything accepted must carry no
JavaScript, actions, attachments or planted metadata (checked with qpdf).

CI runs about 320 inputs; PDPACKET_SLOW=1 runs PDPACKET_FUZZ (default 2000).
"""

from __future__ import annotations

import io
import json
import os
import queue
import random
import re
import struct
import subprocess
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pdpacket.api import Workspace
from tests.pdftools import tool
from tests.safety import hostile
from tests.safety.hostile_resources import hostile_resources_pdf
from tests.safety.invariants import check_database, check_swept

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = float(os.environ.get("PDPACKET_FUZZ_TIMEOUT", "30"))


class Worker:
    """The fuzz worker process, restarted after a hang or a crash."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.proc: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.start()

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.safety.fuzzworker", str(self.data)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = queue.Queue()
        q, out = self.lines, self.proc.stdout

        def read() -> None:
            assert out is not None
            for line in out:
                q.put(line)
            q.put(None)

        threading.Thread(target=read, daemon=True).start()
        first = q.get(timeout=60)
        assert first and json.loads(first).get("ready"), f"worker did not start: {first}"

    def stop(self) -> str:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        return (self.proc.stderr.read() if self.proc.stderr else "")[-1500:]

    def send(self, cmd: dict[str, str], timeout: float) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(cmd) + "\n")
            self.proc.stdin.flush()
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            self.start()
            return {"status": "hang"}
        except BrokenPipeError:
            line = None
        if line is None:
            err = self.stop()
            self.start()
            return {"status": "crash", "message": err}
        return dict(json.loads(line))

    def close(self) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(30)


# ---- seeds --------------------------------------------------------------------
def _object_stream_pdf(tmp: Path) -> bytes:
    src = tmp / "plain.pdf"
    src.write_bytes(hostile.text_pdf_bytes(["Object streams page 1", "page 2", "page 3"]))
    out = tmp / "objstm.pdf"
    subprocess.run([tool("qpdf"), "--object-streams=generate", str(src), str(out)], check=True)
    return out.read_bytes()


def _image(fmt: str, mode: str = "RGB", size: tuple[int, int] = (320, 240)) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, 128).save(buf, fmt)
    return buf.getvalue()


def seeds(tmp: Path) -> dict[str, bytes]:
    return {
        "text.pdf": hostile.text_pdf_bytes(["Lease page 1", "Lease page 2"]),
        "objstm.pdf": _object_stream_pdf(tmp),
        "hostile.pdf": hostile.hostile_pdf_bytes(),
        "hostile resources.pdf": hostile_resources_pdf(),
        "photo.jpg": hostile.jpeg_bytes(exif_orientation=6),
        "scan.png": hostile.png_bytes(),
        "fax.tif": hostile.tiff_bytes(),
        "anim.gif": _image("GIF", "P"),
        "old.bmp": _image("BMP"),
    }


def fixed_hostile() -> dict[str, bytes]:
    return {
        "deep nesting.pdf": hostile.deep_nesting_pdf(),
        "page tree loop.pdf": hostile.page_tree_loop_pdf(),
        "two billion pages.pdf": hostile.huge_count_pdf(),
        "200k objects.pdf": hostile.many_objects_pdf(),
        "huge mediabox.pdf": hostile.huge_mediabox_pdf(),
        "claims 60000x60000.png": hostile.huge_png(),
        "bomb 256 megapixels.png": hostile.bomb_png(),
        "empty.pdf": b"",
        "only header.pdf": b"%PDF-1.7\n",
        "not a pdf.pdf": b"PK\x03\x04 this is a zip pretending",
    }


# ---- mutations ---------------------------------------------------------------
def _truncate(d: bytes, r: random.Random) -> bytes:
    return d[: r.randrange(1, max(2, len(d)))]


def _flip(d: bytes, r: random.Random) -> bytes:
    b = bytearray(d)
    for _ in range(r.randint(1, 24)):
        i = r.randrange(len(b))
        b[i] ^= r.randrange(1, 256)
    return bytes(b)


def _insert(d: bytes, r: random.Random) -> bytes:
    i = r.randrange(len(d))
    return d[:i] + r.randbytes(r.randint(1, 512)) + d[i:]


def _zero(d: bytes, r: random.Random) -> bytes:
    i = r.randrange(len(d))
    n = r.randint(1, 4096)
    return d[:i] + b"\x00" * min(n, len(d) - i) + d[i + n :]


def _duplicate(d: bytes, r: random.Random) -> bytes:
    i = r.randrange(len(d))
    n = r.randint(1, 2048)
    return d[:i] + d[i : i + n] * r.randint(2, 50) + d[i:]


_PDF_NUMBER = re.compile(
    rb"(/(?:Count|Length|Size|N|First|Prev|W|Index|Rotate|BitsPerComponent|Width|Height)\s*\[?\s*)(-?\d+)"
)
_PDF_REF = re.compile(rb"(\d+) 0 R")


def _pdf_numbers(d: bytes, r: random.Random) -> bytes:
    hits = list(_PDF_NUMBER.finditer(d))
    if not hits:
        return _flip(d, r)
    out = d
    for m in r.sample(hits, min(len(hits), r.randint(1, 4))):
        value = r.choice([b"0", b"-1", b"2147483648", b"999999999999", b"3", b"1e300"])
        out = out.replace(m.group(0), m.group(1) + value, 1)
    return out


def _pdf_refs(d: bytes, r: random.Random) -> bytes:
    """Point references at other objects (loops, wrong types)."""
    hits = list(_PDF_REF.finditer(d))
    if not hits:
        return _flip(d, r)
    out = bytearray(d)
    for m in sorted(r.sample(hits, min(len(hits), r.randint(1, 6))), key=lambda m: -m.start()):
        new = b"%d 0 R" % r.choice([1, 2, 3, int(m.group(1)), 99999])
        out[m.start() : m.end()] = new
    return bytes(out)


def _png_dims(d: bytes, r: random.Random) -> bytes:
    if not d.startswith(b"\x89PNG") or len(d) < 33:
        return _flip(d, r)
    w, h = r.choice([(65535, 65535), (1, 10**6), (10**6, 1), (0, 0), (2**31 - 1, 2)])
    ihdr = struct.pack(">II", w, h) + d[24:29]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return d[:16] + ihdr + crc + d[33:]


def _jpeg_dims(d: bytes, r: random.Random) -> bytes:
    i = d.find(b"\xff\xc0")
    if i < 0 or i + 9 > len(d):
        return _flip(d, r)
    h, w = r.choice([(65535, 65535), (0, 0), (1, 65535), (65535, 1)])
    return d[: i + 5] + struct.pack(">HH", h, w) + d[i + 9 :]


GENERIC: list[Callable[[bytes, random.Random], bytes]] = [
    _truncate,
    _flip,
    _insert,
    _zero,
    _duplicate,
]


def mutate(name: str, data: bytes, r: random.Random) -> tuple[str, bytes]:
    ops = list(GENERIC)
    if name.endswith(".pdf"):
        ops += [_pdf_numbers, _pdf_numbers, _pdf_refs]
    elif name.endswith(".png"):
        ops += [_png_dims]
    elif name.endswith(".jpg"):
        ops += [_jpeg_dims]
    out = data
    used = []
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        op = r.choice(ops)
        out = op(out, r) if out else out
        used.append(op.__name__.strip("_"))
    return "+".join(used), out


# ---- the campaign --------------------------------------------------------------
def fuzz_inputs(tmp: Path, mutants: int, seed: int) -> list[tuple[str, str, bytes]]:
    """(name, how it was made, bytes) of every input: the seeds, the fixed
    hostile files and ``mutants`` random mutations of the seeds."""
    r = random.Random(seed)
    base = seeds(tmp)
    cases: list[tuple[str, str, bytes]] = [(n, "seed", d) for n, d in base.items()]
    cases += [(n, "hostile", d) for n, d in fixed_hostile().items()]
    names = sorted(base)
    for i in range(mutants):
        src = r.choice(names)
        how, mutated = mutate(src, base[src], r)
        stem, ext = src.rsplit(".", 1)
        cases.append((f"{i:04d} {stem} ({how}).{ext}", how, mutated))
    return cases


def fuzz_campaign(tmp: Path, mutants: int, seed: int) -> dict[str, Any]:
    inputs = tmp / "inputs"
    inputs.mkdir(parents=True)
    data = tmp / "data"
    cases = fuzz_inputs(tmp, mutants, seed)
    worker = Worker(data)
    outcomes: Counter[str] = Counter()
    by_mutation: Counter[str] = Counter()
    problems: list[str] = []
    unexpected: list[str] = []
    slowest = (0.0, "")
    try:
        for name, how, content in cases:
            path = inputs / name
            path.write_bytes(content)
            res = worker.send({"add": str(path)}, TIME_LIMIT)
            status = res["status"]
            outcomes[status] += 1
            by_mutation[f"{how.split('+')[0]}/{status}"] += 1
            if status in ("hang", "crash"):
                problems.append(f"{name}: {status} {res.get('message', '')[-300:]}")
            elif status == "refused" and name not in res.get("message", ""):
                problems.append(f"{name}: refusal does not name the file: {res['message']!r}")
            elif status not in ("imported", "warning", "refused", "duplicate"):
                problems.append(f"{name}: unknown status {status}")
            unexpected.extend(f"{name}: {u}" for u in res.get("unexpected", []))
            if res.get("seconds", 0) > slowest[0]:
                slowest = (res["seconds"], name)
        packet = tmp / "fuzz-packet.pdf"
        built = worker.send({"build": str(packet)}, TIME_LIMIT * 4)
        worker.close()
    finally:
        if worker.proc and worker.proc.poll() is None:
            worker.stop()
    leaks: list[str] = []
    qpdf_warnings = 0
    if built["status"] == "built":
        # exit 0, or 3 for warnings about damaged page content that an accepted
        # (damaged) input carried in; 2 (a broken file) fails
        res = subprocess.run([tool("qpdf"), "--check", str(packet)], capture_output=True, text=True)
        if res.returncode not in (0, 3):
            problems.append(f"the packet fails qpdf --check: {res.stdout[-500:]}")
        qpdf_warnings = res.stdout.count("WARNING")
        leaks = hostile.scan_packet(packet)
    elif built["status"] in ("hang", "crash"):
        problems.append(f"the packet build {built['status']}: {built.get('message', '')[-300:]}")
    if leaks:  # which accepted inputs carried it in: scan each stored PDF alone
        with Workspace.open(data) as ws:
            for ex in ws.exhibits(ws.list_cases()[0].id):
                for f in ex.files:
                    one = tmp / "one.pdf"
                    one.write_bytes(ws.store.blobs.read(f.pdf_sha256))
                    found = hostile.scan_packet(one)
                    if found:
                        problems.append(f"{f.original_name} carries {found}")
    db_problems = check_database(data)
    with Workspace.open(data):
        pass
    db_problems += check_swept(data)
    stats = {
        "seed": seed,
        "inputs": len(cases),
        "outcomes": dict(outcomes),
        "by_mutation": dict(sorted(by_mutation.items())),
        "hangs": outcomes["hang"],
        "crashes": outcomes["crash"],
        "cases_corrupted": int(bool(db_problems)),
        "leaks": leaks,
        "packet": {k: built.get(k) for k in ("status", "pages", "message")},
        "packet_qpdf_warnings": qpdf_warnings,
        "unexpected_intake_exceptions": len(unexpected),
        "unexpected_examples": unexpected[:8],
        "slowest_seconds": slowest,
        "problems": problems[:10] + db_problems[:10],
    }
    print("\nfuzz campaign:", json.dumps(stats, indent=1, ensure_ascii=False))
    return stats


def _assert_clean(stats: dict[str, Any]) -> None:
    assert stats["problems"] == []
    assert stats["hangs"] == 0 and stats["crashes"] == 0
    assert stats["cases_corrupted"] == 0
    assert stats["leaks"] == [], "the packet carries something it must not"
    assert stats["packet"]["status"] == "built"


def test_mutated_and_hostile_inputs_import_cleanly_or_are_refused(tmp_path: Path) -> None:
    stats = fuzz_campaign(tmp_path, mutants=300, seed=8)
    _assert_clean(stats)
    assert stats["outcomes"].get("refused", 0) >= 10  # the fuzz really hit broken files
    assert stats["outcomes"].get("imported", 0) + stats["outcomes"].get("warning", 0) >= 10


@pytest.mark.slow
def test_fuzz_soak(tmp_path: Path) -> None:
    n = int(os.environ.get("PDPACKET_FUZZ", "2000"))
    _assert_clean(fuzz_campaign(tmp_path, mutants=n, seed=int.from_bytes(os.urandom(4), "big")))
