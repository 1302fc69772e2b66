"""Redactions of a case's evidence (tables ``redactions``, ``redaction_scans``
and ``redacted_files``, migration m014).

A row is one box on one page of one stored file: found by the finder (source
"auto") or drawn by hand, with its kind and the attorney's decision.  The
number itself is never stored, only its masked form.  Every change is in the
audit log.  Applying replaces the file's stored PDF by the redacted one; the
PDF it had before stays in the store, named in ``redacted_files``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pdpacket.errors import BadInputError, NotFoundError
from pdpacket.model import Exhibit
from pdpacket.model.redaction import (
    Box,
    FoundNumber,
    NumberKind,
    Redaction,
    RedactionSettings,
    RedactionSource,
    RedactionState,
)
from pdpacket.store.database import Store, now_iso

SETTINGS_KEY = "redaction"
# kinds proposed for redaction unless the firm says otherwise: other people's numbers
DEFAULT_PROPOSED = frozenset(
    {NumberKind.SSN, NumberKind.ITIN, NumberKind.A_NUMBER, NumberKind.MINOR_DOB}
)


# ---- the firm's settings ------------------------------------------------------------
def settings(store: Store) -> RedactionSettings:
    raw = store.get_setting(SETTINGS_KEY, {}) or {}
    proposed = raw.get("proposed")
    kinds = (
        frozenset(NumberKind(k) for k in proposed if k in NumberKind.__members__.values())
        if isinstance(proposed, list)
        else DEFAULT_PROPOSED
    )
    return RedactionSettings(proposed=kinds, label=bool(raw.get("label", False)))


def set_settings(store: Store, value: RedactionSettings) -> None:
    with store.transaction():
        store.set_setting(
            SETTINGS_KEY,
            {"proposed": sorted(str(k) for k in value.proposed), "label": value.label},
        )
        store.audit(
            None,
            "settings.redaction",
            proposed=sorted(str(k) for k in value.proposed),
            label=value.label,
        )


# ---- pages searched ---------------------------------------------------------------------
def scanned_pages(store: Store, file_id: int, sha: str, finder: str) -> set[int]:
    rows = store.db.execute(
        "SELECT page FROM redaction_scans WHERE file_id = ? AND pdf_sha256 = ? AND finder = ?",
        (file_id, sha, finder),
    ).fetchall()
    return {int(r[0]) for r in rows}


def record_found(
    store: Store,
    case_id: int,
    file_id: int,
    sha: str,
    finder: str,
    pages: Mapping[int, Sequence[FoundNumber]],
    proposed: Iterable[NumberKind],
) -> int:
    """Store what the finder found on some pages of one file, in one transaction
    (a box already recorded for the same place and kind keeps its decision), and
    that those pages were searched (``sha`` "": not final, searched again);
    returns how many rows are new."""
    proposed = set(proposed)
    new = 0
    with store.transaction():
        # writes first: the transaction takes the write lock (waiting its turn)
        # before it reads, so two searches at once never both add the same box
        for page in pages:
            store.db.execute(
                "INSERT INTO redaction_scans (file_id, page, pdf_sha256, finder) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(file_id, page) DO UPDATE SET "
                "pdf_sha256 = excluded.pdf_sha256, finder = excluded.finder",
                (file_id, page, sha, finder),
            )
        for page, found in pages.items():
            if sha:
                # a final search (a newer finder, say) drops what an earlier one
                # proposed here and no longer finds; the attorney's decisions stay
                stale = [
                    r["id"]
                    for r in store._q(
                        "SELECT id, kind, x0, y0, x1, y1 FROM redactions WHERE file_id = ? "
                        "AND page = ? AND source = ? AND state IN (?, ?)",
                        (
                            file_id,
                            page,
                            str(RedactionSource.AUTO),
                            str(RedactionState.PROPOSED),
                            str(RedactionState.LISTED),
                        ),
                    )
                    if not any(_same_place(f, r) for f in found)
                ]
                for rid in stale:
                    store.db.execute("DELETE FROM redactions WHERE id = ?", (rid,))
                if stale:
                    store.audit(case_id, "redaction.dropped", file=file_id, page=page, ids=stale)
            if not found:
                continue
            existing = store._q(
                "SELECT kind, x0, y0, x1, y1 FROM redactions WHERE file_id = ? AND page = ?",
                (file_id, page),
            )
            added = 0
            for f in found:
                if any(_same_place(f, r) for r in existing):
                    continue
                state = RedactionState.PROPOSED if f.kind in proposed else RedactionState.LISTED
                _insert(
                    store,
                    case_id,
                    file_id,
                    page,
                    f.box,
                    f.kind,
                    state,
                    RedactionSource.AUTO,
                    f.masked,
                )
                added += 1
            if added:
                store.audit(case_id, "redaction.found", file=file_id, page=page, count=added)
            new += added
    return new


def _same_place(f: FoundNumber, r: dict[str, Any]) -> bool:
    return bool(
        r["kind"] == str(f.kind)
        and abs(r["x0"] - f.box.x0) < 2
        and abs(r["y0"] - f.box.y0) < 2
        and abs(r["x1"] - f.box.x1) < 2
    )


def _insert(
    store: Store,
    case_id: int,
    file_id: int,
    page: int,
    box: Box,
    kind: NumberKind,
    state: RedactionState,
    source: RedactionSource,
    masked: str,
    row_id: int | None = None,
) -> int:
    b = box.normalised()
    at = now_iso()
    cur = store.db.execute(
        "INSERT INTO redactions (id, case_id, file_id, page, x0, y0, x1, y1, kind, state, "
        "source, masked, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row_id,
            case_id,
            file_id,
            page,
            b.x0,
            b.y0,
            b.x1,
            b.y1,
            str(kind),
            str(state),
            str(source),
            masked,
            at,
            at,
        ),
    )
    return int(cur.lastrowid or 0)


# ---- reading ----------------------------------------------------------------------------
_SELECT = (
    "SELECT r.*, f.exhibit_id AS exhibit_id FROM redactions r "
    "JOIN exhibit_files f ON f.id = r.file_id "
)


def packet_pages(exhibit: Exhibit) -> dict[tuple[int, int], int]:
    """(file id, stored page) -> the page's place in the exhibit as the packet
    shows it (from 0), after page edits; a deleted page is not there."""
    out: dict[tuple[int, int], int] = {}
    n = 0
    for f in exhibit.files:
        for slot in f.kept:
            out[(f.id, slot.source)] = n
            n += 1
    return out


def _from_rows(store: Store, rows: list[dict[str, Any]]) -> list[Redaction]:
    places: dict[int, dict[tuple[int, int], int]] = {}
    out = []
    for r in rows:
        if r["exhibit_id"] not in places:
            places[r["exhibit_id"]] = packet_pages(store.get_exhibit(r["exhibit_id"]))
        out.append(
            Redaction(
                id=r["id"],
                case_id=r["case_id"],
                file_id=r["file_id"],
                exhibit_id=r["exhibit_id"],
                page=r["page"],
                exhibit_page=places[r["exhibit_id"]].get((r["file_id"], r["page"]), -1),
                box=Box(r["x0"], r["y0"], r["x1"], r["y1"]),
                kind=NumberKind(r["kind"]),
                state=RedactionState(r["state"]),
                source=RedactionSource(r["source"]),
                masked=r["masked"],
            )
        )
    return out


def list_case(store: Store, case_id: int) -> list[Redaction]:
    """The case's redactions by exhibit and page (pages deleted from the packet last)."""
    found = _from_rows(store, store._q(_SELECT + "WHERE r.case_id = ?", (case_id,)))
    order = {e.id: e.position for e in store.list_exhibits(case_id)}
    return sorted(
        found,
        key=lambda r: (
            order.get(r.exhibit_id, 0),
            r.exhibit_page < 0,
            r.exhibit_page,
            r.file_id,
            r.page,
            -r.box.y1,
            r.box.x0,
        ),
    )


