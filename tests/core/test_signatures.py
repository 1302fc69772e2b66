"""Every document that needs a signature is signed, or the review says so: the
attorney's details from the CLI, signatures tracked per document (electronic,
wet, missing) with the firm's choice per destination, and the packet printing
"/s/ Name" on the letter, the translator's certificate and the certificate of
service, never "I, ______"."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from pdpacket import cli
from pdpacket.api import Workspace
from pdpacket.errors import ValidationError
from pdpacket.model import Attorney, BuildOptions, FileRole, Severity, Translator
from pdpacket.model.signing import SignatureMethod, SignedDocument, Signer
from tests.core.packet_fixtures import add_exhibit, new_case, run_tool, text_pdf

DATE = dt.date(2026, 12, 1)
ATTORNEY = Attorney(
    name="Jane Doe",
    firm="Doe Immigration Law",
    address="1 Main St\nAustin, TX 78701",
    phone="(512) 555-0100",
    email="jane@doe.example",
    eoir_id="XX123456",
)
TRANSLATOR = Translator(
    name="Rosa Campos", address="2 Elm St, Austin, TX", phone="(512) 555-0111", language="Spanish"
)


def _run(capsys: pytest.CaptureFixture[str], data_dir: str, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", data_dir, *argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---- the attorney's details from the command line -------------------------------------
def test_cli_settings_attorney_then_show_round_trip(tmp_path, capsys):
    data = str(tmp_path / "data")
    code, out, _ = _run(
        capsys,
        data,
        "settings",
        "attorney",
        "--name",
        "Jane Doe",
        "--firm",
        "Doe Immigration Law",
        "--address",
        "1 Main St; Suite 200; Austin, TX 78701",
        "--phone",
        "(512) 555-0100",
        "--email",
        "jane@doe.example",
        "--bar-number",
        "TX 24001234",
        "--eoir-id",
        "XX123456",
    )
    assert code == 0, out
    assert "name: Jane Doe" in out
    # only the options given change
    code, _, _ = _run(capsys, data, "settings", "attorney", "--phone", "(512) 555-0199")
    assert code == 0
    code, out, _ = _run(capsys, data, "settings", "show")
    assert code == 0
    for expected in (
        "Jane Doe",
        "Doe Immigration Law",
        "1 Main St; Suite 200; Austin, TX 78701",
        "(512) 555-0199",
        "jane@doe.example",
        "TX 24001234",
        "XX123456",
        "opla_email",
        "court_motion_paper",
    ):
        assert expected in out, expected
    code, out, _ = _run(capsys, data, "settings", "show", "--json")
    shown = json.loads(out)
    assert shown["attorney"]["address"] == "1 Main St\nSuite 200\nAustin, TX 78701"
    assert shown["attorney"]["phone"] == "(512) 555-0199"
    assert shown["electronic_signatures"]["court_motion"] is True
    assert shown["electronic_signatures"]["court_motion_paper"] is False
    with Workspace.open(data) as ws:  # the window reads the same store
        assert ws.attorney().name == "Jane Doe"
        assert ws.attorney().bar_number == "TX 24001234"


def test_cli_settings_esign_per_destination(tmp_path, capsys):
    data = str(tmp_path / "data")
    code, out, _ = _run(capsys, data, "settings", "esign", "ero")
    assert code == 0 and "not allowed" in out
    code, out, _ = _run(capsys, data, "settings", "esign", "ero", "--allow")
    assert code == 0 and "ero: electronic signatures allowed" in out
    code, out, _ = _run(capsys, data, "settings", "esign", "opla_email", "--deny")
    assert code == 0 and "not allowed" in out
    code, out, _ = _run(capsys, data, "settings", "show", "--json")
    esign = json.loads(out)["electronic_signatures"]
    assert esign["ero"] is True and esign["opla_email"] is False
    code, _, err = _run(capsys, data, "settings", "esign", "the-moon", "--allow")
    assert code == 2 and "opla_email" in err


def test_update_attorney_refuses_an_unknown_detail(workspace):
    with pytest.raises(ValidationError):
        workspace.update_attorney(shoe_size="9")


def test_cli_sign_lists_sets_and_signs_all(tmp_path, capsys):
    data = str(tmp_path / "data")
    with Workspace.open(data) as ws:
        case_id = _translated_case(ws)
        ex_id = next(s.exhibit_id for s in ws.signatures(case_id) if s.exhibit_id)
    code, out, _ = _run(capsys, data, "sign", str(case_id), "--check")
    assert code == 2
    assert out.splitlines()[0].split("\t")[:2] == ["letter:attorney", "missing"]
    assert f"translation:translator:{ex_id}\tmissing" in out
    code, out, _ = _run(
        capsys, data, "sign", str(case_id), f"translation:translator:{ex_id}", "--wet"
    )
    assert code == 0 and f"translation:translator:{ex_id}\twet" in out
    code, _, err = _run(capsys, data, "sign", str(case_id), "letter:attorney")
    assert code == 2 and "--electronic" in err
    code, out, _ = _run(capsys, data, "sign", str(case_id), "--all", "--date", "2026-12-01")
    assert code == 0
    assert "letter:attorney\telectronic\t/s/ Jane Doe (2026-12-01)" in out
    code, out, _ = _run(capsys, data, "sign", str(case_id), "--check")
    assert code == 0


# ---- which signatures a case needs -----------------------------------------------------
def _translated_case(ws: Workspace, translator: Translator = TRANSLATOR, **proceedings) -> int:
    ws.set_attorney(ATTORNEY)
    case_id = new_case(ws, **{"pd_form": "dismissal", **proceedings})
    add_exhibit(ws, case_id, "Passport of Rosa Test", text_pdf(["PASSPORT"]))
    add_exhibit(
        ws,
        case_id,
        "Birth certificate of Rosa Test",
        [text_pdf(["ACTA DE NACIMIENTO"]), text_pdf(["BIRTH CERTIFICATE (translation)"])],
        roles=[FileRole.DOCUMENT, FileRole.TRANSLATION],
        language="Spanish",
        translator=translator,
    )
    ws.save_letter(
        case_id, "Dear Chief Counsel,\n\nPlease.\n\nRespectfully submitted,\n\n{{signature}}\n"
    )
    return case_id


def test_a_case_needs_the_letter_and_each_translators_certificate_signed(workspace):
    case_id = _translated_case(workspace)
    sigs = workspace.signatures(case_id)
    keys = [s.key for s in sigs]
    ex_id = next(s.exhibit_id for s in sigs if s.document == SignedDocument.TRANSLATION)
    assert keys == ["letter:attorney", f"translation:translator:{ex_id}"]
    assert all(s.method == SignatureMethod.MISSING for s in sigs)
    assert sigs[0].name == "Jane Doe"
    assert sigs[1].name == "Rosa Campos"
    # the label names the exhibit by its letter and title, never a file name
    assert sigs[1].label == "Translator's certificate, Exhibit B: Birth certificate of Rosa Test"


def test_unsigned_translators_certificate_is_a_review_error_naming_the_exhibit(workspace):
    case_id = _translated_case(workspace)
    errors = [f for f in workspace.review(case_id) if f.code == "signature.missing"]
    assert len(errors) == 2
    assert all(f.severity == Severity.ERROR for f in errors)
    translation = next(f for f in errors if "Translator" in f.message)
    assert "Exhibit B: Birth certificate of Rosa Test" in translation.message
    assert "translator" in translation.message
    assert translation.location.step == "letter"


def test_unknown_translator_or_server_name_is_an_error_naming_the_document(workspace):
    case_id = _translated_case(
        workspace, translator=Translator(name="", language="Spanish"), destination="court_motion"
    )
    # the uploaded certificate case: no drawn certificate reports the translator
    ex = next(e for e in workspace.exhibits(case_id) if e.language == "Spanish")
    add_exhibit(workspace, case_id, "Cert", text_pdf(["CERT"]))  # an unrelated exhibit
    workspace.set_attorney(Attorney())  # nobody to name as the server either
    codes = {(f.code, f.location.object_id) for f in workspace.review(case_id)}
    assert ("signature.no_name", "service:server") in codes
    # a drawn certificate without a translator's name is reported once, by the
    # translator rule (which names everything the certificate lacks)
    assert ("exhibit.translator_incomplete", str(ex.id)) in codes
    assert ("signature.no_name", f"translation:translator:{ex.id}") not in codes


def test_electronic_signature_needs_the_destination_to_allow_it(workspace):
    # a stay of removal goes to the ERO field office: signed in ink by default
    case_id = _translated_case(workspace, pd_form="stay_of_removal")
    with pytest.raises(ValidationError) as err:
        workspace.set_signature(case_id, "letter", "attorney", "electronic")
    assert "in ink" in err.value.hint and "esign" in err.value.hint
    sig = workspace.set_signature(case_id, "letter", "attorney", "wet")
    assert sig.method == SignatureMethod.WET and not sig.mark
    finding = next(f for f in workspace.review(case_id) if f.location.object_id == sig.key)
    assert finding.code == "signature.wet" and finding.severity == Severity.WARNING
    assert "Print and sign before filing" in finding.fix
    workspace.set_electronic_signature("ero", True)
    sig = workspace.set_signature(case_id, "letter", "attorney", "electronic", signed_on=DATE)
    assert sig.mark == "/s/ Jane Doe" and sig.signed_on == DATE
    # the firm changes its mind: the signature no longer counts, and the review says so
    workspace.set_electronic_signature("ero", False)
    sig = next(s for s in workspace.signatures(case_id) if s.key == "letter:attorney")
    assert not sig.electronic and not sig.mark
    codes = {f.code for f in workspace.review(case_id) if f.location.object_id == sig.key}
    assert codes == {"signature.electronic_not_allowed"}


def test_set_signature_refuses_one_the_case_does_not_need(workspace):
    case_id = _translated_case(workspace)
    with pytest.raises(ValidationError) as err:
        workspace.set_signature(case_id, "declaration", "client", "wet")
    assert "letter:attorney" in err.value.hint
    with pytest.raises(ValidationError):
        workspace.set_signature(case_id, "letter", "attorney", "scribbled")


def test_sign_all_electronically_signs_every_named_signature(workspace):
    case_id = _translated_case(workspace, destination="court_motion")
    sigs = workspace.sign_all_electronically(case_id, on=DATE)
    assert [s.key.split(":")[0] for s in sigs] == ["letter", "translation", "service"]
    assert all(s.electronic and s.signed_on == DATE for s in sigs)
    assert [s.mark for s in sigs] == ["/s/ Jane Doe", "/s/ Rosa Campos", "/s/ Jane Doe"]
    assert not [f for f in workspace.review(case_id) if f.code.startswith("signature.")]


def test_appearance_declaration_and_interpretation_are_tracked(workspace, pdf_factory):
    workspace.set_attorney(ATTORNEY)
    case_id = new_case(workspace, pd_form="dismissal")
    workspace.update_client(case_id, language="Spanish")
    workspace.set_case_document(case_id, "g28", pdf_factory("g28.pdf"))
    workspace.set_case_document(case_id, "declaration", pdf_factory("decl.pdf"))
    sigs = {s.key: s for s in workspace.signatures(case_id)}
    assert set(sigs) == {
        "appearance:attorney",
        "appearance:client",
        "declaration:client",
        "interpretation:interpreter",
    }
    assert sigs["appearance:client"].name == "Rosa Test"
    assert sigs["interpretation:interpreter"].name == ""
    with pytest.raises(ValidationError):  # no name to type after /s/
        workspace.set_signature(case_id, "interpretation", "interpreter", "electronic")
    sig = workspace.set_signature(
        case_id, SignedDocument.INTERPRETATION, Signer.INTERPRETER, "electronic", name="Luis Vega"
    )
    assert sig.mark == "/s/ Luis Vega"
    done = workspace.sign_all_electronically(case_id)
    assert all(s.electronic for s in done)


def test_signatures_travel_with_a_case_archive(workspace, tmp_path):
    case_id = _translated_case(workspace)
    workspace.sign_all_electronically(case_id, on=DATE)
    out = tmp_path / "case.pdpacket"
    workspace.export_case(case_id, out)
    new_id = workspace.import_archive(out).case_id
    sigs = workspace.signatures(new_id)
    assert [s.mark for s in sigs] == ["/s/ Jane Doe", "/s/ Rosa Campos"]
    new_exhibits = {e.id for e in workspace.exhibits(new_id)}
    assert sigs[1].exhibit_id in new_exhibits


def test_signing_makes_the_last_build_stale(workspace, tmp_path):
    case_id = _translated_case(workspace)
    workspace.build_packet(case_id, tmp_path / "p.pdf", BuildOptions(build_date=DATE))
    # timestamps count seconds: date the build a minute back
    workspace.store.db.execute("UPDATE builds SET created_at = '2000-01-01T00:00:00+00:00'")
    for table in ("cases", "letters"):
        workspace.store.db.execute(f"UPDATE {table} SET updated_at = '1999-01-01T00:00:00+00:00'")
    assert "packet.stale" not in {f.code for f in workspace.review(case_id)}
    workspace.set_signature(case_id, "letter", "attorney", "wet")
    assert "packet.stale" in {f.code for f in workspace.review(case_id)}


# ---- the packet prints the signatures --------------------------------------------------
def _packet_text(path) -> str:
    return run_tool("pdftotext", "-layout", str(path), "-")


def _blank_after_i(text: str) -> bool:
    return re.search(r"\bI,\s*_{3,}", text) is not None


def _signed_packet(ws: Workspace, tmp_path, method: str):  # type: ignore[no-untyped-def]
    case_id = _translated_case(ws, destination="court_motion")
    for sig in ws.signatures(case_id):
        ws.set_signature(
            case_id, sig.document, sig.signer, method, exhibit_id=sig.exhibit_id, signed_on=DATE
        )
    out = tmp_path / f"{method}.pdf"
    ws.build_packet(case_id, out, BuildOptions(build_date=DATE, certificate_of_service=True))
    return case_id, out


def _pages(path) -> list[str]:  # type: ignore[no-untyped-def]
    return _packet_text(path).split("\f")


def test_electronic_signatures_print_on_letter_translation_and_service(workspace, tmp_path):
    _, out = _signed_packet(workspace, tmp_path, "electronic")
    pages = _pages(out)
    letter = next(p for p in pages if "Respectfully submitted" in p)
    translation = next(p for p in pages if "CERTIFICATE OF TRANSLATION" in p)
    # (the proposed order has the court's own certificate of service: not ours)
    service = next(p for p in pages if "CERTIFICATE OF SERVICE" in p and "served a copy" in p)
    assert "/s/ Jane Doe" in letter and "December 1, 2026" in letter
    assert "/s/ Rosa Campos" in translation and "December 1, 2026" in translation
    assert "I, Rosa Campos, certify" in " ".join(translation.split())
    assert "/s/ Jane Doe" in service and "I, Jane Doe, served" in " ".join(service.split())
    text = _packet_text(out)
    assert not _blank_after_i(text)
    assert "to be signed in ink" not in text.lower()


def test_wet_signatures_print_a_clean_line_to_sign_in_ink(workspace, tmp_path):
    case_id, out = _signed_packet(workspace, tmp_path, "wet")
    pages = _pages(out)
    translation = next(p for p in pages if "CERTIFICATE OF TRANSLATION" in p)
    # (the proposed order has the court's own certificate of service: not ours)
    service = next(p for p in pages if "CERTIFICATE OF SERVICE" in p and "served a copy" in p)
    letter = next(p for p in pages if "Respectfully submitted" in p)
    for page in (translation, service, letter):
        assert "/s/" not in page
        assert "to be signed in ink" in page.lower()
    warnings = [f for f in workspace.review(case_id) if f.code == "signature.wet"]
    assert len(warnings) == 3


def test_translators_certificate_names_exhibit_titles_not_file_names(workspace, tmp_path):
    case_id, out = _signed_packet(workspace, tmp_path, "electronic")
    translation = next(p for p in _pages(out) if "CERTIFICATE OF TRANSLATION" in p)
    assert "Exhibit B: Birth certificate of Rosa Test" in translation
    for e in workspace.exhibits(case_id):
        for f in e.files:
            assert f.original_name not in translation
            assert f.original_name.rsplit(".", 1)[0] not in translation


def test_joint_motion_prints_counsels_signature_and_leaves_dhs_blank(workspace, tmp_path):
    workspace.set_attorney(ATTORNEY)
    case_id = new_case(
        workspace, pd_form="dismissal", destination="joint_motion", opla_office_id="new-york-city"
    )
    add_exhibit(workspace, case_id, "Passport", text_pdf(["PASSPORT"]))
    sig = workspace.set_signature(case_id, "letter", "attorney", "electronic", signed_on=DATE)
    assert sig.label == "Motion"
    out = tmp_path / "joint.pdf"
    workspace.build_packet(case_id, out, BuildOptions(build_date=DATE))
    motion = next(p for p in _pages(out) if "jointly move" in " ".join(p.split()))
    assert "/s/ Jane Doe" in motion and motion.count("/s/") == 1  # DHS signs its own
    assert "December 1, 2026" in motion
    workspace.set_signature(case_id, "letter", "attorney", "wet")
    workspace.build_packet(case_id, out, BuildOptions(build_date=DATE))
    motion = next(p for p in _pages(out) if "jointly move" in " ".join(p.split()))
    assert "/s/" not in motion and "to be signed in ink" in " ".join(motion.split())


def test_declaration_read_in_spanish_gets_a_signed_certificate_of_interpretation(
    workspace, tmp_path, pdf_factory
):
    workspace.set_attorney(ATTORNEY)
    case_id = new_case(workspace, pd_form="dismissal")
    workspace.update_client(case_id, language="Spanish")
    workspace.set_case_document(case_id, "declaration", pdf_factory("decl.pdf", ["I DECLARE"]))
    add_exhibit(workspace, case_id, "Passport", text_pdf(["PASSPORT"]))
    out = tmp_path / "decl.pdf"
    workspace.build_packet(case_id, out, BuildOptions(build_date=DATE))
    pages = _pages(out)
    n = next(i for i, p in enumerate(pages) if "CERTIFICATE OF INTERPRETATION" in p)
    assert "I DECLARE" in pages[n - 1]  # right after the declaration
    blank = " ".join(pages[n].split())
    assert _blank_after_i(blank) and "from Spanish" not in blank and "in Spanish" in blank
    codes = {f.code for f in workspace.review(case_id) if f.severity == Severity.ERROR}
    assert "signature.no_name" in codes  # "I, ______" is an error, not a finished page
    workspace.set_signature(
        case_id, "interpretation", "interpreter", "electronic", name="Luis Vega", signed_on=DATE
    )
    workspace.build_packet(case_id, out, BuildOptions(build_date=DATE))
    cert = " ".join(_pages(out)[n].split())
    assert "I, Luis Vega, certify" in cert and "/s/ Luis Vega" in cert
    assert "declaration of Rosa Test" in cert and "December 1, 2026" in cert
    index = " ".join(_pages(out)[n + 1].split())  # the index follows, and lists it
    assert "Certificate of interpretation" in index
