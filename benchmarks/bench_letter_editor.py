"""Does the Letter step's editor keep up with a long letter?  (#6)

The editor is a QTextEdit whose citations are chips (inline objects) and whose
markup is coloured by a highlighter; the letter is turned back into markup on
every autosave, and the chips are laid out again when exhibits are reordered.
This generates a letter of ``--paragraphs`` paragraphs with two citations each
and times, on the UI thread, what the user waits for:

    open      the letter shown in the editor (set_markup)
    save      the editor turned back into markup (markup(), each autosave)
    reorder   new exhibit letters: every chip laid out and painted again
    keystroke one character typed in the middle, with the highlighter

Baseline, same run: a plain QTextEdit with the same text (setPlainText,
toPlainText, a full relayout, one keystroke) — what any text field costs.

    .venv/bin/python benchmarks/bench_letter_editor.py [--paragraphs 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from pdpacket.ui.app import create_app
    from pdpacket.ui.steps.letter import CiteInfo, LetterEditor
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTextEdit

    app = create_app([sys.argv[0]])
    parts = []
    for n in range(args.paragraphs):
        if n % 10 == 0:
            parts.append(f"## Section {n // 10 + 1}")
        parts.append(
            f"Paragraph {n}: **Respondent** has lived in the United States since 2009 and "
            f"*works* for the same employer. See {{{{cite:{n % 40 + 1}}}}}; "
            f"{{{{pages:{(n + 7) % 40 + 1}}}}}. [[check]]"
        )
    text = "\n\n".join(parts) + "\n"
    plain = text
    infos = {i: CiteInfo(chr(64 + i % 26 + 1), f"Exhibit {i}", 3) for i in range(1, 41)}
    moved = {i: CiteInfo(chr(64 + (i + 5) % 26 + 1), f"Exhibit {i}", 3) for i in range(1, 41)}

    editor = LetterEditor()
    editor.resize(700, 700)
    editor.show()
    base = QTextEdit()
    base.setAcceptRichText(False)
    base.resize(700, 700)
    base.show()
    app.processEvents()

    def timed(fn: Callable[[], object]) -> float:
        best = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            app.processEvents()
            best.append((time.perf_counter() - t0) * 1000)
        return statistics.median(best)

    def relayout_plain() -> None:
        doc = base.document()
        doc.markContentsDirty(0, doc.characterCount())
        base.viewport().repaint()

    def reorder() -> None:
        editor.refresh_chips(moved if editor.chips.infos is infos else infos)
        editor.viewport().repaint()

    def keystroke(widget: QTextEdit) -> Callable[[], None]:
        def run() -> None:
            c = widget.textCursor()
            c.setPosition(widget.document().characterCount() // 2)
            widget.setTextCursor(c)
            QTest.keyClick(widget, Qt.Key.Key_X)
            widget.viewport().repaint()

        return run

    editor.refresh_chips(infos)
    rows = [
        ("open", timed(lambda: editor.set_markup(text)), timed(lambda: base.setPlainText(plain))),
        ("save", timed(editor.markup), timed(base.toPlainText)),
        ("reorder", timed(reorder), timed(relayout_plain)),
        ("keystroke", timed(keystroke(editor)), timed(keystroke(base))),
    ]
    assert editor.markup().count("{{") == text.count("{{")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    chips = len(editor.chip_tokens())
    print(
        f"letter: {args.paragraphs} paragraphs, {len(text):,} characters, {chips} citation "
        f"chips; median of {args.repeat} (ms, UI thread)"
    )
    print(f"{'':<10} {'editor':>9} {'plain QTextEdit':>16} {'ratio':>7}")
    for name, ours, plain_ms in rows:
        ratio = ours / plain_ms if plain_ms else float("inf")
        print(f"{name:<10} {ours:>9.1f} {plain_ms:>16.1f} {ratio:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
