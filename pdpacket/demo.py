"""The built-in demo case: a fictional client with about fifteen exhibits,
generated at run time (no real person's data, no committed binaries), and the
finished filing pdpacket makes of it.

Everything about "Lucía Fernanda Morales Rivas" is invented; the A-number and
receipt numbers use the 555 pattern so they cannot be mistaken for real ones.

The story is one an attorney could file (each step checked against
../shared/domain.md): she was inspected and admitted as a visitor in 2009 and
stayed; her husband, a U.S. citizen, filed an I-130 petition for her in 2025.
As the spouse of a U.S. citizen she is an immediate relative, so once the
petition is approved she can apply to adjust status under INA 245(a) despite
the overstay; she asks OPLA not to oppose administrative closure (8 CFR
1003.18(c)) while USCIS decides the petition.  Her one arrest (2015, driving
without a license) was dismissed, and the letter says so with the disposition
and her FBI record.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen import canvas

from pdpacket.model import Attorney
from pdpacket.policy import catalog

CLIENT = {
    "name": "Lucía Fernanda Morales Rivas",
    "a_number": "A201-555-014",
    "aliases": ["Lucia Morales"],
    "dob": "1988-04-12",
    "country": "Honduras",
    "language": "Spanish",
}
HUSBAND = "Daniel Alberto Reyes"
# where the request goes: a PD request e-mailed to the OPLA field location
DESTINATION = "opla_email"


def _pdf(
    path: Path, pages: list[list[str]], *, title: str, pagesize: Any = letter, header: str = ""
) -> None:
    c = canvas.Canvas(str(path), pagesize=pagesize, invariant=True)
    c.setTitle(title)
    c.setAuthor("Demo Records Office")  # metadata the packet must not inherit
    w, h = pagesize
    for lines in pages:
        y = h - 90
        if header:
            c.setFont("Helvetica-Bold", 9)
            c.drawString(54, h - 54, header)
        c.setFont("Helvetica-Bold", 15)
        c.drawCentredString(w / 2, y, title)
        y -= 32
        c.setFont("Times-Roman", 12)
        for line in lines:
            if line.startswith("## "):
                c.setFont("Helvetica-Bold", 12)
                c.drawString(72, y, line[3:])
                c.setFont("Times-Roman", 12)
            else:
                c.drawString(72, y, line)
            y -= 17
        c.showPage()
    c.save()


def _letter_of_support(writer: str, relation: str, contact: str, body: list[str]) -> list[str]:
    return [
        "March 3, 2026",
        "",
        "To the Office of the Principal Legal Advisor:",
        "",
        *body,
        "",
        f"I have known Lucía for {relation}. I declare that the above is true and correct.",
        "",
        "Sincerely,",
        "",
        f"/s/ {writer}",
        f"{writer}",
        contact,
    ]


def _photo(path: Path) -> None:
    """A phone photo of a paper certificate: 2016x1512, taken sideways (EXIF 6)."""
    rng = random.Random(7)
    img = Image.new("RGB", (2016, 1512), (118, 96, 78))
    d = ImageDraw.Draw(img)
    d.rectangle((180, 110, 1836, 1400), fill=(246, 243, 232))
    for _ in range(4000):
        x, y = rng.randrange(180, 1836), rng.randrange(110, 1400)
        d.point((x, y), fill=(230, 226, 214))
    try:
        big = ImageFont.truetype("DejaVuSans-Bold.ttf", 64)
        small = ImageFont.truetype("DejaVuSans.ttf", 40)
    except OSError:
        big = small = ImageFont.load_default(size=48)  # type: ignore[assignment]
    d.text((1008, 260), "CERTIFICATE OF APPRECIATION", fill=(40, 40, 90), font=big, anchor="mm")
    d.text((1008, 520), "presented to", fill=(30, 30, 30), font=small, anchor="mm")
    d.text((1008, 640), "Lucía F. Morales Rivas", fill=(20, 20, 20), font=big, anchor="mm")
    d.text(
        (1008, 800),
        "for 300 hours of volunteer service",
        fill=(30, 30, 30),
        font=small,
        anchor="mm",
    )
    d.text(
        (1008, 870),
        "St. Brigid Community Food Pantry, 2022-2025",
        fill=(30, 30, 30),
        font=small,
        anchor="mm",
    )
    d.text(
        (1008, 1150),
        "Rev. Thomas Okafor, Director        Dec. 14, 2025",
        fill=(30, 30, 30),
        font=small,
        anchor="mm",
    )
    # The phone held it sideways: the pixels are stored turned 90 degrees
    # counter-clockwise, and EXIF orientation 6 says "turn 90 clockwise to show".
    rotated = img.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    rotated.save(path, "JPEG", quality=85, exif=exif.tobytes())


def _next_hearing(today: dt.date | None = None) -> dt.date:
    """A master calendar hearing about four months ahead, on a Monday: the demo
    files well before the deadline whatever day it is built."""
    day = (today or dt.date.today()) + dt.timedelta(days=120)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _court_and_office() -> tuple[str, str]:
    court = next((c.id for c in catalog.courts() if "Broadway" in c.name), "")
    if not court:
        court = next((c.id for c in catalog.courts() if c.city == "New York"), "")
    office = next((o.id for o in catalog.opla_offices() if o.city.startswith("New York")), "")
    return court, office


def write_demo_evidence(folder: Path) -> Path:
    """Write the demo evidence files and manifest into ``folder``; return the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_documents(folder)
    path = folder / "case.json"
    path.write_text(json.dumps(demo_manifest(), indent=2, ensure_ascii=False), encoding="utf-8")
    return path


