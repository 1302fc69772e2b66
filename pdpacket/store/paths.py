"""Where pdpacket keeps its data: the one module tests point at a tmp_path.

Order: an explicit ``--data-dir``, then ``PDPACKET_HOME``, then the platform's
user data folder (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "pdpacket"
DB_NAME = "pdpacket.db"
BLOBS_DIR = "blobs"


def default_data_dir() -> Path:
    env = os.environ.get("PDPACKET_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit).expanduser() if explicit else default_data_dir()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable only by the user on POSIX."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
