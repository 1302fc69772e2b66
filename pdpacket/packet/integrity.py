"""The integrity sidecar: ``<packet>.sha256.txt`` next to a packet, listing every
exhibit file that went into it with its SHA-256, and the packet's own SHA-256,
so the firm can prove later exactly what was filed.

The file is plain UTF-8 text.  Every descriptive line starts with ``#``; the one
line that does not is ``<sha256>  <packet file name>``, so
``sha256sum -c packet.pdf.sha256.txt`` (or ``shasum -a 256 -c``) checks the
packet with a standard tool (it warns about the ``#`` lines and checks the rest).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pdpacket import model
from pdpacket._version import __version__
from pdpacket.errors import disk_full_guard
from pdpacket.model import BuildResult, Exhibit
from pdpacket.store.atomic import write_atomic
from pdpacket.store.blobs import sha256_file
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.integrity")

SUFFIX = ".sha256.txt"


def sidecar_path(packet_path: str | os.PathLike[str]) -> Path:
    p = Path(packet_path)
    return p.with_name(p.name + SUFFIX)


def packet_exhibits(store: Store, case_id: int) -> list[tuple[str, Exhibit]]:
    """The exhibits as lettered in the packet: included ones with files, in order."""
    return model.packet_exhibits(store.list_exhibits(case_id))


def _clean(text: str) -> str:
    """One line, whatever the title or file name holds."""
    return " ".join(text.split())


def render_sidecar(store: Store, case_id: int, result: BuildResult) -> str:
    case = store.get_case(case_id)
    packet_name = Path(result.path).name
    lines = [
        "# pdpacket integrity manifest",
        f"# Case: {_clean(case.title)}",
        f"# Packet: {_clean(packet_name)} ({result.pages} pages, {result.size} bytes)",
        f"# Packet SHA-256: {result.sha256}",
        f"# Build record: {result.build_id}    pdpacket {__version__}",
        "# Each exhibit file: SHA-256 of the file as received, and of the PDF pages as filed.",
        "#",
        "# Exhibit | Title | File | Role | Pages | SHA-256 as received | SHA-256 as filed",
    ]
    for letter, ex in packet_exhibits(store, case_id):
        for f in ex.files:
            lines.append(
                f"# {letter} | {_clean(ex.title)} | {_clean(f.original_name)} | {f.role} | "
                f"{f.pages} | {f.original_sha256} | {f.pdf_sha256}"
            )
    lines.append("#")
    lines.append("# Check the packet with: sha256sum -c " + _clean(packet_name) + SUFFIX)
    if result.parts:  # a split edition: every part, as written
        for part in result.parts:
            lines.append(f"{sha256_file(part)}  {Path(part).name}")
    else:
        lines.append(f"{result.sha256}  {packet_name}")
    return "\n".join(lines) + "\n"


def write_sidecar(store: Store, case_id: int, result: BuildResult) -> Path:
    """Write (atomically) the sidecar for a packet just built; returns its path."""
    target = sidecar_path(result.path)
    text = render_sidecar(store, case_id, result)
    with disk_full_guard(f"the integrity file {target.name}", target.parent):
        write_atomic(target, text)
    log.info("integrity sidecar %s written", target)
    return target
