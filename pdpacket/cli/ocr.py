"""``pdpacket ocr CASE``, and the OCR that ``add``, ``import`` and ``build`` wait for.

Progress goes to stderr (a counter on a terminal, a line at start and end
otherwise); stdout keeps what scripts read.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pdpacket.cli.common import case_number, open_workspace

if TYPE_CHECKING:
    from pdpacket.api import Workspace
    from pdpacket.model.ocr import OcrSummary


class _OcrProgress:
    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False

    def update(self, done: int, total: int, message: str) -> None:
        if self.tty:
            print(f"\rOCR {done}/{total} {message[:50]:<50}", end="", file=sys.stderr, flush=True)
            self.shown = True
        elif done == 0:
            print(f"pdpacket: {message}...", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def wait_for_ocr(
    ws: Workspace, case_id: int, *, retry_failed: bool = False, again: bool = False
) -> OcrSummary | None:
    """Read the case's scanned pages still waiting (progress on stderr) and say
    what happened; None when no page was waiting."""
    if not retry_failed and not again and ws.ocr_pending(case_id) == 0:
        return None
    progress = _OcrProgress()
    try:
        summary = ws.run_ocr(case_id, progress=progress, retry_failed=retry_failed, again=again)
    finally:
        progress.close()
    if summary.unavailable:
        print(
            f"pdpacket: note: Tesseract (OCR) is not installed: {summary.pending} scanned "
            "page(s) get no searchable text; everything else works.",
            file=sys.stderr,
        )
        print(f"  {ws.ocr_install_hint()}", file=sys.stderr)
        return summary
    print(f"pdpacket: {summary.message}", file=sys.stderr)
    for failure in summary.failures:
        print(f"pdpacket: OCR failed on {failure}", file=sys.stderr)
    return summary


def skip_note(ws: Workspace, case_id: int) -> None:
    """What ``--no-ocr`` leaves: the pages still waiting, said once."""
    n = ws.ocr_pending(case_id)
    if n:
        print(
            f"pdpacket: note: {n} scanned page(s) still wait for OCR "
            f"(pdpacket ocr {case_id} reads them).",
            file=sys.stderr,
        )


def cmd_ocr(args: argparse.Namespace) -> int:
    """Read the text of the case's scanned pages; prints one line per page that
    failed and exits 2 when any did (0 when Tesseract is missing: nothing else
    depends on it)."""
    with open_workspace(args) as ws:
        if args.languages:
            ws.set_ocr_languages(args.languages.replace("+", ",").split(","))
        # other languages: every scanned page is read again with them
        again = args.again or bool(args.languages)
        summary = wait_for_ocr(ws, args.case, retry_failed=args.retry, again=again)
        if summary is None:
            print("pdpacket: every page already has text.", file=sys.stderr)
            return 0
        for failure in summary.failures:
            print(f"failed\t{failure}")
        return 2 if summary.failed else 0


def add_ocr_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "ocr",
        help="read the text of a case's scanned pages and photos (Tesseract)",
        description="OCR every scanned page of the case that has no text yet, on every "
        "core, so the packet can be searched and the review sees each document's "
        "language. `add`, `import` and `build` do this on their own (unless --no-ocr). "
        "Exit code 2 if a page failed.",
    )
    p.add_argument("case", type=case_number, metavar="CASE")
    p.add_argument("--retry", action="store_true", help="read pages that failed before again")
    p.add_argument("--again", action="store_true", help="read every scanned page again")
    p.add_argument(
        "--languages",
        metavar="LANGS",
        help="Tesseract languages to read with from now on, e.g. eng,spa,por (a setting); "
        "every scanned page is read again with them",
    )
    p.set_defaults(func=cmd_ocr)