# Sample documents, one call each, read top to bottom: data written as code.
def _write_documents(f: Path) -> None:
    _write_identity(f)
    _write_family_and_petition(f)
    _write_equities(f)
    _write_record(f)
    _photo(f / "volunteer_certificate_photo.jpg")
    _write_g28(f / "g28.pdf")


def _write_identity(f: Path) -> None:
    _pdf(
        f / "passport.pdf",
        [
            [
                "REPÚBLICA DE HONDURAS - PASAPORTE / PASSPORT",
                "",
                "Type: P    Country code: HND    Passport No.: X0000555",
                "Surname: MORALES RIVAS",
                "Given names: LUCÍA FERNANDA",
                "Nationality: HONDUREÑA",
                "Date of birth: 12 APR 1988     Sex: F",
                "Place of birth: SAN PEDRO SULA",
                "Date of issue: 02 FEB 2019     Date of expiry: 01 FEB 2029",
                "",
                "[Copy of the biographic page. The original is kept by the client.]",
            ]
        ],
        title="Passport (copy of biographic page)",
    )
    _pdf(
        f / "acta_de_nacimiento.pdf",
        [
            [
                "REGISTRO NACIONAL DE LAS PERSONAS",
                "CERTIFICACIÓN DE ACTA DE NACIMIENTO",
                "",
                "Nombre: Lucía Fernanda Morales Rivas",
                "Fecha de nacimiento: doce de abril de mil novecientos ochenta y ocho",
                "Lugar: San Pedro Sula, Cortés",
                "Padre: José Antonio Morales",
                "Madre: Ana Rivas de Morales",
                "",
                "Se extiende la presente en San Pedro Sula, a los 5 días de enero de 2019.",
            ]
        ],
        title="Acta de Nacimiento",
        pagesize=A4,
    )
    _pdf(
        f / "birth_certificate_translation.pdf",
        [
            [
                "NATIONAL REGISTRY OF PERSONS",
                "CERTIFICATION OF BIRTH RECORD",
                "",
                "Name: Lucía Fernanda Morales Rivas",
                "Date of birth: the twelfth of April, nineteen eighty-eight",
                "Place: San Pedro Sula, Cortés",
                "Father: José Antonio Morales",
                "Mother: Ana Rivas de Morales",
                "",
                "Issued in San Pedro Sula on January 5, 2019.",
                "[English translation]",
            ]
        ],
        title="Birth Certificate (English translation)",
    )
    _pdf(
        f / "i94_admission_record.pdf",
        [
            [
                "U.S. Customs and Border Protection - Most Recent I-94",
                "",
                "Admission (I-94) Record Number: 555012345A1",
                "Most recent date of entry: 2009 June 12",
                "Class of admission: B2 (visitor for pleasure)",
                "Admit until date: 2009 December 11",
                "Port of entry: JFK - New York, NY",
                "Last/Surname: MORALES RIVAS     First (Given) Name: LUCIA FERNANDA",
                "Birth date: 1988 April 12     Document number: X0000555",
                "Country of citizenship: Honduras",
            ]
        ],
        title="Form I-94 Admission Record",
    )