def list_file(store: Store, file_id: int, page: int | None = None) -> list[Redaction]:
    sql = _SELECT + "WHERE r.file_id = ?"
    params: list[Any] = [file_id]
    if page is not None:
        sql += " AND r.page = ?"
        params.append(page)
    return _from_rows(store, store._q(sql + " ORDER BY r.page, r.y1 DESC, r.x0", params))


def get(store: Store, redaction_id: int) -> Redaction:
    rows = store._q(_SELECT + "WHERE r.id = ?", (redaction_id,))
    if not rows:
        raise NotFoundError(
            f"There is no redaction {redaction_id}.",
            hint="List the case's redactions with `pdpacket redact CASE` to see their ids.",
        )
    return _from_rows(store, rows)[0]


def applied_boxes(store: Store, file_id: int, page: int) -> list[Box]:
    rows = store._q(
        "SELECT x0, y0, x1, y1 FROM redactions WHERE file_id = ? AND page = ? AND state = ?",
        (file_id, page, str(RedactionState.APPLIED)),
    )
    return [Box(r["x0"], r["y0"], r["x1"], r["y1"]) for r in rows]


def unredacted_sha(store: Store, file_id: int) -> str | None:
    rows = store._q("SELECT unredacted_sha256 FROM redacted_files WHERE file_id = ?", (file_id,))
    return str(rows[0]["unredacted_sha256"]) if rows else None


