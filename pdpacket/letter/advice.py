"""The client-advice note: what the requested form of discretion means for
the client (resources/advice.json).  Counsel's advice to the client, kept for
the file: it never goes into the letter or a packet."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any

from pdpacket.letter.citations import long_date
from pdpacket.letter.render import render_letter_pdf
from pdpacket.model import Case
from pdpacket.policy import catalog
from pdpacket.policy.templates import fill
from pdpacket.store.atomic import write_atomic
from pdpacket.store.database import Store


@functools.cache
def advice_data() -> dict[str, Any]:
    data: dict[str, Any] = catalog.load_json("advice.json")
    return data


def advice_for_form(form_id: str) -> list[str]:
    """The consequences of one form, sentence by sentence ([] if unknown)."""
    entry = advice_data()["forms"].get(form_id) or {}
    return [str(t) for t in entry.get("text", ())]


def advice_text(case: Case, *, today: dt.date | None = None) -> str:
    """The note in letter markup."""
    data = advice_data()
    name = case.client.name
    form = catalog.pd_form(case.proceedings.pd_form)
    lines = [
        f"# {data['title']}",
        f"{name}" + (f", {case.client.a_number_display}" if case.client.a_number_display else ""),
        long_date(today or dt.date.today()),
        f"*{fill(data['intro'], {'name': name})}*",
    ]
    if form is None:
        lines.append(str(data["form_missing"]))
    else:
        entry = data["forms"].get(form.id) or {}
        lines.append(f"## {form.label}" + (f" ({form.hook})" if form.hook else ""))
        lines.extend(f"- {t}" for t in advice_for_form(form.id))
        if entry.get("source"):
            lines.append(f"*Source: {entry['source']}; checked {entry.get('verified_on', '')}.*")
    general = data["general"]
    lines.append("## In every case")
    lines.append(str(general["text"]))
    lines.append(f"*Source: {general['source']}; checked {general['verified_on']}.*")
    return "\n\n".join(lines) + "\n"


def export_advice(store: Store, case_id: int, out: str | os.PathLike[str]) -> Path:
    """Write the note as a letter-size PDF (atomically)."""
    case = store.get_case(case_id)
    data = render_letter_pdf(
        advice_text(case),
        {},
        title=f"Client advice: {case.client.name}",
        author=store.attorney().name,
        page_numbers=True,
    )
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    store.audit(case_id, "advice.export", path=str(path))
    return path