def _write_family_and_petition(f: Path) -> None:
    _pdf(
        f / "marriage_certificate.pdf",
        [
            [
                "THE CITY OF NEW YORK - OFFICE OF THE CITY CLERK",
                "CERTIFICATE OF MARRIAGE REGISTRATION",
                "",
                f"This is to certify that {HUSBAND}",
                "residing at 88-21 37th Ave, Jackson Heights, NY, born in Newark, New Jersey",
                "and Lucía Fernanda Morales Rivas",
                "residing at 88-21 37th Ave, Jackson Heights, NY, born in Honduras",
                "were married on August 14, 2021, in Queens, New York.",
                "",
                "Marriage license number: M-2021-555-0814     (certified copy)",
            ]
        ],
        title="Certificate of Marriage Registration",
    )
    _pdf(
        f / "husband_us_passport.pdf",
        [
            [
                "UNITED STATES OF AMERICA - PASSPORT",
                "",
                "Type: P    Code: USA    Passport No.: 555098765",
                "Surname: REYES",
                "Given names: DANIEL ALBERTO",
                "Nationality: UNITED STATES OF AMERICA",
                "Date of birth: 03 MAR 1985     Place of birth: NEW JERSEY, U.S.A.",
                "Date of issue: 10 JUN 2020     Date of expiration: 09 JUN 2030",
                "",
                "[Copy of the biographic page of the petitioner's passport.]",
            ]
        ],
        title="U.S. Passport of Daniel A. Reyes (copy)",
    )
    _pdf(
        f / "son_us_birth_certificate.pdf",
        [
            [
                "STATE OF NEW YORK - DEPARTMENT OF HEALTH",
                "CERTIFICATE OF BIRTH",
                "",
                "Child: Mateo José Morales",
                "Date of birth: September 30, 2014     Place: Queens, New York",
                "Mother: Lucía Fernanda Morales Rivas (born Honduras)",
                "",
                "Certified copy, registration number 2014-555-0931",
            ]
        ],
        title="Certificate of Birth - Mateo J. Morales (U.S. citizen son)",
    )
    _pdf(
        f / "i797_receipt_i130.pdf",
        [
            [
                "THE UNITED STATES OF AMERICA",
                "Form I-797C, Notice of Action - RECEIPT",
                "",
                "Receipt number: IOE5550123456",
                "Case type: I-130, Petition for Alien Relative",
                "Received date: 11/04/2025     Priority date: 11/04/2025",
                "Petitioner: REYES, DANIEL A (U.S. citizen)",
                "Beneficiary: MORALES RIVAS, LUCIA FERNANDA",
                "Section: Husband or wife of U.S. citizen, 201(b) INA",
                "",
                "This notice confirms that USCIS received the petition; it grants no status.",
            ]
        ],
        title="Form I-797C Receipt Notice",
    )
    _pdf(
        f / "medical_letter_son_asthma.pdf",
        [
            [
                "Elmhurst Pediatric Associates - 79-01 Broadway, Elmhurst NY - (718) 555-0123",
                "",
                "Re: Mateo José Morales, DOB 09/30/2014",
                "",
                "Mateo has severe persistent asthma with two hospital admissions in 2024.",
                "He needs daily controller medication and an adult who can respond to attacks",
                "at night. His mother, Ms. Morales, brings him to every visit and manages his",
                "treatment plan at home.",
                "",
                "Samuel Ortiz, MD, NY license 555-0912",
            ]
        ],
        title="Letter from Treating Physician",
    )


