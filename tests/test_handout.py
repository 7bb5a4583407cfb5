"""The patient handout: PDF and PNG, English and Russian, blocked plans, fitting,
errors, and the ``bodymap export`` command (in-process and as a subprocess)."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bodymap import cli
from bodymap.errors import UsageError
from bodymap.geometry import load_geometry
from bodymap.handout_text import build_handout, clean_name, format_minutes, zone_names
from bodymap.i18n import tr
from bodymap.library import load_library
from bodymap.plan_state import PlanState, state_words
from bodymap.planner import Cited, Hernia, Profile, Scoliosis, make_plan

ROOT = Path(__file__).resolve().parents[1]
DISCLAIMER_EN = tr("app.disclaimer", "en")
DISCLAIMER_RU = tr("app.disclaimer", "ru")


# ---------------------------------------------------------------------------------------------
# helpers




@pytest.fixture(scope="module")
def plans(library, geometry):
    def plan(**kw):
        return make_plan(Profile(**kw), library, geometry)

    return {
        "hypertension": plan(condition="hypertension"),
        "hernia": plan(condition="hernia", session=5, hernias=(Hernia("L4-L5", "left",
                                                                      "initial"),)),
        "scoliosis": plan(condition="scoliosis", session=4, curves=(Scoliosis("right", 2),)),
        "blocked": plan(condition="hypertension", present=frozenset({"fever"})),
    }


@pytest.fixture
def export(qapp, library, geometry, tmp_path):
    from bodymap.widgets.handout import export_handout

    def run(plan, name: str, **kw) -> Path:
        return export_handout(plan, tmp_path / name, geometry=geometry, library=library, **kw)

    return run


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF, from its bytes: the ``/Type /Page`` objects (not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


def pdf_text(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    out = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def assert_a4_pdf(path: Path, pages: int | None = 1) -> bytes:
    """A whole PDF whose every page is A4 portrait; exactly ``pages`` of them (None: any)."""
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    if pages is not None:
        assert pdf_page_count(data) == pages
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes, "no MediaBox"
    for w, h in boxes:
        assert abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5, (w, h)  # A4
    return data


def assert_one_a4_pdf(path: Path) -> bytes:
    return assert_a4_pdf(path, 1)


# ---------------------------------------------------------------------------------------------
# the words (pure)


def test_text_content_has_steps_course_cautions_sources_and_note(plans, library, geometry):
    h = build_handout(plans["hernia"], geometry=geometry, library=library, lang="en")
    assert h.title == "Intervertebral hernia"
    assert h.session_line == "Session 5 of 10 · Main phase"
    assert [s.number for s in h.steps] == list(range(1, len(plans["hernia"].steps) + 1))
    assert h.steps[0].technique.lower().endswith("stroking")
    assert all(s.minutes.endswith("min") and s.intensity for s in h.steps)
    assert h.total.startswith("In total about")
    assert any(line.startswith("Spine:") for line in h.avoid)
    assert any(line.startswith("Hernia at L4-L5, left side") for line in h.avoid)
    assert any(r.current and r.phase == "main" for r in h.course_rows)
    assert h.sources and all(s for s in h.sources)
    assert h.disclaimer == DISCLAIMER_EN


def test_text_in_russian(plans, library, geometry):
    h = build_handout(plans["hernia"], geometry=geometry, library=library, lang="ru")
    assert h.title == "Межпозвонковая грыжа"
    assert h.disclaimer == DISCLAIMER_RU
    assert "," in format_minutes(2.5, "ru") and format_minutes(3, "ru") == "3 мин"
    assert any(line.startswith("Грыжа на уровне L4-L5, слева") for line in h.avoid)
    assert all(not s.startswith("Part ") for s in h.sources)


def test_blocked_plan_says_so_and_has_no_steps(plans, library, geometry):
    h = build_handout(plans["blocked"], geometry=geometry, library=library, lang="en")
    assert h.blocked and h.steps == ()
    assert h.status_heading == state_words(PlanState.BLOCKED, "patient", "en")
    assert any("temperature" in r for r in h.reasons)


def test_step_lines_use_the_patients_plain_wording(plans, library, geometry):
    """The handout's steps say what the presentation says (bodymap.plain), under the technique's
    name and minutes; no zone jargon in them."""
    from bodymap.plain import plain_caption

    for key in ("hypertension", "hernia", "scoliosis"):
        plan = plans[key]
        for lang in ("en", "ru"):
            h = build_handout(plan, geometry=geometry, library=library, lang=lang)
            assert len(h.steps) == len(plan.steps)
            for line, step in zip(h.steps, plan.steps, strict=True):
                assert line.where == plain_caption(step, library, geometry, lang)
                assert line.head.startswith(f"{line.number}. {line.technique} — ")
                assert line.head.endswith(format_minutes(step.minutes, lang))
                low = line.where.lower()
                for word in ("lumbosacral", "interscapular", "thoracic", "collar zone",
                             "пояснично-крестц", "межлопаточн", "грудной отдел", "воротников"):
                    assert word not in low, (key, lang, line.where)
    h = build_handout(plans["scoliosis"], geometry=geometry, library=library, lang="en")
    assert any(s.where.endswith("to relax the tighter side.") for s in h.steps)
    assert any(s.where.endswith("to strengthen the weaker side.") for s in h.steps)
    assert h.steps[0].where.startswith("Gentle gliding strokes with the palms over your whole back")


def test_zone_names_in_plain_words(geometry):
    assert zone_names(list(geometry.ZONES), geometry, "en") == "The whole back"
    assert zone_names(["collar-left", "collar-right"], geometry, "en") == "Collar zone (both sides)"
    left = [f"{z}-left" for z in geometry.ZONES]
    assert zone_names(left, geometry, "ru") == "Вся спина, левая сторона"
    assert zone_names(["collar", "thoracic"], geometry, "en") == "Collar zone, thoracic zone"


def test_patient_name_is_one_plain_line():
    assert clean_name("  Anna\n\tK.\x00 ") == "Anna K."
    assert clean_name("<b>Anna</b>") == "<b>Anna</b>"  # kept as typed, never interpreted
    assert len(clean_name("x" * 5000)) <= 200


# ---------------------------------------------------------------------------------------------
# PDF and PNG


def test_pdf_is_one_a4_page_with_selectable_text(export, plans, library):
    path = export(plans["hernia"], "hernia.pdf", patient_name="Anna K.")
    assert path.name == "hernia.pdf"
    pages = pdf_page_count(assert_a4_pdf(path, None))
    text = pdf_text(path)
    assert DISCLAIMER_EN in text
    first = plans["hernia"].steps[0]
    name = library.techniques[first.technique].variant(first.variant).name.en
    assert name in text
    assert "For: Anna K." in text
    assert "What to avoid" in text and "Hernia at L4-L5" in text
    if shutil.which("pdfinfo"):  # a second opinion on the page count
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(rf"^Pages:\s+{pages}$", info, re.M)


def test_png_is_a4_at_150_dpi(export, plans):
    from PySide6.QtGui import QColor, QImage

    path = export(plans["scoliosis"], "scoliosis.png")
    image = QImage(str(path))
    assert not image.isNull()
    assert abs(image.width() / image.height() - 210 / 297) < 0.005
    assert abs(image.width() - 1240) <= 2  # 210 mm at 150 dpi
    assert abs(image.dotsPerMeterX() * 0.0254 - 150) < 1
    # the margin is blank paper; the title is set in the ink colour inside the margins
    from bodymap.widgets import map_style as ms

    assert image.pixelColor(20, 20).name() == "#ffffff"
    ink = QColor(ms.TEXT)
    title_band = [image.pixelColor(x, y) for y in range(80, 140) for x in range(80, 600, 2)]
    assert any(max(abs(c.red() - ink.red()), abs(c.green() - ink.green()),
                   abs(c.blue() - ink.blue())) < 20 for c in title_band)


def test_russian_pdf_has_cyrillic_text(export, plans):
    path = export(plans["hypertension"], "ru.pdf", lang="ru", patient_name="Анна Каренина")
    assert_one_a4_pdf(path)
    text = pdf_text(path)
    assert DISCLAIMER_RU in text
    assert "Анна Каренина" in text
    assert "Поглаживание" in text or "поглаживание" in text


def test_blocked_pdf_says_blocked_and_lists_no_steps(export, plans):
    path = export(plans["blocked"], "blocked.pdf")
    assert_one_a4_pdf(path)
    text = pdf_text(path)
    assert state_words(PlanState.BLOCKED, "patient", "en") in text
    assert state_words(PlanState.BLOCKED, "stamp", "en") in text
    assert tr("handout.today", "en") not in text
    assert not re.search(r"\b1\. \w+ stroking —", text)
    assert DISCLAIMER_EN in text


def test_very_long_patient_name_is_shortened_not_the_plan(export, plans):
    name = "Maria-Magdalena " * 300 + "<i>von</i> " + "X" * 3000
    path = export(plans["hypertension"], "long.pdf", patient_name=name)
    assert_one_a4_pdf(path)
    text = pdf_text(path)
    assert DISCLAIMER_EN in text and "…" in text


def test_rich_text_in_name_is_printed_as_typed(export, plans):
    path = export(plans["hypertension"], "rich.pdf", patient_name="<b>Bold</b> &amp; Co")
    assert "<b>Bold</b> &amp; Co" in pdf_text(path)


def test_overflowing_content_goes_on_to_further_pages_and_nothing_is_cut(export, plans):
    """Far more cautions than a page holds: the handout takes more pages (numbered, each A4,
    the title repeated), and every caution is printed whole; nothing ends in "…"."""
    plan = plans["hernia"]
    extra = tuple(
        Cited({"en": f"Extra caution number {i}, long enough to take a line or so of the page.",
               "ru": f"Дополнительная осторожность номер {i}."}, ())
        for i in range(80)
    )
    stuffed = dataclasses.replace(plan, cautions=plan.cautions + extra)
    path = export(stuffed, "stuffed.pdf")
    data = path.read_bytes()
    pages = pdf_page_count(data)
    assert pages >= 2
    text = pdf_text(path)
    for i in range(80):
        assert f"Extra caution number {i}, long enough to take a line or so of the page." in text
    assert DISCLAIMER_EN in text
    assert f"Page {pages} of {pages}" in text
    assert "Intervertebral hernia (continued)" in text
    assert "…" not in text


def test_bad_extension_and_unwritable_place_are_usage_errors(export, plans, tmp_path):
    with pytest.raises(UsageError, match="unknown file type"):
        export(plans["hypertension"], "handout.docx")
    with pytest.raises(UsageError, match="does not exist"):
        export(plans["hypertension"], "no/such/folder/h.pdf")
    (tmp_path / "dir.pdf").mkdir()
    with pytest.raises(UsageError, match="is a folder"):
        export(plans["hypertension"], "dir.pdf")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        export(plans["hypertension"], "file/h.pdf")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_unwritable_system_folder_is_an_io_error(export, plans):
    from bodymap.errors import DataFileError
    from bodymap.widgets.handout import export_handout

    with pytest.raises(DataFileError, match=r"^/proc/bodymap-handout\.pdf: cannot be written"):
        export_handout(plans["hypertension"], "/proc/bodymap-handout.pdf",
                       geometry=load_geometry(), library=load_library())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_folder_is_an_io_error(export, plans, tmp_path):
    from bodymap.errors import DataFileError

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(DataFileError, match="cannot be written"):
            export(plans["hypertension"], "locked/h.pdf")
    finally:
        locked.chmod(0o700)
    assert list(locked.iterdir()) == []  # no temporary file left behind


# ---------------------------------------------------------------------------------------------
# the command line


def test_cli_export_in_process(qapp, tmp_path, capsys):
    out = tmp_path / "cli.pdf"
    code = cli.main([
        "export", "--condition", "hernia", "--session", "5", "--hernia", "L4-L5:left,stage=initial",
        "--lang", "ru", "--patient", "Иван", "--out", str(out),
    ])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.strip() == str(out)
    assert_a4_pdf(out, None)
    assert "Межпозвонковая грыжа" in pdf_text(out)


def test_cli_export_png_with_scoliosis(qapp, tmp_path, capsys):
    out = tmp_path / "s.png"
    code = cli.main(["export", "--condition", "scoliosis", "--scoliosis", "convex=right,grade=2",
                     "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--condition", "hypertension", "--out", "x.txt"], "unknown file type"),
        (["--condition", "no-such-condition", "--out", "x.pdf"], "unknown condition"),
        (["--condition", "hypertension", "--contra", "nope", "--out", "x.pdf"],
         "unknown contraindication"),
        (["--condition", "hernia", "--hernia", "Q9-Q10", "--out", "x.pdf"], "hernia level"),
        (["--condition", "hypertension", "--out", "/no/such/dir/x.pdf"], "does not exist"),
    ],
)
def test_cli_export_errors_are_one_line_exit_2(qapp, tmp_path, capsys, monkeypatch, args,
                                               message):
    monkeypatch.chdir(tmp_path)
    code = cli.main(["export", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("bodymap: error:") and message in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_cli_export_subprocess_headless(tmp_path):
    out = tmp_path / "x.pdf"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", "--condition", "hypertension",
         "--patient", "Anna", "--out", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    assert_one_a4_pdf(out)
    assert DISCLAIMER_EN in pdf_text(out)


# (the printed map's colours: tests/test_map_print.py, against the screen's)


# ---------------------------------------------------------------------------------------------
# audience: the handout is for the patient


def test_handout_shows_patient_texts_only(plans, library, geometry):
    for key in ("hypertension", "hernia", "scoliosis"):
        plan = plans[key]
        for lang in ("en", "ru"):
            h = build_handout(plan, geometry=geometry, library=library, lang=lang)
            for c in plan.cautions:
                shown = any(pick_text(c, lang).rstrip(".") in n for n in h.notes)
                assert shown == (c.audience != "therapist"), (key, lang, c.audience, c.text)
            for e in plan.evidence:
                shown = any(pick_text(e, lang).rstrip(".") in n for n in h.evidence)
                assert shown == (e.audience != "therapist")
            text = h.plain_text()
            assert "The patient lies" not in text and "Пациент лежит" not in text
            assert "prone" not in text and "supine" not in text
    h = build_handout(plans["hernia"], geometry=geometry, library=library, lang="en")
    assert any("lie on your front" in n for n in h.notes)


def pick_text(cited, lang):
    return cited.text[lang]


def test_audience_from_the_plan_when_the_planner_carries_it(plans, library, geometry):
    """The plan's own ``audience`` decides: a therapist-only caution stays off the handout."""
    from bodymap.planner import Cited

    plan = plans["hypertension"]
    hidden = Cited({"en": "Secret", "ru": "Секрет"}, (), audience="therapist")
    plan2 = dataclasses.replace(plan, cautions=(*plan.cautions, hidden))
    h = build_handout(plan2, geometry=geometry, library=library, lang="en")
    assert not any("Secret" in n for n in h.notes)


