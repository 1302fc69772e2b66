"""Hidden temporary files a killed build left beside its packet.

Every packet is written to a hidden ``.<name>.pdf.<random>.part`` in the folder
it goes to and renamed onto the packet when whole (``store.atomic``).  A build
killed half-way (a crash, a power cut, the window closed by force) leaves that
file behind, in the user's folder, where nothing else would ever remove it.  The
startup sweep looks in every folder a packet of this workspace went to (and the
packet folder in Settings) and removes such files once they are old enough that
no build still running can own them.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from pdpacket.store.atomic import TMP_SUFFIX
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.store")

# ".Name PD packet.pdf.k3j2_x.part", ".Name_email.txt.part": what atomic writes leave
PACKET_TEMPORARY = re.compile(r"\..+\.(?:pdf|txt)(?:\.[^/\\]*)?" + re.escape(TMP_SUFFIX))
MIN_AGE_S = 15 * 60  # a build still writing touches its file far more often than this


def packet_folders(store: Store) -> set[Path]:
    folders = set()
    for (path,) in store.db.execute("SELECT DISTINCT path FROM builds").fetchall():
        if path:
            folders.add(Path(path).parent)
    configured = store.get_setting("packet_folder", "") or ""
    if configured:
        folders.add(Path(configured).expanduser())
    return folders


def sweep_packet_temporaries(store: Store, *, min_age_s: float = MIN_AGE_S) -> list[str]:
    """Remove old hidden ``.part`` files of packets; the paths removed."""
    removed: list[str] = []
    now = time.time()
    for folder in sorted(packet_folders(store)):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue  # moved, unplugged, not ours to read: nothing to do
        for path in entries:
            if not PACKET_TEMPORARY.fullmatch(path.name):
                continue
            try:
                if not path.is_file() or now - path.stat().st_mtime < min_age_s:
                    continue
                path.unlink()
            except OSError as exc:
                log.warning("could not remove %s: %s", path, exc)
                continue
            removed.append(str(path))
    if removed:
        log.info("removed %d temporary files left by interrupted builds", len(removed))
    return removed