def _write_equities(f: Path) -> None:
    transcripts = []
    for year, wages in ((2021, "58,240"), (2022, "61,905"), (2023, "64,112"), (2024, "67,640")):
        transcripts.append(
            [
                "Internal Revenue Service - Tax Return Transcript",
                "",
                f"Tax period ending: Dec. 31, {year}",
                "Taxpayers: DANIEL A REYES and LUCIA F MORALES RIVAS (ITIN 9XX-XX-5550)",
                "Filing status: Married filing jointly     Dependents: 1",
                f"Wages, salaries, tips: ${wages}.00",
                "Total tax: filed and paid in full",
                "",
                "This transcript was requested by the taxpayer.",
            ]
        )
    _pdf(
        f / "irs_tax_transcripts_2021-2024.pdf",
        transcripts,
        title="IRS Tax Return Transcripts 2021-2024",
    )
    _pdf(
        f / "employer_letter.pdf",
        [
            _letter_of_support(
                "Karen Whitfield, Operations Manager",
                "eight years as her supervisor",
                "Bright Harbor Cleaning Services LLC, 41-12 Queens Blvd, Sunnyside NY 11104, "
                "(718) 555-0142",
                [
                    "Ms. Morales has worked for Bright Harbor Cleaning Services since",
                    "June 2017, currently as a shift lead, 38 hours a week at $21.50 per hour.",
                    "She is reliable and trusted with keys to our clients' offices.",
                ],
            )
        ],
        title="Employer Letter - Bright Harbor Cleaning Services",
    )
    _pdf(
        f / "lease_and_utility_bills.pdf",
        [
            [
                "Residential Lease Agreement",
                "",
                "Tenant: Lucía Morales Rivas; co-tenant Daniel A. Reyes (added September 2021)",
                "Premises: 88-21 37th Ave, Apt 4B, Jackson Heights, NY 11372",
                "Term: January 1, 2016 - renewed annually through December 31, 2026",
                "Monthly rent: $1,650",
            ],
            [
                "Con Edison - Statement",
                "",
                "Account holder: Lucia Morales",
                "Service address: 88-21 37th Ave Apt 4B",
                "Statement dates: 2016-2025 (summary)",
            ],
            [
                "National Grid - Statement",
                "",
                "Account holder: Lucia Morales",
                "Service address: 88-21 37th Ave Apt 4B",
                "Statement date: October 2025",
            ],
        ],
        title="Lease and Utility Bills 2016-2025",
    )
    _pdf(
        f / "letters_of_support.pdf",
        [
            _letter_of_support(
                "Rev. Thomas Okafor",
                "ten years through St. Brigid parish",
                "St. Brigid Church, Queens NY, (718) 555-0110, U.S. citizen",
                [
                    "Lucía has volunteered every Saturday at our food pantry.",
                    "She organised winter-coat drives for newly arrived families.",
                ],
            ),
            _letter_of_support(
                "Denise Carter",
                "six years as her neighbour",
                "88-21 37th Ave Apt 3A, Jackson Heights NY, (347) 555-0199, U.S. citizen",
                [
                    "She looked after my mother after her stroke in 2021,",
                    "without being asked and without pay.",
                ],
            ),
            _letter_of_support(
                "Ms. Priya Raman, 4th-grade teacher",
                "five years",
                "P.S. 555 Queens, (718) 555-0177",
                [
                    "Mateo's mother comes to every parent conference.",
                    "Mateo is an excellent student and depends on her.",
                ],
            ),
        ],
        title="Letters of Support",
    )


def _write_record(f: Path) -> None:
    _pdf(
        f / "certified_disposition_2015.pdf",
        [
            [
                "CRIMINAL COURT OF THE CITY OF NEW YORK, COUNTY OF QUEENS",
                "CERTIFICATE OF DISPOSITION",
                "",
                "People v. Lucia Morales     Docket No. 2015QN555014",
                "Arrest date: 08/14/2015     Charge: VTL 511(1)(a) unlicensed operation",
                "Disposition: 01/22/2016 - DISMISSED, sealed under CPL 160.50",
                "",
                "Certified by the Clerk of the Court.",
            ]
        ],
        title="Certificate of Disposition",
    )
    _pdf(
        f / "fbi_identity_history_summary.pdf",
        [
            [
                "U.S. Department of Justice - Federal Bureau of Investigation",
                "Criminal Justice Information Services Division",
                "IDENTITY HISTORY SUMMARY",
                "",
                "Name: MORALES RIVAS, LUCIA F     Date of birth: 1988-04-12",
                "Response date: 2025-10-20",
                "",
                "1. Arrested 2015-08-14, NYPD Queens: VTL 511(1)(a), unlicensed operation",
                "   Court disposition 2016-01-22: dismissed",
                "",
                "No other arrest is recorded.",
            ]
        ],
        title="FBI Identity History Summary",
    )