def test_red_flag_reason_is_in_plain_words(library, geometry):
    plan = make_plan(Profile(condition="back-pain", present=frozenset({"saddle-numbness"})),
                     library, geometry)
    h = build_handout(plan, geometry=geometry, library=library, lang="en")
    assert h.status_heading == state_words(PlanState.REFER, "patient", "en")
    assert h.reasons and not any(r.startswith("Refer") for r in h.reasons)
    h = build_handout(plan, geometry=geometry, library=library, lang="ru")
    assert not any(r.startswith("Срочно направить") for r in h.reasons)


def test_sources_read_well(plans, library, geometry):
    h = build_handout(plans["hernia"], geometry=geometry, library=library, lang="en")
    assert 'Part 4, "Price" (the table of session lengths)' in h.sources
    assert not any(s.startswith("CONTENT.md") for s in h.sources)
    h = build_handout(plans["hernia"], geometry=geometry, library=library, lang="ru")
    # the heading in Russian, not in «» (our rendering, not the source's words)
    assert 'Часть 4 — Цена (таблица длительности сеансов)' in h.sources


def test_two_conditions_keep_the_warning_signs_and_leave_out_therapist_notes(
        export, library, geometry):
    """A patient with lumbosacral osteochondrosis and a hernia: the page never loses the
    warning signs (they come before the general advice that every plan repeats), and carries
    no note on how bodymap combines protocols (therapist matter, in the app)."""
    from bodymap.planner import Hernia, Profile, make_plan

    plan = make_plan(Profile("osteochondrosis-lumbosacral", further=("hernia",), session=5,
                             hernias=(Hernia("L4-L5", "left", "initial"),)), library, geometry)
    for lang in ("en", "ru"):
        path = export(plan, f"two-{lang}.pdf", lang=lang)
        assert_a4_pdf(path, None)
        text = " ".join(pdf_text(path).split())
        warning = {"en": "See a doctor at once, and have no massage, if you notice numbness",
                   "ru": "Немедленно обратитесь к врачу и не приходите на массаж"}[lang]
        assert warning in text, lang
        combined = {"en": "Combining conditions", "ru": "Сочетание заболеваний"}[lang]
        assert combined not in text, lang
