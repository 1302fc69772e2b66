"""Nothing leaks (#14): hostile objects hidden where a page's content reaches
them, by every door.

- a case archive whose stored PDF carries JavaScript actions and embedded files
  reachable from the page's resources, with every hash right, is cleaned on
  import; the packet built from it carries none of it (qpdf, mutool and pypdf
  agree, and the payload's bytes are nowhere in the file), and its page still
  looks like the source page (rendered with poppler and compared);
- the writer's allowlist alone (a stored file the cleaning is assumed to have
  missed) keeps all of it out, counts it and says so in the build's warnings;
- a stored file no recorded cleaning produced is refused by the builder, and
  m011 marks an existing database's files as cleaned only where intake made them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, NameObject

from pdpacket.api import Workspace
from pdpacket.errors import IntegrityError
from pdpacket.intake.pdfclean import CLEANING_VERSION
from pdpacket.model import BuildOptions, Client, FileRole, Proceedings
from pdpacket.pdf import allowlist
from pdpacket.store import cleaning
from tests.pdftools import tool
from tests.safety import hostile
from tests.safety.hostile_resources import PAGE_TEXTS, hostile_resources_pdf, swap_archive_pdf

BUILD = BuildOptions(build_date=dt.date(2026, 3, 1))
# Keys and names none of which a packet may carry (beyond hostile.FORBIDDEN_NAMES):
# actions, the planted custom keys, metadata, a name tree.
FORBIDDEN_KEYS = {
    "/A",
    "/AA",
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/EmbeddedFiles",
    "/EF",
    "/Names",
    "/Metadata",
    "/PieceInfo",
    "/PdpPayload",
    "/PdpHidden",
    "/PdpFile",
    "/PdpLaunch",
}


def _case(ws: Workspace, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "statement.pdf").write_bytes(
        hostile.text_pdf_bytes(["Statement page one", "Statement page two"])
    )
    (folder / "lease.pdf").write_bytes(hostile.text_pdf_bytes(["Lease 2016"]))
    manifest = {
        "client": {"name": "Archive Test Client", "a_number": "201555778"},
        "exhibits": [
            {"title": "Bank statement", "files": ["statement.pdf"]},
            {"title": "Lease", "files": ["lease.pdf"]},
        ],
    }
    (folder / "case.json").write_text(json.dumps(manifest), encoding="utf-8")
    return ws.import_manifest(folder / "case.json")


def _pypdf_keys(path: Path) -> set[str]:
    """Every dictionary key and name of every object in the file, read with pypdf."""
    reader = PdfReader(path)
    found: set[str] = set()
    seen: set[int] = set()

    def walk(o: Any) -> None:
        if isinstance(o, IndirectObject):
            if o.idnum in seen:
                return
            seen.add(o.idnum)
            walk(o.get_object())
        elif isinstance(o, DictionaryObject):
            for k, v in dict.items(o):
                found.add(str(k))
                walk(v)
        elif isinstance(o, list):
            for x in o:
                walk(x)
        elif isinstance(o, NameObject):
            found.add(str(o))

    walk(reader.trailer)
    return found


def _qpdf_keys(path: Path) -> set[str]:
    res = subprocess.run(
        [tool("qpdf"), "--json=2", "--json-key=qpdf", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode in (0, 3), res.stderr
    found: set[str] = set()

    def walk(o: Any) -> None:
        if isinstance(o, dict):
            for k, v in o.items():
                if k.startswith("/"):
                    found.add(k)
                walk(v)
        elif isinstance(o, list):
            for x in o:
                walk(x)
        elif isinstance(o, str) and re.fullmatch(r"/[A-Za-z0-9]+", o):
            found.add(o)

    walk(json.loads(res.stdout)["qpdf"])
    return found


def _mutool_keys(path: Path) -> set[str]:
    res = subprocess.run(
        [tool("mutool"), "show", str(path), "grep"], capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, res.stderr
    return set(re.findall(r"/[A-Za-z0-9]+", res.stdout))


def assert_clean(packet: Path) -> None:
    assert hostile.scan_packet(packet) == []
    forbidden = FORBIDDEN_KEYS | set(hostile.FORBIDDEN_NAMES)
    for reader, keys in (
        ("pypdf", _pypdf_keys(packet)),
        ("qpdf --json", _qpdf_keys(packet)),
        ("mutool show", _mutool_keys(packet)),
    ):
        assert not keys & forbidden, f"{reader} finds {sorted(keys & forbidden)}"
    raw = packet.read_bytes()
    assert hostile.SECRET_ATTACHMENT not in raw and hostile.SECRET_JS.encode() not in raw


def _render(pdf: Path, page: int, out: Path) -> Image.Image:
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        [tool("pdftoppm"), "-r", "40", "-png", *pages, "-singlefile", str(pdf), str(out)],
        check=True,
    )
    return Image.open(out.with_suffix(".png")).convert("RGB")


def _colour_share(img: Image.Image, want: tuple[int, int, int]) -> float:
    """The share of the page's pixels close to ``want`` (the pattern's blue, the image's red)."""
    raw = img.tobytes()  # RGB, three bytes a pixel
    px = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    near = sum(1 for p in px if sum(abs(a - b) for a, b in zip(p, want, strict=True)) < 90)
    return near / len(px)


