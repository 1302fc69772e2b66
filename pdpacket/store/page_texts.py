"""The text of stored evidence pages as extracted once (``page_texts``): what the
review reads, kept across processes.  Content-addressed by the stored PDF's
hash: a row is never stale."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.store")


def cached(store: Store, sha: str, pages: int) -> dict[int, str]:
    """The pages of ``sha`` (from 0, below ``pages``) whose text is stored."""
    rows = store.db.execute(
        "SELECT page, text FROM page_texts WHERE pdf_sha256 = ? AND page < ?", (sha, pages)
    ).fetchall()
    return {int(p): str(t) for p, t in rows}


def remember(store: Store, sha: str, texts: Mapping[int, str]) -> None:
    """Store extracted page texts; a database that cannot take the write (busy,
    read-only) only costs a later extraction, never the review."""
    if not texts:
        return
    try:
        with store.transaction():
            store.db.conn.executemany(
                "INSERT OR IGNORE INTO page_texts (pdf_sha256, page, text) VALUES (?, ?, ?)",
                [(sha, page, text) for page, text in sorted(texts.items())],
            )
    except Exception as exc:  # the text is still used this time
        log.info("page text of %s not kept: %s", sha[:12], exc)
