"""The screening checklist's colours: each question's marker says its action, an answer shows."""

from __future__ import annotations

from PySide6.QtGui import QColor

from bodymap.library import load_library
from bodymap.screening import checklist
from bodymap.widgets.panels.checklist import ScreeningChecklist
from bodymap.widgets.panels.common import ACTION_COLORS


def _shown(qtbot) -> ScreeningChecklist:
    widget = ScreeningChecklist()
    qtbot.addWidget(widget)
    widget.set_contraindications(list(checklist(load_library().contraindications)))
    widget.resize(420, 1600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_each_marker_shows_its_actions_colour(qtbot) -> None:
    widget = _shown(qtbot)
    seen = set()
    for q in widget.questions.values():
        image = q.marker.grab().toImage()
        colour = QColor(image.pixel(image.width() // 2, image.height() // 2))
        assert colour.name() == ACTION_COLORS[q.contra.action], q.contra.id
        seen.add(q.contra.action)
    assert {"block", "postpone"} <= seen


def test_a_checked_answer_is_coloured_and_an_unchecked_one_is_not(qtbot) -> None:
    widget = _shown(qtbot)
    q = next(iter(widget.questions.values()))
    plain = q.yes.grab().toImage()
    q.yes.click()
    yes = q.yes.grab().toImage()
    q.no.click()
    no = q.no.grab().toImage()

    def tint(image) -> str:
        """The tint of the button's most common colour (its background, around the text):
        red for yes, green for no (the style shades the checked colour a little)."""
        from collections import Counter

        rgb = Counter(image.pixel(x, y) for x in range(image.width())
                      for y in range(image.height())).most_common(1)[0][0]
        c = QColor(rgb)
        if c.red() > c.green() + 15:
            return "red"
        return "green" if c.green() > c.red() + 15 else "grey"

    assert tint(yes) == "red"
    assert tint(no) == "green"
    assert tint(plain) == "grey"
    assert q.answer() is False
