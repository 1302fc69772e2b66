"""The demo case reaches "ready" after the steps a user would take, and its
packet's letter cites the exhibits where they really are."""

from __future__ import annotations

import datetime as dt
import json
import re

from pdpacket.demo import write_demo_evidence
from pdpacket.model import Attorney, Severity, markup
from pdpacket.model.signing import SignatureMethod
from pdpacket.review import readiness as review
from tests.pdftools import make_pdf, outline_titles, page_text, pdfinfo, qpdf_check

TODAY = dt.date(2026, 11, 27)


def test_demo_case_reaches_ready_after_the_users_steps(workspace, tmp_path):
    ws = workspace
    # the demo's data as the user brings it, before pdpacket finishes it: no G-28 yet
    manifest = write_demo_evidence(tmp_path / "demo")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["appearance"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    case_id = ws.import_manifest(manifest)

    # 1. The review says what is missing.
    found = ws.review(case_id, today=TODAY)
    assert {f.code for f in found if f.severity == Severity.ERROR} == {
        "appearance.missing",
        "letter.missing",
        "signature.missing",  # the translator's certificate of the birth certificate
    }

    # 2. Settings: the attorney's details (for the signature block and the cover).
    ws.store.set_attorney(
        Attorney(
            name="Ana M. Ortiz",
            firm="Ortiz & Vega Immigration Law",
            address="305 Broadway, Suite 1200\nNew York, NY 10007",
            phone="(212) 555-0188",
            email="aortiz@example.org",
            bar_number="NY 5550123",
            eoir_id="ZZ555012",
        )
    )

    # 3. The Letter step: generate the draft; untouched, it is not ready.
    ws.refresh_letter(case_id)
    errors = {f.code for f in ws.review(case_id, today=TODAY) if f.severity == Severity.ERROR}
    assert "letter.untouched" in errors

    # 4. The interview wrote the story; the attorney adds a sentence of their own.
    text = ws.letter(case_id).text
    assert "Tell the client's story" not in text  # the demo's interview told it
    text = text.replace(
        "Thank you for considering this request.",
        "Respondent and her family are grateful for your consideration.",
    )
    assert not markup.placeholders(text)
    ws.save_letter(case_id, text)

    # 5. The signed G-28 goes in as the case's appearance form.
    ws.set_case_document(case_id, "g28", make_pdf(tmp_path / "g28.pdf", ["FORM G-28 (signed)"]))

    # 6. Signatures: the letter, the G-28 and the translator's certificate, "/s/ Name".
    assert {s.method for s in ws.signatures(case_id)} == {SignatureMethod.MISSING}
    signed = ws.sign_all_electronically(case_id)
    assert len(signed) == 4 and all(s.electronic for s in signed)

    # 7. Ready.
    found = ws.review(case_id, today=TODAY)
    assert review.is_ready(found), [(f.code, f.message) for f in found]

    # 8. Build: still ready, the build is current, and the letter cites real pages.
    out = tmp_path / "demo.pdf"
    ws.build_packet(case_id, out)
    qpdf_check(out)
    found = ws.review(case_id, today=TODAY)
    assert review.is_ready(found)
    assert not {"packet.not_built", "packet.stale"} & {f.code for f in found}

    tabs = {t.split(" - ")[0]: p for t, _, p in outline_titles(out) if t.startswith("Exhibit ")}
    pages = int(pdfinfo(out)["Pages"])
    letter_text = ""
    for n in range(1, pages + 1):
        t = page_text(out, n)
        if "Respectfully" in t or "Dear Chief Counsel" in t or (letter_text and "Exh." in t):
            letter_text += t
        if "Respectfully submitted" in t:
            break
    flat = " ".join(letter_text.split())
    assert "[MISSING EXHIBIT]" not in flat and "[[" not in flat
    # The lease is Exhibit K: the letter sends the reader to its pages.
    lease = re.search(r"Lease and utility bills 2016-2025, Exh\. K at (\d+)–(\d+)", flat)
    assert lease, flat
    first, last = int(lease[1]), int(lease[2])
    assert first == tabs["Exhibit K"] + 1
    assert "Residential Lease Agreement" in page_text(out, first)
    assert "National Grid" in page_text(out, last)
    # the arrest, named as the interview names it, with its disposition's pages
    assert "charged with unlicensed operation of a motor vehicle (VTL 511(1)(a))" in flat
    assert re.search(r"Queens Criminal Court \(dismissed\), Exh\. N at \d+", flat), flat
