"""Export study cards as an Anki deck package (.apkg), with pictures of the map (pure).

Built with ``genanki`` (see pyproject.toml for why). One note per drill, in one language:
the question (with the map as the question shows it, for map questions), and on the back the
answer (with the map showing it), the explanation and the sources. Notes keep a stable GUID
per drill and language, so importing a newer export updates the cards instead of doubling
them, and the student's Anki reviews are kept.

The pictures come from a callback (``images(drill, lang) -> (question_png, answer_png)``):
the Qt side renders them offscreen (:mod:`bodymap.widgets.study.anki_media`); this module
never imports Qt. The package is assembled in a private temporary folder (genanki's own
``write_to_file`` would leave its temporary database behind in the system's temp folder),
checked, and written atomically (:mod:`bodymap.safeio`).
"""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bodymap.drill_base import Drill
from bodymap.i18n import pick, tr
from bodymap.safeio import atomic_write_bytes

__all__ = ["AnkiExport", "Images", "export_apkg", "note_fields"]

#: (question picture, answer picture) as PNG bytes, either None
Images = Callable[[Drill, str], tuple[bytes | None, bytes | None]]

_CSS = """.card { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 19px;
  text-align: left; color: #2b2b2b; background: #fffdf8; }
.kind { color: #6b625b; font-size: 14px; text-transform: uppercase; letter-spacing: 0.05em; }
.answer { font-weight: bold; color: #1d7a3a; }
.why { margin-top: 0.6em; }
.src { margin-top: 0.6em; color: #6b625b; font-size: 14px; }
img { max-width: 100%; height: auto; }
ol, ul { margin-top: 0.3em; }"""
_FRONT = ('<div class="kind">{{Kind}}</div><div>{{Question}}</div>'
          "{{#QuestionImage}}<div>{{QuestionImage}}</div>{{/QuestionImage}}")
_BACK = ('{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
         "{{#AnswerImage}}<div>{{AnswerImage}}</div>{{/AnswerImage}}"
         '<div class="why">{{Explanation}}</div><div class="src">{{Sources}}</div>')
FIELDS = ("Question", "QuestionImage", "Answer", "AnswerImage", "Explanation", "Sources", "Kind",
          "Topic")


@dataclass(frozen=True)
class AnkiExport:
    path: Path
    notes: int
    media: int


def _id(text: str) -> int:
    """A stable id in genanki's range for models and decks."""
    return (1 << 30) + zlib.crc32(text.encode("utf-8")) % (1 << 30)


def _lines(items: Iterable[str], ordered: bool) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + f"</{tag}>"


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def media_name(drill: Drill, side: str, lang: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", drill.id.lower()).strip("-")
    return f"bodymap-{slug}-{side}-{lang}.png"


def note_fields(drill: Drill, lang: str, question_image: str = "",
                answer_image: str = "") -> list[str]:
    """The note's fields (HTML: every text from the data escaped) in :data:`FIELDS` order."""
    question = _text(pick(drill.prompt, lang))
    answer = _text(pick(drill.answer_text, lang))
    if drill.kind == "order":
        question += _lines((pick(o.label, lang) for o in drill.shuffled_options()), False)
        by_id = {o.id: o for o in drill.options}
        answer = _lines((pick(by_id[i].label, lang) for i in drill.order), True)
    elif drill.options:
        question += _lines((pick(o.label, lang) for o in drill.options), False)
    sources = tr("study.source", lang, sources="; ".join(pick(s, lang) for s in drill.sources))
    img = '<img src="{}">'
    return [
        question,
        img.format(html.escape(question_image)) if question_image else "",
        answer,
        img.format(html.escape(answer_image)) if answer_image else "",
        _text(pick(drill.explanation, lang)),
        _text(sources),
        _text(tr(f"study.kind.{drill.kind}", lang)),
        _text(tr(f"study.topic.{drill.topic}", lang)),
    ]


def export_apkg(drills: Sequence[Drill], path: str | Path, *, lang: str, deck_title: str,
                images: Images | None = None, timestamp: float | None = None) -> AnkiExport:
    """Write ``drills`` as an Anki package at ``path``; :class:`FileWriteError` names the file
    if it cannot be written (the previous file is then kept)."""
    import genanki

    model = genanki.Model(
        _id(f"bodymap-study-model-{lang}"),
        f"bodymap study ({lang})",
        fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Card", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )
    deck = genanki.Deck(_id(f"bodymap-deck-{lang}-{deck_title}"), deck_title)
    with tempfile.TemporaryDirectory(prefix="bodymap-anki-") as tmp:
        folder = Path(tmp)
        media: list[str] = []
        for drill in drills:
            q_png, a_png = images(drill, lang) if images is not None else (None, None)
            names = []
            for side, data in (("q", q_png), ("a", a_png)):
                name = media_name(drill, side, lang) if data else ""
                if data:
                    (folder / name).write_bytes(data)
                    media.append(str(folder / name))
                names.append(name)
            deck.add_note(genanki.Note(
                model=model, fields=note_fields(drill, lang, *names),
                guid=genanki.guid_for("bodymap", drill.id, lang),
                tags=["bodymap", f"bodymap::{drill.topic}", f"bodymap::{drill.kind}"]))
        data = _package(genanki.Package(deck, media_files=media), folder, timestamp)
    out = atomic_write_bytes(Path(path), data, check=_incomplete)
    return AnkiExport(out, len(deck.notes), len(media))


def _package(package: Any, folder: Path, timestamp: float | None) -> bytes:
    """The .apkg's bytes: genanki's collection and media, zipped in memory."""
    import itertools

    db = folder / "collection.anki2"
    stamp = time.time() if timestamp is None else timestamp
    conn = sqlite3.connect(db)
    try:
        package.write_to_db(conn.cursor(), stamp, itertools.count(int(stamp * 1000)))
        conn.commit()
    finally:
        conn.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(db, "collection.anki2")
        files = list(package.media_files)
        z.writestr("media", json.dumps({str(i): Path(p).name for i, p in enumerate(files)}))
        for i, p in enumerate(files):
            z.write(p, str(i))
    return buffer.getvalue()


def _incomplete(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "collection.anki2" not in z.namelist() or z.testzip() is not None:
                return "the Anki package came out incomplete"
    except zipfile.BadZipFile:
        return "the Anki package came out incomplete"
    return None