def _page_of(packet: Path, text: str) -> int:
    pages = len(PdfReader(packet).pages)
    for n in range(1, pages + 1):
        res = subprocess.run(
            [tool("pdftotext"), "-f", str(n), "-l", str(n), str(packet), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        if text in res.stdout:
            return n
    raise AssertionError(f"{text!r} is on no page of the packet")


def assert_page_survived(packet: Path, source: Path, tmp: Path) -> None:
    """The hostile page's content is in the packet: its text, its pattern and
    its image, rendered by poppler on both sides."""
    n = _page_of(packet, PAGE_TEXTS[0])
    text = subprocess.run(
        [tool("pdftotext"), "-f", str(n), "-l", str(n), str(packet), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for t in PAGE_TEXTS:
        assert t in text
    got = _render(packet, n, tmp / "packet-page")
    want = _render(source, 1, tmp / "source-page")
    for colour in ((0, 0, 255), (200, 0, 0)):  # the tiling pattern, the image
        a, b = _colour_share(got, colour), _colour_share(want, colour)
        # the packet fits the page above its stamp band: a little smaller, same share
        assert b > 0.005 and 0.75 * b < a < 1.15 * b, (colour, a, b)


def test_a_consistent_hostile_archive_is_cleaned_on_import(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = _case(a, tmp_path / "ev")
        [statement] = [e for e in a.exhibits(case_id) if e.title == "Bank statement"]
        old_sha = statement.files[0].pdf_sha256
        a.export_case(case_id, tmp_path / "plain.pdpacket")
    pdf = hostile_resources_pdf()
    (tmp_path / "source.pdf").write_bytes(pdf)
    bad_sha = swap_archive_pdf(
        tmp_path / "plain.pdpacket", tmp_path / "hostile.pdpacket", old_sha, pdf
    )
    with Workspace.open(tmp_path / "b") as b:
        new_id = b.import_archive(tmp_path / "hostile.pdpacket").case_id
        [ex] = [e for e in b.exhibits(new_id) if e.title == "Bank statement"]
        cleaned = ex.files[0].pdf_sha256
        assert cleaned != bad_sha  # the case points at the cleaned copy
        assert not b.store.blobs.exists(bad_sha)  # and the archive's copy is gone
        assert cleaning.uncleaned(b.store.db.conn, [cleaned]) == set()
        assert b"/JavaScript" not in b.store.blobs.read(cleaned)
        b.build_packet(new_id, tmp_path / "packet.pdf", BUILD)
    assert_clean(tmp_path / "packet.pdf")
    assert_page_survived(tmp_path / "packet.pdf", tmp_path / "source.pdf", tmp_path)


def test_the_allowlist_alone_keeps_hidden_objects_out_and_says_so(tmp_path: Path) -> None:
    """A hostile file stored as if the cleaning had produced it (the second line
    of defence, tested on its own): the writer copies only what the page prints."""
    pdf = hostile_resources_pdf()
    (tmp_path / "source.pdf").write_bytes(pdf)
    with Workspace.open(tmp_path / "data") as ws:
        case_id = _case(ws, tmp_path / "ev")
        store = ws.store
        sha = store.blobs.put_bytes(pdf)
        with store.transaction():
            store.register_blob(sha, len(pdf), "pdf", 2)
            cleaning.record(store.db.conn, sha, CLEANING_VERSION)
            ex = store.add_exhibit(case_id, "Hostile resources")
            store.add_exhibit_file(
                ex,
                role=FileRole.DOCUMENT,
                original_name="hostile.pdf",
                original_sha256=sha,
                pdf_sha256=sha,
                pages=2,
            )
        result = ws.build_packet(case_id, tmp_path / "packet.pdf", BUILD)
    assert_clean(tmp_path / "packet.pdf")
    [warning] = [w for w in result.warnings if w.startswith("Dropped ")]
    count = int(warning.split()[1])
    # /A, /PdpPayload (font); /AA, /Metadata, /PieceInfo (form); /Names, /JavaScript,
    # /OpenAction (nested form's resources and dictionary); /PdpLaunch (pattern);
    # /AA, /PdpFile (its graphics state); /JS; /A (properties); /PdpPayload,
    # /Metadata (image); /PdpHidden (page resources)
    assert count >= 16, warning
    for kind in ("/A ", "/AA", "/JS", "/JavaScript", "/Names", "/PdpPayload", "/PdpHidden"):
        assert kind in warning, (kind, warning)
    assert_page_survived(tmp_path / "packet.pdf", tmp_path / "source.pdf", tmp_path)


def test_hostile_resources_through_intake(tmp_path: Path) -> None:
    (tmp_path / "hostile.pdf").write_bytes(hostile_resources_pdf())
    with Workspace.open(tmp_path / "data") as ws:
        case_id = _case(ws, tmp_path / "ev")
        ws.add_evidence(case_id, [tmp_path / "hostile.pdf"])
        ws.build_packet(case_id, tmp_path / "packet.pdf", BUILD)
    assert_clean(tmp_path / "packet.pdf")
    assert_page_survived(tmp_path / "packet.pdf", tmp_path / "hostile.pdf", tmp_path)


def test_a_stored_file_no_cleaning_produced_is_not_built_from(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "data") as ws:
        case_id = _case(ws, tmp_path / "ev")
        [statement] = [e for e in ws.exhibits(case_id) if e.title == "Bank statement"]
        ws.store.db.conn.execute(
            "DELETE FROM blob_cleaning WHERE sha256 = ?", (statement.files[0].pdf_sha256,)
        )
        with pytest.raises(IntegrityError) as err:
            ws.build_packet(case_id, tmp_path / "packet.pdf", BUILD)
    assert "cleaning did not produce" in err.value.message
    assert "add the original again" in err.value.hint
    assert not (tmp_path / "packet.pdf").exists()


def test_an_archive_file_the_cleaning_refuses_names_the_file(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = _case(a, tmp_path / "ev")
        [statement] = [e for e in a.exhibits(case_id) if e.title == "Bank statement"]
        old_sha = statement.files[0].pdf_sha256
        a.export_case(case_id, tmp_path / "plain.pdpacket")
    swap_archive_pdf(
        tmp_path / "plain.pdpacket", tmp_path / "bad.pdpacket", old_sha, b"%PDF-1.7\nnot a pdf"
    )
    with Workspace.open(tmp_path / "b") as b:
        with pytest.raises(Exception) as err:
            b.import_archive(tmp_path / "bad.pdpacket")
        assert b.list_cases() == []
    assert "statement.pdf" in str(err.value)


def test_the_packet_of_an_ordinary_case_drops_nothing(tmp_path: Path) -> None:
    img = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 90, 160)).save(img, "PNG")
    (tmp_path / "photo.png").write_bytes(img.getvalue())
    with Workspace.open(tmp_path / "data") as ws:
        case_id = _case(ws, tmp_path / "ev")
        ws.add_evidence(case_id, [tmp_path / "photo.png"])
        result = ws.build_packet(case_id, tmp_path / "packet.pdf", BUILD)
    assert not [w for w in result.warnings if w.startswith("Dropped ")]


def test_the_allowlist_table_names_only_kinds_it_defines() -> None:
    assert allowlist.check_table() == []


def test_the_migration_marks_only_files_intake_produced(tmp_path: Path) -> None:
    """An existing database: files its intake stored are marked as cleaned;
    those of a case that came from an archive (before import cleaned) are not."""
    with Workspace.open(tmp_path / "data") as ws:
        ours = _case(ws, tmp_path / "ev")
        theirs = ws.create_case(
            Client(name="Old Archive Client", a_number="201555779"), Proceedings()
        )
        (tmp_path / "other.pdf").write_bytes(hostile.text_pdf_bytes(["From an archive"]))
        ws.add_evidence(theirs, [tmp_path / "other.pdf"])
        con = ws.store.db.conn
        with ws.store.transaction():
            ws.store.audit(theirs, "case.import_archive", file="old.pdpacket")
        shas = {
            cid: {f.pdf_sha256 for e in ws.exhibits(cid) for f in e.files} for cid in (ours, theirs)
        }
        # as the database was before m011
        con.execute("DROP TABLE blob_cleaning")
        con.execute("DELETE FROM _sqlite_migrations WHERE name = 'm011_blob_cleaning'")
    with Workspace.open(tmp_path / "data") as ws:
        con = ws.store.db.conn
        assert cleaning.uncleaned(con, shas[ours]) == set()
        assert cleaning.uncleaned(con, shas[theirs]) == shas[theirs]
        assert set(cleaning.records(con).values()) == {CLEANING_VERSION}


def test_a_restored_backup_cannot_vouch_for_a_file(tmp_path: Path) -> None:
    """Restore keeps the workspace's own cleaning records: an ordinary backup
    builds as before; one that claims a file was cleaned is not believed."""
    with Workspace.open(tmp_path / "data") as ws:
        case_id = _case(ws, tmp_path / "ev")
        [statement] = [e for e in ws.exhibits(case_id) if e.title == "Bank statement"]
        sha = statement.files[0].pdf_sha256
        info = ws.backup_now()
        ws.restore_backup(info.name)
        ws.build_packet(case_id, tmp_path / "packet.pdf", BUILD)  # an ordinary restore
        con = ws.store.db.conn
        con.execute("DELETE FROM blob_cleaning WHERE sha256 = ?", (sha,))
        forged = ws.backup_now()
        path = next(p for p in (tmp_path / "data").rglob(forged.name))
        other = sqlite3.connect(path)
        other.execute("INSERT INTO blob_cleaning VALUES (?, ?, ?)", (sha, "1", "2026-01-01"))
        other.commit()
        other.close()
        ws.restore_backup(str(path))
        assert cleaning.uncleaned(con, [sha]) == {sha}
