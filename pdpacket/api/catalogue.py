"""The policy catalogue as the window reads it, through the façade."""

from __future__ import annotations

from pdpacket.model import Proceedings
from pdpacket.model.policy import (
    Destination,
    DocumentType,
    FilingDeadline,
    Framework,
    PdForm,
    Place,
    Stage,
)
from pdpacket.policy import catalog, deadlines, destinations


class Catalogue:
    """The policy catalogue as the window reads it: frameworks and their factors,
    stages and PD forms, courts and OPLA offices, document types (read-only)."""

    @staticmethod
    def frameworks() -> tuple[Framework, ...]:
        return catalog.frameworks()

    @staticmethod
    def framework(framework_id: str = "") -> Framework:
        """The framework ``framework_id``, or the default one for ""."""
        return catalog.framework(framework_id)

    @staticmethod
    def stages() -> tuple[Stage, ...]:
        return catalog.stages()

    @staticmethod
    def stage(stage_id: str) -> Stage | None:
        return catalog.stage(stage_id)

    @staticmethod
    def pd_form(form_id: str) -> PdForm | None:
        return catalog.pd_form(form_id)

    @staticmethod
    def form_fits_stage(form_id: str, stage_id: str) -> bool:
        return catalog.form_fits_stage(form_id, stage_id)

    @staticmethod
    def courts() -> tuple[Place, ...]:
        return catalog.courts()

    @staticmethod
    def court(court_id: str) -> Place | None:
        return catalog.court(court_id)

    @staticmethod
    def opla_offices() -> tuple[Place, ...]:
        return catalog.opla_offices()

    @staticmethod
    def document_types() -> tuple[DocumentType, ...]:
        return catalog.document_types()

    @staticmethod
    def destinations() -> tuple[Destination, ...]:
        """Where a request can go: OPLA (e-mail, eService), a court motion (ECAS,
        paper), a joint motion, ERO; each says what goes with it."""
        return destinations.destinations()

    @staticmethod
    def destination(destination_id: str) -> Destination | None:
        return destinations.destination(destination_id)

    @staticmethod
    def filing_deadline(proceedings: Proceedings) -> FilingDeadline | None:
        """The filing deadline before the next hearing (None: no hearing date), as
        the review judges it: binding for a court filing of a non-detained case."""
        return deadlines.filing_deadline(proceedings)
