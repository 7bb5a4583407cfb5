"""Plan notes: how several conditions combine, no-touch areas, cautions, evidence and sources;
every data string escaped."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTextBrowser, QWidget

from bodymap import i18n
from bodymap.i18n import pick, tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name

if TYPE_CHECKING:
    from bodymap.plan_types import Cited, Plan
    from bodymap.widgets.controller import SessionController


class PlanNotes(RetranslatesOnLanguageChange, QTextBrowser):
    """Cautions, no-touch areas, sources and evidence notes; every data string escaped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planNotes")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self._plan: Plan | None = None
        self.retranslate()

    def bind(self, controller: SessionController) -> None:
        controller.planChanged.connect(self.set_plan)
        self.set_plan(controller.plan())

    def set_plan(self, plan: Plan | None) -> None:
        self._plan = plan
        self._render()

    def retranslate(self) -> None:
        a11y_name(self, tr("tab.notes"))
        self._render()

    def _render(self) -> None:
        plan = self._plan
        esc = html.escape
        if plan is None:
            self.setHtml(f"<p>{esc(tr('notes.empty'))}</p>")
            return
        parts = []
        combined = getattr(plan, "combined", ())
        if combined:  # several conditions: which one leads, what each other one changed
            parts.append(f"<h3>{esc(tr('notes.combined'))}</h3><ul>")
            parts += [f"<li>{esc(pick(c.text))}</li>" for c in combined]
            parts.append("</ul>")
        parts.append(f"<h3>{esc(tr('notes.no_touch'))}</h3><ul>")
        parts += [f"<li>{esc(pick(n.text))}</li>" for n in plan.no_touch]
        parts.append("</ul>")
        parts.append(f"<h3>{esc(tr('notes.cautions'))}</h3><ul>")
        for c in (c for c in plan.cautions if c.for_therapist()):
            cite = esc("; ".join(_sources(c)))
            text = esc(c.therapist_text(i18n.language()))
            parts.append(f"<li>{text} <i style='color:#666'>({cite})</i></li>")
        parts.append("</ul>")
        parts.append(f"<h3>{esc(tr('notes.evidence'))}</h3><ul>")
        for c in (c for c in plan.evidence if c.for_therapist()):
            cite = esc("; ".join(_sources(c)))
            text = esc(c.therapist_text(i18n.language()))
            parts.append(f"<li>{text} <i style='color:#666'>({cite})</i></li>")
        parts.append("</ul>")
        parts.append(f"<h3>{esc(tr('notes.sources'))}</h3><ul>")
        parts += [f"<li>{esc(s)}</li>" for s in _sources(plan)]
        parts.append("</ul>")
        parts.append(f"<p><b>{esc(tr('app.disclaimer'))}</b></p>")
        self.setHtml("".join(parts))



def _sources(item: Plan | Cited) -> tuple[str, ...]:
    """A plan's or a note's citations in the interface language: Russian cites the source's
    parts with their Russian headings (``sources_ru``)."""
    if i18n.language() == "ru" and getattr(item, "sources_ru", None):
        return tuple(item.sources_ru)
    return tuple(item.sources)
