"""The course report PDF (``patients export ID --pdf``), read back with pdftotext in English
and Russian: the patient, the chart's words, every visit with what was changed against the
plan, addenda beside the original, the first and last visit's maps; long courses paginate."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bodymap.cli import main

pytestmark = [
    pytest.mark.skipif(shutil.which("pdftotext") is None,
                       reason="poppler's pdftotext is not installed"),
    pytest.mark.usefixtures("qapp"),  # the painter's fonts need a (widgets) application
]

PATIENT = {
    "format": "bodymap-patient", "version": 1,
    "patient": {"name": "Анна Королёва", "birth_year": 1968,
                "conditions": ["osteochondrosis-lumbosacral", "hypertension"],
                "findings": {"hernia": {"level": "L4-L5", "side": "left"}}},
    "visits": [
        {"date": "2025-03-04T10:30:00+03:00", "session": 1, "pain_before": 7, "pain_after": 5,
         "notes": "first visit", "pain_points": [[250, 640]], "lesions": ["collar-left"],
         "reaction": "relaxed", "soap": {"subjective": "low back pain after work"}},
        {"date": "2025-03-06", "session": 2, "pain_before": 6, "pain_after": 4, "notes": "",
         "pain_points": [], "steps": [{"step": 3, "technique": "kneading",
                                       "outcome": "shortened", "reason": "tender"}]},
        {"date": "2025-03-10", "session": 3, "pain_before": 4, "pain_after": 2, "notes": "",
         "pain_points": [[300, 620]], "signed": "2025-03-10T12:00:00+03:00",
         "steps": [{"step": 5, "technique": "vibration", "outcome": "skipped",
                    "reason": "patient tired"}],
         "addenda": [{"date": "2025-03-11", "section": "pain_after",
                      "text": "pain after was 3"}]},
    ],
}


def text_of(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60)
    return " ".join(done.stdout.split())  # words as read, whatever the layout


def export(tmp_path: Path, capsys, data: dict, lang: str) -> Path:
    db = str(tmp_path / "r.sqlite")
    src = tmp_path / "p.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if not (tmp_path / "r.sqlite").exists():
        assert main(["patients", "import", str(src), "--db", db]) == 0
    out = tmp_path / f"course-{lang}.pdf"
    assert main(["patients", "export", "1", "--pdf", "--out", str(out), "--lang", lang,
                 "--db", db]) == 0
    printed, err = capsys.readouterr()
    assert printed.strip().endswith(str(out)) and "error" not in err
    return out


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Course report", "Анна Королёва, born 1968",
            "Osteochondrosis, lumbosacral; Hypertension", "3 visits, 4 Mar 2025 to 10 Mar 2025",
            "Pain before and after each visit (0–10 numeric rating scale)", "before", "after",
            "a step shortened or skipped", "Where it hurt: the first and the last visit",
            "4 Mar 2025, session 1: pain 7 → 5", "10 Mar 2025, session 3: pain 4 → 2",
            "Kneading shortened (tender)", "Vibration skipped (patient tired)",
            "Reaction: relaxed", "first visit", "S: low back pain after work",
            "Addendum 11 Mar 2025: pain after was 3", "signed 10 Mar 2025", "not signed",
            "it is not a diagnosis", "page 1 of 2", "page 2 of 2"]),
    ("ru", ["Отчёт о курсе", "Анна Королёва, год рождения 1968",
            "3 визита, с 4 марта 2025 по 10 марта 2025",
            "Боль до и после каждого визита (числовая шкала 0–10)",
            "шаг сокращён или пропущен", "Где болело: первый и последний визит",
            "4 марта 2025, сеанс 1: боль 7 → 5", "Разминание: сокращено (tender)",
            "Вибрация: пропущено (patient tired)", "Реакция: relaxed",
            "Жалобы: low back pain after work", "Дополнение 11 марта 2025: pain after was 3",
            "подписано 10 марта 2025", "это не диагноз", "страница 2 из 2"]),
])
def test_the_course_report_reads_back_in_both_languages(tmp_path: Path, capsys, lang: str,
                                                       words: list[str]) -> None:
    text = text_of(export(tmp_path, capsys, PATIENT, lang))
    missing = [w for w in words if " ".join(w.split()) not in text]
    assert not missing, text


def test_a_course_without_visits_prints_one_page(tmp_path: Path, capsys) -> None:
    data = dict(PATIENT, visits=[])
    pdf = export(tmp_path, capsys, data, "en")
    text = text_of(pdf)
    assert "No visits recorded yet." in text and "page 1 of 1" in text


def test_a_long_course_continues_on_further_pages(tmp_path: Path, capsys) -> None:
    visit = dict(PATIENT["visits"][0], lesions=[], notes="a longer note " * 12)
    visits = [dict(visit, date=f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}", session=1 + i % 10)
              for i in range(60)]
    pdf = export(tmp_path, capsys, dict(PATIENT, visits=visits), "en")
    text = text_of(pdf)
    total = text.count("page 1 of ")
    assert total == 1
    pages = int(text.split("page 1 of ")[1].split()[0])
    assert pages >= 4 and f"page {pages} of {pages}" in text
    assert text.count("not signed") == 60  # every visit listed, none lost between pages


def test_the_report_file_is_owner_only_and_refuses_other_types(tmp_path: Path,
                                                                capsys) -> None:
    import stat

    pdf = export(tmp_path, capsys, PATIENT, "en")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    assert main(["patients", "export", "1", "--pdf", "--out", str(tmp_path / "x.png"),
                 "--db", str(tmp_path / "r.sqlite")]) == 2
