"""Property-based tests (hypothesis) for #8:

- a manifest path that is absolute or climbs out of the manifest's folder is
  refused, whatever it looks like; one that stays inside is accepted;
- evidence file names with any kind of Unicode, spaces and very long names go
  in, keep their exact name, build, and survive an archive round trip;
- any single changed byte or any truncation of a case archive is refused whole
  (nothing stored), unless the change is one the zip format ignores, in which
  case the imported case is exactly the original; an encrypted archive refuses
  every change.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pdpacket.api import Workspace
from pdpacket.errors import ManifestError
from pdpacket.manifest import load_manifest
from pdpacket.model import BuildOptions, Client
from pdpacket.store import archive
from pdpacket.store.archive import ArchiveError
from tests.pdftools import make_pdf

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---- manifest paths ---------------------------------------------------------
segment = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\\\x00:"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip(".") != "" and s.strip() == s)


@st.composite
def escaping_paths(draw: Any) -> str:
    """Relative paths whose '..' climb above the folder, or absolute ones."""
    kind = draw(st.sampled_from(["climb", "posix", "drive", "unc", "backslash"]))
    inner = draw(st.lists(segment, min_size=0, max_size=3))
    name = draw(segment)
    if kind == "climb":
        ups = draw(st.integers(min_value=1, max_value=4))
        # go down len(inner) levels, then up more than that
        parts = [*inner, *[".."] * (len(inner) + ups), name]
        return "/".join(parts)
    if kind == "posix":
        return "/" + "/".join([*inner, name])
    if kind == "drive":
        return draw(st.sampled_from("CDZcz")) + ":\\" + "\\".join([*inner, name])
    if kind == "unc":
        return "\\\\server\\share\\" + name
    return "\\" + name


def _manifest(folder: Path, rel: str) -> Path:
    data = {"client": {"name": "Path Test"}, "exhibits": [{"title": "X", "files": [rel]}]}
    path = folder / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@SETTINGS
@given(rel=escaping_paths())
@example(rel="../secret.pdf")
@example(rel="a/../../secret.pdf")
@example(rel="/etc/passwd")
@example(rel="C:\\Windows\\win.ini")
def test_manifest_paths_that_escape_are_refused(rel: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case" / "deep"
        case.mkdir(parents=True)
        # the target exists, so only the escape itself can be the reason
        target = (case / rel.replace("\\", "/")) if not rel.startswith(("/", "\\")) else None
        if target is not None and ":" not in rel:
            try:
                target.resolve().parent.mkdir(parents=True, exist_ok=True)
                make_pdf(target.resolve(), ["outside"])
            except OSError:
                pass
        with pytest.raises(ManifestError, match=r"absolute|leaves the manifest's folder"):
            load_manifest(_manifest(case, rel))


@SETTINGS
@given(parts=st.lists(segment, min_size=1, max_size=3), ups=st.integers(0, 2))
def test_manifest_paths_inside_the_folder_are_accepted(parts: list[str], ups: int) -> None:
    # "a/b/../c" style detours that stay inside are fine
    assume(all(p not in (".", "..") for p in parts))
    # a folder named like the manifest file would stand where the manifest is written
    assume(parts[0] != "case.json")
    detour = [parts[0], "x", *[".."] * min(ups, 1)] if ups else []
    rel = "/".join([*detour, *parts]) + ".pdf"
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case"
        target = (case / rel).resolve()
        assume(target.is_relative_to(case.resolve()))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            make_pdf(target, ["inside"])
        except OSError:
            assume(False)
        m = load_manifest(_manifest(case, rel))
        assert m.exhibits[0].files[0].path == target


# ---- file names ---------------------------------------------------------------
name_chars = st.characters(
    blacklist_categories=("Cs", "Cc"),
    blacklist_characters="/\x00",
)


@st.composite
def file_names(draw: Any) -> str:
    stem = draw(st.text(alphabet=name_chars, min_size=1, max_size=120))
    ext = draw(st.sampled_from([".pdf", ".PDF", ".Pdf"]))
    name = stem + ext
    assume(name not in (".pdf",) and not name.startswith("."))
    # the file system's limit: 255 bytes
    while len(name.encode("utf-8")) > 255:
        stem = stem[:-1]
        name = stem + ext
    assume(stem.strip())
    return name


@settings(SETTINGS, max_examples=25)
@given(name=file_names())
@example(name="Acta de nacimiento — Lucía (copia final) 2.pdf")
@example(name="  leading and trailing spaces  .pdf")
@example(name="עברית ומספרים 123.pdf")
@example(name="emoji 📄🧾 and ZWJ 👩‍👩‍👧.pdf")
@example(name="e\u0301 decomposed vs é composed.pdf")
@example(name="x" * 251 + ".pdf")
@example(name="-rf --help.pdf")
@example(name="line\u2028separator and tab\there.pdf")
def test_any_file_name_goes_in_keeps_its_name_and_builds(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ev"
        folder.mkdir()
        path = folder / name
        try:
            make_pdf(path, ["named page"])
        except OSError:
            assume(False)  # a name this file system cannot hold
        with Workspace.open(Path(tmp) / "data") as ws:
            case_id = ws.create_case(Client(name="Names"))
            [res] = ws.add_evidence(case_id, [path])
            assert res.status in ("imported", "warning"), res.message
            [ex] = ws.exhibits(case_id)
            stored = ex.files[0].original_name
            # byte for byte, or at most re-normalised by the file system
            assert stored == name or unicodedata.normalize("NFC", stored) == unicodedata.normalize(
                "NFC", name
            )
            assert ex.title.strip()
            ws.build_packet(
                case_id, Path(tmp) / "packet.pdf", BuildOptions(build_date=dt.date(2026, 1, 1))
            )


def test_odd_names_survive_an_archive_round_trip(tmp_path: Path) -> None:
    names = [
        "Acta — Lucía (copia) 2.pdf",
        "עברית.pdf",
        "📄 emoji.pdf",
        "x" * 200 + ".pdf",
        "e\u0301.pdf",
        "tab\there.pdf",
    ]
    folder = tmp_path / "ev"
    folder.mkdir()
    with Workspace.open(tmp_path / "a") as a:
        case_id = a.create_case(Client(name="Ünïcødé ⟨names⟩"))
        for i, n in enumerate(names):
            make_pdf(folder / n, [f"page {i}"])
        a.add_evidence(case_id, [folder / n for n in names])
        a.export_case(case_id, tmp_path / "c.pdpacket")
        before = sorted(f.original_name for e in a.exhibits(case_id) for f in e.files)
    with Workspace.open(tmp_path / "b") as b:
        new = b.import_archive(tmp_path / "c.pdpacket").case_id
        after = sorted(f.original_name for e in b.exhibits(new) for f in e.files)
        assert b.get_case(new).client.name == "Ünïcødé ⟨names⟩"
    assert after == before == sorted(names)


# ---- archives: any change is refused or harmless -------------------------------
_ARCHIVES: dict[str, Any] = {}


def _archive(password: str | None) -> tuple[bytes, dict[str, Any]]:
    """One small archive per kind, made once for all the examples."""
    key = password or ""
    if key not in _ARCHIVES:
        tmp = Path(tempfile.mkdtemp(prefix="pdpacket-prop-"))
        old = archive.SCRYPT_N
        archive.SCRYPT_N = 2**10
        try:
            with Workspace.open(tmp / "a") as a:
                case_id = a.create_case(Client(name="Flip Test"))
                make_pdf(tmp / "one.pdf", ["one"])
                make_pdf(tmp / "two.pdf", ["two", "three"])
                a.add_evidence(case_id, [tmp / "one.pdf", tmp / "two.pdf"])
                a.export_case(case_id, tmp / "c.pdpacket", password=password)
                snap = _snapshot(a, case_id)
        finally:
            archive.SCRYPT_N = old
        _ARCHIVES[key] = ((tmp / "c.pdpacket").read_bytes(), snap)
    data, snap = _ARCHIVES[key]
    return data, snap


def _snapshot(ws: Workspace, case_id: int) -> dict[str, Any]:
    case = ws.get_case(case_id)
    return {
        "client": case.client,
        "proceedings": case.proceedings,
        "exhibits": [
            (e.title, e.position, [(f.original_name, f.pdf_sha256, f.pages) for f in e.files])
            for e in ws.exhibits(case_id)
        ],
    }


def _try_import(data: bytes, password: str | None) -> tuple[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "x.pdpacket"
        p.write_bytes(data)
        with Workspace.open(Path(tmp) / "data") as ws:
            try:
                new = ws.import_archive(p, password=password).case_id
            except ArchiveError:
                assert ws.list_cases() == [], "a refused archive stored a case"
                assert list(ws.store.blobs.iter_shas()) == [], "a refused archive left blobs"
                return "refused", None
            return "imported", _snapshot(ws, new)


@SETTINGS
@given(data=st.data(), password=st.sampled_from([None, "pw"]))
def test_a_changed_byte_is_refused_or_harmless(data: Any, password: str | None) -> None:
    raw, snap = _archive(password)
    offset = data.draw(st.integers(0, len(raw) - 1), label="offset")
    xor = data.draw(st.integers(1, 255), label="xor")
    changed = bytearray(raw)
    changed[offset] ^= xor
    outcome, got = _try_import(bytes(changed), password)
    if password:
        assert outcome == "refused"  # GCM authenticates every byte
    elif outcome == "imported":
        assert got == snap  # e.g. a zip timestamp: ignored, and the case is exact


@SETTINGS
@given(data=st.data(), password=st.sampled_from([None, "pw"]))
def test_a_truncated_archive_is_refused(data: Any, password: str | None) -> None:
    raw, _ = _archive(password)
    cut = data.draw(st.integers(0, len(raw) - 1), label="cut")
    outcome, _ = _try_import(raw[:cut], password)
    assert outcome == "refused"
