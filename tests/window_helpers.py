"""What window tests share besides fixtures (those are in conftest.py): a scripted prompter and
the screening answers given as a therapist would."""

from __future__ import annotations

from typing import Any

from bodymap.widgets.prompts import Prompter


class Prompts(Prompter):
    """A scripted prompter: answers at once from ``replies`` and the paths set, records all."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, str, tuple[str, ...]]] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.about_texts: list[str] = []
        self.replies = {"unsaved": "discard", "recover": "discard", "confirm": "yes"}
        self.open_path: str | None = None
        self.save_path: str | None = None
        self.export_path: str | None = None

    def ask(self, title, text, *, choices=("yes", "no"), default="no"):
        self.asked.append((title, text, tuple(choices)))
        if "recover" in choices:
            return self.replies["recover"]
        if "save" in choices:
            return self.replies["unsaved"]
        return self.replies["confirm"]

    def error(self, title, text):
        self.errors.append(text)

    def inform(self, title, text):
        self.infos.append(text)

    def about(self, title, text):
        self.about_texts.append(text)

    def quit_app(self, code):
        self.infos.append(f"quit {code}")

    def choose_open_path(self, folder):
        return self.open_path

    def choose_save_path(self, suggested):
        return self.save_path

    def choose_export_path(self, suggested):
        return self.export_path

    def show_folder(self, folder):
        self.infos.append(f"folder {folder}")


def answer_all_no(window: Any) -> None:
    """Every screening question answered "no", as one step (Mark rest no, confirmed)."""
    panel = window.parts.panel
    panel.checklist.mark_unanswered_no()
    panel.send_profile()


def answer(window: Any, cid: str, value: bool | None) -> None:
    panel = window.parts.panel
    panel.checklist.questions[cid].set_answer(value)
    panel.send_profile()
