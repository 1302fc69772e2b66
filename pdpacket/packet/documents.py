"""The documents pdpacket writes around the evidence, each on its own: the
cover sheet, the motion, the proposed order, the certificate of service (as
the case's destination carries them) and the client's declaration for the
client to complete and sign (with its certificate of interpretation when the
client does not read English).

Each comes as a PDF drawn exactly as the packet draws it, and as
``DocumentText``, what it says, for the letter feature to write as a Word
file.  The words come from the firm-editable templates (``packet.wording``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pdpacket.model import BuildOptions
from pdpacket.model.interview import Interview
from pdpacket.packet import builder, motion, wording
from pdpacket.packet import draw as layout
from pdpacket.packet import pages as drawn
from pdpacket.packet.context import BuildContext
from pdpacket.pdf.text import SERIF, SERIF_BOLD
from pdpacket.store import signatures as signing
from pdpacket.store.database import Store


@dataclass(frozen=True)
class SignatureBlock:
    heading: str = ""  # "For the Department of Homeland Security"
    mark: str = ""  # "/s/ Jane Doe", or "" for a line to sign on
    date: str = ""
    lines: tuple[str, ...] = ()  # name, title, office...
    ink: bool = False


@dataclass(frozen=True)
class DocumentText:
    """What one generated document says, in order, for its Word file."""

    title: str  # "JOINT MOTION TO REOPEN"
    client_name: str = ""  # the caption's "In the Matter of" ("": no caption)
    a_number: str = ""
    court_lines: tuple[str, ...] = ()  # the EOIR heading's court name and address
    detained: bool = False
    top_lines: tuple[str, ...] = ()  # the filer's block at the top of a cover
    marks: tuple[str, ...] = ()  # "DETAINED", "JOINT MOTION"
    before: str = ""  # markup between the caption and the title
    body: str = ""  # markup
    date_line: str = ""  # "Respectfully submitted, December 6, 2026"
    signatures: tuple[SignatureBlock, ...] = ()
    after: str = ""  # markup after the signatures
    more_pages: tuple[str, ...] = ()  # markup of pages that follow (a certificate)


@dataclass(frozen=True)
class GeneratedDocument:
    kind: str  # "cover" | "motion" | "order" | "service" | "declaration"
    name: str  # a file name without suffix: "motion", "proposed-order"
    label: str  # "Proposed order"
    pdf: bytes
    pages: int
    text: DocumentText


def _signature(
    s: layout.SignedLine, heading: str = "", lines: tuple[str, ...] = ()
) -> SignatureBlock:
    return SignatureBlock(heading, s.mark, s.date, lines, s.ink)


def _captioned(c: layout.Caption | None, title: str, **fields: Any) -> DocumentText:
    """The document's text, under the case's caption (``None``: no caption)."""
    if c is None:
        return DocumentText(title=title, **fields)
    return DocumentText(
        title=title,
        client_name=c.client_name,
        a_number=c.a_number,
        court_lines=c.court_lines,
        detained=c.detained,
        **fields,
    )


def _draw(title: str, add: Callable[[layout.Drawing], object]) -> tuple[bytes, int]:
    d = layout.Drawing(title)
    add(d)
    out = d.finish()
    return out.pdf, out.pages


# ---- each document ----------------------------------------------------------------------
def _cover(ctx: BuildContext, caption: layout.Caption) -> GeneratedDocument:
    info = drawn._cover(ctx, caption)
    pdf, n = _draw(info.title, lambda d: d.add_cover(info))
    marks = (
        *(("DETAINED",) if caption.detained else ()),
        *(("JOINT MOTION",) if info.joint_motion else ()),
    )
    before: list[str] = []
    if not info.court_caption:
        re_lines = [f"**Re: {caption.client_name.upper()}**"]
        re_lines += [f"A-number: {caption.a_number}"] if caption.a_number else []
        re_lines += [info.court_line] if info.court_line else []
        before.append("\n".join(re_lines))
    facts = [f"Immigration Judge: {info.judge}"] if info.judge else []
    facts += [f"Next hearing: {info.hearing}"] if info.hearing else []
    if facts:
        before.append("\n".join(facts))
    body: list[str] = [info.form_line] if info.form_line else []
    body += [info.statement] if info.statement else []
    if info.addressee_lines:
        body.append("*Submitted to:*\n" + "\n".join(info.addressee_lines))
    if info.receipts:
        label = "USCIS receipt: " if len(info.receipts) == 1 else "USCIS receipts: "
        body.append(label + ", ".join(info.receipts))
    body += [f"*{info.via}*"] if info.via else []
    body += [f"Date: {info.date_text}"] if info.date_text else []
    text = _captioned(
        caption if info.court_caption else None,
        info.title,
        top_lines=info.attorney_lines,
        marks=marks,
        before="\n\n".join(before),
        body="\n\n".join(body),
    )
    return GeneratedDocument("cover", "cover", "Cover sheet", pdf, n, text)


def _motion(ctx: BuildContext, caption: layout.Caption) -> GeneratedDocument:
    info = motion.motion_info(ctx, caption)
    pdf, n = _draw(info.title, lambda d: motion.add_motion(d, info))
    text = _captioned(
        caption,
        info.title,
        body="\n\n".join(info.paragraphs),
        date_line=f"Respectfully submitted, {info.date_text}" if info.date_text else "",
        signatures=tuple(_signature(p.signed, p.heading, p.lines) for p in info.parties),
    )
    label = motion.document_title(ctx)
    return GeneratedDocument("motion", "motion", label, pdf, n, text)


def _order(ctx: BuildContext, caption: layout.Caption) -> GeneratedDocument:
    info = drawn._order(ctx, caption)
    pdf, n = _draw(info.title, lambda d: d.add_proposed_order(info))
    body = [*info.paragraphs, "[  ] Other: ______________________________________________"]
    court = "\n".join(layout.COURT_SERVICE_LINES)
    text = _captioned(
        caption,
        info.title,
        body="\n\n".join(body),
        signatures=(SignatureBlock(lines=("Immigration Judge",)),),
        after=f"**CERTIFICATE OF SERVICE**\n\n{court}",
    )
    return GeneratedDocument("order", "proposed-order", "Proposed order", pdf, n, text)


def _service(ctx: BuildContext, caption: layout.Caption) -> GeneratedDocument:
    sigs = signing.signatures(ctx.store, ctx.case.id, service=True)
    info = drawn._service(ctx, caption, sigs)
    pdf, n = _draw(info.title, lambda d: d.add_certificate_of_service(info))
    lines = tuple(x for x in (info.attorney_name, info.attorney_ids) if x)
    text = _captioned(
        caption,
        info.title,
        body=info.text + "\n\n" + "\n".join(info.served_on),
        signatures=(_signature(info.signed, lines=lines),),
    )
    label = "Certificate of service"
    return GeneratedDocument("service", "certificate-of-service", label, pdf, n, text)


def declaration(
    store: Store, case_id: int, *, today: dt.date, interview: Interview | None = None
) -> GeneratedDocument:
    """The client's declaration, drafted from its template for the client to
    complete and sign; followed by the certificate of interpretation when the
    client does not read English (``wording.needs_interpretation``)."""
    case = store.get_case(case_id)
    vals = wording.case_values(store, case, today)
    t = wording.template(store, "declaration")
    title = t.filled_title(vals) or f"DECLARATION OF {case.client.name.upper()}"
    body = t.filled(vals)
    cert: layout.InterpretationInfo | None = None
    more: tuple[str, ...] = ()
    if wording.needs_interpretation(case, interview):
        sig = signing.find(signing.signatures(store, case_id), "interpretation", "interpreter")
        name = sig.name if sig else ""
        vals.update(interpreter=name or "_" * 30)
        ct = wording.template(store, "certificate_of_interpretation")
        cert_title = ct.filled_title(vals) or "CERTIFICATE OF INTERPRETATION"
        cert_text = " ".join(wording.drawn_paragraphs(ct, vals))
        cert = layout.InterpretationInfo(cert_text, name, drawn._signed(sig), title=cert_title)
        more = (
            f"# {cert_title}\n\n{ct.filled(vals)}\n\n______________________________\n"
            f"Name: {name or '_' * 30}\nDate: ____________________",
        )
    paragraphs = wording.paragraphs(body)

    def add(d: layout.Drawing) -> None:
        d._new_page()
        y = d._para(
            layout.LEFT, layout.TOP - 10, title, layout.RIGHT - layout.LEFT, SERIF_BOLD, 14, 17, "c"
        )
        y -= 18
        for para in paragraphs:
            if y < layout.BOTTOM + 60:
                d._end_page()
                y = layout.TOP
            y = (
                d._para(
                    layout.LEFT,
                    y,
                    wording.plain(para),
                    layout.RIGHT - layout.LEFT,
                    SERIF,
                    layout.BODY,
                    17,
                )
                - 8
            )
        if y < layout.BOTTOM + 90:
            d._end_page()
            y = layout.TOP
        d._signature(y - 40, case.client.name, ("Declarant",))
        d._end_page()
        if cert is not None:
            d.add_interpretation_certificate(cert)

    pdf, n = _draw(title, add)
    text = DocumentText(
        title=title,
        body=body,
        signatures=(SignatureBlock(lines=(case.client.name, "Declarant")),),
        more_pages=more,
    )
    return GeneratedDocument("declaration", "declaration", "Client's declaration", pdf, n, text)


def generated_documents(
    store: Store,
    case_id: int,
    *,
    today: dt.date,
    options: BuildOptions | None = None,
    interview: Interview | None = None,
) -> list[GeneratedDocument]:
    """Every document pdpacket writes for the case's destination, each alone:
    the cover sheet; the motion and its proposed order (court destinations);
    the certificate of service (when the packet carries one); the client's
    declaration to complete and sign."""
    opts = replace(options or BuildOptions(), build_date=today)
    ctx = builder.start(
        store, case_id, store.data_dir / "documents.pdf", opts, require_exhibits=False
    )
    caption = motion.case_caption(ctx)
    dest = ctx.info.destination
    out = [_cover(ctx, caption)]
    if dest is not None and dest.motion:
        out.append(_motion(ctx, caption))
    if ctx.info.joint_motion or (dest is not None and dest.proposed_order):
        out.append(_order(ctx, caption))
    if ctx.options.certificate_of_service:
        out.append(_service(ctx, caption))
    out.append(declaration(store, case_id, today=today, interview=interview))
    return out
