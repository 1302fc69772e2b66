"""What every command shares: opening the workspace, reading a case number."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the façade loads on first use, so `pdpacket --help` stays quick
    from pdpacket.api import Workspace


def open_workspace(args: argparse.Namespace) -> Workspace:
    from pdpacket.api import Workspace

    return Workspace.open(args.data_dir)


def case_number(raw: str) -> int:
    try:
        return int(raw.strip().lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a case number; run `pdpacket list` to see them"
        ) from None
