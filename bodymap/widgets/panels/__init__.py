"""The side panel (condition and patient); the screening checklist; the status banner; the
steps table and the plan notes. ``from bodymap.widgets.panels import X`` finds each of them."""

from bodymap.vocabulary import zone_name
from bodymap.widgets.panels.banner import BANNER_STYLES, StatusBanner
from bodymap.widgets.panels.checklist import ScreeningChecklist
from bodymap.widgets.panels.common import (
    ACTION_COLORS,
    HERNIA_SIDE_CHOICES,
    _text,
    direction_name,
    plain_label,
    plan_title,
    technique_name,
    zones_text,
)
from bodymap.widgets.panels.notes import PlanNotes
from bodymap.widgets.panels.patient import PatientPanel
from bodymap.widgets.panels.steps import StepsPane, StepsTable

__all__ = [
    "ACTION_COLORS",
    "BANNER_STYLES",
    "HERNIA_SIDE_CHOICES",
    "PatientPanel",
    "PlanNotes",
    "ScreeningChecklist",
    "StatusBanner",
    "StepsPane",
    "StepsTable",
    "_text",
    "direction_name",
    "plain_label",
    "plan_title",
    "technique_name",
    "zone_name",
    "zones_text",
]
