"""The steps of the walkthrough, in order.

To add a step, write a ``Step`` subclass
and put it in ``STEP_CLASSES``; the sidebar, the Ctrl+<n> shortcuts, the
window's flush-on-close and the screenshots script all follow this list.
"""

from __future__ import annotations

from .base import Step, StepStatus
from .build import BuildStep
from .client import ClientStep
from .documents import DocumentsStep
from .evidence import EvidenceStep
from .exhibits import ExhibitsStep
from .factors import FactorsStep
from .interview import InterviewStep
from .letter import LetterStep
from .review import ReviewStep
from .stage import StageStep

STEP_CLASSES: list[type[Step]] = [
    ClientStep,
    StageStep,
    FactorsStep,
    InterviewStep,
    EvidenceStep,
    ExhibitsStep,
    DocumentsStep,
    LetterStep,
    ReviewStep,
    BuildStep,
]

__all__ = [
    "STEP_CLASSES",
    "BuildStep",
    "ClientStep",
    "DocumentsStep",
    "EvidenceStep",
    "ExhibitsStep",
    "FactorsStep",
    "InterviewStep",
    "LetterStep",
    "ReviewStep",
    "StageStep",
    "Step",
    "StepStatus",
]
