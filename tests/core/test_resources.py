"""The policy data in resources/ is complete and consistent."""

from pdpacket.model import Polarity
from pdpacket.policy import catalog

REQUIRED_GENERAL = {
    "long_residence",
    "family_us_citizen_lpr",
    "pending_petition",
    "employment_taxes",
    "education",
    "community_ties",
    "medical_humanitarian",
    "military_service",
    "victim_witness",
    "age",
    "caregiver",
    "criminal_history",
    "prior_removal_reentry",
    "immigration_fraud",
    "security_concerns",
    "recent_unlawful_entry",
}


def test_default_framework_has_the_case_by_case_factors():
    fw = catalog.framework()
    assert fw.default and fw.in_force_to is None
    assert {f.id for f in fw.factors} >= REQUIRED_GENERAL
    assert all(f.help and f.label for f in fw.factors)
    assert {f.id for f in fw.negative} >= {"criminal_history", "prior_removal_reentry"}


def test_historical_framework_has_dates_and_priorities():
    fw = catalog.framework("dhs-2021-opla-2022")
    assert fw.id == "dhs-2021-opla-2022" and not fw.default
    assert fw.in_force_from.startswith("2021") and fw.in_force_to == "2025-01-20"
    assert len(fw.priorities) == 3
    assert fw.positive and fw.negative


def test_factor_document_types_exist():
    known = {d.id for d in catalog.document_types()}
    for fw in catalog.frameworks():
        for f in fw.factors:
            assert set(f.document_types) <= known, (fw.id, f.id)
            assert f.polarity in (Polarity.POSITIVE, Polarity.NEGATIVE)


def test_every_stage_names_known_forms():
    forms = {f.id for f in catalog.pd_forms()}
    for s in catalog.stages():
        assert s.forms and set(s.forms) <= forms, s.id
    assert catalog.form_fits_stage("dismissal", "proceedings_pending")
    assert not catalog.form_fits_stage("dismissal", "final_order")
    assert catalog.pd_form("joint_motion_reopen").hook == "8 CFR 1003.23(b)(4)(iv)"


def test_courts_and_offices_are_data_with_blank_unknown_emails():
    courts = catalog.courts()
    offices = catalog.opla_offices()
    assert len(courts) > 60
    assert len({c.id for c in courts}) == len(courts)
    assert len(offices) >= 20
    assert all(c.name and c.state for c in courts)


def test_document_type_guess_from_file_name():
    assert catalog.guess_document_type("acta de nacimiento.pdf").id == "birth_certificate"
    assert catalog.guess_document_type("W2_2023.pdf").id == "w2"
    assert catalog.guess_document_type("zzzz.pdf") is None
