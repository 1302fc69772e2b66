"""The built-in demo case: a fictional client with about ten exhibits,
generated at run time (no real person's data, no committed binaries).

Everything about "Lucía Fernanda Morales Rivas" is invented; the A-number and
receipt numbers use the 555 pattern so they cannot be mistaken for real ones.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, landscape, letter
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


# Sample documents, one call each, read top to bottom: data written as code, so
# it stays one function however many documents the demo grows.
def _write_documents(f: Path) -> None:
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
    transcripts = []
    for year, wages in ((2021, "31,480"), (2022, "33,905"), (2023, "35,112"), (2024, "37,640")):
        transcripts.append(
            [
                "Internal Revenue Service - Tax Return Transcript",
                "",
                f"Tax period ending: Dec. 31, {year}",
                "Taxpayer: LUCI MORA (ITIN 9XX-XX-5550)",
                "Filing status: Head of household     Exemptions: 2",
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
                "Tenant: Lucía Morales Rivas",
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
                "at night. His mother, Ms. Morales, is his sole caregiver.",
                "",
                "Samuel Ortiz, MD, NY license 555-0912",
            ]
        ],
        title="Letter from Treating Physician",
    )
    _pdf(
        f / "i797_receipt_i130.pdf",
        [
            [
                "THE UNITED STATES OF AMERICA - Form I-797C, Notice of Action",
                "",
                "Receipt number: IOE5550123456     Case type: I-130 Petition for Alien Relative",
                "Received date: 11/04/2025     Priority date: 11/04/2025",
                "Petitioner: MORALES, MATEO J (illustration only)",
                "Beneficiary: MORALES RIVAS, LUCIA FERNANDA",
            ]
        ],
        title="Form I-797C Receipt Notice",
        pagesize=landscape(letter),
    )
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
    _photo(f / "volunteer_certificate_photo.jpg")


# The demo case as a manifest: a data literal, one entry per exhibit, so it
# stays one function.
def demo_manifest() -> dict[str, Any]:
    """The demo case's manifest (its files are written by ``write_demo_evidence``)."""
    court, office = _court_and_office()
    return {
        "client": CLIENT,
        "proceedings": {
            "court": court,
            "judge": "Hon. Margaret E. Delgado",
            "hearing_date": "2027-03-15",
            "hearing_type": "master",
            "detained": False,
            "opla_office": office,
            "receipts": ["IOE5550123456"],
            "stage": "proceedings_pending",
            "pd_form": "dismissal",
        },
        "factors": [
            {
                "id": "long_residence",
                "notes": "Respondent has lived in the United States since 2009, and in the "
                "same Jackson Heights apartment since 2016.",
            },
            {
                "id": "family_us_citizen_lpr",
                "notes": "Her son Mateo, 12, is a United States citizen born in Queens.",
            },
            {
                "id": "employment_taxes",
                "notes": "She has worked for Bright Harbor Cleaning Services since 2017, now "
                "as a shift lead, and filed and paid her federal taxes for 2021 to 2024.",
            },
            {
                "id": "community_ties",
                "notes": "She has volunteered every Saturday at the St. Brigid food pantry "
                "since 2022; her pastor, a neighbour and Mateo's teacher wrote for her.",
            },
            {
                "id": "medical_humanitarian",
                "notes": "Mateo has severe persistent asthma, with two hospital admissions in "
                "2024, and she is his sole caregiver.",
            },
            {
                "id": "pending_petition",
                "notes": "An I-130 petition for her was filed on November 4, 2025, and is "
                "pending before USCIS.",
            },
            {
                "id": "criminal_history",
                "notes": "In 2015 she was arrested once, for driving without a license.",
                "explanation": "The charge was dismissed and sealed in January 2016. She has "
                "had no other arrest or charge in the seventeen years she has lived here.",
            },
            {"id": "prior_removal_reentry", "applies": False},
            {"id": "immigration_fraud", "applies": False},
            {"id": "security_concerns", "applies": False},
            {"id": "recent_unlawful_entry", "applies": False},
        ],
        "exhibits": [
            {
                "title": "Passport of Lucía F. Morales Rivas",
                "files": ["passport.pdf"],
                "document_type": "passport",
                "section": "Identity",
                "date": "2019-02-02",
            },
            {
                "title": "Birth certificate of Lucía F. Morales Rivas",
                "files": [
                    {"path": "birth_certificate_translation.pdf", "role": "translation"},
                    "acta_de_nacimiento.pdf",
                ],
                "document_type": "birth_certificate",
                "section": "Identity",
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
                "title": "Form I-797C receipt, I-130 petition",
                "files": ["i797_receipt_i130.pdf"],
                "document_type": "i797_receipt",
                "factor": "pending_petition",
                "section": "Pending petitions",
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
                "date": "2025-10-01",
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
        ],
    }


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