# ---- changes ------------------------------------------------------------------------
def set_state(store: Store, ids: Sequence[int], state: RedactionState) -> None:
    """Set each redaction's state (inside or outside a transaction)."""
    found = [get(store, rid) for rid in ids]  # read before the transaction writes
    with store.transaction():
        for rid, r in zip(ids, found, strict=True):
            if r.state == RedactionState.APPLIED and state != RedactionState.APPLIED:
                continue  # what is removed stays removed
            store.db.execute(
                "UPDATE redactions SET state = ?, updated_at = ? WHERE id = ?",
                (str(state), now_iso(), rid),
            )
            store.audit(
                r.case_id,
                f"redaction.{state}",
                redaction=rid,
                file=r.file_id,
                page=r.page,
                kind=str(r.kind),
                masked=r.masked,
            )


def _refuse_applied(r: Redaction, what: str) -> None:
    if r.state == RedactionState.APPLIED:
        raise BadInputError(
            f"The redaction on page {r.page + 1} is already applied: it cannot be {what}.",
            hint="What it removed is gone from the stored page; the original file is kept.",
        )


def set_box(store: Store, redaction_id: int, box: Box) -> None:
    r = get(store, redaction_id)
    _refuse_applied(r, "moved")
    b = box.normalised()
    with store.transaction():
        store.db.execute(
            "UPDATE redactions SET x0 = ?, y0 = ?, x1 = ?, y1 = ?, updated_at = ? WHERE id = ?",
            (b.x0, b.y0, b.x1, b.y1, now_iso(), redaction_id),
        )
        store.audit(
            r.case_id,
            "redaction.move",
            redaction=redaction_id,
            file=r.file_id,
            page=r.page,
            box=[round(v, 1) for v in (b.x0, b.y0, b.x1, b.y1)],
        )


def add_by_hand(
    store: Store,
    case_id: int,
    file_id: int,
    page: int,
    box: Box,
    *,
    row_id: int | None = None,
) -> int:
    with store.transaction():
        rid = _insert(
            store,
            case_id,
            file_id,
            page,
            box,
            NumberKind.HAND,
            RedactionState.ACCEPTED,
            RedactionSource.HAND,
            "",
            row_id,
        )
        b = box.normalised()
        store.audit(
            case_id,
            "redaction.add",
            redaction=rid,
            file=file_id,
            page=page,
            box=[round(v, 1) for v in (b.x0, b.y0, b.x1, b.y1)],
        )
    return rid


def delete(store: Store, redaction_id: int) -> None:
    r = get(store, redaction_id)
    _refuse_applied(r, "taken away")
    with store.transaction():
        store.db.execute("DELETE FROM redactions WHERE id = ?", (redaction_id,))
        store.audit(r.case_id, "redaction.delete", redaction=redaction_id, file=r.file_id)


def record_applied(
    store: Store,
    case_id: int,
    file_id: int,
    before_sha: str,
    after_sha: str,
    ids: Sequence[int],
    stats: dict[str, int],
) -> None:
    """Point the file at its redacted PDF (registered and recorded as cleaned by
    the caller, in the same transaction) and mark the redactions applied."""
    at = now_iso()
    store.db.execute(
        "INSERT INTO redacted_files (file_id, unredacted_sha256, applied_at) VALUES (?, ?, ?) "
        "ON CONFLICT(file_id) DO UPDATE SET applied_at = excluded.applied_at",
        (file_id, before_sha, at),
    )
    store.db.execute("UPDATE exhibit_files SET pdf_sha256 = ? WHERE id = ?", (after_sha, file_id))
    marks = ",".join("?" * len(ids))
    store.db.execute(
        f"UPDATE redactions SET state = ?, updated_at = ? WHERE id IN ({marks})",
        (str(RedactionState.APPLIED), at, *ids),
    )
    store._touch(case_id)
    # the redacted bytes were searched by the same finder as the original
    store.db.execute(
        "UPDATE redaction_scans SET pdf_sha256 = ? WHERE file_id = ?", (after_sha, file_id)
    )
    store.audit(
        case_id,
        "redaction.apply",
        file=file_id,
        redactions=list(ids),
        before=before_sha,
        after=after_sha,
        **stats,
    )