def _write_g28(path: Path) -> None:
    """A facsimile of the signed appearance form (the real one is the USCIS form)."""
    a = DEMO_ATTORNEY
    _pdf(
        path,
        [
            [
                "Notice of Entry of Appearance as Attorney or Accredited Representative",
                "DHS Form G-28 (facsimile for the pdpacket demo)",
                "",
                "## Part 1. Attorney",
                f"Name: {a.name}     Bar number: {a.bar_number}",
                f"Firm: {a.firm}",
                f"Address: {a.address.replace(chr(10), ', ')}",
                f"Phone: {a.phone}     E-mail: {a.email}",
                "",
                "## Part 2. Appearance",
                "Before ICE: Office of the Principal Legal Advisor, New York City",
                "Matter: request for prosecutorial discretion",
                "",
                "## Part 3. Client",
                f"Name: {CLIENT['name']}     A-number: {CLIENT['a_number']}",
                "Address: 88-21 37th Ave, Apt 4B, Jackson Heights, NY 11372",
                "",
                "## Part 4. Client's consent",
                f"Signature of client: /s/ {CLIENT['name']}     Date: 11/20/2025",
                "",
                "## Part 5. Attorney's signature",
                f"Signature of attorney: /s/ {a.name}     Date: 11/20/2025",
            ]
        ],
        title="Form G-28",
    )


# The demo case as a manifest: a data literal, one entry per exhibit, so it
# stays one function.
# The demo's interview (the Story step), as the attorney answered it; the
# arrest's "exhibits" are places in the manifest's exhibit list (14: the
# certificate of disposition, 15: the FBI Identity History Summary).
INTERVIEW: dict[str, Any] = {
    "pronouns": "she",
    "surname": "Morales Rivas",
    "reads_english": False,
    "entry": {
        "date": "2009-06-12",
        "place": "New York",
        "manner": "visa_overstay",
    },
    "residence_since": "2009-06-12",
    "charges": [
        {
            "section": "INA 237(a)(1)(B)",
            "text": "remained in the United States for a time longer than permitted",
        }
    ],
    "status_path": {
        "kind": "i130_spouse_usc",
        "basis": "INA 201(b)(2)(A)(i) and INA 245(a)",
        "details": "Because she was inspected and admitted in 2009, she may adjust status "
        "under INA 245(a) without leaving the United States once the petition is approved.",
    },
    "relatives": [
        {"relation": "spouse", "name": HUSBAND, "status": "usc", "born": "1985-03-03"},
        {"relation": "son", "name": "Mateo", "status": "usc", "born": "2014-09-30"},
    ],
    "family": f"She married {HUSBAND}, a United States citizen by birth, in Queens on "
    "August 14, 2021, and they live in Jackson Heights with Mateo.",
    "employer": "Bright Harbor Cleaning Services",
    "occupation": "a shift lead",
    "work_since": "2017",
    "work": "She and her husband filed and paid their joint federal taxes for 2021 to 2024.",
    "health": "Mateo has severe persistent asthma, with two hospital admissions in 2024; she "
    "manages his daily treatment and brings him to every medical visit.",
    "community": "She has volunteered every Saturday at the St. Brigid food pantry since "
    "2022, and her pastor, a neighbour and Mateo's teacher wrote letters for her.",
    "arrests": [
        {
            "date": "2015-08-14",
            "place": "Queens, New York",
            "charge": "unlicensed operation of a motor vehicle (VTL 511(1)(a))",
            "level": "",
            "disposition": "dismissed",
            "disposition_date": "2016-01-22",
            "sentence": "",
            "completed": "",
            "since": "She has had no other arrest in the seventeen years she has lived here, "
            "as her FBI Identity History Summary shows.",
            "exhibits": [14, 15],
        }
    ],
}


