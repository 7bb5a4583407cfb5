import pytest

from bodymap.timeline import SessionTimeline


@pytest.fixture
def line():
    return SessionTimeline.from_minutes([3, 2, 5])


def test_locate_finds_the_step_and_the_fraction_within_it(line):
    assert line.total == 10
    assert line.starts == (0.0, 3.0, 5.0)
    assert line.locate(0) == (0, 0.0)
    assert line.locate(1.5) == (0, 0.5)
    assert line.locate(3.0) == (1, 0.0)
    assert line.locate(9.0) == (2, pytest.approx(0.8))
    assert line.locate(99) == (2, 1.0)
    assert line.locate(-5) == (0, 0.0)


def test_next_and_previous_step_starts(line):
    assert line.next_start(1.0) == 3.0
    assert line.next_start(6.0) == 10.0
    assert line.previous_start(4.0) == 3.0  # well into step 2: back to its start
    assert line.previous_start(3.0) == 0.0  # at its start: to the step before
    assert line.previous_start(0.0) == 0.0


def test_empty_timeline():
    empty = SessionTimeline.from_minutes([])
    assert empty.total == 0 and empty.locate(1) == (-1, 0.0) and empty.start_of(3) == 0.0


# -- a block's label fits its block (issue 20, point 4) ----------------------------------------


def _width(text: str) -> float:
    """A monospaced measure: 10 units a character, one line at a time."""
    return 10.0 * max(len(line) for line in text.split("\n"))


def test_a_label_that_fits_stays_whole():
    from bodymap.timeline import fit_label

    assert fit_label("Light stroking", 200, _width) == "Light stroking"


def test_a_long_label_wraps_then_is_elided_never_wider_than_its_block():
    from bodymap.timeline import ELLIPSIS, fit_label

    assert fit_label("Кругообразное растирание", 140, _width) == "Кругообразное\nрастирание"
    cut = fit_label("Пиление (зигзагообразное растирание ребром ладони)", 120, _width)
    assert cut.split("\n")[0] == "Пиление" and cut.endswith(ELLIPSIS)
    assert len(cut.split("\n")) == 2
    for room in range(0, 300, 7):
        fitted = fit_label("Пиление (зигзагообразное растирание ребром ладони)", room, _width)
        assert fitted == "" or _width(fitted) <= room
    assert fit_label("Kneading", 5, _width) == ""  # not even "…": the tooltip names it