def demo_manifest() -> dict[str, Any]:
    """The demo case's manifest (its files are written by ``write_demo_evidence``)."""
    court, office = _court_and_office()
    return {
        "client": CLIENT,
        "proceedings": {
            "court": court,
            "judge": "Hon. Margaret E. Delgado",
            "hearing_date": _next_hearing().isoformat(),
            "hearing_type": "master",
            "detained": False,
            "opla_office": office,
            "receipts": ["IOE5550123456"],
            "stage": "petition_pending",
            "pd_form": "administrative_closure",
            "framework": "general",
        },
        "factors": [
            {
                "id": "long_residence",
                "notes": "Respondent was admitted to the United States at New York on June 12, "
                "2009, and has lived here ever since, in the same Jackson Heights apartment "
                "since 2016.",
            },
            {
                "id": "family_us_citizen_lpr",
                "notes": f"Her husband, {HUSBAND}, is a United States citizen by birth; they "
                "married in Queens on August 14, 2021. Her son Mateo, 12, is a United States "
                "citizen born in Queens.",
            },
            {
                "id": "pending_petition",
                "notes": "On November 4, 2025, her husband filed Form I-130 for her as the "
                "spouse of a United States citizen, and it is pending before USCIS. Because "
                "she was inspected and admitted in 2009, she is an immediate relative who may "
                "apply to adjust status under INA 245(a) once the petition is approved, "
                "without leaving the United States.",
            },
            {
                "id": "employment_taxes",
                "notes": "She has worked for Bright Harbor Cleaning Services since 2017, now "
                "as a shift lead, and she and her husband filed and paid their joint federal "
                "taxes for 2021 to 2024.",
            },
            {
                "id": "community_ties",
                "notes": "She has volunteered every Saturday at the St. Brigid food pantry "
                "since 2022; her pastor, a neighbour and Mateo's teacher wrote for her.",
            },
            {
                "id": "medical_humanitarian",
                "notes": "Mateo has severe persistent asthma, with two hospital admissions in "
                "2024; she manages his daily treatment and brings him to every visit.",
            },
            {
                "id": "criminal_history",
                "notes": "In August 2015 she was arrested once, for driving without a license.",
                "explanation": "The arrest was for driving without a license, not for "
                "dangerous driving: no accident, injury or alcohol was involved, and the "
                "dismissed charge was sealed.",
            },
            {"id": "prior_removal_reentry", "applies": False},
            {"id": "immigration_fraud", "applies": False},
            {"id": "security_concerns", "applies": False},
            {"id": "recent_unlawful_entry", "applies": False},
        ],
        "interview": INTERVIEW,
        "appearance": "g28.pdf",
        "exhibits": [
            {
                "title": "Passport of Lucía F. Morales Rivas",
                "files": ["passport.pdf"],
                "document_type": "passport",
                "section": "Identity and admission",
                "date": "2019-02-02",
            },
            {
                "title": "Birth certificate of Lucía F. Morales Rivas",
                "files": [
                    {"path": "birth_certificate_translation.pdf", "role": "translation"},
                    "acta_de_nacimiento.pdf",
                ],
                "document_type": "birth_certificate",
                "section": "Identity and admission",
                "language": "Spanish",
                "date": "2019-01-05",
                "translator": {
                    "name": "Rosa Elvira Campos",
                    "address": "55 Court St, Brooklyn NY 11201",
                    "phone": "(718) 555-0160",
                    "language": "Spanish",
                },
            },
            {
                "title": "Form I-94 admission record (B-2, June 12, 2009)",
                "files": ["i94_admission_record.pdf"],
                "document_type": "i94",
                "factors": ["long_residence", "pending_petition"],
                "section": "Identity and admission",
                "date": "2009-06-12",
            },
            {
                "title": "Marriage certificate of Lucía F. Morales Rivas and Daniel A. Reyes",
                "files": ["marriage_certificate.pdf"],
                "document_type": "marriage_certificate",
                "factor": "family_us_citizen_lpr",
                "section": "Family ties",
                "date": "2021-08-14",
            },
            {
                "title": "U.S. passport of husband Daniel A. Reyes",
                "files": ["husband_us_passport.pdf"],
                "document_type": "relative_us_passport",
                "factor": "family_us_citizen_lpr",
                "section": "Family ties",
                "date": "2020-06-10",
            },
            {
                "title": "U.S. birth certificate of son Mateo J. Morales",
                "files": ["son_us_birth_certificate.pdf"],
                "document_type": "birth_certificate",
                "factor": "family_us_citizen_lpr",
                "section": "Family ties",
                "date": "2014-10-06",
            },
            {
                "title": "Letter from Mateo's physician (severe asthma)",
                "files": ["medical_letter_son_asthma.pdf"],
                "document_type": "doctor_letter",
                "factor": "medical_humanitarian",
                "section": "Family ties",
                "date": "2026-02-18",
            },
            {
                "title": "Form I-797C receipt, I-130 petition filed by Daniel A. Reyes",
                "files": ["i797_receipt_i130.pdf"],
                "document_type": "i797_receipt",
                "factor": "pending_petition",
                "section": "Pending petition",
                "date": "2025-11-04",
            },
            {
                "title": "IRS tax return transcripts 2021-2024",
                "files": ["irs_tax_transcripts_2021-2024.pdf"],
                "document_type": "tax_transcript",
                "factor": "employment_taxes",
                "section": "Employment and taxes",
                "date": "2025-05-01",
            },
            {
                "title": "Employer letter, Bright Harbor Cleaning Services",
                "files": ["employer_letter.pdf"],
                "document_type": "employer_letter",
                "factor": "employment_taxes",
                "section": "Employment and taxes",
                "date": "2026-03-03",
            },
            {
                "title": "Lease and utility bills 2016-2025",
                "files": ["lease_and_utility_bills.pdf"],
                "document_type": "lease",
                "factor": "long_residence",
                "section": "Residence",
                "date": "2016-03-01",
                "date_end": "2025-10-01",
            },
            {
                "title": "Letters of support (pastor, neighbour, teacher)",
                "files": ["letters_of_support.pdf"],
                "document_type": "letter_of_support",
                "factor": "community_ties",
                "section": "Community ties",
                "date": "2026-03-03",
            },
            {
                "title": "Certificate of appreciation, St. Brigid food pantry (photo)",
                "files": ["volunteer_certificate_photo.jpg"],
                "document_type": "volunteer_certificate",
                "factor": "community_ties",
                "section": "Community ties",
                "date": "2025-12-14",
            },
            {
                "title": "Certificate of disposition, Queens Criminal Court (dismissed)",
                "files": ["certified_disposition_2015.pdf"],
                "document_type": "certified_disposition",
                "factor": "criminal_history",
                "section": "Criminal history",
                "date": "2016-01-22",
            },
            {
                "title": "FBI Identity History Summary",
                "files": ["fbi_identity_history_summary.pdf"],
                "document_type": "fbi_identity_history",
                "factor": "criminal_history",
                "section": "Criminal history",
                "date": "2025-10-20",
            },
        ],
    }


# What the attorney wrote in the demo's letter where the draft asks for it, by the
# start of the placeholder: {cite:TITLE} cites the exhibit with that title.  The
# interview tells the story, so the demo's draft has none left; kept for a
# firm's template that still asks for the story.
LETTER_WRITING = {
    "Tell the client's story": (
        "Respondent came to the United States from Honduras in 2009, at twenty-one. See "
        "{cite:Form I-94 admission record (B-2, June 12, 2009)}."
    ),
}
# The attorney's own words in the demo's letter: (the draft's sentence, theirs).
LETTER_EDITS = (
    (
        "Thank you for considering this request.",
        "Thank you for considering this request; Respondent will keep attending every "
        "hearing while USCIS decides the petition.",
    ),
)


def complete_letter(text: str, exhibit_ids: Mapping[str, int]) -> str:
    """The demo's draft with every ``[[...]]`` written as the attorney would:
    ``exhibit_ids`` maps exhibit titles to ids for the citations.  A placeholder
    the demo has no writing for is left (and the review reports it)."""

    def cite(match: re.Match[str]) -> str:
        return f"{{{{cite:{exhibit_ids[match[1]]}}}}}"

    def write(match: re.Match[str]) -> str:
        body = match[1]
        for start, writing in LETTER_WRITING.items():
            if body.startswith(start):
                return re.sub(r"\{cite:([^{}]+)\}", cite, writing)
        return match[0]

    done = re.sub(r"\[\[(.*?)\]\]", write, text, flags=re.S)
    for draft, edit in LETTER_EDITS:
        done = done.replace(draft, edit)
    return done


# The attorney on the demo packet's cover (only in the throw-away workspace of
# `pdpacket demo`; a real workspace keeps the attorney the user entered).
DEMO_ATTORNEY = Attorney(
    name="Daniela R. Ocampo, Esq.",
    firm="Ocampo Immigration Law PLLC (fictional)",
    address="125 Court Street, Suite 555\nBrooklyn, NY 11201",
    phone="(718) 555-0100",
    email="docampo@example.com",
    bar_number="NY 5550123",
    eoir_id="ZZ555123",
)
